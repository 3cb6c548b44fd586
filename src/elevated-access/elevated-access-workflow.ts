import { ArnFormat, Aws, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { AccessPath, AccessReport } from '../access-report';
import { LandingZoneBoundary } from '../landing-zone-boundary';
import { Organization } from '../organization';
import { IPermissionSet } from '../permission-set';
import { ApproverRule, EligibilityRule } from './access-rules';
import { buildAccessDefinition } from './access-state-machine';
import { ApprovalRequirement } from './approval-requirement';
import { compileRules } from './compile-rules';
import { permissionSetEntry } from '../private/access-entries';
import { LZ_SERVICE_ROLE_PATH } from '../private/conventions';
import { Problems } from '../private/validation';
import { AccessApiFunction } from './handlers/access-api-function';
import { AccessReconcilerFunction } from './handlers/access-reconciler-function';
import { AccessStepFunction } from './handlers/access-step-function';

/** Key of the configuration item in the requests table (request ids are UUIDs, so it cannot collide). */
const CONFIG_KEY = '#config';
/** The compiled rules are written as one DynamoDB item through a custom resource; stay well below the 400 KB item limit. */
const CONFIG_MAX_CHARS = 200_000;
const IDENTITY_STORE_ID_PATTERN = /^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Properties of the elevated-access workflow.
 */
export interface ElevatedAccessWorkflowProps {
  /** The organization model the rules' targets are resolved against. */
  readonly organization: Organization;

  /** The identity store id of the Identity Center instance (`d-xxxxxxxxxx`). */
  readonly identityStoreId: string;

  /** Who may request what. At least one rule. */
  readonly eligibility: EligibilityRule[];

  /**
   * Who may approve what. Every account and permission set of a rule that needs approval must be covered.
   *
   * @default - no approvers: only rules with `ApprovalRequirement.none()` are accepted
   */
  readonly approvers?: ApproverRule[];

  /**
   * How long a request waits for its approvals before it expires (5 minutes to 7 days).
   *
   * @default Duration.hours(3)
   */
  readonly pendingExpiry?: Duration;

  /**
   * How far ahead a request may schedule its start (0 to 300 days).
   *
   * @default Duration.days(7)
   */
  readonly maxScheduleAhead?: Duration;

  /**
   * The CloudWatch Logs log group of the organization trail. When given, a Logs Insights query definition per
   * permission set finds a grant's CloudTrail events, and each audit record names it with the grant's time window.
   *
   * @default - no query definitions; the audit records still hold the role name pattern and the time window
   */
  readonly organizationTrailLogGroup?: logs.ILogGroup;

  /**
   * The event bus that receives one event per transition.
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * The topic that receives notices for requesters, approvers and operators, and the alarms.
   *
   * @default - a new topic encrypted with a new KMS key (rotated) that CloudWatch alarms may use
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * The permissions boundary of every role the workflow creates.
   *
   * @default - the landing zone boundary of this stack (`LandingZoneBoundary.ofStack`)
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * How often the reconciler removes assignments the workflow created that no active grant needs (15 minutes to 1 day).
   *
   * @default Duration.hours(1)
   */
  readonly reconcileInterval?: Duration;

  /**
   * Pause between polls of an assignment's creation or deletion status.
   *
   * @default Duration.seconds(5)
   */
  readonly pollInterval?: Duration;

  /**
   * Pause before a revoke whose retries ran out is tried again (after an alarm).
   *
   * @default Duration.minutes(15)
   */
  readonly revokeRetryInterval?: Duration;

  /**
   * What happens to the requests, grants and audit tables when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN - the audit trail outlives the stack
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Temporary elevated access to Identity Center permission sets: requested through an IAM-authorized API, approved by
 * distinct eligible approvers, granted for a bounded time by a per-request Step Functions execution that confirms
 * every assignment change, reference-counted so overlapping grants never revoke each other, swept by a scheduled
 * reconciler and recorded in an append-only audit table and as EventBridge events.
 *
 * Revoking removes the assignment; sessions already open last until the permission set's session duration ends.
 */
export class ElevatedAccessWorkflow extends Construct {
  /** The `source` of every event the workflow emits. */
  public static readonly EVENT_SOURCE = 'cdk-iam-landing-zone.elevated-access';

  /** The REST API (IAM authorization on every method). */
  public readonly api: apigw.RestApi;
  /** The per-request state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** Requests (and the compiled configuration item). */
  public readonly requestsTable: dynamodb.TableV2;
  /** Reference-counted grants, one item per user, permission set and account. */
  public readonly grantsTable: dynamodb.TableV2;
  /** The append-only audit trail: one item per transition. */
  public readonly auditTable: dynamodb.TableV2;
  /** Notices for requesters, approvers and operators; alarm actions. */
  public readonly notificationTopic: sns.ITopic;
  /** The bus receiving the transition events. */
  public readonly eventBus: events.IEventBus;
  /** Fires when a grant is not confirmed, a revoke keeps failing, or the reconciler removed an orphaned assignment. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The query definitions over the organization trail, one per permission set (empty without a trail log group). */
  public readonly sessionQueries: logs.QueryDefinition[];
  /** The API handler. */
  public readonly apiFunction: lambda.Function;
  /** The handler of the state machine's Task states. */
  public readonly stepFunction: lambda.Function;
  /** The scheduled reconciler. */
  public readonly reconcilerFunction: lambda.Function;
  /** The compiled rule configuration as JSON (tokens unresolved), for review and tests. */
  public readonly configurationJson: string;

  constructor(scope: Construct, id: string, props: ElevatedAccessWorkflowProps) {
    super(scope, id);
    const problems = Problems.of(this);
    if (!Token.isUnresolved(props.identityStoreId) && !IDENTITY_STORE_ID_PATTERN.test(props.identityStoreId)) {
      problems.add('identityStoreId', `identity store id '${props.identityStoreId}' must look like 'd-1234567890'`);
    }
    const reconcile = props.reconcileInterval ?? Duration.hours(1);
    if (!reconcile.isUnresolved() && (reconcile.toMinutes({ integral: false }) < 15 || reconcile.toHours({ integral: false }) > 24)) {
      problems.add('reconcileInterval', `reconcile interval must be between 15 minutes and 1 day, got ${reconcile.toHumanString()}`);
    }
    const poll = props.pollInterval ?? Duration.seconds(5);
    if (!poll.isUnresolved() && (poll.toSeconds() < 1 || poll.toSeconds() > 300)) {
      problems.add('pollInterval', `poll interval must be between 1 second and 5 minutes, got ${poll.toHumanString()}`);
    }
    const revokeRetry = props.revokeRetryInterval ?? Duration.minutes(15);
    if (!revokeRetry.isUnresolved() && (revokeRetry.toMinutes({ integral: false }) < 1 || revokeRetry.toHours({ integral: false }) > 24)) {
      problems.add('revokeRetryInterval', `revoke retry interval must be between 1 minute and 1 day, got ${revokeRetry.toHumanString()}`);
    }
    problems.throwIfAny();

    const queryName = (ps: IPermissionSet) => `elevated-access/${Names.uniqueResourceName(this, { maxLength: 60 })}/${ps.permissionSetName}`;
    const compiled = compileRules(this, {
      organization: props.organization,
      eligibility: props.eligibility,
      approvers: props.approvers ?? [],
      pendingExpiry: props.pendingExpiry ?? Duration.hours(3),
      maxScheduleAhead: props.maxScheduleAhead ?? Duration.days(7),
      queryDefinitionName: props.organizationTrailLogGroup ? queryName : undefined,
    });
    this.configurationJson = JSON.stringify(compiled.config);
    // who may obtain what, only by an approved request, as reviewers read it in the access report
    AccessReport.of(this)._addProvider(() => props.eligibility.flatMap((rule, i) => {
      const accounts = rule.targets.resolve(props.organization);
      const approval = (rule.approval ?? ApprovalRequirement.anyOne()).describe();
      const ticket = rule.ticketPattern ? `, ticket matching ${rule.ticketPattern}` : '';
      return rule.principals.flatMap((principal) => rule.permissionSets.flatMap((ps) => accounts.map((account) =>
        permissionSetEntry(ps, principal, account, {
          path: AccessPath.ELEVATED_ACCESS,
          elevatedOnly: true,
          maxSeconds: rule.maxDuration.isUnresolved() ? undefined : rule.maxDuration.toSeconds(),
          conditions: `rule ${rule.name ?? `eligibility[${i}]`}: approval ${approval}${ticket}`,
          source: this.node.path,
        }))));
    }));
    if (this.configurationJson.length > CONFIG_MAX_CHARS) {
      const p = Problems.of(this);
      p.add('eligibility', `the compiled rules are ${this.configurationJson.length} characters, more than the ${CONFIG_MAX_CHARS} the configuration item holds: split the workflow or use OUs and groups`);
      p.throwIfAny();
    }

    const stack = Stack.of(this);
    const boundary = props.permissionsBoundary ?? LandingZoneBoundary.ofStack(this).managedPolicy;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const tableDefaults = {
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    };
    this.requestsTable = new dynamodb.TableV2(this, 'Requests', {
      ...tableDefaults,
      partitionKey: { name: 'requestId', type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: [
        { indexName: 'byRequester', partitionKey: { name: 'requesterId', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING } },
        { indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING } },
      ],
    });
    this.grantsTable = new dynamodb.TableV2(this, 'Grants', {
      ...tableDefaults,
      partitionKey: { name: 'grantKey', type: dynamodb.AttributeType.STRING },
    });
    this.auditTable = new dynamodb.TableV2(this, 'Audit', {
      ...tableDefaults,
      partitionKey: { name: 'requestId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'eventKey', type: dynamodb.AttributeType.STRING },
    });
    this.notificationTopic = props.notificationTopic ?? this.createTopic();
    this.eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');

    // session activity: one query definition per permission set over the organization trail
    this.sessionQueries = [];
    if (props.organizationTrailLogGroup) {
      for (const ps of compiled.permissionSets) {
        this.sessionQueries.push(new logs.QueryDefinition(this, `SessionQuery${this.sessionQueries.length}`, {
          queryDefinitionName: queryName(ps),
          logGroups: [props.organizationTrailLogGroup],
          queryString: new logs.QueryString({
            fields: ['@timestamp', 'recipientAccountId', 'eventSource', 'eventName', 'userIdentity.arn', 'sourceIPAddress', 'errorCode'],
            filterStatements: [`userIdentity.sessionContext.sessionIssuer.userName like /^AWSReservedSSO_${ps.permissionSetName}_/`],
            sort: '@timestamp asc',
          }),
        }));
      }
    }

    const stateMachineName = Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });
    const stateMachineArn = stack.formatArn({
      service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const commonEnv: Record<string, string> = {
      REQUESTS_TABLE: this.requestsTable.tableName,
      GRANTS_TABLE: this.grantsTable.tableName,
      AUDIT_TABLE: this.auditTable.tableName,
      CONFIG_KEY,
      EVENT_BUS_NAME: this.eventBus.eventBusName,
      TOPIC_ARN: this.notificationTopic.topicArn,
      METRIC_NAMESPACE: 'LandingZone/ElevatedAccess',
      POWERTOOLS_SERVICE_NAME: 'elevated-access',
      ...(props.organizationTrailLogGroup ? { TRAIL_LOG_GROUP: props.organizationTrailLogGroup.logGroupName } : {}),
    };
    const role = (rid: string, description: string) => new iam.Role(this, rid, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      path: LZ_SERVICE_ROLE_PATH,
      description,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    const fnDefaults = (rid: string, description: string) => ({
      role: role(`${rid}Role`, description),
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: commonEnv,
      logGroup: new logs.LogGroup(this, `${rid}Logs`, { retention: logs.RetentionDays.ONE_YEAR, removalPolicy }),
    });
    this.stepFunction = new AccessStepFunction(this, 'StepHandler', fnDefaults('StepHandler', 'elevated access: state machine steps'));
    this.apiFunction = new AccessApiFunction(this, 'ApiHandler', fnDefaults('ApiHandler', 'elevated access: API'));
    this.reconcilerFunction = new AccessReconcilerFunction(this, 'Reconciler', {
      ...fnDefaults('Reconciler', 'elevated access: reconciler'),
      timeout: Duration.minutes(10),
    });
    this.apiFunction.addEnvironment('STATE_MACHINE_ARN', stateMachineArn);
    this.apiFunction.addEnvironment('IDENTITY_STORE_ID', props.identityStoreId);
    this.apiFunction.addEnvironment('CALLER_ACCOUNT', stack.account);

    // least privilege per handler; the audit table is append-only for all of them (PutItem, guarded by a condition)
    const requestsArns = [this.requestsTable.tableArn, `${this.requestsTable.tableArn}/index/*`];
    const allow = (fn: lambda.Function, actions: string[], resources: string[]) =>
      fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources }));
    for (const fn of [this.apiFunction, this.stepFunction, this.reconcilerFunction]) {
      allow(fn, ['dynamodb:PutItem'], [this.auditTable.tableArn]);
      this.eventBus.grantPutEventsTo(fn);
    }
    allow(this.apiFunction, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], requestsArns);
    allow(this.apiFunction, ['states:StartExecution'], [stateMachineArn]);
    allow(this.apiFunction, ['identitystore:GetUserId', 'identitystore:ListGroupMembershipsForMember'], [
      `arn:${Aws.PARTITION}:identitystore::${stack.account}:identitystore/${props.identityStoreId}`,
      `arn:${Aws.PARTITION}:identitystore:::user/*`,
      `arn:${Aws.PARTITION}:identitystore:::group/*`,
      `arn:${Aws.PARTITION}:identitystore:::membership/*`,
    ]);
    // only Identity Center roles can be read: a look-alike role elsewhere is refused by IAM itself
    allow(this.apiFunction, ['iam:GetRole'], [`arn:${Aws.PARTITION}:iam::${stack.account}:role/aws-reserved/sso.amazonaws.com/*`]);
    allow(this.stepFunction, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [this.requestsTable.tableArn, this.grantsTable.tableArn]);
    allow(this.reconcilerFunction, ['dynamodb:GetItem'], [this.requestsTable.tableArn]);
    allow(this.reconcilerFunction, ['dynamodb:Scan', 'dynamodb:UpdateItem'], [this.grantsTable.tableArn]);
    for (const fn of [this.apiFunction, this.stepFunction]) {
      allow(fn, ['states:SendTaskSuccess', 'states:SendTaskFailure'], [stateMachineArn]);
    }
    for (const fn of [this.apiFunction, this.stepFunction, this.reconcilerFunction]) {
      this.notificationTopic.grantPublish(fn);
    }

    const instance = compiled.instanceArn;
    const accountArns = compiled.accounts.map((a) => `arn:${Aws.PARTITION}:sso:::account/${a}`);
    const psArns = compiled.permissionSets.map((p) => p.permissionSetArn);
    const assignmentResources = [instance, ...psArns, ...accountArns];
    for (const fn of [this.stepFunction, this.reconcilerFunction]) {
      allow(fn, ['sso:ListAccountAssignments'], assignmentResources);
    }
    allow(this.reconcilerFunction, ['sso:DeleteAccountAssignment'], assignmentResources);

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(buildAccessDefinition(this, {
        stepFunction: this.stepFunction,
        assignmentResources,
        instanceResources: [instance],
        pollInterval: poll,
        revokeRetryInterval: revokeRetry,
      })),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'StateMachineLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy }),
        level: sfn.LogLevel.ERROR,
        includeExecutionData: false,
      },
    });

    // the rules, compiled at synth, written where the handlers read them; the JSON is visible in the template
    const configWriter = new iam.Role(this, 'ConfigWriterRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      path: LZ_SERVICE_ROLE_PATH,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    const putConfig: cr.AwsSdkCall = {
      service: 'DynamoDB',
      action: 'putItem',
      parameters: {
        TableName: this.requestsTable.tableName,
        Item: { requestId: { S: CONFIG_KEY }, config: { S: stack.toJsonString(compiled.config) } },
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${Names.uniqueResourceName(this, { maxLength: 60 })}-config`),
    };
    const config = new cr.AwsCustomResource(this, 'Configuration', {
      onCreate: putConfig,
      onUpdate: putConfig,
      role: configWriter,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.requestsTable.tableArn] }),
      ]),
    });
    this.stateMachine.node.addDependency(config);
    this.apiFunction.node.addDependency(config);

    // the API: IAM authorization everywhere; the caller is the SigV4 signer
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy });
    this.api = new apigw.RestApi(this, 'Api', {
      description: 'elevated access requests',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: false,
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: 20,
        throttlingBurstLimit: 40,
      },
    });
    const integration = new apigw.LambdaIntegration(this.apiFunction);
    const requests = this.api.root.addResource('requests');
    requests.addMethod('GET', integration);
    requests.addMethod('POST', integration);
    const one = requests.addResource('{requestId}');
    one.addMethod('GET', integration);
    for (const action of ['approve', 'reject', 'cancel', 'revoke']) one.addResource(action).addMethod('POST', integration);

    // the reconciler: the last net for assignments a failed revoke left behind
    new events.Rule(this, 'ReconcileSchedule', {
      schedule: events.Schedule.rate(reconcile),
      targets: [new targets.LambdaFunction(this.reconcilerFunction, { retryAttempts: 2 })],
    });

    const metric = (name: string) => new cloudwatch.Metric({
      namespace: 'LandingZone/ElevatedAccess', metricName: name, statistic: 'Sum', period: Duration.minutes(5),
    });
    const alarm = (aid: string, metricName: string, description: string) => {
      const a = new cloudwatch.Alarm(this, aid, {
        metric: metric(metricName),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(new cwActions.SnsAction(this.notificationTopic));
      return a;
    };
    this.alarms = [
      alarm('GrantFailedAlarm', 'GrantFailures', 'an elevated-access grant was not confirmed by Identity Center'),
      alarm('RevokeFailedAlarm', 'RevokeFailures', 'an elevated-access revoke keeps failing; the workflow retries and the reconciler sweeps'),
      alarm('OrphanRemovedAlarm', 'OrphanedAssignmentsRemoved', 'the reconciler removed an assignment no active grant needed'),
      new cloudwatch.Alarm(this, 'ExecutionsFailedAlarm', {
        metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: 'an elevated-access execution failed',
      }),
    ];
    this.alarms[3].addAlarmAction(new cwActions.SnsAction(this.notificationTopic));

    iam.PermissionsBoundary.of(this).apply(boundary);
  }

  /**
   * Lets `grantee` make, read, cancel and revoke its own requests through the API.
   */
  public grantRequest(grantee: iam.IGrantable): iam.Grant {
    return this.grantRoutes(grantee, [
      ['POST', '/requests'], ['GET', '/requests'], ['GET', '/requests/*'],
      ['POST', '/requests/*/cancel'], ['POST', '/requests/*/revoke'],
    ]);
  }

  /**
   * Lets `grantee` list, read, approve, reject and revoke requests through the API. Whether the caller may approve a
   * given request is still decided by the approver rules, and never for their own request.
   */
  public grantApprove(grantee: iam.IGrantable): iam.Grant {
    return this.grantRoutes(grantee, [
      ['GET', '/requests'], ['GET', '/requests/*'],
      ['POST', '/requests/*/approve'], ['POST', '/requests/*/reject'], ['POST', '/requests/*/revoke'],
    ]);
  }

  /**
   * Lets `grantee` read every request, grant and audit record, and change nothing.
   */
  public grantAudit(grantee: iam.IGrantable): iam.Grant {
    const grant = this.requestsTable.grantReadData(grantee);
    this.grantsTable.grantReadData(grantee);
    this.auditTable.grantReadData(grantee);
    return grant;
  }

  private createTopic(): sns.Topic {
    // a customer managed key, because CloudWatch alarms cannot publish to a topic under the AWS managed SNS key
    const key = new kms.Key(this, 'NotificationsKey', { enableKeyRotation: true, description: 'elevated access notifications' });
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
    return new sns.Topic(this, 'Notifications', { masterKey: key, enforceSSL: true });
  }

  private grantRoutes(grantee: iam.IGrantable, routes: Array<[string, string]>): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: routes.map(([method, path]) => this.api.arnForExecuteApi(method, path, this.api.deploymentStage.stageName)),
    });
  }
}
