// The organization model as `lz-org import` writes it: the fields of `OrganizationProps` (so `Organization.fromJson`
// and the generated TypeScript module read the same data) plus `imported`, a record of what the import saw that the
// model has no field for (delegated administrators, trusted services, Identity Center, names as AWS shows them).
// Pure functions: no AWS call and no construct (the CLI bundle must not pull in aws-cdk-lib).
import { LiveOrganization, LivePermissionSet } from './read-organization';
import { CliError } from '../common/output';

export const MODEL_VERSION = 1;

export interface ModelAccount {
  readonly accountId: string;
  readonly name: string;
  readonly organizationalUnit?: string;
  readonly tags?: Record<string, string>;
  /** Omitted for active accounts; otherwise an `AccountStatus` value. */
  readonly status?: string;
}

export interface ModelOrganizationalUnit {
  readonly path: string;
  readonly ouId: string;
}

export interface ImportedDelegatedAdministrator {
  readonly accountId: string;
  /** The account's name in the model. */
  readonly name: string;
  readonly servicePrincipals: string[];
}

export interface ImportedIdentityCenter {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly region: string;
  readonly ownerAccountId?: string;
}

export interface ImportRecord {
  readonly version: number;
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly featureSet: string;
  readonly enabledPolicyTypes: string[];
  readonly trustedServices: string[];
  /** Every delegated administrator with all its services, whether or not the model has a field for it. */
  readonly delegatedAdministrators: ImportedDelegatedAdministrator[];
  /** Accounts the delegation policy lets manage SCPs, by id (absent when it could not be read). */
  readonly policyAdministrators?: string[];
  readonly identityCenter?: ImportedIdentityCenter;
  /** Names as AWS shows them (the model's names are normalized), by account id and OU id. */
  readonly awsNames: { readonly accounts: Record<string, string>; readonly organizationalUnits: Record<string, string> };
  readonly permissionSets?: LivePermissionSet[];
}

export interface OrganizationModel {
  readonly rootId: string;
  readonly organizationId?: string;
  readonly managementAccount: ModelAccount;
  readonly jumpAccount?: ModelAccount;
  readonly identityCenterAdminAccount?: string;
  readonly securityToolingAccount?: string;
  readonly policyAdministratorAccount?: string;
  readonly organizationalUnits: ModelOrganizationalUnit[];
  readonly accounts: ModelAccount[];
  readonly externalAccounts?: ModelAccount[];
  readonly imported: ImportRecord;
}

export interface BuildOptions {
  /** The jump account, by id, model name or AWS name; without it the previous model's jump account is kept. */
  readonly jumpAccount?: string;
  /** The committed model: its names are kept where AWS's did not change, its jump and external accounts carried over. */
  readonly previous?: OrganizationModel;
  /**
   * When the previous model's jump account has left the organization: build the model without one (to compare, where
   * the diff then names the account as removed) instead of failing.
   */
  readonly withoutMissingJumpAccount?: boolean;
}

const SSO_PRINCIPAL = 'sso.amazonaws.com';
const ACCESS_ANALYZER_PRINCIPAL = 'access-analyzer.amazonaws.com';

/** The account name as the model uses it: lower case letters, digits and single hyphens (`Shop Prod (EU)` -> `shop-prod-eu`). */
export function normalizeAccountName(name: string): string {
  return ascii(name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * An OU name as a path segment: letters, digits and hyphens, case kept (`Non Prod` -> `Non-Prod`), because the path
 * becomes part of stack, StackSet and policy names, which allow no spaces or slashes.
 */
export function normalizeOuName(name: string): string {
  return ascii(name).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function ascii(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** Builds the model from the live organization. Nothing is invented: every id, name, tag and state comes from AWS. */
export function buildModel(live: LiveOrganization, options: BuildOptions = {}): OrganizationModel {
  const previous = options.previous;

  // OU paths, parents first; a name AWS did not change keeps its previous segment
  const previousOuPath = new Map((previous?.organizationalUnits ?? []).map((o) => [o.ouId, o.path]));
  const previousOuAwsName = previous?.imported.awsNames.organizationalUnits ?? {};
  const ouPath = new Map<string, string>([[live.rootId, '']]);
  const taken = new Map<string, Set<string>>();
  const pending = [...live.organizationalUnits];
  let guard = pending.length + 1;
  while (pending.length > 0 && guard-- > 0) {
    for (const ou of [...pending]) {
      const parent = ouPath.get(ou.parentId);
      if (parent === undefined) continue;
      pending.splice(pending.indexOf(ou), 1);
      const siblings = taken.get(ou.parentId) ?? new Set<string>();
      taken.set(ou.parentId, siblings);
      const kept = previousOuAwsName[ou.id] === ou.name ? lastSegment(previousOuPath.get(ou.id)) : undefined;
      let segment = kept ?? (normalizeOuName(ou.name) || ou.id);
      if (siblings.has(segment.toLowerCase())) segment = `${segment}-${ou.id.slice(-4)}`;
      if (siblings.has(segment.toLowerCase())) segment = ou.id;
      siblings.add(segment.toLowerCase());
      ouPath.set(ou.id, parent === '' ? segment : `${parent}/${segment}`);
    }
  }
  if (pending.length > 0) throw new Error(`ous without a reachable parent: ${pending.map((o) => o.id).join(', ')}`);

  // account names, unique case-insensitively; previous names kept while AWS's name is unchanged
  const previousAccounts = new Map(allAccounts(previous).map((a) => [a.accountId, a]));
  const previousAwsName = previous?.imported.awsNames.accounts ?? {};
  const names = new Map<string, string>();
  const used = new Set<string>();
  const sorted = [...live.accounts].sort((a, b) => a.id.localeCompare(b.id));
  for (const a of sorted) {
    const kept = previousAwsName[a.id] === a.name ? previousAccounts.get(a.id)?.name : undefined;
    if (kept && !used.has(kept.toLowerCase())) {
      names.set(a.id, kept);
      used.add(kept.toLowerCase());
    }
  }
  for (const a of sorted) {
    if (names.has(a.id)) continue;
    let name = normalizeAccountName(a.name) || `account-${a.id}`;
    if (used.has(name)) name = `${name}-${a.id.slice(-4)}`;
    if (used.has(name)) name = `${name}-${a.id}`;
    names.set(a.id, name);
    used.add(name);
  }

  const toModel = (a: LiveOrganization['accounts'][number]): ModelAccount => {
    const path = ouPath.get(a.parentId);
    const tagKeys = Object.keys(a.tags).sort();
    return {
      accountId: a.id,
      name: names.get(a.id)!,
      ...(path ? { organizationalUnit: path } : {}),
      ...(tagKeys.length > 0 ? { tags: Object.fromEntries(tagKeys.map((k) => [k, a.tags[k]])) } : {}),
      ...(a.state !== 'ACTIVE' ? { status: a.state } : {}),
    };
  };

  const management = live.accounts.find((a) => a.id === live.managementAccountId);
  if (!management) throw new Error(`the management account ${live.managementAccountId} is not among the organization's accounts`);
  const jumpRef = options.jumpAccount ?? previous?.jumpAccount?.accountId;
  let jump: LiveOrganization['accounts'][number] | undefined;
  if (jumpRef !== undefined) {
    const ref = jumpRef.toLowerCase();
    jump = live.accounts.find((a) => a.id === jumpRef || a.name.toLowerCase() === ref || names.get(a.id)!.toLowerCase() === ref);
    // when only comparing, a jump account that left is no error: the diff names it as removed
    const tolerated = options.jumpAccount === undefined && options.withoutMissingJumpAccount;
    if (!jump && !tolerated) {
      throw new CliError(options.jumpAccount !== undefined
        ? `--jump-account '${jumpRef}' is no account of organization ${live.organizationId} (give its id or name)`
        : `the committed model's jump account ${jumpRef} is no longer in organization ${live.organizationId}: pass --jump-account`, 2);
    }
    if (jump?.id === live.managementAccountId) throw new CliError('--jump-account: the management account cannot be the jump account', 2);
  }

  const delegatedAdministrators = live.delegatedAdministrators.map((d) => ({
    accountId: d.accountId,
    name: names.get(d.accountId) ?? d.accountId,
    servicePrincipals: [...d.servicePrincipals].sort(),
  }));
  const ssoAdmin = delegatedAdministrators.find((d) => d.servicePrincipals.includes(SSO_PRINCIPAL));
  // the security tooling of the landing zone (analyzers, denied-action alerts) lives where Access Analyzer is delegated
  const analyzerAdmin = delegatedAdministrators.find((d) => d.servicePrincipals.includes(ACCESS_ANALYZER_PRINCIPAL));
  // the landing zone's SCPs may be deployed from one delegated account; with several, the model cannot choose
  const policyAdmins = (live.policyAdministrators ?? []).filter((id) => id !== live.managementAccountId && names.has(id));

  const members = live.accounts
    .filter((a) => a.id !== live.managementAccountId && a.id !== jump?.id)
    .map(toModel)
    .sort((a, b) => (a.organizationalUnit ?? '').localeCompare(b.organizationalUnit ?? '') || a.name.localeCompare(b.name));
  const organizationalUnits = live.organizationalUnits
    .map((o) => ({ path: ouPath.get(o.id)!, ouId: o.id }))
    .sort((a, b) => a.path.localeCompare(b.path));

  return {
    rootId: live.rootId,
    organizationId: live.organizationId,
    managementAccount: toModel(management),
    ...(jump ? { jumpAccount: toModel(jump) } : {}),
    ...(ssoAdmin ? { identityCenterAdminAccount: ssoAdmin.name } : {}),
    ...(analyzerAdmin ? { securityToolingAccount: analyzerAdmin.name } : {}),
    ...(policyAdmins.length === 1 ? { policyAdministratorAccount: names.get(policyAdmins[0])! } : {}),
    organizationalUnits,
    accounts: members,
    ...(previous?.externalAccounts?.length ? { externalAccounts: previous.externalAccounts } : {}),
    imported: {
      version: MODEL_VERSION,
      organizationId: live.organizationId,
      managementAccountId: live.managementAccountId,
      featureSet: live.featureSet,
      enabledPolicyTypes: [...live.enabledPolicyTypes].sort(),
      trustedServices: [...live.trustedServices].sort(),
      delegatedAdministrators,
      ...(live.policyAdministrators ? { policyAdministrators: [...live.policyAdministrators].sort() } : {}),
      ...(live.identityCenter ? { identityCenter: live.identityCenter } : {}),
      awsNames: {
        accounts: Object.fromEntries(sorted.map((a) => [a.id, a.name])),
        organizationalUnits: Object.fromEntries([...live.organizationalUnits].sort((a, b) => a.id.localeCompare(b.id)).map((o) => [o.id, o.name])),
      },
      ...(live.permissionSets ? { permissionSets: live.permissionSets } : {}),
    },
  };
}

/** Every account of the model: management, jump and members (not the external ones). */
export function allAccounts(model: OrganizationModel | undefined): ModelAccount[] {
  if (!model) return [];
  return [model.managementAccount, ...(model.jumpAccount ? [model.jumpAccount] : []), ...model.accounts];
}

/** The model as JSON, as committed next to the TypeScript module. */
export function renderJson(model: OrganizationModel): string {
  return `${JSON.stringify(model, undefined, 2)}\n`;
}

/** Reads a model file written by `lz-org import`; anything else is refused with what was expected. */
export function parseModel(text: string, file: string): OrganizationModel {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} is not JSON (${(e as Error).message.split('\n')[0]})`, 2);
  }
  const m = data as Partial<OrganizationModel> | null;
  if (!m || typeof m !== 'object' || !m.imported || typeof m.imported !== 'object') {
    throw new CliError(`${file} was not written by lz-org import (no 'imported' record): run lz-org import to create it`, 2);
  }
  if (m.imported.version !== MODEL_VERSION) {
    throw new CliError(`${file} has model version ${m.imported.version}, this lz-org reads version ${MODEL_VERSION}: run lz-org import again`, 2);
  }
  if (typeof m.rootId !== 'string' || !m.managementAccount || !Array.isArray(m.organizationalUnits) || !Array.isArray(m.accounts)) {
    throw new CliError(`${file} lacks rootId, managementAccount, organizationalUnits or accounts: run lz-org import again`, 2);
  }
  return m as OrganizationModel;
}

function lastSegment(path: string | undefined): string | undefined {
  return path === undefined ? undefined : path.slice(path.lastIndexOf('/') + 1);
}
