import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { createAuditWriter } from './audit';
import { CONFIG_KEY } from './configuration';
import { WorkflowTables } from './tables';
import { METRIC_NAMESPACE, WorkflowScope } from './workflow-scope';
import { AccessApiFunction } from '../handlers/access-api-function';
import { AccessReconcilerFunction } from '../handlers/access-reconciler-function';
import { AccessStepFunction } from '../handlers/access-step-function';

/** What the handlers are told through their environment. */
export interface HandlerInputs {
  readonly tables: WorkflowTables;
  readonly auditArchive: s3.Bucket;
  readonly eventBus: events.IEventBus;
  readonly notificationTopic: sns.ITopic;
  /** @default - `https://<identityStoreId>.awsapps.com/start`; none without an identity store */
  readonly accessPortalUrl?: string;
  readonly organizationTrailLogGroup?: logs.ILogGroup;
}

/**
 * The workflow's Lambda handlers (the audit writer first: the others are told its name), each with its own fixed-name
 * role and log group. Permissions are granted apart (`grantHandlers`).
 */
export class WorkflowHandlers {
  public readonly auditWriter: lambda.Function;
  public readonly step: lambda.Function;
  public readonly api: lambda.Function;
  public readonly reconciler: lambda.Function;

  constructor(private readonly ws: WorkflowScope, private readonly inputs: HandlerInputs) {
    const { tables, auditArchive } = inputs;
    this.auditWriter = createAuditWriter(ws, this.options('audit', 'AuditWriter', 'elevated access: the only writer of the audit trail'), tables.audit, auditArchive);
    this.step = new AccessStepFunction(ws.scope, 'StepHandler', this.options('step', 'StepHandler', 'elevated access: state machine steps'));
    this.api = new AccessApiFunction(ws.scope, 'ApiHandler', this.options('api', 'ApiHandler', 'elevated access: API'));
    this.reconciler = new AccessReconcilerFunction(ws.scope, 'Reconciler', {
      ...this.options('reconciler', 'Reconciler', 'elevated access: reconciler'), timeout: Duration.minutes(10),
    });
  }

  /** A handler's role, log group, fixed name and environment (also for the chat approvals handler). */
  public options(purpose: string, id: string, description: string): lambda.FunctionOptions {
    const role = this.ws.role(purpose, 'lambda.amazonaws.com', description);
    const logGroup = this.ws.logGroup(`${id}Logs`, this.ws.roleName(purpose));
    logGroup.grantWrite(role);
    return {
      role,
      functionName: this.ws.roleName(purpose),
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: { ...this.commonEnv(), ...(this.auditWriter ? { AUDIT_WRITER_FUNCTION: this.auditWriter.functionName } : {}) },
      logGroup,
    };
  }

  private commonEnv(): Record<string, string> {
    const { tables, eventBus, notificationTopic, organizationTrailLogGroup } = this.inputs;
    const identityStoreId = this.ws.identityStoreId;
    return {
      REQUESTS_TABLE: tables.requests.tableName,
      GRANTS_TABLE: tables.grants.tableName,
      AUDIT_TABLE: tables.audit.tableName,
      CONFIG_KEY,
      EVENT_BUS_NAME: eventBus.eventBusName,
      TOPIC_ARN: notificationTopic.topicArn,
      METRIC_NAMESPACE,
      POWERTOOLS_SERVICE_NAME: 'elevated-access',
      STATE_MACHINE_ARN: this.ws.stateMachineArn,
      // a jump-only workflow has no identity store: Identity Center callers are refused, no portal links are printed
      ...(identityStoreId ? { IDENTITY_STORE_ID: identityStoreId } : {}),
      CALLER_ACCOUNT: Stack.of(this.ws.scope).account,
      ...(identityStoreId || this.inputs.accessPortalUrl
        ? { ACCESS_PORTAL_URL: this.inputs.accessPortalUrl ?? `https://${identityStoreId}.awsapps.com/start` } : {}),
      ...(organizationTrailLogGroup ? { TRAIL_LOG_GROUP: organizationTrailLogGroup.logGroupName } : {}),
    };
  }
}
