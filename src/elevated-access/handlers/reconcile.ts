// Bundled into the Lambda assets by esbuild (like the *.lambda.ts entry points); the construct never imports it.
/* eslint-disable import/no-extraneous-dependencies */
// The last net, run on a schedule and whenever an execution ends abnormally: tells dead executions from live ones
// (DescribeExecution), fails the requests they left behind, removes their grants from the grant records, takes over
// the assignments dead owners created and deletes them once no live grant needs them, confirming every deletion by
// polling its status as the state machine does.
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  DeleteAccountAssignmentCommand, DescribeAccountAssignmentDeletionStatusCommand,
} from '@aws-sdk/client-sso-admin';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GrantRecord, ssoAdmin, userAssignmentExists } from './grants';
import { isJumpHolders, JumpHolders, sweepJumpGrants } from './jump-sweep';
import {
  AccessRequest, ddb, emitMetric, env, conditionalUpdate, getRequest, isTerminal, itemsWithStatus, loadConfig, logger, RECONCILER, recordTransition,
  RequestStatus,
} from './store';

const sfn = new SFNClient({});

export { RECONCILER };
/** A request this young may not have its execution yet (the API writes the request, then starts it). */
const STARTING_MS = 5 * 60 * 1000;
/** After taking over from an owner that died while creating, look again this much later before letting go. */
const CREATION_SETTLE_MS = 10 * 60 * 1000;
const OPEN: RequestStatus[] = ['PENDING_APPROVAL', 'APPROVED', 'GRANTING', 'ACTIVE', 'REVOKING'];

export interface ReconcileOptions {
  /** Pause between deletion status polls. */
  readonly pollMs?: number;
  /** Polls before a deletion is left for the next run. */
  readonly maxPolls?: number;
  /** The current time (tests). */
  readonly now?: number;
  /** Items per page of the table reads. */
  readonly pageSize?: number;
}

export interface ReconcileResult {
  /** Grant keys whose assignment the reconciler deleted (confirmed). */
  readonly removed: string[];
  /** Requests whose execution had ended without finishing them. */
  readonly failedRequests: string[];
  /** Grants dropped from grant records because their executions are gone. */
  readonly staleReferences: string[];
  /** Grant keys taken over from dead owners. */
  readonly takenOver: string[];
  /** Jump grant policies and session denies removed (`user/<name>/<policy>`, `role/<account>/<role>/<policy>`). */
  readonly jumpPoliciesRemoved: string[];
}

interface PollOptions {
  readonly pollMs: number;
  readonly maxPolls: number;
}

export function executionArnOf(requestId: string): string {
  return `${env('STATE_MACHINE_ARN').replace(':stateMachine:', ':execution:')}:${requestId}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether the execution of the request is still running (a just-created request counts as starting). */
async function isLive(requestId: string, now: number, cache: Map<string, boolean>): Promise<boolean> {
  const known = cache.get(requestId);
  if (known !== undefined) return known;
  let live: boolean;
  try {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(requestId) }));
    live = out.status === 'RUNNING' || out.status === 'PENDING_REDRIVE';
  } catch (e) {
    if ((e as Error).name !== 'ExecutionDoesNotExist') throw e;
    const r = await getRequest(requestId);
    live = r !== undefined && now - Date.parse(r.createdAt) < STARTING_MS;
  }
  cache.set(requestId, live);
  return live;
}

async function update(key: Record<string, string>, table: string, expression: string, values: Record<string, unknown>, condition?: string,
  names?: Record<string, string>): Promise<boolean> {
  return conditionalUpdate({
    TableName: env(table),
    Key: key,
    UpdateExpression: expression,
    ConditionExpression: condition,
    ExpressionAttributeValues: values,
    ExpressionAttributeNames: names,
  });
}

/** Fails the open requests whose executions are gone, so nothing waits on them. */
async function failDeadRequests(now: number, live: Map<string, boolean>, result: ReconcileResult, pageSize?: number): Promise<void> {
  for (const status of OPEN) {
    for await (const item of itemsWithStatus<AccessRequest>(status, pageSize)) {
      if (await isLive(item.requestId, now, live)) continue;
      const reason = `its execution ended while the request was ${status}`;
      const failed = await update({ requestId: item.requestId }, 'REQUESTS_TABLE', 'SET #s = :failed, failureReason = :why REMOVE taskToken, taskStage',
        { ':failed': 'FAILED', ':why': reason, ':was': status }, '#s = :was', { '#s': 'status' });
      if (!failed) continue;
      result.failedRequests.push(item.requestId);
      await recordTransition({ request: item, transition: 'FAILED', actor: RECONCILER, reason });
    }
  }
}

/** Deletes the assignment and polls until Identity Center confirms it; false when it is not confirmed yet. */
async function deleteConfirmed(g: GrantRecord, opts: PollOptions): Promise<{ done: boolean; requestId?: string }> {
  if (!(await userAssignmentExists(g.instanceArn, g.accountId, g.permissionSetArn, g.principalId))) return { done: true };
  const out = await ssoAdmin.send(new DeleteAccountAssignmentCommand({
    InstanceArn: g.instanceArn,
    TargetId: g.accountId,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: g.permissionSetArn,
    PrincipalType: 'USER',
    PrincipalId: g.principalId,
  }));
  const requestId = out.AccountAssignmentDeletionStatus?.RequestId;
  let status = out.AccountAssignmentDeletionStatus?.Status;
  for (let i = 0; status !== 'SUCCEEDED' && status !== 'FAILED' && i < opts.maxPolls; i++) {
    await sleep(opts.pollMs);
    const s = await ssoAdmin.send(new DescribeAccountAssignmentDeletionStatusCommand({
      InstanceArn: g.instanceArn, AccountAssignmentDeletionRequestId: requestId,
    }));
    status = s.AccountAssignmentDeletionStatus?.Status;
  }
  return { done: status === 'SUCCEEDED', requestId };
}

async function reconcileGrant(g: GrantRecord, now: number, live: Map<string, boolean>, opts: PollOptions,
  result: ReconcileResult): Promise<void> {
  const key = { grantKey: g.grantKey };
  // drop grants whose requests ended or whose executions are gone
  const holders: string[] = [];
  const stale: string[] = [];
  for (const id of g.heldBy ?? []) {
    const r = await getRequest(id);
    if (!r || isTerminal(r.status) || !(await isLive(id, now, live))) stale.push(id);
    else holders.push(id);
  }
  if (stale.length > 0) {
    await update(key, 'GRANTS_TABLE', 'DELETE heldBy :s', { ':s': new Set(stale) });
    result.staleReferences.push(...stale);
  }
  let owner = g.ownerRequestId;
  if (owner === undefined) return; // standing access, or nothing: never deleted here
  if (owner !== RECONCILER) {
    if (await isLive(owner, now, live)) return; // the owner's execution will revoke it
    const took = await update(key, 'GRANTS_TABLE', 'SET ownerRequestId = :me, takenOverAt = :now, takenOverFrom = :o',
      { ':me': RECONCILER, ':now': new Date(now).toISOString(), ':o': owner }, 'ownerRequestId = :o');
    if (!took) return;
    result.takenOver.push(g.grantKey);
    owner = RECONCILER;
  }
  if (holders.length > 0) return; // live grants still use the assignment; looked at again on the next run
  const deletion = await deleteConfirmed(g, opts);
  if (!deletion.done) {
    logger.warn('deletion not confirmed yet', { grantKey: g.grantKey });
    emitMetric('RevokeFailures');
    return;
  }
  if (deletion.requestId) {
    result.removed.push(g.grantKey);
    emitMetric('OrphanedAssignmentsRemoved');
    const pseudo = { requestId: `${RECONCILER}#${g.grantKey}`, requesterId: g.principalId, accountId: g.accountId, permissionSetArn: g.permissionSetArn } as AccessRequest;
    await recordTransition({
      request: pseudo,
      transition: 'ORPHAN_REMOVED',
      actor: RECONCILER,
      repeatKey: new Date(now).toISOString(),
      reason: `assignment created by ${g.ownerRequestId === RECONCILER ? g.takenOverFrom ?? 'the workflow' : g.ownerRequestId}, whose execution ended, had no live grant`,
      assignmentRequestId: deletion.requestId,
    });
  }
  // an owner that died while creating may have a creation still in flight: look once more on a later run
  const since = Date.parse(g.takenOverAt ?? new Date(now).toISOString());
  if (!deletion.requestId && g.ownerStage === 'CREATING' && now - since < CREATION_SETTLE_MS) return;
  await update(key, 'GRANTS_TABLE', 'REMOVE ownerRequestId, ownerStage, deletingSince, takenOverAt, takenOverFrom',
    { ':me': RECONCILER }, 'ownerRequestId = :me AND attribute_not_exists(heldBy)');
}

async function sweepJump(items: JumpHolders[], now: number, live: Map<string, boolean>, result: ReconcileResult): Promise<void> {
  try {
    const jump = (await loadConfig()).jump;
    if (!jump) return; // the jump rules are gone: no grant writer to go through (the grant policies end by themselves)
    const out = await sweepJumpGrants(items, { now, jump, isLive: (id) => isLive(id, now, live) });
    result.jumpPoliciesRemoved.push(...out.policiesRemoved);
    result.staleReferences.push(...out.staleHolders);
  } catch (e) {
    logger.error('sweeping jump grants failed', { error: (e as Error).message });
    emitMetric('RevokeFailures');
  }
}

export async function reconcile(options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const now = options.now ?? Date.now();
  const opts = { pollMs: options.pollMs ?? 2000, maxPolls: options.maxPolls ?? 60 };
  const result: ReconcileResult = { removed: [], failedRequests: [], staleReferences: [], takenOver: [], jumpPoliciesRemoved: [] };
  const jumpItems: JumpHolders[] = [];
  const live = new Map<string, boolean>();
  await failDeadRequests(now, live, result, options.pageSize);
  let start: Record<string, any> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: env('GRANTS_TABLE'), ExclusiveStartKey: start, ConsistentRead: true, Limit: options.pageSize }));
    for (const g of (page.Items ?? []) as GrantRecord[]) {
      // the jump grants' reference counts are no Identity Center grants: they are swept below, over IAM
      if (isJumpHolders(g)) { jumpItems.push(g as JumpHolders); continue; }
      try {
        await reconcileGrant(g, now, live, opts, result);
      } catch (e) {
        // one broken record must not stop the sweep of the others; the alarm and the next run follow up
        logger.error('reconciling a grant failed', { grantKey: g.grantKey, error: (e as Error).message });
        emitMetric('RevokeFailures');
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  if (jumpItems.length > 0) await sweepJump(jumpItems, now, live, result);
  logger.info('reconciled', { ...result });
  return result;
}
