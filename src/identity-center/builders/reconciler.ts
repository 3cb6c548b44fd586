import { Aws, Duration, Lazy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LZ_SERVICE_ROLE_PATH } from '../../private/conventions';
import { allowAlarmsAndLogs } from '../../private/service-key';
import { AssignmentReconcilerFunction } from '../assignment-reconciler-function';

/** The dynamic-assignment machinery of a catalog. */
export interface ReconcilerResources {
  readonly fn: AssignmentReconcilerFunction;
  readonly topic: sns.Topic;
  readonly table: dynamodb.TableV2;
  readonly queue: sqs.Queue;
}

const RECONCILER_TIMEOUT = Duration.minutes(15);

/**
 * The reconciler of dynamic assignments, created in the catalog's scope (construct ids unchanged): its ledger, failure
 * topic, role, logs, the Organizations event rule and the error alarm. `config` is read at synth (rules may be added
 * after the catalog).
 */
export function createReconciler(scope: Construct, instanceArn: string, config: () => unknown): ReconcilerResources {
  const stack = Stack.of(scope);
  const table = new dynamodb.TableV2(scope, 'ReconcilerLedger', {
    partitionKey: { name: 'accountId', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'assignment', type: dynamodb.AttributeType.STRING },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
  });
  // a customer managed key for the failure topic and the logs: of the services, only this account's alarms and
  // CloudWatch Logs may use it
  const key = new kms.Key(scope, 'ReconcilerKey', { enableKeyRotation: true, description: 'Identity Center reconciler: failure topic and logs' });
  allowAlarmsAndLogs(key);
  const topic = new sns.Topic(scope, 'ReconcilerFailures', { enforceSSL: true, masterKey: key, displayName: 'Identity Center reconciliation failures' });
  const role = new iam.Role(scope, 'ReconcilerRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    path: LZ_SERVICE_ROLE_PATH,
    description: 'Creates missing Identity Center assignments for new and moved accounts',
  });
  const logGroup = new logs.LogGroup(scope, 'ReconcilerLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key });
  logGroup.grantWrite(role);
  const fn = new AssignmentReconcilerFunction(scope, 'Reconciler', {
    role,
    logGroup,
    timeout: RECONCILER_TIMEOUT,
    memorySize: 256,
    environment: {
      RECONCILER_CONFIG: Lazy.string({ produce: () => stack.toJsonString(config()) }),
      LEDGER_TABLE: table.tableName,
      FAILURE_TOPIC_ARN: topic.topicArn,
      MAX_TPS: '10',
    },
  });
  table.grantReadWriteData(role);
  topic.grantPublish(role);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReconcileAssignments',
    actions: [
      'sso:CreateAccountAssignment', 'sso:DeleteAccountAssignment', 'sso:ListAccountAssignments',
      'sso:DescribeAccountAssignmentCreationStatus', 'sso:DescribeAccountAssignmentDeletionStatus',
    ],
    resources: [
      instanceArn,
      `arn:${Aws.PARTITION}:sso:::permissionSet/*`,
      `arn:${Aws.PARTITION}:sso:::account/*`,
    ],
  }));
  // provisioning a permission set into an account creates its reserved role and the SAML provider there
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ProvisionReservedRoles',
    actions: [
      'iam:GetRole', 'iam:CreateRole', 'iam:DeleteRole', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy',
      'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies',
      'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary',
      'iam:GetSAMLProvider', 'iam:CreateSAMLProvider', 'iam:UpdateSAMLProvider', 'iam:DeleteSAMLProvider',
    ],
    resources: [
      `arn:${Aws.PARTITION}:iam::*:role/aws-reserved/sso.amazonaws.com/*`,
      `arn:${Aws.PARTITION}:iam::*:saml-provider/AWSSSO_*`,
    ],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'FindParentOu',
    actions: ['organizations:ListParents'],
    resources: ['*'],
  }));

  const queue = serialQueue(scope, key, fn);
  new events.Rule(scope, 'AccountChanges', {
    description: 'Accounts created or moved: reconcile OU-targeted Identity Center assignments',
    eventPattern: {
      source: ['aws.organizations'],
      detailType: ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
      detail: { eventSource: ['organizations.amazonaws.com'], eventName: ['MoveAccount', 'CreateAccountResult'] },
    },
    targets: [new targets.SqsQueue(queue, { messageGroupId: 'reconcile', retryAttempts: 2, maxEventAge: Duration.hours(6) })],
  });
  const alarm = new cloudwatch.Alarm(scope, 'ReconcilerErrors', {
    alarmDescription: 'Identity Center reconciliation failed: see the failure topic and the reconciler logs',
    metric: fn.metricErrors({ period: Duration.minutes(5) }),
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new cwActions.SnsAction(topic));
  const deadLetters = new cloudwatch.Alarm(scope, 'ReconcilerDeadLettersAlarm', {
    alarmDescription: 'An account change was not reconciled after 3 attempts: see the reconciler logs, then redrive the dead-letter queue',
    metric: queue.deadLetterQueue!.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  deadLetters.addAlarmAction(new cwActions.SnsAction(topic));
  acknowledgeReconcilerFindings(fn, role);
  return { fn, topic, table, queue };
}

/**
 * Serializes reconciliations without reserved concurrency (which new accounts, at a quota of 10, cannot reserve): one
 * message group in a FIFO queue, so SQS hands out the group's next message only after the current one is deleted or
 * its visibility timeout ends; the Lambda poller therefore runs one reconcile at a time, in arrival order (Amazon SQS
 * Developer Guide, "Using the message group ID with Amazon SQS FIFO queues" and "FIFO queue delivery logic").
 */
function serialQueue(scope: Construct, key: kms.Key, fn: lambda.Function): sqs.Queue {
  const stack = Stack.of(scope);
  // EventBridge writes to the queue under the key (it needs to generate and read the data key), for this account only
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  const common = { fifo: true, encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true, retentionPeriod: Duration.days(14) };
  const dlq = new sqs.Queue(scope, 'ReconcilerDeadLetters', common);
  const queue = new sqs.Queue(scope, 'ReconcilerQueue', {
    ...common,
    // the same event twice within 5 minutes (EventBridge's retries) reconciles once
    contentBasedDeduplication: true,
    // at least six times the function timeout, so Lambda can retry a throttled batch (AWS Lambda Developer Guide,
    // "Creating and configuring an Amazon SQS event source mapping")
    visibilityTimeout: Duration.seconds(RECONCILER_TIMEOUT.toSeconds() * 6),
    deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
  });
  // one message per invocation: a failed reconcile throws (the Errors alarm fires) and only that message is retried
  fn.addEventSource(new sources.SqsEventSource(queue, { batchSize: 1 }));
  return queue;
}

/** What cdk-nag's packs report on the reconciler that is inherent to it, on its function and role only. */
function acknowledgeReconcilerFindings(fn: lambda.Function, role: iam.Role): void {
  const ack = (c: Construct, reason: string, ...ids: string[]) => ids.forEach((id) => Validations.of(c).acknowledge({ id, reason }));
  const both = (rule: string) => [`HIPAA.Security-${rule}`, `NIST.800.53.R5-${rule}`];
  ack(fn, 'it calls only AWS APIs (TLS, SigV4): a VPC would add NAT or endpoints and no protection', ...both('LambdaInsideVPC'));
  ack(fn, 'reserved concurrency would take from the account\'s unreserved pool (a new account has 10, of which none can be reserved); one FIFO message group serializes the reconciles', ...both('LambdaConcurrency'));
  ack(fn, 'invoked by its SQS queue only, whose dead-letter queue keeps what failed three times (alarmed to the failure topic); a Lambda DLQ applies to asynchronous invocations', ...both('LambdaDLQ'));
  const policy = role.node.findChild('DefaultPolicy');
  ack(policy, 'least-privilege statements of this one role, deleted with it', ...both('IAMNoInlinePolicy'));
  ack(policy, 'permission sets, accounts, the reserved roles and the SAML provider Identity Center creates have only these ARN patterns; organizations:ListParents names no resource (Service Authorization Reference)',
    ...['Resource::*', 'Resource::arn:<AWS::Partition>:sso:::permissionSet/*', 'Resource::arn:<AWS::Partition>:sso:::account/*',
      'Resource::arn:<AWS::Partition>:iam::*:role/aws-reserved/sso.amazonaws.com/*', 'Resource::arn:<AWS::Partition>:iam::*:saml-provider/AWSSSO_*']
      .map((f) => `AwsSolutions-IAM5[${f}]`));
  ack(policy, 'publishing to the KMS-encrypted failure topic needs kms:GenerateDataKey* (aws-cdk-lib grantPublish)', 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]');
}
