// How the live organization drifted from the committed model, one named change per line. Accounts and OUs are matched
// by id, so a renamed OU is one change (not a move of every account in it) and a renamed account is not new + removed.
import { allAccounts, ModelAccount, OrganizationModel } from './model';

export enum ChangeKind {
  NEW_ACCOUNT = 'new account',
  REMOVED_ACCOUNT = 'removed account',
  MOVED_ACCOUNT = 'moved account',
  RENAMED_ACCOUNT = 'renamed account',
  CLOSED_ACCOUNT = 'closed account',
  SUSPENDED_ACCOUNT = 'suspended account',
  REACTIVATED_ACCOUNT = 'reactivated account',
  STATE_CHANGED = 'account state changed',
  TAGS_CHANGED = 'tags changed',
  NEW_OU = 'new ou',
  REMOVED_OU = 'removed ou',
  RENAMED_OU = 'renamed ou',
  MOVED_OU = 'moved ou',
  MANAGEMENT_ACCOUNT = 'management account changed',
  ROOT = 'root changed',
  DELEGATED_ADMIN_ADDED = 'delegated admin added',
  DELEGATED_ADMIN_REMOVED = 'delegated admin removed',
  IDENTITY_CENTER = 'identity center changed',
}

export interface ModelChange {
  readonly kind: ChangeKind;
  /** The account id, OU id, or service principal the change is about. */
  readonly id: string;
  /** The account or OU name (in the model that holds it). */
  readonly name: string;
  readonly detail: string;
}

const CLOSED = new Set(['CLOSED', 'PENDING_CLOSURE']);

export function diffModels(committed: OrganizationModel, live: OrganizationModel): ModelChange[] {
  const out: ModelChange[] = [];
  if (committed.rootId !== live.rootId) {
    out.push({ kind: ChangeKind.ROOT, id: live.rootId, name: 'root', detail: `${committed.rootId} -> ${live.rootId}: the model was imported from another organization` });
  }
  if (committed.managementAccount.accountId !== live.managementAccount.accountId) {
    out.push({
      kind: ChangeKind.MANAGEMENT_ACCOUNT,
      id: live.managementAccount.accountId,
      name: live.managementAccount.name,
      detail: `${committed.managementAccount.accountId} -> ${live.managementAccount.accountId}`,
    });
  }

  // OUs by id
  const oldOus = new Map(committed.organizationalUnits.map((o) => [o.ouId, o.path]));
  const newOus = new Map(live.organizationalUnits.map((o) => [o.ouId, o.path]));
  const oldOuIdByPath = new Map(committed.organizationalUnits.map((o) => [o.path, o.ouId]));
  const newOuIdByPath = new Map(live.organizationalUnits.map((o) => [o.path, o.ouId]));
  const parentId = (path: string, byPath: Map<string, string>, rootId: string) => {
    const i = path.lastIndexOf('/');
    return i < 0 ? rootId : byPath.get(path.slice(0, i)) ?? path.slice(0, i);
  };
  for (const [id, path] of newOus) {
    const before = oldOus.get(id);
    if (before === undefined) {
      out.push({ kind: ChangeKind.NEW_OU, id, name: path, detail: `new ou ${path}` });
    } else if (before !== path) {
      // an OU whose path changed only because an ancestor was renamed or moved is not itself a change
      const moved = parentId(before, oldOuIdByPath, committed.rootId) !== parentId(path, newOuIdByPath, live.rootId);
      const renamed = before.slice(before.lastIndexOf('/') + 1) !== path.slice(path.lastIndexOf('/') + 1);
      if (moved || renamed) out.push({ kind: moved ? ChangeKind.MOVED_OU : ChangeKind.RENAMED_OU, id, name: path, detail: `${before} -> ${path}` });
    }
  }
  for (const [id, path] of oldOus) {
    if (!newOus.has(id)) out.push({ kind: ChangeKind.REMOVED_OU, id, name: path, detail: `ou ${path} no longer exists` });
  }

  // accounts by id; an account's place is its parent OU id, so renaming an OU moves nobody
  const place = (a: ModelAccount, byPath: Map<string, string>, rootId: string) =>
    (a.organizationalUnit ? byPath.get(a.organizationalUnit) ?? a.organizationalUnit : rootId);
  const oldAccounts = new Map(allAccounts(committed).map((a) => [a.accountId, a]));
  const newAccounts = new Map(allAccounts(live).map((a) => [a.accountId, a]));
  for (const [id, a] of newAccounts) {
    const before = oldAccounts.get(id);
    if (!before) {
      out.push({ kind: ChangeKind.NEW_ACCOUNT, id, name: a.name, detail: `in ${a.organizationalUnit ?? 'root'}${a.status ? ` (${a.status})` : ''}` });
      continue;
    }
    if (before.name !== a.name) out.push({ kind: ChangeKind.RENAMED_ACCOUNT, id, name: a.name, detail: `${before.name} -> ${a.name}` });
    if (place(before, oldOuIdByPath, committed.rootId) !== place(a, newOuIdByPath, live.rootId)) {
      out.push({ kind: ChangeKind.MOVED_ACCOUNT, id, name: a.name, detail: `${before.organizationalUnit ?? 'root'} -> ${a.organizationalUnit ?? 'root'}` });
    }
    const was = before.status ?? 'ACTIVE';
    const now = a.status ?? 'ACTIVE';
    if (was !== now) {
      const kind = CLOSED.has(now) ? ChangeKind.CLOSED_ACCOUNT
        : now === 'SUSPENDED' ? ChangeKind.SUSPENDED_ACCOUNT
          : now === 'ACTIVE' ? ChangeKind.REACTIVATED_ACCOUNT : ChangeKind.STATE_CHANGED;
      out.push({ kind, id, name: a.name, detail: `${was} -> ${now}` });
    }
    const tags = tagChanges(before.tags ?? {}, a.tags ?? {});
    if (tags) out.push({ kind: ChangeKind.TAGS_CHANGED, id, name: a.name, detail: tags });
  }
  for (const [id, a] of oldAccounts) {
    if (!newAccounts.has(id)) out.push({ kind: ChangeKind.REMOVED_ACCOUNT, id, name: a.name, detail: `left the organization (was in ${a.organizationalUnit ?? 'root'})` });
  }

  // delegated administrators, by service
  const admins = (m: OrganizationModel) => new Map(m.imported.delegatedAdministrators.flatMap((d) => d.servicePrincipals.map((s) => [`${s} ${d.accountId}`, d] as const)));
  const oldAdmins = admins(committed);
  const newAdmins = admins(live);
  for (const [k, d] of newAdmins) {
    if (!oldAdmins.has(k)) out.push({ kind: ChangeKind.DELEGATED_ADMIN_ADDED, id: k.split(' ')[0], name: d.name, detail: `${d.name} (${d.accountId}) administers ${k.split(' ')[0]}` });
  }
  for (const [k, d] of oldAdmins) {
    if (!newAdmins.has(k)) out.push({ kind: ChangeKind.DELEGATED_ADMIN_REMOVED, id: k.split(' ')[0], name: d.name, detail: `${d.name} (${d.accountId}) no longer administers ${k.split(' ')[0]}` });
  }

  const ic = (m: OrganizationModel) => m.imported.identityCenter;
  const before = ic(committed);
  const after = ic(live);
  if ((before?.instanceArn ?? '') !== (after?.instanceArn ?? '') || (before?.identityStoreId ?? '') !== (after?.identityStoreId ?? '')) {
    out.push({
      kind: ChangeKind.IDENTITY_CENTER,
      id: after?.instanceArn ?? before?.instanceArn ?? '-',
      name: 'identity center',
      detail: `${before ? `${before.instanceArn} (${before.identityStoreId})` : 'none'} -> ${after ? `${after.instanceArn} (${after.identityStoreId})` : 'none'}`,
    });
  }
  return out;
}

function tagChanges(before: Record<string, string>, after: Record<string, string>): string | undefined {
  const parts: string[] = [];
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (!(k in before)) parts.push(`+${k}=${after[k]}`);
    else if (!(k in after)) parts.push(`-${k}`);
    else if (before[k] !== after[k]) parts.push(`${k}: ${before[k]} -> ${after[k]}`);
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** `3 changes: 1 new account, 2 tags changed`. */
export function summarize(changes: readonly ModelChange[]): string {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  const parts = [...counts].map(([k, n]) => `${n} ${k}`);
  return `${changes.length} change${changes.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
