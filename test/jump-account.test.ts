import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { exampleOrganization } from '../examples/landing-zone/organization';
import { AccountSelection, CrossAccountRole, JumpAccount, JumpAccountProps, JumpGroup, Organization, PermissionLevel } from '../src';
import { ACQUIRED, buildJumpFixture, JUMP, OUTSIDER } from './helpers/jump-fixture';

const arn = (account: string, role: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/${role}`]] });

function jumpOnly(props: Partial<JumpAccountProps> = {}, account = JUMP) {
  const app = new App();
  const stack = new Stack(app, 'Jump', { env: { account, region: 'eu-west-1' } });
  const jump = new JumpAccount(stack, 'JumpAccount', {
    organization: exampleOrganization(),
    groups: [{ groupName: 'auditors', targets: [{ accounts: AccountSelection.accounts(['shop-dev']), permissionLevels: [PermissionLevel.readOnly()] }] }],
    // the synth-time role check is exercised separately
    externallyManagedRoles: [{ accounts: AccountSelection.allMemberAccounts(), externalAccountIds: [ACQUIRED, OUTSIDER], roleNames: ['lz-read-only', 'lz-power', 'lz-admin'] }],
    ...props,
  });
  return { app, stack, jump };
}

describe('JumpAccount', () => {
  describe('template', () => {
    const fx = buildJumpFixture();
    const t = Template.fromStack(fx.jumpStack);

    test('creates one IAM group per group, with a managed policy allowing AssumeRole on exactly its roles, with MFA', () => {
      // and the group every user is in
      t.resourceCountIs('AWS::IAM::Group', 3);
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [{
            Sid: 'AssumeGroupRolesWithMfa',
            Effect: 'Allow',
            Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
            Resource: [
              arn('444444444401', 'lz-power'), arn('444444444402', 'lz-power'), arn('444444444403', 'lz-power'),
              arn('555555555501', 'lz-read-only'), arn('555555555502', 'lz-read-only'), arn('555555555503', 'lz-read-only'),
            ],
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          }],
          Version: '2012-10-17',
        },
      });
    });

    test('reaches accounts of other organizations only when declared (external account in the model)', () => {
      const policies = t.findResources('AWS::IAM::ManagedPolicy');
      const auditors = Object.values(policies).find((p: any) => /auditors/.test(p.Properties.Description)) as any;
      expect(JSON.stringify(auditors.Properties.PolicyDocument)).toContain(`:iam::${ACQUIRED}:role/lz-read-only`);
      expect(JSON.stringify(policies)).not.toContain(OUTSIDER);
    });

    test('restricts a group to its source addresses, except calls made by AWS services', () => {
      t.hasResourceProperties('AWS::IAM::Group', {
        GroupName: 'vendor-acme',
        ManagedPolicyArns: Match.arrayWith([{ Ref: Match.stringLikeRegexp('SourceIpvendoracme') }]),
      });
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [{
            Sid: 'DenyOutsideGroupSourceAddresses',
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] }, BoolIfExists: { 'aws:ViaAWSService': 'false' } },
          }],
        },
      });
    });

    test('console users get a generated initial password that must be changed; programmatic users no password', () => {
      t.hasResourceProperties('AWS::IAM::User', {
        UserName: 'alice',
        LoginProfile: { PasswordResetRequired: true, Password: Match.anyValue() },
        ManagedPolicyArns: Match.absent(),
        Groups: [{ Ref: Match.stringLikeRegexp('EveryUser') }, { Ref: Match.stringLikeRegexp('Groupvendoracme') }],
      });
      t.hasResourceProperties('AWS::IAM::User', { UserName: 'robot', LoginProfile: Match.absent() });
      t.resourceCountIs('AWS::SecretsManager::Secret', 3);
      t.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({
          SecretStringTemplate: '{"userName":"alice"}',
          GenerateStringKey: 'password',
          PasswordLength: 32,
          RequireEachIncludedType: true,
        }),
      });
      t.resourceCountIs('AWS::IAM::AccessKey', 0);
      expect(fx.jump.initialPasswordSecret('robot')).toBeUndefined();
      expect(fx.jump.initialPasswordSecret('alice')).toBeDefined();
    });

    test('every user gets the manage-own-credentials policy that denies everything else without MFA', () => {
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Sid: 'DenyAllExceptMfaSetupWithoutMfa',
            Effect: 'Deny',
            NotAction: Match.arrayWith(['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ChangePassword']),
            Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
          })]),
        },
      });
      const users = Object.values(t.findResources('AWS::IAM::User'));
      expect(users).toHaveLength(4);
      // through the group every user is in: no policy is attached to a user directly
      for (const u of users as any[]) expect(u.Properties.Groups[0]).toEqual({ Ref: expect.stringMatching(/EveryUser/) });
      t.hasResourceProperties('AWS::IAM::Group', { ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('SelfServicePolicy') }] });
      expect(users.filter((u: any) => u.Properties.ManagedPolicyArns || u.Properties.Policies)).toEqual([]);
    });

    test('sets the account password policy with strict defaults, and deletes it on removal', () => {
      t.hasResourceProperties('Custom::AWS', {
        Create: Match.serializedJson({
          service: 'IAM',
          action: 'updateAccountPasswordPolicy',
          parameters: {
            MinimumPasswordLength: 14,
            RequireSymbols: true,
            RequireNumbers: true,
            RequireUppercaseCharacters: true,
            RequireLowercaseCharacters: true,
            AllowUsersToChangePassword: true,
            MaxPasswordAge: 90,
            PasswordReusePrevention: 24,
            HardExpiry: false,
          },
          physicalResourceId: { id: `account-password-policy-${JUMP}` },
        }),
        Delete: Match.serializedJson({ service: 'IAM', action: 'deleteAccountPasswordPolicy' }),
      });
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: ['iam:UpdateAccountPasswordPolicy', 'iam:DeleteAccountPasswordPolicy'], Effect: 'Allow', Resource: '*' }] },
      });
    });

    test('outputs a switch-role link for every group x account x role', () => {
      const outputs = t.findOutputs('*');
      // vendor-acme: 3 nonprod + 3 prod; auditors: 7 workloads + 1 external
      expect(Object.keys(outputs)).toHaveLength(14);
      expect(Object.values(outputs).map((o: any) => o.Value)).toContain(
        'https://signin.aws.amazon.com/switchrole?roleName=lz-read-only&account=888888888801&displayName=acquired-co-prod%2Flz-read-only');
      expect(fx.jump.switchRoleLinks).toHaveLength(14);
      expect(fx.jump.switchRoleLinks[0]).toEqual(expect.objectContaining({ groupName: 'vendor-acme', accountName: 'shop-dev', roleName: 'lz-power' }));
    });

    test('tags what it creates as managed by the landing zone', () => {
      t.hasResourceProperties('AWS::IAM::User', { Tags: Match.arrayWith([{ Key: 'landing-zone:managed', Value: 'true' }]) });
    });
  });

  test('custom password policy values are passed through', () => {
    const { stack } = jumpOnly({ passwordPolicy: { minimumLength: 20, reusePrevention: 5, maxAge: Duration.days(30), hardExpiry: true } });
    Template.fromStack(stack).hasResourceProperties('Custom::AWS', {
      Create: Match.serializedJson(Match.objectLike({
        parameters: Match.objectLike({ MinimumPasswordLength: 20, PasswordReusePrevention: 5, MaxPasswordAge: 30, HardExpiry: true }),
      })),
    });
  });

  test('managePasswordPolicy: false and switchRoleOutputs: false leave both out', () => {
    const { stack, jump } = jumpOnly({ managePasswordPolicy: false, switchRoleOutputs: false });
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::AWS', 0);
    expect(Object.keys(t.findOutputs('*'))).toHaveLength(0);
    expect(jump.switchRoleLinks).toHaveLength(1);
  });

  test('account-wide source addresses become a policy of the group every user is in', () => {
    const { stack } = jumpOnly({ allowedSourceCidrs: ['192.0.2.0/24'], users: [{ userName: 'bob', groups: ['auditors'] }] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Sid: 'DenyOutsideAllowedSourceAddresses', Condition: Match.objectLike({ NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } }) })] },
    });
    t.hasResourceProperties('AWS::IAM::Group', { ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('SelfService') }, { Ref: Match.stringLikeRegexp('SourceIpPolicy') }] });
  });

  test('sessionSourceRestrictions lists, per target role, the users who reach it with every CIDR set that binds them', () => {
    const { jump } = jumpOnly({
      allowedSourceCidrs: ['192.0.2.0/24'],
      groups: [
        { groupName: 'auditors', targets: [{ accounts: AccountSelection.accounts(['shop-dev']), permissionLevels: [PermissionLevel.readOnly()] }] },
        { groupName: 'vendor', allowedSourceCidrs: ['203.0.113.0/24', '2001:db8::/32'], targets: [{ accounts: AccountSelection.accounts(['shop-prod']), permissionLevels: [PermissionLevel.power()] }] },
      ],
      users: [
        { userName: 'bob', groups: ['auditors'] },
        { userName: 'alice', groups: ['vendor', 'auditors'] },
        { userName: 'carol', groups: ['vendor'] },
      ],
    });
    // alice and carol are held to the vendor's CIDRs everywhere, everyone to the account-wide ones
    expect(jump.sessionSourceRestrictions('lz-read-only', ['444444444401'])).toEqual([
      { userNames: ['alice', 'bob'], allowedSourceCidrs: ['192.0.2.0/24'] },
      { userNames: ['alice'], allowedSourceCidrs: ['2001:db8::/32', '203.0.113.0/24'] },
    ]);
    expect(jump.sessionSourceRestrictions('lz-power', ['555555555501', '444444444401'])).toEqual([
      { userNames: ['alice', 'carol'], allowedSourceCidrs: ['192.0.2.0/24'] },
      { userNames: ['alice', 'carol'], allowedSourceCidrs: ['2001:db8::/32', '203.0.113.0/24'] },
    ]);
    expect(jump.sessionSourceRestrictions('lz-power', ['444444444401'])).toEqual([]);
    expect(jump.sessionSourceRestrictions('lz-admin', ['555555555501'])).toEqual([]);
  });

  test('without source addresses nobody is restricted', () => {
    const { jump } = jumpOnly({ users: [{ userName: 'bob', groups: ['auditors'] }] });
    expect(jump.sessionSourceRestrictions('lz-read-only', ['444444444401'])).toEqual([]);
  });

  test('external account ids are reachable only when listed explicitly', () => {
    const { stack } = jumpOnly({
      groups: [{ groupName: 'partner', targets: [{ externalAccountIds: [OUTSIDER], roleNames: ['lz-read-only'] }] }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Resource: arn(OUTSIDER, 'lz-read-only') })] },
    });
  });

  test('warns when a group may switch into the management account', () => {
    const { stack } = jumpOnly({
      groups: [{ groupName: 'admins', targets: [{ accounts: AccountSelection.accounts(['management']), permissionLevels: [PermissionLevel.admin()] }] }],
      externallyManagedRoles: [{ accounts: AccountSelection.accounts(['management']), permissionLevels: [PermissionLevel.admin()] }],
    });
    Annotations.fromStack(stack).hasWarning('/Jump/JumpAccount', Match.stringLikeRegexp("group 'admins' may switch into the management account 000000000000"));
  });

  test('a very large group is split over several managed policies under 6,144 characters', () => {
    const many = Array.from({ length: 60 }, (_, i) => `a-role-with-a-rather-long-name-${i}`);
    const { stack } = jumpOnly({
      groups: [{ groupName: 'big', targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads']), roleNames: many }] }],
      externallyManagedRoles: [{ accounts: AccountSelection.organizationalUnits(['Workloads']), roleNames: many }],
      switchRoleOutputs: false,
    });
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .filter((p: any) => /group big/.test(p.Properties.Description));
    expect(policies.length).toBeGreaterThan(1);
    const resources = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement[0].Resource);
    expect(resources).toHaveLength(7 * 60);
    for (const p of policies as any[]) {
      const worst = JSON.stringify(p.Properties.PolicyDocument).replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},"([^"]*)"\]\]\}/g, '"arn:aws-us-gov$1"');
      expect(worst.length).toBeLessThanOrEqual(6144);
    }
  });

  test('fromAccountId gives a reference that roles can trust', () => {
    const stack = new Stack(undefined, 'T', { env: { account: '444444444401' } });
    const ref = JumpAccount.fromAccountId(stack, 'Jump', JUMP);
    expect(ref.accountId).toBe(JUMP);
    expect(() => JumpAccount.fromAccountId(stack, 'Bad', '123')).toThrow(/T\/Bad: accountId: account id '123' must be 12 digits/);
  });

  test('grantReadInitialPasswords lets an administrator read exactly the initial passwords', () => {
    const { stack, jump } = jumpOnly({ users: [{ userName: 'bob', groups: ['auditors'] }, { userName: 'bot', groups: ['auditors'], consoleAccess: false }] });
    const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    jump.grantReadInitialPasswords(admin);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Admin') }],
      PolicyDocument: {
        Statement: [
          { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('InitialPasswordbob') } },
          // the secrets' own key, and only it
          { Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('InitialPasswordsKey'), 'Arn'] } },
        ],
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('InitialPasswordsKey'), 'Arn'] } });
  });

  describe('the synth-time check that every role a group points at is deployed', () => {
    function app(groups: JumpGroup[], deploy: (jump: JumpAccount, app: App, org: Organization) => void, props: Partial<JumpAccountProps> = {}) {
      const a = new App();
      const org = exampleOrganization();
      const stack = new Stack(a, 'Jump', { env: { account: JUMP } });
      const jump = new JumpAccount(stack, 'JumpAccount', { organization: org, groups, ...props });
      deploy(jump, a, org);
      return a;
    }
    const roleIn = (a: App, jump: JumpAccount, account: string, level: PermissionLevel, id = 'Role', roleName?: string) => {
      const s = (a.node.tryFindChild(`T${account}`) as Stack) ?? new Stack(a, `T${account}`, { env: { account } });
      new CrossAccountRole(s, id, { jumpAccount: jump, permissionLevel: level, roleName });
    };
    const group: JumpGroup = { groupName: 'vendor', targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads/NonProd']), permissionLevels: [PermissionLevel.power()] }] };

    test('passes when a CrossAccountRole of that name is deployed to every target account', () => {
      const a = app([group], (jump, ap, org) => org.accountsIn('Workloads/NonProd').forEach((acc) => roleIn(ap, jump, acc.accountId, PermissionLevel.power())));
      expect(() => a.synth()).not.toThrow();
    });

    test('fails when a group points at a role that no target deploys', () => {
      const a = app([group], (jump, ap) => {
        roleIn(ap, jump, '444444444401', PermissionLevel.power());
        roleIn(ap, jump, '444444444402', PermissionLevel.readOnly());
      });
      expect(() => a.synth()).toThrow(/\[Jump\/JumpAccount\] groups\[0\]\.targets: group 'vendor' points at role 'lz-power', which no target deploys in 444444444402 \(shop-test\), 444444444403 \(data-dev\): add a CrossAccountRole there or declare it in externallyManagedRoles/);
    });

    test('CrossAccountRoles trusting the jump account by id satisfy the check, wherever they are created (no registration)', () => {
      const a = app([group], (_jump, ap, org) => {
        const stage = new Stage(ap, 'Targets');
        for (const acc of org.accountsIn('Workloads/NonProd')) {
          const s = new Stack(stage, `T${acc.accountId}`, { env: { account: acc.accountId } });
          new CrossAccountRole(s, 'Role', { jumpAccount: JumpAccount.fromAccountId(s, 'Jump', JUMP), permissionLevel: PermissionLevel.power() });
        }
      });
      expect(() => a.synth()).not.toThrow();
    });

    test('roles trusting another jump account do not satisfy the check', () => {
      const a = app([group], (_jump, ap, org) => org.accountsIn('Workloads/NonProd').forEach((acc) => {
        const s = new Stack(ap, `T${acc.accountId}`, { env: { account: acc.accountId } });
        new CrossAccountRole(s, 'Role', { jumpAccount: JumpAccount.fromAccountId(s, 'Jump', '999999999999'), permissionLevel: PermissionLevel.power() });
      }));
      expect(() => a.synth()).toThrow(/group 'vendor' points at role 'lz-power', which no target deploys in 444444444401 \(shop-dev\), 444444444402 \(shop-test\), 444444444403 \(data-dev\)/);
    });

    test('roles registered with the deprecated registerTargetRole still satisfy the check', () => {
      const a = app([group], (jump, _ap, org) => org.accountsIn('Workloads/NonProd').forEach((acc) => jump.registerTargetRole(acc.accountId, 'lz-power')));
      expect(() => a.synth()).not.toThrow();
    });

    test('roles declared as externally managed satisfy the check', () => {
      const a = app([group], () => undefined, {
        externallyManagedRoles: [{ accounts: AccountSelection.organizationalUnits(['Workloads/NonProd']), permissionLevels: [PermissionLevel.power()] }],
      });
      expect(() => a.synth()).not.toThrow();
    });

    test('fails when the same role is deployed twice to one account', () => {
      const a = app([group], (jump, ap, org) => {
        org.accountsIn('Workloads/NonProd').forEach((acc) => roleIn(ap, jump, acc.accountId, PermissionLevel.power()));
        const other = new Stack(ap, 'Other', { env: { account: '444444444401' } });
        new CrossAccountRole(other, 'Again', { jumpAccount: jump, permissionLevel: PermissionLevel.power() });
      });
      expect(() => a.synth()).toThrow(/\[Other\/Again\] role name 'lz-power' is declared for account 444444444401 also by 'T444444444401\/Role'/);
    });
  });

  describe('validation', () => {
    const fails = (props: Partial<JumpAccountProps>, re: RegExp, account = JUMP) => expect(() => jumpOnly(props, account)).toThrow(re);
    const target = { accounts: AccountSelection.accounts(['shop-dev']), permissionLevels: [PermissionLevel.readOnly()] };

    test('fails when the organization model has no jump account', () => {
      const org = new Organization({
        rootId: 'r-ab12',
        managementAccount: { accountId: '000000000000', name: 'management' },
        organizationalUnits: [],
        accounts: [{ accountId: '222222222222', name: 'dev' }],
      });
      fails({ organization: org, groups: [] }, /organization\.jumpAccount: the organization model defines no jump account/);
    });
    test('fails when the stack deploys to another account than the jump account', () => {
      fails({}, /organization\.jumpAccount: the stack deploys to account 222222222201, but the organization's jump account is 111111111111/, '222222222201');
    });
    test('fails when a group name is invalid or too long', () => {
      fails({ groups: [{ groupName: 'bad name', targets: [target] }] }, /groups\[0\]\.groupName: group name 'bad name' may contain only letters/);
      fails({ groups: [{ groupName: 'g'.repeat(129), targets: [target] }] }, /groups\[0\]\.groupName: group name 'g+' must be 1-128 characters, got 129/);
    });
    test('fails when two groups have the same name, case-insensitively', () => {
      fails({ groups: [{ groupName: 'Auditors', targets: [target] }, { groupName: 'auditors', targets: [target] }] }, /groups: group name 'auditors' is used more than once/);
    });
    test('fails when a group has no targets', () => {
      fails({ groups: [{ groupName: 'empty', targets: [] }] }, /groups\[0\]\.targets: group 'empty' has no targets/);
    });
    test('fails when a target names no account or no role', () => {
      fails({ groups: [{ groupName: 'g', targets: [{ permissionLevels: [PermissionLevel.admin()] }] }] }, /groups\[0\]\.targets\[0\]: a target needs accounts or externalAccountIds/);
      fails({ groups: [{ groupName: 'g', targets: [{ accounts: AccountSelection.accounts(['shop-dev']) }] }] }, /groups\[0\]\.targets\[0\]: a target needs permissionLevels or roleNames/);
    });
    test('fails when a target names an unknown OU or an account outside the model', () => {
      fails({ groups: [{ groupName: 'g', targets: [{ accounts: AccountSelection.organizationalUnits(['Nope']), roleNames: ['x'] }] }] },
        /groups\[0\]\.targets\[0\]\.accounts: ou:Nope \(recursive\): ou 'Nope' is not defined in the organization/);
      fails({ groups: [{ groupName: 'g', targets: [{ accounts: AccountSelection.accounts([OUTSIDER]), roleNames: ['x'] }] }] },
        /groups\[0\]\.targets\[0\]\.accounts: accounts:999999999999: account '999999999999' is not defined in the organization/);
    });
    test('fails when an external account id is not 12 digits', () => {
      fails({ groups: [{ groupName: 'g', targets: [{ externalAccountIds: ['12345'], roleNames: ['x'] }] }] },
        /groups\[0\]\.targets\[0\]\.externalAccountIds\[0\]: account id '12345' must be 12 digits/);
    });
    test('fails when a role name is invalid', () => {
      fails({ groups: [{ groupName: 'g', targets: [{ externalAccountIds: [OUTSIDER], roleNames: ['r'.repeat(65)] }] }] },
        /groups\[0\]\.targets\[0\]\.roleNames\[0\]: role name 'r+' must be 1-64 characters, got 65/);
    });
    test('fails when a source CIDR is invalid or the list is empty', () => {
      fails({ groups: [{ groupName: 'g', targets: [target], allowedSourceCidrs: ['203.0.113.0/33'] }] }, /groups\[0\]\.allowedSourceCidrs\[0\]: cidr '203\.0\.113\.0\/33' is not a valid IPv4 CIDR/);
      fails({ allowedSourceCidrs: ['not-a-cidr'] }, /allowedSourceCidrs\[0\]: cidr 'not-a-cidr' must be an IPv4 or IPv6 CIDR/);
      fails({ allowedSourceCidrs: [] }, /allowedSourceCidrs: an empty list would lock everyone out/);
    });
    test('fails when the source CIDRs do not fit the policy size IAM allows', () => {
      const cidrs = Array.from({ length: 400 }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`);
      fails({ groups: [{ groupName: 'g', targets: [target], allowedSourceCidrs: cidrs }] },
        /groups\[0\]\.allowedSourceCidrs: 400 cidrs make a policy of about \d+ characters, more than the 5120 iam allows for the inline policies of a group: use fewer, wider ranges/);
      fails({ allowedSourceCidrs: cidrs }, /allowedSourceCidrs: 400 cidrs make a policy of about \d+ characters, more than the 6144 iam allows for a managed policy/);
    });
    test('fails when a user name is invalid or too long', () => {
      fails({ users: [{ userName: 'u'.repeat(65), groups: ['auditors'] }] }, /users\[0\]\.userName: user name 'u+' must be 1-64 characters, got 65/);
      fails({ users: [{ userName: 'a/b', groups: ['auditors'] }] }, /users\[0\]\.userName: user name 'a\/b' may contain only letters/);
    });
    test('fails when two users have the same name', () => {
      fails({ users: [{ userName: 'Bob', groups: [] }, { userName: 'bob', groups: [] }] }, /users: user name 'bob' is used more than once/);
    });
    test('fails when a user is in an unknown group, in a group twice, or in more than 9 groups (10 with the group every user is in)', () => {
      fails({ users: [{ userName: 'bob', groups: ['auditor'] }] }, /users\[0\]\.groups\[0\]: group 'auditor' is not one of the groups \(auditors\)/);
      fails({ users: [{ userName: 'bob', groups: ['auditors', 'AUDITORS'] }] }, /users\[0\]\.groups: group 'AUDITORS' is listed more than once/);
      const groups = Array.from({ length: 10 }, (_, i) => ({ groupName: `g${i}`, targets: [target] }));
      fails({ groups, users: [{ userName: 'bob', groups: groups.map((g) => g.groupName) }] },
        /users\[0\]\.groups: user 'bob' is in 10 groups, more than the 9 it may join besides the group every user is in \(iam allows 10\)/);
    });
    test('fails when a group reaches more roles than 10 managed policies can hold', () => {
      const many = Array.from({ length: 150 }, (_, i) => `a-role-with-a-rather-long-name-${i}`);
      fails({ groups: [{ groupName: 'huge', targets: [{ accounts: AccountSelection.allMemberAccounts(), roleNames: many }] }] },
        /groups\[0\]\.targets: group 'huge' reaches 1950 roles by ARN, which need \d+ managed policies, more than the 10 iam allows per group: split the group, or grant OU-wide targets with byOrganizationPath/);
    });
    test('fails when the password policy is outside AWS ranges', () => {
      fails({ passwordPolicy: { minimumLength: 5 } }, /passwordPolicy\.minimumLength: minimum length must be an integer of 6-128, got 5/);
      fails({ passwordPolicy: { reusePrevention: 25 } }, /passwordPolicy\.reusePrevention: reuse prevention must be an integer of 1-24, got 25/);
      fails({ passwordPolicy: { maxAge: Duration.days(1096) } }, /passwordPolicy\.maxAge: max age must be whole days of 1-1095, got 94694400 seconds/);
      fails({ passwordPolicy: { maxAge: Duration.hours(36) } }, /passwordPolicy\.maxAge: max age must be whole days/);
    });
    test('fails when the stack would have more than 200 outputs', () => {
      const roles = Array.from({ length: 30 }, (_, i) => `role-${i}`);
      const { app } = jumpOnly({
        groups: [{ groupName: 'g', targets: [{ accounts: AccountSelection.allMemberAccounts(), roleNames: roles }] }],
        externallyManagedRoles: [{ accounts: AccountSelection.allMemberAccounts(), roleNames: roles }],
      });
      expect(() => app.synth()).toThrow(/\[Jump\/JumpAccount\] switchRoleOutputs: stack 'Jump' has 390 outputs, more than the 200 cloudformation allows: set switchRoleOutputs to false/);
    });
    test('reports every problem at once', () => {
      fails({
        allowedSourceCidrs: ['x'],
        groups: [{ groupName: 'bad name', targets: [{ externalAccountIds: ['1'], roleNames: ['ok'] }] }],
        users: [{ userName: 'bob', groups: ['nope'] }],
      }, /Jump\/JumpAccount: 4 problems:\n {2}- allowedSourceCidrs\[0\]: .*\n {2}- groups\[0\]\.groupName: .*\n {2}- groups\[0\]\.targets\[0\]\.externalAccountIds\[0\]: .*\n {2}- users\[0\]\.groups\[0\]: /);
    });
  });
});
