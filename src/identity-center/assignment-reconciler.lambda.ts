// Reconciles the OU-targeted assignments of a PermissionSetCatalog for one account that was created or moved after
// the catalog was deployed. Runs in Lambda: aws-sdk v3 and Powertools only, never aws-cdk-lib.
//
// Ownership: the reconciler removes only assignments it created itself, recorded in its ledger table. Assignments
// created by CloudFormation (the catalog's static assignments) are never touched here; the next deploy, with the
// updated organization model, adjusts those.
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  AccountAssignmentOperationStatus,
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ListAccountAssignmentsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

const logger = new Logger({ serviceName: 'assignment-reconciler' });

/** The configuration the catalog generates at synth (environment variable RECONCILER_CONFIG). */
export interface ReconcilerConfig {
  readonly instanceArn: string;
  /** OU-targeted rules: permission set arn, principal type and id, accounts the rule excludes. */
  readonly rules: Array<{ p: string; t: string; i: string; x?: string[] }>;
  /** For each parent (OU id or root id): the rules an account placed directly in it receives. */
  readonly parents: Record<string, number[]>;
}

export interface ReconcileOptions {
  readonly config: ReconcilerConfig;
  readonly ledgerTable: string;
  readonly failureTopicArn?: string;
  /** Identity Center calls per second across this invocation (< 20 TPS, the service quota). */
  readonly maxTps?: number;
  /** Outstanding CreateAccountAssignment operations (<= 10, the service quota). */
  readonly maxOutstanding?: number;
  readonly pollIntervalMs?: number;
  readonly pollTimeoutMs?: number;
  readonly backoffBaseMs?: number;
  readonly maxAttempts?: number;
}

export interface ReconcileResult {
  readonly accountId: string;
  readonly parentId?: string;
  readonly created: string[];
  readonly deleted: string[];
  readonly alreadyPresent: string[];
  readonly failed: Array<{ assignment: string; reason: string }>;
}

interface Desired {
  readonly permissionSetArn: string;
  readonly principalType: string;
  readonly principalId: string;
}

const sso = new SSOAdminClient({ maxAttempts: 1 });
const organizations = new OrganizationsClient({ region: 'us-east-1' });
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sns = new SNSClient({});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Spaces calls at least 1/tps seconds apart, across all concurrent workers. */
class RateLimiter {
  private next = 0;
  constructor(private readonly intervalMs: number) {}
  public async acquire(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + this.intervalMs;
    if (at > now) await sleep(at - now);
  }
}

const RETRYABLE = new Set(['ThrottlingException', 'ConflictException', 'TooManyRequestsException', 'InternalServerException']);

/** Reconciles one account. Exported for tests; `handler` reads the options from the environment. */
export async function reconcile(accountId: string, options: ReconcileOptions): Promise<ReconcileResult> {
  const { config } = options;
  const limiter = new RateLimiter(1000 / Math.min(options.maxTps ?? 10, 19));
  const backoff = options.backoffBaseMs ?? 200;
  const maxAttempts = options.maxAttempts ?? 8;

  // every Identity Center call goes through the limiter and retries throttling and conflicts with backoff
  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await limiter.acquire();
      try {
        return await fn();
      } catch (err) {
        const name = (err as { name?: string }).name ?? '';
        if (!RETRYABLE.has(name) || attempt >= maxAttempts) throw err;
        const delay = Math.round(backoff * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
        logger.warn('retrying identity center call', { what, error: name, attempt, delayMs: delay });
        await sleep(delay);
      }
    }
  }

  const parents = await organizations.send(new ListParentsCommand({ ChildId: accountId }));
  const parentId = parents.Parents?.[0]?.Id;
  const ruleIds = parentId ? config.parents[parentId] : undefined;
  if (parentId && !ruleIds) {
    logger.warn('the account sits in an ou the organization model does not know: no ou-targeted rule applies', { accountId, parentId });
  }
  const desired: Desired[] = (ruleIds ?? [])
    .map((i) => config.rules[i])
    .filter((r) => !(r.x ?? []).includes(accountId))
    .map((r) => ({ permissionSetArn: r.p, principalType: r.t, principalId: r.i }));
  const keyOf = (d: Desired) => `${d.permissionSetArn}|${d.principalType}|${d.principalId}`;
  const desiredKeys = new Set(desired.map(keyOf));

  // what the account already has, per permission set we might touch
  const ledger = await ledgerItems(options.ledgerTable, accountId);
  const present = new Set<string>();
  const permissionSets = new Set([...desired.map((d) => d.permissionSetArn), ...ledger.map((l) => l.permissionSetArn)]);
  for (const ps of permissionSets) {
    let token: string | undefined;
    do {
      const page = await call('ListAccountAssignments', () => sso.send(new ListAccountAssignmentsCommand({
        InstanceArn: config.instanceArn, AccountId: accountId, PermissionSetArn: ps, NextToken: token,
      })));
      for (const a of page.AccountAssignments ?? []) {
        present.add(`${a.PermissionSetArn}|${a.PrincipalType}|${a.PrincipalId}`);
      }
      token = page.NextToken;
    } while (token);
  }

  const result: ReconcileResult = { accountId, parentId, created: [], deleted: [], alreadyPresent: [], failed: [] };
  const toCreate = desired.filter((d) => {
    if (!present.has(keyOf(d))) return true;
    result.alreadyPresent.push(keyOf(d));
    return false;
  });
  const ownedKeys = new Set(ledger.map(keyOf));
  const toDelete = ledger.filter((l) => !desiredKeys.has(keyOf(l)));

  async function poll(requestId: string, kind: 'create' | 'delete'): Promise<{ status: string; reason?: string }> {
    const deadline = Date.now() + (options.pollTimeoutMs ?? 10 * 60_000);
    for (;;) {
      const out = kind === 'create'
        ? (await call('DescribeAccountAssignmentCreationStatus', () => sso.send(new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: config.instanceArn, AccountAssignmentCreationRequestId: requestId,
        })))).AccountAssignmentCreationStatus
        : (await call('DescribeAccountAssignmentDeletionStatus', () => sso.send(new DescribeAccountAssignmentDeletionStatusCommand({
          InstanceArn: config.instanceArn, AccountAssignmentDeletionRequestId: requestId,
        })))).AccountAssignmentDeletionStatus;
      const status = out?.Status ?? 'UNKNOWN';
      if (status === 'SUCCEEDED' || status === 'FAILED') return { status, reason: out?.FailureReason };
      if (Date.now() > deadline) return { status: 'FAILED', reason: `still ${status} after the poll timeout` };
      await sleep(options.pollIntervalMs ?? 2_000);
    }
  }

  // creates or deletes one assignment and waits until Identity Center says SUCCEEDED or FAILED
  async function applyAndConfirm(d: Desired, kind: 'create' | 'delete'): Promise<{ status: string; reason?: string }> {
    const input = {
      InstanceArn: config.instanceArn,
      TargetId: accountId,
      TargetType: 'AWS_ACCOUNT' as const,
      PermissionSetArn: d.permissionSetArn,
      PrincipalType: d.principalType as any,
      PrincipalId: d.principalId,
    };
    const status = kind === 'create'
      ? statusOf((await call('CreateAccountAssignment', () => sso.send(new CreateAccountAssignmentCommand(input)))).AccountAssignmentCreationStatus)
      : statusOf((await call('DeleteAccountAssignment', () => sso.send(new DeleteAccountAssignmentCommand(input)))).AccountAssignmentDeletionStatus);
    return status.Status === 'SUCCEEDED' || status.Status === 'FAILED'
      ? { status: status.Status, reason: status.FailureReason }
      : poll(status.RequestId!, kind);
  }

  async function create(d: Desired): Promise<void> {
    const key = keyOf(d);
    try {
      const final = await applyAndConfirm(d, 'create');
      if (final.status === 'SUCCEEDED') {
        await ddb.send(new PutCommand({
          TableName: options.ledgerTable,
          Item: { accountId, assignment: key, ...d, createdAt: new Date().toISOString() },
        }));
        result.created.push(key);
      } else {
        result.failed.push({ assignment: key, reason: final.reason ?? 'creation failed' });
      }
    } catch (err) {
      result.failed.push({ assignment: key, reason: `${(err as Error).name}: ${(err as Error).message}` });
    }
  }

  async function remove(d: Desired): Promise<void> {
    const key = keyOf(d);
    try {
      if (present.has(key)) {
        const final = await applyAndConfirm(d, 'delete');
        if (final.status !== 'SUCCEEDED') {
          result.failed.push({ assignment: key, reason: `deletion: ${final.reason ?? 'failed'}` });
          return;
        }
      }
      await ddb.send(new DeleteCommand({ TableName: options.ledgerTable, Key: { accountId, assignment: key } }));
      result.deleted.push(key);
    } catch (err) {
      result.failed.push({ assignment: key, reason: `deletion: ${(err as Error).name}: ${(err as Error).message}` });
    }
  }

  // at most maxOutstanding creation/deletion operations in flight (Identity Center allows 10 outstanding creations)
  const work: Array<() => Promise<void>> = [
    ...toCreate.map((d) => () => create(d)),
    ...toDelete.filter((d) => ownedKeys.has(keyOf(d))).map((d) => () => remove(d)),
  ];
  const workers = Math.max(1, Math.min(options.maxOutstanding ?? 10, 10));
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(workers, work.length) }, async () => {
    while (next < work.length) await work[next++]();
  }));

  logger.info('reconciled account', { ...result });
  if (result.failed.length > 0) {
    logger.error('assignments failed', { accountId, failed: result.failed });
    if (options.failureTopicArn) {
      await sns.send(new PublishCommand({
        TopicArn: options.failureTopicArn,
        Subject: `Identity Center assignments failed for account ${accountId}`.slice(0, 100),
        Message: JSON.stringify(result, null, 2),
      }));
    }
  }
  return result;
}

function statusOf(s: AccountAssignmentOperationStatus | undefined): AccountAssignmentOperationStatus {
  if (!s) throw new Error('identity center returned no operation status');
  return s;
}

async function ledgerItems(table: string, accountId: string): Promise<Desired[]> {
  const out: Desired[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new QueryCommand({
      TableName: table, KeyConditionExpression: 'accountId = :a', ExpressionAttributeValues: { ':a': accountId }, ExclusiveStartKey: start,
    }));
    for (const item of page.Items ?? []) {
      out.push({ permissionSetArn: item.permissionSetArn, principalType: item.principalType, principalId: item.principalId });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** The account an Organizations event (or a manual `{ "accountId": ... }` invocation) is about, if any. */
export function accountOf(event: any): string | undefined {
  if (typeof event?.accountId === 'string') return event.accountId;
  const detail = event?.detail ?? {};
  if (detail.eventName === 'MoveAccount') return detail.requestParameters?.accountId;
  if (detail.eventName === 'CreateAccountResult') {
    const status = detail.serviceEventDetails?.createAccountStatus;
    return status?.state === 'SUCCEEDED' ? status.accountId : undefined;
  }
  return undefined;
}

/**
 * Queue messages (the Organizations events, which EventBridge puts on the catalog's FIFO queue) one after the other,
 * or a direct invocation with an event or `{ "accountId": ... }`. A failed reconcile throws, so SQS returns the
 * message for a retry (then to the dead-letter queue) and the Errors alarm fires.
 */
export async function handler(event: any): Promise<ReconcileResult | undefined> {
  if (!Array.isArray(event?.Records)) return reconcileEvent(event);
  let last: ReconcileResult | undefined;
  for (const record of event.Records) {
    if (record.eventSource !== 'aws:sqs') throw new Error(`the reconciler reads SQS records only, got eventSource '${record.eventSource}'`);
    last = await reconcileEvent(JSON.parse(record.body));
  }
  return last;
}

async function reconcileEvent(event: unknown): Promise<ReconcileResult | undefined> {
  const accountId = accountOf(event);
  if (!accountId) {
    logger.info('event names no account to reconcile', { event: event as any });
    return undefined;
  }
  const result = await reconcile(accountId, {
    config: JSON.parse(process.env.RECONCILER_CONFIG ?? '{"instanceArn":"","rules":[],"parents":{}}'),
    ledgerTable: process.env.LEDGER_TABLE!,
    failureTopicArn: process.env.FAILURE_TOPIC_ARN,
    maxTps: Number(process.env.MAX_TPS ?? 10),
  });
  if (result.failed.length > 0) {
    // fail the invocation too: the Errors alarm fires and SQS delivers the message again to the (idempotent) reconcile
    throw new Error(`${result.failed.length} assignment(s) failed for account ${accountId}: ${result.failed.map((f) => `${f.assignment} (${f.reason})`).join('; ')}`);
  }
  return result;
}
