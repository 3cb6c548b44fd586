import { createHash } from 'crypto';
import { Annotations, ArnFormat, Aws, CfnElement, CfnOutput, Duration, Names, RemovalPolicy, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
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
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sso from 'aws-cdk-lib/aws-sso';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { AccessPath, AccessReport } from '../access-report';
import { IPermissionSet } from '../identity-center/permission-set';
import { LandingZoneBoundary } from '../landing-zone-boundary';
import { Organization } from '../organization';
import { ApproverRule, EligibilityRule } from './access-rules';
import { buildAccessDefinition } from './access-state-machine';
import { ApprovalRequirement } from './approval-requirement';
import { declareBreakGlass } from './break-glass-notice';
import { ChatApprovals } from './chat-approvals';
import { Compiled, compileRules } from './compile-rules';
import { NoticeAudience, NoticeChannel, NoticeEmail } from './notice-channel';
import { permissionSetEntry } from '../private/access-entries';
import { LZ_MANAGED_TAG_KEY, LZ_SERVICE_ROLE_PATH } from '../private/conventions';
import { allowAlarmsAndLogs } from '../private/service-key';
import { Problems } from '../private/validation';
import { AccessApiFunction } from './handlers/access-api-function';
import { AccessReconcilerFunction } from './handlers/access-reconciler-function';
import { AccessStepFunction } from './handlers/access-step-function';
import { AuditWriterFunction } from './handlers/audit-writer-function';
import type { PrincipalRef } from './handlers/policy';

/** Key of the configuration item in the requests table (request ids are UUIDs, so it cannot collide). */
const CONFIG_KEY = '#config';
/** The compiled rules are written as one DynamoDB item through a custom resource; stay well below the 400 KB item limit. */
const CONFIG_MAX_CHARS = 200_000;
const IDENTITY_STORE_ID_PATTERN = /^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const METRIC_NAMESPACE = 'LandingZone/ElevatedAccess';
/**
 * Prefix of every role, function, state machine, table, rule, topic, log group and bucket the workflow creates; with
 * the path `/landing-zone/` (roles) and the tag `landing-zone:managed` (the key and the API, whose ARNs carry no
 * name), what the boundary and the SCP protect.
 */
const ACCESS_ROLE_PREFIX = 'lz-access-';
/** Data-plane writes to a DynamoDB table. */
const TABLE_WRITES = [
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete',
];

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
   * @default - a new topic encrypted with a new KMS key (rotated) that only this account's CloudWatch alarms may use
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * E-mail addresses subscribed to the notices, each filtered by audience (and requester).
   *
   * @default - none
   */
  readonly noticeEmails?: NoticeEmail[];

  /**
   * Slack or Microsoft Teams channels receiving the notices of their audiences as AWS Chatbot custom notifications.
   *
   * @default - none
   */
  readonly chatChannels?: NoticeChannel[];

  /**
   * Approving from chat: `ChatApprovals.slack({ signingSecret, botToken, channelId })` posts each request with
   * Approve / Reject buttons to the approvers' channel; the click goes through the API's own approval path.
   *
   * @default - approvals through the API and the lz-access CLI only
   */
  readonly approvals?: ChatApprovals;

  /**
   * Whether the workflow may run in the management account. Identity Center's admin APIs work only from the
   * management account or its delegated administrator; host it in the delegated administrator account and keep
   * people out of the management account. Hosting there is an explicit loosening and warns.
   *
   * @default false - the stack's account must be the organization's delegated Identity Center administrator
   */
  readonly allowManagementAccountHost?: boolean;

  /**
   * Whether the workflow creates the permission sets `lz-access-requester` and `lz-access-approver` in the host
   * account (only `execute-api:Invoke` on their routes and `ssm:GetParameter` on the endpoint parameter) and assigns
   * them to every eligible principal and approver, so nobody needs broader standing access there.
   *
   * @default true
   */
  readonly accessPermissionSets?: boolean;

  /**
   * The AWS access portal URL, for the console links the API and the CLI print.
   *
   * @default - `https://<identityStoreId>.awsapps.com/start`
   */
  readonly accessPortalUrl?: string;

  /**
   * The SSM parameter that publishes the API endpoint (the CLI reads it).
   *
   * @default '/landing-zone/elevated-access/endpoint'
   */
  readonly endpointParameterName?: string;

  /**
   * How long each audit record archived to the Object Lock bucket cannot be deleted or overwritten.
   *
   * @default Duration.days(365)
   */
  readonly auditRetention?: Duration;

  /**
   * The Object Lock mode of the audit archive.
   *
   * @default AuditRetentionMode.GOVERNANCE - principals with s3:BypassGovernanceRetention may still delete
   */
  readonly auditRetentionMode?: AuditRetentionMode;

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
   * What happens to the requests, grants and audit tables and the audit archive when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN - the audit trail outlives the stack
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The Object Lock mode of the audit archive. */
export enum AuditRetentionMode {
  /** Users with `s3:BypassGovernanceRetention` can still delete locked records. */
  GOVERNANCE = 'GOVERNANCE',
  /** Nobody, the root user included, can delete a locked record before its retention ends. */
  COMPLIANCE = 'COMPLIANCE',
}


/**
 * Temporary elevated access to Identity Center permission sets: requested through an IAM-authorized API (or the
 * `lz-access` CLI), approved by distinct eligible approvers, granted for a bounded time by a per-request Step
 * Functions execution whose every path after the grant reaches the revoke task, swept by a reconciler that tells dead
 * executions from live ones, recorded by one audit writer in an append-only table and an Object Lock archive, and
 * announced by e-mail and chat.
 *
 * Host it in the delegated Identity Center administrator account. Revoking removes the assignment; sessions already
 * open last until the permission set's session duration ends.
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
  /** Grant records: who owns each assignment and which grants hold it, one item per user, permission set and account. */
  public readonly grantsTable: dynamodb.TableV2;
  /** The append-only audit trail: one item per transition, written only by the audit writer. */
  public readonly auditTable: dynamodb.TableV2;
  /** Every audit record, archived under Object Lock. */
  public readonly auditArchive: s3.Bucket;
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
  /**
   * The handler of the state machine's Lambda Task states.
   *
   * @deprecated a Lambda function, not a Step Functions state machine (that is `stateMachine`): use `stepHandler`
   */
  public readonly stepFunction: lambda.Function;
  /** The reconciler (scheduled, and on every execution that ends abnormally). */
  public readonly reconcilerFunction: lambda.Function;
  /** The only writer of the audit trail. */
  public readonly auditWriterFunction: lambda.Function;
  /** The chat approvals endpoint and notifier (when `approvals`). */
  public readonly chatApprovalsFunction?: lambda.Function;
  /** The permission sets for requesters and approvers in the host account (when `accessPermissionSets`). */
  public readonly requesterPermissionSet?: sso.CfnPermissionSet;
  public readonly approverPermissionSet?: sso.CfnPermissionSet;
  /** The SSM parameter holding the API endpoint. */
  public readonly endpointParameter: ssm.StringParameter;
  /** The compiled rule configuration as JSON (tokens unresolved), for review and tests. */
  public readonly configurationJson: string;

  private readonly props: ElevatedAccessWorkflowProps;
  private readonly compiled: Compiled;
  private readonly removal: RemovalPolicy;
  private readonly suffix: string;
  private readonly stateMachineArn: string;
  private readonly chatTopics = new Map<NoticeAudience, sns.Topic>();
  private notificationsKey?: kms.Key;

  constructor(scope: Construct, id: string, props: ElevatedAccessWorkflowProps) {
    super(scope, id);
    this.props = props;
    this.validateProps();
    this.compiled = this.compile();
    this.configurationJson = JSON.stringify(this.compiled.config);
    this.removal = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.suffix = createHash('sha256').update(this.node.path).digest('hex').slice(0, 8);
    // fixed names (lz-access-*), like the roles, so a boundary or SCP can protect the functions and the state machine
    const stateMachineName = `${ACCESS_ROLE_PREFIX}${this.suffix}`;
    this.stateMachineArn = Stack.of(this).formatArn({
      service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.requestsTable = this.table('Requests', ['api', 'step', 'reconciler', 'config', ...(props.approvals ? ['chat'] : [])], {
      partitionKey: { name: 'requestId', type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: [
        { indexName: 'byRequester', partitionKey: { name: 'requesterId', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING } },
        { indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING } },
      ],
    });
    this.grantsTable = this.table('Grants', ['step', 'reconciler'], { partitionKey: { name: 'grantKey', type: dynamodb.AttributeType.STRING } });
    this.auditTable = this.table('Audit', ['audit'], {
      partitionKey: { name: 'requestId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'eventKey', type: dynamodb.AttributeType.STRING },
    }, true);
    this.auditArchive = this.createArchive();
    this.notificationTopic = props.notificationTopic ?? this.createTopic();
    this.eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.sessionQueries = this.createSessionQueries();

    this.auditWriterFunction = this.createAuditWriter();
    this.stepFunction = new AccessStepFunction(this, 'StepHandler', this.fnDefaults('step', 'StepHandler', 'elevated access: state machine steps'));
    this.apiFunction = new AccessApiFunction(this, 'ApiHandler', this.fnDefaults('api', 'ApiHandler', 'elevated access: API'));
    this.reconcilerFunction = new AccessReconcilerFunction(this, 'Reconciler', {
      ...this.fnDefaults('reconciler', 'Reconciler', 'elevated access: reconciler'), timeout: Duration.minutes(10),
    });
    this.grantHandlers();
    this.stateMachine = this.createStateMachine(stateMachineName);
    const chatApprovals = props.approvals ? [props.approvals.describe()] : [];
    declareBreakGlass(this.stateMachine, this.compiled.config, props.noticeEmails ?? [], props.chatChannels ?? [], chatApprovals);
    this.chatApprovalsFunction = props.approvals?._bind(this, {
      functionOptions: this.fnDefaults('chat', 'ChatApprovals', 'elevated access: approvals from chat'),
      requestsTable: this.requestsTable,
      eventBus: this.eventBus,
      eventSource: ElevatedAccessWorkflow.EVENT_SOURCE,
      notificationTopic: this.notificationTopic,
      auditWriter: this.auditWriterFunction,
      identityStoreArns: this.identityStoreArns(),
    });
    const config = this.writeConfiguration();
    this.stateMachine.node.addDependency(config);
    this.apiFunction.node.addDependency(config);
    this.api = this.createApi();
    this.endpointParameter = new ssm.StringParameter(this, 'Endpoint', {
      parameterName: props.endpointParameterName ?? '/landing-zone/elevated-access/endpoint',
      stringValue: this.api.url,
      description: 'elevated access API endpoint (read by the lz-access CLI)',
    });
    new CfnOutput(this, 'ApiEndpoint', { value: this.api.url, description: 'elevated access API endpoint (lz-access --endpoint)' });
    this.scheduleReconciler();
    this.alarms = this.createAlarms();
    this.createNotices();
    if (props.accessPermissionSets ?? true) {
      [this.requesterPermissionSet, this.approverPermissionSet] = this.createAccessPermissionSets();
    }
    iam.PermissionsBoundary.of(this).apply(props.permissionsBoundary ?? LandingZoneBoundary.ofStack(this).managedPolicy);
    this.acknowledgeInherentFindings();
  }

  /** The Lambda function behind the state machine's Lambda Task states. */
  public get stepHandler(): lambda.Function {
    return this.stepFunction;
  }

  /**
   * Lets `grantee` make, read, cancel and revoke its own requests through the API. The API serves only Identity
   * Center sessions of the host account: give this to a permission set (the workflow's own `lz-access-requester`
   * already has it), not to an IAM role.
   */
  public grantRequest(grantee: iam.IGrantable): iam.Grant {
    return this.grantRoutes(grantee, REQUESTER_ROUTES);
  }

  /**
   * Lets `grantee` list, read, approve, reject and revoke requests through the API. Whether the caller may approve a
   * given request is still decided by the approver rules, and never for their own request.
   */
  public grantApprove(grantee: iam.IGrantable): iam.Grant {
    return this.grantRoutes(grantee, APPROVER_ROUTES);
  }

  /**
   * Lets `grantee` read every request, grant and audit record and the audit archive, and change nothing: one grant.
   */
  public grantAudit(grantee: iam.IGrantable): iam.Grant {
    // the tables and the requests table's two indexes, by name
    const tables = [this.requestsTable, this.grantsTable, this.auditTable].map((t) => t.tableArn);
    const indexes = ['byRequester', 'byStatus'].map((i) => `${this.requestsTable.tableArn}/index/${i}`);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:DescribeTable', 'dynamodb:ConditionCheckItem'],
      resourceArns: [...tables, ...indexes],
    }).combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention', 's3:ListBucket', 's3:ListBucketVersions'],
      resourceArns: [this.auditArchive.bucketArn, this.auditArchive.arnForObjects('*')],
    })).combine(this.key().grantDecrypt(grantee));
  }

  private validateProps(): void {
    const props = this.props;
    const problems = Problems.of(this);
    if (!Token.isUnresolved(props.identityStoreId) && !IDENTITY_STORE_ID_PATTERN.test(props.identityStoreId)) {
      problems.add('identityStoreId', `identity store id '${props.identityStoreId}' must look like 'd-1234567890'`);
    }
    const within = (field: string, label: string, d: Duration | undefined, min: Duration, max: Duration) => {
      if (d && !d.isUnresolved() && (d.toSeconds() < min.toSeconds() || d.toSeconds() > max.toSeconds())) {
        problems.add(field, `${label} must be between ${min.toHumanString()} and ${max.toHumanString()}, got ${d.toHumanString()}`);
      }
    };
    within('reconcileInterval', 'reconcile interval', props.reconcileInterval, Duration.minutes(15), Duration.days(1));
    within('pollInterval', 'poll interval', props.pollInterval, Duration.seconds(1), Duration.minutes(5));
    within('revokeRetryInterval', 'revoke retry interval', props.revokeRetryInterval, Duration.minutes(1), Duration.days(1));
    within('auditRetention', 'audit retention', props.auditRetention, Duration.days(1), Duration.days(36_500));
    for (const [i, e] of (props.noticeEmails ?? []).entries()) {
      if (!Token.isUnresolved(e.address) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.address)) {
        problems.add(`noticeEmails[${i}].address`, `'${e.address}' is not an e-mail address`);
      }
    }
    for (const [i, c] of (props.chatChannels ?? []).entries()) {
      if (c.audiences.length === 0) problems.add(`chatChannels[${i}].audiences`, `${c.describe()} has no audience, expected at least one`);
    }
    // Identity Center's admin APIs work from the management account or the delegated administrator only
    const host = Stack.of(this).account;
    const org = props.organization;
    if (!Token.isUnresolved(host)) {
      const isManagement = host === org.managementAccount.accountId;
      if (isManagement && !props.allowManagementAccountHost) {
        problems.add('allowManagementAccountHost', `the workflow's stack is in the management account ${host}; host it in the delegated Identity Center administrator account${org.identityCenterDelegated ? ` '${org.identityCenterAccount.name}'` : ' (set identityCenterAdminAccount in the organization model)'}, or set allowManagementAccountHost to accept it`);
      } else if (!isManagement && host !== org.identityCenterAccount.accountId) {
        problems.add('scope', `the workflow's stack is in account ${host}, which cannot call Identity Center's admin APIs: use the delegated Identity Center administrator account ${org.identityCenterDelegated ? `'${org.identityCenterAccount.name}' (${org.identityCenterAccount.accountId})` : '(set identityCenterAdminAccount in the organization model)'}`);
      } else if (isManagement) {
        Annotations.of(this).addWarningV2('cdk-iam-landing-zone:elevatedAccessInManagementAccount',
          'the workflow is hosted in the management account: everyone who requests or approves needs a permission set there; prefer the delegated Identity Center administrator account');
      }
    }
    problems.throwIfAny();
  }

  private compile(): Compiled {
    const props = this.props;
    const host = Stack.of(this).account;
    const compiled = compileRules(this, {
      organization: props.organization,
      eligibility: props.eligibility,
      approvers: props.approvers ?? [],
      pendingExpiry: props.pendingExpiry ?? Duration.hours(3),
      maxScheduleAhead: props.maxScheduleAhead ?? Duration.days(7),
      hostAccount: Token.isUnresolved(host) ? undefined : host,
      queryDefinitionName: props.organizationTrailLogGroup ? (ps) => this.queryName(ps) : undefined,
    });
    const json = JSON.stringify(compiled.config);
    if (json.length > CONFIG_MAX_CHARS) {
      const p = Problems.of(this);
      p.add('eligibility', `the compiled rules are ${json.length} characters, more than the ${CONFIG_MAX_CHARS} the configuration item holds: split the workflow or use OUs and groups`);
      p.throwIfAny();
    }
    // who may obtain what, only by an approved request, as reviewers read it in the access report
    AccessReport.of(this)._addProvider(() => props.eligibility.flatMap((rule, i) => {
      const accounts = rule.targets.resolve(props.organization).filter((a) => compiled.accounts.includes(a.accountId));
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
    return compiled;
  }

  private queryName(ps: IPermissionSet): string {
    return `elevated-access/${Names.uniqueResourceName(this, { maxLength: 60 })}/${ps.permissionSetName}`;
  }

  /** The fixed name of one of the workflow's roles: `lz-access-<purpose>-<hash of the construct path>`. */
  private roleName(purpose: string): string {
    return `${ACCESS_ROLE_PREFIX}${purpose}-${this.suffix}`;
  }

  /** The ARNs a condition on `aws:PrincipalArn` must accept for a role (with and without its path). */
  private roleArns(purpose: string): string[] {
    const account = Stack.of(this).account;
    return [`arn:${Aws.PARTITION}:iam::${account}:role${LZ_SERVICE_ROLE_PATH}${this.roleName(purpose)}`,
      `arn:${Aws.PARTITION}:iam::${account}:role/${this.roleName(purpose)}`];
  }

  private role(purpose: string, service: string, description: string): iam.Role {
    return new iam.Role(this, `${purpose.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}Role`, {
      roleName: this.roleName(purpose),
      path: LZ_SERVICE_ROLE_PATH,
      assumedBy: new iam.ServicePrincipal(service),
      description,
    });
  }

  /** A table whose resource policy denies data writes by every principal but its writer roles. */
  private table(id: string, writers: string[], props: Pick<dynamodb.TablePropsV2, 'partitionKey' | 'sortKey' | 'globalSecondaryIndexes'>, appendOnly = false): dynamodb.TableV2 {
    const writerArns = writers.flatMap((w) => this.roleArns(w));
    const statements = [new iam.PolicyStatement({
      sid: 'OnlyTheWorkflowWrites',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: appendOnly ? ['dynamodb:PutItem', 'dynamodb:PartiQLInsert'] : TABLE_WRITES,
      resources: ['*'],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': writerArns } },
    })];
    if (appendOnly) {
      statements.push(new iam.PolicyStatement({
        sid: 'AppendOnly',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: TABLE_WRITES.filter((a) => a !== 'dynamodb:PutItem' && a !== 'dynamodb:PartiQLInsert'),
        resources: ['*'],
      }));
    }
    return new dynamodb.TableV2(this, id, {
      ...props,
      tableName: this.roleName(id.toLowerCase()),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: this.removal === RemovalPolicy.RETAIN,
      removalPolicy: this.removal,
      resourcePolicy: new iam.PolicyDocument({ statements }),
    });
  }

  private createArchive(): s3.Bucket {
    const retention = this.props.auditRetention ?? Duration.days(365);
    const stack = Stack.of(this);
    const bucket = new s3.Bucket(this, 'AuditArchive', {
      bucketName: `${this.roleName('audit')}-${stack.account}-${stack.region}`,
      objectLockEnabled: true,
      objectLockDefaultRetention: this.props.auditRetentionMode === AuditRetentionMode.COMPLIANCE
        ? s3.ObjectLockRetention.compliance(retention) : s3.ObjectLockRetention.governance(retention),
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key(),
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: this.removal,
    });
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlyTheAuditWriterWrites',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:PutObjectAcl'],
      resources: [bucket.arnForObjects('*')],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': this.roleArns('audit') } },
    }));
    return bucket;
  }

  /**
   * The workflow's customer managed key (rotated): its topics, log groups and audit archive. A customer managed key,
   * because CloudWatch alarms cannot publish to a topic under the AWS managed SNS key; of the services, only this
   * account's alarms and this account's CloudWatch Logs (for the workflow's log groups) may use it.
   */
  private key(): kms.Key {
    if (this.notificationsKey) return this.notificationsKey;
    const key = new kms.Key(this, 'NotificationsKey', { enableKeyRotation: true, description: 'elevated access: notices, logs and audit archive' });
    allowAlarmsAndLogs(key);
    Tags.of(key).add(LZ_MANAGED_TAG_KEY, 'true');
    this.notificationsKey = key;
    return key;
  }

  /** A log group of the workflow: fixed name, one year, encrypted with the workflow's key. */
  private logGroup(id: string, logGroupName: string): logs.LogGroup {
    return new logs.LogGroup(this, id, {
      logGroupName, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: this.removal, encryptionKey: this.key(),
    });
  }

  private createTopic(): sns.Topic {
    const key = this.key();
    return new sns.Topic(this, 'Notifications', {
      topicName: this.roleName('notices'), masterKey: key, enforceSSL: true, displayName: 'Elevated access notices',
    });
  }

  private createSessionQueries(): logs.QueryDefinition[] {
    const trail = this.props.organizationTrailLogGroup;
    if (!trail) return [];
    return this.compiled.permissionSets.map((ps, i) => new logs.QueryDefinition(this, `SessionQuery${i}`, {
      queryDefinitionName: this.queryName(ps),
      logGroups: [trail],
      queryString: new logs.QueryString({
        fields: ['@timestamp', 'recipientAccountId', 'eventSource', 'eventName', 'userIdentity.arn', 'sourceIPAddress', 'errorCode'],
        filterStatements: [`userIdentity.sessionContext.sessionIssuer.userName like /^AWSReservedSSO_${ps.permissionSetName}_/`],
        sort: '@timestamp asc',
      }),
    }));
  }

  private commonEnv(): Record<string, string> {
    return {
      REQUESTS_TABLE: this.requestsTable.tableName,
      GRANTS_TABLE: this.grantsTable.tableName,
      AUDIT_TABLE: this.auditTable.tableName,
      CONFIG_KEY,
      EVENT_BUS_NAME: this.eventBus.eventBusName,
      TOPIC_ARN: this.notificationTopic.topicArn,
      METRIC_NAMESPACE,
      POWERTOOLS_SERVICE_NAME: 'elevated-access',
      STATE_MACHINE_ARN: this.stateMachineArn,
      IDENTITY_STORE_ID: this.props.identityStoreId,
      CALLER_ACCOUNT: Stack.of(this).account,
      ACCESS_PORTAL_URL: this.props.accessPortalUrl ?? `https://${this.props.identityStoreId}.awsapps.com/start`,
      ...(this.props.organizationTrailLogGroup ? { TRAIL_LOG_GROUP: this.props.organizationTrailLogGroup.logGroupName } : {}),
    };
  }

  private fnDefaults(purpose: string, id: string, description: string): lambda.FunctionOptions {
    const role = this.role(purpose, 'lambda.amazonaws.com', description);
    const logGroup = this.logGroup(`${id}Logs`, this.roleName(purpose));
    logGroup.grantWrite(role);
    return {
      role,
      functionName: this.roleName(purpose),
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: { ...this.commonEnv(), ...(this.auditWriterFunction ? { AUDIT_WRITER_FUNCTION: this.auditWriterFunction.functionName } : {}) },
      logGroup,
    };
  }

  private createAuditWriter(): lambda.Function {
    const fn = new AuditWriterFunction(this, 'AuditWriter', {
      ...this.fnDefaults('audit', 'AuditWriter', 'elevated access: the only writer of the audit trail'),
      environment: { AUDIT_TABLE: this.auditTable.tableName, AUDIT_ARCHIVE_BUCKET: this.auditArchive.bucketName, POWERTOOLS_SERVICE_NAME: 'elevated-access' },
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:GetItem'], resources: [this.auditTable.tableArn] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.auditArchive.arnForObjects('audit/*')] }));
    this.key().grant(fn, 'kms:GenerateDataKey');
    return fn;
  }

  /** Least privilege per handler. */
  private grantHandlers(): void {
    const stack = Stack.of(this);
    const allow = (fn: lambda.Function, actions: string[], resources: string[]) =>
      fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources }));
    const requestsArns = [this.requestsTable.tableArn, ...['byRequester', 'byStatus'].map((i) => `${this.requestsTable.tableArn}/index/${i}`)];
    const handlers = [this.apiFunction, this.stepFunction, this.reconcilerFunction];
    for (const fn of handlers) {
      // the function itself, never a version or alias
      allow(fn, ['lambda:InvokeFunction'], [this.auditWriterFunction.functionArn]);
      this.eventBus.grantPutEventsTo(fn);
      this.notificationTopic.grantPublish(fn);
    }
    allow(this.apiFunction, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], requestsArns);
    allow(this.apiFunction, ['dynamodb:Query'], [this.auditTable.tableArn]);
    allow(this.apiFunction, ['states:StartExecution'], [this.stateMachineArn]);
    const identityStore = this.identityStoreArns();
    allow(this.apiFunction, ['identitystore:GetUserId', 'identitystore:ListGroupMembershipsForMember'], identityStore);
    allow(this.stepFunction, ['identitystore:ListGroupMembershipsForMember'], identityStore);
    // only Identity Center roles can be read: a look-alike role elsewhere is refused by IAM itself
    allow(this.apiFunction, ['iam:GetRole'], [`arn:${Aws.PARTITION}:iam::${stack.account}:role/aws-reserved/sso.amazonaws.com/*`]);
    allow(this.stepFunction, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [this.requestsTable.tableArn, this.grantsTable.tableArn]);
    allow(this.reconcilerFunction, ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], requestsArns);
    allow(this.reconcilerFunction, ['dynamodb:Scan', 'dynamodb:UpdateItem'], [this.grantsTable.tableArn]);
    allow(this.reconcilerFunction, ['states:DescribeExecution'], [`${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:*`]);
    // task-token calls name no resource (Service Authorization Reference): a forged token is harmless, since the
    // Recheck counts only the approvals the API recorded in the requests table
    for (const fn of [this.apiFunction, this.stepFunction]) {
      allow(fn, ['states:SendTaskSuccess', 'states:SendTaskFailure'], ['*']);
    }
    const assignment = this.assignmentResources();
    for (const fn of [this.stepFunction, this.reconcilerFunction]) allow(fn, ['sso:ListAccountAssignments'], assignment);
    allow(this.reconcilerFunction, ['sso:DeleteAccountAssignment'], assignment);
    allow(this.reconcilerFunction, ['sso:DescribeAccountAssignmentDeletionStatus'], [this.compiled.instanceArn]);
  }

  private identityStoreArns(): string[] {
    return [
      `arn:${Aws.PARTITION}:identitystore::${Stack.of(this).account}:identitystore/${this.props.identityStoreId}`,
      `arn:${Aws.PARTITION}:identitystore:::user/*`,
      `arn:${Aws.PARTITION}:identitystore:::group/*`,
      `arn:${Aws.PARTITION}:identitystore:::membership/*`,
    ];
  }

  private assignmentResources(): string[] {
    const accountArns = this.compiled.accounts.map((a) => `arn:${Aws.PARTITION}:sso:::account/${a}`);
    return [this.compiled.instanceArn, ...this.compiled.permissionSets.map((p) => p.permissionSetArn), ...accountArns];
  }

  private createStateMachine(stateMachineName: string): sfn.StateMachine {
    const poll = this.props.pollInterval ?? Duration.seconds(5);
    return new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      role: this.role('states', 'states.amazonaws.com', 'elevated access: the per-request state machine (grant and revoke)'),
      definitionBody: sfn.DefinitionBody.fromChainable(buildAccessDefinition(this, {
        stepFunction: this.stepFunction,
        assignmentResources: this.assignmentResources(),
        instanceResources: [this.compiled.instanceArn],
        pollInterval: poll,
        revokeRetryInterval: this.props.revokeRetryInterval ?? Duration.minutes(15),
      })),
      tracingEnabled: true,
      logs: {
        // the prefix Step Functions recommends, so that logging does not grow the account's log resource policy
        destination: this.logGroup('StateMachineLogs', `/aws/vendedlogs/states/${stateMachineName}`),
        // every transition, without the execution data (requests carry justifications)
        level: sfn.LogLevel.ALL,
        includeExecutionData: false,
      },
    });
  }

  /** The rules, compiled at synth, written where the handlers read them; the JSON is visible in the template. */
  private writeConfiguration(): cr.AwsCustomResource {
    const stack = Stack.of(this);
    const putConfig: cr.AwsSdkCall = {
      service: 'DynamoDB',
      action: 'putItem',
      parameters: {
        TableName: this.requestsTable.tableName,
        Item: { requestId: { S: CONFIG_KEY }, config: { S: stack.toJsonString(this.compiled.config) } },
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${Names.uniqueResourceName(this, { maxLength: 60 })}-config`),
    };
    const role = this.role('config', 'lambda.amazonaws.com', 'elevated access: writes the compiled rules');
    // its own log group, written by its role only (instead of AWSLambdaBasicExecutionRole on every log group)
    const logGroup = this.logGroup('ConfigurationLogs', this.roleName('config'));
    logGroup.grantWrite(role);
    return new cr.AwsCustomResource(this, 'Configuration', {
      functionName: this.roleName('config'),
      logGroup,
      onCreate: putConfig,
      onUpdate: putConfig,
      role,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.requestsTable.tableArn] }),
      ]),
    });
  }

  /** The API: IAM authorization everywhere; the caller is the SigV4 signer. */
  private createApi(): apigw.RestApi {
    const accessLogs = this.logGroup('ApiAccessLogs', this.roleName('api-access'));
    const api = new apigw.RestApi(this, 'Api', {
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
    Tags.of(api).add(LZ_MANAGED_TAG_KEY, 'true');
    const integration = new apigw.LambdaIntegration(this.apiFunction);
    // API Gateway refuses malformed requests before the handler (which checks them again): a new request's body,
    // and the request id on every route that names one
    const requestValidator = api.addRequestValidator('Validator', { validateRequestBody: true, validateRequestParameters: true });
    const S = apigw.JsonSchemaType;
    const accountId = { type: S.STRING, pattern: '^\\d{12}$' };
    const newRequest = api.addModel('NewRequest', {
      contentType: 'application/json',
      schema: {
        type: S.OBJECT,
        required: ['permissionSet', 'durationMinutes'],
        properties: {
          accountId,
          accountIds: { type: S.ARRAY, items: accountId, minItems: 1, maxItems: 10 },
          permissionSet: { type: S.STRING, minLength: 1, maxLength: 2048 },
          durationMinutes: { type: S.INTEGER, minimum: 1 },
          justification: { type: S.STRING, maxLength: 2000 },
          ticketId: { type: S.STRING, maxLength: 128 },
          startAt: { type: S.STRING, maxLength: 40 },
        },
      },
    });
    const byId = { requestValidator, requestParameters: { 'method.request.path.requestId': true } };
    const requests = api.root.addResource('requests');
    requests.addMethod('GET', integration, { requestValidator, requestParameters: { 'method.request.querystring.view': false } });
    requests.addMethod('POST', integration, { requestValidator, requestModels: { 'application/json': newRequest } });
    const one = requests.addResource('{requestId}');
    one.addMethod('GET', integration, byId);
    one.addResource('audit').addMethod('GET', integration, byId);
    for (const action of ['approve', 'reject', 'cancel', 'revoke', 'review']) one.addResource(action).addMethod('POST', integration, byId);
    return api;
  }

  /**
   * What cdk-nag's AwsSolutions, HIPAA Security and NIST 800-53 R5 packs report on the workflow that is inherent to
   * it, acknowledged on the one construct it concerns, finding by finding, with the reason. Nothing here covers a
   * resource the workflow did not create.
   */
  private acknowledgeInherentFindings(): void {
    const stack = Stack.of(this);
    const ref = (c: IConstruct, att = 'Arn') => `<${stack.resolve(stack.getLogicalId(c.node.defaultChild as CfnElement))}.${att}>`;
    const ack = (c: IConstruct, reason: string, ...ids: string[]) => {
      for (const id of ids) Validations.of(c).acknowledge({ id, reason });
    };
    const both = (rule: string) => [`HIPAA.Security-${rule}`, `NIST.800.53.R5-${rule}`];
    const chat = this.chatApprovalsFunction ? [this.chatApprovalsFunction] : [];
    const fns = [this.apiFunction, this.stepFunction, this.reconcilerFunction, this.auditWriterFunction, ...chat];
    const crFunction = stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    for (const fn of [...fns, ...(crFunction ? [crFunction] : [])]) {
      ack(fn, 'the handlers call only AWS APIs (IAM-authorized, TLS): a VPC would add NAT or endpoints and no protection', ...both('LambdaInsideVPC'));
      ack(fn, 'invoked synchronously (API Gateway, Step Functions, the handlers) or by EventBridge with retries; a failed run is retried by the state machine or the next reconcile, and fires an alarm', ...both('LambdaDLQ'));
      ack(fn, 'reserved concurrency would take from the account\'s unreserved pool (a new account has 10) and could block revokes; API Gateway throttles the API', ...both('LambdaConcurrency'));
    }
    for (const role of this.node.findAll().filter((c): c is iam.Role => c instanceof iam.Role)) {
      const policy = role.node.tryFindChild('DefaultPolicy');
      if (policy) ack(policy, 'least-privilege statements generated per role by the grants, bound to that role and deleted with it', ...both('IAMNoInlinePolicy'));
    }
    const config = this.node.tryFindChild('Configuration')?.node.tryFindChild('CustomResourcePolicy');
    if (config) ack(config, 'the custom resource writes the one configuration item (dynamodb:PutItem on the requests table), nothing else', ...both('IAMNoInlinePolicy'));
    const iam5 = (c: IConstruct, reason: string, ...findings: string[]) => ack(c.node.tryFindChild('DefaultPolicy') ?? c, reason, ...findings.map((f) => `AwsSolutions-IAM5[${f}]`));
    const identityStore = ['user', 'group', 'membership'].map((t) => `Resource::arn:<AWS::Partition>:identitystore:::${t}/*`);
    for (const fn of [this.apiFunction, this.stepFunction, this.reconcilerFunction, ...chat]) {
      iam5(fn.role!, 'publishing to the workflow\'s KMS-encrypted topics needs kms:GenerateDataKey* (aws-cdk-lib grantPublish)', 'Action::kms:GenerateDataKey*');
    }
    for (const fn of [this.apiFunction, this.stepFunction, ...chat]) {
      iam5(fn.role!, 'identity store users, groups and memberships have only wildcard ARNs (Service Authorization Reference); the identity store itself is named', ...identityStore);
      iam5(fn.role!, 'states:SendTaskSuccess and SendTaskFailure name no resource (Service Authorization Reference); a forged token cannot grant, the Recheck counts only recorded approvals', 'Resource::*');
    }
    iam5(this.apiFunction.role!, 'the requests table\'s indexes', `Resource::${ref(this.requestsTable)}/index/*`);
    iam5(this.reconcilerFunction.role!, 'the requests table\'s indexes', `Resource::${ref(this.requestsTable)}/index/*`);
    iam5(this.apiFunction.role!, 'only Identity Center roles of the host account can be read: a look-alike role elsewhere is refused by IAM', `Resource::arn:<AWS::Partition>:iam::${stack.account}:role/aws-reserved/sso.amazonaws.com/*`);
    iam5(this.reconcilerFunction.role!, 'executions are named by request id: any execution of this state machine', `Resource::${this.stateMachineArn.replace(':stateMachine:', ':execution:').replace(Aws.PARTITION, '<AWS::Partition>')}:*`);
    iam5(this.auditWriterFunction.role!, 'audit records are objects under audit/ named by request and transition', `Resource::${ref(this.auditArchive)}/audit/*`);
    iam5(this.stateMachine.role, 'aws-cdk-lib\'s Lambda task grants the step handler and its versions', `Resource::${ref(this.stepFunction)}:*`);
    iam5(this.stateMachine.role, 'X-Ray tracing and CloudWatch Logs delivery name no resource (Service Authorization Reference)', 'Resource::*');
    const stage = this.api.deploymentStage;
    ack(stage, 'IAM authorization (SigV4) on every method, throttled per stage; associate a WAF web ACL for your network policy', 'AwsSolutions-APIG3', ...both('APIGWAssociatedWithWAF'));
    ack(stage, 'execution logging needs the account-wide API Gateway CloudWatch role, an account setting the library does not own; access logs are on, encrypted', 'AwsSolutions-APIG6', ...both('APIGWExecutionLoggingEnabled'));
    ack(stage, 'responses are per caller and per moment (approvals, grants): caching them would serve stale or someone else\'s answers', ...both('APIGWCacheEnabledAndEncrypted'));
    ack(stage, 'the backend is a Lambda proxy integration, not an HTTP endpoint that could check a client certificate', ...both('APIGWSSLEnabled'));
    for (const m of this.api.methods) ack(m, 'IAM authorization: callers are Identity Center sessions of the host account, not Cognito users', 'AwsSolutions-COG4');
    ack(this.auditArchive, 'reads and writes of the archive are recorded by CloudTrail data events of the organization trail; an access-log bucket would be one more bucket to protect', 'AwsSolutions-S1', ...both('S3BucketLoggingEnabled'));
    ack(this.auditArchive, 'Object Lock keeps every record for the retention; replicate it to another region with your own bucket if you need to', ...both('S3BucketReplicationEnabled'));
  }

  /** The reconciler: hourly by default, and at once when an execution fails, times out or is stopped. */
  private scheduleReconciler(): void {
    new events.Rule(this, 'ReconcileSchedule', {
      ruleName: this.roleName('reconcile'),
      schedule: events.Schedule.rate(this.props.reconcileInterval ?? Duration.hours(1)),
      targets: [new targets.LambdaFunction(this.reconcilerFunction, { retryAttempts: 2 })],
    });
    new events.Rule(this, 'ExecutionEnded', {
      ruleName: this.roleName('execution-ended'),
      description: 'an elevated-access execution ended abnormally: reconcile now',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [this.stateMachine.stateMachineArn], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
      targets: [new targets.LambdaFunction(this.reconcilerFunction, { retryAttempts: 2 })],
    });
  }

  private createAlarms(): cloudwatch.Alarm[] {
    const alarm = (aid: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, aid, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(new cwActions.SnsAction(this.notificationTopic));
      return a;
    };
    const metric = (name: string) => new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName: name, statistic: 'Sum', period: Duration.minutes(5) });
    return [
      alarm('GrantFailedAlarm', metric('GrantFailures'), 'an elevated-access grant was not confirmed by Identity Center'),
      alarm('RevokeFailedAlarm', metric('RevokeFailures'), 'an elevated-access revoke keeps failing; the workflow retries and the reconciler sweeps'),
      alarm('OrphanRemovedAlarm', metric('OrphanedAssignmentsRemoved'), 'the reconciler removed an assignment no live grant needed'),
      alarm('ExecutionsFailedAlarm', this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }), 'an elevated-access execution failed'),
      alarm('ExecutionsAbortedAlarm', this.stateMachine.metricAborted({ period: Duration.minutes(5), statistic: 'Sum' }), 'an elevated-access execution was stopped; the reconciler revokes what it left'),
    ];
  }

  /** E-mail subscriptions filtered by audience; chat channels on one topic per audience they follow. */
  private createNotices(): void {
    for (const e of this.props.noticeEmails ?? []) {
      this.notificationTopic.addSubscription(new subs.EmailSubscription(e.address, {
        filterPolicy: {
          audience: sns.SubscriptionFilter.stringFilter({ allowlist: [e.audience] }),
          ...(e.requesterName ? { requester: sns.SubscriptionFilter.stringFilter({ allowlist: [e.requesterName] }) } : {}),
        },
      }));
    }
    const channels = this.props.chatChannels ?? [];
    if (channels.length === 0) return;
    const key = this.key();
    for (const audience of new Set(channels.flatMap((c) => c.audiences))) {
      const topic = new sns.Topic(this, `Chat${audience.charAt(0).toUpperCase()}${audience.slice(1)}`, {
        topicName: this.roleName(`chat-${audience}`), masterKey: key, enforceSSL: true, displayName: `Elevated access chat notices (${audience})`,
      });
      this.chatTopics.set(audience, topic);
      const chat = this.chatApprovalsFunction ? [this.chatApprovalsFunction] : [];
      const publishers = [this.apiFunction, this.stepFunction, this.reconcilerFunction, ...chat];
      for (const fn of publishers) {
        topic.grantPublish(fn);
        fn.addEnvironment(`CHAT_TOPIC_${audience.toUpperCase()}`, topic.topicArn);
      }
    }
    const role = this.role('chat', 'chatbot.amazonaws.com', 'elevated access: chat channels (notices only, no permissions)');
    for (const [i, c] of channels.entries()) c._bind(this, `ChatChannel${i}`, c.audiences.map((a) => this.chatTopics.get(a)!), role);
  }

  /**
   * `lz-access-requester` and `lz-access-approver` in the host account, assigned to every eligible principal and
   * approver: only the API routes of the persona, and the endpoint parameter.
   */
  private createAccessPermissionSets(): [sso.CfnPermissionSet, sso.CfnPermissionSet] {
    const stack = Stack.of(this);
    const make = (name: string, routes: Array<[string, string]>, principals: PrincipalRef[]) => {
      const ps = new sso.CfnPermissionSet(this, `${name === 'requester' ? 'Requester' : 'Approver'}PermissionSet`, {
        instanceArn: this.compiled.instanceArn,
        name: `lz-access-${name}`,
        description: `elevated access: ${name === 'requester' ? 'request, follow and revoke your own access' : 'approve or reject requests'} (the lz-access CLI)`,
        sessionDuration: 'PT1H',
        inlinePolicy: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ sid: 'Routes', actions: ['execute-api:Invoke'], resources: this.routeArns(routes) }),
            new iam.PolicyStatement({ sid: 'FindTheApi', actions: ['ssm:GetParameter'], resources: [this.endpointParameter.parameterArn] }),
          ],
        }),
      });
      const seen = new Set<string>();
      for (const p of principals) {
        const k = `${p.type}:${p.id}`;
        if (seen.has(k)) continue;
        seen.add(k);
        new sso.CfnAssignment(this, `${name}-${p.type === 'GROUP' ? 'G' : 'U'}${createHash('sha256').update(k).digest('hex').slice(0, 10)}`, {
          instanceArn: this.compiled.instanceArn,
          permissionSetArn: ps.attrPermissionSetArn,
          principalId: p.id,
          principalType: p.type,
          targetId: stack.account,
          targetType: 'AWS_ACCOUNT',
        });
      }
      return ps;
    };
    const config = this.compiled.config;
    return [
      make('requester', REQUESTER_ROUTES, config.eligibility.flatMap((r) => r.principals)),
      make('approver', APPROVER_ROUTES, config.approverRules.flatMap((r) => r.approvers)),
    ];
  }

  private routeArns(routes: Array<[string, string]>): string[] {
    return routes.map(([method, path]) => this.api.arnForExecuteApi(method, path, this.api.deploymentStage.stageName));
  }

  private grantRoutes(grantee: iam.IGrantable, routes: Array<[string, string]>): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['execute-api:Invoke'], resourceArns: this.routeArns(routes) });
  }
}

const REQUESTER_ROUTES: Array<[string, string]> = [
  ['POST', '/requests'], ['GET', '/requests'], ['GET', '/requests/*'],
  ['POST', '/requests/*/cancel'], ['POST', '/requests/*/revoke'],
];
const APPROVER_ROUTES: Array<[string, string]> = [
  ['GET', '/requests'], ['GET', '/requests/*'],
  ['POST', '/requests/*/approve'], ['POST', '/requests/*/reject'], ['POST', '/requests/*/revoke'],
  ['POST', '/requests/*/review'],
];
