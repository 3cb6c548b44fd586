// The grant branch of a jump user's request, over IAM. Entered after Recheck, like the Identity Center branches:
//
//   JumpAcquire -> PutGrantPolicy -> JumpActivate -> JumpAwaitEnd -> DeleteGrantPolicy -> JumpRelease
//     -> [PutSessionDeny] -> JumpReleased -> WaitSessionsEnded -> DeleteSessionDeny -> JumpRevoked
//
// The grant (iam:PutUserPolicy) and the revoke (iam:DeleteUserPolicy) are SDK tasks, so the definition alone shows
// that every path after PutGrantPolicy (success, every Catch, the timeout, an early revoke, a refused grant) reaches
// DeleteGrantPolicy. The revoke comes before any Lambda step, so no failing step can hold it up; a revoke that keeps
// failing is recorded and tried again forever, and the grant policy stops working at its end time by itself.
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { STEP_RETRY, STEP_TIMEOUT } from './step-retries';

/** The grant task of a jump request. */
export const JUMP_GRANT_STATE = 'PutGrantPolicy';
/** The revoke task of a jump request: the state every path after the grant reaches. */
export const JUMP_REVOKE_STATE = 'DeleteGrantPolicy';

export interface JumpGrantBranchOptions {
  readonly stepFunction: lambda.IFunction;
  /** The jump account's grant writer role (`JumpGrantWriter`). */
  readonly grantWriterRoleArn: string;
  /**
   * The grant to assume the revoker roles (`ElevatedRoles`): exactly the target accounts', e.g.
   * `arn:aws:iam::<account>:role/landing-zone/lz-elevated-revoker`, or any of the organization's (a condition).
   */
  readonly revokerGrant: iam.PolicyStatement;
  /** Pause before a failed revoke or session cut is tried again. */
  readonly revokeRetryInterval: Duration;
  /** Where a request that never reached the grant goes (recorded as failed or cancelled). */
  readonly beforeGrantFailed: sfn.IChainable;
  readonly cancelled: sfn.IChainable;
}

const IAM_RETRY: sfn.RetryProps = {
  errors: ['Iam.ThrottlingException', 'Iam.ServiceFailureException', 'Iam.ConcurrentModificationException', 'States.Timeout'],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 8,
  maxDelay: Duration.minutes(1),
  jitterStrategy: sfn.JitterType.FULL,
};
const GONE = ['Iam.NoSuchEntityException'];

/** Builds the branch under `scope`; returns its first state. */
export function buildJumpGrantBranch(scope: Construct, o: JumpGrantBranchOptions): sfn.IChainable {
  const step = (id: string, action: string, resultPath: string = sfn.JsonPath.DISCARD) => new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: o.stepFunction,
    payloadResponseOnly: true,
    payload: sfn.TaskInput.fromObject({ action, requestId: sfn.JsonPath.stringAt('$.requestId'), state: sfn.JsonPath.objectAt('$') }),
    resultPath,
    taskTimeout: STEP_TIMEOUT,
  });
  const iamTask = (id: string, action: string, parameters: Record<string, unknown>, roleArnPath: string) => {
    // the state machine role only assumes the role that does the write (the task's own IAM action is that role's).
    // A revoker task's grant may carry a condition, which iamResources cannot: it comes as an additional statement,
    // and the task's own statement and its credentials name the writer, which the grant tasks assume anyway.
    const writes = roleArnPath === '$.jump.writerRoleArn';
    const t = new tasks.CallAwsService(scope, id, {
      service: 'iam',
      action,
      iamAction: 'sts:AssumeRole',
      iamResources: [o.grantWriterRoleArn],
      additionalIamStatements: writes ? [] : [o.revokerGrant],
      parameters,
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: STEP_TIMEOUT,
      credentials: { role: new ScopedTaskRole(roleArnPath, o.grantWriterRoleArn) },
    });
    t.addRetry(IAM_RETRY);
    return t;
  };
  /** Retried for ever: `task` fails -> recorded -> wait -> `task` again. */
  const forever = (t: sfn.TaskStateBase, suffix: string) => {
    const wait = new sfn.Wait(scope, `Retry${suffix}Later`, { time: sfn.WaitTime.duration(o.revokeRetryInterval) });
    wait.next(t);
    const failed = step(`${suffix}Failed`, 'jumpRevokeFailed');
    failed.addRetry(STEP_RETRY);
    failed.addCatch(wait, { errors: ['States.ALL'], resultPath: '$.recordError' });
    failed.next(wait);
    t.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 5, maxDelay: Duration.minutes(10) });
    t.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
  };

  // after the revoke: the session deny outlives every session issued before it, then goes
  const done = new sfn.Choice(scope, 'JumpGrantHadFailed')
    .when(sfn.Condition.and(sfn.Condition.isPresent('$.closed.failed'), sfn.Condition.booleanEquals('$.closed.failed', true)), new sfn.Fail(scope, 'JumpGrantNotWritten', { error: 'GrantFailed', cause: 'IAM refused the grant policy; it was deleted' }))
    .otherwise(new sfn.Succeed(scope, 'JumpRevoked'));
  const deleteDeny = iamTask('DeleteSessionDeny', 'deleteRolePolicy', {
    RoleName: sfn.JsonPath.stringAt('$.jump.roleName'), PolicyName: sfn.JsonPath.stringAt('$.jump.revokePolicyName'),
  }, '$.jump.revokerRoleArn');
  deleteDeny.addCatch(done, { errors: GONE, resultPath: sfn.JsonPath.DISCARD });
  forever(deleteDeny, 'DeleteSessionDeny');
  deleteDeny.next(done);
  const waitSessions = new sfn.Wait(scope, 'WaitSessionsEnded', { time: sfn.WaitTime.secondsPath('$.release.denySeconds') });
  const released = step('JumpReleased', 'jumpReleased', '$.closed');
  released.addRetry(STEP_RETRY);
  released.addCatch(waitSessions, { errors: ['States.ALL'], resultPath: '$.error' });
  released.next(new sfn.Choice(scope, 'SessionsCut')
    .when(sfn.Condition.booleanEquals('$.release.cutSessions', true), waitSessions)
    .otherwise(done));
  waitSessions.next(deleteDeny);

  const putDeny = iamTask('PutSessionDeny', 'putRolePolicy', {
    RoleName: sfn.JsonPath.stringAt('$.jump.roleName'),
    PolicyName: sfn.JsonPath.stringAt('$.jump.revokePolicyName'),
    PolicyDocument: sfn.JsonPath.stringAt('$.release.denyDocument'),
  }, '$.jump.revokerRoleArn');
  forever(putDeny, 'PutSessionDeny');
  putDeny.next(released);

  // the last grant out cuts the sessions; a release that keeps failing is tried again (the grant is already gone)
  const release = step('JumpRelease', 'jumpRelease', '$.release');
  const retryRelease = new sfn.Wait(scope, 'RetryJumpReleaseLater', { time: sfn.WaitTime.duration(o.revokeRetryInterval) });
  retryRelease.next(release);
  release.addRetry(STEP_RETRY);
  release.addCatch(retryRelease, { errors: ['States.ALL'], resultPath: '$.error' });
  release.next(new sfn.Choice(scope, 'LastGrantOut')
    .when(sfn.Condition.booleanEquals('$.release.cutSessions', true), putDeny)
    .otherwise(released));

  const revoke = iamTask(JUMP_REVOKE_STATE, 'deleteUserPolicy', {
    UserName: sfn.JsonPath.stringAt('$.jump.userName'), PolicyName: sfn.JsonPath.stringAt('$.jump.policyName'),
  }, '$.jump.writerRoleArn');
  revoke.addCatch(release, { errors: GONE, resultPath: sfn.JsonPath.DISCARD });
  forever(revoke, 'DeleteGrantPolicy');
  revoke.next(release);

  // the timer: ends at the absolute end, or early by a revoke; then the revoke, whatever happened
  const awaitEnd = new tasks.LambdaInvoke(scope, 'JumpAwaitEnd', {
    lambdaFunction: o.stepFunction,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ action: 'awaitTask', stage: 'END', requestId: sfn.JsonPath.stringAt('$.requestId'), taskToken: sfn.JsonPath.taskToken }),
    taskTimeout: sfn.Timeout.at('$.timer.seconds'),
    resultPath: sfn.JsonPath.DISCARD,
  });
  awaitEnd.addCatch(revoke, { errors: ['States.ALL'], resultPath: '$.timerEnd' });
  awaitEnd.next(revoke);
  const activate = step('JumpActivate', 'jumpActivate', '$.timer');
  activate.addRetry(STEP_RETRY);
  activate.addCatch(revoke, { errors: ['States.ALL'], resultPath: '$.error' });
  activate.next(new sfn.Choice(scope, 'JumpRevokedBeforeStart')
    .when(sfn.Condition.booleanEquals('$.timer.revokeNow', true), revoke)
    .otherwise(awaitEnd));

  // the grant: a refusal is recorded and goes to the revoke all the same (IAM may have written it)
  const grantFailed = step('JumpGrantFailed', 'jumpGrantFailed');
  grantFailed.addRetry(STEP_RETRY);
  grantFailed.addCatch(revoke, { errors: ['States.ALL'], resultPath: '$.recordError' });
  grantFailed.next(revoke);
  const grant = iamTask(JUMP_GRANT_STATE, 'putUserPolicy', {
    UserName: sfn.JsonPath.stringAt('$.jump.userName'),
    PolicyName: sfn.JsonPath.stringAt('$.jump.policyName'),
    PolicyDocument: sfn.JsonPath.stringAt('$.jump.policyDocument'),
  }, '$.jump.writerRoleArn');
  grant.addCatch(grantFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  grant.next(activate);

  const acquire = step('JumpAcquire', 'jumpAcquire', '$.jump');
  acquire.addRetry({ errors: ['Cancelled'], maxAttempts: 0 });
  acquire.addRetry(STEP_RETRY);
  acquire.addCatch(o.cancelled, { errors: ['Cancelled'], resultPath: '$.error' });
  acquire.addCatch(o.beforeGrantFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  return acquire.next(grant);
}

/**
 * A task role read from the state, whose sts:AssumeRole grant names a role it can be instead of `*` (CDK grants one
 * resource for credentials; the task's own `iamResources` name all of them, so the union is exactly the list).
 */
class ScopedTaskRole extends sfn.TaskRole {
  public readonly roleArn: string;
  constructor(path: string, public readonly resource: string) {
    super();
    this.roleArn = sfn.JsonPath.stringAt(path);
  }
}
