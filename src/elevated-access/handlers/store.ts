// Bundled into the Lambda assets by esbuild (like the *.lambda.ts entry points); the construct never imports it.
/* eslint-disable import/no-extraneous-dependencies */
// Shared persistence for the elevated-access handlers: requests, reference-counted grants, the append-only audit
// trail, EventBridge events and SNS notices. Runs in Lambda (aws-sdk v3), never at synth.
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { chatNotice, emailNotice, Notice, NoticeAudience } from './notices';
import { AccessConfig } from './policy';

export const logger = new Logger({ serviceName: 'elevated-access' });

export const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const events = new EventBridgeClient({});
const sns = new SNSClient({});
const lambda = new LambdaClient({});

/** Source of every event the workflow emits. */
export const EVENT_SOURCE = 'cdk-iam-landing-zone.elevated-access';

/** The reconciler's name: the owner of assignments it took over from dead executions, and the actor of its transitions. */
export const RECONCILER = 'reconciler';

/** Request statuses. */
export type RequestStatus = 'PENDING_APPROVAL' | 'APPROVED' | 'GRANTING' | 'ACTIVE' | 'REVOKING' | 'REVOKED'
| 'REJECTED' | 'CANCELLED' | 'EXPIRED' | 'FAILED';

const TERMINAL: readonly RequestStatus[] = ['REVOKED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'];

/** Whether a request has reached its final status. */
export function isTerminal(status: RequestStatus): boolean {
  return TERMINAL.includes(status);
}

/** Transitions, each written once to the audit table and emitted once as an event (detail-type in brackets). */
export const TRANSITIONS = {
  REQUESTED: 'Elevated Access Requested',
  APPROVAL_RECORDED: 'Elevated Access Approval Recorded',
  APPROVED: 'Elevated Access Approved',
  REJECTED: 'Elevated Access Rejected',
  CANCELLED: 'Elevated Access Cancelled',
  EXPIRED: 'Elevated Access Expired',
  GRANTED: 'Elevated Access Granted',
  GRANT_FAILED: 'Elevated Access Grant Failed',
  REVOKE_REQUESTED: 'Elevated Access Revoke Requested',
  REVOKE_FAILED: 'Elevated Access Revoke Failed',
  REVOKED: 'Elevated Access Revoked',
  FAILED: 'Elevated Access Failed',
  ORPHAN_REMOVED: 'Elevated Access Orphan Removed',
  BREAK_GLASS: 'Elevated Access Break Glass',
  APPROVAL_REMINDED: 'Elevated Access Approval Reminded',
  REVIEW_REMINDED: 'Elevated Access Review Reminded',
  REVIEW_CLOSED: 'Elevated Access Review Closed',
} as const;
export type Transition = keyof typeof TRANSITIONS;

/** One request as stored in the requests table. */
export interface AccessRequest {
  readonly requestId: string;
  readonly status: RequestStatus;
  readonly requesterId: string;
  readonly requesterName: string;
  readonly requesterArn: string;
  readonly accountId: string;
  readonly permissionSetArn: string;
  readonly instanceArn: string;
  readonly durationSeconds: number;
  readonly requiredApprovals: number;
  readonly approvals?: string[];
  readonly ticketId?: string;
  readonly justification?: string;
  readonly startAt?: string;
  readonly createdAt: string;
  readonly pendingExpiresAt: string;
  readonly activatedAt?: string;
  readonly endAt?: string;
  readonly executionArn?: string;
  readonly taskToken?: string;
  readonly taskStage?: 'APPROVAL' | 'START' | 'END';
  readonly revokeRequested?: boolean;
  readonly matchedRules?: string[];
  readonly assignmentRequestId?: string;
  /** Group ids of the requester when the request was made (for the record: every check re-reads the identity store). */
  readonly groupIds?: string[];
  /** Why the workflow ended the request without access, when it did. */
  readonly failureReason?: string;
  readonly closedBy?: string;
  readonly closeReason?: string;
  readonly revokedBy?: string;
  /** Self-approved under a break-glass rule (checked again by the backend at every step). */
  readonly breakGlass?: boolean;
  /**
   * `JUMP` for a jump user's request, granted through IAM: `requesterName` is then the IAM user name, `requesterId`
   * `jump:<user name>` (as its approvals are), `permissionSetArn` the elevated role's ARN and `elevatedRoleName` its name.
   */
  readonly grantKind?: 'JUMP';
  readonly elevatedRoleName?: string;
}

export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

let cached: { config: AccessConfig; at: number } | undefined;

/** The compiled rules (written at deploy time from the construct's props), cached for a minute per container. */
export async function loadConfig(now = Date.now()): Promise<AccessConfig> {
  if (cached && now - cached.at < 60_000) return cached.config;
  const out = await ddb.send(new GetCommand({ TableName: env('REQUESTS_TABLE'), Key: { requestId: env('CONFIG_KEY') } }));
  if (!out.Item || typeof out.Item.config !== 'string') throw new Error('the elevated-access configuration item is missing');
  cached = { config: JSON.parse(out.Item.config) as AccessConfig, at: now };
  return cached.config;
}

/** For tests: forget the cached configuration. */
export function resetConfigCache(): void {
  cached = undefined;
}

export async function getRequest(requestId: string): Promise<AccessRequest | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: env('REQUESTS_TABLE'), Key: { requestId }, ConsistentRead: true }));
  return out.Item as AccessRequest | undefined;
}

/** Sends the update; false (and nothing written) when its condition does not hold. */
export async function conditionalUpdate(input: UpdateCommandInput): Promise<boolean> {
  try {
    await ddb.send(new UpdateCommand(input));
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}

/** Every item of the requests table with `status` (the byStatus index), page by page (`pageSize` items at most). */
export async function* itemsWithStatus<T>(status: string, pageSize?: number): AsyncGenerator<T> {
  let start: Record<string, any> | undefined;
  do {
    const page = await ddb.send(new QueryCommand({
      TableName: env('REQUESTS_TABLE'),
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': status },
      ExclusiveStartKey: start,
      Limit: pageSize,
    }));
    start = page.LastEvaluatedKey;
    for (const item of page.Items ?? []) yield item as T;
  } while (start);
}

/** Where the CloudTrail events of a grant's session can be found: the query and its time window. */
export interface SessionQuery {
  readonly queryDefinitionName: string;
  readonly logGroupName: string;
  readonly roleNamePattern: string;
  readonly startTime: string;
  readonly endTime?: string;
}

export function sessionQuery(config: AccessConfig, request: AccessRequest, endTime?: string): SessionQuery | undefined {
  const ps = config.permissionSets[request.permissionSetArn];
  const logGroupName = process.env.TRAIL_LOG_GROUP;
  if (!ps?.queryDefinitionName || !logGroupName || !request.activatedAt) return undefined;
  return {
    queryDefinitionName: ps.queryDefinitionName,
    logGroupName,
    roleNamePattern: `AWSReservedSSO_${ps.name}_*`,
    startTime: request.activatedAt,
    endTime,
  };
}

export interface TransitionRecord {
  readonly request: AccessRequest;
  readonly transition: Transition;
  readonly actor: string;
  /** Audit sort key suffix for transitions that may happen more than once (approvals, revoke failures). */
  readonly repeatKey?: string;
  readonly reason?: string;
  readonly assignmentRequestId?: string;
  readonly sessionQuery?: SessionQuery;
  readonly at?: string;
}

/** The audit record of a transition, as the audit writer stores and archives it. */
export interface AuditRecord extends Record<string, unknown> {
  readonly requestId: string;
  readonly eventKey: string;
  readonly transition: Transition;
}

/**
 * Has the audit writer append the record (the only principal that may write the audit table; it refuses overwrites
 * and archives every record to the Object Lock bucket), then emits the event. Returns false when the record already
 * existed (a retried step), in which case no second event is sent.
 */
export async function recordTransition(t: TransitionRecord): Promise<boolean> {
  const at = t.at ?? new Date().toISOString();
  const r = t.request;
  const detail = {
    version: '1',
    requestId: r.requestId,
    transition: t.transition,
    actor: t.actor,
    at,
    principalId: r.requesterId,
    principalName: r.requesterName,
    accountId: r.accountId,
    permissionSetArn: r.permissionSetArn,
    durationSeconds: r.durationSeconds,
    startAt: r.startAt,
    endAt: r.endAt,
    ticketId: r.ticketId,
    reason: t.reason,
    assignmentRequestId: t.assignmentRequestId,
    sessionQuery: t.sessionQuery,
  };
  const record: AuditRecord = { ...dropUndefined(detail), eventKey: t.repeatKey ? `${t.transition}#${t.repeatKey}` : t.transition } as AuditRecord;
  const out = await lambda.send(new InvokeCommand({
    FunctionName: env('AUDIT_WRITER_FUNCTION'),
    Payload: Buffer.from(JSON.stringify({ record })),
  }));
  const reply = out.Payload ? JSON.parse(Buffer.from(out.Payload).toString('utf8') || 'null') : null;
  if (out.FunctionError || !reply || typeof reply.written !== 'boolean') {
    throw new Error(`the audit writer did not record ${t.transition}: ${out.FunctionError ?? 'no reply'}`);
  }
  if (!reply.written) {
    logger.info('transition already recorded', { requestId: r.requestId, transition: t.transition });
    return false;
  }
  const sent = await events.send(new PutEventsCommand({
    Entries: [{
      Source: EVENT_SOURCE,
      DetailType: TRANSITIONS[t.transition],
      Detail: JSON.stringify(detail),
      EventBusName: process.env.EVENT_BUS_NAME,
      Resources: [r.executionArn].filter((x): x is string => !!x),
    }],
  }));
  if ((sent.FailedEntryCount ?? 0) > 0) throw new Error(`event for ${t.transition} was not accepted`);
  logger.info('transition', detail);
  return true;
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Sends a notice: to the notices topic with the `audience` (and `requester`) attributes that e-mail subscriptions
 * filter on, as plain text for e-mail and as an AWS Chatbot custom notification for every other protocol; and to the
 * audience's chat topic, when chat channels are configured for it.
 */
export async function notify(audience: NoticeAudience, request: AccessRequest & { permissionSetName?: string }, notice: Notice): Promise<void> {
  const chat = JSON.stringify(chatNotice(audience, request, notice));
  const attributes = {
    audience: { DataType: 'String', StringValue: audience },
    requester: { DataType: 'String', StringValue: request.requesterName ?? 'unknown' },
    requestId: { DataType: 'String', StringValue: request.requestId },
  };
  const topics = [process.env.TOPIC_ARN, process.env[`CHAT_TOPIC_${audience.toUpperCase()}`]].filter((x): x is string => !!x);
  for (const topicArn of topics) {
    await sns.send(new PublishCommand({
      TopicArn: topicArn,
      Subject: notice.title.slice(0, 100),
      MessageStructure: 'json',
      Message: JSON.stringify({ default: chat, email: emailNotice(request, notice) }),
      MessageAttributes: attributes,
    }));
  }
}

/** Emits a CloudWatch metric through the embedded metric format (no API call, no extra permission). */
export function emitMetric(name: string, value = 1): void {
  const namespace = process.env.METRIC_NAMESPACE ?? 'LandingZone/ElevatedAccess';
  process.stdout.write(JSON.stringify({
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[]], Metrics: [{ Name: name, Unit: 'Count' }] }] },
    [name]: value,
  }) + '\n');
}

/** Moves a request to `status` when it is in one of `from` (any status when undefined); false when it is not. */
export async function setStatus(
  requestId: string, status: RequestStatus, from: RequestStatus[] | undefined, extra: Record<string, unknown> = {},
): Promise<boolean> {
  const names: Record<string, string> = { '#s': 'status' };
  const values: Record<string, unknown> = { ':s': status };
  const sets = ['#s = :s'];
  for (const [k, v] of Object.entries(extra)) {
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  let condition: string | undefined;
  if (from) {
    condition = `#s IN (${from.map((_, i) => `:f${i}`).join(', ')})`;
    from.forEach((f, i) => { values[`:f${i}`] = f; });
  }
  try {
    await ddb.send(new UpdateCommand({
      TableName: env('REQUESTS_TABLE'),
      Key: { requestId },
      UpdateExpression: `SET ${sets.join(', ')} REMOVE taskToken, taskStage`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }));
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}
