// Jump groups granted by organization path (JumpTarget.byOrganizationPath), evaluated by the IAM policy simulator
// with the organization keys AWS puts in the request context of sts:AssumeRole on a role of an organization's account.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountSelection, AccountStatus, JumpAccount, Organization, PermissionLevel } from '../src';
import { PolicyJson, simulate, TemplatePolicies, withMfa } from './helpers/iam-sim';

const ORG = 'o-pa01abcdef';
const JUMP = '111111111111';
const MANAGEMENT = '000000000000';
// accounts of the model, and where each sits, written out here rather than derived by the code under test
const PATHS: Record<string, string> = {
  [MANAGEMENT]: `${ORG}/r-pa01/`,
  [JUMP]: `${ORG}/r-pa01/ou-pa01-security/`,
  200000000001: `${ORG}/r-pa01/ou-pa01-workload/ou-pa01-prodprod/`, // prod-1
  200000000002: `${ORG}/r-pa01/ou-pa01-workload/ou-pa01-prodprod/ou-pa01-prodteam/`, // prod-team-1 (nested OU)
  200000000003: `${ORG}/r-pa01/ou-pa01-workload/ou-pa01-prodprod/`, // prod-excluded
  200000000004: `${ORG}/r-pa01/ou-pa01-workload/ou-pa01-prodprod/`, // prod-suspended
  300000000001: `${ORG}/r-pa01/ou-pa01-workload/ou-pa01-nonprodd/`, // nonprod-1
  400000000001: `${ORG}/r-pa01/ou-pa01-sandboxx/`, // sandbox-1
};
// created after the deployment: in no model, reached or not by its organization path alone
const NEW_PROD = '200000000099';
const NEW_SANDBOX = '400000000099';
const NEW_PATHS: Record<string, string> = {
  [NEW_PROD]: `${ORG}/r-pa01/ou-pa01-workload/ou-pa01-prodprod/`,
  [NEW_SANDBOX]: `${ORG}/r-pa01/ou-pa01-sandboxx/`,
};

const OPEN_TRUST: PolicyJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${JUMP}:root` }, Action: 'sts:AssumeRole' }],
};

function organization(): Organization {
  return new Organization({
    rootId: 'r-pa01',
    organizationId: ORG,
    managementAccount: { accountId: MANAGEMENT, name: 'management' },
    jumpAccount: { accountId: JUMP, name: 'jump', organizationalUnit: 'Security' },
    organizationalUnits: [
      { path: 'Security', ouId: 'ou-pa01-security' },
      { path: 'Workloads', ouId: 'ou-pa01-workload' },
      { path: 'Workloads/Prod', ouId: 'ou-pa01-prodprod' },
      { path: 'Workloads/Prod/Team', ouId: 'ou-pa01-prodteam' },
      { path: 'Workloads/NonProd', ouId: 'ou-pa01-nonprodd' },
      { path: 'Sandbox', ouId: 'ou-pa01-sandboxx' },
    ],
    accounts: [
      { accountId: '200000000001', name: 'prod-1', organizationalUnit: 'Workloads/Prod' },
      { accountId: '200000000002', name: 'prod-team-1', organizationalUnit: 'Workloads/Prod/Team' },
      { accountId: '200000000003', name: 'prod-excluded', organizationalUnit: 'Workloads/Prod' },
      { accountId: '200000000004', name: 'prod-suspended', organizationalUnit: 'Workloads/Prod', status: AccountStatus.SUSPENDED },
      { accountId: '300000000001', name: 'nonprod-1', organizationalUnit: 'Workloads/NonProd' },
      { accountId: '400000000001', name: 'sandbox-1', organizationalUnit: 'Sandbox' },
    ],
  });
}

let policies: TemplatePolicies;
let template: Template;
beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, 'Jump', { env: { account: JUMP, region: 'eu-west-1' } });
  new JumpAccount(stack, 'JumpAccount', {
    organization: organization(),
    groups: [
      {
        groupName: 'prod-readers',
        targets: [{
          accounts: AccountSelection.organizationalUnits(['Workloads/Prod'], { excludeAccounts: ['prod-excluded'] }),
          permissionLevels: [PermissionLevel.readOnly()],
          byOrganizationPath: true,
        }],
      },
      {
        groupName: 'everyone',
        targets: [{ accounts: AccountSelection.allMemberAccounts(), permissionLevels: [PermissionLevel.readOnly()], byOrganizationPath: true }],
      },
      // by ARN: must still reach the account the path group excludes
      { groupName: 'excluded-owner', targets: [{ accounts: AccountSelection.accounts(['prod-excluded']), permissionLevels: [PermissionLevel.readOnly()] }] },
    ],
    externallyManagedRoles: [{ accounts: AccountSelection.allMemberAccounts(), roleNames: ['lz-read-only'] }],
    users: [
      { userName: 'alice', groups: ['prod-readers'] },
      { userName: 'bob', groups: ['everyone'] },
      { userName: 'carol', groups: ['prod-readers', 'excluded-owner'] },
    ],
  });
  template = Template.fromStack(stack);
  policies = new TemplatePolicies(template.toJSON(), { accountId: JUMP });
});

/** sts:AssumeRole of `role` in `account`, with the organization keys of the account when it has a path. */
async function mayAssume(user: string, account: string, options: { path?: string | null; mfa?: boolean; role?: string; org?: string } = {}) {
  const path = options.path === null ? undefined : options.path ?? PATHS[account] ?? NEW_PATHS[account];
  const org = options.org ?? ORG;
  const context = {
    ...(options.mfa === false ? { 'aws:MultiFactorAuthPresent': 'false' } : withMfa()),
    'aws:ResourceAccount': account,
    ...(path !== undefined ? { 'aws:ResourceOrgPaths': [path], 'aws:ResourceOrgID': org } : {}),
  };
  const u = policies.forUser(user);
  const r = await simulate({ identityPolicies: u.identityPolicies, resourcePolicy: OPEN_TRUST },
    { principal: u.arn, action: 'sts:AssumeRole', resource: `arn:aws:iam::${account}:role/${options.role ?? 'lz-read-only'}`, context });
  expect(r.ignoredContextKeys).not.toContain('aws:resourceorgpaths');
  return r.decision;
}

describe('jump groups by organization path (simulated)', () => {
  test('an OU-wide group reaches exactly its OU and nested OUs, minus excluded and suspended accounts', async () => {
    const everywhere = [...Object.keys(PATHS), ...Object.keys(NEW_PATHS)];
    const decisions = Object.fromEntries(await Promise.all(everywhere.map(async (a) => [a, await mayAssume('alice', a)] as const)));
    const allowed = everywhere.filter((a) => decisions[a] === 'Allowed').sort();
    expect(allowed).toEqual(['200000000001', '200000000002', NEW_PROD]);
  });

  test('an account added to the OU after deployment is reached without a new deployment', async () => {
    expect(await mayAssume('alice', NEW_PROD)).toBe('Allowed');
    expect(await mayAssume('alice', NEW_SANDBOX)).toBe('ImplicitlyDenied');
  });

  test('the same OU path in another organization, an account in no organization, no MFA, another role: denied', async () => {
    expect(await mayAssume('alice', '900000000001', { path: 'o-other12345/r-pa01/ou-pa01-workload/ou-pa01-prodprod/', org: 'o-other12345' })).toBe('ImplicitlyDenied');
    expect(await mayAssume('alice', '900000000002', { path: null })).toBe('ImplicitlyDenied');
    expect(await mayAssume('alice', '200000000001', { mfa: false })).not.toBe('Allowed');
    expect(await mayAssume('alice', '200000000001', { role: 'lz-admin' })).toBe('ImplicitlyDenied');
  });

  test('the exclusion is part of the grant, not a deny: another group of the same user still reaches the account', async () => {
    expect(await mayAssume('alice', '200000000003')).toBe('ImplicitlyDenied');
    expect(await mayAssume('carol', '200000000003')).toBe('Allowed');
  });

  test('a group over all member accounts reaches every member, present and future, but not the management account', async () => {
    const members = [...Object.keys(PATHS).filter((a) => a !== MANAGEMENT && a !== '200000000004'), NEW_PROD, NEW_SANDBOX];
    for (const a of members) expect([a, await mayAssume('bob', a)]).toEqual([a, 'Allowed']);
    expect(await mayAssume('bob', MANAGEMENT)).toBe('ImplicitlyDenied');
    expect(await mayAssume('bob', '200000000004')).toBe('ImplicitlyDenied');
  });

  test('the grant names no account: one wildcard-account role ARN and the organization paths', () => {
    const policy = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))
      .find((p) => p.Properties.Description?.includes('group prod-readers may switch into in every account'));
    const [statement] = policy.Properties.PolicyDocument.Statement;
    expect(statement.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/lz-read-only']] });
    expect(statement.Condition['ForAnyValue:StringLike']).toEqual({ 'aws:ResourceOrgPaths': [`${ORG}/r-pa01/ou-pa01-workload/ou-pa01-prodprod/*`] });
    expect(statement.Condition.StringNotEquals).toEqual({ 'aws:ResourceAccount': ['200000000003', '200000000004'] });
  });
});
