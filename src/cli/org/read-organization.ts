// Reads the live organization with read-only calls: the root, every OU (recursively), every account with its state
// and tags, delegated administrators, trusted services, enabled policy types and the Identity Center instance.
/* eslint-disable import/no-extraneous-dependencies */ // bundled into assets/cli by esbuild; the library never imports it
import {
  DescribeOrganizationCommand, DescribeResourcePolicyCommand, ListRootsCommand, OrganizationsClient, paginateListAccountsForParent,
  paginateListAWSServiceAccessForOrganization, paginateListDelegatedAdministrators, paginateListDelegatedServicesForAccount,
  paginateListOrganizationalUnitsForParent, paginateListTagsForResource,
} from '@aws-sdk/client-organizations';
import {
  DescribePermissionSetCommand, paginateListAccountAssignments, paginateListAccountsForProvisionedPermissionSet,
  paginateListInstances, paginateListPermissionSets, SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { OrgClients } from './clients';
import { Progress } from '../common/output';

export interface LiveOrganizationalUnit {
  readonly id: string;
  readonly name: string;
  readonly parentId: string;
}

export interface LiveAccount {
  readonly id: string;
  readonly name: string;
  /** `State` (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION), or the older `Status`. */
  readonly state: string;
  readonly parentId: string;
  readonly tags: Record<string, string>;
}

export interface LiveDelegatedAdministrator {
  readonly accountId: string;
  readonly servicePrincipals: string[];
}

export interface LiveIdentityCenter {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly ownerAccountId?: string;
  readonly region: string;
}

export interface LiveAssignment {
  readonly accountId: string;
  readonly principalType: string;
  readonly principalId: string;
}

export interface LivePermissionSet {
  readonly arn: string;
  readonly name: string;
  readonly description?: string;
  readonly sessionDuration?: string;
  readonly assignments: LiveAssignment[];
}

export interface LiveOrganization {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly featureSet: string;
  readonly rootId: string;
  readonly enabledPolicyTypes: string[];
  readonly organizationalUnits: LiveOrganizationalUnit[];
  readonly accounts: LiveAccount[];
  readonly delegatedAdministrators: LiveDelegatedAdministrator[];
  /**
   * Member accounts the organization's resource-based delegation policy lets manage SCPs (create, update, attach,
   * detach and delete them); undefined when the policy could not be read.
   */
  readonly policyAdministrators?: string[];
  readonly trustedServices: string[];
  readonly identityCenter?: LiveIdentityCenter;
  readonly permissionSets?: LivePermissionSet[];
}

export interface ReadOptions {
  /** The region of the Identity Center instance. */
  readonly identityCenterRegion: string;
  /** Also read permission sets and their assignments (one call per permission set and account). */
  readonly permissionSets?: boolean;
  readonly progress: Progress;
}

/** Calls at once for per-account reads; the adaptive retry mode slows down further on throttling. */
const CONCURRENCY = 4;

export async function readOrganization(clients: OrgClients, options: ReadOptions): Promise<LiveOrganization> {
  const org = clients.organizations();
  const progress = options.progress;
  progress.update('organization');
  const described = (await org.send(new DescribeOrganizationCommand({}))).Organization;
  if (!described?.Id || !described.MasterAccountId) throw new Error('DescribeOrganization returned no organization');
  const roots = (await org.send(new ListRootsCommand({}))).Roots ?? [];
  if (roots.length !== 1 || !roots[0].Id) throw new Error(`expected one organization root, found ${roots.length}`);
  const root = roots[0];

  // breadth first, so parents come before children
  const ous: LiveOrganizationalUnit[] = [];
  const accounts: Array<Omit<LiveAccount, 'tags'>> = [];
  const queue = [root.Id!];
  while (queue.length > 0) {
    const parentId = queue.shift()!;
    for await (const page of paginateListOrganizationalUnitsForParent({ client: org }, { ParentId: parentId })) {
      for (const ou of page.OrganizationalUnits ?? []) {
        ous.push({ id: ou.Id!, name: ou.Name ?? ou.Id!, parentId });
        queue.push(ou.Id!);
      }
    }
    for await (const page of paginateListAccountsForParent({ client: org }, { ParentId: parentId })) {
      for (const a of page.Accounts ?? []) {
        accounts.push({ id: a.Id!, name: a.Name ?? a.Id!, state: a.State ?? a.Status ?? 'ACTIVE', parentId });
      }
    }
    progress.update(`${ous.length} OUs, ${accounts.length} accounts`);
  }

  let tagged = 0;
  const withTags = await mapLimit(accounts, CONCURRENCY, async (a) => {
    const tags: Record<string, string> = {};
    for await (const page of paginateListTagsForResource({ client: org }, { ResourceId: a.id })) {
      for (const t of page.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
    }
    progress.update(`tags of ${++tagged} of ${accounts.length} accounts`);
    return { ...a, tags };
  });

  progress.update('delegated administrators and trusted services');
  const delegatedAdministrators = await readDelegatedAdministrators(org);
  const policyAdministrators = await readPolicyAdministrators(org);
  const trustedServices: string[] = [];
  for await (const page of paginateListAWSServiceAccessForOrganization({ client: org }, {})) {
    for (const s of page.EnabledServicePrincipals ?? []) if (s.ServicePrincipal) trustedServices.push(s.ServicePrincipal);
  }

  progress.update(`Identity Center in ${options.identityCenterRegion}`);
  const sso = clients.ssoAdmin(options.identityCenterRegion);
  const identityCenter = await readIdentityCenter(sso, options.identityCenterRegion);
  const permissionSets = options.permissionSets && identityCenter
    ? await readPermissionSets(sso, identityCenter.instanceArn, progress)
    : undefined;

  return {
    organizationId: described.Id,
    managementAccountId: described.MasterAccountId,
    featureSet: described.FeatureSet ?? 'ALL',
    rootId: root.Id!,
    enabledPolicyTypes: (root.PolicyTypes ?? []).filter((p) => p.Status === 'ENABLED').map((p) => p.Type!).sort(),
    organizationalUnits: ous,
    accounts: withTags,
    delegatedAdministrators,
    policyAdministrators,
    trustedServices: trustedServices.sort(),
    identityCenter,
    permissionSets,
  };
}

export async function readDelegatedAdministrators(org: OrganizationsClient): Promise<LiveDelegatedAdministrator[]> {
  const out: LiveDelegatedAdministrator[] = [];
  for await (const page of paginateListDelegatedAdministrators({ client: org }, {})) {
    for (const d of page.DelegatedAdministrators ?? []) {
      const servicePrincipals: string[] = [];
      for await (const p of paginateListDelegatedServicesForAccount({ client: org }, { AccountId: d.Id! })) {
        for (const s of p.DelegatedServices ?? []) if (s.ServicePrincipal) servicePrincipals.push(s.ServicePrincipal);
      }
      out.push({ accountId: d.Id!, servicePrincipals: servicePrincipals.sort() });
    }
  }
  return out.sort((a, b) => a.accountId.localeCompare(b.accountId));
}

/**
 * The accounts the delegation policy lets manage SCPs; none without a policy, undefined when it cannot be read (an
 * older role without `organizations:DescribeResourcePolicy`: the import goes on, the model keeps no delegation).
 */
export async function readPolicyAdministrators(org: OrganizationsClient): Promise<string[] | undefined> {
  try {
    const out = await org.send(new DescribeResourcePolicyCommand({}));
    return scpAdministrators(out?.ResourcePolicy?.Content);
  } catch (e) {
    if ((e as Error).name === 'ResourcePolicyNotFoundException') return [];
    if ((e as Error).name === 'AccessDeniedException') return undefined;
    throw e;
  }
}

/** What managing the landing zone's SCPs takes from a delegated account. */
const SCP_MANAGEMENT = ['CreatePolicy', 'UpdatePolicy', 'DeletePolicy', 'AttachPolicy', 'DetachPolicy'].map((a) => `organizations:${a}`);

/**
 * The accounts a resource-based delegation policy allows every SCP management action. A statement counts when it is
 * an Allow naming the account (id or `arn:...:root`); one whose `organizations:PolicyType` condition leaves SCPs out
 * does not. Other conditions are not evaluated, so the result may name an account some condition restricts further.
 */
export function scpAdministrators(content: string | undefined): string[] {
  if (!content) return [];
  const doc = JSON.parse(content);
  const allowed = new Map<string, Set<string>>();
  for (const st of list(doc.Statement)) {
    if (st.Effect !== 'Allow' || !coversScps(st.Condition)) continue;
    const accounts = list(st.Principal?.AWS).map((p) => /^(?:arn:aws[a-z-]*:iam::)?(\d{12})(?::root)?$/.exec(String(p))?.[1]).filter((a): a is string => a !== undefined);
    const actions = list(st.Action).map((a) => String(a));
    for (const account of accounts) {
      const set = allowed.get(account) ?? new Set<string>();
      for (const needed of SCP_MANAGEMENT) if (actions.some((a) => glob(a).test(needed))) set.add(needed);
      allowed.set(account, set);
    }
  }
  return [...allowed].filter(([, set]) => set.size === SCP_MANAGEMENT.length).map(([a]) => a).sort();
}

function list(x: unknown): any[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

// a condition on organizations:PolicyType must admit SCPs; any other condition is left to AWS
function coversScps(condition: Record<string, Record<string, unknown>> | undefined): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      if (key.toLowerCase() !== 'organizations:policytype') continue;
      const vs = list(values).map(String);
      const hit = vs.includes('SERVICE_CONTROL_POLICY');
      if (/^StringNot/i.test(operator) ? hit : !hit) return false;
    }
  }
  return true;
}

/** The Identity Center instances visible in the client's region. */
export async function listInstances(sso: SSOAdminClient): Promise<Array<Omit<LiveIdentityCenter, 'region'>>> {
  const out: Array<Omit<LiveIdentityCenter, 'region'>> = [];
  for await (const page of paginateListInstances({ client: sso }, {})) {
    for (const i of page.Instances ?? []) {
      if (!i.InstanceArn || !i.IdentityStoreId) continue;
      out.push({ instanceArn: i.InstanceArn, identityStoreId: i.IdentityStoreId, ownerAccountId: i.OwnerAccountId });
    }
  }
  return out;
}

/** The instance of the region (an organization has at most one organization instance). */
async function readIdentityCenter(sso: SSOAdminClient, region: string): Promise<LiveIdentityCenter | undefined> {
  const [first] = await listInstances(sso);
  return first ? { ...first, region } : undefined;
}

async function readPermissionSets(sso: SSOAdminClient, instanceArn: string, progress: Progress): Promise<LivePermissionSet[]> {
  const arns: string[] = [];
  for await (const page of paginateListPermissionSets({ client: sso }, { InstanceArn: instanceArn })) arns.push(...(page.PermissionSets ?? []));
  let done = 0;
  const sets = await mapLimit(arns, CONCURRENCY, async (arn) => {
    const ps = (await sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }))).PermissionSet;
    const assignments: LiveAssignment[] = [];
    for await (const page of paginateListAccountsForProvisionedPermissionSet({ client: sso }, { InstanceArn: instanceArn, PermissionSetArn: arn })) {
      for (const accountId of page.AccountIds ?? []) {
        const input = { InstanceArn: instanceArn, AccountId: accountId, PermissionSetArn: arn };
        for await (const a of paginateListAccountAssignments({ client: sso }, input)) {
          for (const x of a.AccountAssignments ?? []) {
            assignments.push({ accountId, principalType: x.PrincipalType ?? 'UNKNOWN', principalId: x.PrincipalId ?? '' });
          }
        }
      }
    }
    progress.update(`permission sets: ${++done} of ${arns.length}`);
    return {
      arn,
      name: ps?.Name ?? arn,
      ...(ps?.Description ? { description: ps.Description } : {}),
      ...(ps?.SessionDuration ? { sessionDuration: ps.SessionDuration } : {}),
      assignments: assignments.sort((x, y) => x.accountId.localeCompare(y.accountId) || x.principalId.localeCompare(y.principalId)),
    };
  });
  return sets.sort((a, b) => a.name.localeCompare(b.name));
}

/** `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
