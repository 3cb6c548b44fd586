import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountDefinition, AccountSelection, JumpAccount, JumpTarget, Organization, PermissionLevel } from '../src';

/** `n` member accounts over 16 business-unit OUs, with or without the organization id. */
function organization(n: number, organizationId: string | null = 'o-pa02abcdef'): Organization {
  const ous = [{ path: 'Security', ouId: 'ou-pa02-security' }, { path: 'Workloads', ouId: 'ou-pa02-workload' }];
  for (let b = 0; b < 16; b++) ous.push({ path: `Workloads/BU${b}`, ouId: `ou-pa02-bu${String(b).padStart(6, '0')}` });
  const accounts: AccountDefinition[] = Array.from({ length: n }, (_, i) => ({
    accountId: String(100_000_000_000 + i * 7919), name: `acct-${i}`, organizationalUnit: `Workloads/BU${i % 16}`, tags: { env: 'prod' },
  }));
  return new Organization({
    rootId: 'r-pa02',
    ...(organizationId ? { organizationId } : {}),
    managementAccount: { accountId: '000000000000', name: 'management' },
    jumpAccount: { accountId: '111111111111', name: 'jump', organizationalUnit: 'Security' },
    organizationalUnits: ous,
    accounts,
  });
}

function jump(org: Organization, target: JumpTarget): Stack {
  const stack = new Stack(new App(), 'Jump', { env: { account: '111111111111', region: 'eu-west-1' } });
  new JumpAccount(stack, 'JumpAccount', {
    organization: org,
    groups: [{ groupName: 'everyone', targets: [target] }],
    externallyManagedRoles: [{ accounts: AccountSelection.allMemberAccounts(), roleNames: ['lz-read-only'] }],
    switchRoleOutputs: false,
  });
  return stack;
}

describe('JumpTarget.byOrganizationPath', () => {
  test('a group over the whole organization of 10,000 accounts synthesizes with one policy and no account listed', () => {
    // WHEN
    const stack = jump(organization(10_000), {
      accounts: AccountSelection.allMemberAccounts(), permissionLevels: [PermissionLevel.readOnly()], byOrganizationPath: true,
    });
    // THEN
    const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
    const assume = Object.values<any>(policies).filter((p) => /may switch into/.test(p.Properties.Description));
    expect(assume).toHaveLength(1);
    const [statement] = assume[0].Properties.PolicyDocument.Statement;
    expect(statement.Condition['ForAnyValue:StringLike']).toEqual({ 'aws:ResourceOrgPaths': ['o-pa02abcdef/r-pa02/*'] });
    expect(statement.Condition.StringEquals).toEqual({ 'aws:ResourceOrgID': 'o-pa02abcdef' });
    // the management account, which all member accounts leaves out, is left out of the grant too
    expect(statement.Condition.StringNotEquals).toEqual({ 'aws:ResourceAccount': ['000000000000'] });
  });

  test('by ARN the same group fails beyond what ten managed policies hold, and the message names the way out', () => {
    expect(() => jump(organization(2_000), { accounts: AccountSelection.allMemberAccounts(), permissionLevels: [PermissionLevel.readOnly()] }))
      .toThrow(/groups\[0\]\.targets: group 'everyone' reaches 2001 roles by ARN, which need \d+ managed policies, more than the 10 iam allows per group: split the group, or grant OU-wide targets with byOrganizationPath/);
  });

  test('a selection by account or tag cannot be granted by path', () => {
    expect(() => jump(organization(3), { accounts: AccountSelection.tagged('env', 'prod'), permissionLevels: [PermissionLevel.readOnly()], byOrganizationPath: true }))
      .toThrow(/groups\[0\]\.targets\[0\]\.byOrganizationPath: selection 'tag:env=prod' names accounts or tags, which no organization path expresses/);
  });

  test('without the organization id in the model it fails closed, naming organizationId', () => {
    expect(() => jump(organization(3, null), { accounts: AccountSelection.organizationalUnits(['Workloads']), permissionLevels: [PermissionLevel.readOnly()], byOrganizationPath: true }))
      .toThrow(/groups\[0\]\.targets\[0\]\.byOrganizationPath: the organization model has no organizationId, with which every organization path starts: set organizationId/);
  });

  test('a non-recursive OU selection grants the OU\'s own accounts only', () => {
    const stack = jump(organization(3), {
      accounts: AccountSelection.organizationalUnits(['Workloads'], { recursive: false }), permissionLevels: [PermissionLevel.readOnly()], byOrganizationPath: true,
    });
    const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).find((p) => /every account under/.test(p.Properties.Description));
    expect(policy.Properties.PolicyDocument.Statement[0].Condition['ForAnyValue:StringLike']).toEqual({ 'aws:ResourceOrgPaths': ['o-pa02abcdef/r-pa02/ou-pa02-workload/'] });
  });
});
