// The Task states of the per-request state machine. Each action is idempotent: Step Functions may retry it.
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { acquire, release, releaseConfirmed, userAssignmentExists } from './grants';
import { evaluateRequest } from './policy';
import {
  AccessRequest, ddb, emitMetric, env, getRequest, loadConfig, logger, notify, recordTransition, RequestStatus,
  sessionQuery, Transition,
} from './store';

const sfn = new SFNClient({});

/** Business outcomes the state machine catches by name. */
class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface StepEvent {
  readonly action: 'validate' | 'awaitTask' | 'acquire' | 'activate' | 'release' | 'released' | 'grantFailed'
  | 'revokeFailed' | 'close';
  readonly requestId: string;
  readonly stage?: 'APPROVAL' | 'END';
  readonly taskToken?: string;
  /** For `close`: the final transition. */
  readonly transition?: Transition;
  /** The state of the execution, for steps that report on it. */
  readonly state?: Record<string, any>;
}

const TERMINAL: RequestStatus[] = ['REVOKED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'];

async function mustGet(requestId: string): Promise<AccessRequest> {
  const r = await getRequest(requestId);
  if (!r) throw new NamedError('RequestNotFound', `request ${requestId} does not exist`);
  return r;
}

async function setStatus(
  requestId: string, status: RequestStatus, from: RequestStatus[] | undefined, extra: Record<string, unknown> = {},
): Promise<boolean> {
  const names: Record<string, string> = { '#s': 'status' };
  const values: Record<string, unknown> = { ':s': status };
  const sets = ['#s = :s'];
  for (const [k, v] of Object.entries(extra)) {
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  let condition: string | undefined;
  if (from) {
    condition = `#s IN (${from.map((_, i) => `:f${i}`).join(', ')})`;
    from.forEach((f, i) => { values[`:f${i}`] = f; });
  }
  try {
    await ddb.send(new UpdateCommand({
      TableName: env('REQUESTS_TABLE'),
      Key: { requestId },
      UpdateExpression: `SET ${sets.join(', ')} REMOVE taskToken, taskStage`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }));
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}

export async function handler(event: StepEvent): Promise<Record<string, unknown>> {
  logger.appendKeys({ requestId: event.requestId, action: event.action });
  const config = await loadConfig();
  const r = await mustGet(event.requestId);

  switch (event.action) {
    case 'validate': {
      // the backend re-checks the request against the rules deployed now, whatever the API accepted
      const policy = evaluateRequest(config, {
        principalId: r.requesterId,
        groupIds: r.groupIds ?? [],
        accountId: r.accountId,
        permissionSetArn: r.permissionSetArn,
        durationSeconds: r.durationSeconds,
        ticketId: r.ticketId,
        justification: r.justification,
      });
      const approvalRequired = policy.approvals > 0;
      if (!approvalRequired) {
        await setStatus(r.requestId, 'APPROVED', ['PENDING_APPROVAL']);
        await recordTransition({ request: r, transition: 'APPROVED', actor: 'policy', reason: 'no approval required' });
      }
      const expiresIn = Math.floor((Date.parse(r.pendingExpiresAt) - Date.now()) / 1000);
      return {
        approvalRequired,
        pendingExpirySeconds: Math.max(1, expiresIn),
        ...(r.startAt ? { startAt: r.startAt } : {}),
        principalId: r.requesterId,
        accountId: r.accountId,
        permissionSetArn: r.permissionSetArn,
        instanceArn: r.instanceArn,
      };
    }

    case 'awaitTask': {
      if (!event.taskToken || !event.stage) throw new Error('awaitTask needs a task token and a stage');
      const expected: RequestStatus = event.stage === 'APPROVAL' ? 'PENDING_APPROVAL' : 'ACTIVE';
      try {
        await ddb.send(new UpdateCommand({
          TableName: env('REQUESTS_TABLE'),
          Key: { requestId: r.requestId },
          UpdateExpression: 'SET taskToken = :t, taskStage = :st',
          ConditionExpression: '#s = :e AND attribute_not_exists(revokeRequested)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':t': event.taskToken, ':st': event.stage, ':e': expected },
        }));
      } catch (e) {
        if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
        // the request moved on before the token was stored: finish the wait here
        const now = await mustGet(r.requestId);
        if (event.stage === 'END' || now.status === ('APPROVED')) {
          await sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output: '{}' }));
          return {};
        }
        throw new NamedError(now.status === 'REJECTED' ? 'Rejected' : 'Cancelled', `request is ${now.status}`);
      }
      if (event.stage === 'APPROVAL') {
        await notify('approvers', r, `Approval needed: ${r.requesterName} on ${r.accountId}`,
          `${r.requesterName} asks for ${r.permissionSetArn} on ${r.accountId} for ${r.durationSeconds}s: ${r.justification ?? ''}`);
      }
      return {};
    }

    case 'acquire': {
      if (!(await setStatus(r.requestId, 'GRANTING', ['APPROVED', 'GRANTING']))) {
        throw new NamedError('Cancelled', `request is ${r.status}, not approved`);
      }
      return acquire(r);
    }

    case 'activate': {
      const now = new Date();
      const endAt = new Date(now.getTime() + r.durationSeconds * 1000).toISOString();
      const assignmentRequestId = event.state?.creation?.requestId as string | undefined;
      if (r.status === 'GRANTING') {
        await setStatus(r.requestId, 'ACTIVE', ['GRANTING'], { activatedAt: now.toISOString(), endAt, ...(assignmentRequestId ? { assignmentRequestId } : {}) });
      }
      const current = await mustGet(r.requestId);
      await recordTransition({
        request: current,
        transition: 'GRANTED',
        actor: 'workflow',
        assignmentRequestId,
        sessionQuery: sessionQuery(config, current, current.endAt),
      });
      await notify('requester', current, `Access granted on ${r.accountId}`, `Granted until ${current.endAt}`);
      const seconds = Math.floor((Date.parse(current.endAt ?? endAt) - Date.now()) / 1000);
      return { revokeNow: current.revokeRequested === true || seconds < 1, seconds: Math.max(1, seconds), endAt: current.endAt ?? endAt };
    }

    case 'release': {
      if (!TERMINAL.includes(r.status)) await setStatus(r.requestId, 'REVOKING', undefined);
      return release(r);
    }

    case 'revokeFailed': {
      emitMetric('RevokeFailures');
      await recordTransition({
        request: r,
        transition: 'REVOKE_FAILED',
        actor: 'workflow',
        repeatKey: new Date().toISOString(),
        reason: JSON.stringify(event.state?.error ?? event.state?.deletionStatus ?? {}).slice(0, 1000),
      });
      await notify('operators', r, `Revoke failing for ${r.requestId}`, 'the workflow keeps retrying; the reconciler is the last net');
      // the reconciler may have removed the assignment in the meantime: then the revoke is done
      const gone = !(await userAssignmentExists(r.instanceArn, r.accountId, r.permissionSetArn, r.requesterId));
      return { gone };
    }

    case 'released': {
      await releaseConfirmed(r);
      const early = r.revokeRequested === true;
      if (await setStatus(r.requestId, 'REVOKED', ['REVOKING'])) {
        const current = await mustGet(r.requestId);
        await recordTransition({
          request: current,
          transition: 'REVOKED',
          actor: early ? (r.revokedBy ?? 'requester') : 'workflow',
          reason: early ? 'revoked early' : 'duration ended',
          assignmentRequestId: event.state?.deletion?.requestId,
          sessionQuery: sessionQuery(config, current, new Date().toISOString()),
        });
        await notify('requester', current, `Access revoked on ${r.accountId}`,
          'open console or CLI sessions last until the permission set session duration ends');
      }
      return {};
    }

    case 'grantFailed': {
      emitMetric('GrantFailures');
      await release(r).then((x) => (x.deleteAssignment ? releaseConfirmed(r) : undefined));
      await setStatus(r.requestId, 'FAILED', undefined);
      const reason = JSON.stringify(event.state?.creationStatus ?? event.state?.error ?? {}).slice(0, 1000);
      await recordTransition({ request: r, transition: 'GRANT_FAILED', actor: 'workflow', reason, assignmentRequestId: event.state?.creation?.requestId });
      await notify('requester', r, `Access on ${r.accountId} could not be granted`, reason);
      await notify('operators', r, `Grant failed for ${r.requestId}`, reason);
      return {};
    }

    case 'close': {
      const transition = event.transition;
      if (!transition || !['EXPIRED', 'REJECTED', 'CANCELLED'].includes(transition)) throw new Error(`cannot close with ${transition}`);
      const status = transition as RequestStatus;
      await setStatus(r.requestId, status, undefined);
      const reason = transition === 'EXPIRED' ? 'no decision before the pending expiry'
        : r.closeReason ?? (event.state?.error?.Cause as string | undefined);
      await recordTransition({ request: r, transition, actor: r.closedBy ?? 'workflow', reason });
      await notify('requester', r, `Request ${transition.toLowerCase()}`, reason ?? '');
      return {};
    }
  }
  throw new Error(`unknown action '${(event as StepEvent).action}'`);
}
