// Bundled into the Lambda assets by esbuild (like the *.lambda.ts entry points); the construct never imports it.
/* eslint-disable import/no-extraneous-dependencies */
// Re-notification of approvers while a request waits, with backoff; run by the reconciler on its schedule.
import { approverSteps, humanDuration } from './notices';
import { AccessConfig } from './policy';
import { reminderDue } from './reminder-policy';
import { AccessRequest, conditionalUpdate, env, itemsWithStatus, notify, recordTransition } from './store';

type Waiting = AccessRequest & { lastRemindedAt?: string; reminders?: number };

/** Reminds the approvers of every request still waiting that is due a reminder; returns their ids. */
export async function remindPending(config: AccessConfig, now = Date.now()): Promise<string[]> {
  const reminded: string[] = [];
  for await (const r of itemsWithStatus<Waiting>('PENDING_APPROVAL')) {
    const count = r.reminders ?? 0;
    const last = r.lastRemindedAt ? Date.parse(r.lastRemindedAt) : undefined;
    if (!reminderDue(Date.parse(r.createdAt), last, count, Date.parse(r.pendingExpiresAt), now)) continue;
    // one reminder per due time, whoever runs at the same moment
    const claimed = await conditionalUpdate({
      TableName: env('REQUESTS_TABLE'),
      Key: { requestId: r.requestId },
      UpdateExpression: 'SET lastRemindedAt = :now, reminders = :n',
      ConditionExpression: r.lastRemindedAt ? '#s = :p AND lastRemindedAt = :was' : '#s = :p AND attribute_not_exists(lastRemindedAt)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':now': new Date(now).toISOString(), ':n': count + 1, ':p': 'PENDING_APPROVAL', ...(r.lastRemindedAt ? { ':was': r.lastRemindedAt } : {}),
      },
    });
    if (!claimed) continue;
    const name = config.permissionSets[r.permissionSetArn]?.name ?? r.permissionSetArn;
    const approvals = [...(r.approvals ?? [])].length;
    await notify('approvers', { ...r, permissionSetName: name }, {
      title: `Still waiting for approval: ${r.requesterName} asks for ${name} on ${r.accountId}`,
      text: `${r.requesterName} asks for ${name} on ${r.accountId} for ${humanDuration(r.durationSeconds)}: ${approvals} of ${r.requiredApprovals} approvals; expires ${r.pendingExpiresAt}.`,
      nextSteps: approverSteps(r.requestId),
    });
    await recordTransition({ request: r, transition: 'APPROVAL_REMINDED', actor: 'workflow', repeatKey: String(count + 1), reason: `reminder ${count + 1}` });
    reminded.push(r.requestId);
  }
  return reminded;
}
