// Bundled into the Lambda assets by esbuild (like the *.lambda.ts entry points); the construct never imports it.
/* eslint-disable import/no-extraneous-dependencies */
// The grant record: one per (principal, permission set, account). Exactly one execution OWNS an assignment it
// created: it alone deletes it, on the owner branch of the state machine, whose every path ends in the revoke task.
// Other grants for the same key JOIN the owner's confirmed assignment (heldBy) and never create or delete; the owner
// waits until no live member remains before it deletes. An assignment that existed with no owner is standing access:
// it is joined, never created and never deleted. Ownership is cleared only after a confirmed deletion.
import { ListAccountAssignmentsCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { grantKey } from './policy';
import { AccessRequest, ddb, env, getRequest, isTerminal } from './store';

export const ssoAdmin = new SSOAdminClient({});

/** Thrown while another grant's assignment is being created or deleted; the state machine retries with backoff. */
export class AssignmentBusy extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssignmentBusy';
  }
}

/** What a grant record holds. */
export interface GrantRecord {
  readonly grantKey: string;
  readonly principalId: string;
  readonly accountId: string;
  readonly permissionSetArn: string;
  readonly instanceArn: string;
  /** The request whose execution created the assignment and must delete it ('reconciler' once taken over). */
  readonly ownerRequestId?: string;
  readonly ownerStage?: 'CREATING' | 'ACTIVE' | 'DELETING';
  /** Requests holding access through this assignment (the owner included while its grant runs). */
  readonly heldBy?: Set<string>;
  /** The assignment existed before the workflow and has no owner: never deleted by the workflow. */
  readonly standing?: boolean;
  readonly deletingSince?: string;
  /** When the reconciler took the assignment over from a dead owner, and from which request. */
  readonly takenOverAt?: string;
  readonly takenOverFrom?: string;
}

/** Longest pause of an owner waiting for the other holders of its assignment to end. */
export const MAX_MEMBER_WAIT_SECONDS = 60;

/** Whether the user holds a user-level assignment of this permission set on the account right now. */
export async function userAssignmentExists(instanceArn: string, accountId: string, permissionSetArn: string, userId: string): Promise<boolean> {
  let token: string | undefined;
  do {
    const out = await ssoAdmin.send(new ListAccountAssignmentsCommand({
      InstanceArn: instanceArn, AccountId: accountId, PermissionSetArn: permissionSetArn, NextToken: token,
    }));
    if ((out.AccountAssignments ?? []).some((a) => a.PrincipalType === 'USER' && a.PrincipalId === userId)) return true;
    token = out.NextToken;
  } while (token);
  return false;
}

export function keyOf(r: Pick<AccessRequest, 'requesterId' | 'permissionSetArn' | 'accountId'>): string {
  return grantKey(r.requesterId, r.permissionSetArn, r.accountId);
}

export async function getGrant(key: string): Promise<GrantRecord | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: env('GRANTS_TABLE'), Key: { grantKey: key }, ConsistentRead: true }));
  return out.Item as GrantRecord | undefined;
}

function isConditionFailure(e: unknown): boolean {
  return (e as Error).name === 'ConditionalCheckFailedException';
}

async function update(key: string, expression: string, values: Record<string, unknown>, condition?: string): Promise<boolean> {
  try {
    await ddb.send(new UpdateCommand({
      TableName: env('GRANTS_TABLE'),
      Key: { grantKey: key },
      UpdateExpression: expression,
      ConditionExpression: condition,
      ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
    }));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/**
 * Decides how this request gets access: as the owner that creates the assignment (`createAssignment: true`), or by
 * joining a confirmed assignment of another grant or standing access. Idempotent, so the state machine may retry it.
 */
export async function acquire(r: AccessRequest): Promise<{ createAssignment: boolean; standing: boolean }> {
  const key = keyOf(r);
  const g = await getGrant(key);
  if (g?.ownerRequestId === r.requestId) return { createAssignment: true, standing: false };
  if (g?.heldBy?.has(r.requestId)) return { createAssignment: false, standing: g.standing === true };
  const attrs = 'principalId = :p, accountId = :a, permissionSetArn = :ps, instanceArn = :i';
  const base = { ':p': r.requesterId, ':a': r.accountId, ':ps': r.permissionSetArn, ':i': r.instanceArn, ':me': new Set([r.requestId]) };
  if (g?.ownerRequestId !== undefined) {
    // join only an assignment its owner has confirmed; while it is created or deleted, wait
    const joined = g.ownerStage === 'ACTIVE' && await update(key, 'ADD heldBy :me', { ':me': base[':me'], ':o': g.ownerRequestId, ':active': 'ACTIVE' },
      'ownerRequestId = :o AND ownerStage = :active');
    if (!joined) throw new AssignmentBusy(`the assignment of ${key} is being ${g.ownerStage === 'DELETING' ? 'deleted' : 'created'} by ${g.ownerRequestId}`);
    return { createAssignment: false, standing: false };
  }
  // no owner: an assignment that exists now is standing access, declared elsewhere; otherwise this request owns it
  const standing = await userAssignmentExists(r.instanceArn, r.accountId, r.permissionSetArn, r.requesterId);
  const ok = standing
    ? await update(key, `SET ${attrs}, standing = :t ADD heldBy :me`, { ...base, ':t': true }, 'attribute_not_exists(ownerRequestId)')
    : await update(key, `SET ${attrs}, standing = :f, ownerRequestId = :r, ownerStage = :creating ADD heldBy :me`,
      { ...base, ':f': false, ':r': r.requestId, ':creating': 'CREATING' }, 'attribute_not_exists(ownerRequestId)');
  if (!ok) throw new AssignmentBusy(`another grant of ${key} started at the same time`);
  return { createAssignment: !standing, standing };
}

/** Acquire failed for good before any assignment was created: drop this request's claim and membership. */
export async function abandon(r: AccessRequest): Promise<void> {
  const key = keyOf(r);
  await update(key, 'DELETE heldBy :me', { ':me': new Set([r.requestId]) });
  await update(key, 'REMOVE ownerRequestId, ownerStage', { ':r': r.requestId, ':creating': 'CREATING' },
    'ownerRequestId = :r AND ownerStage = :creating');
}

/** The owner's assignment is confirmed by Identity Center: other grants may join it. */
export async function activateOwner(r: AccessRequest): Promise<void> {
  const ok = await update(keyOf(r), 'SET ownerStage = :active', { ':active': 'ACTIVE', ':r': r.requestId, ':creating': 'CREATING' },
    'ownerRequestId = :r AND ownerStage IN (:creating, :active)');
  if (!ok) throw new Error(`request ${r.requestId} no longer owns the assignment of ${keyOf(r)}`);
}

/** Members other than `requestId` whose grants still run, with the latest end among them. */
async function liveMembers(g: GrantRecord | undefined, requestId: string, now: number): Promise<{ ids: string[]; latestEnd: number }> {
  const ids: string[] = [];
  let latestEnd = 0;
  for (const id of g?.heldBy ?? []) {
    if (id === requestId) continue;
    const m = await getRequest(id);
    // a grant whose end has passed no longer needs the assignment, whether or not its execution has caught up
    if (!m || isTerminal(m.status) || (m.endAt !== undefined && Date.parse(m.endAt) <= now)) continue;
    ids.push(id);
    latestEnd = Math.max(latestEnd, m.endAt ? Date.parse(m.endAt) : now + MAX_MEMBER_WAIT_SECONDS * 1000);
  }
  return { ids, latestEnd };
}

/**
 * The owner's grant ended (or failed): leave the holders, then either claim the deletion (`deleteAssignment: true`)
 * or, while other grants still use the assignment, say how long to wait before asking again. Never skips the revoke:
 * the owner branch loops here until it deletes.
 */
export async function releaseOwner(r: AccessRequest, now = Date.now()): Promise<{ deleteAssignment: boolean; waitSeconds: number }> {
  const key = keyOf(r);
  await update(key, 'DELETE heldBy :me', { ':me': new Set([r.requestId]) });
  const g = await getGrant(key);
  const others = await liveMembers(g, r.requestId, now);
  const wait = (): { deleteAssignment: boolean; waitSeconds: number } => ({
    deleteAssignment: false,
    waitSeconds: others.ids.length === 0 ? MAX_MEMBER_WAIT_SECONDS
      : Math.max(1, Math.min(MAX_MEMBER_WAIT_SECONDS, Math.ceil((others.latestEnd - now) / 1000))),
  });
  if (others.ids.length > 0) return wait();
  if (g?.ownerRequestId === r.requestId && g.ownerStage === 'DELETING') return { deleteAssignment: true, waitSeconds: 0 };
  // holders whose grants ended leave with the claim
  const stale = [...(g?.heldBy ?? [])].filter((id) => id !== r.requestId);
  const values: Record<string, unknown> = { ':r': r.requestId, ':deleting': 'DELETING', ':now': new Date(now).toISOString() };
  let expression = 'SET ownerStage = :deleting, deletingSince = :now';
  if (stale.length > 0) {
    values[':stale'] = new Set(stale);
    expression += ' DELETE heldBy :stale';
  }
  if (g?.ownerRequestId === r.requestId) {
    const claimed = await update(key, expression, values, 'ownerRequestId = :r');
    return claimed ? { deleteAssignment: true, waitSeconds: 0 } : wait();
  }
  // not (or no longer) the owner: deleting is still safe when nobody else holds the assignment and it is not standing
  if (g?.standing === true && g.ownerRequestId === undefined) return wait();
  return { deleteAssignment: true, waitSeconds: 0 };
}

/** The deletion is confirmed: the assignment is no longer the workflow's. */
export async function releasedOwner(r: AccessRequest): Promise<void> {
  await update(keyOf(r), 'REMOVE ownerRequestId, ownerStage, deletingSince', { ':r': r.requestId }, 'ownerRequestId = :r');
}

/** A joined grant ended: it only leaves the holders; the owner (or the standing assignment) is untouched. */
export async function releaseJoined(r: AccessRequest): Promise<void> {
  await update(keyOf(r), 'DELETE heldBy :me', { ':me': new Set([r.requestId]) });
}
