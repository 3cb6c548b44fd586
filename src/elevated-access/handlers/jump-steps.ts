// The Lambda steps of a jump user's grant over IAM. They decide and record; the grant (iam:PutUserPolicy), the
// revoke (iam:DeleteUserPolicy) and the session cut (iam:PutRolePolicy on the elevated role) are the state
// machine's own SDK tasks. Overlapping grants of one user x account x role are reference-counted in the grants
// table: only the last one out cuts the sessions, so an early revoke of one grant leaves the others working.
// Bundled into the step handler's asset by esbuild; the construct never imports it.
/* eslint-disable import/no-extraneous-dependencies */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { currentGroups, currentJumpGroups } from './identity';
import {
  evaluateJumpRequest, grantPolicyDocument, grantPolicyName, JumpAccessConfig, JumpApprover, jumpApprovalsStillValid, JUMP_HOLDERS_PREFIX,
  JumpPolicyError, revokePolicyDocument, revokePolicyName, revokerRoleArn,
} from './jump-grants';
import { humanDuration } from './notices';
import { AccessConfig, requireQuorum } from './policy';
import { AccessRequest, ddb, emitMetric, env, getRequest, notify, recordTransition, setStatus } from './store';

export type JumpStepAction = 'jumpValidate' | 'jumpRecheck' | 'jumpAcquire' | 'jumpActivate' | 'jumpGrantFailed' | 'jumpRelease' | 'jumpRevokeFailed' | 'jumpReleased';

export interface JumpStepEvent {
  readonly action: JumpStepAction;
  readonly requestId: string;
  readonly state?: Record<string, any>;
}


class JumpStepError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function holdersKey(r: AccessRequest): string {
  return `${JUMP_HOLDERS_PREFIX}${r.requesterName.toLowerCase()}#${r.accountId}#${r.elevatedRoleName}`;
}

async function holders(r: AccessRequest, op: 'ADD' | 'DELETE'): Promise<string[]> {
  const out = await ddb.send(new UpdateCommand({
    TableName: env('GRANTS_TABLE'),
    Key: { grantKey: holdersKey(r) },
    // the names as IAM spells them (the key is lowercased): the reconciler sweeps this user's and this role's policies
    UpdateExpression: `${op} holders :me SET jumpUserName = :u, accountId = :a, elevatedRoleName = :r`,
    ExpressionAttributeValues: { ':me': new Set([r.requestId]), ':u': r.requesterName, ':a': r.accountId, ':r': r.elevatedRoleName },
    ReturnValues: 'ALL_NEW',
  }));
  return [...((out.Attributes?.holders as Set<string> | undefined) ?? [])];
}

/** The request against the rules deployed now, with the groups IAM lists for the user now. */
async function evaluateNow(jump: JumpAccessConfig, r: AccessRequest) {
  return evaluateJumpRequest(jump, {
    userName: r.requesterName,
    groups: await currentJumpGroups(r.requesterName),
    accountId: r.accountId,
    roleName: r.elevatedRoleName!,
    durationSeconds: r.durationSeconds,
    ticketId: r.ticketId,
    justification: r.justification,
  });
}

/** An approval as recorded (`jump:<name>` or an identity store id), with the approver's groups now. */
async function approverNow(id: string): Promise<JumpApprover> {
  if (id.startsWith('jump:')) {
    const name = id.slice('jump:'.length);
    return { kind: 'JUMP', id: name, groups: await currentJumpGroups(name).catch(() => []) };
  }
  return { kind: 'IDENTITY_CENTER', id, groups: await currentGroups(id) };
}

async function current(requestId: string): Promise<AccessRequest> {
  const r = await getRequest(requestId);
  if (!r) throw new JumpStepError('RequestNotFound', `request ${requestId} does not exist`);
  return r;
}

export async function jumpStep(event: JumpStepEvent, config: AccessConfig, r: AccessRequest): Promise<Record<string, unknown>> {
  const jump = config.jump;
  if (!jump || r.grantKind !== 'JUMP' || !r.elevatedRoleName) throw new JumpStepError('NotAJumpRequest', `request ${r.requestId} is not a jump user's request`);
  const what = `${r.elevatedRoleName} on ${r.accountId}`;
  switch (event.action) {
    case 'jumpValidate': {
      const policy = await evaluateNow(jump, r);
      const approvalRequired = policy.approvals > 0;
      if (!approvalRequired) {
        await setStatus(r.requestId, 'APPROVED', ['PENDING_APPROVAL']);
        await recordTransition({ request: r, transition: 'APPROVED', actor: 'policy', reason: 'no approval required' });
      }
      return {
        approvalRequired,
        breakGlass: false,
        pendingExpirySeconds: Math.max(1, Math.floor((Date.parse(r.pendingExpiresAt) - Date.now()) / 1000)),
        ...(r.startAt ? { startAt: r.startAt } : {}),
        grantKind: 'JUMP',
        principalId: r.requesterId,
        accountId: r.accountId,
      };
    }

    case 'jumpRecheck': {
      // just before the grant: still eligible with the groups IAM lists now, approved by people who are approvers now
      const policy = await evaluateNow(jump, r);
      const role = r.elevatedRoleName;
      // the API records approvals with ADD, so DynamoDB hands back a string set
      await requireQuorum(policy.approvals, r.requiredApprovals, async () =>
        jumpApprovalsStillValid(jump, r.requesterName, r.accountId, role, await Promise.all([...(r.approvals ?? [])].map(approverNow))),
      'account and role', JumpPolicyError);
      return {};
    }

    case 'jumpAcquire': {
      // the end is fixed before the grant is written: the policy itself carries it
      if (!(await setStatus(r.requestId, 'GRANTING', ['APPROVED', 'GRANTING']))) {
        throw new JumpStepError('Cancelled', `request is ${r.status}, not approved`);
      }
      const endAt = r.endAt ?? new Date(Date.now() + r.durationSeconds * 1000).toISOString();
      if (!r.endAt) await setStatus(r.requestId, 'GRANTING', ['GRANTING'], { endAt });
      await holders(r, 'ADD');
      return {
        userName: r.requesterName,
        accountId: r.accountId,
        roleName: r.elevatedRoleName,
        endAt,
        policyName: grantPolicyName(r.requestId),
        policyDocument: JSON.stringify(grantPolicyDocument(jump.partition, r.accountId, r.elevatedRoleName, new Date(endAt))),
        revokePolicyName: revokePolicyName(r.requestId),
        writerRoleArn: env('JUMP_GRANT_WRITER_ROLE_ARN'),
        revokerRoleArn: revokerRoleArn(jump.partition, r.accountId),
      };
    }

    case 'jumpActivate': {
      if (r.status === 'GRANTING') await setStatus(r.requestId, 'ACTIVE', ['GRANTING'], { activatedAt: new Date().toISOString() });
      const now = await current(r.requestId);
      await recordTransition({ request: now, transition: 'GRANTED', actor: 'workflow', reason: `grant policy ${grantPolicyName(r.requestId)} written, valid until ${now.endAt}` });
      await notify('requester', now, {
        title: `Access granted: ${what}`,
        text: `Until ${now.endAt}: aws sts assume-role --role-arn arn:${jump.partition}:iam::${r.accountId}:role/${r.elevatedRoleName} --role-session-name ${r.requesterName} (with your MFA session).`,
        nextSteps: [`lz-access revoke ${r.requestId}   # when you are done`],
      });
      const seconds = Math.floor((Date.parse(now.endAt!) - Date.now()) / 1000);
      return { revokeNow: now.revokeRequested === true || seconds < 1, seconds: Math.max(1, seconds) };
    }

    case 'jumpGrantFailed': {
      emitMetric('GrantFailures');
      const reason = JSON.stringify(event.state?.error ?? {}).slice(0, 1000);
      await setStatus(r.requestId, 'FAILED', undefined, { failureReason: reason });
      await recordTransition({ request: r, transition: 'GRANT_FAILED', actor: 'workflow', reason });
      await notify('operators', r, { title: `Access not granted: ${r.requesterName} ${what}`, text: `IAM refused the grant policy: ${reason}` });
      return {};
    }

    case 'jumpRelease': {
      // after the grant policy is deleted: the last grant out cuts the sessions it leaves behind
      if (r.status !== 'FAILED') await setStatus(r.requestId, 'REVOKING', ['GRANTING', 'ACTIVE', 'REVOKING']);
      const left = await holders(r, 'DELETE');
      const revokedAt = new Date();
      return {
        cutSessions: left.length === 0,
        revokedAt: revokedAt.toISOString(),
        denyDocument: JSON.stringify(revokePolicyDocument(r.requesterName, revokedAt)),
        // the deny must outlive every session issued before it
        denySeconds: jump.elevatedSessionSeconds + 60,
      };
    }

    case 'jumpRevokeFailed': {
      emitMetric('RevokeFailures');
      await recordTransition({
        request: r,
        transition: 'REVOKE_FAILED',
        actor: 'workflow',
        repeatKey: new Date().toISOString(),
        reason: JSON.stringify(event.state?.error ?? {}).slice(0, 1000),
      });
      await notify('operators', r, {
        title: `Revoke failing: ${r.requesterName} ${what}`,
        text: `The workflow keeps retrying; the grant policy stops working at ${r.endAt} by itself.`,
      });
      return {};
    }

    case 'jumpReleased': {
      if (r.status === 'FAILED') return { failed: true };
      const early = r.revokeRequested === true;
      if (await setStatus(r.requestId, 'REVOKED', ['REVOKING', 'GRANTING', 'ACTIVE'], { revokedAt: new Date().toISOString() })) {
        const now = await current(r.requestId);
        await recordTransition({ request: now, transition: 'REVOKED', actor: early ? (r.revokedBy ?? 'requester') : 'workflow', reason: early ? 'revoked early' : 'duration ended' });
        await notify('requester', now, {
          title: `Access ${early ? 'revoked' : 'expired'}: ${what}`,
          text: `The grant policy is deleted and sessions issued before now are denied (for ${humanDuration(jump.elevatedSessionSeconds)}, the longest session).`,
        });
      }
      return { failed: false };
    }
  }
  throw new JumpStepError('UnknownAction', `unknown action '${(event as JumpStepEvent).action}'`);
}
