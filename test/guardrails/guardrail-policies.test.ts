import { App, Aws, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { managementStack, testOrganization } from './fixture';
import { Guardrail, GuardrailPolicies, GuardrailTarget, Organization, RootDenyScp } from '../../src';
import { synthesizedScps } from '../helpers/scp-sim';

/** A custom guardrail of one deny statement whose minified JSON is about `chars` characters long. */
function bulky(name: string, chars: number): Guardrail {
  const overhead = JSON.stringify({ Sid: `${name}0`, Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/p': '' } } }).length;
  return Guardrail.custom({
    name,
    statements: [new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ['ec2:RunInstances'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'aws:PrincipalTag/p': 'x'.repeat(Math.max(0, chars - overhead)) } },
    })],
  });
}

function catalog(): Guardrail[] {
  return [
    Guardrail.denyLeavingOrganization(),
    Guardrail.denyRootAccessKeys(),
    Guardrail.denyIamUsers(),
    Guardrail.protectSecurityServices(),
    Guardrail.protectLandingZoneResources(),
    Guardrail.restrictRegions({ allowedRegions: ['eu-central-1'] }),
  ];
}

describe('GuardrailPolicies', () => {
  const organization = testOrganization();

  test('packs the whole catalog into as few minified policies as fit, each under 5,120 characters', () => {
    // GIVEN
    const stack = managementStack();
    // WHEN
    const g = new GuardrailPolicies(stack, 'Baseline', {
      organization,
      targets: [GuardrailTarget.organizationalUnits(['Workloads'])],
      guardrails: catalog(),
    });
    // THEN the catalog needs two policies since the landing zone protections cover paths, tags and the delegated path
    const scps = synthesizedScps(Template.fromStack(stack).toJSON());
    expect(scps.map((s) => s.name).sort()).toEqual(['lz-baseline', 'lz-baseline-2']);
    Template.fromStack(stack).allResourcesProperties('AWS::Organizations::Policy', { Type: 'SERVICE_CONTROL_POLICY', TargetIds: ['ou-ab12-11111111'] });
    const statements = scps.flatMap((s) => s.policy.Statement as any[]);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Sid: 'DenyLeaveOrganization', Action: 'organizations:LeaveOrganization' }),
      expect.objectContaining({
        Sid: 'DenyIamUsers',
        Action: expect.arrayContaining(['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreateUser', 'iam:UpdateLoginProfile', 'iam:UpdateAccessKey']),
        Condition: { StringNotEquals: { 'aws:PrincipalAccount': ['111111111111'] } },
      }),
      expect.objectContaining({
        Sid: 'ProtectLandingZoneRoles',
        Resource: ['arn:*:iam::*:role/lz-*', 'arn:*:iam::*:role/*/lz-*', 'arn:*:iam::*:role/landing-zone/*'],
        Condition: { ArnNotLike: { 'aws:PrincipalArn': expect.arrayContaining(['arn:*:iam::*:role/cdk-*-cfn-exec-role-*']) } },
      }),
      expect.objectContaining({ Sid: 'ProtectLandingZoneBoundary', Resource: 'arn:*:iam::*:policy/lz-permissions-boundary' }),
      expect.objectContaining({
        Sid: 'DenyOutsideRegions',
        NotAction: expect.arrayContaining(['cloudfront:*', 'iam:*', 'organizations:*', 'route53:*', 'sts:*', 'support:*']),
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-central-1'] } },
      }),
    ]));
    expect(g.policies).toHaveLength(2);
    for (const [i, scp] of scps.entries()) {
      expect(scp.content.length).toBe(g.policyInfo.find((p) => p.name === scp.name)!.size);
      expect(scp.content.length).toBeLessThanOrEqual(5120);
      expect(i).toBeLessThan(2);
    }
    expect([...new Set(g.policyInfo.flatMap((p) => p.guardrails))].sort()).toEqual([
      'DenyIamUsers', 'DenyLeaveOrganization', 'DenyOutsideRegions', 'DenyRootAccessKeys', 'ProtectLandingZone', 'ProtectSecurityServices',
    ]);
  });

  test('splits statements that do not fit into one policy into as few policies as fit, each under the limit', () => {
    // GIVEN four statements of ~3,000, ~2,000, ~2,000 and ~1,000 characters: 8,000 in all, two policies suffice
    const stack = managementStack();
    const guardrails = [bulky('A', 1000), bulky('B', 3000), bulky('C', 2000), bulky('D', 2000)];
    // WHEN
    const g = new GuardrailPolicies(stack, 'Big', { organization, targets: [GuardrailTarget.organizationRoot()], guardrails });
    // THEN
    const scps = synthesizedScps(Template.fromStack(stack).toJSON());
    expect(scps.map((s) => s.name).sort()).toEqual(['lz-big', 'lz-big-2']);
    for (const s of scps) expect(s.content.length).toBeLessThanOrEqual(5120);
    const sids = scps.flatMap((s) => (s.policy.Statement as any[]).map((st) => st.Sid)).sort();
    expect(sids).toEqual(['A0', 'B0', 'C0', 'D0']); // every statement exactly once
    expect(g.policyInfo.map((p) => p.guardrails)).toEqual([['B', 'C'], ['A', 'D']]);
  });

  test('packing is deterministic and keeps a growing catalog stable', () => {
    // GIVEN the same guardrails twice, then with a small guardrail appended
    const build = (extra: Guardrail[]) => {
      const stack = managementStack();
      const g = new GuardrailPolicies(stack, 'Big', {
        organization,
        targets: [GuardrailTarget.organizationRoot()],
        guardrails: [bulky('A', 1000), bulky('B', 3000), bulky('C', 2000), bulky('D', 2000), ...extra],
      });
      return g.policyInfo.map((p) => p.guardrails);
    };
    // THEN
    expect(build([])).toEqual(build([]));
    expect(build([Guardrail.denyLeavingOrganization()])).toEqual([['B', 'C'], ['A', 'D', 'DenyLeaveOrganization']]);
  });

  test('a catalog that grows from one policy to two adds the second, keeping the first policy\'s logical id and name', () => {
    // GIVEN one policy's worth of guardrails, then enough more that the catalog splits
    const policies = (guardrails: Guardrail[]) => {
      const stack = managementStack();
      new GuardrailPolicies(stack, 'Big', { organization, targets: [GuardrailTarget.organizationRoot()], guardrails });
      const found = Template.fromStack(stack).findResources('AWS::Organizations::Policy');
      return Object.entries(found).map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r.Properties.Name]).sort();
    };
    // THEN CloudFormation updates the attached policy in place instead of replacing it (a replacement attaches the new
    // policy before it detaches the old, which fails on a target at its attachment quota)
    expect(policies([bulky('A', 3000)])).toEqual([['BigPolicy', 'lz-big']]);
    expect(policies([bulky('A', 3000), bulky('B', 3000)])).toEqual([['BigPolicy', 'lz-big'], ['BigPolicy2', 'lz-big-2']]);
  });

  test('honours a lower maxPolicyCharacters', () => {
    const stack = managementStack();
    const g = new GuardrailPolicies(stack, 'Tight', {
      organization, targets: [GuardrailTarget.organizationRoot()], guardrails: catalog(), maxPolicyCharacters: 2500,
    });
    expect(g.policies.length).toBeGreaterThan(1);
    for (const p of g.policyInfo) expect(p.size).toBeLessThanOrEqual(2500);
  });

  test('fails when one statement alone is over the limit, naming the guardrail, the policy, its size and the limit', () => {
    const stack = managementStack();
    expect(() => new GuardrailPolicies(stack, 'Huge', {
      organization, targets: [GuardrailTarget.organizationRoot()], guardrails: [Guardrail.denyLeavingOrganization(), bulky('Huge', 6000)],
    })).toThrow(/Guardrails\/Huge: 1 problem:\n {2}- guardrails\[1\]: statement 'Huge0' of guardrail 'Huge' alone makes policy 'lz-huge' 60\d\d characters of minified json, over the limit of 5120/);
  });

  test('measures values known only at deploy time conservatively and warns', () => {
    // GIVEN a custom statement holding the management account id as a token
    const stack = new Stack(new App(), 'Agnostic'); // environment-agnostic: AWS::AccountId stays a Ref
    const g = new GuardrailPolicies(stack, 'Tokens', {
      organization,
      targets: [GuardrailTarget.organizationRoot()],
      guardrails: [Guardrail.custom({
        name: 'DenyOutsideAccount',
        statements: [new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: ['ram:AcceptResourceShareInvitation'],
          resources: ['*'],
          conditions: { StringNotEquals: { 'ram:ShareOwnerAccountId': Aws.ACCOUNT_ID } },
        })],
      })],
    });
    // THEN the size counts the account id at its 12-character maximum, and the template keeps the Ref
    const deployed = JSON.stringify(stack.resolve(g.policies[0].content)).replace('{"Ref":"AWS::AccountId"}', '"000000000000"');
    expect(g.policyInfo[0].size).toBe(deployed.length);
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Content: { Statement: [Match.objectLike({ Condition: { StringNotEquals: { 'ram:ShareOwnerAccountId': { Ref: 'AWS::AccountId' } } } })] },
    });
    Annotations.fromStack(stack).hasWarning('/Agnostic/Tokens', Match.stringLikeRegexp('known only at deploy time'));
  });

  test('fails when the scps on one target exceed the per-target limit across constructs', () => {
    // GIVEN a root deny and four more policies on the root: 5 + FullAWSAccess = 6 > 5
    const app = new App();
    const stack = managementStack(app);
    new RootDenyScp(stack, 'DenyRoot', { organization });
    const other = new Stack(app, 'MoreGuardrails', { env: { account: '000000000000', region: 'us-east-1' } });
    new GuardrailPolicies(other, 'Big', {
      organization,
      targets: [GuardrailTarget.organizationRoot()],
      guardrails: [bulky('A', 4000), bulky('B', 4000), bulky('C', 4000), bulky('D', 4000)],
    });
    // THEN
    expect(() => app.synth()).toThrow(/root r-ab12: 5 guardrail policies \(lz-deny-root, lz-big, lz-big-2, lz-big-3, lz-big-4\) plus 1 attached outside the library make 6, over the limit of 5 service control policies per target/);
  });

  test('maxPoliciesPerTarget and externallyAttachedPolicies are configurable', () => {
    const build = (max: number | undefined, external: number | undefined) => {
      const app = new App();
      const stack = managementStack(app);
      new RootDenyScp(stack, 'DenyRoot', {
        organization, targets: [GuardrailTarget.organizationalUnits(['Workloads'])], maxPoliciesPerTarget: max,
      });
      new GuardrailPolicies(stack, 'Two', {
        organization,
        targets: [GuardrailTarget.organizationalUnits(['Workloads'])],
        guardrails: [bulky('A', 4000), bulky('B', 4000)],
        maxPoliciesPerTarget: max,
        externallyAttachedPolicies: external,
      });
      return () => app.synth();
    };
    expect(build(undefined, undefined)).not.toThrow(); // 3 + 1 = 4 <= 5
    // Control Tower attaches its own SCPs too
    expect(build(undefined, 3)).toThrow(/ou Workloads \(ou-ab12-11111111\): 3 guardrail policies .* plus 3 attached outside the library make 6, over the limit of 5/);
    expect(build(10, 3)).not.toThrow();
  });

  test('the strictest settings among constructs sharing a target win', () => {
    // GIVEN one construct raises the quota to 10, the other keeps the default 5
    const app = new App();
    const stack = managementStack(app);
    new RootDenyScp(stack, 'DenyRoot', { organization, maxPoliciesPerTarget: 10 });
    new GuardrailPolicies(stack, 'Big', {
      organization,
      targets: [GuardrailTarget.organizationRoot()],
      guardrails: [bulky('A', 4000), bulky('B', 4000), bulky('C', 4000), bulky('D', 4000)],
    });
    // THEN the default 5 still applies, so a forgotten setting cannot hide a deployment failure
    expect(() => app.synth()).toThrow(/make 6, over the limit of 5/);
  });

  test('fails when two guardrail constructs use the same policy name', () => {
    const app = new App();
    const stack = managementStack(app);
    new GuardrailPolicies(stack, 'A', { organization, targets: [GuardrailTarget.organizationRoot()], guardrails: [Guardrail.denyLeavingOrganization()], policyName: 'lz-same' });
    new GuardrailPolicies(stack, 'B', { organization, targets: [GuardrailTarget.accounts(['app-dev'])], guardrails: [Guardrail.denyRootAccessKeys()], policyName: 'LZ-SAME' });
    expect(() => app.synth()).toThrow(/policy name 'LZ-SAME' is also used by Guardrails\/B: service control policy names must be unique/);
  });

  test('fails with every problem of the construct at once', () => {
    const stack = managementStack();
    expect(() => new GuardrailPolicies(stack, 'Bad', {
      organization,
      targets: [GuardrailTarget.organizationalUnits(['Nowhere'])],
      guardrails: [
        Guardrail.restrictRegions({ allowedRegions: ['eu-central'], exemptPrincipalArns: ['lz-admin'], additionalGlobalActions: ['*'] }),
        Guardrail.denyIamUsers({ exemptAccounts: ['partner'], exemptPrincipalTag: { key: 'bad key!', value: 'x' } }),
        Guardrail.custom({ name: 'has-dash', statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'], principals: [new iam.AnyPrincipal()] })] }),
        Guardrail.protectLandingZoneResources({ deploymentRoleArns: [] }),
        Guardrail.denyLeavingOrganization(),
        Guardrail.denyLeavingOrganization(),
      ],
      policyName: 'has space',
      maxPolicyCharacters: 6000,
      maxPoliciesPerTarget: 0,
      externallyAttachedPolicies: -1,
    })).toThrow(new RegExp([
      'Guardrails/Bad: 17 problems:',
      'maxPolicyCharacters: must be an integer from 100 to 5120 \\(the AWS limit\\), got 6000',
      'maxPoliciesPerTarget: must be a positive integer, got 0',
      'externallyAttachedPolicies: must be a non-negative integer, got -1',
      "policyName: policy name 'has space' must be 1-124 of letters",
      "targets\\[0\\]: ou 'Nowhere' is not defined",
      "guardrails\\[0\\].allowedRegions\\[0\\]: region 'eu-central' must be a region code such as 'eu-central-1'",
      "guardrails\\[0\\].additionalGlobalActions: '\\*' would exempt every action",
      "guardrails\\[0\\].exemptPrincipalArns\\[0\\]: principal arn 'lz-admin' must look like",
      "guardrails\\[1\\].exemptAccounts\\[0\\]: account 'partner' is not a member account",
      "guardrails\\[1\\].exemptPrincipalTag.key: tag key 'bad key!' must be",
      "guardrails\\[1\\].exemptPrincipalTag: only adminPrincipalArns may grant the tag 'bad key!', and none are given",
      "guardrails\\[2\\].name: guardrail name 'has-dash' must be 1-64 letters or digits",
      'guardrails\\[2\\].statements\\[0\\]: guardrails are deny statements, got Effect Allow: beside FullAWSAccess an Allow grants nothing',
      'guardrails\\[2\\].statements\\[0\\]: service control policies do not support Principal',
      'guardrails\\[3\\].deploymentRoleArns: at least one deployment role is needed',
      "guardrails: guardrail 'DenyLeaveOrganization' is given more than once",
      "guardrails: statement id 'DenyLeaveOrganization' is used by more than one statement",
    ].join('[\\s\\S]*')));
  });

  test('fails when no guardrail is given or a target is given twice', () => {
    const stack = managementStack();
    expect(() => new GuardrailPolicies(stack, 'Empty', {
      organization,
      targets: [GuardrailTarget.accounts(['app-dev']), GuardrailTarget.accounts(['222222222222'])],
      guardrails: [],
    })).toThrow(/targets: target '222222222222' is given more than once[\s\S]*guardrails: at least one guardrail is needed, got none/);
  });

  test('fails when an allowed region does not exist, unless unlisted regions are accepted', () => {
    const regions = (options: { allowedRegions: string[]; allowUnlistedRegions?: boolean }) => () => new GuardrailPolicies(managementStack(), 'R', {
      organization, targets: [GuardrailTarget.organizationRoot()], guardrails: [Guardrail.restrictRegions(options)],
    });
    expect(regions({ allowedRegions: ['eu-central-1', 'eu-central-9'] }))
      .toThrow(/guardrails\[0\]\.allowedRegions\[1\]: region 'eu-central-9' is not a region aws-cdk-lib knows: check the spelling, or, for a region newer than this aws-cdk-lib, set allowUnlistedRegions/);
    expect(regions({ allowedRegions: ['eu-central-1', 'eu-central-9'], allowUnlistedRegions: true })).not.toThrow();
    expect(regions({ allowedRegions: ['eusc-de-east-1', 'ap-southeast-7', 'mx-central-1'] })).not.toThrow();
  });

  test('fails when a custom guardrail holds an Allow statement', () => {
    expect(() => new GuardrailPolicies(managementStack(), 'C', {
      organization,
      targets: [GuardrailTarget.organizationRoot()],
      guardrails: [Guardrail.custom({
        name: 'Mixed',
        statements: [
          new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:DeleteBucket'], resources: ['*'] }),
          new iam.PolicyStatement({ notActions: ['s3:*'], resources: ['*'] }),
        ],
      })],
    })).toThrow(/Guardrails\/C: 1 problem:\n {2}- guardrails\[0\]\.statements\[1\]: guardrails are deny statements, got Effect Allow/);
  });

  test('fails when a region list is empty', () => {
    const stack = managementStack();
    expect(() => new GuardrailPolicies(stack, 'R', {
      organization, targets: [GuardrailTarget.organizationRoot()], guardrails: [Guardrail.restrictRegions({ allowedRegions: [] })],
    })).toThrow(/guardrails\[0\]\.allowedRegions: at least one region must be allowed, got none/);
  });

  test('fails when an exemption tag has nobody to grant it', () => {
    const stack = managementStack();
    expect(() => new GuardrailPolicies(stack, 'Users', {
      organization,
      targets: [GuardrailTarget.organizationRoot()],
      guardrails: [Guardrail.denyIamUsers({ exemptPrincipalTag: { key: 'iam-admin', value: 'true' } })],
    })).toThrow(/Guardrails\/Users: 1 problem:\n {2}- guardrails\[0\].exemptPrincipalTag: only adminPrincipalArns may grant the tag 'iam-admin', and none are given/);
  });

  test('without a jump account, iam users are denied everywhere unless exempted', () => {
    // GIVEN an organization without a jump account
    const noJump = new Organization({
      rootId: 'r-ab12',
      managementAccount: { accountId: '000000000000', name: 'management' },
      organizationalUnits: [],
      accounts: [{ accountId: '222222222222', name: 'app-dev' }],
    });
    const stack = managementStack();
    // WHEN
    new GuardrailPolicies(stack, 'Users', { organization: noJump, targets: [GuardrailTarget.organizationRoot()], guardrails: [Guardrail.denyIamUsers()] });
    // THEN the statement has no condition at all
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Content: { Statement: [{ Sid: 'DenyIamUsers', Effect: 'Deny', Action: Match.arrayWith(['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreateUser']), Resource: '*' }] },
    });
  });
});
