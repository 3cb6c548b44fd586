// LandingZone.addJumpElevatedAccess: where a workflow's jump elevated access is deployed, and what the synth refuses.
import { App, Aws, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { exampleOrganization } from '../examples/landing-zone/organization';
import {
  AccountSelection, ElevatedRoles, JumpAccount, JumpElevatedAccess, JumpElevatedDeployment, JumpElevatedDeploymentProps, JumpGrantWriter, LandingZone,
  LandingZoneChecks, PermissionLevel,
  TargetRoleDeploymentMode,
} from '../src';

const JUMP = '111111111111';
const HOST = '222222222202';
const SHOP_PROD = '555555555501';
const SHOP_DEV = '444444444401';
const SANDBOX = '333333333301';
const WORKFLOW_ROLE = `arn:aws:iam::${HOST}:role/landing-zone/lz-access-states-0123abcd`;
const API = `arn:aws:execute-api:us-east-1:${HOST}:*/prod/POST/jump/*`;

function deployment(overrides: Partial<JumpElevatedDeploymentProps> = {}): JumpElevatedDeployment {
  return new JumpElevatedDeployment({
    jumpAccountId: JUMP,
    workflowAccountId: HOST,
    workflowRoleArn: WORKFLOW_ROLE,
    groupReaderPrincipalArns: [WORKFLOW_ROLE, `arn:aws:iam::${HOST}:role/landing-zone/lz-access-api-0123abcd`],
    apiArns: [API],
    accounts: [
      { accountId: SHOP_PROD, permissionLevels: [PermissionLevel.power(), PermissionLevel.admin()] },
      { accountId: SHOP_DEV, permissionLevels: [PermissionLevel.power()] },
    ],
    ...overrides,
  });
}

function landingZone(app: App, withJump = true): LandingZone {
  return new LandingZone(app, 'Lz', {
    organization: exampleOrganization(),
    jumpAccount: withJump ? {
      groups: [{
        groupName: 'vendor-acme',
        targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [PermissionLevel.readOnly()] }],
      }],
      users: [{ userName: 'acme-alice', groups: ['vendor-acme'] }, { userName: 'acme-ci', groups: ['vendor-acme'], consoleAccess: false }],
    } : undefined,
  });
}

const stackNamed = (app: App, name: string) => app.node.findAll().filter(Stack.isStack).find((s) => s.stackName === name)!;
const synthErrors = (app: App) => {
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('LandingZone.addJumpElevatedAccess', () => {
  test('each target account gets its own stack with the elevated roles and the revoker, bounded by the baseline boundary it does not redeploy', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    const workloads = lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });

    // WHEN
    const placed = lz.addJumpElevatedAccess(deployment());

    // THEN
    const stack = stackNamed(app, 'Lz-JumpElevated-shop-prod');
    expect(stack.account).toBe(SHOP_PROD);
    expect(placed.accountStacks.map((s) => s.stackName)).toEqual(['Lz-JumpElevated-shop-prod', 'Lz-JumpElevated-shop-dev']);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 0); // the Workloads StackSet deploys the boundary
    for (const name of ['lz-elevated-power', 'lz-elevated-admin']) {
      t.hasResourceProperties('AWS::IAM::Role', {
        RoleName: name,
        MaxSessionDuration: 3600,
        PermissionsBoundary: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${SHOP_PROD}:policy/lz-permissions-boundary`]] },
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({
            Condition: Match.objectLike({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'sts:RoleSessionName': '${aws:username}' } }),
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${JUMP}:root`]] } },
          })],
        }),
      });
    }
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'lz-elevated-revoker',
      Path: '/landing-zone/',
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { AWS: WORKFLOW_ROLE } })] }),
    });
    // deployed after the StackSet that puts the boundary there
    expect(stack.dependencies.map((s) => s.stackName)).toEqual([workloads.stack!.stackName]);
    expect(() => app.synth()).not.toThrow();
  });

  test('in the jump account: the grant writer, the boundary on every user, and the API for every user through the every-user group', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });

    // WHEN
    lz.addJumpElevatedAccess(deployment());

    // THEN
    const t = Template.fromStack(lz.jumpAccountStack!);
    t.hasResourceProperties('AWS::IAM::Role', { RoleName: 'lz-elevated-grant-writer', AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { AWS: WORKFLOW_ROLE } })] }) });
    t.hasResourceProperties('AWS::IAM::Role', { RoleName: 'lz-elevated-group-reader' });
    const users = Object.values(t.findResources('AWS::IAM::User')) as any[];
    expect(users).toHaveLength(2);
    for (const u of users) expect(u.Properties.PermissionsBoundary.Ref).toMatch(/UserBoundary/);
    const everyUser = lz.jumpAccountStack!.resolve((lz.jumpAccount!.everyoneGroup.node.defaultChild as iam.CfnGroup).logicalId);
    t.hasResourceProperties('AWS::IAM::Policy', {
      Groups: [{ Ref: everyUser }],
      PolicyDocument: { Statement: [{ Sid: 'ElevatedAccessApi', Action: 'execute-api:Invoke', Effect: 'Allow', Resource: API }], Version: '2012-10-17' },
    });
  });

  test('per-account baselines: the elevated stack deploys after the account\'s baseline stack', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addJumpElevatedAccess(deployment({ accounts: [{ accountId: SHOP_PROD, permissionLevels: [PermissionLevel.power()] }] }));

    // WHEN: the OU comes after the placement
    const prod = lz.addOrganizationalUnit('Workloads/Prod', {
      targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }],
      deploymentMode: TargetRoleDeploymentMode.PER_ACCOUNT_STACKS,
    });

    // THEN
    const baseline = prod.accountStacks.find((s) => s.account === SHOP_PROD)!;
    expect(stackNamed(app, 'Lz-JumpElevated-shop-prod').dependencies.map((s) => s.stackName)).toEqual([baseline.stackName]);
    expect(() => app.synth()).not.toThrow();
  });

  test('refused: an account no OU baseline reaches has no boundary for the elevated roles', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    lz.addOrganizationalUnit('Sandbox', { deployBaseline: false, guardrails: [] });

    // WHEN
    lz.addJumpElevatedAccess(deployment({
      accounts: [
        { accountId: SANDBOX, permissionLevels: [PermissionLevel.power()] },
        { accountId: SHOP_PROD, permissionLevels: [PermissionLevel.power()] },
      ],
    }));

    // THEN
    const msg = synthErrors(app);
    expect(msg).toContain('deployment.accounts: sandbox-alice (333333333301) is in no OU whose baseline deploys the landing zone boundary');
    expect(msg).toContain('add the account\'s OU with addOrganizationalUnit (deployBaseline true)');
    expect(msg).not.toContain('shop-prod');
  });

  test('refused: a deployment for another jump account, or a landing zone without one', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    const bare = landingZone(new App(), false);

    // THEN
    expect(() => lz.addJumpElevatedAccess(deployment({ jumpAccountId: '999999999901' })))
      .toThrow(/deployment\.jumpAccountId: the deployment is for jump account 999999999901, but this landing zone's jump account is 111111111111: give the workflow this landing zone's jump account/);
    expect(() => bare.addJumpElevatedAccess(deployment())).toThrow(/deployment\.jumpAccountId: the landing zone has no jump account of its own/);
  });

  test('refused: principal ARNs that reference another account\'s stack, an ARN of another service; pseudo parameters pass', () => {
    // GIVEN
    const world = () => {
      const app = new App();
      const host = new Stack(app, 'Host', { env: { account: HOST, region: 'us-east-1' } });
      return { lz: landingZone(app), host, role: new iam.Role(host, 'States', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') }) };
    };
    const a = world();
    const b = world();
    const c = world();

    // THEN
    const tokens = { workflowRoleArn: a.role.roleArn, groupReaderPrincipalArns: [WORKFLOW_ROLE, a.role.roleArn] };
    expect(() => a.lz.addJumpElevatedAccess(deployment(tokens)))
      .toThrow(/deployment\.workflowRoleArn: holds a reference to a resource of another account's stack; give literal strings[\s\S]*deployment\.groupReaderPrincipalArns\[1\]: holds a reference/);
    expect(() => b.lz.addJumpElevatedAccess(deployment({ apiArns: ['arn:aws:lambda:us-east-1:222222222202:function:x'] })))
      .toThrow(/deployment\.apiArns\[0\]: 'arn:aws:lambda:us-east-1:222222222202:function:x' is not an execute-api ARN/);
    expect(() => c.lz.addJumpElevatedAccess(deployment({ apiArns: [`arn:${c.host.partition}:execute-api:us-east-1:${HOST}:*/prod/POST/jump/*`] }))).not.toThrow();
  });

  test('an API ARN with the id of the workflow stack\'s API gets \'*\' there: the jump account cannot resolve it', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const host = new Stack(app, 'Host', { env: { account: HOST, region: 'us-east-1' } });
    const api = new CfnResource(host, 'Api', { type: 'AWS::ApiGateway::RestApi', properties: { Name: 'lz-access' } });

    // WHEN
    lz.addJumpElevatedAccess(deployment({ apiArns: [`arn:${Aws.PARTITION}:execute-api:us-east-1:${HOST}:${api.ref}/prod/POST/jump/*`] }));

    // THEN
    const t = Template.fromStack(lz.jumpAccountStack!);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:execute-api:us-east-1:${HOST}:*/prod/POST/jump/*`]] } })] },
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('refused: a second placement (one grant writer per jump account), and a user\'s own elevated roles of the same names in an account', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    lz.addJumpElevatedAccess(deployment());
    const own = new Stack(app, 'Own', { env: { account: SHOP_PROD, region: 'us-east-1' } });
    new ElevatedRoles(own, 'Mine', {
      jumpAccount: JumpAccount.fromAccountId(own, 'Jump', JUMP),
      permissionLevels: [PermissionLevel.power()],
      workflowRoleArn: WORKFLOW_ROLE,
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyName(own, 'B', 'lz-permissions-boundary'),
    });

    // THEN
    expect(() => lz.addJumpElevatedAccess(deployment())).toThrow(/deployment: jump elevated access is added twice .*give one workflow every jump rule/);
    const msg = synthErrors(app);
    expect(msg).toContain(`role name 'lz-elevated-power' is declared for account ${SHOP_PROD} also by 'Lz/JumpElevatedAccess/Stack-JumpElevated-shop-prod/ElevatedRoles/Power'`);
    expect(msg).toContain(`role name 'lz-elevated-revoker' is declared for account ${SHOP_PROD}`);
    expect(msg).toContain(`deploy the elevated roles of account ${SHOP_PROD} once`);
  });

  test('refused: the management or jump account as a target, an account outside the model, a level twice', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);

    // THEN
    expect(() => lz.addJumpElevatedAccess(deployment({
      accounts: [
        { accountId: '000000000000', permissionLevels: [PermissionLevel.power()] },
        { accountId: JUMP, permissionLevels: [PermissionLevel.power()] },
        { accountId: '123456789012', permissionLevels: [PermissionLevel.power()] },
        { accountId: SHOP_PROD, permissionLevels: [PermissionLevel.power(), PermissionLevel.power()] },
      ],
    }))).toThrow(/accounts\[0\]\.accountId: account 000000000000 is the management account[\s\S]*accounts\[1\]\.accountId: account 111111111111 is the jump account[\s\S]*accounts\[2\]\.accountId: account 123456789012 is not a member account[\s\S]*accounts\[3\]\.permissionLevels: a permission level is listed twice/);
  });
  test('the reconciler\'s sweep: the grant writer and the revokers trust exactly the reconciler role besides the state machine\'s', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const reconciler = `arn:aws:iam::${HOST}:role/landing-zone/lz-access-reconciler-0123abcd`;

    // WHEN
    lz.addJumpElevatedAccess(deployment({ reconcilerRoleArn: reconciler }));

    // THEN
    const principals = (t: Template, roleName: string) => {
      const role = Object.values<any>(t.findResources('AWS::IAM::Role')).find((r) => r.Properties.RoleName === roleName);
      return role.Properties.AssumeRolePolicyDocument.Statement.flatMap((st: any) => [st.Principal.AWS].flat()).sort();
    };
    const jump = Template.fromStack(lz.jumpAccountStack!);
    expect(principals(jump, 'lz-elevated-grant-writer')).toEqual([WORKFLOW_ROLE, reconciler].sort());
    const writer = Object.values<any>(jump.findResources('AWS::IAM::Role')).find((r) => r.Properties.RoleName === 'lz-elevated-grant-writer');
    const statements = writer.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements.map((st: any) => [st.Sid, st.Action])).toEqual([
      ['WriteGrantsOnBoundedUsers', ['iam:PutUserPolicy', 'iam:DeleteUserPolicy']],
      ['ReadGrants', ['iam:ListUserPolicies', 'iam:GetUserPolicy']],
    ]);
    expect(principals(Template.fromStack(stackNamed(app, 'Lz-JumpElevated-shop-prod')), 'lz-elevated-revoker')).toEqual([WORKFLOW_ROLE, reconciler].sort());
    expect(() => app.synth()).not.toThrow();
  });

  test('without the reconciler\'s role the writer and the revokers warn that nothing sweeps what a stopped execution leaves', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });

    // WHEN
    lz.addJumpElevatedAccess(deployment({ reconcilerRoleArn: undefined }));

    // THEN
    expect(Annotations.fromStack(lz.jumpAccountStack!).findWarning('*', Match.stringLikeRegexp('cannot remove the grant policies'))).toHaveLength(1);
    expect(Annotations.fromStack(stackNamed(app, 'Lz-JumpElevated-shop-prod')).findWarning('*', Match.stringLikeRegexp('cannot remove the session denies'))).toHaveLength(1);
  });
});

describe('LandingZone.addJumpElevatedAccess under the rule pack', () => {
  test('the machine trusts of the grant writer, the group reader and the revokers are acknowledged (LZ-IAM1), nothing else', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    lz.addJumpElevatedAccess(deployment());
    app.synth();

    // WHEN
    const report = new LandingZoneChecks(app, { organization: exampleOrganization() }).validateScope(app);

    // THEN: no LZ-IAM1 (nor anything else) on the placement's roles
    const placed = report.violations.filter((v) => v.violatingResources.some((r) => /JumpElevatedAccess/.test(r.constructPath ?? '')));
    expect(placed.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('LandingZone.addJumpElevatedAccess under cdk-nag\'s packs', () => {
  test('what the placement creates has no open AwsSolutions, HIPAA Security or NIST 800-53 R5 finding', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    lz.addJumpElevatedAccess(deployment({ apiArns: [API, `arn:${Aws.PARTITION}:execute-api:us-east-1:${HOST}:*/prod/GET/jump`] }));
    app.synth();

    // WHEN
    const found = [new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app)]
      .flatMap((pack) => pack.validateScope(app).violations)
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))
      .filter((f) => /JumpElevatedAccess|ElevatedAccessApi/.test(f));

    // THEN
    expect(found).toEqual([]);
  });
});

describe('the jump users\' boundary flows one way: from the grant writer through the composition to the jump account', () => {
  test('a grant writer without jumpAccount touches no user; the jump account puts the boundary it is given on its own users only', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const jump = lz.jumpAccount!;
    const foreign = new iam.User(jump, 'NotAJumpUser'); // in the jump account's scope, but not one of its users

    // WHEN
    const writer = new JumpGrantWriter(lz.jumpAccountStack!, 'Writer', { workflowRoleArn: WORKFLOW_ROLE });
    const before = Object.values(Template.fromStack(lz.jumpAccountStack!).findResources('AWS::IAM::User')) as any[];
    jump.useUserPermissionsBoundary(writer.userBoundary);

    // THEN
    expect(before.filter((u) => u.Properties.PermissionsBoundary !== undefined)).toEqual([]);
    const boundaryRef = lz.jumpAccountStack!.resolve(writer.userBoundary.managedPolicyArn);
    expect(lz.jumpAccountStack!.resolve((jump.user('acme-alice').node.defaultChild as iam.CfnUser).permissionsBoundary)).toEqual(boundaryRef);
    expect(lz.jumpAccountStack!.resolve((jump.user('acme-ci').node.defaultChild as iam.CfnUser).permissionsBoundary)).toEqual(boundaryRef);
    expect((foreign.node.defaultChild as iam.CfnUser).permissionsBoundary).toBeUndefined();
    expect(jump.userPermissionsBoundary).toBe(writer.userBoundary);
  });

  test('refused: a second, different boundary for the same users; the same one twice is fine', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    const first = new JumpGrantWriter(lz.jumpAccountStack!, 'First', { workflowRoleArn: WORKFLOW_ROLE });
    lz.jumpAccount!.useUserPermissionsBoundary(first.userBoundary);

    // WHEN / THEN
    expect(() => lz.jumpAccount!.useUserPermissionsBoundary(first.userBoundary)).not.toThrow();
    const second = new iam.ManagedPolicy(lz.jumpAccountStack!, 'Other', { statements: [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: ['*'] })] });
    expect(() => lz.jumpAccount!.useUserPermissionsBoundary(second)).toThrow(/Lz\/JumpAccount\/JumpAccount: userPermissionsBoundary: the users have the boundary .*First\/UserBoundary already/);
  });

  test('deprecated: a grant writer given the jump account still gives its users the boundary (through the jump account\'s method)', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });

    // WHEN
    const writer = new JumpGrantWriter(lz.jumpAccountStack!, 'Writer', { jumpAccount: lz.jumpAccount!, workflowRoleArn: WORKFLOW_ROLE });

    // THEN
    expect(lz.jumpAccount!.userPermissionsBoundary).toBe(writer.userBoundary);
    const users = Object.values(Template.fromStack(lz.jumpAccountStack!).findResources('AWS::IAM::User')) as any[];
    expect(users.map((u) => u.Properties.PermissionsBoundary)).toEqual(users.map(() => ({ Ref: expect.stringMatching(/^WriterUserBoundary/) })));
  });

  test('created directly from the landing zone\'s context and handed its OUs, it deploys what addJumpElevatedAccess deploys; without a context it is refused', () => {
    // GIVEN
    const build = (direct: boolean) => {
      const app = new App();
      const lz = landingZone(app);
      lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
      if (!direct) {
        lz.addJumpElevatedAccess(deployment());
      } else {
        const access = new JumpElevatedAccess(lz, 'JumpElevatedAccess', { context: lz.jumpElevatedAccessContext, deployment: deployment() });
        lz.jumpAccount!.useUserPermissionsBoundary(access.grantWriter.userBoundary);
        for (const unit of lz.organizationalUnits) access.addOrganizationalUnit(unit);
      }
      const assembly = app.synth();
      return assembly.stacks.map((st) => [st.stackName, JSON.stringify(st.template), st.dependencies.map((d) => d.id).sort().join(',')]);
    };

    // WHEN
    const direct = build(true);

    // THEN
    expect(direct).toEqual(build(false));
    const app = new App();
    const lz = landingZone(app);
    expect(() => new JumpElevatedAccess(lz, 'None', { deployment: deployment() })).toThrow(/Lz\/None: context: no context is given: create it with LandingZone.addJumpElevatedAccess/);
    expect(() => new JumpElevatedAccess(lz, 'Both', { context: lz.jumpElevatedAccessContext, landingZone: lz, deployment: deployment() }))
      .toThrow(/Lz\/Both: landingZone: give context or the deprecated landingZone, not both/);
  });

  test('refused at synth: an OU never handed over leaves the elevated roles without a checked boundary', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });

    // WHEN: created from the context, the boundary handed to the jump users, but no OU handed over
    const access = new JumpElevatedAccess(lz, 'JumpElevatedAccess', { context: lz.jumpElevatedAccessContext, deployment: deployment() });
    lz.jumpAccount!.useUserPermissionsBoundary(access.grantWriter.userBoundary);

    // THEN
    expect(synthErrors(app)).toMatch(/boundary/);
    expect(synthErrors(app)).not.toContain('the jump users lack the grant writer\'s boundary');
  });

  test('refused at synth: jump elevated access created past the landing zone leaves the users without the boundary', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });

    // WHEN
    new JumpElevatedAccess(lz, 'Direct', { landingZone: lz, deployment: deployment() });

    // THEN
    expect(synthErrors(app)).toContain('landingZone: the jump users lack the grant writer\'s boundary');
  });
});
