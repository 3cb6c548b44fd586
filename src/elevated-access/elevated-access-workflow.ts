import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sso from 'aws-cdk-lib/aws-sso';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AccessReport, AccessReportEntry, IAccessReportSource } from '../access-report';
import { LandingZoneBoundary } from '../landing-zone-boundary';
import { Organization } from '../organization';
import { ApproverRule, EligibilityRule } from './access-rules';
import { declareBreakGlass } from './break-glass-notice';
import { Problems } from '../private/validation';
import { createAccessPermissionSets } from './builders/access-permission-sets';
import { elevatedAccessEntries } from './builders/access-report-rows';
import { createAlarms } from './builders/alarms';
import { APPROVER_ROUTES, REQUESTER_ROUTES, createApi, grantRoutes } from './builders/api';
import { createAuditArchive, createSessionQueries } from './builders/audit';
import { compileWorkflowRules, usesIdentityStore, writeConfiguration } from './builders/configuration';
import { grantHandlers, grantOrganizationLookup } from './builders/handler-grants';
import { WorkflowHandlers } from './builders/handlers';
import { acknowledgeInherentFindings } from './builders/inherent-findings';
import { jumpDeployment, wireJumpHandlers } from './builders/jump-access';
import { createNotices, createNotificationTopic } from './builders/notices';
import { createStateMachine, scheduleReconciler } from './builders/state-machine';
import { createTables } from './builders/tables';
import { validateWorkflowProps } from './builders/validate-props';
import { WorkflowScope } from './builders/workflow-scope';
import { ChatApprovals } from './chat-approvals';
import { followsOrganizationalUnits } from './handlers/policy';
import { JumpElevatedAccessOptions } from './jump-elevated-access-options';
import { JumpElevatedDeployment } from './jump-elevated-deployment';
import { NoticeChannel, NoticeEmail } from './notice-channel';
import { checkTemplateLimits } from '../private/template-limits';

/**
 * Properties of the elevated-access workflow.
 */
export interface ElevatedAccessWorkflowProps {
  /** The organization model the rules' targets are resolved against. */
  readonly organization: Organization;

  /**
   * The identity store id of the Identity Center instance (`d-xxxxxxxxxx`). Needed when `eligibility` has rules,
   * when a jump approver rule names Identity Center approvers, and for `approvals` from chat.
   *
   * @default - no Identity Center: a jump-only workflow (`jumpAccess` without Identity Center principals)
   */
  readonly identityStoreId?: string;

  /**
   * Who may request which Identity Center permission set where. A workflow needs at least one rule here or in
   * `jumpAccess.eligibility`.
   *
   * @default - no Identity Center rules: a jump-only workflow (`jumpAccess` required); no Identity Center task in the
   * state machine, no `sso:*` permission on any role, no requester or approver permission sets
   */
  readonly eligibility?: EligibilityRule[];

  /**
   * Who may approve what. Every account and permission set of a rule that needs approval must be covered.
   *
   * @default - no approvers: only rules with `ApprovalRequirement.none()` are accepted
   */
  readonly approvers?: ApproverRule[];

  /**
   * Elevated access for the jump account's IAM users over IAM, through this workflow: self-expiring grant policies
   * on the users, sessions on the elevated roles cut on revoke. The stack needs a literal account; the landing zone
   * deploys the roles it names (`jumpDeployment`).
   *
   * @default - Identity Center grants only
   */
  readonly jumpAccess?: JumpElevatedAccessOptions;

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
   * them to every eligible principal and approver, so nobody needs broader standing access there. Only with
   * Identity Center rules (`eligibility`): a jump-only workflow has no instance to create them in, and
   * warns when this is set to `true`.
   *
   * @default true
   */
  readonly accessPermissionSets?: boolean;

  /**
   * Whether the workflow's roles may create, list and delete assignments of its permission sets in any account
   * (`arn:<partition>:sso:::account/*`) instead of the eligible accounts by ARN. The eligibility check of the API and
   * the state machine's Recheck still limit grants to eligible accounts; IAM then no longer does. Needed when the
   * eligible accounts' ARNs do not fit one IAM managed policy (6,144 characters, about 150 accounts): the synth refuses
   * such a workflow without it and names this field. Warns when set.
   *
   * @default false - the eligible accounts by ARN
   */
  readonly assignmentsInAnyAccount?: boolean;

  /**
   * Whether rules whose targets select OUs (or all member accounts) cover the accounts AWS Organizations places under
   * those OUs when a decision is made (the request, each approval, the Recheck before the grant, the break-glass
   * review), accounts added after the synth included, instead of the accounts the model lists at synth. Applies to
   * `eligibility`, break-glass and `approvers` targets; targets that name accounts or tags keep their accounts. The
   * accounts a selection leaves out at synth (excluded, not active) stay out, and the management and host accounts
   * are refused wherever Organizations places them.
   *
   * The API, step and chat handlers may call `organizations:ListParents` in the model's organization (the host is the
   * management account or Identity Center's delegated administrator, which may read the organization); an account
   * Organizations does not know is covered by no such rule, and a failed lookup fails the decision. Needs
   * `organizationId` in the model and `assignmentsInAnyAccount: true`, since IAM cannot name accounts that do not
   * exist yet. Warns when set. Jump rules (`jumpAccess`) keep their accounts: a target account's elevated roles are
   * deployed with it.
   *
   * @default false - the accounts the rules select at synth
   */
  readonly followOrganizationalUnits?: boolean;

  /**
   * The AWS access portal URL, for the console links the API and the CLI print.
   *
   * @default - `https://<identityStoreId>.awsapps.com/start`; none without `identityStoreId`
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

  /**
   * The access report that lists who may obtain what through the workflow, only by an approved request.
   *
   * @default - the report of the stage (`AccessReport.of(this)`)
   */
  readonly accessReport?: AccessReport;
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
 * open last until the permission set's session duration ends. With `jumpAccess` and no `eligibility` (and no
 * `identityStoreId`) it is a jump-only workflow for an organization without Identity Center: it may then be hosted in
 * any member account, and its state machine, roles and API have no Identity Center part.
 */
export class ElevatedAccessWorkflow extends Construct implements IAccessReportSource {
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
  /** The permission sets for requesters and approvers in the host account (when `accessPermissionSets` and Identity Center rules). */
  public readonly requesterPermissionSet?: sso.CfnPermissionSet;
  public readonly approverPermissionSet?: sso.CfnPermissionSet;
  /** The SSM parameter holding the API endpoint. */
  public readonly endpointParameter: ssm.StringParameter;
  /**
   * What the landing zone must deploy for `jumpAccess` (`LandingZone.addJumpElevatedAccess`): the jump account's grant
   * writer and group reader, and per target account the elevated roles and the revoker. Literal ARNs only, so usable
   * from any stack; `apiArns` name the routes on any API of the host account (the API id is known only at deploy),
   * and the API's own resource policy decides who calls which.
   */
  public readonly jumpDeployment?: JumpElevatedDeployment;
  /** The compiled rule configuration as JSON (tokens unresolved), for review and tests. */
  public readonly configurationJson: string;

  /** Names, key, log groups and compiled rules shared by the builders (`./builders/`). */
  private readonly ws: WorkflowScope;
  /** The eligibility as reviewers read it, from the compiled rules. */
  private readonly reportRows: AccessReportEntry[];

  constructor(scope: Construct, id: string, props: ElevatedAccessWorkflowProps) {
    super(scope, id);
    checkTemplateLimits(this);
    // the props, the Identity Center rules and the jump rules: every problem in one error
    const problems = Problems.of(this);
    validateWorkflowProps(this, props, problems);
    const compiled = compileWorkflowRules(this, props, problems);
    this.reportRows = elevatedAccessEntries(this, props, compiled);
    (props.accessReport ?? AccessReport.of(this)).addSource(this);
    this.configurationJson = JSON.stringify(compiled.config);
    // every resource is created in this construct's scope by the builders, so construct ids stay the workflow's own
    const identityStoreId = usesIdentityStore(props) ? props.identityStoreId : undefined; // unused: warned, not granted
    const ws = this.ws = new WorkflowScope(this, compiled, identityStoreId, props.removalPolicy ?? RemovalPolicy.RETAIN,
      props.assignmentsInAnyAccount ?? false);

    const tables = createTables(ws, props.approvals !== undefined);
    this.requestsTable = tables.requests;
    this.grantsTable = tables.grants;
    this.auditTable = tables.audit;
    this.auditArchive = createAuditArchive(ws, props.auditRetention, props.auditRetentionMode === AuditRetentionMode.COMPLIANCE);
    this.notificationTopic = props.notificationTopic ?? createNotificationTopic(ws);
    this.eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.sessionQueries = createSessionQueries(ws, props.organizationTrailLogGroup);

    const handlers = new WorkflowHandlers(ws, {
      ...props, // the access portal URL and the trail's log group
      tables,
      auditArchive: this.auditArchive,
      eventBus: this.eventBus,
      notificationTopic: this.notificationTopic,
    });
    this.auditWriterFunction = handlers.auditWriter;
    this.stepFunction = handlers.step;
    this.apiFunction = handlers.api;
    this.reconcilerFunction = handlers.reconciler;
    grantHandlers(ws, handlers, tables, this.eventBus, this.notificationTopic);

    const jump = compiled.jump ? wireJumpHandlers(compiled.jump, this.apiFunction, this.stepFunction, handlers.reconciler) : undefined;
    this.stateMachine = createStateMachine(ws, this.stepFunction, props, jump);
    this.jumpDeployment = compiled.jump ? jumpDeployment(ws, compiled.jump) : undefined;
    const chatApprovals = props.approvals ? [props.approvals.describe()] : [];
    declareBreakGlass(this.stateMachine, compiled.config, props.noticeEmails ?? [], props.chatChannels ?? [], chatApprovals);
    this.chatApprovalsFunction = props.approvals?._bind(this, {
      functionOptions: handlers.options('chat', 'ChatApprovals', 'elevated access: approvals from chat'),
      requestsTable: this.requestsTable,
      eventBus: this.eventBus,
      eventSource: ElevatedAccessWorkflow.EVENT_SOURCE,
      notificationTopic: this.notificationTopic,
      auditWriter: this.auditWriterFunction,
      identityStoreArns: ws.identityStoreArns(),
    });
    const config = writeConfiguration(ws, this.requestsTable);
    this.stateMachine.node.addDependency(config);
    this.apiFunction.node.addDependency(config);

    const jumpAccountId = compiled.jump?.config.jumpAccountId; // its users may call the API, in MFA sessions only
    ({ api: this.api, endpointParameter: this.endpointParameter } = createApi(ws, this.apiFunction, props.endpointParameterName, jumpAccountId));
    scheduleReconciler(ws, this.reconcilerFunction, this.stateMachine, props.reconcileInterval);
    this.alarms = createAlarms(ws, this.notificationTopic, this.stateMachine);
    const chat = this.chatApprovalsFunction ? [this.chatApprovalsFunction] : [];
    if (followsOrganizationalUnits(compiled.config)) grantOrganizationLookup(props.organization, [this.apiFunction, this.stepFunction, ...chat]);
    createNotices(ws, this.notificationTopic, props.noticeEmails ?? [], props.chatChannels ?? [],
      [this.apiFunction, this.stepFunction, this.reconcilerFunction, ...chat]);
    if ((props.accessPermissionSets ?? true) && ws.identityCenter) {
      [this.requesterPermissionSet, this.approverPermissionSet] = createAccessPermissionSets(ws, this.api, this.endpointParameter);
    }
    iam.PermissionsBoundary.of(this).apply(props.permissionsBoundary ?? LandingZoneBoundary.ofStack(this).managedPolicy);
    acknowledgeInherentFindings(ws, this);
  }

  /**
   * The access-report rows: every principal x permission set (or elevated role) x account the rules make eligible,
   * elevated only. The rules are compiled at construction, so the rows are fixed then.
   */
  public accessReportEntries(): AccessReportEntry[] {
    return [...this.reportRows];
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
    return grantRoutes(this.api, grantee, REQUESTER_ROUTES);
  }

  /**
   * Lets `grantee` list, read, approve, reject and revoke requests through the API. Whether the caller may approve a
   * given request is still decided by the approver rules, and never for their own request.
   */
  public grantApprove(grantee: iam.IGrantable): iam.Grant {
    return grantRoutes(this.api, grantee, APPROVER_ROUTES);
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
    })).combine(this.ws.key().grantDecrypt(grantee));
  }
}
