import { App, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApplyPermissionsBoundary } from '../../src/aspects/apply-permissions-boundary';
import { simulate, TemplatePolicies } from '../helpers/iam-sim';

const ACCOUNT = '444444444401';
const LZ_BOUNDARY_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:policy/lz-permissions-boundary`]] };

function stack(): Stack {
  return new Stack(new App(), 'Workload', { env: { account: ACCOUNT, region: 'eu-west-1' } });
}

describe('ApplyPermissionsBoundary', () => {
  test('attaches the landing zone boundary to roles from L2, L1 and raw CfnResource', () => {
    // GIVEN
    const s = stack();
    new iam.Role(s, 'L2', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new iam.CfnRole(s, 'L1', { assumeRolePolicyDocument: { Statement: [] } });
    new CfnResource(s, 'Raw', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: { Statement: [] } } });
    // WHEN
    Aspects.of(s).add(new ApplyPermissionsBoundary());
    // THEN
    const roles = Template.fromStack(s).findResources('AWS::IAM::Role');
    expect(Object.keys(roles)).toHaveLength(3);
    for (const role of Object.values(roles)) {
      expect(role.Properties.PermissionsBoundary).toEqual(LZ_BOUNDARY_ARN);
    }
  });

  test('keeps a boundary a role already has, set by property or by override', () => {
    // GIVEN
    const s = stack();
    const own = iam.ManagedPolicy.fromManagedPolicyName(s, 'Own', 'team-boundary');
    new iam.Role(s, 'Bounded', { assumedBy: new iam.AccountRootPrincipal(), permissionsBoundary: own });
    const raw = new CfnResource(s, 'Raw', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: { Statement: [] } } });
    raw.addPropertyOverride('PermissionsBoundary', 'arn:aws:iam::444444444401:policy/override-boundary');
    // WHEN
    Aspects.of(s).add(new ApplyPermissionsBoundary());
    // THEN
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::IAM::Role', {
      PermissionsBoundary: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:policy/team-boundary`]] },
    });
    t.hasResourceProperties('AWS::IAM::Role', { PermissionsBoundary: 'arn:aws:iam::444444444401:policy/override-boundary' });
    t.resourcePropertiesCountIs('AWS::IAM::Role', { PermissionsBoundary: LZ_BOUNDARY_ARN }, 0);
  });

  test('leaves users alone unless includeUsers is set, and uses a given boundary', () => {
    // GIVEN
    const s = stack();
    new iam.User(s, 'User');
    // WHEN
    Aspects.of(s).add(new ApplyPermissionsBoundary());
    const other = stack();
    new iam.User(other, 'User');
    const otherBoundary = new iam.ManagedPolicy(other, 'Boundary', { statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] });
    Aspects.of(other).add(new ApplyPermissionsBoundary({ boundary: otherBoundary, includeUsers: true }));
    // THEN
    Template.fromStack(s).hasResourceProperties('AWS::IAM::User', { PermissionsBoundary: Match.absent() });
    Template.fromStack(other).hasResourceProperties('AWS::IAM::User', {
      PermissionsBoundary: { Ref: Match.stringLikeRegexp('^Boundary') },
    });
  });

  // The aspect changes what a role can do: a role of a third-party construct with AdministratorAccess may create
  // IAM users before the aspect runs and may not after it (the boundary does not allow iam:CreateUser).
  test('semantics: a role the library did not create loses what the boundary does not allow', async () => {
    const build = (withAspect: boolean) => {
      const s = stack();
      const boundary = new iam.ManagedPolicy(s, 'Boundary', {
        managedPolicyName: 'test-boundary',
        statements: [
          new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }),
          new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['iam:CreateUser', 'iam:CreateAccessKey'], resources: ['*'] }),
        ],
      });
      new iam.Role(s, 'ThirdParty', {
        roleName: 'third-party',
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
      });
      if (withAspect) Aspects.of(s).add(new ApplyPermissionsBoundary({ boundary }));
      const role = new TemplatePolicies(Template.fromStack(s).toJSON(), { accountId: ACCOUNT }).forRole('third-party');
      return simulate({ identityPolicies: role.identityPolicies, boundary: role.boundary },
        { principal: role.arn, action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/backdoor` });
    };
    expect((await build(false)).allowed).toBe(true);
    expect((await build(true)).decision).toBe('ExplicitlyDenied');
  });
});
