// What a selection of OUs means beyond the accounts the model lists: the OUs themselves, for grants and rules that
// follow Organizations, and the accounts under them the selection leaves out, which those must leave out too.
import type { AccountSelection, OrganizationPathScope } from '../account-selection';
import type { CompiledAccountScope } from '../elevated-access/handlers/policy';
import type { Organization } from '../organization';

/**
 * The OUs (or the root) a selection follows when rules follow OUs (`follow`); undefined when they do not, when the
 * selection names accounts or tags, or when it names an OU the model lacks (the selection's problem, reported).
 */
export function followedPaths(org: Organization, follow: boolean | undefined, targets: AccountSelection): OrganizationPathScope[] | undefined {
  const scopes = follow ? targets._organizationPathScopes : undefined;
  return scopes?.some((s) => s.path !== '' && org.tryFindOrganizationalUnit(s.path) === undefined) ? undefined : scopes;
}

/**
 * A compiled scope that follows `scopes`: covering what Organizations places under them at each decision, except the
 * accounts under them the selection leaves out now (`selected` are the ones it keeps). Nothing without scopes.
 */
export function followedScopeOf(org: Organization, scopes: OrganizationPathScope[] | undefined, selected: string[]): Pick<CompiledAccountScope, 'organizationalUnits' | 'excludedAccounts'> {
  if (scopes === undefined) return {};
  return {
    organizationalUnits: scopes.map((s) => ({ id: s.path === '' ? org.rootId : organizationalUnitIds(org, s.path).pop()!, recursive: s.recursive })),
    excludedAccounts: accountsLeftOut(org, scopes, selected),
  };
}

/**
 * A scope that follows OUs is stored without the synth's accounts: the handlers decide from Organizations alone, and
 * a decision that skipped the lookup covers nothing. It also keeps the item small at thousands of accounts.
 */
export function storedScope<T extends CompiledAccountScope>(scope: T): T {
  return scope.organizationalUnits === undefined ? scope : { ...scope, accounts: [] };
}

/**
 * The accounts of the model (the management account included, wherever it is) under `scopes` that are not `selected`:
 * excluded, not active, or the management account.
 */
export function accountsLeftOut(org: Organization, scopes: OrganizationPathScope[], selected: string[]): string[] {
  const chosen = new Set(selected);
  const under = (ou: string) => scopes.some((s) => scopeIncludes(s, ou));
  // the model's accounts include the management account (at the root unless placed in an OU)
  const candidates = new Map(org.accounts.map((a) => [a.accountId, a.organizationalUnit ?? '']));
  return [...candidates].filter(([id, ou]) => under(ou) && !chosen.has(id)).map(([id]) => id).sort();
}

/** The ids of an OU path's OUs, outermost first ('' is the root: none). */
export function organizationalUnitIds(org: Organization, path: string): string[] {
  const parts = path === '' ? [] : path.split('/');
  return parts.map((_, k) => org.findOrganizationalUnit(parts.slice(0, k + 1).join('/')).ouId);
}

/** Whether the scope covers the accounts placed directly in OU `path` ('' is the root). */
export function scopeIncludes(scope: OrganizationPathScope, path: string): boolean {
  return scope.recursive ? scope.path === '' || path === scope.path || path.startsWith(`${scope.path}/`) : path === scope.path;
}
