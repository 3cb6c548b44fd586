import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Duration, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as sso from 'aws-cdk-lib/aws-sso';
import { findings, JUMP, OTHER } from './harness';
import { LandingZoneChecks } from '../../src/nag/pack';
import { PACK_PREFIX, RULES } from '../../src/nag/rule-texts';
import { Organization } from '../../src/organization';

const ORG = new Organization({
  rootId: 'r-ab12',
  managementAccount: { accountId: '000000000000', name: 'management' },
  jumpAccount: { accountId: JUMP, name: 'jump' },
  organizationalUnits: [{ path: 'Workloads', ouId: 'ou-ab12-11111111' }],
  accounts: [{ accountId: OTHER, name: 'app', organizationalUnit: 'Workloads' }],
});

/** One app that breaks every rule of the pack once. */
function everythingWrong(): App {
  const app = new App();
  const workload = new Stack(app, 'Workload', { env: { account: OTHER, region: 'eu-west-1' } });
  const user = new iam.User(workload, 'User');
  new iam.AccessKey(workload, 'Key', { user });
  new iam.Role(workload, 'Role', { assumedBy: new iam.AccountPrincipal(JUMP), maxSessionDuration: Duration.hours(12) });
  const management = new Stack(app, 'Management', { env: { account: '000000000000', region: 'eu-west-1' } });
  const ps = new sso.CfnPermissionSet(management, 'Admin', {
    instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
    name: 'Admin',
    managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
  });
  new sso.CfnAssignment(management, 'Standing', {
    instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
    permissionSetArn: ps.attrPermissionSetArn,
    principalId: '906745d1-3051-70a6-7f5e-2d8f0a1b2c3d',
    principalType: 'GROUP',
    targetId: OTHER,
    targetType: 'AWS_ACCOUNT',
  });
  new CfnResource(workload, 'BreakGlassMachine', { type: 'AWS::StepFunctions::StateMachine', properties: { DefinitionString: '{}', RoleArn: 'arn:aws:iam::111111111111:role/x' } })
    .addMetadata('cdk-iam-landing-zone:breakGlass', { rules: ['incident'], noticeTargets: [] });
  new CfnResource(workload, 'StandingAdmins', { type: 'AWS::IAM::Group', properties: { GroupName: 'admins' } })
    .addMetadata('cdk-iam-landing-zone:standingAdministrator', { roles: ['lz-admin'] });
  new organizations.CfnPolicy(management, 'Tags', { name: 'tags', type: 'TAG_POLICY', content: { tags: {} }, targetIds: ['r-ab12'] });
  return app;
}

function ruleOf(violation: string): string {
  return violation.replace(/\[.*$/, '');
}

describe('LandingZoneChecks', () => {
  test('has exactly these rules', () => {
    expect(LandingZoneChecks.RULE_IDS).toEqual([
      'LZ-IAM1', 'LZ-IAM2', 'LZ-IAM3', 'LZ-IAM4', 'LZ-IAM5', 'LZ-IAM6', 'LZ-IAM7', 'LZ-SSO1', 'LZ-SCP1', 'LZ-RCP1', 'LZ-EA1',
      'LZ-EA2',
    ]);
    expect(new LandingZoneChecks().ruleIds).toEqual(LandingZoneChecks.RULE_IDS);
  });

  test('every rule fires: an app breaking each rule once reports exactly the rule list', () => {
    // GIVEN
    const app = everythingWrong();
    // WHEN
    const ids = findings(app, { organization: ORG });
    // THEN
    expect([...new Set(ids.map(ruleOf))].sort()).toEqual([...LandingZoneChecks.RULE_IDS].sort());
  });

  test('RULES.md has one row per rule, with the same cause and explanation the pack reports', () => {
    // GIVEN
    const md = fs.readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8');
    // WHEN
    const rows = md.split('\n').filter((l) => /^\| LZ-/.test(l)).map((l) => l
      .slice(2, -2).split(/ (?<!\\)\| /).map((c) => c.replace(/\\\|/g, '|')));
    // THEN
    expect(rows).toEqual(Object.values(RULES).map((r) => [`${PACK_PREFIX}-${r.id}`, r.info, r.explanation]));
  });

  test('registered with Validations, it fails synth naming the rule and the construct path', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Workload', { env: { account: OTHER, region: 'eu-west-1' } });
    new iam.CfnAccessKey(stack, 'Key', { userName: 'someone' });
    // WHEN
    Validations.of(app).addPlugins(new LandingZoneChecks(app, { jumpAccountId: JUMP }));
    // THEN
    expect(() => app.synth()).toThrow(/Workload\/Key[\s\S]*LZ-IAM7/);
  });

  test('an acknowledged rule no longer fails synth', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Workload', { env: { account: OTHER, region: 'eu-west-1' } });
    const key = new iam.CfnAccessKey(stack, 'Key', { userName: 'someone' });
    Validations.of(app).addPlugins(new LandingZoneChecks(app, { jumpAccountId: JUMP }));
    // WHEN
    Validations.of(key).acknowledge({ id: 'LZ-IAM7', reason: 'break-glass key, stored offline and rotated by hand' });
    // THEN
    expect(() => app.synth()).not.toThrow();
  });

  test('registered with Validations, the app-wide LZ-SCP1 check fails synth too, and CDK\'s qualified id acknowledges', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Workload', { env: { account: OTHER, region: 'eu-west-1' } });
    new iam.Role(stack, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    Validations.of(app).addPlugins(new LandingZoneChecks(app, { organization: ORG }));
    // THEN
    expect(() => app.synth()).toThrow(/LZ-SCP1\[OU::ou-ab12-11111111\]/);
    // WHEN
    Validations.of(app).acknowledge({ id: 'LandingZoneChecks::LZ-SCP1[OU::ou-ab12-11111111]', reason: 'SCPs live in another app' });
    // THEN
    expect(() => app.synth({ force: true })).not.toThrow();
  });

  test('registered with Validations, it judges the templates CDK just wrote, nested stacks included, as validateScope does', () => {
    // GIVEN: every rule broken once, and an admin assignment whose permission set ARN reaches a nested stack as a parameter
    const build = () => {
      const app = everythingWrong();
      const management = app.node.findChild('Management') as Stack;
      const nested = new NestedStack(management, 'Assignments');
      new sso.CfnAssignment(nested, 'Nested', {
        instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
        permissionSetArn: (management.node.findChild('Admin') as sso.CfnPermissionSet).attrPermissionSetArn,
        principalId: '906745d1-3051-70a6-7f5e-2d8f0a1b2c3e',
        principalType: 'GROUP',
        targetId: OTHER,
        targetType: 'AWS_ACCOUNT',
      });
      return app;
    };
    const app = build();
    const pack = new LandingZoneChecks(app, { organization: ORG });
    const reported: string[] = [];
    const validate = pack.validate.bind(pack);
    pack.validate = (context) => {
      const report = validate(context);
      reported.push(...report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)));
      return report;
    };
    Validations.of(app).addPlugins(pack);
    // WHEN
    expect(() => app.synth()).toThrow(/LZ-SSO1/);
    // THEN
    const direct = build();
    direct.synth();
    const expected = new LandingZoneChecks(direct, { organization: ORG }).validateScope(direct).violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
    expect(reported.sort()).toEqual(expected.sort());
    expect(reported).toContain('LZ-SSO1[PermissionSet::Admin] Management/Assignments/Nested');
  });

  test('the templates handed to it are what it judges: an assignment of a permission set the template no longer makes admin passes', () => {
    // GIVEN: the synthesized Management template, with the permission set's AdministratorAccess taken out
    const app = everythingWrong();
    const assembly = app.synth();
    const artifact = assembly.getStackArtifact('Management');
    const template = JSON.parse(fs.readFileSync(artifact.templateFullPath, 'utf8'));
    template.Resources.Admin.Properties.ManagedPolicies = ['arn:aws:iam::aws:policy/ReadOnlyAccess'];
    const edited = path.join(fs.mkdtempSync(path.join(assembly.directory, 'edited-')), 'Management.template.json');
    fs.writeFileSync(edited, JSON.stringify(template));
    const stackTemplates = assembly.stacks.map((s) => ({
      stackConstructPath: s.hierarchicalId,
      templatePath: s.id === 'Management' ? edited : s.templateFullPath,
      accountId: s.environment.account,
      region: s.environment.region,
    }));
    // WHEN
    const context = { templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates, appConstruct: app };
    const report = new LandingZoneChecks(app).validate(context as any);
    // THEN
    const rules = report.violations.map((v) => ruleOf(v.ruleName));
    expect(rules).not.toContain('LZ-SSO1');
    expect(rules).toContain('LZ-IAM7');
  });

  test('verbose adds the explanation to the message', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Workload', { env: { account: JUMP, region: 'eu-west-1' } });
    new CfnResource(stack, 'Key', { type: 'AWS::IAM::AccessKey', properties: { UserName: 'someone' } });
    app.synth();
    // WHEN
    const report = new LandingZoneChecks(app, { verbose: true }).validateScope(app);
    // THEN
    expect(report.violations).toEqual([expect.objectContaining({
      ruleName: 'LZ-IAM7',
      severity: 'error',
      description: `${RULES.IAM7.info} ${RULES.IAM7.explanation}`,
    })]);
  });
});
