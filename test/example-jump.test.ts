import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { simulate, TemplatePolicies, withMfa } from './helpers/iam-sim';
import { addJumpAccount } from '../examples/landing-zone/jump';
import { exampleOrganization } from '../examples/landing-zone/organization';

describe('example landing zone: jump account part', () => {
  const app = new App();
  const org = exampleOrganization();
  addJumpAccount(app, org);
  const stacks = app.node.children.filter((c): c is Stack => c instanceof Stack);
  const byName = (name: string) => stacks.find((s) => s.stackName === name)!;
  const template = (name: string) => Template.fromStack(byName(name));
  const roleNames = (name: string) => Object.values(template(name).findResources('AWS::IAM::Role'))
    .map((r: any) => r.Properties.RoleName).sort();

  test('synthesizes without errors: every role a group points at is deployed or declared', () => {
    expect(() => app.synth()).not.toThrow();
  });

  test('one jump stack and one target-role stack per member account a group reaches', () => {
    expect(stacks.map((s) => s.stackName).sort()).toEqual([
      'LzJumpAccount',
      'LzTargetRoles-data-dev', 'LzTargetRoles-data-prod', 'LzTargetRoles-payments-prod',
      'LzTargetRoles-sandbox-alice', 'LzTargetRoles-sandbox-bob',
      'LzTargetRoles-shared-network', 'LzTargetRoles-shop-dev', 'LzTargetRoles-shop-prod', 'LzTargetRoles-shop-test',
    ]);
    expect(byName('LzTargetRoles-shop-dev').account).toBe('444444444401');
    expect(byName('LzJumpAccount').account).toBe('111111111111');
  });

  test('each target account gets exactly the roles the groups point at', () => {
    expect(roleNames('LzTargetRoles-shop-dev')).toEqual(['lz-admin', 'lz-power', 'lz-read-only']);
    expect(roleNames('LzTargetRoles-payments-prod')).toEqual(['lz-admin', 'lz-read-only', 'lz-ssm']);
    expect(roleNames('LzTargetRoles-shared-network')).toEqual(['lz-admin', 'lz-read-only']);
    expect(roleNames('LzTargetRoles-sandbox-alice')).toEqual(['lz-power-and-iam']);
  });

  test('every target role is bounded and trusts only MFA-authenticated jump-account users', () => {
    for (const s of stacks.filter((x) => x.stackName.startsWith('LzTargetRoles-'))) {
      const roles = Object.values(Template.fromStack(s).findResources('AWS::IAM::Role')) as any[];
      for (const r of roles) {
        expect(r.Properties.PermissionsBoundary).toEqual({ Ref: expect.stringMatching(/^LandingZoneBoundaryPolicy/) });
        const [statement] = r.Properties.AssumeRolePolicyDocument.Statement;
        expect(statement.Principal.AWS['Fn::Join'][1][2]).toBe(':iam::111111111111:root');
        expect(statement.Condition.Bool).toEqual({ 'aws:MultiFactorAuthPresent': 'true' });
      }
      Template.fromStack(s).hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'lz-permissions-boundary' });
    }
    template('LzTargetRoles-shop-prod').hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'lz-admin',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: Match.objectLike({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }) })] },
    });
  });

  test('the jump account has the four groups, six users, five initial passwords and 26 switch-role links', () => {
    const t = template('LzJumpAccount');
    t.resourceCountIs('AWS::IAM::Group', 4);
    t.resourceCountIs('AWS::IAM::User', 6);
    t.resourceCountIs('AWS::SecretsManager::Secret', 5);
    t.hasResourceProperties('AWS::IAM::User', { UserName: 'acme-ci', LoginProfile: Match.absent() });
    // acme 3 + 3, globex 3 + 2, auditors 7 + 1, break-glass 7
    expect(Object.keys(t.findOutputs('*'))).toHaveLength(26);
  });

  test('(simulated) a globex user with MFA from its office reaches Session Manager in prod, and nothing more', async () => {
    // GIVEN
    const jumpPolicies = new TemplatePolicies(template('LzJumpAccount').toJSON(), { accountId: '111111111111' });
    const gary = jumpPolicies.forUser('globex-gary');
    const ask = async (stackName: string, account: string, role: string, ip = '198.51.100.20') => {
      const targetStack = byName(stackName);
      const trust = new TemplatePolicies(Template.fromStack(targetStack).toJSON(), { accountId: account })
        .forRole(role).trustPolicy;
      return simulate({ identityPolicies: gary.identityPolicies, resourcePolicy: trust },
        { principal: gary.arn, action: 'sts:AssumeRole', resource: `arn:aws:iam::${account}:role/${role}`, context: withMfa(60, { 'aws:SourceIp': ip }) });
    };

    // WHEN
    const ssm = await ask('LzTargetRoles-payments-prod', '555555555503', 'lz-ssm');
    const sandbox = await ask('LzTargetRoles-sandbox-bob', '333333333302', 'lz-power-and-iam');
    const admin = await ask('LzTargetRoles-payments-prod', '555555555503', 'lz-admin');
    const readOnly = await ask('LzTargetRoles-payments-prod', '555555555503', 'lz-read-only');
    const elsewhere = await ask('LzTargetRoles-payments-prod', '555555555503', 'lz-ssm', '192.0.2.1');

    // THEN
    expect(ssm.decision).toBe('Allowed');
    expect(sandbox.decision).toBe('Allowed');
    expect(admin.decision).toBe('ImplicitlyDenied');
    expect(readOnly.decision).toBe('ImplicitlyDenied');
    expect(elsewhere.decision).toBe('ExplicitlyDenied');
  });
});
