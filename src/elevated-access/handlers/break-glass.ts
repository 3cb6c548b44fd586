// Bundled into the Lambda assets by esbuild (like the *.lambda.ts entry points); the construct never imports it.
/* eslint-disable import/no-extraneous-dependencies */
// Break-glass at run time: the self-approval (a state of the state machine), the review item approvers must close,
// and its reminders (run by the reconciler on its schedule).
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { nextReminder, reviewRefusal } from './break-glass-policy';
import type { Caller } from './identity';
import { humanDuration } from './notices';
import { AccessConfig, PolicyError } from './policy';
import { AccessRequest, conditionalUpdate, ddb, env, getRequest, itemsWithStatus, logger, notify, recordTransition } from './store';

/** Key of the review item of a break-glass request (request ids are UUIDs: a `#` key cannot collide). */
export function reviewKey(requestId: string): string {
  return `#review#${requestId}`;
}

/** The review of a break-glass request, as stored in the requests table. */
export interface ReviewItem {
  readonly requestId: string;
  readonly subjectRequestId: string;
  readonly status: 'REVIEW_OPEN' | 'REVIEW_CLOSED';
  readonly createdAt: string;
  readonly reviewDueAt: string;
  readonly reviewWithinSeconds: number;
  readonly nextReminderAt: string;
  readonly reminders: number;
  readonly closedBy?: string;
  readonly comment?: string;
}

function psName(config: AccessConfig, r: AccessRequest): string {
  return config.permissionSets[r.permissionSetArn]?.name ?? r.permissionSetArn;
}

function reviewSteps(requestId: string): string[] {
  return [`POST /requests/${requestId}/review {"comment": "..."}   # an approver closes the review`];
}

/**
 * The self-approval of a break-glass request: APPROVED by the requester, BREAK_GLASS in the audit, every approver,
 * the operators and the requester told at once, and the review item opened. Idempotent (the step may be retried).
 */
export async function declareBreakGlass(config: AccessConfig, r: AccessRequest, reviewWithinSeconds: number, now = Date.now()): Promise<void> {
  if (r.status !== 'PENDING_APPROVAL' && r.status !== 'APPROVED') throw new PolicyError(`request is ${r.status}, not pending`);
  await ddb.send(new UpdateCommand({
    TableName: env('REQUESTS_TABLE'),
    Key: { requestId: r.requestId },
    UpdateExpression: 'SET #s = :approved, selfApprovedAt = if_not_exists(selfApprovedAt, :now)',
    ConditionExpression: '#s IN (:pending, :approved) AND breakGlass = :t',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':approved': 'APPROVED', ':pending': 'PENDING_APPROVAL', ':t': true, ':now': new Date(now).toISOString() },
  }));
  const due = new Date(now + reviewWithinSeconds * 1000).toISOString();
  try {
    await ddb.send(new UpdateCommand({
      TableName: env('REQUESTS_TABLE'),
      Key: { requestId: reviewKey(r.requestId) },
      UpdateExpression: 'SET subjectRequestId = :r, #s = :open, createdAt = :now, reviewDueAt = :due, reviewWithinSeconds = :w, nextReminderAt = :next, reminders = :zero',
      ConditionExpression: 'attribute_not_exists(requestId)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':r': r.requestId,
        ':open': 'REVIEW_OPEN',
        ':now': new Date(now).toISOString(),
        ':due': due,
        ':w': reviewWithinSeconds,
        ':next': new Date(nextReminder(now, now + reviewWithinSeconds * 1000, reviewWithinSeconds).at).toISOString(),
        ':zero': 0,
      },
    }));
  } catch (e) {
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e; // opened by an earlier try
  }
  const view = { ...r, permissionSetName: psName(config, r) };
  await recordTransition({ request: r, transition: 'BREAK_GLASS', actor: r.requesterArn, reason: r.justification });
  await recordTransition({ request: r, transition: 'APPROVED', actor: r.requesterArn, reason: 'break-glass: self-approved' });
  const notice = {
    title: `BREAK-GLASS: ${r.requesterName} self-approved ${view.permissionSetName} on ${r.accountId}`,
    text: `${r.requesterName} used break-glass for ${humanDuration(r.durationSeconds)}: "${r.justification ?? ''}". An approver must review it with a comment by ${due}.`,
    nextSteps: reviewSteps(r.requestId),
  };
  await notify('approvers', view, notice);
  await notify('operators', view, notice);
  await notify('requester', view, { title: notice.title, text: `Your break-glass access is approved and announced to every approver and the operators; it will be reviewed by ${due}.` });
}

/** An approver closes the review with a comment. Throws `PolicyError` when refused; false when already closed. */
export async function closeReview(
  config: AccessConfig, caller: Caller, r: AccessRequest, comment: string | undefined, now = Date.now(),
): Promise<boolean> {
  if (!r.breakGlass) throw new PolicyError('the request did not use break-glass: there is nothing to review');
  const refusal = reviewRefusal(config, caller.userId, caller.groupIds, r, comment);
  if (refusal) throw new PolicyError(refusal);
  const closed = await conditionalUpdate({
    TableName: env('REQUESTS_TABLE'),
    Key: { requestId: reviewKey(r.requestId) },
    UpdateExpression: 'SET #s = :closed, closedBy = :by, closedAt = :now, #c = :c',
    ConditionExpression: '#s = :open',
    ExpressionAttributeNames: { '#s': 'status', '#c': 'comment' },
    ExpressionAttributeValues: {
      ':closed': 'REVIEW_CLOSED', ':open': 'REVIEW_OPEN', ':by': caller.arn, ':now': new Date(now).toISOString(), ':c': comment,
    },
  });
  if (!closed) return false;
  await recordTransition({ request: r, transition: 'REVIEW_CLOSED', actor: caller.arn, reason: comment });
  await notify('operators', { ...r, permissionSetName: psName(config, r) }, {
    title: `Break-glass reviewed: ${r.requesterName} on ${r.accountId}`, text: `${caller.userName}: ${comment}`,
  });
  return true;
}

/** Reminds approvers of every open review that is due a reminder, and the operators too once it is overdue. */
export async function remindReviews(config: AccessConfig, now = Date.now()): Promise<string[]> {
  const reminded: string[] = [];
  for await (const review of itemsWithStatus<ReviewItem>('REVIEW_OPEN')) {
    if (Date.parse(review.nextReminderAt) > now) continue;
    const r = await getRequest(review.subjectRequestId);
    if (!r) continue;
    const next = nextReminder(now, Date.parse(review.reviewDueAt), review.reviewWithinSeconds);
    const claimed = await conditionalUpdate({
      TableName: env('REQUESTS_TABLE'),
      Key: { requestId: review.requestId },
      UpdateExpression: 'SET nextReminderAt = :next, reminders = reminders + :one',
      ConditionExpression: '#s = :open AND nextReminderAt = :was',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':next': new Date(next.at).toISOString(), ':one': 1, ':open': 'REVIEW_OPEN', ':was': review.nextReminderAt },
    });
    if (!claimed) continue; // closed or reminded meanwhile
    const view = { ...r, permissionSetName: psName(config, r) };
    const notice = {
      title: `${next.overdue ? 'OVERDUE ' : ''}break-glass review: ${r.requesterName} on ${r.accountId}`,
      text: `The break-glass access of ${r.requesterName} (${view.permissionSetName}) waits for an approver's review, due ${review.reviewDueAt}.`,
      nextSteps: reviewSteps(r.requestId),
    };
    await notify('approvers', view, notice);
    if (next.overdue) await notify('operators', view, notice);
    await recordTransition({ request: r, transition: 'REVIEW_REMINDED', actor: 'workflow', repeatKey: new Date(now).toISOString(), reason: next.overdue ? 'overdue' : 'pending' });
    reminded.push(r.requestId);
  }
  logger.info('break-glass reviews reminded', { count: reminded.length });
  return reminded;
}
