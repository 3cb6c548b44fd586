// The final net: on a schedule, deletes assignments the workflow created that no active grant needs any more,
// and reports each one (audit record, event, metric for the alarm).
import { DeleteAccountAssignmentCommand } from '@aws-sdk/client-sso-admin';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ssoAdmin, userAssignmentExists } from './grants';
import { AccessRequest, ddb, emitMetric, env, getRequest, logger, recordTransition } from './store';

/** A revoke in progress for longer than this is considered stuck and taken over. */
const STUCK_DELETION_MS = 60 * 60 * 1000;
/** An active request whose end passed this long ago has lost its execution. */
const OVERDUE_MS = 15 * 60 * 1000;
const ENDED = new Set(['REVOKED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED']);

export interface ReconcileResult {
  readonly removed: string[];
  readonly staleReferences: string[];
}

async function isStale(requestId: string, now: number): Promise<boolean> {
  const r = await getRequest(requestId);
  if (!r) return true;
  if (ENDED.has(r.status)) return true;
  return r.endAt !== undefined && Date.parse(r.endAt) + OVERDUE_MS < now;
}

export async function handler(_event?: unknown): Promise<ReconcileResult> {
  const now = Date.now();
  const removed: string[] = [];
  const staleReferences: string[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: env('GRANTS_TABLE'), ExclusiveStartKey: start, ConsistentRead: true }));
    for (const g of page.Items ?? []) {
      if (g.ownedByWorkflow !== true) continue;
      // drop references to requests that ended or lost their execution
      const active = [...((g.activeRequests as Set<string> | undefined) ?? [])];
      const stale: string[] = [];
      for (const id of active) if (await isStale(id, now)) stale.push(id);
      if (stale.length > 0) {
        await ddb.send(new UpdateCommand({
          TableName: env('GRANTS_TABLE'),
          Key: { grantKey: g.grantKey },
          UpdateExpression: 'DELETE activeRequests :s',
          ExpressionAttributeValues: { ':s': new Set(stale) },
        }));
        staleReferences.push(...stale);
      }
      if (active.length > stale.length) continue;
      const deleting = typeof g.deletingSince === 'string' && now - Date.parse(g.deletingSince) < STUCK_DELETION_MS;
      if (deleting) continue; // a revoke is running; let it finish
      try {
        // claim the record: a grant starting now waits (AssignmentBusy) until the claim is released
        await ddb.send(new UpdateCommand({
          TableName: env('GRANTS_TABLE'),
          Key: { grantKey: g.grantKey },
          UpdateExpression: 'SET deletingBy = :me, deletingSince = :now',
          ConditionExpression: 'attribute_not_exists(activeRequests) AND ownedByWorkflow = :t',
          ExpressionAttributeValues: { ':me': 'reconciler', ':now': new Date(now).toISOString(), ':t': true },
        }));
      } catch (e) {
        if ((e as Error).name === 'ConditionalCheckFailedException') continue;
        throw e;
      }
      let assignmentRequestId: string | undefined;
      if (await userAssignmentExists(g.instanceArn, g.accountId, g.permissionSetArn, g.principalId)) {
        const out = await ssoAdmin.send(new DeleteAccountAssignmentCommand({
          InstanceArn: g.instanceArn,
          TargetId: g.accountId,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: g.permissionSetArn,
          PrincipalType: 'USER',
          PrincipalId: g.principalId,
        }));
        assignmentRequestId = out.AccountAssignmentDeletionStatus?.RequestId;
        removed.push(g.grantKey);
        emitMetric('OrphanedAssignmentsRemoved');
        const pseudo = { requestId: `reconciler#${g.grantKey}`, requesterId: g.principalId, accountId: g.accountId, permissionSetArn: g.permissionSetArn } as AccessRequest;
        await recordTransition({
          request: pseudo,
          transition: 'ORPHAN_REMOVED',
          actor: 'reconciler',
          repeatKey: new Date(now).toISOString(),
          reason: 'assignment created by the workflow had no active grant',
          assignmentRequestId,
        });
      }
      await ddb.send(new UpdateCommand({
        TableName: env('GRANTS_TABLE'),
        Key: { grantKey: g.grantKey },
        UpdateExpression: 'REMOVE deletingBy, deletingSince, ownedByWorkflow',
      }));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  logger.info('reconciled', { removed, staleReferences });
  return { removed, staleReferences };
}
