// Builds the per-request state machine: validate -> pending -> approved -> optional start -> grant + poll -> timer ->
// revoke + poll. One Standard execution per request, named by the request id.
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

export interface AccessStateMachineOptions {
  readonly stepFunction: lambda.IFunction;
  /** IAM resources of the Identity Center calls (instance, permission sets, accounts). */
  readonly assignmentResources: string[];
  readonly instanceResources: string[];
  /** Pause between status polls. */
  readonly pollInterval: Duration;
  /** Pause before a failed revoke is tried again (after its retries and the alarm metric). */
  readonly revokeRetryInterval: Duration;
}

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
  const step = (id: string, action: string, extra: Record<string, unknown> = {}, resultPath: string = sfn.JsonPath.DISCARD) =>
    new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: o.stepFunction,
      payloadResponseOnly: true,
      payload: sfn.TaskInput.fromObject({ action, requestId: sfn.JsonPath.stringAt('$.requestId'), ...extra }),
      resultPath,
    });
  // a callback the step handler parks (its token stored on the request) until approval/revoke, or the timeout
  const awaitTask = (id: string, stage: 'APPROVAL' | 'END', timeoutPath: string) => new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: o.stepFunction,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      action: 'awaitTask', stage, requestId: sfn.JsonPath.stringAt('$.requestId'), taskToken: sfn.JsonPath.taskToken,
    }),
    taskTimeout: sfn.Timeout.at(timeoutPath),
    resultPath: sfn.JsonPath.DISCARD,
  });
  // polls an asynchronous assignment operation: `$.<field>.requestId` in, `$.<field>Status.{status,detail}` out
  const describeStatus = (kind: 'Creation' | 'Deletion', field: 'creation' | 'deletion') => new tasks.CallAwsService(scope, `Describe${kind}`, {
    service: 'ssoadmin',
    action: `describeAccountAssignment${kind}Status`,
    iamAction: `sso:DescribeAccountAssignment${kind}Status`,
    iamResources: o.instanceResources,
    parameters: {
      InstanceArn: sfn.JsonPath.stringAt('$.request.instanceArn'),
      [`AccountAssignment${kind}RequestId`]: sfn.JsonPath.stringAt(`$.${field}.requestId`),
    },
    resultSelector: { 'status.$': `$.AccountAssignment${kind}Status.Status`, 'detail.$': `$.AccountAssignment${kind}Status` },
    resultPath: `$.${field}Status`,
  });
  const withState = { state: sfn.JsonPath.objectAt('$') };
  // steps that only record: retry any failure, they are idempotent
  const reliable = (t: tasks.LambdaInvoke) => t.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6 });

  const close = (id: string, transition: string) => reliable(step(id, 'close', { transition, ...withState }));
  const recordExpired = close('RecordExpired', 'EXPIRED');
  const recordRejected = close('RecordRejected', 'REJECTED');
  const recordCancelled = close('RecordCancelled', 'CANCELLED');
  const refused = close('RecordRefused', 'REJECTED').next(new sfn.Fail(scope, 'RequestRefused', { error: 'RequestRefused', causePath: '$.error.Cause' }));

  const validate = step('Validate', 'validate', {}, '$.request');
  validate.addCatch(refused, { errors: ['PolicyError'], resultPath: '$.error' });

  const awaitApproval = awaitTask('AwaitApproval', 'APPROVAL', '$.request.pendingExpirySeconds');
  awaitApproval.addCatch(recordExpired, { errors: ['States.Timeout'], resultPath: '$.error' });
  awaitApproval.addCatch(recordRejected, { errors: ['Rejected'], resultPath: '$.error' });
  awaitApproval.addCatch(recordCancelled, { errors: ['Cancelled'], resultPath: '$.error' });

  const waitForStart = new sfn.Wait(scope, 'WaitForStart', { time: sfn.WaitTime.timestampPath('$.request.startAt') });

  const acquire = step('Acquire', 'acquire', {}, '$.grant');
  // a previous grant's assignment is still being deleted: wait for it, never race it
  acquire.addRetry({ errors: ['AssignmentBusy'], interval: Duration.seconds(10), backoffRate: 1.5, maxAttempts: 30, maxDelay: Duration.minutes(2) });
  acquire.addCatch(recordCancelled, { errors: ['Cancelled'], resultPath: '$.error' });

  // grant
  const grantFailed = reliable(step('GrantFailed', 'grantFailed', withState))
    .next(new sfn.Fail(scope, 'GrantNotConfirmed', { error: 'GrantFailed', cause: 'Identity Center did not confirm the assignment' }));
  const createAssignment = new tasks.CallAwsService(scope, 'CreateAssignment', {
    service: 'ssoadmin',
    action: 'createAccountAssignment',
    iamAction: 'sso:CreateAccountAssignment',
    iamResources: o.assignmentResources,
    parameters: assignmentParameters(),
    resultSelector: { 'requestId.$': '$.AccountAssignmentCreationStatus.RequestId' },
    resultPath: '$.creation',
  });
  createAssignment.addRetry(SSO_RETRY);
  createAssignment.addCatch(grantFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  const waitForCreation = new sfn.Wait(scope, 'WaitForCreation', { time: sfn.WaitTime.duration(o.pollInterval) });
  const describeCreation = describeStatus('Creation', 'creation');
  describeCreation.addRetry(SSO_RETRY);
  describeCreation.addCatch(grantFailed, { errors: ['States.ALL'], resultPath: '$.error' });

  // the timer: a callback that only times out at the absolute end, or is ended early by a revoke (one revoke either way)
  const release = reliable(step('Release', 'release', {}, '$.release'));
  const awaitEnd = awaitTask('AwaitEnd', 'END', '$.timer.seconds');
  awaitEnd.addRetry({ errors: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6 });
  awaitEnd.addCatch(release, { errors: ['States.ALL'], resultPath: '$.timerEnd' });
  const activate = reliable(step('Activate', 'activate', withState, '$.timer'));

  // revoke: retried with backoff; when retries run out the failure is recorded (alarm) and the revoke starts over
  const released = reliable(step('Released', 'released', withState));
  const revokeFailed = reliable(step('RevokeFailed', 'revokeFailed', withState, '$.revokeCheck'));
  const deleteAssignment = new tasks.CallAwsService(scope, 'DeleteAssignment', {
    service: 'ssoadmin',
    action: 'deleteAccountAssignment',
    iamAction: 'sso:DeleteAccountAssignment',
    iamResources: o.assignmentResources,
    parameters: assignmentParameters(),
    resultSelector: { 'requestId.$': '$.AccountAssignmentDeletionStatus.RequestId' },
    resultPath: '$.deletion',
  });
  deleteAssignment.addRetry({ ...SSO_RETRY, maxAttempts: 10, maxDelay: Duration.minutes(2) });
  deleteAssignment.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 5, maxDelay: Duration.minutes(10) });
  deleteAssignment.addCatch(revokeFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  const waitForDeletion = new sfn.Wait(scope, 'WaitForDeletion', { time: sfn.WaitTime.duration(o.pollInterval) });
  const describeDeletion = describeStatus('Deletion', 'deletion');
  describeDeletion.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 8, maxDelay: Duration.minutes(2) });
  describeDeletion.addCatch(revokeFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  const retryRevokeLater = new sfn.Wait(scope, 'RetryRevokeLater', { time: sfn.WaitTime.duration(o.revokeRetryInterval) });

  // wiring
  revokeFailed.next(new sfn.Choice(scope, 'AssignmentStillThere')
    .when(sfn.Condition.booleanEquals('$.revokeCheck.gone', true), released)
    .otherwise(retryRevokeLater.next(deleteAssignment)));
  deleteAssignment.next(waitForDeletion).next(describeDeletion).next(new sfn.Choice(scope, 'DeletionDone')
    .when(sfn.Condition.stringEquals('$.deletionStatus.status', 'SUCCEEDED'), released)
    .when(sfn.Condition.stringEquals('$.deletionStatus.status', 'FAILED'), revokeFailed)
    .otherwise(waitForDeletion));
  release.next(new sfn.Choice(scope, 'DeleteNeeded')
    .when(sfn.Condition.booleanEquals('$.release.deleteAssignment', true), deleteAssignment)
    .otherwise(released));
  activate.next(new sfn.Choice(scope, 'RevokedBeforeStart')
    .when(sfn.Condition.booleanEquals('$.timer.revokeNow', true), release)
    .otherwise(awaitEnd));
  awaitEnd.next(release);
  createAssignment.next(waitForCreation).next(describeCreation).next(new sfn.Choice(scope, 'CreationDone')
    .when(sfn.Condition.stringEquals('$.creationStatus.status', 'SUCCEEDED'), activate)
    .when(sfn.Condition.stringEquals('$.creationStatus.status', 'FAILED'), grantFailed)
    .otherwise(waitForCreation));
  acquire.next(new sfn.Choice(scope, 'CreateNeeded')
    .when(sfn.Condition.booleanEquals('$.grant.createAssignment', true), createAssignment)
    .otherwise(activate));
  const scheduled = new sfn.Choice(scope, 'Scheduled')
    .when(sfn.Condition.isPresent('$.request.startAt'), waitForStart.next(acquire))
    .otherwise(acquire);
  awaitApproval.next(scheduled);
  return validate.next(new sfn.Choice(scope, 'ApprovalRequired')
    .when(sfn.Condition.booleanEquals('$.request.approvalRequired', true), awaitApproval)
    .otherwise(scheduled));
}

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

/** Grants the Identity Center read calls the handlers make. */
export function grantAssignmentRead(grantee: iam.IGrantable, resources: string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sso:ListAccountAssignments'], resources }));
}
