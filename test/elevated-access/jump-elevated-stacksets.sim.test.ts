// jumpAccess.followOrganizationalUnits, deployed: the elevated roles of an OU the jump rules follow come from one
// auto-deploying StackSet (after the OU baseline's), not a stack per account, so an account added to the OU later has
// them without a synth. The StackSet's own template is evaluated with the IAM simulator in such an account.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { HOST_ACCOUNT } from './fixture';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import {
  AccessPath, AccessReport, AccountSelection, ElevatedAccessWorkflow, JumpEligibilityRule, JumpApproverRule, JumpPrincipal, LandingZone,
  ElevatedRoles, JumpAccount, LandingZoneBoundary, PermissionLevel, StackSetCallAs, TargetRoleDeploymentMode,
} from '../../src';
import { grantPolicyDocument } from '../../src/elevated-access/handlers/jump-grants';
import type { AccessConfig } from '../../src/elevated-access/handlers/policy';
import { LandingZoneChecks } from '../../src/nag/pack';
import { PolicyJson, simulate, TemplatePolicies, withMfa } from '../helpers/iam-sim';

const ORG = 'o-ex01abcdef';
const JUMP = '111111111111';
// joined Workloads/Prod after the synth: in no model the workflow saw
const LATER = '888888888811';
const PROD_OU = 'ou-ex01-prod0001';
const prod = AccountSelection.organizationalUnits(['Workloads/Prod']);

interface Options {
  readonly follow?: boolean;
  readonly revokersByOrganization?: boolean;
  readonly mode?: TargetRoleDeploymentMode;
  readonly baseline?: boolean;
  readonly eligibility?: JumpEligibilityRule[];
  readonly approvers?: JumpApproverRule[];
  readonly callAs?: StackSetCallAs;
  /** Adds the Security OU's baseline too. */
  readonly security?: boolean;
}

function build(o: Options = {}) {
  const app = new App();
  const lz = new LandingZone(app, 'Lz', {
    organization: exampleOrganization(),
    jumpAccount: {
      groups: ['vendor-acme', 'jump-leads'].map((groupName) => ({ groupName, targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads/NonProd']), permissionLevels: [PermissionLevel.readOnly()] }] })),
      users: [{ userName: 'acme-alice', groups: ['vendor-acme'] }, { userName: 'lead-lee', groups: ['jump-leads'] }],
    },
  });
  if (o.baseline !== false) {
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }], deploymentMode: o.mode, stackSetCallAs: o.callAs });
  }
  if (o.security) lz.addOrganizationalUnit('Security');
  const access = new Stack(lz, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
  const workflow = new ElevatedAccessWorkflow(access, 'Workflow', {
    organization: lz.organization,
    jumpAccess: {
      jumpAccount: lz.jumpAccount!,
      eligibility: o.eligibility ?? [{ name: 'acme-prod', principals: [JumpPrincipal.group('vendor-acme')], targets: prod, permissionLevels: [PermissionLevel.power()], maxDuration: Duration.hours(1) }],
      approvers: o.approvers ?? [{ jumpApprovers: [JumpPrincipal.group('jump-leads')], targets: AccountSelection.organizationalUnits(['Workloads']), permissionLevels: [PermissionLevel.power(), PermissionLevel.readOnly()] }],
      revokersByOrganization: o.revokersByOrganization ?? true,
      followOrganizationalUnits: o.follow ?? true,
    },
    // in Security the OU baseline deploys the boundary in the host account
    permissionsBoundary: o.security ? LandingZoneBoundary.fromAccount(access, 'Boundary', HOST_ACCOUNT) : undefined,
  });
  const placed = lz.addJumpElevatedAccess(workflow.jumpDeployment!);
  return { app, lz, access, workflow, placed };
}

const built = build();
const assembly = built.app.synth();
const ouStack = built.placed.organizationalUnitsStack!;
const ouTemplate = Template.fromJSON(assembly.getStackArtifact(ouStack.artifactId).template);
const stackSets = ouTemplate.findResources('AWS::CloudFormation::StackSet');
const [stackSet] = Object.values<any>(stackSets);
const rendered = JSON.parse(stackSet.Properties.TemplateBody);
const baselineStack = built.lz.organizationalUnits.find((u) => u.organizationalUnit === 'Workloads')!.stack!;

// the landing zone boundary, as the OU baseline's StackSet deploys it into every account of Workloads
const baselineBody = JSON.parse(Object.values<any>(Template.fromJSON(assembly.getStackArtifact(baselineStack.artifactId).template)
  .findResources('AWS::CloudFormation::StackSet'))[0].Properties.TemplateBody);
const boundaryDocument = Object.values<any>(baselineBody.Resources)
  .find((r) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties.ManagedPolicyName === 'lz-permissions-boundary').Properties.PolicyDocument;

/** A template of the StackSet as CloudFormation deploys it into `account`, next to the baseline's boundary. */
const inAccount = (account: string) => new TemplatePolicies(rendered, {
  accountId: account,
  managedPolicies: { [`arn:aws:iam::${account}:policy/lz-permissions-boundary`]: boundaryDocument },
});

describe('jump rules that follow an OU: one StackSet, not a stack per account', () => {
  test('no JumpElevated-<account> stack; one StackSet in the management account targeting the OU, auto-deploying', () => {
    expect(built.placed.accountStacks).toHaveLength(0);
    expect(ouStack.account).toBe('000000000000');
    expect(Object.keys(stackSets)).toHaveLength(1);
    expect(stackSet.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [PROD_OU] }, Regions: [ouStack.region] }],
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
    });
    expect(stackSet.Properties.StackInstancesGroup[0].DeploymentTargets.AccountFilterType).toBeUndefined();
    Annotations.fromStack(built.access).hasWarning('*', Match.stringLikeRegexp('jumpAccess.followOrganizationalUnits: jump rules over OUs cover the accounts'));
  });

  test('a new account gets the OU baseline\'s boundary first: DependsOn names the baseline StackSet\'s ARN, and the stack deploys after it', () => {
    const dependsOn = stackSet.Properties.AutoDeployment.DependsOn;
    // arn:<partition>:cloudformation:<region>:<account>:stackset/<name>:<id>, the id exported by the baseline's stack
    const outputs = assembly.getStackArtifact(baselineStack.artifactId).template.Outputs;
    const [exported] = Object.values<any>(outputs).filter((o) => o.Value['Fn::GetAtt']?.[1] === 'StackSetId');
    expect(exported.Value).toEqual({ 'Fn::GetAtt': ['Baseline', 'StackSetId'] });
    expect(dependsOn).toEqual([{
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudformation:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':stackset/', { 'Fn::ImportValue': exported.Export.Name }]],
    }]);
    expect(stackSet.Properties.CallAs).toBe('SELF');
    expect(ouStack.dependencies).toContain(baselineStack);
  });

  test('the rendered template: the level\'s role and the revoker, the landing zone boundary of the account it lands in', () => {
    const roles = Object.values<any>(rendered.Resources).filter((r) => r.Type === 'AWS::IAM::Role').map((r) => r.Properties.RoleName).sort();
    expect(roles).toEqual(['lz-elevated-power', 'lz-elevated-revoker']);
    const power = Object.values<any>(rendered.Resources).find((r) => r.Properties?.RoleName === 'lz-elevated-power');
    expect(JSON.stringify(power.Properties.PermissionsBoundary)).toContain('AWS::AccountId');
  });

  test('the API, step and chat handlers may read placements in the model\'s organization only', () => {
    const hostTemplate = Template.fromJSON(assembly.getStackArtifact(built.access.artifactId).template);
    const lookups = Object.values<any>(hostTemplate.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement).filter((st) => st.Action === 'organizations:ListParents');
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    for (const st of lookups) {
      expect(st.Resource).toEqual([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:organizations::000000000000:account/${ORG}/*`]] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:organizations::000000000000:ou/${ORG}/*`]] },
      ]);
    }
  });

  test('access report: a row per account the model places there now, saying the rule follows the OU', () => {
    const rows = AccessReport.of(built.access).entries.filter((e) => e.principalType === 'iam-group' && e.path === AccessPath.ELEVATED_ACCESS);
    expect(rows.map((r) => r.accountId).sort()).toEqual(['555555555501', '555555555502', '555555555503']);
    expect(rows[0].conditions).toMatch(/; follows .*Workloads\/Prod.* in AWS Organizations, accounts added later included$/);
  });

  test('the compiled jump rule follows the OU and stores no accounts', () => {
    const config = (JSON.parse(built.workflow.configurationJson) as AccessConfig);
    expect(config.jump!.eligibility[0]).toMatchObject({ name: 'acme-prod', accounts: [], organizationalUnits: [{ id: PROD_OU, recursive: true }] });
    expect(config.jump!.approverRules[0]).toMatchObject({ accounts: [], organizationalUnits: [{ id: 'ou-ex01-workload', recursive: true }] });
    expect(config.refusedAccounts).toEqual(expect.arrayContaining(['000000000000', HOST_ACCOUNT]));
  });
});

describe('simulated in an account that joined the OU after the synth', () => {
  const jumpPolicies = new TemplatePolicies(assembly.getStackArtifact(built.lz.jumpAccountStack!.artifactId).template, { accountId: JUMP });
  const alice = jumpPolicies.forUser('acme-alice');
  const role = (account: string) => `arn:aws:iam::${account}:role/lz-elevated-power`;
  const grant = (account: string) => ({ name: 'lz-elevated-grant-req1', policy: grantPolicyDocument('aws', account, 'lz-elevated-power', new Date('2026-12-08T12:00:00Z')) as PolicyJson });
  const assume = (account: string, withGrant: boolean) => simulate({
    identityPolicies: [...alice.identityPolicies, ...(withGrant ? [grant(account)] : [])],
    boundary: alice.boundary,
    resourcePolicy: inAccount(account).forRole('lz-elevated-power').trustPolicy,
  }, {
    principal: alice.arn,
    action: 'sts:AssumeRole',
    resource: role(account),
    context: { ...withMfa(), 'aws:CurrentTime': '2026-12-08T11:00:00Z', 'sts:RoleSessionName': 'acme-alice' },
  });

  test('with a grant the jump user assumes the StackSet\'s role there; without one, not', async () => {
    expect((await assume(LATER, true)).decision).toBe('Allowed');
    expect((await assume(LATER, false)).decision).toBe('ImplicitlyDenied');
  });

  test('attack: a grant for the account does not reach the same role of another account', async () => {
    const other = await simulate({
      identityPolicies: [...alice.identityPolicies, grant(LATER)],
      boundary: alice.boundary,
      resourcePolicy: inAccount('555555555501').forRole('lz-elevated-power').trustPolicy,
    }, {
      principal: alice.arn,
      action: 'sts:AssumeRole',
      resource: role('555555555501'),
      context: { ...withMfa(), 'aws:CurrentTime': '2026-12-08T11:00:00Z', 'sts:RoleSessionName': 'acme-alice' },
    });
    expect(other.decision).toBe('ImplicitlyDenied');
  });

  test('the revoker there trusts exactly the workflow\'s state machine and reconciler', () => {
    const trust = JSON.stringify(inAccount(LATER).forRole('lz-elevated-revoker').trustPolicy);
    expect(trust).toContain(built.workflow.jumpDeployment!.workflowRoleArn);
    expect(trust).toContain(built.workflow.jumpDeployment!.reconcilerRoleArn!);
  });
});

describe('jump rules that follow OUs: refused where they could not deploy or could not be approved', () => {
  test('without revokersByOrganization: the revokers of accounts added later have no ARN now', () => {
    expect(() => build({ revokersByOrganization: false })).toThrow(/jumpAccess\.followOrganizationalUnits: rules that follow OUs grant in accounts added later, whose revokers no ARN list can name now: set revokersByOrganization: true/);
  });

  test('a rule over the whole organization: accounts at the root have no boundary', () => {
    const all = AccountSelection.allMemberAccounts({ excludeAccounts: ['jump', 'audit'] });
    expect(() => build({
      eligibility: [{ principals: [JumpPrincipal.group('vendor-acme')], targets: all, permissionLevels: [PermissionLevel.power()], maxDuration: Duration.hours(1), approval: undefined }],
      approvers: [{ jumpApprovers: [JumpPrincipal.group('jump-leads')], targets: all, permissionLevels: [PermissionLevel.power()] }],
    })).toThrow(/jumpAccess\.eligibility\[0\]\.targets: .* follows the whole organization, but the elevated roles need the landing zone boundary/);
  });

  test('an approver rule that lists accounts cannot approve accounts added later', () => {
    expect(() => build({
      approvers: [{ jumpApprovers: [JumpPrincipal.group('jump-leads')], targets: AccountSelection.accounts(['shop-prod', 'data-prod', 'payments-prod']), permissionLevels: [PermissionLevel.power()] }],
    })).toThrow(/jumpAccess\.eligibility\['acme-prod'\]\.approval: the rule follows ou Workloads\/Prod \(recursive\)\/lz-elevated-power, but no approver rule follows an OU that covers it|jumpAccess\.eligibility\[0\]\.approval: the rule follows ou Workloads\/Prod/);
  });

  test('the OU\'s baseline deployed per account would not reach new accounts', () => {
    expect(() => build({ mode: TargetRoleDeploymentMode.PER_ACCOUNT_STACKS }).app.synth())
      .toThrow(/deployment\.organizationalUnits\[0\]: OU Workloads\/Prod is followed by jump rules, but the baseline of OU Workloads deploys a stack per account/);
  });

  test('no OU baseline at all', () => {
    expect(() => build({ baseline: false }).app.synth())
      .toThrow(/deployment\.organizationalUnits\[0\]: OU Workloads\/Prod is followed by jump rules, but no OU baseline StackSet reaches it/);
  });
});

describe('jump rules that follow OUs, next to rules that list accounts', () => {
  test('an account a listing rule names under the followed OU gets its levels from the StackSet, no stack of its own', () => {
    const b = build({
      eligibility: [
        { name: 'acme-prod', principals: [JumpPrincipal.group('vendor-acme')], targets: prod, permissionLevels: [PermissionLevel.power()], maxDuration: Duration.hours(1) },
        { name: 'acme-shop', principals: [JumpPrincipal.group('vendor-acme')], targets: AccountSelection.accounts(['shop-prod', 'shop-dev']), permissionLevels: [PermissionLevel.readOnly()], maxDuration: Duration.hours(1) },
      ],
    });
    const a = b.app.synth();
    // shop-dev is outside the followed OU: a stack of its own; shop-prod is inside: the StackSet carries ReadOnly too
    expect(b.placed.accountStacks.map((s) => s.account)).toEqual(['444444444401']);
    const body = JSON.parse(Object.values<any>(Template.fromJSON(a.getStackArtifact(b.placed.organizationalUnitsStack!.artifactId).template)
      .findResources('AWS::CloudFormation::StackSet'))[0].Properties.TemplateBody);
    const names = Object.values<any>(body.Resources).filter((r) => r.Type === 'AWS::IAM::Role').map((r) => r.Properties.RoleName).sort();
    expect(names).toEqual(['lz-elevated-power', 'lz-elevated-read-only', 'lz-elevated-revoker']);
    expect(b.workflow.jumpDeployment!.organizationalUnits.map((o) => o.organizationalUnit)).toEqual(['Workloads/Prod']);
  });

  test('without followOrganizationalUnits nothing changes: a stack per account, no StackSet', () => {
    const b = build({ follow: false });
    expect(b.placed.accountStacks.map((s) => s.account).sort()).toEqual(['555555555501', '555555555502', '555555555503']);
    expect(b.placed.organizationalUnitsStack).toBeUndefined();
    expect((JSON.parse(b.workflow.configurationJson) as AccessConfig).jump!.eligibility[0].organizationalUnits).toBeUndefined();
  });
});

describe('the rule pack on jump rules that follow OUs', () => {
  test('the StackSet adds no finding: the pack finds what it finds without it (the test landing zone has no data-perimeter RCP)', () => {
    const findings = (o: Options) => {
      const b = build(o);
      b.app.synth();
      return new LandingZoneChecks(b.app, { organization: b.lz.organization }).validateScope(b.app).violations
        .map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`).sort();
    };
    const following = findings({});
    expect(following.filter((f) => !f.startsWith('LZ-RCP1['))).toEqual([]);
    expect(following).toEqual(findings({ follow: false }));
  });
});

describe('jump rules that follow OUs: where the StackSet must not reach, and who manages it', () => {
  const stackSetsOf = (b: ReturnType<typeof build>) => Object.values<any>(Template.fromJSON(b.app.synth()
    .getStackArtifact(b.placed.organizationalUnitsStack!.artifactId).template).findResources('AWS::CloudFormation::StackSet'));

  test('the jump and host accounts of a followed OU are filtered out of its StackSet (AccountFilterType DIFFERENCE)', () => {
    // GIVEN: a rule over Security, which holds the jump account and the workflow's host (audit), both left out
    const security = AccountSelection.organizationalUnits(['Security'], { excludeAccounts: ['jump', 'audit'] });
    const b = build({
      security: true,
      eligibility: [{ name: 'logs', principals: [JumpPrincipal.group('vendor-acme')], targets: security, permissionLevels: [PermissionLevel.readOnly()], maxDuration: Duration.hours(1) }],
      approvers: [{ jumpApprovers: [JumpPrincipal.group('jump-leads')], targets: security, permissionLevels: [PermissionLevel.readOnly()] }],
    });

    // WHEN
    const [set] = stackSetsOf(b);

    // THEN
    expect(set.Properties.StackInstancesGroup[0].DeploymentTargets).toEqual({
      OrganizationalUnitIds: ['ou-ex01-securit1'], Accounts: [JUMP, HOST_ACCOUNT].sort(), AccountFilterType: 'DIFFERENCE',
    });
  });

  test('the StackSet is managed as the OU baseline\'s is (a delegated administrator)', () => {
    const [set] = stackSetsOf(build({ callAs: StackSetCallAs.DELEGATED_ADMIN }));
    expect(set.Properties.CallAs).toBe('DELEGATED_ADMIN');
  });

  test('refused: elevated roles declared again in an account the StackSet reaches, naming the account and the StackSet', () => {
    const b = build();
    const extra = new Stack(b.app, 'Extra', { env: { account: '555555555502', region: 'eu-west-1' } });
    new ElevatedRoles(extra, 'Elevated', {
      jumpAccount: JumpAccount.fromAccountId(extra, 'Jump', JUMP),
      permissionLevels: [PermissionLevel.power()],
      workflowRoleArn: b.workflow.jumpDeployment!.workflowRoleArn,
    });
    let message = '';
    try {
      b.app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/role name 'lz-elevated-power' is declared for account 555555555502 also by 'Lz\/JumpElevatedAccess\/Stack-JumpElevated-OrganizationalUnits\/ElevatedRoles-Workloads-Prod'/);
    expect(message).toMatch(/role name 'lz-elevated-revoker' is declared for account 555555555502 also by/);
  });
});
