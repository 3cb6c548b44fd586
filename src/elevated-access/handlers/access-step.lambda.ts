// The Lambda Task states of the per-request state machine. They decide and record; the grant and the revoke are
// the state machine's own SDK tasks. Each action is idempotent: Step Functions may retry it.
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { declareBreakGlass } from './break-glass';
import { evaluateBreakGlass } from './break-glass-policy';
import {
  abandon, acquire, activateOwner, releasedOwner, releaseJoined, releaseOwner, userAssignmentExists,
} from './grants';
import { currentGroups } from './identity';
import { jumpStep, JumpStepAction } from './jump-steps';
import { approverSteps, humanDuration } from './notices';
import { configForRequests } from './organization-parents';
import { AccessAsk, AccessConfig, approvalsStillValid, evaluateRequest, PolicyError, requireQuorum } from './policy';
import {
  AccessRequest, ddb, emitMetric, env, getRequest, isTerminal, loadConfig, logger, notify, recordTransition, RequestStatus,
  sessionQuery, setStatus, Transition,
} from './store';

const sfn = new SFNClient({});

/** Business outcomes the state machine catches by name. */
class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export type StepAction = 'validate' | 'recheck' | 'awaitTask' | 'acquire' | 'abandon' | 'activate' | 'releaseOwner'
| 'releaseJoined' | 'released' | 'grantFailed' | 'revokeFailed' | 'close' | 'breakGlass' | JumpStepAction;

export interface StepEvent {
  readonly action: StepAction;
  readonly requestId: string;
  readonly stage?: 'APPROVAL' | 'END';
  readonly taskToken?: string;
  /** Whether the step runs on the owner branch (the execution that created the assignment). */
  readonly owner?: boolean;
  /** For `close`: the final transition. */
  readonly transition?: Transition;
  /** The state of the execution, for steps that report on it. */
  readonly state?: Record<string, any>;
}

async function mustGet(requestId: string): Promise<AccessRequest> {
  const r = await getRequest(requestId);
  if (!r) throw new NamedError('RequestNotFound', `request ${requestId} does not exist`);
  return r;
}

/** The request as the rules see it now: with the requester's groups as the identity store holds them now. */
async function askNow(r: AccessRequest): Promise<AccessAsk> {
  return {
    principalId: r.requesterId,
    groupIds: await currentGroups(r.requesterId),
    accountId: r.accountId,
    permissionSetArn: r.permissionSetArn,
    durationSeconds: r.durationSeconds,
    ticketId: r.ticketId,
    justification: r.justification,
  };
}

/**
 * The steps that decide by the rules (eligibility, approvers, break-glass). The state machine sends a jump request's
 * decisions as validate and recheck; their jump names decide too, so no path reads the unresolved rules.
 */
const DECISIONS = new Set<string>(['validate', 'recheck', 'breakGlass', 'jumpValidate', 'jumpRecheck']);

/** The rules deployed now; a break-glass request is held to the break-glass rules at every step. */
async function evaluateNow(config: AccessConfig, r: AccessRequest) {
  return (r.breakGlass ? evaluateBreakGlass : evaluateRequest)(config, await askNow(r));
}

function psName(config: AccessConfig, r: AccessRequest): string {
  return config.permissionSets[r.permissionSetArn]?.name ?? r.permissionSetArn;
}

export async function handler(event: StepEvent): Promise<Record<string, unknown>> {
  logger.appendKeys({ requestId: event.requestId, action: event.action });
  const r = await mustGet(event.requestId);
  // a decision reads where Organizations places the account now; the steps after a grant never wait on Organizations
  const rules = await loadConfig();
  const config = DECISIONS.has(event.action) ? await configForRequests(rules, [r]) : rules;
  const view = { ...r, permissionSetName: psName(config, r) };
  if (event.action.startsWith('jump')) return jumpStep(event as StepEvent & { action: JumpStepAction }, config, r);
  // a jump user's request is decided by the jump rules, with the groups IAM lists now
  if (r.grantKind === 'JUMP' && (event.action === 'validate' || event.action === 'recheck')) {
    return jumpStep({ ...event, action: event.action === 'validate' ? 'jumpValidate' : 'jumpRecheck' }, config, r);
  }

  switch (event.action) {
    case 'validate': {
      // the backend re-checks the request against the rules deployed now and the groups the user is in now
      const policy = await evaluateNow(config, r);
      const approvalRequired = policy.approvals > 0;
      if (r.breakGlass && r.startAt) throw new PolicyError('a break-glass request cannot be scheduled');
      if (!approvalRequired && !r.breakGlass) {
        await setStatus(r.requestId, 'APPROVED', ['PENDING_APPROVAL']);
        await recordTransition({ request: r, transition: 'APPROVED', actor: 'policy', reason: 'no approval required' });
      }
      const expiresIn = Math.floor((Date.parse(r.pendingExpiresAt) - Date.now()) / 1000);
      return {
        approvalRequired,
        breakGlass: r.breakGlass === true,
        pendingExpirySeconds: Math.max(1, expiresIn),
        ...(r.startAt ? { startAt: r.startAt } : {}),
        principalId: r.requesterId,
        accountId: r.accountId,
        permissionSetArn: r.permissionSetArn,
        instanceArn: r.instanceArn,
      };
    }

    case 'recheck': {
      // just before the grant (possibly months after the request): still eligible, and approved by people who are
      // still approvers for this account and permission set
      const policy = await evaluateNow(config, r);
      await requireQuorum(policy.approvals, r.requiredApprovals, async () => {
        const approvers = [];
        for (const userId of r.approvals ?? []) approvers.push({ userId, groupIds: await currentGroups(userId) });
        return approvalsStillValid(config, r.requesterId, r.accountId, r.permissionSetArn, approvers);
      }, 'account and permission set');
      return {};
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
        if (event.stage === 'END' || now.status === 'APPROVED') {
          await sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output: '{}' }));
          return {};
        }
        throw new NamedError(now.status === 'REJECTED' ? 'Rejected' : 'Cancelled', `request is ${now.status}`);
      }
      if (event.stage === 'APPROVAL') {
        await notify('approvers', view, {
          title: `Approval needed: ${r.requesterName} asks for ${view.permissionSetName} on ${r.accountId}`,
          text: `${r.requesterName} asks for ${view.permissionSetName} on ${r.accountId} for ${humanDuration(r.durationSeconds)}.`,
          nextSteps: approverSteps(r.requestId),
        });
      }
      return {};
    }

    case 'acquire': {
      if (!(await setStatus(r.requestId, 'GRANTING', ['APPROVED', 'GRANTING']))) {
        throw new NamedError('Cancelled', `request is ${r.status}, not approved`);
      }
      return acquire(r);
    }

    case 'abandon': {
      await abandon(r);
      return {};
    }

    case 'activate': {
      if (event.owner) await activateOwner(r);
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
        reason: event.owner ? 'assignment created and confirmed' : 'joined an assignment that is already in place',
        sessionQuery: sessionQuery(config, current, current.endAt),
      });
      await notify('requester', { ...current, permissionSetName: view.permissionSetName }, {
        title: `Access granted: ${view.permissionSetName} on ${r.accountId}`,
        text: `Your access is active until ${current.endAt ?? endAt}.`,
        nextSteps: [`lz-access revoke ${r.requestId}   # when you are done`],
      });
      const seconds = Math.floor((Date.parse(current.endAt ?? endAt) - Date.now()) / 1000);
      return { revokeNow: current.revokeRequested === true || seconds < 1, seconds: Math.max(1, seconds), endAt: current.endAt ?? endAt };
    }

    case 'releaseOwner': {
      await setStatus(r.requestId, 'REVOKING', ['GRANTING', 'ACTIVE']);
      return releaseOwner(r);
    }

    case 'releaseJoined': {
      await setStatus(r.requestId, 'REVOKING', ['GRANTING', 'ACTIVE']);
      await releaseJoined(r);
      return {};
    }

    case 'grantFailed': {
      emitMetric('GrantFailures');
      const reason = JSON.stringify(event.state?.creationStatus ?? event.state?.error ?? {}).slice(0, 1000);
      await setStatus(r.requestId, 'FAILED', undefined, { failureReason: reason });
      await recordTransition({ request: r, transition: 'GRANT_FAILED', actor: 'workflow', reason, assignmentRequestId: event.state?.creation?.requestId });
      const notice = { title: `Access not granted: ${view.permissionSetName} on ${r.accountId}`, text: `Identity Center did not confirm the assignment: ${reason}` };
      await notify('requester', view, notice);
      await notify('operators', view, notice);
      return {};
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
      await notify('operators', view, {
        title: `Revoke failing: ${r.requesterName} on ${r.accountId}`,
        text: 'The workflow keeps retrying the revoke; the reconciler is the last net.',
      });
      // the reconciler may have removed the assignment in the meantime: then the revoke is done
      const gone = !(await userAssignmentExists(r.instanceArn, r.accountId, r.permissionSetArn, r.requesterId));
      return { gone };
    }

    case 'released': {
      if (event.owner) await releasedOwner(r);
      if (r.status === 'FAILED') return { failed: true };
      const early = r.revokeRequested === true;
      if (await setStatus(r.requestId, 'REVOKED', ['REVOKING', 'GRANTING', 'ACTIVE'], { revokedAt: new Date().toISOString() })) {
        const current = await mustGet(r.requestId);
        await recordTransition({
          request: current,
          transition: 'REVOKED',
          actor: early ? (r.revokedBy ?? 'requester') : 'workflow',
          reason: early ? 'revoked early' : 'duration ended',
          assignmentRequestId: event.state?.deletion?.requestId,
          sessionQuery: sessionQuery(config, current, new Date().toISOString()),
        });
        await notify('requester', view, {
          title: `Access ${early ? 'revoked' : 'expired'}: ${view.permissionSetName} on ${r.accountId}`,
          text: `The assignment is removed. Sessions already open last until the permission set's session duration (${humanDuration(config.permissionSets[r.permissionSetArn]?.sessionSeconds ?? 3600)}) ends.`,
        });
      }
      return { failed: false };
    }

    case 'breakGlass': {
      if (!r.breakGlass) throw new PolicyError('the request did not ask for break-glass');
      const policy = evaluateBreakGlass(config, await askNow(r));
      await declareBreakGlass(config, r, policy.reviewWithinSeconds);
      return {};
    }

    case 'close': {
      const transition = event.transition;
      if (!transition || !['EXPIRED', 'REJECTED', 'CANCELLED', 'FAILED'].includes(transition)) throw new Error(`cannot close with ${transition}`);
      const status = transition as RequestStatus;
      if (isTerminal(r.status) && r.status !== status) return {};
      const cause = event.state?.error?.Cause as string | undefined;
      await setStatus(r.requestId, status, undefined, transition === 'FAILED' ? { failureReason: (cause ?? 'failed').slice(0, 1000) } : {});
      const reason = transition === 'EXPIRED' ? 'no decision before the pending expiry' : r.closeReason ?? cause;
      await recordTransition({ request: r, transition, actor: r.closedBy ?? 'workflow', reason });
      await notify('requester', view, { title: `Request ${transition.toLowerCase()}: ${view.permissionSetName} on ${r.accountId}`, text: reason ?? '' });
      return {};
    }
  }
  throw new Error(`unknown action '${(event as StepEvent).action}'`);
}
