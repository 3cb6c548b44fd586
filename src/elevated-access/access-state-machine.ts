// Builds the per-request state machine. One Standard execution per request, named by the request id.
//
//   Validate -> [AwaitApproval | DeclareBreakGlass] -> [WaitForStart] -> Recheck -> Acquire -> CreateNeeded
//     owner branch:  CreateAssignment -> poll -> ActivateOwner -> AwaitEndOwner -> ReleaseOwner
//                    -> DeleteAssignment -> poll -> ReleasedOwner            (every path ends in DeleteAssignment)
//     joined branch: ActivateJoined -> AwaitEndJoined -> ReleaseJoined -> ReleasedJoined   (creates nothing)
//
// The grant (CreateAssignment) and the revoke (DeleteAssignment) are Step Functions SDK tasks, so the template alone
// shows that every path after a grant - success, every Catch, every timeout, early revoke, a failed grant - reaches the
// revoke. Every task that touches AWS has a Retry and a Catch.
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { buildJumpGrantBranch, JumpGrantBranchOptions } from './jump-grant-branch';
import { STEP_RETRY, STEP_TIMEOUT } from './step-retries';

export interface AccessStateMachineOptions {
  readonly stepFunction: lambda.IFunction;
  /** IAM resources of the Identity Center calls (instance, permission sets, accounts). */
  readonly assignmentResources: string[];
  readonly instanceResources: string[];
  /** Pause between status polls. */
  readonly pollInterval: Duration;
  /** Pause before a failed revoke is tried again (after its retries and the alarm metric). */
  readonly revokeRetryInterval: Duration;
  /** Jump users' grants over IAM, when the workflow has jump rules. */
  readonly jump?: Pick<JumpGrantBranchOptions, 'grantWriterRoleArn' | 'revokerGrant'>;
  /**
   * Whether the workflow has Identity Center rules. Without them (jump-only) the definition holds no Identity Center
   * state at all, so neither the template nor the state machine role names `sso:*`.
   */
  readonly identityCenter: boolean;
}

/** The name of the revoke task: the state every path after a grant reaches. */
export const REVOKE_STATE = 'DeleteAssignment';
/** The name of the grant task. */
export const GRANT_STATE = 'CreateAssignment';

/** Errors Identity Center returns that are worth retrying. */
const SSO_TRANSIENT = ['SsoAdmin.ThrottlingException', 'SsoAdmin.ConflictException', 'SsoAdmin.InternalServerException'];
const SSO_RETRY: sfn.RetryProps = {
  errors: SSO_TRANSIENT,
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 8,
  maxDelay: Duration.minutes(1),
  jitterStrategy: sfn.JitterType.FULL,
};

export function buildAccessDefinition(scope: Construct, o: AccessStateMachineOptions): sfn.IChainable {
  const b = new Builder(scope, o);
  // jump-only: no Identity Center state at all (created first, as ever, so that nothing else moves)
  const acquire = o.identityCenter ? identityCenterGrant(scope, b) : undefined;
  // just before the grant: eligibility and approvers re-read from the identity store (jump users: from IAM)
  const recheck = b.step('Recheck', 'recheck');
  b.refusable(recheck);
  const jump = o.jump ? buildJumpGrantBranch(scope, {
    ...o.jump,
    stepFunction: o.stepFunction,
    revokeRetryInterval: o.revokeRetryInterval,
    beforeGrantFailed: b.recordFailed,
    cancelled: b.recordCancelled,
  }) : undefined;
  if (!acquire) {
    if (!jump) throw new Error('a workflow without Identity Center rules needs jump rules');
    recheck.next(jump); // jump-only: every request is a jump user's
  } else {
    recheck.next(jump ? new sfn.Choice(scope, 'GrantKind')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.request.grantKind'), sfn.Condition.stringEquals('$.request.grantKind', 'JUMP')), jump)
      .otherwise(acquire) : acquire);
  }
  const waitForStart = new sfn.Wait(scope, 'WaitForStart', { time: sfn.WaitTime.timestampPath('$.request.startAt') });
  waitForStart.next(recheck);
  const scheduled = new sfn.Choice(scope, 'Scheduled')
    .when(sfn.Condition.isPresent('$.request.startAt'), waitForStart)
    .otherwise(recheck);

  const awaitApproval = b.awaitTask('AwaitApproval', 'APPROVAL', '$.request.pendingExpirySeconds');
  awaitApproval.addCatch(b.recordExpired, { errors: ['States.Timeout'], resultPath: '$.error' });
  awaitApproval.addCatch(b.recordRejected, { errors: ['Rejected'], resultPath: '$.error' });
  awaitApproval.addCatch(b.recordCancelled, { errors: ['Cancelled'], resultPath: '$.error' });
  awaitApproval.addRetry({ errors: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6 });
  awaitApproval.addCatch(b.recordFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  awaitApproval.next(scheduled);

  // break-glass: self-approved under a break-glass rule, announced to every approver and the operators, and a
  // review opened; then the same recheck, grant and revoke as any other request
  const declareBreakGlass = b.step('DeclareBreakGlass', 'breakGlass');
  b.refusable(declareBreakGlass);
  declareBreakGlass.next(recheck);

  // the rules are checked again with the groups the user is in now
  const validate = b.step('Validate', 'validate', {}, '$.request');
  b.refusable(validate);
  return validate.next(new sfn.Choice(scope, 'ApprovalRequired')
    .when(sfn.Condition.booleanEquals('$.request.breakGlass', true), declareBreakGlass)
    .when(sfn.Condition.booleanEquals('$.request.approvalRequired', true), awaitApproval)
    .otherwise(scheduled));
}

/** The Identity Center grant: Acquire, then the owner branch (creates and deletes) or the joined one. */
function identityCenterGrant(scope: Construct, b: Builder): sfn.IChainable {
  const { owner, joined } = b.grantBranches();
  const acquire = b.step('Acquire', 'acquire', {}, '$.grant');
  // another grant's assignment is being created or deleted: wait for it, never race it
  acquire.addRetry({ errors: ['AssignmentBusy'], interval: Duration.seconds(10), backoffRate: 1.5, maxAttempts: 30, maxDelay: Duration.minutes(2) });
  acquire.addRetry({ errors: ['Cancelled'], maxAttempts: 0 });
  acquire.addRetry(STEP_RETRY);
  acquire.addCatch(b.recordCancelled, { errors: ['Cancelled'], resultPath: '$.error' });
  // nothing was created yet (the grant comes after Acquire): drop the claim and end
  acquire.addCatch(b.reliable(b.step('Abandon', 'abandon'), b.fail('AbandonFailed')).next(b.recordFailed), { errors: ['States.ALL'], resultPath: '$.error' });
  acquire.next(new sfn.Choice(scope, 'CreateNeeded')
    .when(sfn.Condition.booleanEquals('$.grant.createAssignment', true), owner)
    .otherwise(joined));
  return acquire;
}

class Builder {
  public readonly recordExpired: sfn.IChainable;
  public readonly recordRejected: sfn.IChainable;
  public readonly recordCancelled: sfn.IChainable;
  public readonly recordFailed: sfn.IChainable;
  public readonly recordRefused: sfn.IChainable;

  constructor(private readonly scope: Construct, private readonly o: AccessStateMachineOptions) {
    const close = (id: string, transition: string, end: sfn.State) =>
      this.reliable(this.step(id, 'close', { transition, ...withState }), this.fail(`${id}Failed`)).next(end);
    this.recordExpired = close('RecordExpired', 'EXPIRED', new sfn.Succeed(scope, 'Expired'));
    this.recordRejected = close('RecordRejected', 'REJECTED', new sfn.Succeed(scope, 'Rejected'));
    this.recordCancelled = close('RecordCancelled', 'CANCELLED', new sfn.Succeed(scope, 'Cancelled'));
    this.recordRefused = close('RecordRefused', 'REJECTED', new sfn.Fail(scope, 'RequestRefused', { error: 'RequestRefused', causePath: '$.error.Cause' }));
    this.recordFailed = close('RecordFailed', 'FAILED', new sfn.Fail(scope, 'RequestFailed', { error: 'RequestFailed', causePath: '$.error.Cause' }));
  }

  public step(id: string, action: string, extra: Record<string, unknown> = {}, resultPath: string = sfn.JsonPath.DISCARD): tasks.LambdaInvoke {
    return new tasks.LambdaInvoke(this.scope, id, {
      lambdaFunction: this.o.stepFunction,
      payloadResponseOnly: true,
      payload: sfn.TaskInput.fromObject({ action, requestId: sfn.JsonPath.stringAt('$.requestId'), ...extra }),
      resultPath,
      taskTimeout: STEP_TIMEOUT,
    });
  }

  /** A step that only records: retried on any failure; when retries run out, `onFailure`. */
  public reliable(t: tasks.LambdaInvoke, onFailure: sfn.IChainable): tasks.LambdaInvoke {
    t.addRetry(STEP_RETRY);
    t.addCatch(onFailure, { errors: ['States.ALL'], resultPath: '$.error' });
    return t;
  }

  /** A policy check before any grant: refused on PolicyError, failed on anything else after retries. */
  public refusable(t: tasks.LambdaInvoke): void {
    t.addCatch(this.recordRefused, { errors: ['PolicyError'], resultPath: '$.error' });
    t.addRetry({ errors: ['PolicyError'], maxAttempts: 0 });
    t.addRetry(STEP_RETRY);
    t.addCatch(this.recordFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  }

  public fail(id: string): sfn.Fail {
    return new sfn.Fail(this.scope, id, { error: id, causePath: '$.error.Cause' });
  }

  /** A callback the step handler parks (its token stored on the request) until approval/revoke, or the timeout. */
  public awaitTask(id: string, stage: 'APPROVAL' | 'END', timeoutPath: string): tasks.LambdaInvoke {
    return new tasks.LambdaInvoke(this.scope, id, {
      lambdaFunction: this.o.stepFunction,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        action: 'awaitTask', stage, requestId: sfn.JsonPath.stringAt('$.requestId'), taskToken: sfn.JsonPath.taskToken,
      }),
      taskTimeout: sfn.Timeout.at(timeoutPath),
      resultPath: sfn.JsonPath.DISCARD,
    });
  }

  /** The timer of a grant: ends at the absolute end, or early by a revoke; then `release`, whatever happened. */
  private timer(suffix: string, owner: boolean, release: sfn.IChainable): tasks.LambdaInvoke {
    const activate = this.step(`Activate${suffix}`, 'activate', { owner, ...withState }, '$.timer');
    activate.addRetry(STEP_RETRY);
    activate.addCatch(release, { errors: ['States.ALL'], resultPath: '$.error' });
    const awaitEnd = this.awaitTask(`AwaitEnd${suffix}`, 'END', '$.timer.seconds');
    awaitEnd.addRetry({ errors: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6 });
    awaitEnd.addCatch(release, { errors: ['States.ALL'], resultPath: '$.timerEnd' });
    awaitEnd.next(release);
    activate.next(new sfn.Choice(this.scope, `RevokedBeforeStart${suffix}`)
      .when(sfn.Condition.booleanEquals('$.timer.revokeNow', true), release)
      .otherwise(awaitEnd));
    return activate;
  }

  /** The owner branch (creates, and always deletes) and the joined branch (neither). */
  public grantBranches(): { owner: sfn.IChainable; joined: sfn.IChainable } {
    const scope = this.scope;
    const o = this.o;
    const succeed = new sfn.Succeed(scope, 'Revoked');
    const grantNotConfirmed = new sfn.Fail(scope, 'GrantNotConfirmed', { error: 'GrantFailed', cause: 'Identity Center did not confirm the assignment; it was deleted' });

    // revoke: retried with backoff; when retries run out the failure is recorded (alarm) and the revoke starts over
    const releasedOwner = this.reliable(this.step('ReleasedOwner', 'released', { owner: true, ...withState }, '$.closed'), this.fail('CloseFailed'));
    releasedOwner.next(new sfn.Choice(scope, 'GrantHadFailed')
      .when(sfn.Condition.booleanEquals('$.closed.failed', true), grantNotConfirmed)
      .otherwise(succeed));
    const deleteAssignment = new tasks.CallAwsService(scope, REVOKE_STATE, {
      service: 'ssoadmin',
      action: 'deleteAccountAssignment',
      iamAction: 'sso:DeleteAccountAssignment',
      iamResources: o.assignmentResources,
      parameters: assignmentParameters(),
      resultSelector: { 'requestId.$': '$.AccountAssignmentDeletionStatus.RequestId' },
      resultPath: '$.deletion',
      taskTimeout: STEP_TIMEOUT,
    });
    const retryRevokeLater = new sfn.Wait(scope, 'RetryRevokeLater', { time: sfn.WaitTime.duration(o.revokeRetryInterval) });
    retryRevokeLater.next(deleteAssignment);
    const revokeFailed = this.step('RevokeFailed', 'revokeFailed', withState, '$.revokeCheck');
    revokeFailed.addRetry(STEP_RETRY);
    revokeFailed.addCatch(retryRevokeLater, { errors: ['States.ALL'], resultPath: '$.error' });
    revokeFailed.next(new sfn.Choice(scope, 'AssignmentStillThere')
      .when(sfn.Condition.booleanEquals('$.revokeCheck.gone', true), releasedOwner)
      .otherwise(retryRevokeLater));
    deleteAssignment.addRetry({ ...SSO_RETRY, maxAttempts: 10, maxDelay: Duration.minutes(2) });
    deleteAssignment.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 5, maxDelay: Duration.minutes(10) });
    deleteAssignment.addCatch(revokeFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    const waitForDeletion = new sfn.Wait(scope, 'WaitForDeletion', { time: sfn.WaitTime.duration(o.pollInterval) });
    const describeDeletion = this.describeStatus('Deletion', 'deletion');
    describeDeletion.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 8, maxDelay: Duration.minutes(2) });
    describeDeletion.addCatch(revokeFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    deleteAssignment.next(waitForDeletion).next(describeDeletion).next(new sfn.Choice(scope, 'DeletionDone')
      .when(sfn.Condition.stringEquals('$.deletionStatus.status', 'SUCCEEDED'), releasedOwner)
      .when(sfn.Condition.stringEquals('$.deletionStatus.status', 'FAILED'), revokeFailed)
      .otherwise(waitForDeletion));

    // the owner leaves the grant; while other grants still use the assignment it waits and asks again
    const releaseOwner = this.step('ReleaseOwner', 'releaseOwner', {}, '$.release');
    const waitBeforeRelease = new sfn.Wait(scope, 'RetryReleaseLater', { time: sfn.WaitTime.duration(o.revokeRetryInterval) });
    waitBeforeRelease.next(releaseOwner);
    releaseOwner.addRetry(STEP_RETRY);
    releaseOwner.addCatch(waitBeforeRelease, { errors: ['States.ALL'], resultPath: '$.error' });
    const waitForHolders = new sfn.Wait(scope, 'WaitForOtherGrants', { time: sfn.WaitTime.secondsPath('$.release.waitSeconds') });
    waitForHolders.next(releaseOwner);
    releaseOwner.next(new sfn.Choice(scope, 'OtherGrantsActive')
      .when(sfn.Condition.booleanEquals('$.release.deleteAssignment', true), deleteAssignment)
      .otherwise(waitForHolders));

    // grant: created, then confirmed by polling; a failure records it and goes to the revoke all the same
    const grantFailed = this.step('GrantFailed', 'grantFailed', withState);
    grantFailed.addRetry(STEP_RETRY);
    grantFailed.addCatch(releaseOwner, { errors: ['States.ALL'], resultPath: '$.error' });
    grantFailed.next(releaseOwner);
    const createAssignment = new tasks.CallAwsService(scope, GRANT_STATE, {
      service: 'ssoadmin',
      action: 'createAccountAssignment',
      iamAction: 'sso:CreateAccountAssignment',
      iamResources: o.assignmentResources,
      parameters: assignmentParameters(),
      resultSelector: { 'requestId.$': '$.AccountAssignmentCreationStatus.RequestId' },
      resultPath: '$.creation',
      taskTimeout: STEP_TIMEOUT,
    });
    createAssignment.addRetry(SSO_RETRY);
    createAssignment.addCatch(grantFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    const waitForCreation = new sfn.Wait(scope, 'WaitForCreation', { time: sfn.WaitTime.duration(o.pollInterval) });
    const describeCreation = this.describeStatus('Creation', 'creation');
    describeCreation.addRetry(SSO_RETRY);
    describeCreation.addCatch(grantFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    const activateOwner = this.timer('Owner', true, releaseOwner);
    createAssignment.next(waitForCreation).next(describeCreation).next(new sfn.Choice(scope, 'CreationDone')
      .when(sfn.Condition.stringEquals('$.creationStatus.status', 'SUCCEEDED'), activateOwner)
      .when(sfn.Condition.stringEquals('$.creationStatus.status', 'FAILED'), grantFailed)
      .otherwise(waitForCreation));

    // joined: access through another grant's assignment (or standing access); this execution creates and deletes nothing
    const releasedJoined = this.reliable(this.step('ReleasedJoined', 'released', { owner: false, ...withState }, '$.closed'), this.fail('CloseJoinedFailed'));
    releasedJoined.next(new sfn.Succeed(scope, 'Left'));
    const releaseJoined = this.reliable(this.step('ReleaseJoined', 'releaseJoined'), this.fail('ReleaseJoinedFailed'));
    releaseJoined.next(releasedJoined);
    const activateJoined = this.timer('Joined', false, releaseJoined);
    return { owner: createAssignment, joined: activateJoined };
  }

  /** Polls an asynchronous assignment operation: `$.<field>.requestId` in, `$.<field>Status.{status,detail}` out. */
  private describeStatus(kind: 'Creation' | 'Deletion', field: 'creation' | 'deletion'): tasks.CallAwsService {
    return new tasks.CallAwsService(this.scope, `Describe${kind}`, {
      service: 'ssoadmin',
      action: `describeAccountAssignment${kind}Status`,
      iamAction: `sso:DescribeAccountAssignment${kind}Status`,
      iamResources: this.o.instanceResources,
      parameters: {
        InstanceArn: sfn.JsonPath.stringAt('$.request.instanceArn'),
        [`AccountAssignment${kind}RequestId`]: sfn.JsonPath.stringAt(`$.${field}.requestId`),
      },
      resultSelector: { 'status.$': `$.AccountAssignment${kind}Status.Status`, 'detail.$': `$.AccountAssignment${kind}Status` },
      resultPath: `$.${field}Status`,
      taskTimeout: STEP_TIMEOUT,
    });
  }
}

const withState = { state: sfn.JsonPath.objectAt('$') };

function assignmentParameters(): Record<string, unknown> {
  return {
    InstanceArn: sfn.JsonPath.stringAt('$.request.instanceArn'),
    PermissionSetArn: sfn.JsonPath.stringAt('$.request.permissionSetArn'),
    PrincipalId: sfn.JsonPath.stringAt('$.request.principalId'),
    PrincipalType: 'USER',
    TargetId: sfn.JsonPath.stringAt('$.request.accountId'),
    TargetType: 'AWS_ACCOUNT',
  };
}
