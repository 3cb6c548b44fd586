// What a selection of OUs means beyond the accounts the model lists: the OUs themselves, for grants and rules that
// follow Organizations, and the accounts under them the selection leaves out, which those must leave out too.
import type { OrganizationPathScope } from '../account-selection';
import type { Organization } from '../organization';

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
