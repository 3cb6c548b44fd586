import { AccountDefinition, Organization } from './organization';

/**
 * Which organization of the model a selection picks its accounts from.
 */
export interface SelectionScopeOptions {
  /**
   * The organization to select in: the name (or organization id) of one of the model's `otherOrganizations`, or this
   * organization's id. OU paths, tags, account names and exclusions are then those of that organization. Only
   * jump-account targets (and their `externallyManagedRoles`) may select in another organization: its own app
   * deploys its baselines, SCPs and permission sets.
   *
   * @default - this organization
   */
  readonly organization?: string;
}

/**
 * Options for selecting accounts by organizational unit.
 */
export interface OrganizationalUnitSelectionOptions extends SelectionScopeOptions {
  /**
   * Whether accounts of nested OUs are selected too.
   *
   * @default true
   */
  readonly recursive?: boolean;

  /**
   * Accounts (ids or names) left out of the selection.
   *
   * @default - none
   */
  readonly excludeAccounts?: string[];
}

/**
 * Options for selecting accounts by tag or taking every member account.
 */
export interface AccountSelectionOptions extends SelectionScopeOptions {
  /**
   * Accounts (ids or names) left out of the selection.
   *
   * @default - none
   */
  readonly excludeAccounts?: string[];
}

/** An OU whose accounts a selection means, present and future (for grants by organization path). */
export interface OrganizationPathScope {
  /** The OU path; '' is the root. */
  readonly path: string;

  /** Whether accounts of nested OUs are meant too. */
  readonly recursive: boolean;
}

/** What one kind of selection does; each factory passes one to the private constructor. */
interface SelectionKind {
  /** The OU paths named directly, if any. */
  readonly organizationalUnitPaths?: string[];
  /** The OUs whose accounts, present and future, this selection means; undefined when it names accounts or tags. */
  readonly organizationPathScopes?: OrganizationPathScope[];
  describe(): string;
  collect(scope: ResolutionScope): AccountDefinition[];
}

/** Where a selection resolves: the model, whether its consumer may reach other organizations, the problem list. */
interface ResolutionScope {
  readonly model: Organization;
  readonly acrossOrganizations: boolean;
  readonly problems: string[];
}

/**
 * Which accounts of the organization something applies to, resolved at synth time against the organization model,
 * so the result is static and visible in the synthesized templates and their diffs.
 *
 * Obtained from the static factories only: the constructor is private, so no language can subclass it (a subclass
 * could not take part in resolution).
 */
export class AccountSelection {
  /**
   * These accounts, by id or name. Ids of accounts outside the organization model are accepted only where the
   * consumer allows external accounts (jump-account targets); elsewhere they are an error. Naming an account that is not
   * active (suspended, closed) is an error too.
   */
  public static accounts(accounts: string[], options: SelectionScopeOptions = {}): AccountSelection {
    return new AccountSelection(new ExplicitSelection(accounts, options.organization));
  }

  /**
   * The active accounts of these OUs (paths such as `Workloads/Prod`), nested OUs included unless `recursive: false`.
   */
  public static organizationalUnits(paths: string[], options: OrganizationalUnitSelectionOptions = {}): AccountSelection {
    return new AccountSelection(new OuSelection(paths, options));
  }

  /** Active member accounts tagged `key` = `value`. */
  public static tagged(key: string, value: string, options: AccountSelectionOptions = {}): AccountSelection {
    return new AccountSelection(new TagSelection(key, value, options));
  }

  /** Every active account of the organization except the management account. */
  public static allMemberAccounts(options: AccountSelectionOptions = {}): AccountSelection {
    return new AccountSelection(new AllSelection(options));
  }

  /** The union of several selections. */
  public static union(selections: AccountSelection[]): AccountSelection {
    return new AccountSelection(new UnionSelection(selections));
  }

  private constructor(private readonly kind: SelectionKind) {}

  /** A short text for messages and reports, e.g. `ou:Workloads/Prod (recursive)`. */
  public describe(): string {
    return this.kind.describe();
  }

  /**
   * The selected accounts, in a stable order (by account id), without duplicates.
   * Throws naming every unknown account or OU.
   */
  public resolve(organization: Organization): AccountDefinition[] {
    return this._resolveOrReport(organization, (message) => {
      throw new Error(message);
    });
  }

  /**
   * Like `resolve`, but hands the message naming every unknown account or OU to `report` (e.g. a problem list that
   * is reported at once) and returns no account then. `acrossOrganizations`: the consumer (a jump-account target) may
   * reach the model's other organizations.
   * @internal
   */
  public _resolveOrReport(organization: Organization, report: (message: string) => void, acrossOrganizations = false): AccountDefinition[] {
    const problems: string[] = [];
    const picked = this._collect({ model: organization, acrossOrganizations, problems });
    if (problems.length > 0) {
      report(`${this.describe()}: ${problems.join('; ')}`);
      return [];
    }
    const unique = new Map(picked.map((a) => [a.accountId, a]));
    return [...unique.values()].sort((a, b) => a.accountId.localeCompare(b.accountId));
  }

  /** The OU paths this selection names directly (for reports and StackSet targets). */
  public get organizationalUnitPaths(): string[] {
    return this.kind.organizationalUnitPaths ?? [];
  }

  /**
   * The OUs whose accounts this selection means, including accounts added to them later (before exclusions); undefined
   * when it names accounts or tags, which no organization path expresses.
   * @internal
   */
  public get _organizationPathScopes(): OrganizationPathScope[] | undefined {
    return this.kind.organizationPathScopes;
  }

  /** @internal */
  public _collect(scope: ResolutionScope): AccountDefinition[] {
    return this.kind.collect(scope);
  }
}

// The organization a selection picks from: the model's own unless qualified; another one only where the consumer
// reaches other organizations.
function scopedOrganization(scope: ResolutionScope, qualifier: string | undefined): Organization | undefined {
  const model = scope.model;
  if (qualifier === undefined) return model;
  const found = model.tryFindOrganization(qualifier);
  if (!found) {
    const known = [
      ...(model.organizationId ? [`'${model.organizationId}' (this organization)`] : []),
      ...model.otherOrganizations.map((o) => `'${o.name}' (${o.organization.organizationId})`),
    ];
    scope.problems.push(`organization '${qualifier}' is not in the model (known: ${known.join(', ') || 'none'}): name one of otherOrganizations, or add it there`);
    return undefined;
  }
  if (found !== model && !scope.acrossOrganizations) {
    scope.problems.push(`selects in organization '${qualifier}', outside this organization: only jump-account targets reach other organizations (their own apps deploy their baselines, SCPs and permission sets); select accounts of this organization here`);
    return undefined;
  }
  return found;
}

// For a reference that the scoped organization lacks: the other organizations of the model that have it, as a hint.
function elsewhere(scope: ResolutionScope, org: Organization, has: (o: Organization) => boolean): string {
  const model = scope.model;
  const holders = [
    ...(org !== model && has(model) ? [model.organizationId ?? 'this organization'] : []),
    ...model.otherOrganizations.filter((o) => o.organization !== org && has(o.organization)).map((o) => o.name),
  ];
  if (holders.length === 0) return '';
  const names = holders.map((n) => `'${n}'`).join(', ');
  return holders.length === 1
    ? ` (organization ${names} has it: select there with { organization: '${holders[0]}' })`
    : ` (organizations ${names} have it: qualify the selection with { organization: '<one of them>' }, a union of one selection per organization reaches several)`;
}

function applyExclusions(
  organization: Organization, accounts: AccountDefinition[], exclude: string[] | undefined, problems: string[],
): AccountDefinition[] {
  if (!exclude || exclude.length === 0) return accounts;
  const excluded = new Set<string>();
  const selected = new Set(accounts.map((a) => a.accountId));
  for (const ref of exclude) {
    const a = organization.tryFindAccount(ref);
    if (!a) {
      problems.push(`excluded account '${ref}' is not defined in the organization`);
    } else if (!selected.has(a.accountId) && organization.isActive(a)) {
      // a misspelt or misplaced exclusion leaves the account it meant in the selection
      problems.push(`excluded account '${ref}' is not among the accounts this selection picks (it is in ${a.organizationalUnit ? `ou '${a.organizationalUnit}'` : 'the root'}), so excluding it changes nothing: remove it, or name the account meant`);
    } else {
      excluded.add(a.accountId);
    }
  }
  return accounts.filter((a) => !excluded.has(a.accountId));
}

class ExplicitSelection implements SelectionKind {
  constructor(private readonly refs: string[], private readonly qualifier: string | undefined) {}
  public describe(): string {
    return `accounts:${this.refs.join(',')}${inOrganization(this.qualifier)}`;
  }
  public collect(scope: ResolutionScope): AccountDefinition[] {
    const problems = scope.problems;
    if (this.refs.length === 0) problems.push('selects no account: give at least one account id or name');
    const organization = scopedOrganization(scope, this.qualifier);
    if (!organization) return [];
    const out: AccountDefinition[] = [];
    for (const ref of this.refs) {
      const a = organization.tryFindAccount(ref);
      if (!a) problems.push(`account '${ref}' is not defined in the organization${elsewhere(scope, organization, (o) => o.isMember(o.tryFindAccount(ref)?.accountId ?? ''))}`);
      else if (!organization.isActive(a)) problems.push(`account '${ref}' is ${a.status}: nothing may be given in an account that is not active; remove it from the selection`);
      else out.push(a);
    }
    return out;
  }
}

class OuSelection implements SelectionKind {
  constructor(private readonly paths: string[], private readonly options: OrganizationalUnitSelectionOptions) {}
  public describe(): string {
    const rec = this.options.recursive === false ? '' : ' (recursive)';
    return `ou:${this.paths.join(',')}${rec}${inOrganization(this.options.organization)}`;
  }
  public get organizationalUnitPaths(): string[] {
    return [...this.paths];
  }
  public get organizationPathScopes(): OrganizationPathScope[] {
    return this.paths.map((path) => ({ path, recursive: this.options.recursive ?? true }));
  }
  public collect(scope: ResolutionScope): AccountDefinition[] {
    const problems = scope.problems;
    if (this.paths.length === 0) problems.push('selects no ou: give at least one ou path');
    const organization = scopedOrganization(scope, this.options.organization);
    if (!organization) return [];
    const out: AccountDefinition[] = [];
    for (const path of this.paths) {
      if (!organization.tryFindOrganizationalUnit(path)) {
        problems.push(`ou '${path}' is not defined in the organization${elsewhere(scope, organization, (o) => o.tryFindOrganizationalUnit(path) !== undefined)}`);
        continue;
      }
      out.push(...organization.accountsIn(path, this.options.recursive ?? true));
    }
    return applyExclusions(organization, out, this.options.excludeAccounts, problems);
  }
}

class TagSelection implements SelectionKind {
  constructor(private readonly key: string, private readonly value: string, private readonly options: AccountSelectionOptions) {}
  public describe(): string {
    return `tag:${this.key}=${this.value}${inOrganization(this.options.organization)}`;
  }
  public collect(scope: ResolutionScope): AccountDefinition[] {
    const problems = scope.problems;
    const organization = scopedOrganization(scope, this.options.organization);
    if (!organization) return [];
    const tagged = organization.accountsTagged(this.key, this.value);
    const other = elsewhere(scope, organization, (o) => o.accountsTagged(this.key, this.value).length > 0);
    if (tagged.length === 0 && other) {
      problems.push(`no active member account of the organization carries tag '${this.key}' = '${this.value}'${other}`);
    } else if (tagged.length === 0) {
      // a tag is set by hand in the model, so matching nothing is almost always a typo in the key or the value
      const values = [...new Set(organization.accounts.map((a) => a.tags?.[this.key]).filter((v): v is string => v !== undefined))].sort();
      problems.push(`no active member account carries tag '${this.key}' = '${this.value}' (${values.length > 0 ? `values of '${this.key}' in the model: ${values.map((v) => `'${v}'`).join(', ')}` : `no account has the key '${this.key}'`}): fix the key or value, or select by ou or account until an account carries the tag`);
    }
    return applyExclusions(organization, tagged, this.options.excludeAccounts, problems);
  }
}

class AllSelection implements SelectionKind {
  public readonly organizationPathScopes: OrganizationPathScope[] = [{ path: '', recursive: true }];
  constructor(private readonly options: AccountSelectionOptions) {}
  public describe(): string {
    return `all member accounts${inOrganization(this.options.organization)}`;
  }
  public collect(scope: ResolutionScope): AccountDefinition[] {
    const problems = scope.problems;
    const organization = scopedOrganization(scope, this.options.organization);
    if (!organization) return [];
    const members = organization.accounts.filter((a) => a.accountId !== organization.managementAccount.accountId && organization.isActive(a));
    return applyExclusions(organization, members, this.options.excludeAccounts, problems);
  }
}

class UnionSelection implements SelectionKind {
  constructor(private readonly parts: AccountSelection[]) {}
  public describe(): string {
    return this.parts.map((p) => p.describe()).join(' + ');
  }
  public get organizationalUnitPaths(): string[] {
    return this.parts.flatMap((p) => p.organizationalUnitPaths);
  }
  public get organizationPathScopes(): OrganizationPathScope[] | undefined {
    const scopes = this.parts.map((p) => p._organizationPathScopes);
    return scopes.every((s) => s !== undefined) ? scopes.flat() as OrganizationPathScope[] : undefined;
  }
  public collect(scope: ResolutionScope): AccountDefinition[] {
    if (this.parts.length === 0) scope.problems.push('a union of no selections selects nothing: give at least one selection');
    return this.parts.flatMap((p) => p._collect(scope));
  }
}

function inOrganization(qualifier: string | undefined): string {
  return qualifier === undefined ? '' : ` in '${qualifier}'`;
}
