// Plans what the assignment reconciler enforces for accounts created or moved after deployment. Pure: no construct.
import { Token } from 'aws-cdk-lib';
import type { PermissionSetAssignment } from '../identity-center/permission-set-catalog';
import { AccountDefinition, Organization } from '../organization';

/** The catalog's assignments and what it resolved. */
export interface ReconcilerRulesInput {
  readonly organization: Organization;
  readonly instanceArn: string;
  readonly assignments: readonly PermissionSetAssignment[];
  /** The identity store id of a principal given by name, once resolved. */
  readonly resolvedPrincipalId: (key: string) => string | undefined;
}

/**
 * The OU-targeted rules as the reconciler reads them (with `estimate`, longest-length placeholders for values known
 * only at deployment, to check the size). Which rules a new account in a given OU receives is decided by
 * resolving each rule's selection against a copy of the model with one probe account per OU, so nested OUs,
 * `recursive: false`, exclusions and "all member accounts" mean exactly what they mean at synth.
 */
export function planReconcilerRules(input: ReconcilerRulesInput, estimate: boolean): unknown {
  const org = input.organization;
  const special = new Set([org.managementAccount.accountId, org.jumpAccount?.accountId]);
  const probes: AccountDefinition[] = [];
  let next = 999_999_999_999;
  const paths = ['', ...org.organizationalUnits.map((o) => o.path)];
  for (const path of paths) {
    while (org.tryFindAccount(String(next))) next--;
    probes.push({ accountId: String(next--), name: `probe:${path || 'root'}`, organizationalUnit: path || undefined });
  }
  const probeOrg = new Organization({
    rootId: org.rootId,
    managementAccount: org.managementAccount,
    jumpAccount: org.jumpAccount,
    organizationalUnits: org.organizationalUnits,
    accounts: [...org.accounts.filter((a) => !special.has(a.accountId)), ...probes],
  });
  const parentIdOf = (path: string) => (path === '' ? org.rootId : org.findOrganizationalUnit(path).ouId);
  const rules: Array<{ p: string; t: string; i: string; x?: string[] }> = [];
  const parents: Record<string, number[]> = {};
  for (const a of input.assignments) {
    if (a.principal._validate()) continue;
    // a selection naming unknown accounts is reported by the catalog; here it selects nothing
    const selected = a.accounts._resolveOrReport(probeOrg, () => undefined);
    const extraExcluded = new Set((a.excludeAccounts ?? []).map((r) => org.tryFindAccount(r)?.accountId));
    const probeHits = selected.filter((s) => s.name.startsWith('probe:'));
    if (probeHits.length === 0) continue;
    const selectedIds = new Set(selected.map((s) => s.accountId));
    const hitPaths = new Set(probeHits.map((p) => p.organizationalUnit ?? ''));
    // real accounts in those OUs that the rule leaves out are its exclusions
    const excluded = org.accounts
      .filter((acc) => hitPaths.has(acc.organizationalUnit ?? '') && (!selectedIds.has(acc.accountId) || extraExcluded.has(acc.accountId)))
      .map((acc) => acc.accountId)
      .sort();
    const principalId = a.principal._id ?? (estimate ? 'x'.repeat(46) : input.resolvedPrincipalId(a.principal._key));
    if (principalId === undefined) continue;
    const ruleIndex = rules.length;
    rules.push({
      p: estimate && Token.isUnresolved(a.permissionSet.permissionSetArn) ? 'x'.repeat(80) : a.permissionSet.permissionSetArn,
      t: a.principal.kind,
      i: principalId,
      ...(excluded.length > 0 ? { x: excluded } : {}),
    });
    for (const p of hitPaths) {
      const id = parentIdOf(p);
      (parents[id] ??= []).push(ruleIndex);
    }
  }
  return { instanceArn: estimate && Token.isUnresolved(input.instanceArn) ? 'x'.repeat(60) : input.instanceArn, rules, parents };
}
