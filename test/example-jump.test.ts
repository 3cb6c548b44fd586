import { Match, Template } from 'aws-cdk-lib/assertions';
import { exampleLandingZone } from './helpers/example';
import { simulate, TemplatePolicies, withMfa } from './helpers/iam-sim';

describe('example landing zone: jump account and target roles', () => {
  const ex = exampleLandingZone();
  const rolesOf = (body: any) => Object.values(body.Resources).filter((r: any) => r.Type === 'AWS::IAM::Role') as any[];
  const roleNames = (stackName: string) => rolesOf(ex.stackSetBody(stackName)).map((r) => r.Properties.RoleName).sort();

  test('synthesizes without errors: every role a group points at is deployed or declared', () => {
    expect(() => ex.app.synth()).not.toThrow();
  });

  test('the jump-account stack is in the jump account, the baselines in the management account', () => {
    expect(ex.stack('Lz-JumpAccount').account).toBe('111111111111');
    for (const name of ['Lz-Ou-Workloads', 'Lz-Ou-Sandbox', 'Lz-Ou-Security']) expect(ex.stack(name).account).toBe('000000000000');
  });

  test('each OU baseline deploys the boundary and the OU\'s roles to every account, including later ones', () => {
    expect(roleNames('Lz-Ou-Workloads')).toEqual(['lz-admin', 'lz-power', 'lz-read-only', 'lz-ssm']);
    expect(roleNames('Lz-Ou-Sandbox')).toEqual(['lz-power-and-iam', 'lz-read-only']);
    expect(roleNames('Lz-Ou-Security')).toEqual([]);
    for (const name of ['Lz-Ou-Workloads', 'Lz-Ou-Sandbox', 'Lz-Ou-Security']) {
      ex.template(name).hasResourceProperties('AWS::CloudFormation::StackSet', {
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      });
      const policies = Object.values(ex.stackSetBody(name).Resources).filter((r: any) => r.Type === 'AWS::IAM::ManagedPolicy') as any[];
      expect(policies.map((p) => p.Properties.ManagedPolicyName)).toEqual(['lz-permissions-boundary']);
    }
  });

  test('every target role is bounded and trusts only MFA-authenticated jump-account users', () => {
    for (const name of ['Lz-Ou-Workloads', 'Lz-Ou-Sandbox']) {
      for (const r of rolesOf(ex.stackSetBody(name))) {
        expect(r.Properties.PermissionsBoundary).toEqual({ Ref: expect.stringMatching(/^LandingZoneBoundaryPolicy/) });
        const [statement] = r.Properties.AssumeRolePolicyDocument.Statement;
        expect(statement.Principal.AWS['Fn::Join'][1][2]).toBe(':iam::111111111111:root');
        expect(statement.Condition.Bool).toEqual({ 'aws:MultiFactorAuthPresent': 'true' });
      }
    }
    const admin = rolesOf(ex.stackSetBody('Lz-Ou-Workloads')).find((r) => r.Properties.RoleName === 'lz-admin');
    expect(admin.Properties.AssumeRolePolicyDocument.Statement[0].Condition.NumericLessThan).toEqual({ 'aws:MultiFactorAuthAge': '3600' });
  });

  test('the jump account has the four groups, six users, five initial passwords and 29 switch-role links', () => {
    const t = ex.template('Lz-JumpAccount');
    t.resourceCountIs('AWS::IAM::Group', 5); // and the group every user is in
    t.resourceCountIs('AWS::IAM::User', 6);
    t.resourceCountIs('AWS::SecretsManager::Secret', 5);
    t.hasResourceProperties('AWS::IAM::User', { UserName: 'acme-ci', LoginProfile: Match.absent() });
    // acme 3 + 3 + 1 (retail's pos-prod), globex 3 + 2, auditors 7 + 2 (retail's Workloads) + 1, break-glass 7
    expect(Object.keys(t.findOutputs('*'))).toHaveLength(29);
  });

  test('(simulated) a globex user with MFA from its office reaches Session Manager in prod, and nothing more', async () => {
    // GIVEN
    const gary = new TemplatePolicies(ex.template('Lz-JumpAccount').toJSON(), { accountId: '111111111111' }).forUser('globex-gary');
    const ask = async (ouStack: string, account: string, role: string, ip = '198.51.100.20') => {
      const trust = new TemplatePolicies(Template.fromJSON(ex.stackSetBody(ouStack)).toJSON(), { accountId: account })
        .forRole(role).trustPolicy;
      return simulate({ identityPolicies: gary.identityPolicies, resourcePolicy: trust },
        { principal: gary.arn, action: 'sts:AssumeRole', resource: `arn:aws:iam::${account}:role/${role}`, context: withMfa(60, { 'aws:SourceIp': ip, 'sts:RoleSessionName': 'globex-gary' }) });
    };
    // WHEN
    const ssm = await ask('Lz-Ou-Workloads', '555555555503', 'lz-ssm');
    const sandbox = await ask('Lz-Ou-Sandbox', '333333333302', 'lz-power-and-iam');
    const admin = await ask('Lz-Ou-Workloads', '555555555503', 'lz-admin');
    const readOnly = await ask('Lz-Ou-Workloads', '555555555503', 'lz-read-only');
    const nonProd = await ask('Lz-Ou-Workloads', '444444444401', 'lz-ssm');
    const elsewhere = await ask('Lz-Ou-Workloads', '555555555503', 'lz-ssm', '192.0.2.1');
    // THEN
    expect(ssm.decision).toBe('Allowed');
    expect(sandbox.decision).toBe('Allowed');
    expect(admin.decision).toBe('ImplicitlyDenied');
    expect(readOnly.decision).toBe('ImplicitlyDenied');
    expect(nonProd.decision).toBe('ImplicitlyDenied'); // the role exists in non-prod, but globex is not given it there
    expect(elsewhere.decision).toBe('ExplicitlyDenied');
  });
});
