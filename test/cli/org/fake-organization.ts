// A fake AWS Organization behind aws-sdk-client-mock: Organizations, SSO Admin, CloudFormation, SSM and STS answer
// from one mutable state, with small pages so every listing paginates. Tests change the state to break one
// prerequisite at a time.
import { CloudFormationClient, DescribeOrganizationsAccessCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeOrganizationalUnitCommand, DescribeOrganizationCommand, ListAccountsCommand, ListAccountsForParentCommand,
  DescribeResourcePolicyCommand, ListAWSServiceAccessForOrganizationCommand, ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand,
  ListOrganizationalUnitsForParentCommand, ListPoliciesForTargetCommand, ListRootsCommand, ListTagsForResourceCommand,
  OrganizationalUnitNotFoundException, OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import {
  DescribePermissionSetCommand, ListAccountAssignmentsCommand, ListAccountsForProvisionedPermissionSetCommand,
  ListInstancesCommand, ListPermissionSetsCommand, SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { Organization } from '../../../src';

export interface FakeOu {
  readonly id: string;
  readonly name: string;
  readonly parentId: string;
}

export interface FakeAccount {
  readonly id: string;
  name: string;
  state: string;
  parentId: string;
  tags: Record<string, string>;
}

export interface FakePolicy {
  readonly Id: string;
  readonly Name: string;
}

export interface FakePermissionSet {
  readonly arn: string;
  readonly name: string;
  readonly sessionDuration?: string;
  readonly assignments: Array<{ accountId: string; principalType: string; principalId: string }>;
}

/** Page sizes small enough that every listing of the fixtures takes several pages. */
const PAGE = { ous: 2, accounts: 5, tags: 2, listAccounts: 7, admins: 1, services: 2, policies: 2, instances: 1, sets: 2 };

function page<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; NextToken?: string } {
  const start = token ? Number(token) : 0;
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { NextToken: String(end) } : {}) };
}

export class FakeOrganization {
  public organizationId = 'o-k7q2x9m4ab';
  public featureSet = 'ALL';
  public policyTypes: string[] = ['SERVICE_CONTROL_POLICY'];
  public ous: FakeOu[] = [];
  public accounts: FakeAccount[] = [];
  /** account id -> service principals it is a delegated administrator for */
  public delegated: Record<string, string[]> = {};
  /** The organization's resource-based delegation policy (DescribeResourcePolicy), if any. */
  public resourcePolicy?: string;
  public trusted: string[] = ['member.org.stacksets.cloudformation.amazonaws.com', 'sso.amazonaws.com'];
  /** region -> instances */
  public instances: Record<string, Array<{ InstanceArn: string; IdentityStoreId: string; OwnerAccountId: string }>> = {};
  public permissionSets: FakePermissionSet[] = [];
  /** region -> CloudFormation's DescribeOrganizationsAccess status */
  public stackSetsAccess: Record<string, string> = {};
  /** target id -> policies attached outside the landing zone (by type) */
  public attached: Record<string, Record<string, FakePolicy[]>> = {};
  /** `account/region` -> CDK bootstrap version; missing means not bootstrapped */
  public bootstrap: Record<string, number> = {};
  /** role ARNs the caller may not assume */
  public denyAssume = new Set<string>();
  /** commands answered with AccessDeniedException */
  public deny = new Set<string>();
  public callerAccount: string;
  /** every command sent, by name (to prove pagination and read-only use) */
  public readonly calls: string[] = [];
  /** role ARNs assumed */
  public readonly assumed: string[] = [];

  private stubs: Array<AwsClientStub<any>> = [];

  constructor(public rootId: string, public managementAccountId: string) {
    this.callerAccount = managementAccountId;
  }

  public account(id: string): FakeAccount {
    const a = this.accounts.find((x) => x.id === id);
    if (!a) throw new Error(`fixture has no account ${id}`);
    return a;
  }

  public install(): this {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKECALLER';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake';
    delete process.env.AWS_PROFILE;
    const record = (name: string) => {
      this.calls.push(name);
      if (this.deny.has(name)) {
        throw Object.assign(new Error(`You don't have permissions to access this resource (${name}).`), { name: 'AccessDeniedException', $metadata: {} });
      }
    };

    const org = mockClient(OrganizationsClient);
    org.on(DescribeOrganizationCommand).callsFake(() => {
      record('DescribeOrganization');
      return { Organization: { Id: this.organizationId, MasterAccountId: this.managementAccountId, FeatureSet: this.featureSet } };
    });
    org.on(ListRootsCommand).callsFake(() => {
      record('ListRoots');
      return { Roots: [{ Id: this.rootId, Name: 'Root', PolicyTypes: this.policyTypes.map((Type) => ({ Type, Status: 'ENABLED' })) }] };
    });
    org.on(ListOrganizationalUnitsForParentCommand).callsFake((input) => {
      record('ListOrganizationalUnitsForParent');
      const p = page(this.ous.filter((o) => o.parentId === input.ParentId), input.NextToken, PAGE.ous);
      return { OrganizationalUnits: p.items.map((o) => ({ Id: o.id, Name: o.name, Arn: `arn:aws:organizations::x:ou/${o.id}` })), NextToken: p.NextToken };
    });
    org.on(ListAccountsForParentCommand).callsFake((input) => {
      record('ListAccountsForParent');
      const p = page(this.accounts.filter((a) => a.parentId === input.ParentId), input.NextToken, PAGE.accounts);
      return { Accounts: p.items.map(awsAccount), NextToken: p.NextToken };
    });
    org.on(ListAccountsCommand).callsFake((input) => {
      record('ListAccounts');
      const p = page(this.accounts, input.NextToken, PAGE.listAccounts);
      return { Accounts: p.items.map(awsAccount), NextToken: p.NextToken };
    });
    org.on(ListTagsForResourceCommand).callsFake((input) => {
      record('ListTagsForResource');
      const tags = Object.entries(this.account(input.ResourceId).tags).map(([Key, Value]) => ({ Key, Value }));
      const p = page(tags, input.NextToken, PAGE.tags);
      return { Tags: p.items, NextToken: p.NextToken };
    });
    org.on(ListDelegatedAdministratorsCommand).callsFake((input) => {
      record('ListDelegatedAdministrators');
      const ids = Object.keys(this.delegated).sort()
        .filter((id) => !input.ServicePrincipal || this.delegated[id].includes(input.ServicePrincipal));
      const p = page(ids, input.NextToken, PAGE.admins);
      return { DelegatedAdministrators: p.items.map((Id) => ({ Id, Name: this.account(Id).name })), NextToken: p.NextToken };
    });
    org.on(ListDelegatedServicesForAccountCommand).callsFake((input) => {
      record('ListDelegatedServicesForAccount');
      const p = page(this.delegated[input.AccountId] ?? [], input.NextToken, PAGE.services);
      return { DelegatedServices: p.items.map((ServicePrincipal) => ({ ServicePrincipal })), NextToken: p.NextToken };
    });
    org.on(DescribeResourcePolicyCommand).callsFake(() => {
      record('DescribeResourcePolicy');
      if (this.resourcePolicy === undefined) throw Object.assign(new Error('no resource policy'), { name: 'ResourcePolicyNotFoundException', $metadata: {} });
      return { ResourcePolicy: { ResourcePolicySummary: { Id: 'rp-1' }, Content: this.resourcePolicy } };
    });
    org.on(ListAWSServiceAccessForOrganizationCommand).callsFake((input) => {
      record('ListAWSServiceAccessForOrganization');
      const p = page(this.trusted, input.NextToken, PAGE.services);
      return { EnabledServicePrincipals: p.items.map((ServicePrincipal) => ({ ServicePrincipal })), NextToken: p.NextToken };
    });
    org.on(DescribeOrganizationalUnitCommand).callsFake((input) => {
      record('DescribeOrganizationalUnit');
      const ou = this.ous.find((o) => o.id === input.OrganizationalUnitId);
      if (!ou) throw new OrganizationalUnitNotFoundException({ message: 'You specified an organizational unit (OU) that doesn\'t exist.', $metadata: {} });
      return { OrganizationalUnit: { Id: ou.id, Name: ou.name } };
    });
    org.on(ListPoliciesForTargetCommand).callsFake((input) => {
      record('ListPoliciesForTarget');
      const p = page(this.attached[input.TargetId]?.[input.Filter] ?? [], input.NextToken, PAGE.policies);
      return { Policies: p.items, NextToken: p.NextToken };
    });

    const sso = mockClient(SSOAdminClient);
    sso.on(ListInstancesCommand).callsFake(async (input, getClient) => {
      record('ListInstances');
      const region = await getClient().config.region();
      const p = page(this.instances[region] ?? [], input.NextToken, PAGE.instances);
      return { Instances: p.items, NextToken: p.NextToken };
    });
    sso.on(ListPermissionSetsCommand).callsFake((input) => {
      record('ListPermissionSets');
      const p = page(this.permissionSets.map((s) => s.arn), input.NextToken, PAGE.sets);
      return { PermissionSets: p.items, NextToken: p.NextToken };
    });
    sso.on(DescribePermissionSetCommand).callsFake((input) => {
      record('DescribePermissionSet');
      const s = this.permissionSets.find((x) => x.arn === input.PermissionSetArn)!;
      return { PermissionSet: { PermissionSetArn: s.arn, Name: s.name, SessionDuration: s.sessionDuration } };
    });
    sso.on(ListAccountsForProvisionedPermissionSetCommand).callsFake((input) => {
      record('ListAccountsForProvisionedPermissionSet');
      const s = this.permissionSets.find((x) => x.arn === input.PermissionSetArn)!;
      const p = page([...new Set(s.assignments.map((a) => a.accountId))].sort(), input.NextToken, PAGE.sets);
      return { AccountIds: p.items, NextToken: p.NextToken };
    });
    sso.on(ListAccountAssignmentsCommand).callsFake((input) => {
      record('ListAccountAssignments');
      const s = this.permissionSets.find((x) => x.arn === input.PermissionSetArn)!;
      const p = page(s.assignments.filter((a) => a.accountId === input.AccountId), input.NextToken, PAGE.sets);
      return {
        AccountAssignments: p.items.map((a) => ({
          AccountId: a.accountId, PermissionSetArn: s.arn, PrincipalType: a.principalType, PrincipalId: a.principalId,
        })),
        NextToken: p.NextToken,
      };
    });

    const cfn = mockClient(CloudFormationClient);
    cfn.on(DescribeOrganizationsAccessCommand).callsFake(async (_input, getClient) => {
      record('DescribeOrganizationsAccess');
      return { Status: this.stackSetsAccess[await getClient().config.region()] ?? 'ENABLED' };
    });

    const sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).callsFake(() => {
      record('GetCallerIdentity');
      return { Account: this.callerAccount, Arn: `arn:aws:sts::${this.callerAccount}:assumed-role/Admin/someone` };
    });
    sts.on(AssumeRoleCommand).callsFake((input) => {
      record('AssumeRole');
      if (this.denyAssume.has(input.RoleArn)) {
        throw Object.assign(new Error(`User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`), { name: 'AccessDenied', $metadata: {} });
      }
      this.assumed.push(input.RoleArn);
      const account = /^arn:aws:iam::(\d{12}):role\//.exec(input.RoleArn)?.[1];
      if (!account) throw new Error(`unexpected role arn ${input.RoleArn}`);
      return { Credentials: { AccessKeyId: `ASIA${account}`, SecretAccessKey: 'x', SessionToken: 'y', Expiration: new Date(Date.now() + 3_600_000) } };
    });

    const ssm = mockClient(SSMClient);
    ssm.on(GetParameterCommand).callsFake(async (input, getClient) => {
      record('GetParameter');
      const client = getClient();
      const region = await client.config.region();
      const creds = await (client.config.credentials as () => Promise<{ accessKeyId: string }>)();
      const account = creds.accessKeyId.startsWith('ASIA') ? creds.accessKeyId.slice(4) : this.callerAccount;
      const version = this.bootstrap[`${account}/${region}`];
      if (version === undefined || input.Name !== '/cdk-bootstrap/hnb659fds/version') {
        throw new ParameterNotFound({ message: '', $metadata: {} });
      }
      return { Parameter: { Name: input.Name, Value: String(version) } };
    });

    this.stubs = [org, sso, cfn, sts, ssm];
    return this;
  }

  public restore(): void {
    for (const s of this.stubs) s.restore();
    this.stubs = [];
  }

  /** Names of the commands sent, without repeats; every one must be a read (Describe/List/Get) or AssumeRole. */
  public get commandNames(): string[] {
    return [...new Set(this.calls)].sort();
  }
}

function awsAccount(a: FakeAccount) {
  // `Status` is the older field; it has no CLOSED value
  const status = a.state === 'CLOSED' ? 'SUSPENDED' : a.state === 'PENDING_ACTIVATION' ? 'ACTIVE' : a.state;
  return { Id: a.id, Name: a.name, Email: `${a.id}@example.com`, State: a.state, Status: status, Arn: `arn:aws:organizations::x:account/${a.id}` };
}

// -- the realistic organization: three OU levels, 60 accounts, names as people type them

/** One row of the fixture: the AWS side and the model that an import must produce from it. */
export interface FixtureAccount {
  readonly id: string;
  readonly awsName: string;
  /** The normalized name the model must hold. */
  readonly name: string;
  /** The model's OU path. */
  readonly path: string;
  readonly state: string;
  readonly tags: Record<string, string>;
}

export interface FixtureOu {
  readonly id: string;
  readonly awsName: string;
  readonly path: string;
  readonly parent: string; // model path of the parent, '' for the root
}

export const REALISTIC_OUS: FixtureOu[] = [
  { id: 'ou-k7q2-security', awsName: 'Security', path: 'Security', parent: '' },
  { id: 'ou-k7q2-infra001', awsName: 'Infrastructure', path: 'Infrastructure', parent: '' },
  { id: 'ou-k7q2-network1', awsName: 'Network', path: 'Infrastructure/Network', parent: 'Infrastructure' },
  { id: 'ou-k7q2-workload', awsName: 'Workloads', path: 'Workloads', parent: '' },
  { id: 'ou-k7q2-nonprod1', awsName: 'Non Prod', path: 'Workloads/Non-Prod', parent: 'Workloads' },
  { id: 'ou-k7q2-dev00001', awsName: 'Dev', path: 'Workloads/Non-Prod/Dev', parent: 'Workloads/Non-Prod' },
  { id: 'ou-k7q2-test0001', awsName: 'Test', path: 'Workloads/Non-Prod/Test', parent: 'Workloads/Non-Prod' },
  { id: 'ou-k7q2-prod0001', awsName: 'Prod', path: 'Workloads/Prod', parent: 'Workloads' },
  { id: 'ou-k7q2-pci00001', awsName: 'PCI', path: 'Workloads/Prod/PCI', parent: 'Workloads/Prod' },
  { id: 'ou-k7q2-analyt01', awsName: 'Analytics & BI', path: 'Workloads/Prod/Analytics-BI', parent: 'Workloads/Prod' },
  { id: 'ou-k7q2-sandbox1', awsName: 'Sandbox', path: 'Sandbox', parent: '' },
  { id: 'ou-k7q2-suspend1', awsName: 'Suspended', path: 'Suspended', parent: '' },
];

export const REALISTIC_MANAGEMENT = '100000000001';
export const REALISTIC_JUMP = '100000000002';

function row(id: string, awsName: string, name: string, path: string, tags: Record<string, string> = {}, state = 'ACTIVE'): FixtureAccount {
  return { id, awsName, name, path, state, tags };
}

export const REALISTIC_ACCOUNTS: FixtureAccount[] = [
  row(REALISTIC_MANAGEMENT, 'Management Account', 'management-account', ''),
  row('100000000003', 'Billing', 'billing', '', { 'cost-center': 'CC-001' }),
  row(REALISTIC_JUMP, 'Jump', 'jump', 'Security'),
  row('100000000004', 'Log Archive', 'log-archive', 'Security'),
  row('100000000005', 'Audit', 'audit', 'Security', { 'lz:owner': 'security team' }),
  row('100000000006', 'Shared Services', 'shared-services', 'Infrastructure'),
  row('100000000007', 'Network Hub', 'network-hub', 'Infrastructure/Network', { env: 'shared' }),
  row('100000000008', 'DNS', 'dns', 'Infrastructure/Network', { env: 'shared' }),
  row('100000000009', 'Shared Data', 'shared-data', 'Workloads', { env: 'shared' }),
  row('100000000010', 'Shop Staging (EU)', 'shop-staging-eu', 'Workloads/Non-Prod', { env: 'test', app: 'shop' }),
  row('100000000011', 'Zürich Data Dev', 'zurich-data-dev', 'Workloads/Non-Prod', { env: 'dev', app: 'data' }),
  ...Array.from({ length: 10 }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return [
      row(`2000000000${n}`, `Team ${n} Dev`, `team-${n}-dev`, 'Workloads/Non-Prod/Dev', { 'env': 'dev', 'team': `team-${n}`, 'cost-center': `CC-1${n}` }),
      row(`3000000000${n}`, `Team ${n} Test`, `team-${n}-test`, 'Workloads/Non-Prod/Test', { env: 'test', team: `team-${n}` }),
      row(`4000000000${n}`, `Team ${n} Prod`, `team-${n}-prod`, 'Workloads/Prod', { 'env': 'prod', 'team': `team-${n}`, 'cost-center': `CC-1${n}` }),
    ];
  }).flat(),
  row('200000000011', 'Data Dev', 'data-dev', 'Workloads/Non-Prod/Dev', { env: 'dev', app: 'data' }),
  row('200000000012', 'ML Dev', 'ml-dev', 'Workloads/Non-Prod/Dev', { env: 'dev', app: 'ml' }),
  row('400000000011', 'Data Prod', 'data-prod', 'Workloads/Prod', { env: 'prod', app: 'data' }),
  row('400000000012', 'ML Prod', 'ml-prod', 'Workloads/Prod', { env: 'prod', app: 'ml' }),
  row('400000000013', 'Shop Prod (EU)', 'shop-prod-eu', 'Workloads/Prod', { env: 'prod', app: 'shop' }),
  row('500000000001', 'Payments Prod', 'payments-prod', 'Workloads/Prod/PCI', { env: 'prod', pci: 'true' }),
  row('500000000002', 'Cards Prod', 'cards-prod', 'Workloads/Prod/PCI', { env: 'prod', pci: 'true' }),
  row('500000000003', 'Analytics Prod', 'analytics-prod', 'Workloads/Prod/Analytics-BI', { env: 'prod' }),
  row('500000000004', 'BI Prod', 'bi-prod', 'Workloads/Prod/Analytics-BI', { env: 'prod' }),
  // two accounts AWS lets share a name (case differs): the second one (higher id) gets its id's last 4 digits
  row('600000000001', 'Sandbox', 'sandbox', 'Sandbox', { env: 'sandbox' }),
  row('600000000002', 'sandbox', 'sandbox-0002', 'Sandbox', { env: 'sandbox' }),
  ...['Alice', 'Bob', 'Carol', 'Dan', 'Eve'].map((p, i) =>
    row(`60000000001${i}`, `Sandbox ${p}`, `sandbox-${p.toLowerCase()}`, 'Sandbox', { env: 'sandbox', owner: p.toLowerCase() })),
  row('700000000001', 'Legacy Closed', 'legacy-closed', 'Suspended', {}, 'CLOSED'),
  row('700000000002', 'Old Suspended', 'old-suspended', 'Suspended', {}, 'SUSPENDED'),
  row('700000000003', 'Leaving Soon', 'leaving-soon', 'Suspended', { env: 'prod' }, 'PENDING_CLOSURE'),
];

export const REALISTIC_INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6';
export const REALISTIC_IDENTITY_STORE = 'd-90679abcde';

/** The realistic organization as AWS shows it. */
export function realisticOrganization(): FakeOrganization {
  const fake = new FakeOrganization('r-k7q2', REALISTIC_MANAGEMENT);
  const idOfPath = new Map<string, string>([['', fake.rootId], ...REALISTIC_OUS.map((o) => [o.path, o.id] as [string, string])]);
  fake.ous = REALISTIC_OUS.map((o) => ({ id: o.id, name: o.awsName, parentId: idOfPath.get(o.parent)! }));
  fake.accounts = REALISTIC_ACCOUNTS.map((a) => ({
    id: a.id, name: a.awsName, state: a.state, parentId: idOfPath.get(a.path)!, tags: { ...a.tags },
  }));
  fake.delegated = {
    100000000005: ['access-analyzer.amazonaws.com', 'guardduty.amazonaws.com', 'securityhub.amazonaws.com', 'sso.amazonaws.com'],
    100000000006: ['member.org.stacksets.cloudformation.amazonaws.com'],
  };
  fake.trusted = ['access-analyzer.amazonaws.com', 'guardduty.amazonaws.com', 'member.org.stacksets.cloudformation.amazonaws.com', 'sso.amazonaws.com'];
  fake.instances = { 'eu-central-1': [{ InstanceArn: REALISTIC_INSTANCE_ARN, IdentityStoreId: REALISTIC_IDENTITY_STORE, OwnerAccountId: REALISTIC_MANAGEMENT }] };
  return fake;
}

/** An organization model as AWS would show it (names already normalized, as in the example). */
export function fakeFromModel(org: Organization, options: { instanceArn?: string; identityStoreId?: string; region?: string } = {},
): FakeOrganization {
  const fake = new FakeOrganization(org.rootId, org.managementAccount.accountId);
  const ids = new Map<string, string>([['', org.rootId], ...org.organizationalUnits.map((o) => [o.path, o.ouId] as [string, string])]);
  fake.ous = org.organizationalUnits.map((o) => ({
    id: o.ouId,
    name: o.path.slice(o.path.lastIndexOf('/') + 1),
    parentId: ids.get(o.path.includes('/') ? o.path.slice(0, o.path.lastIndexOf('/')) : '')!,
  }));
  const all = [org.managementAccount, ...(org.jumpAccount ? [org.jumpAccount] : []), ...org.accounts.filter((a) =>
    a.accountId !== org.managementAccount.accountId && a.accountId !== org.jumpAccount?.accountId)];
  fake.accounts = all.map((a) => ({ id: a.accountId, name: a.name, state: a.status ?? 'ACTIVE', parentId: ids.get(a.organizationalUnit ?? '')!, tags: { ...(a.tags ?? {}) } }));
  if (org.organizationId) fake.organizationId = org.organizationId;
  const delegate = (accountId: string, principal: string) => {
    fake.delegated[accountId] = [...(fake.delegated[accountId] ?? []), principal];
  };
  if (org.identityCenterDelegated) delegate(org.identityCenterAccount.accountId, 'sso.amazonaws.com');
  // the model's security tooling account is where Access Analyzer is delegated (as `lz-org import` reads it back)
  if (org.securityToolingAccount.accountId !== org.managementAccount.accountId) {
    delegate(org.securityToolingAccount.accountId, 'access-analyzer.amazonaws.com');
  }
  if (options.instanceArn && options.identityStoreId) {
    fake.instances[options.region ?? 'us-east-1'] = [{ InstanceArn: options.instanceArn, IdentityStoreId: options.identityStoreId, OwnerAccountId: org.managementAccount.accountId }];
  }
  return fake;
}
