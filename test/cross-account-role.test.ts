import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountRole, CrossAccountRoleProps, JumpAccount, LandingZoneBoundary, PermissionLevel } from '../src';
import { targetRoleDeclarations } from '../src/private/target-role-declarations';

const JUMP = '111111111111';
const TARGET = '444444444401';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Target', { env: { account: TARGET, region: 'eu-west-1' } });
  const jump = JumpAccount.fromAccountId(stack, 'Jump', JUMP);
  return { app, stack, jump };
}

function make(props: Partial<CrossAccountRoleProps> = {}) {
  const { stack, jump } = setup();
  const role = new CrossAccountRole(stack, 'Role', { jumpAccount: jump, permissionLevel: PermissionLevel.power(), ...props });
  return {
    stack,
    role,
    jump,
    app: stack.node.root as App,
    // synthesizing freezes the tree: only on demand
    get template() {
      return Template.fromStack(stack);
    },
  };
}

describe('CrossAccountRole', () => {
  test('creates a role named by the level, trusting only jump-account users with MFA under their own name, for one hour', () => {
    // WHEN
    const { template, role } = make();

    // THEN
    expect(role.roleName).toBe('lz-power');
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'lz-power',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [{
          Sid: 'TrustJumpAccountUsers',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${JUMP}:root`]] } },
          Condition: {
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
            ArnLike: { 'aws:PrincipalArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${JUMP}:user/*`]] }] },
            StringEquals: { 'sts:RoleSessionName': '${aws:username}' },
          },
        }],
      },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/PowerUserAccess']] }],
      Tags: [{ Key: 'landing-zone:managed', Value: 'true' }],
    });
  });

  test('the trust policy never names `*` as a principal', () => {
    const { template } = make({ allowedPrincipalArns: [`arn:aws:iam::${JUMP}:user/*`] });
    const json = JSON.stringify(template.findResources('AWS::IAM::Role'));
    expect(json).not.toMatch(/"AWS":"\*"/);
    expect(json).not.toMatch(/"Principal":"\*"/);
  });

  test('attaches the landing zone boundary of the stack by default', () => {
    // WHEN
    const { stack, jump } = make();
    new CrossAccountRole(stack, 'ReadOnly', { jumpAccount: jump, permissionLevel: PermissionLevel.readOnly() });
    const t = Template.fromStack(stack);

    // THEN
    t.hasResourceProperties('AWS::IAM::Role', {
      PermissionsBoundary: { Ref: Match.stringLikeRegexp('^LandingZoneBoundaryPolicy') },
    });
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'lz-permissions-boundary' });
  });

  test('accepts a boundary deployed elsewhere', () => {
    const { stack, jump } = setup();
    new CrossAccountRole(stack, 'Role', {
      jumpAccount: jump,
      permissionLevel: PermissionLevel.readOnly(),
      permissionsBoundary: LandingZoneBoundary.fromAccount(stack, 'Boundary'),
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    t.hasResourceProperties('AWS::IAM::Role', {
      PermissionsBoundary: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':policy/lz-permissions-boundary']] },
    });
  });

  test('ssm() puts its policy inline', () => {
    const { template } = make({ permissionLevel: PermissionLevel.ssm() });
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'lz-ssm',
      Policies: [{ PolicyName: 'Ssm', PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Action: 'ssm:StartSession' })]) }) }],
    });
  });

  test('optional trust conditions: mfa age, source addresses, external id, source identity, session tags', () => {
    const { template } = make({
      maxMfaAge: Duration.hours(1),
      allowedSourceCidrs: ['203.0.113.0/24'],
      externalId: 'acme-4711',
      requireSourceIdentity: true,
      allowSessionTags: true,
      allowedPrincipalArns: [`arn:aws:iam::${JUMP}:user/alice`],
      maxSessionDuration: Duration.hours(4),
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 14400,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Sid: 'TrustJumpAccountUsers',
            Action: 'sts:AssumeRole',
            Condition: {
              Bool: { 'aws:MultiFactorAuthPresent': 'true' },
              NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
              IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] },
              StringEquals: { 'sts:ExternalId': 'acme-4711', 'sts:RoleSessionName': '${aws:username}', 'sts:SourceIdentity': '${aws:username}' },
              ArnLike: { 'aws:PrincipalArn': [`arn:aws:iam::${JUMP}:user/alice`] },
            },
          }),
          Match.objectLike({
            Sid: 'SetOwnSourceIdentity',
            Action: 'sts:SetSourceIdentity',
            Condition: {
              Bool: { 'aws:MultiFactorAuthPresent': 'true' },
              StringEquals: { 'sts:SourceIdentity': '${aws:username}' },
              ArnLike: { 'aws:PrincipalArn': [`arn:aws:iam::${JUMP}:user/alice`] },
            },
          }),
          Match.objectLike({
            Sid: 'TagSessions',
            Action: 'sts:TagSession',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, ArnLike: { 'aws:PrincipalArn': [`arn:aws:iam::${JUMP}:user/alice`] } },
          }),
        ],
      },
    });
  });

  test('exposes a switch-role link and grants assume-role', () => {
    const { role, stack } = make();
    expect(role.switchRoleUrl).toBe(`https://signin.aws.amazon.com/switchrole?roleName=lz-power&account=${TARGET}&displayName=lz-power`);
    const tool = new iam.Role(stack, 'Tool', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.grantAssumeRole(tool);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole' })] },
    });
  });

  test('warns when a session longer than 1 hour will be reached by role chaining', () => {
    const { stack } = make({ allowedPrincipalArns: [`arn:aws:iam::${JUMP}:role/ci-runner`], maxSessionDuration: Duration.hours(8), requireUserNameAsSessionName: false });
    Annotations.fromStack(stack).hasWarning('/Target/Role', Match.stringLikeRegexp('role chaining.*at most 1 hour'));
  });

  test('does not warn about role chaining for users, or for 1-hour sessions', () => {
    const users = make({ maxSessionDuration: Duration.hours(8) });
    const oneHour = make({ allowedPrincipalArns: [`arn:aws:iam::${JUMP}:role/ci-runner`], requireUserNameAsSessionName: false });
    expect(Annotations.fromStack(users.stack).findWarning('*', Match.stringLikeRegexp('role chaining'))).toHaveLength(0);
    expect(Annotations.fromStack(oneHour.stack).findWarning('*', Match.stringLikeRegexp('role chaining'))).toHaveLength(0);
  });

  test('warns when MFA is turned off, and then leaves the condition out', () => {
    const { stack, template } = make({ requireMfa: false });
    Annotations.fromStack(stack).hasWarning('/Target/Role', Match.stringLikeRegexp('without mfa'));
    expect(JSON.stringify(template.toJSON())).not.toMatch(/MultiFactorAuthPresent/);
  });

  test('warns when callers may choose their session name, and then leaves the condition out', () => {
    const { stack, template } = make({ requireUserNameAsSessionName: false });
    Annotations.fromStack(stack).hasWarning('/Target/Role', Match.stringLikeRegexp('choose their session name'));
    expect(JSON.stringify(template.toJSON())).not.toMatch(/RoleSessionName/);
  });

  test('source addresses hold the sessions too: the role\'s CIDRs for everyone, per-user CIDRs by session name', () => {
    const { template } = make({
      allowedSourceCidrs: ['203.0.113.0/24'],
      sessionSourceRestrictions: [{ userNames: ['alice', 'carol'], allowedSourceCidrs: ['198.51.100.0/24'] }],
    });
    const notVia = { BoolIfExists: { 'aws:ViaAWSService': 'false' } };
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: Match.arrayWith([{
        PolicyName: 'SourceAddresses',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'DenyOutsideRoleSourceAddresses', Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] }, ...notVia } },
            {
              Sid: 'DenyOutsideUserSourceAddresses0',
              Effect: 'Deny',
              Action: '*',
              Resource: '*',
              Condition: { NotIpAddress: { 'aws:SourceIp': ['198.51.100.0/24'] }, ...notVia, StringLike: { 'aws:userid': ['*:alice', '*:carol'] } },
            },
          ],
        },
      }]),
    });
  });

  test('without source limits the role gets no source-address policy', () => {
    const { template } = make();
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).not.toMatch(/SourceAddresses|aws:SourceIp/);
  });

  test('declares itself to its app, not to the jump account it trusts', () => {
    const calls: string[] = [];
    const app = new App();
    const stack = new Stack(app, 'T', { env: { account: TARGET } });
    const jump = JumpAccount.fromAccountId(stack, 'Jump', JUMP);
    jump.registerTargetRole = (account: string, name: string) => { calls.push(`${account}/${name}`); };
    new CrossAccountRole(stack, 'Role', { jumpAccount: jump, permissionLevel: PermissionLevel.admin() });
    expect(calls).toEqual([]);
    expect(targetRoleDeclarations(app)).toEqual([{ accountId: TARGET, roleName: 'lz-admin', jumpAccountId: JUMP, deployedBy: 'T/Role' }]);
  });

  describe('validation', () => {
    const fails = (props: Partial<CrossAccountRoleProps>, re: RegExp) => expect(() => make(props)).toThrow(re);

    test('fails when the role name has characters IAM refuses', () => {
      fails({ roleName: 'lz power' }, /Target\/Role: 1 problem:\n {2}- roleName: role name 'lz power' may contain only letters, digits and \+=,\.@_-/);
    });
    test('fails when the role name is longer than 64 characters', () => {
      fails({ roleName: 'r'.repeat(65) }, /roleName: role name 'r+' must be 1-64 characters, got 65/);
    });
    test('fails when the path is not a valid IAM path', () => {
      fails({ path: 'people' }, /path: path 'people' must start and end with '\/'/);
    });
    test('fails when path and role name are longer than 64 characters together', () => {
      fails({ path: '/landing/people/', roleName: 'r'.repeat(50) }, /path: path '\/landing\/people\/' and role name 'r+' are 66 characters together, more than the 64 the console switch-role page accepts/);
    });
    test('fails when the session is shorter than 1 hour or longer than 12', () => {
      fails({ maxSessionDuration: Duration.minutes(30) }, /maxSessionDuration: max session duration must be 1-12 hours \(3600-43200 seconds\), got 1800 seconds/);
      fails({ maxSessionDuration: Duration.hours(13) }, /got 46800 seconds/);
    });
    test('fails when maxMfaAge is out of range', () => {
      fails({ maxMfaAge: Duration.hours(37) }, /maxMfaAge: mfa age must be 1 second to 36 hours, got 133200 seconds/);
    });
    test('fails when maxMfaAge is set but MFA is not required', () => {
      fails({ maxMfaAge: Duration.hours(1), requireMfa: false }, /maxMfaAge: maxMfaAge needs requireMfa, which is false/);
    });
    test('fails when a source CIDR is invalid', () => {
      fails({ allowedSourceCidrs: ['203.0.113.0/24', '10.0.0.300/8'] }, /allowedSourceCidrs\[1\]: cidr '10\.0\.0\.300\/8' is not a valid IPv4 CIDR/);
    });
    test('fails when the source CIDR list is empty', () => {
      fails({ allowedSourceCidrs: [] }, /allowedSourceCidrs: an empty list would lock everyone out/);
    });
    test('fails when a session source restriction is empty or malformed', () => {
      fails({ sessionSourceRestrictions: [{ userNames: [], allowedSourceCidrs: ['203.0.113.0/24'] }] }, /sessionSourceRestrictions\[0\].userNames: a restriction needs at least one user name, got none/);
      fails({ sessionSourceRestrictions: [{ userNames: ['alice'], allowedSourceCidrs: [] }] }, /sessionSourceRestrictions\[0\].allowedSourceCidrs: an empty list would lock the users out/);
      fails({ sessionSourceRestrictions: [{ userNames: ['bad name'], allowedSourceCidrs: ['10.0.0.300/8'] }] },
        /sessionSourceRestrictions\[0\].userNames\[0\]: user name 'bad name'[\s\S]*sessionSourceRestrictions\[0\].allowedSourceCidrs\[0\]: cidr '10\.0\.0\.300\/8'/);
    });
    test('fails when per-user source limits meet session names the callers choose', () => {
      fails({ requireUserNameAsSessionName: false, sessionSourceRestrictions: [{ userNames: ['alice'], allowedSourceCidrs: ['203.0.113.0/24'] }] },
        /sessionSourceRestrictions\[0\]: users are recognised by their session name, which requireUserNameAsSessionName false lets them choose/);
    });
    test('fails when a role may assume it while the session must be named after a user', () => {
      fails({ allowedPrincipalArns: [`arn:aws:iam::${JUMP}:role/ci-runner`] },
        /allowedPrincipalArns\[0\]: 'arn:aws:iam::111111111111:role\/ci-runner' is a role, which has no user name to name its session after: set requireUserNameAsSessionName to false/);
    });
    test('fails when the external id is too short or has invalid characters', () => {
      fails({ externalId: 'x' }, /externalId: external id must be 2-1224 characters, got 1/);
      fails({ externalId: 'has space!' }, /externalId: external id 'has space!' may hold only letters, digits, '_' and \+=,\.@:\/-; remove " ", "!"/);
    });
    test('fails when an allowed principal is not a user or role ARN', () => {
      fails({ allowedPrincipalArns: ['*'] }, /allowedPrincipalArns\[0\]: '\*' must be the arn of a user or role/);
    });
    test('fails when an allowed principal is in another account than the jump account', () => {
      fails({ allowedPrincipalArns: ['arn:aws:iam::999999999999:user/mallory'] },
        /allowedPrincipalArns\[0\]: 'arn:aws:iam::999999999999:user\/mallory' is in account 999999999999, but the role trusts only the jump account 111111111111/);
    });
    test('fails when the allowed principals are empty or repeated', () => {
      fails({ allowedPrincipalArns: [] }, /allowedPrincipalArns: an empty list would trust nobody/);
      fails({ allowedPrincipalArns: [`arn:aws:iam::${JUMP}:user/a`, `arn:aws:iam::${JUMP}:user/a`] }, /allowedPrincipalArns: '.*user\/a' is listed more than once/);
    });
    test('fails when the managed policies quota is outside 1-20', () => {
      fails({ managedPoliciesQuota: 21 }, /managedPoliciesQuota: quota must be an integer of 1-20, got 21/);
    });
    test('fails when the role would have more managed policies than the quota', () => {
      const { stack } = setup();
      const extra = Array.from({ length: 10 }, (_, i) => iam.ManagedPolicy.fromAwsManagedPolicyName(`Extra${i}`));
      expect(() => new CrossAccountRole(stack, 'Role', {
        jumpAccount: JumpAccount.fromAccountId(stack, 'J2', JUMP), permissionLevel: PermissionLevel.power(), additionalManagedPolicies: extra,
      })).toThrow(/additionalManagedPolicies: the role would have 11 managed policies, more than the quota of 10/);
      expect(() => new CrossAccountRole(stack, 'Role2', {
        jumpAccount: JumpAccount.fromAccountId(stack, 'J3', JUMP), permissionLevel: PermissionLevel.power(), additionalManagedPolicies: extra, managedPoliciesQuota: 20,
      })).not.toThrow();
    });
    test('fails when the trust policy quota is outside 2048-4096', () => {
      fails({ trustPolicyQuota: 8192 }, /trustPolicyQuota: quota must be an integer of 2048-4096, got 8192/);
    });
    test('fails when the trust policy is longer than the quota', () => {
      const many = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::${JUMP}:user/vendor-user-with-a-long-name-${i}`);
      const { app } = make({ allowedPrincipalArns: many });
      expect(() => app.synth()).toThrow(/\[Target\/Role\] allowedPrincipalArns: trust policy is \d+ characters, more than the quota of 2048/);
    });
    test('fails when the inline policies are longer than 10,240 characters together', () => {
      // GIVEN a custom level whose inline document alone is too long (CDK splits later additions by itself)
      const big = new iam.PolicyDocument({
        statements: Array.from({ length: 120 }, (_, i) => new iam.PolicyStatement({
          actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-number-${i}-with-a-long-name/*`],
        })),
      });
      const { app } = make({ permissionLevel: PermissionLevel.custom({ name: 'Buckets', policyDocument: big }) });
      // THEN
      expect(() => app.synth())
        .toThrow(/\[Target\/Role\] permissionLevel: inline policies are \d+ characters together, more than the 10240 iam allows per role/);
    });
    test('fails when two roles of a stack have the same name (any case)', () => {
      const { stack, jump, app } = setup();
      new CrossAccountRole(stack, 'A', { jumpAccount: jump, permissionLevel: PermissionLevel.power() });
      new CrossAccountRole(stack, 'B', { jumpAccount: jump, permissionLevel: PermissionLevel.readOnly(), roleName: 'LZ-POWER' });
      expect(() => app.synth()).toThrow(/\[Target\/B\] role name 'LZ-POWER' is declared for account 444444444401 also by 'Target\/A', and iam names are unique per account: give this role a roleName no other role of account 444444444401 has/);
    });
    test('reports every problem at once', () => {
      fails({ roleName: 'bad name', maxSessionDuration: Duration.hours(24), externalId: 'x' },
        /Target\/Role: 3 problems:\n {2}- roleName: .*\n {2}- maxSessionDuration: .*\n {2}- externalId: /);
    });
  });
});
