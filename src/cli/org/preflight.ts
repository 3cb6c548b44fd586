// `lz-org preflight`: checks, read-only, everything the synthesized landing zone needs from the organization, and
// says for each failure the exact fix. Requirements come from the cloud assembly (./assembly.ts); facts from AWS,
// each read once. A read that fails (e.g. AccessDenied) fails the checks that needed it, naming the call.
/* eslint-disable import/no-extraneous-dependencies */ // bundled into assets/cli by esbuild; the library never imports it
import { DescribeOrganizationsAccessCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeOrganizationalUnitCommand, DescribeOrganizationCommand, ListRootsCommand, paginateListAccounts,
  paginateListAWSServiceAccessForOrganization, paginateListDelegatedAdministrators, paginateListPoliciesForTarget,
} from '@aws-sdk/client-organizations';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AssemblyRequirements, StackRole } from './assembly';
import { OrgClients, RoleCredentials } from './clients';
import { listInstances } from './read-organization';
import { describeError, Progress } from '../common/output';

export enum CheckStatus {
  PASS = 'pass',
  FAIL = 'fail',
  SKIP = 'skip',
}

export interface CheckResult {
  /** A stable id, e.g. `policy-type.SERVICE_CONTROL_POLICY`, usable with --skip. */
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** The exact fix, for failures. */
  readonly fix?: string;
}

export interface PreflightOptions {
  /** Check ids (or prefixes ending in `.`, or `*`-patterns) reported as skipped. */
  readonly skip?: string[];
  /** The SCP / RCP quota per target; overrides what `landing-zone.json` records. */
  readonly maxPoliciesPerTarget?: number;
  /** A role name to read bootstrap versions through in other accounts, instead of CDK's lookup role. */
  readonly roleName?: string;
  readonly progress: Progress;
}

export const SERVICE = {
  STACK_SETS: 'member.org.stacksets.cloudformation.amazonaws.com',
  IDENTITY_CENTER: 'sso.amazonaws.com',
  ACCESS_ANALYZER: 'access-analyzer.amazonaws.com',
};

const DEFAULT_POLICIES_PER_TARGET = 5;
const POLICY_TYPE_NAMES: Record<string, string> = {
  SERVICE_CONTROL_POLICY: 'service control policies',
  RESOURCE_CONTROL_POLICY: 'resource control policies',
};

/** A value read from AWS, or why it could not be read. */
type Read<T> = { ok: true; value: T } | { ok: false; error: string };

class Facts {
  private readonly cache = new Map<string, Promise<Read<unknown>>>();
  constructor(private readonly clients: OrgClients, private readonly progress: Progress) {}

  public read<T>(key: string, label: string, fn: () => Promise<T>): Promise<Read<T>> {
    if (!this.cache.has(key)) {
      this.cache.set(key, (async () => {
        this.progress.update(label);
        try {
          return { ok: true, value: await fn() } as Read<unknown>;
        } catch (e) {
          return { ok: false, error: describeError(e) } as Read<unknown>;
        }
      })());
    }
    return this.cache.get(key) as Promise<Read<T>>;
  }

  public caller() {
    return this.read('caller', 'caller identity', async () => {
      const id = await this.clients.sts().send(new GetCallerIdentityCommand({}));
      return { account: id.Account!, partition: (id.Arn ?? 'arn:aws:').split(':')[1] || 'aws' };
    });
  }

  public organization() {
    return this.read('organization', 'organization', async () => {
      const o = (await this.clients.organizations().send(new DescribeOrganizationCommand({}))).Organization!;
      return { id: o.Id!, managementAccountId: o.MasterAccountId!, featureSet: o.FeatureSet ?? 'ALL' };
    });
  }

  public root() {
    return this.read('root', 'root', async () => {
      const r = (await this.clients.organizations().send(new ListRootsCommand({}))).Roots?.[0];
      if (!r?.Id) throw new Error('ListRoots returned no root');
      return { id: r.Id, enabledPolicyTypes: (r.PolicyTypes ?? []).filter((p) => p.Status === 'ENABLED').map((p) => p.Type!) };
    });
  }

  public accounts() {
    return this.read('accounts', 'accounts', async () => {
      const out = new Map<string, { name: string; state: string }>();
      for await (const page of paginateListAccounts({ client: this.clients.organizations() }, {})) {
        for (const a of page.Accounts ?? []) out.set(a.Id!, { name: a.Name ?? a.Id!, state: a.State ?? a.Status ?? 'ACTIVE' });
        this.progress.update(`accounts: ${out.size}`);
      }
      return out;
    });
  }

  public trustedServices() {
    return this.read('trusted', 'trusted services', async () => {
      const out = new Set<string>();
      for await (const page of paginateListAWSServiceAccessForOrganization({ client: this.clients.organizations() }, {})) {
        for (const s of page.EnabledServicePrincipals ?? []) if (s.ServicePrincipal) out.add(s.ServicePrincipal);
      }
      return out;
    });
  }

  public delegatedAdministrators(servicePrincipal: string) {
    return this.read(`delegated ${servicePrincipal}`, `delegated administrators of ${servicePrincipal}`, async () => {
      const out = new Set<string>();
      const client = this.clients.organizations();
      for await (const page of paginateListDelegatedAdministrators({ client }, { ServicePrincipal: servicePrincipal })) {
        for (const d of page.DelegatedAdministrators ?? []) if (d.Id) out.add(d.Id);
      }
      return out;
    });
  }

  public organizationalUnitExists(ouId: string) {
    return this.read(`ou ${ouId}`, `ou ${ouId}`, async () => {
      try {
        await this.clients.organizations().send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ouId }));
        return true;
      } catch (e) {
        if ((e as Error).name === 'OrganizationalUnitNotFoundException') return false;
        throw e;
      }
    });
  }

  public attachedPolicies(targetId: string, type: string) {
    return this.read(`attached ${type} ${targetId}`, `policies attached to ${targetId}`, async () => {
      const out: Array<{ id: string; name: string }> = [];
      const client = this.clients.organizations();
      for await (const page of paginateListPoliciesForTarget({ client }, { TargetId: targetId, Filter: type as never })) {
        for (const p of page.Policies ?? []) out.push({ id: p.Id!, name: p.Name ?? p.Id! });
      }
      return out;
    });
  }

  public stackSetsAccess(region: string, callAs: string) {
    return this.read(`stacksets ${region} ${callAs}`, `StackSets trusted access in ${region}`, async () =>
      (await this.clients.cloudFormation(region).send(new DescribeOrganizationsAccessCommand({ CallAs: callAs as never }))).Status ?? 'DISABLED');
  }

  public instances(region: string) {
    return this.read(`instances ${region}`, `Identity Center instances in ${region}`, () => listInstances(this.clients.ssoAdmin(region)));
  }

  /** The CDK bootstrap version in an environment, read through a role when the account is not the caller's. */
  public bootstrapVersion(account: string, region: string, parameter: string, roleArn: string | undefined) {
    return this.read(`bootstrap ${account} ${region}`, `CDK bootstrap of ${account}/${region}`, async () => {
      const caller = await this.caller();
      if (!caller.ok) throw new Error(caller.error);
      let credentials: RoleCredentials | undefined;
      if (account !== caller.value.account) {
        if (!roleArn) throw new Error('no role to read it through: pass --role-name');
        const arn = roleArn.replace('${AWS::Partition}', caller.value.partition);
        let assumed;
        try {
          assumed = (await this.clients.sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'lz-org-preflight' }))).Credentials;
        } catch (e) {
          throw new Error(`cannot assume ${arn} (${describeError(e)})`);
        }
        credentials = { accessKeyId: assumed!.AccessKeyId!, secretAccessKey: assumed!.SecretAccessKey!, sessionToken: assumed!.SessionToken };
      }
      try {
        const p = await this.clients.ssm(region, credentials).send(new GetParameterCommand({ Name: parameter }));
        return Number(p.Parameter?.Value);
      } catch (e) {
        if ((e as Error).name === 'ParameterNotFound') return undefined;
        throw e;
      }
    });
  }
}

export async function runPreflight(req: AssemblyRequirements, clients: OrgClients, options: PreflightOptions): Promise<CheckResult[]> {
  const facts = new Facts(clients, options.progress);
  const org = await facts.organization();
  const ctx: Context = {
    req,
    clients,
    options,
    facts,
    list: new Checklist(options.skip ?? []),
    org,
    management: org.ok ? org.value.managementAccountId : undefined,
    root: await facts.root(),
    caller: await facts.caller(),
  };
  await checkOrganization(ctx);
  await checkPolicyTypes(ctx);
  await checkTrustedAccess(ctx);
  await checkDeployers(ctx);
  await checkPolicies(ctx);
  await checkStackSetTargets(ctx);
  await checkAccounts(ctx);
  await checkIdentityCenter(ctx);
  await checkBootstrap(ctx);
  options.progress.done();
  return ctx.list.results;
}

interface Context {
  readonly req: AssemblyRequirements;
  readonly clients: OrgClients;
  readonly options: PreflightOptions;
  readonly facts: Facts;
  readonly list: Checklist;
  readonly org: Read<{ id: string; managementAccountId: string; featureSet: string }>;
  readonly management?: string;
  readonly root: Read<{ id: string; enabledPolicyTypes: string[] }>;
  readonly caller: Read<{ account: string; partition: string }>;
}

/** The results in order; checks matching --skip are kept, marked skipped. */
class Checklist {
  public readonly results: CheckResult[] = [];
  constructor(private readonly skip: string[]) {}

  public pass(id: string, title: string, detail: string): void {
    this.add({ id, title, status: CheckStatus.PASS, detail });
  }

  public fail(id: string, title: string, detail: string, fix: string): void {
    this.add({ id, title, status: CheckStatus.FAIL, detail, fix });
  }

  /** A check that could not be made because a read failed: a failure naming the call. */
  public unreadable(id: string, title: string, error: string, action: string): void {
    this.fail(id, title, `could not read: ${error}`, `run preflight with credentials of the management account that allow ${action}`);
  }

  private add(r: CheckResult): void {
    this.results.push(isSkipped(r.id, this.skip) ? { ...r, status: CheckStatus.SKIP, fix: undefined } : r);
  }
}

// the organization
async function checkOrganization(ctx: Context): Promise<void> {
  const { req, list, org, root } = ctx;
  if (!org.ok) {
    list.unreadable('organization.all-features', 'all features enabled', org.error, 'organizations:DescribeOrganization');
  } else if (org.value.featureSet === 'ALL') {
    list.pass('organization.all-features', 'all features enabled', `organization ${org.value.id} uses all features`);
  } else {
    list.fail('organization.all-features', 'all features enabled', `organization ${org.value.id} has only consolidated billing`,
      'aws organizations enable-all-features (from the management account; every invited account must then accept the handshake)');
  }
  for (const lz of req.landingZones) {
    const title = `app built for this organization (${lz.path})`;
    if (!org.ok || !root.ok) {
      list.unreadable(`organization.matches-app.${lz.path}`, title, org.ok ? (root as { error: string }).error : org.error, 'organizations:DescribeOrganization and ListRoots');
      continue;
    }
    const wrong: string[] = [];
    if (lz.managementAccountId !== org.value.managementAccountId) wrong.push(`management account ${lz.managementAccountId} (this organization's is ${org.value.managementAccountId})`);
    if (lz.rootId !== root.value.id) wrong.push(`root ${lz.rootId} (this organization's is ${root.value.id})`);
    if (wrong.length === 0) {
      list.pass(`organization.matches-app.${lz.path}`, title, `management account ${lz.managementAccountId}, root ${lz.rootId}`);
    } else {
      list.fail(`organization.matches-app.${lz.path}`, title, `the app's model names ${wrong.join(' and ')}`,
        'run preflight with credentials of the organization the app was built for, or re-import the model (lz-org import) and synthesize again');
    }
  }
}

// policy types on the root
async function checkPolicyTypes(ctx: Context): Promise<void> {
  const { req, list, root } = ctx;
  for (const type of [...new Set(req.policies.map((p) => p.type))].sort()) {
    const id = `policy-type.${type}`;
    const title = `${POLICY_TYPE_NAMES[type] ?? type} enabled on the root`;
    if (!root.ok) {
      list.unreadable(id, title, root.error, 'organizations:ListRoots');
    } else if (root.value.enabledPolicyTypes.includes(type as never)) {
      list.pass(id, title, `${type} is enabled on ${root.value.id}`);
    } else {
      list.fail(id, title, `${type} is not enabled on ${root.value.id}; the landing zone has ${req.policies.filter((p) => p.type === type).length} such policies`,
        `aws organizations enable-policy-type --root-id ${root.value.id} --policy-type ${type}`);
    }
  }
}

// trusted access
async function checkTrustedAccess(ctx: Context): Promise<void> {
  const { req, facts, list, clients, management } = ctx;
  const trusted = await facts.trustedServices();
  const caller = ctx.caller;
  const serviceManaged = req.stackSets;
  for (const region of [...new Set(serviceManaged.map((s) => s.region ?? clients.region))].sort()) {
    const id = `trusted-access.stacksets.${region}`;
    const title = `trusted access for CloudFormation StackSets (${region})`;
    const callAs = caller.ok && management && caller.value.account !== management ? 'DELEGATED_ADMIN' : 'SELF';
    const status = await facts.stackSetsAccess(region, callAs);
    if (!status.ok) list.unreadable(id, title, status.error, 'cloudformation:DescribeOrganizationsAccess');
    else if (status.value === 'ENABLED') list.pass(id, title, `activated; ${plural(serviceManaged.filter((s) => (s.region ?? clients.region) === region).length, 'service-managed StackSet')} need it`);
    else list.fail(id, title, `trusted access is ${status.value}`, `aws cloudformation activate-organizations-access --region ${region} (from the management account)`);
  }
  const trustedCheck = (id: string, title: string, principal: string, fix: string, needed: boolean) => {
    if (!needed) return;
    if (!trusted.ok) list.unreadable(id, title, trusted.error, 'organizations:ListAWSServiceAccessForOrganization');
    else if (trusted.value.has(principal)) list.pass(id, title, `${principal} has trusted access`);
    else list.fail(id, title, `${principal} has no trusted access to the organization`, fix);
  };
  trustedCheck('trusted-access.identity-center', 'trusted access for IAM Identity Center', SERVICE.IDENTITY_CENTER,
    'enable IAM Identity Center for the organization in the IAM Identity Center console of the management account (it enables trusted access)',
    req.identityCenter.length > 0);
  trustedCheck('trusted-access.access-analyzer', 'trusted access for IAM Access Analyzer', SERVICE.ACCESS_ANALYZER,
    `aws organizations enable-aws-service-access --service-principal ${SERVICE.ACCESS_ANALYZER}`, req.analyzers.length > 0);
}

// the accounts that deploy what only the management account or a delegated administrator may
async function checkDeployers(ctx: Context): Promise<void> {
  const { req, facts, list, clients, org, management } = ctx;
  const stacksOf = (role: StackRole) => req.stacks.filter((s) => s.roles.includes(role));
  for (const account of [...new Set(stacksOf(StackRole.POLICIES).map((s) => s.account ?? '?'))].sort()) {
    const id = `deployer.policies.${account}`;
    const title = `organization policies deployed from the management account (${account})`;
    const stacks = stacksOf(StackRole.POLICIES).filter((s) => (s.account ?? '?') === account).map((s) => s.stackName).join(', ');
    if (!management) list.unreadable(id, title, (org as { error: string }).error, 'organizations:DescribeOrganization');
    else if (account === management) list.pass(id, title, `${stacks} ${deploy(stacks)} to the management account`);
    else list.fail(id, title, `${stacks} ${deploy(stacks)} to ${account}, not the management account ${management}`, `deploy the stacks holding policies to the management account ${management} (the landing zone's management and OU stacks)`);
  }
  for (const account of [...new Set(req.stackSets.map((s) => `${s.callAs} ${s.account ?? '?'}`))].sort()) {
    const [callAs, acct] = account.split(' ');
    const id = `deployer.stacksets.${acct}`;
    const title = `StackSets administered from ${acct} (callAs ${callAs})`;
    if (!management) {
      list.unreadable(id, title, (org as { error: string }).error, 'organizations:DescribeOrganization');
    } else if (callAs === 'SELF') {
      if (acct === management) list.pass(id, title, 'the management account administers them');
      else list.fail(id, title, `callAs SELF from ${acct}, which is not the management account ${management}`, `set stackSetCallAs DELEGATED_ADMIN and register ${acct}: aws organizations register-delegated-administrator --account-id ${acct} --service-principal ${SERVICE.STACK_SETS}`);
    } else {
      const admins = await facts.delegatedAdministrators(SERVICE.STACK_SETS);
      if (!admins.ok) list.unreadable(id, title, admins.error, 'organizations:ListDelegatedAdministrators');
      else if (admins.value.has(acct)) list.pass(id, title, `${acct} is a registered StackSets delegated administrator`);
      else list.fail(id, title, `${acct} is not a registered delegated administrator for ${SERVICE.STACK_SETS}`, `aws organizations register-delegated-administrator --account-id ${acct} --service-principal ${SERVICE.STACK_SETS}`);
    }
  }
  const icAdmins = req.identityCenter.length > 0 ? await facts.delegatedAdministrators(SERVICE.IDENTITY_CENTER) : undefined;
  for (const s of [...stacksOf(StackRole.IDENTITY_CENTER)].sort((a, b) => a.stackName.localeCompare(b.stackName))) {
    const account = s.account ?? '?';
    const id = `deployer.identity-center.${s.stackName}`;
    const title = `Identity Center administered from ${account} (${s.stackName})`;
    const instances = await facts.instances(s.region ?? clients.region);
    const owners = instances.ok ? instances.value.map((i) => i.ownerAccountId).filter((o): o is string => !!o) : [];
    const owner = owners[0] ?? management;
    if (icAdmins && !icAdmins.ok) {list.unreadable(id, title, icAdmins.error, 'organizations:ListDelegatedAdministrators');} else if (account === owner) {list.pass(id, title, `${s.stackName} deploys to ${account}, the Identity Center instance's account`);} else if (icAdmins?.ok && icAdmins.value.has(account)) {list.pass(id, title, `${account} is the registered Identity Center delegated administrator`);} else {
      const registered = icAdmins?.ok && icAdmins.value.size > 0 ? [...icAdmins.value].join(', ') : 'none';
      list.fail(id, title, `${s.stackName} creates permission sets or assignments from ${account}, which is neither the instance's account ${owner ?? '?'} nor the registered delegated administrator (${registered})`,
        `register ${account} in the IAM Identity Center console of the management account (Settings > Management > Register account), or set identityCenterAdminAccount in the organization model to ${registered === 'none' ? 'the account that administers Identity Center' : registered}`);
    }
  }
  for (const account of [...new Set(req.analyzers.map((a) => a.account ?? '?'))].sort()) {
    const id = `deployer.access-analyzer.${account}`;
    const title = `organization analyzer administered from ${account}`;
    const admins = await facts.delegatedAdministrators(SERVICE.ACCESS_ANALYZER);
    if (!admins.ok) list.unreadable(id, title, admins.error, 'organizations:ListDelegatedAdministrators');
    else if (account === management) list.pass(id, title, 'the management account administers it');
    else if (admins.value.has(account)) list.pass(id, title, `${account} is the registered Access Analyzer delegated administrator`);
    else list.fail(id, title, `${account} is not a registered delegated administrator for ${SERVICE.ACCESS_ANALYZER}`, `aws organizations register-delegated-administrator --account-id ${account} --service-principal ${SERVICE.ACCESS_ANALYZER}`);
  }
}

// policy targets and how many policies each gets
async function checkPolicies(ctx: Context): Promise<void> {
  const { req, facts, list, options, root } = ctx;
  const accounts = await facts.accounts();
  const missingTargets: string[] = [];
  const targets = new Map<string, { type: string; target: string; names: string[] }>();
  for (const p of req.policies) {
    for (const t of p.targetIds) {
      const k = `${p.type} ${t}`;
      const entry = targets.get(k) ?? { type: p.type, target: t, names: [] };
      entry.names.push(p.name ?? '(unnamed)');
      targets.set(k, entry);
    }
  }
  const allTargets = [...new Set(req.policies.flatMap((p) => p.targetIds))].sort();
  if (allTargets.length > 0) {
    let unreadableTargets: string | undefined;
    for (const t of allTargets) {
      if (t.startsWith('r-')) {
        if (!root.ok) unreadableTargets = root.error;
        else if (t !== root.value.id) missingTargets.push(`root ${t}`);
      } else if (t.startsWith('ou-')) {
        const exists = await facts.organizationalUnitExists(t);
        if (!exists.ok) unreadableTargets = exists.error;
        else if (!exists.value) missingTargets.push(`ou ${t}`);
      } else if (!accounts.ok) {
        unreadableTargets = accounts.error;
      } else if (!accounts.value.has(t)) {
        missingTargets.push(`account ${t}`);
      }
    }
    const title = 'policy targets exist';
    if (unreadableTargets) list.unreadable('policies.targets', title, unreadableTargets, 'organizations:ListRoots, DescribeOrganizationalUnit and ListAccounts');
    else if (missingTargets.length === 0) list.pass('policies.targets', title, `${plural(allTargets.length, 'target')} found`);
    else list.fail('policies.targets', title, `not in the organization: ${missingTargets.join(', ')}`, 're-import the model (lz-org import), review lz-org diff, and synthesize again');
  }
  const lzPolicyNames = new Set(req.policies.map((p) => p.name).filter((n): n is string => !!n));
  const recorded = req.landingZones.map((l) => l.maxPoliciesPerTarget);
  const quota = options.maxPoliciesPerTarget ?? (recorded.length > 0 ? Math.min(...recorded) : DEFAULT_POLICIES_PER_TARGET);
  for (const { type, target, names } of [...targets.values()].sort((a, b) => a.target.localeCompare(b.target) || a.type.localeCompare(b.type))) {
    const id = `policies.quota.${type}.${target}`;
    const title = `${POLICY_TYPE_NAMES[type] ?? type} per target within ${quota} (${target})`;
    if (missingTargets.some((m) => m.endsWith(` ${target}`))) continue;
    const attached = await facts.attachedPolicies(target, type);
    if (!attached.ok) {
      list.unreadable(id, title, attached.error, 'organizations:ListPoliciesForTarget');
      continue;
    }
    const outside = attached.value.filter((a) => !lzPolicyNames.has(a.name));
    const total = outside.length + names.length;
    const detail = `${outside.length} attached outside the landing zone${outside.length ? ` (${outside.map((o) => o.name).join(', ')})` : ''} + ${names.length} from it = ${total} of ${quota}`;
    if (total <= quota) list.pass(id, title, detail);
    else list.fail(id, title, detail, `detach ${total - quota} of the policies attached outside the landing zone from ${target} (aws organizations detach-policy --policy-id <id> --target-id ${target}), merge guardrails into fewer policies, or, if your quota is higher, set maxPoliciesPerTarget (or pass --max-policies-per-target)`);
  }
}

// StackSet targets
async function checkStackSetTargets(ctx: Context): Promise<void> {
  const { req, facts, list, root } = ctx;
  const stackSetOus = [...new Set(req.stackSets.flatMap((s) => s.organizationalUnitIds))].sort();
  if (stackSetOus.length > 0) {
    const missing: string[] = [];
    let error: string | undefined;
    for (const ou of stackSetOus) {
      // a StackSet may target the root itself (every account of the organization)
      if (ou.startsWith('r-')) {
        if (!root.ok) error = root.error;
        else if (ou !== root.value.id) missing.push(ou);
        continue;
      }
      const exists = await facts.organizationalUnitExists(ou);
      if (!exists.ok) error = exists.error;
      else if (!exists.value) missing.push(ou);
    }
    const title = 'StackSet target OUs exist';
    if (error) list.unreadable('stacksets.targets', title, error, 'organizations:ListRoots and DescribeOrganizationalUnit');
    else if (missing.length === 0) list.pass('stacksets.targets', title, `${plural(stackSetOus.length, 'target')} found`);
    else list.fail('stacksets.targets', title, `not in the organization: ${missing.join(', ')}`, 're-import the model (lz-org import), review lz-org diff, and synthesize again');
  }
}

// the accounts the landing zone deploys to or depends on
async function checkAccounts(ctx: Context): Promise<void> {
  const { req, facts, list } = ctx;
  const accounts = await facts.accounts();
  const needed = new Map<string, Set<string>>();
  const need = (account: string | undefined, why: string) => {
    if (!account) return;
    if (!needed.has(account)) needed.set(account, new Set());
    needed.get(account)!.add(why);
  };
  for (const s of req.stacks) for (const r of s.roles.length > 0 ? s.roles : ['stacks' as const]) need(s.account, r);
  for (const s of req.stackSets) for (const a of s.trustedAccounts) need(a, 'trusted by the baseline roles');
  for (const lz of req.landingZones) need(lz.jumpAccountId, StackRole.JUMP_ACCOUNT);
  for (const [account, why] of [...needed].sort((a, b) => a[0].localeCompare(b[0]))) {
    const id = `account.${account}`;
    const title = `account ${account} is active`;
    const uses = `(${[...why].sort().join(', ')})`;
    if (!accounts.ok) list.unreadable(id, title, accounts.error, 'organizations:ListAccounts');
    else if (!accounts.value.has(account)) list.fail(id, title, `${account} ${uses} is not an account of this organization`, `invite ${account} into the organization or correct the model (lz-org import, then synthesize again); if it belongs to another organization, check it with that organization's credentials and pass --skip ${id}`);
    else if (accounts.value.get(account)!.state !== 'ACTIVE') list.fail(id, title, `${accounts.value.get(account)!.name} ${uses} is ${accounts.value.get(account)!.state}`, 're-import the model (lz-org import) so it marks the account, and move what the app deploys there to an active account');
    else list.pass(id, title, `${accounts.value.get(account)!.name} ${uses}`);
  }
  const assignmentAccounts = [...new Set(req.identityCenter.flatMap((i) => i.assignmentAccounts))].sort();
  if (assignmentAccounts.length > 0) {
    const title = 'accounts receiving Identity Center assignments are active';
    if (!accounts.ok) {
      list.unreadable('identity-center.assignment-accounts', title, accounts.error, 'organizations:ListAccounts');
    } else {
      const bad = assignmentAccounts.filter((a) => accounts.value.get(a)?.state !== 'ACTIVE')
        .map((a) => `${a} (${accounts.value.get(a)?.state ?? 'not in the organization'})`);
      if (bad.length === 0) list.pass('identity-center.assignment-accounts', title, `${plural(assignmentAccounts.length, 'account')} active`);
      else list.fail('identity-center.assignment-accounts', title, `not active: ${bad.join(', ')}`, 're-import the model (lz-org import): selections then skip accounts that are not active; synthesize again');
    }
  }
}

// Identity Center instance and identity store
async function checkIdentityCenter(ctx: Context): Promise<void> {
  const { req, facts, list, clients } = ctx;
  const byRegion = new Map<string, { instanceIds: Set<string>; stores: Set<string>; stacks: Set<string> }>();
  for (const r of req.identityCenter) {
    const region = r.region ?? clients.region;
    const e = byRegion.get(region) ?? { instanceIds: new Set(), stores: new Set(), stacks: new Set() };
    r.instanceIds.forEach((i) => e.instanceIds.add(i));
    r.identityStoreIds.forEach((i) => e.stores.add(i));
    e.stacks.add(r.stackName);
    byRegion.set(region, e);
  }
  for (const [region, e] of [...byRegion].sort((a, b) => a[0].localeCompare(b[0]))) {
    const instances = await facts.instances(region);
    const stacks = [...e.stacks].sort().join(', ');
    if (!instances.ok) {
      list.unreadable(`identity-center.instance.${region}`, `Identity Center instance (${region})`, instances.error, 'sso:ListInstances');
      continue;
    }
    const found = instances.value;
    const foundText = found.map((i) => `${i.instanceArn} (identity store ${i.identityStoreId})`).join(', ') || 'none';
    for (const instanceId of [...e.instanceIds].sort()) {
      const id = `identity-center.instance.${instanceId}`;
      const title = `Identity Center instance ${instanceId} exists in ${region}`;
      if (found.some((i) => i.instanceArn.endsWith(`/${instanceId}`))) list.pass(id, title, `used by ${stacks}`);
      else list.fail(id, title, `${stacks} ${stacks.includes(', ') ? 'use' : 'uses'} ${instanceId}; ${region} has ${foundText}`, found.length > 0 ? `set identityCenter.instanceArn to ${found[0].instanceArn} (lz-org import writes it to the generated module's identityCenter), then synthesize again` : `deploy the Identity Center stacks to the region where Identity Center is enabled (LandingZone region), or enable IAM Identity Center in ${region}`);
    }
    const matching = found.filter((i) => [...e.instanceIds].some((x) => i.instanceArn.endsWith(`/${x}`)));
    const expected = (matching.length > 0 ? matching : found).map((i) => i.identityStoreId);
    for (const store of [...e.stores].sort()) {
      const id = `identity-center.identity-store.${store}`;
      const title = `identity store ${store} belongs to the instance`;
      if (expected.includes(store)) list.pass(id, title, `used by ${stacks}`);
      else list.fail(id, title, `${stacks} ${stacks.includes(', ') ? 'use' : 'uses'} ${store}; the instance's identity store is ${expected.join(', ') || 'unknown (no instance)'}`, expected.length > 0 ? `set identityStoreId to ${expected[0]} (lz-org import writes it to the generated module's identityCenter), then synthesize again` : 'enable IAM Identity Center first');
    }
  }
}

// CDK bootstrap of every environment that hosts a stack
async function checkBootstrap(ctx: Context): Promise<void> {
  const { req, facts, list, options, caller } = ctx;
  const envs = new Map<string, { account: string; region: string; version: number; parameter: string; roleArn?: string; stacks: string[] }>();
  for (const s of req.stacks) {
    if (!s.account || !s.region || !s.bootstrap) continue;
    const k = `${s.account}/${s.region}`;
    const e = envs.get(k)
      ?? { account: s.account, region: s.region, version: 0, parameter: s.bootstrap.parameter, roleArn: s.bootstrap.lookupRoleArn, stacks: [] };
    e.version = Math.max(e.version, s.bootstrap.version);
    e.stacks.push(s.stackName);
    envs.set(k, e);
  }
  const deployer = caller.ok ? caller.value.account : '<deploying account>';
  for (const [k, e] of [...envs].sort((a, b) => a[0].localeCompare(b[0]))) {
    const id = `bootstrap.${e.account}.${e.region}`;
    const title = `CDK bootstrap in ${k}`;
    const roleArn = options.roleName ? `arn:\${AWS::Partition}:iam::${e.account}:role/${options.roleName}` : e.roleArn;
    const partition = caller.ok ? caller.value.partition : 'aws';
    const trust = e.account !== deployer ? ` --trust ${deployer} --cloudformation-execution-policies arn:${partition}:iam::aws:policy/AdministratorAccess` : '';
    const fix = `npx cdk bootstrap aws://${k}${trust} (with credentials of ${e.account})`;
    const version = await facts.bootstrapVersion(e.account, e.region, e.parameter, roleArn);
    if (!version.ok) list.fail(id, title, `could not read ${e.parameter}: ${version.error}`, `${fix}; or pass --role-name with a role preflight may assume there`);
    else if (version.value === undefined) list.fail(id, title, `not bootstrapped (${e.parameter} not found); ${e.stacks.join(', ')} ${deploy(e.stacks.join(', '))} there`, fix);
    else if (version.value < e.version) list.fail(id, title, `bootstrap version ${version.value}, the stacks need ${e.version}`, fix);
    else list.pass(id, title, `version ${version.value} (needs ${e.version}) for ${e.stacks.join(', ')}`);
  }
  const agnostic = req.stacks.filter((s) => !s.account || !s.region);
  if (agnostic.length > 0) {
    list.fail('stacks.environment', 'every stack names its account and region', `${agnostic.map((s) => s.stackName).join(', ')} ${agnostic.length === 1 ? 'is' : 'are'} environment-agnostic, so preflight cannot check where ${agnostic.length === 1 ? 'it deploys' : 'they deploy'}`, 'give the stack an env ({ account, region }) in the app');
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function deploy(stacks: string): string {
  return stacks.includes(', ') ? 'deploy' : 'deploys';
}

function isSkipped(id: string, patterns: string[]): boolean {
  return patterns.some((p) => {
    if (p === id) return true;
    if (p.endsWith('.') && id.startsWith(p)) return true;
    if (p.includes('*')) return new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(id);
    return id.startsWith(`${p}.`);
  });
}
