import * as fs from 'fs';
import * as path from 'path';
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { exampleOrganization } from '../examples/landing-zone/organization';
import {
  AccessPath, AccessReport, AccountSelection, Guardrail, IdentityCenterPrincipal, LandingZone, LandingZoneProps, Organization,
  OrganizationalUnitLandingZone, PermissionLevel, TargetRoleDeploymentMode, TrustedJumpAccount,
} from '../src';

function landingZone(app: App, overrides: Partial<LandingZoneProps> = {}): LandingZone {
  return new LandingZone(app, 'Lz', {
    organization: exampleOrganization(),
    jumpAccount: {
      groups: [{
        groupName: 'vendor-acme',
        targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [PermissionLevel.readOnly()] }],
      }],
      users: [{ userName: 'alice', groups: ['vendor-acme'] }],
    },
    ...overrides,
  });
}

describe('LandingZone', () => {
  test('deploys target roles to an OU with a service-managed, auto-deploying StackSet whose template holds the MFA-guarded role', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    // WHEN
    const prod = lz.addOrganizationalUnit('Workloads/Prod', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    // THEN
    const template = Template.fromStack(prod.stack!);
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ex01-prod0001'] }, Regions: ['us-east-1'] }],
    });
    const body = JSON.parse(template.findResources('AWS::CloudFormation::StackSet')[Object.keys(template.findResources('AWS::CloudFormation::StackSet'))[0]].Properties.TemplateBody);
    const roles = Object.values(body.Resources).filter((r: any) => r.Type === 'AWS::IAM::Role') as any[];
    expect(roles).toHaveLength(1);
    expect(roles[0].Properties.RoleName).toBe('lz-read-only');
    expect(roles[0].Properties.PermissionsBoundary).toBeDefined();
    const trust = JSON.stringify(roles[0].Properties.AssumeRolePolicyDocument);
    expect(trust).toContain('aws:MultiFactorAuthPresent');
    expect(trust).toContain('111111111111');
    expect(body.Parameters?.BootstrapVersion).toBeUndefined();
    // the jump account sees the roles of every account of the OU, so its synth check passes
    expect(() => app.synth()).not.toThrow();
  });

  test('the access report shows each jump-account role with the session and MFA age its OU declares', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    // WHEN
    lz.addOrganizationalUnit('Workloads/Prod', {
      targetRoles: [{ permissionLevel: PermissionLevel.readOnly(), maxSessionDuration: Duration.hours(4), maxMfaAge: Duration.minutes(15) }],
    });
    // THEN
    const rows = AccessReport.of(app).entries.filter((e) => e.path === AccessPath.JUMP_ACCOUNT_ROLE);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r).toMatchObject({ principal: 'vendor-acme', access: 'lz-read-only', maxSessionSeconds: 14_400, conditions: 'MFA sign-in at most 15 minutes old' });
    }
    expect(AccessReport.of(app).renderMarkdown()).toMatch(/\| 4 h \| MFA sign-in at most 15 minutes old \|/);
  });

  test('attaches the default root guardrails to the organization root from the management account', () => {
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads/Prod', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const template = Template.fromStack(lz.managementStack);
    expect(lz.managementStack.account).toBe('000000000000');
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['r-ex01'],
    });
    const content = JSON.stringify(template.findResources('AWS::Organizations::Policy'));
    expect(content).toContain('arn:*:iam::*:root');
    expect(content).toContain('organizations:LeaveOrganization');
    expect(content).toContain('iam:CreateUser');
  });

  test('per-account mode creates one stack per account of the OU, nested OUs included', () => {
    const app = new App();
    const lz = landingZone(app);
    const wl = lz.addOrganizationalUnit('Workloads', {
      targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }],
      deploymentMode: TargetRoleDeploymentMode.PER_ACCOUNT_STACKS,
    });
    expect(wl.accountStacks.map((s) => s.account).sort()).toEqual(
      ['444444444401', '444444444402', '444444444403', '555555555501', '555555555502', '555555555503', '777777777701']);
    Template.fromStack(wl.accountStacks[0]).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'lz-read-only',
      PermissionsBoundary: Match.anyValue(),
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('target roles receive the jump account\'s source limits of the users who reach them, per account or per OU', () => {
    // GIVEN a vendor group held to its office, reaching the prod read-only role
    const app = new App();
    const lz = landingZone(app, {
      jumpAccount: {
        groups: [{
          groupName: 'vendor-acme',
          allowedSourceCidrs: ['203.0.113.0/24'],
          targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [PermissionLevel.readOnly(), PermissionLevel.power()] }],
        }],
        users: [{ userName: 'alice', groups: ['vendor-acme'] }],
      },
    });
    // WHEN
    const prod = lz.addOrganizationalUnit('Workloads/Prod', {
      targetRoles: [
        { permissionLevel: PermissionLevel.readOnly() },
        { permissionLevel: PermissionLevel.power(), requireUserNameAsSessionName: false },
      ],
    });
    const nonProd = lz.addOrganizationalUnit('Workloads/NonProd', {
      targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }],
      deploymentMode: TargetRoleDeploymentMode.PER_ACCOUNT_STACKS,
    });
    // THEN the StackSet's read-only role denies alice's sessions from elsewhere; the opted-out role has no such deny
    const sets = Template.fromStack(prod.stack!).findResources('AWS::CloudFormation::StackSet');
    const body = JSON.parse((Object.values(sets)[0] as any).Properties.TemplateBody);
    const roles = Object.values(body.Resources).filter((r: any) => r.Type === 'AWS::IAM::Role') as any[];
    const readOnly = roles.find((r) => r.Properties.RoleName === 'lz-read-only');
    expect(readOnly.Properties.Policies).toEqual([expect.objectContaining({
      PolicyName: 'SourceAddresses',
      PolicyDocument: expect.objectContaining({
        Statement: [expect.objectContaining({
          Condition: expect.objectContaining({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] }, StringLike: { 'aws:userid': ['*:alice'] } }),
        })],
      }),
    })]);
    const power = roles.find((r) => r.Properties.RoleName === 'lz-power');
    expect(power.Properties.Policies).toBeUndefined();
    expect(JSON.stringify(power.Properties.AssumeRolePolicyDocument)).not.toContain('RoleSessionName');
    // the non-prod accounts are not reached by the vendor: no deny there
    for (const stack of nonProd.accountStacks) {
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('aws:userid');
    }
    expect(() => app.synth()).not.toThrow();
  });

  test('an OU without target roles still receives the boundary, which the catalog then knows exists there', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app, { identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' } });
    lz.addOrganizationalUnit('Workloads/Prod', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const readOnly = lz.permissionSetCatalog!.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
    // WHEN
    const sandbox = lz.addOrganizationalUnit('Sandbox', {
      assignments: [{ principal: IdentityCenterPrincipal.group('a1b2c3d4-1111-2222-3333-444455556666'), permissionSet: readOnly }],
    });
    // THEN
    const stackSets = Template.fromStack(sandbox.stack!).findResources('AWS::CloudFormation::StackSet');
    const body = JSON.parse(Object.values(stackSets)[0].Properties.TemplateBody);
    const types = Object.values(body.Resources).map((r: any) => r.Type);
    expect(types).toEqual(['AWS::IAM::ManagedPolicy']);
    expect((Object.values(body.Resources)[0] as any).Properties.ManagedPolicyName).toBe('lz-permissions-boundary');
    expect(() => app.synth()).not.toThrow();
  });

  test('fails when a permission set with the landing zone boundary is assigned where no baseline deploys the boundary', () => {
    const app = new App();
    const lz = landingZone(app, { identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' } });
    lz.addOrganizationalUnit('Workloads/Prod', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const readOnly = lz.permissionSetCatalog!.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
    lz.addOrganizationalUnit('Sandbox', {
      deployBaseline: false,
      assignments: [{ principal: IdentityCenterPrincipal.group('a1b2c3d4-1111-2222-3333-444455556666'), permissionSet: readOnly }],
    });
    expect(() => app.synth()).toThrow(/customer-managed policy '\/lz-permissions-boundary', which is missing in sandbox-alice/);
  });

  test('attaches OU guardrails to the OU', () => {
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads/Prod', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const sandbox = lz.addOrganizationalUnit('Sandbox', { guardrails: [Guardrail.restrictRegions({ allowedRegions: ['eu-west-1'] })] });
    Template.fromStack(sandbox.stack!).hasResourceProperties('AWS::Organizations::Policy', { TargetIds: ['ou-ex01-sandbox1'] });
  });

  test('fails when a jump group points at an OU whose accounts get no such role', () => {
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads/NonProd', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    expect(() => app.synth()).toThrow(/lz-read-only/);
  });

  test('fails when an OU and its ancestor both deploy a baseline', () => {
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    lz.addOrganizationalUnit('Workloads/Prod', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    expect(() => app.synth()).toThrow(/ou 'Workloads\/Prod' and its ancestor 'Workloads' both deploy a baseline/);
  });

  test('fails when target roles would reach the jump account, or an OU is added twice', () => {
    const app = new App();
    const lz = landingZone(app);
    expect(() => lz.addOrganizationalUnit('Security', { targetRoles: [{ permissionLevel: PermissionLevel.admin() }] }))
      .toThrow(/targetRoles: ou 'Security' holds the jump account 111111111111/);
    expect(() => landingZone(new App()).addOrganizationalUnit('Security', { guardrails: [Guardrail.denyLeavingOrganization()] }))
      .not.toThrow();
    lz.addOrganizationalUnit('Sandbox');
    expect(() => lz.addOrganizationalUnit('Sandbox')).toThrow(/ou 'Sandbox' is added twice/);
  });

  test('fails when options need parts the landing zone lacks', () => {
    const app = new App();
    expect(() => new LandingZone(app, 'Bad', { organization: exampleOrganization(), region: 'mars', stackNamePrefix: '1x' }))
      .toThrow(/region: region 'mars'[\s\S]*stackNamePrefix: prefix '1x'/);
    const lz = new LandingZone(new App(), 'NoJump', { organization: exampleOrganization() });
    expect(() => lz.addOrganizationalUnit('Sandbox', { targetRoles: [{ permissionLevel: PermissionLevel.power() }] }))
      .toThrow(/targetRoles: target roles trust the jump account, but the landing zone has no jumpAccount options/);
  });

  test('a 1,000-account organization synthesizes with every stack, nested ones included, under 450 resources', () => {
    // GIVEN 1,000 accounts in 20 business-unit OUs with two environments each
    const ous = [{ path: 'Security', ouId: 'ou-be01-security' }, { path: 'Workloads', ouId: 'ou-be01-workload' }];
    for (let b = 0; b < 20; b++) {
      ous.push({ path: `Workloads/BU${b}`, ouId: `ou-be01-b${String(b).padStart(7, '0')}` });
      ['Prod', 'NonProd'].forEach((e, k) => ous.push({ path: `Workloads/BU${b}/${e}`, ouId: `ou-be01-${k}${String(b).padStart(7, '0')}` }));
    }
    const organization = new Organization({
      rootId: 'r-be01',
      managementAccount: { accountId: '000000000000', name: 'management' },
      jumpAccount: { accountId: '111111111111', name: 'jump', organizationalUnit: 'Security' },
      organizationalUnits: ous,
      accounts: Array.from({ length: 1000 }, (_, i) => ({
        accountId: String(100_000_000_000 + i * 7919), name: `acct-${i}`, organizationalUnit: `Workloads/BU${i % 20}/${i % 2 ? 'Prod' : 'NonProd'}`,
      })),
    });
    const app = new App();
    const big = new LandingZone(app, 'Big', {
      organization,
      jumpAccount: {
        groups: [{ groupName: 'auditors', targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads']), permissionLevels: [PermissionLevel.readOnly()] }] }],
        switchRoleOutputs: false, // 1,000 links would pass CloudFormation's 200 outputs
      },
      identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', assignmentShards: 40 },
    });
    const sets = [PermissionLevel.power(), PermissionLevel.readOnly(), PermissionLevel.ssm()]
      .map((l) => big.permissionSetCatalog!.addPermissionSet(l.name, { permissionLevel: l }));
    for (let b = 0; b < 20; b++) big.addOrganizationalUnit(`Workloads/BU${b}`, { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    sets.forEach((ps, i) => big.permissionSetCatalog!.assign({
      principal: IdentityCenterPrincipal.group(`906720aa1c-5d1e3b2f-0000-0000-0000-00000000000${i}`),
      permissionSet: ps,
      accounts: AccountSelection.organizationalUnits(['Workloads']),
    }));
    // WHEN
    const assembly = app.synth();
    // THEN 3,000 assignments, every template (top-level and nested) within the safe limit
    expect(big.permissionSetCatalog!.assignmentCount).toBe(3000);
    const templates = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.template.json') || f.endsWith('.nested.template.json'));
    expect(templates.length).toBeGreaterThan(20);
    for (const f of templates) {
      const resources = Object.keys(JSON.parse(fs.readFileSync(path.join(assembly.directory, f), 'utf8')).Resources ?? {}).length;
      expect({ f, under: resources <= 450 }).toEqual({ f, under: true });
    }
  });
});

describe('OrganizationalUnitContext', () => {
  const withCidrs = (app: App) => landingZone(app, {
    jumpAccount: {
      groups: [{
        groupName: 'vendor-acme',
        targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [PermissionLevel.readOnly()] }],
      }],
      users: [{ userName: 'alice', groups: ['vendor-acme'] }],
      allowedSourceCidrs: ['203.0.113.0/24'],
    },
  });
  const roles = { organizationalUnit: 'Workloads/Prod', targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] };
  const baseline = (unit: OrganizationalUnitLandingZone) => {
    const set = unit.stackSet!;
    return [set.stackSetName, set.stackInstancesGroup, set.templateBody];
  };

  test('an OU created with the landing zone\'s context deploys what addOrganizationalUnit deploys, the jump users\' source addresses included', () => {
    // GIVEN
    const added = withCidrs(new App()).addOrganizationalUnit('Workloads/Prod', { targetRoles: roles.targetRoles });
    const lz = withCidrs(new App());

    // WHEN
    const direct = new OrganizationalUnitLandingZone(lz, 'Direct', { ...roles, context: lz.organizationalUnitContext });

    // THEN
    expect(baseline(direct)).toEqual(baseline(added));
    expect(direct.stackSet!.templateBody).toContain('203.0.113.0/24');
    expect(lz.organizationalUnitContext.trustedJumpAccount!.accountId).toBe(lz.jumpAccount!.accountId);
  });

  test('an OU created with the deprecated landingZone prop reads the same context', () => {
    // GIVEN
    const added = withCidrs(new App()).addOrganizationalUnit('Workloads/Prod', { targetRoles: roles.targetRoles });
    const lz = withCidrs(new App());

    // WHEN
    const direct = new OrganizationalUnitLandingZone(lz, 'Direct', { ...roles, landingZone: lz });

    // THEN
    expect(baseline(direct)).toEqual(baseline(added));
  });

  test('refuses an OU given neither context nor landingZone, or both', () => {
    // GIVEN
    const lz = withCidrs(new App());

    // THEN
    expect(() => new OrganizationalUnitLandingZone(lz, 'None', roles))
      .toThrow('Lz/None: context: no context is given: add the OU with LandingZone.addOrganizationalUnit, or give context: landingZone.organizationalUnitContext');
    expect(() => new OrganizationalUnitLandingZone(lz, 'Both', { ...roles, landingZone: lz, context: lz.organizationalUnitContext }))
      .toThrow('Lz/Both: context: both context and landingZone are given: give context only (landingZone is deprecated)');
  });

  test('a context without a trusted jump account refuses target roles; a jump account known by id is trusted without source addresses', () => {
    // GIVEN
    const lz = new LandingZone(new App(), 'Lz', { organization: exampleOrganization() });
    const context = lz.organizationalUnitContext;

    // THEN
    expect(context.trustedJumpAccount).toBeUndefined();
    expect(() => new OrganizationalUnitLandingZone(lz, 'NoJump', { ...roles, context })).toThrow(/targetRoles/);
    const byId = new OrganizationalUnitLandingZone(lz, 'ById', { ...roles, context: { ...context, trustedJumpAccount: TrustedJumpAccount.fromAccountId('111111111111') } });
    expect(byId.stackSet!.templateBody).toContain(':iam::111111111111:root');
    expect(byId.stackSet!.templateBody).not.toContain('SourceAddresses');
  });
});
