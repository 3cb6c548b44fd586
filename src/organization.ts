import { ACCOUNT_ID_PATTERN, ORGANIZATION_ID_PATTERN, OU_ID_PATTERN, ROOT_ID_PATTERN } from './private/patterns';
import { duplicates, formatProblems } from './private/validation';

/**
 * The state of an account in AWS Organizations, as `lz-org import` reads it (the account's `State`).
 */
export enum AccountStatus {
  /** The account is active: selections include it. */
  ACTIVE = 'ACTIVE',
  /** Suspended (by AWS or on closure): nobody can sign in; selections skip it. */
  SUSPENDED = 'SUSPENDED',
  /** Closure requested, not yet complete: selections skip it. */
  PENDING_CLOSURE = 'PENDING_CLOSURE',
  /** Closed; it stays visible in the organization for up to 90 days: selections skip it. */
  CLOSED = 'CLOSED',
  /** Created or invited, not yet active: selections skip it until a re-import marks it active. */
  PENDING_ACTIVATION = 'PENDING_ACTIVATION',
}

/**
 * Options of `Organization.fromJson()`.
 */
export interface OrganizationFromJsonOptions {
  /**
   * Accounts outside this organization that jump-account groups may switch into (an import sees only its own
   * organization). Added to the JSON's `externalAccounts`.
   *
   * @default - only the JSON's external accounts
   */
  readonly externalAccounts?: AccountDefinition[];

  /**
   * Further organizations whose accounts jump-account groups may switch into, each read from its own
   * `organization.json` (one import per organization).
   *
   * @default - none
   */
  readonly otherOrganizations?: OtherOrganization[];
}

/**
 * A further organization of the model: its accounts, OUs and tags are reachable from jump-account targets by a
 * selection qualified with its name (e.g. `AccountSelection.organizationalUnits(['Workloads'], { organization:
 * 'acquired' })`), and by nothing else of this app: its baseline deploys from its own management account, in its own
 * app.
 */
export interface OtherOrganization {
  /**
   * A short name that qualifies selections in this organization, e.g. `acquired`: lowercase letters, digits and `-`,
   * unique among the other organizations.
   */
  readonly name: string;

  /** The organization's own model, as its `lz-org import` writes it. Its `organizationId` must be set. */
  readonly organization: Organization;
}

/**
 * One AWS account of the organization.
 */
export interface AccountDefinition {
  /** The 12-digit account id. */
  readonly accountId: string;

  /** A unique, human name for the account, usable wherever an account is referenced. */
  readonly name: string;

  /**
   * Path of the organizational unit holding the account, e.g. `Workloads/Prod`.
   *
   * @default - the account sits directly under the organization root
   */
  readonly organizationalUnit?: string;

  /**
   * Tags of the account, used by `AccountSelection.tagged()`.
   *
   * @default - no tags
   */
  readonly tags?: Record<string, string>;

  /**
   * The account's state. Account selections (by OU, tag, all members) skip accounts that are not active, and naming
   * one explicitly in a selection is an error, so nobody is given access to, or a role in, a suspended or closed
   * account. The account stays in the model, so OUs, exclusions and guardrail targets can still name it.
   *
   * @default AccountStatus.ACTIVE
   */
  readonly status?: AccountStatus;
}

/**
 * One organizational unit. Nesting is expressed by the path.
 */
export interface OrganizationalUnitDefinition {
  /** Path from the root, segments separated by `/`, e.g. `Workloads/Prod`. Every parent must be defined too. */
  readonly path: string;

  /** The OU id, `ou-xxxx-xxxxxxxx`, used to attach SCPs and target StackSets. */
  readonly ouId: string;
}

/**
 * The typed description of an AWS Organization that every construct of the library reads.
 */
export interface OrganizationProps {
  /** The organization root id, `r-xxxx`. */
  readonly rootId: string;

  /**
   * The organization id, `o-xxxxxxxxxx`, which `aws:PrincipalOrgID`, `aws:ResourceOrgID` and `aws:SourceOrgID`
   * compare against. Needed by the data perimeter and the denied-action alerts.
   *
   * @default - unknown: constructs that need it refuse to synthesize
   */
  readonly organizationId?: string;

  /** The management account. */
  readonly managementAccount: AccountDefinition;

  /**
   * The jump (identity) account that holds the IAM users.
   *
   * @default - no jump account; IAM users are denied everywhere by the guardrails
   */
  readonly jumpAccount?: AccountDefinition;

  /**
   * Name or id of the delegated IAM Identity Center administrator account, if delegated.
   *
   * @default - Identity Center is administered from the management account
   */
  readonly identityCenterAdminAccount?: string;

  /**
   * Name or id of the member account that security tooling is delegated to (IAM Access Analyzer's delegated
   * administrator, the denied-action alerts), e.g. `audit`.
   *
   * @default - security tooling runs in the management account
   */
  readonly securityToolingAccount?: string;

  /**
   * Name or id of the member account that AWS Organizations delegates policy management to (a resource-based
   * delegation policy of the management account), which may then hold the guardrail and resource control policies.
   *
   * @default - policies are managed from the management account only
   */
  readonly policyAdministratorAccount?: string;

  /** The organizational units, nested by path. */
  readonly organizationalUnits: OrganizationalUnitDefinition[];

  /** The member accounts (the management and jump accounts are added automatically). */
  readonly accounts: AccountDefinition[];

  /**
   * Accounts outside this organization, declared once with a name: ones that jump-account groups may switch into
   * (e.g. a second organization) and vendors' or partners' own accounts that the data perimeter exempts by name.
   * Being listed grants nothing by itself. They belong to no OU and receive no SCP, RCP or permission set.
   *
   * @default - none
   */
  readonly externalAccounts?: AccountDefinition[];

  /**
   * Further organizations that the jump account serves: their accounts are selected by OU, tag or name with a
   * selection qualified by the organization's name, in jump-account targets only. Nothing else of this app (SCPs,
   * baselines, permission sets) reaches them; each deploys its own baseline from its own management account.
   *
   * @default - none
   */
  readonly otherOrganizations?: OtherOrganization[];
}

/**
 * The organization model: accounts, nested OUs and tags, validated once and queried by every construct.
 *
 * @example
 * const org = new Organization({
 *   rootId: 'r-ab12',
 *   managementAccount: { accountId: '000000000000', name: 'management' },
 *   organizationalUnits: [{ path: 'Workloads', ouId: 'ou-ab12-11111111' }],
 *   accounts: [{ accountId: '222222222222', name: 'app-dev', organizationalUnit: 'Workloads' }],
 * });
 */
export class Organization {
  /**
   * The organization model from JSON, as `lz-org import` writes it (`organization.json`) for Python, Java, .NET and Go
   * apps: the fields of `OrganizationProps`, account `status` as the `AccountStatus` value. The import's own record
   * (`imported`: delegated administrators, Identity Center instance, names as AWS shows them) is ignored here.
   *
   * @param json the file's text
   * @param options what the import cannot see, e.g. accounts of other organizations
   */
  public static fromJson(json: string, options: OrganizationFromJsonOptions = {}): Organization {
    return new Organization(organizationPropsFromJson(json, options));
  }

  /** The organization root id. */
  public readonly rootId: string;
  /** The management account. */
  public readonly managementAccount: AccountDefinition;
  /** The jump account, if any. */
  public readonly jumpAccount?: AccountDefinition;
  /** The account Identity Center is administered from (the management account unless delegated). */
  public readonly identityCenterAccount: AccountDefinition;
  /** The organization id, if given. */
  public readonly organizationId?: string;
  /** The account security tooling runs in (the management account unless delegated). */
  public readonly securityToolingAccount: AccountDefinition;
  /** The account that manages the organization's SCPs and RCPs (the management account unless delegated). */
  public readonly policyAdministratorAccount: AccountDefinition;

  private readonly ous = new Map<string, OrganizationalUnitDefinition>();
  private readonly members: AccountDefinition[] = [];
  private readonly external: AccountDefinition[] = [];
  private readonly byId = new Map<string, AccountDefinition>();
  private readonly byName = new Map<string, AccountDefinition>();
  // direct accounts of each OU path ('' = root), so selections need no scan of all accounts
  private readonly directAccounts = new Map<string, AccountDefinition[]>();
  private readonly childOus = new Map<string, string[]>();
  private readonly others: OtherOrganization[] = [];

  constructor(props: OrganizationProps) {
    const problems: string[] = [];
    if (!ROOT_ID_PATTERN.test(props.rootId)) {
      problems.push(`rootId: root id '${props.rootId}' must look like 'r-xxxx'`);
    }
    this.addOrganizationalUnits(props.organizationalUnits, problems);
    this.addAccounts(props, problems);

    this.rootId = props.rootId;
    this.managementAccount = this.byId.get(props.managementAccount.accountId) ?? props.managementAccount;
    this.jumpAccount = props.jumpAccount ? this.byId.get(props.jumpAccount.accountId) ?? props.jumpAccount : undefined;
    this.identityCenterAccount = this.delegatedAccount('identityCenterAdminAccount', props.identityCenterAdminAccount, false, problems);
    if (props.organizationId !== undefined && !ORGANIZATION_ID_PATTERN.test(props.organizationId)) {
      problems.push(`organizationId: organization id '${props.organizationId}' must look like 'o-' and 10-32 lowercase letters or digits`);
    }
    this.organizationId = props.organizationId;
    this.securityToolingAccount = this.delegatedAccount('securityToolingAccount', props.securityToolingAccount, true, problems);
    this.others.push(...checkOtherOrganizations(this, props.otherOrganizations ?? [], problems));
    this.policyAdministratorAccount = this.delegatedAccount('policyAdministratorAccount', props.policyAdministratorAccount, true, problems);

    if (problems.length > 0) {
      throw new Error(formatProblems('Organization', problems));
    }
  }

  // the management account unless `ref` names another (a member account only, when `memberOnly`)
  private delegatedAccount(field: string, ref: string | undefined, memberOnly: boolean, problems: string[]): AccountDefinition {
    if (ref === undefined) return this.managementAccount;
    const found = this.lookup(ref);
    if (!found || (memberOnly && this.external.includes(found))) {
      problems.push(memberOnly
        ? `${field}: account '${ref}' is not a member account of the organization`
        : `${field}: account '${ref}' is not defined`);
      return this.managementAccount;
    }
    return found;
  }

  private addOrganizationalUnits(organizationalUnits: OrganizationalUnitDefinition[], problems: string[]): void {
    const written = new Map<string, { path: string; index: number }>();
    for (const [i, ou] of organizationalUnits.entries()) {
      const path = normalizePath(ou.path);
      if (!path || path.split('/').some((s) => s.trim() === '')) {
        problems.push(`organizationalUnits[${i}].path: ou path '${ou.path}' must be non-empty segments separated by '/'`);
        continue;
      }
      if (!OU_ID_PATTERN.test(ou.ouId)) {
        problems.push(`organizationalUnits[${i}].ouId: ou id '${ou.ouId}' must look like 'ou-xxxx-xxxxxxxx'`);
      }
      const first = written.get(path);
      if (first) {
        problems.push(first.path === ou.path
          ? `organizationalUnits[${i}].path: ou '${path}' is defined twice (also organizationalUnits[${first.index}]); define each OU once`
          : `organizationalUnits[${i}].path: ou path '${ou.path}' names the same OU as '${first.path}' (organizationalUnits[${first.index}]); paths ignore leading and trailing '/', define each OU once`);
      } else {
        written.set(path, { path: ou.path, index: i });
      }
      this.ous.set(path, { path, ouId: ou.ouId });
    }
    for (const dup of duplicates(organizationalUnits.map((o) => o.ouId), false)) {
      problems.push(`organizationalUnits: ou id '${dup}' is used by more than one ou`);
    }
    this.childOus.set('', []);
    for (const path of this.ous.keys()) this.childOus.set(path, []);
    for (const path of this.ous.keys()) {
      const parent = parentPath(path);
      if (parent !== '' && !this.ous.has(parent)) {
        problems.push(`organizationalUnits: ou '${path}' has parent '${parent}', which is not defined`);
        continue;
      }
      this.childOus.get(parent)!.push(path);
    }

  }

  private addAccounts(props: OrganizationProps, problems: string[]): void {
    const all: Array<[string, AccountDefinition, boolean]> = [
      ['managementAccount', props.managementAccount, false],
      ...(props.jumpAccount ? [['jumpAccount', props.jumpAccount, false] as [string, AccountDefinition, boolean]] : []),
      ...props.accounts.map((a, i) => [`accounts[${i}]`, a, false] as [string, AccountDefinition, boolean]),
      ...(props.externalAccounts ?? []).map((a, i) => [`externalAccounts[${i}]`, a, true] as [string, AccountDefinition, boolean]),
    ];
    for (const [field, raw, isExternal] of all) {
      const account: AccountDefinition = {
        ...raw,
        organizationalUnit: raw.organizationalUnit ? normalizePath(raw.organizationalUnit) : undefined,
      };
      if (!ACCOUNT_ID_PATTERN.test(account.accountId)) {
        problems.push(`${field}.accountId: account id '${account.accountId}' must be 12 digits`);
      }
      if (!account.name || account.name.trim() === '') {
        problems.push(`${field}.name: account name must not be empty`);
      }
      if (this.byId.has(account.accountId)) {
        problems.push(`${field}.accountId: account id '${account.accountId}' is defined twice`);
        continue;
      }
      if (this.byName.has(account.name.toLowerCase())) {
        problems.push(`${field}.name: account name '${account.name}' is defined twice`);
        continue;
      }
      if (account.status !== undefined && !STATUSES.has(account.status)) {
        problems.push(`${field}.status: status '${account.status}' of account '${account.name}' must be one of ${[...STATUSES].join(', ')}`);
      }
      if (isExternal && account.organizationalUnit) {
        problems.push(`${field}.organizationalUnit: external account '${account.name}' cannot belong to an ou of this organization`);
      }
      const ouPath = account.organizationalUnit ?? '';
      if (ouPath !== '' && !this.ous.has(ouPath)) {
        problems.push(`${field}.organizationalUnit: ou '${ouPath}' of account '${account.name}' is not defined in organizationalUnits`);
      }
      this.byId.set(account.accountId, account);
      this.byName.set(account.name.toLowerCase(), account);
      if (isExternal) {
        this.external.push(account);
      } else {
        this.members.push(account);
        if (!this.directAccounts.has(ouPath)) this.directAccounts.set(ouPath, []);
        this.directAccounts.get(ouPath)!.push(account);
      }
    }

  }

  /** Every account of the organization: the management account, the jump account and the members. */
  public get accounts(): AccountDefinition[] {
    return [...this.members];
  }

  /** Accounts outside the organization that jump-account roles may target. */
  public get externalAccounts(): AccountDefinition[] {
    return [...this.external];
  }

  /** Every OU, parents before children. */
  public get organizationalUnits(): OrganizationalUnitDefinition[] {
    return [...this.ous.values()].sort((a, b) => depth(a.path) - depth(b.path) || a.path.localeCompare(b.path));
  }

  /** Whether Identity Center is administered from a delegated administrator account. */
  public get identityCenterDelegated(): boolean {
    return this.identityCenterAccount.accountId !== this.managementAccount.accountId;
  }

  /** Whether security tooling is delegated to a member account other than the management account. */
  public get securityToolingDelegated(): boolean {
    return this.securityToolingAccount.accountId !== this.managementAccount.accountId;
  }

  /** The account with this id or name (names compare case-insensitively), or undefined. */
  public tryFindAccount(idOrName: string): AccountDefinition | undefined {
    return this.lookup(idOrName);
  }

  /** The account with this id or name; throws naming the reference when unknown. */
  public findAccount(idOrName: string): AccountDefinition {
    const found = this.lookup(idOrName);
    if (!found) {
      throw new Error(`account '${idOrName}' is not defined in the organization (give a defined account id or name)`);
    }
    return found;
  }

  /** The OU with this path, or undefined. */
  public tryFindOrganizationalUnit(path: string): OrganizationalUnitDefinition | undefined {
    return this.ous.get(normalizePath(path));
  }

  /** The OU with this path; throws when unknown. */
  public findOrganizationalUnit(path: string): OrganizationalUnitDefinition {
    const ou = this.tryFindOrganizationalUnit(path);
    if (!ou) {
      throw new Error(`ou '${path}' is not defined in the organization (known: ${[...this.ous.keys()].join(', ') || 'none'})`);
    }
    return ou;
  }

  /** Path of the OU holding the account ('' for the root). */
  public organizationalUnitOf(accountIdOrName: string): string {
    return this.findAccount(accountIdOrName).organizationalUnit ?? '';
  }

  /**
   * Active accounts of an OU; with `recursive` (the default) also those of every nested OU.
   * Path '' or '/' means the root. Accounts that are not active (see `AccountDefinition.status`) are left out.
   */
  public accountsIn(path: string, recursive?: boolean): AccountDefinition[] {
    const start = normalizePath(path);
    if (start !== '') this.findOrganizationalUnit(start);
    const out: AccountDefinition[] = [];
    const queue = [start];
    while (queue.length > 0) {
      const p = queue.shift()!;
      out.push(...(this.directAccounts.get(p) ?? []).filter(isActive));
      if (recursive ?? true) queue.push(...(this.childOus.get(p) ?? []));
    }
    return out;
  }

  /** The OU paths nested under the given one (not including it), parents before children. */
  public descendantsOf(path: string): string[] {
    const out: string[] = [];
    const queue = [...(this.childOus.get(normalizePath(path)) ?? [])];
    while (queue.length > 0) {
      const p = queue.shift()!;
      out.push(p);
      queue.push(...(this.childOus.get(p) ?? []));
    }
    return out;
  }

  /** Active member accounts carrying the tag `key` = `value`. */
  public accountsTagged(key: string, value: string): AccountDefinition[] {
    return this.members.filter((a) => a.tags?.[key] === value && isActive(a));
  }

  /** Whether the account is active (its `status` is unset or `ACTIVE`). */
  public isActive(account: AccountDefinition): boolean {
    return isActive(account);
  }

  /** Whether the id is an account of this organization (not an external one). */
  public isMember(accountId: string): boolean {
    const a = this.byId.get(accountId);
    return a !== undefined && !this.external.includes(a);
  }

  /** The further organizations of the model (see `OrganizationProps.otherOrganizations`). */
  public get otherOrganizations(): OtherOrganization[] {
    return [...this.others];
  }

  /**
   * The organization a qualifier names: this one (by its organization id), or another one by its name or id;
   * undefined when it names none.
   */
  public tryFindOrganization(nameOrId: string): Organization | undefined {
    if (this.organizationId !== undefined && nameOrId === this.organizationId) return this;
    return this.others.find((o) => o.name === nameOrId || o.organization.organizationId === nameOrId)?.organization;
  }

  /**
   * The organization of the model holding the account as a member (this one or another one), or undefined for
   * external and unknown accounts.
   */
  public organizationOf(accountId: string): Organization | undefined {
    if (this.isMember(accountId)) return this;
    return this.others.find((o) => o.organization.isMember(accountId))?.organization;
  }

  /** The name of the other organization `organization` is in this model, or undefined for this one and unknown ones. */
  public nameOfOtherOrganization(organization: Organization): string | undefined {
    return this.others.find((o) => o.organization === organization)?.name;
  }

  /**
   * The account's name for messages, links and reports: its name, prefixed by `<organization name>:` for an account
   * of another organization (names are unique within one organization only); the id for an unknown account.
   */
  public qualifiedName(accountId: string): string {
    const other = this.others.find((o) => o.organization.isMember(accountId));
    if (other) return `${other.name}:${other.organization.findAccount(accountId).name}`;
    return this.tryFindAccount(accountId)?.name ?? accountId;
  }

  /**
   * The AWS Organizations entity path of an OU, `o-xxx/r-xxxx/ou-.../ou-.../` (the root's for path ''), as
   * `aws:ResourceOrgPaths` and `aws:PrincipalOrgPaths` compare it. Needs `organizationId`.
   */
  public entityPath(path: string): string {
    if (this.organizationId === undefined) {
      throw new Error(`organizationId: an entity path begins with the organization id; set organizationId (r-root '${this.rootId}')`);
    }
    const start = normalizePath(path);
    const segments = start === '' ? [] : start.split('/');
    const ids = segments.map((_, i) => this.findOrganizationalUnit(segments.slice(0, i + 1).join('/')).ouId);
    return [this.organizationId, this.rootId, ...ids].join('/') + '/';
  }

  private lookup(ref: string): AccountDefinition | undefined {
    return this.byId.get(ref) ?? this.byName.get(ref.toLowerCase());
  }
}

const STATUSES = new Set<string>(Object.values(AccountStatus));
const OTHER_ORGANIZATION_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

// Another organization must be told apart from this one and the others: its own id, a unique name, no shared account.
function checkOtherOrganizations(self: Organization, others: OtherOrganization[], problems: string[]): OtherOrganization[] {
  const ids = new Map<string, string>();
  if (self.organizationId !== undefined) ids.set(self.organizationId, 'this organization');
  const names = new Set<string>();
  const accounts = new Map<string, string>();
  for (const a of [...self.accounts, ...self.externalAccounts]) accounts.set(a.accountId, 'this organization');
  for (const [i, o] of others.entries()) {
    const field = `otherOrganizations[${i}]`;
    const id = o.organization.organizationId;
    if (!OTHER_ORGANIZATION_NAME.test(o.name)) {
      problems.push(`${field}.name: name '${o.name}' must be 1-32 lowercase letters, digits or '-' (it qualifies selections, e.g. { organization: 'acquired' })`);
    } else if (names.has(o.name)) {
      problems.push(`${field}.name: name '${o.name}' is used by another organization; give each a unique name`);
    }
    names.add(o.name);
    if (id === undefined) {
      problems.push(`${field}.organization.organizationId: organization '${o.name}' needs its organizationId (o-...): policies tell its accounts apart by it; lz-org import writes it`);
    } else if (ids.has(id)) {
      problems.push(`${field}.organization.organizationId: organization id '${id}' of '${o.name}' is also ${ids.get(id)}'s: list each organization once`);
    } else {
      ids.set(id, `organization '${o.name}'`);
    }
    if (o.organization.otherOrganizations.length > 0) {
      problems.push(`${field}.organization: organization '${o.name}' lists other organizations itself; list every organization once, here`);
    }
    for (const a of o.organization.accounts) {
      const holder = accounts.get(a.accountId);
      if (holder) {
        problems.push(`${field}: account ${a.accountId} ('${a.name}') of organization '${o.name}' is also in ${holder}${holder === 'this organization' ? ' (accounts or externalAccounts)' : ''}: an account is in one organization; remove it from ${holder === 'this organization' ? "this model (select it with { organization: '" + o.name + "' })" : 'one of them'}`);
      }
      accounts.set(a.accountId, `organization '${o.name}'`);
    }
  }
  return others;
}

function isActive(account: AccountDefinition): boolean {
  return (account.status ?? AccountStatus.ACTIVE) === AccountStatus.ACTIVE;
}

const PROPS_KEYS = new Set(['rootId', 'managementAccount', 'jumpAccount', 'identityCenterAdminAccount',
  'organizationalUnits', 'accounts', 'externalAccounts', 'organizationId', 'securityToolingAccount', 'policyAdministratorAccount']);

// The JSON is checked for shape here (a Python user may have written it by hand); the constructor checks the values.
function organizationPropsFromJson(json: string, options: OrganizationFromJsonOptions): OrganizationProps {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(`Organization.fromJson: the text is not JSON (${(e as Error).message})`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error('Organization.fromJson: expected an object with rootId, managementAccount, organizationalUnits and accounts');
  }
  const obj = data as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(obj)) {
    if (!PROPS_KEYS.has(key) && key !== 'imported' && key !== '$schema') problems.push(`${key}: unknown field (expected ${[...PROPS_KEYS].join(', ')})`);
  }
  const str = (v: unknown, field: string): string => {
    if (typeof v !== 'string') problems.push(`${field}: expected a string, got ${JSON.stringify(v) ?? 'nothing'}`);
    return String(v);
  };
  const list = (v: unknown, field: string): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      problems.push(`${field}: expected a list, got ${JSON.stringify(v)}`);
      return [];
    }
    return v;
  };
  const account = (v: unknown, field: string): AccountDefinition => {
    const a = (v ?? {}) as Record<string, unknown>;
    const tags = a.tags as Record<string, unknown> | undefined;
    if (tags !== undefined && (tags === null || typeof tags !== 'object' || Object.values(tags).some((t) => typeof t !== 'string'))) {
      problems.push(`${field}.tags: expected an object of string values`);
    }
    return {
      accountId: str(a.accountId, `${field}.accountId`),
      name: str(a.name, `${field}.name`),
      ...(a.organizationalUnit !== undefined ? { organizationalUnit: str(a.organizationalUnit, `${field}.organizationalUnit`) } : {}),
      ...(tags !== undefined ? { tags: tags as Record<string, string> } : {}),
      ...(a.status !== undefined ? { status: str(a.status, `${field}.status`) as AccountStatus } : {}),
    };
  };
  const props: OrganizationProps = {
    rootId: str(obj.rootId, 'rootId'),
    managementAccount: account(obj.managementAccount, 'managementAccount'),
    ...(obj.jumpAccount !== undefined ? { jumpAccount: account(obj.jumpAccount, 'jumpAccount') } : {}),
    ...(obj.identityCenterAdminAccount !== undefined ? { identityCenterAdminAccount: str(obj.identityCenterAdminAccount, 'identityCenterAdminAccount') } : {}),
    ...(obj.organizationId !== undefined ? { organizationId: str(obj.organizationId, 'organizationId') } : {}),
    ...(obj.securityToolingAccount !== undefined ? { securityToolingAccount: str(obj.securityToolingAccount, 'securityToolingAccount') } : {}),
    ...(obj.policyAdministratorAccount !== undefined ? { policyAdministratorAccount: str(obj.policyAdministratorAccount, 'policyAdministratorAccount') } : {}),
    organizationalUnits: list(obj.organizationalUnits, 'organizationalUnits').map((v, i) => {
      const ou = (v ?? {}) as Record<string, unknown>;
      return { path: str(ou.path, `organizationalUnits[${i}].path`), ouId: str(ou.ouId, `organizationalUnits[${i}].ouId`) };
    }),
    accounts: list(obj.accounts, 'accounts').map((v, i) => account(v, `accounts[${i}]`)),
    externalAccounts: [
      ...list(obj.externalAccounts, 'externalAccounts').map((v, i) => account(v, `externalAccounts[${i}]`)),
      ...(options.externalAccounts ?? []),
    ],
    ...(options.otherOrganizations ? { otherOrganizations: options.otherOrganizations } : {}),
  };
  if (problems.length > 0) throw new Error(formatProblems('Organization.fromJson', problems));
  return props;
}

function normalizePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function depth(path: string): number {
  return path.split('/').length;
}
