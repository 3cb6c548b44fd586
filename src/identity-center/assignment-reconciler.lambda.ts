// Reconciles the OU-targeted assignments of a PermissionSetCatalog for one account that was created or moved after
// the catalog was deployed. Runs in Lambda: aws-sdk v3 and Powertools only, never aws-cdk-lib.
//
// The decisions (what the account should hold, what to create, which of the reconciler's own assignments to delete,
// pacing and retries) are pure functions in assignment-reconciler-policy.ts; this file makes the AWS calls. The
// reconciler deletes only assignments its ledger table records as its own: the catalog's static assignments
// (CloudFormation's) are never touched here; the next deploy, with the updated organization model, adjusts those.
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
import {
  accountOf,
  Assignment,
  assignmentKey,
  callIntervalMs,
  changesFor,
  creationFailure,
  deletionFailure,
  desiredAssignments,
  errorReason,
  failureMessage,
  failureSubject,
  ledgerAssignment,
  ledgerItem,
  listedKeys,
  Outcome,
  outcomeOf,
  permissionSetsToRead,
  ReconcilerConfig,
  Removal,
  retryDelayMs,
  workerCount,
} from './assignment-reconciler-policy';

export { accountOf } from './assignment-reconciler-policy';
export type { ReconcilerConfig } from './assignment-reconciler-policy';

const logger = new Logger({ serviceName: 'assignment-reconciler' });

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

const sso = new SSOAdminClient({ maxAttempts: 1 });
const organizations = new OrganizationsClient({ region: 'us-east-1' });
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sns = new SNSClient({});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reconciles one account. Exported for tests; `handler` reads the options from the environment. */
export async function reconcile(accountId: string, options: ReconcileOptions): Promise<ReconcileResult> {
  const identityCenter = new IdentityCenter(options);
  const parentId = await parentOf(accountId);
  const { desired, knownParent } = desiredAssignments(options.config, parentId, accountId);
  if (!knownParent) {
    logger.warn('the account sits in an ou the organization model does not know: no ou-targeted rule applies', { accountId, parentId });
  }
  const ledger = await ledgerItems(options.ledgerTable, accountId);
  const present = await identityCenter.presentKeys(accountId, permissionSetsToRead(desired, ledger));
  const changes = changesFor(desired, present, ledger);

  const result: ReconcileResult = { accountId, parentId, created: [], deleted: [], alreadyPresent: changes.alreadyPresent, failed: [] };
  const run: Run = { accountId, ledgerTable: options.ledgerTable, identityCenter, result };
  const work = [
    ...changes.toCreate.map((a) => () => create(run, a)),
    ...changes.toRemove.map((r) => () => remove(run, r)),
  ];
  await runAtMost(workerCount(options.maxOutstanding, work.length), work);

  logger.info('reconciled account', { ...result });
  await reportFailures(result, options.failureTopicArn);
  return result;
}

/** What the creation and deletion steps of one reconcile share. */
interface Run {
  readonly accountId: string;
  readonly ledgerTable: string;
  readonly identityCenter: IdentityCenter;
  readonly result: ReconcileResult;
}

/** The account's parent (OU or root), one level up. */
async function parentOf(accountId: string): Promise<string | undefined> {
  const parents = await organizations.send(new ListParentsCommand({ ChildId: accountId }));
  return parents.Parents?.[0]?.Id;
}

/** The assignments the reconciler created in the account, from its ledger. */
async function ledgerItems(table: string, accountId: string): Promise<Assignment[]> {
  const out: Assignment[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new QueryCommand({
      TableName: table, KeyConditionExpression: 'accountId = :a', ExpressionAttributeValues: { ':a': accountId }, ExclusiveStartKey: start,
    }));
    out.push(...(page.Items ?? []).map(ledgerAssignment));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Creates a missing assignment and records it in the ledger as the reconciler's own. */
async function create(run: Run, a: Assignment): Promise<void> {
  const key = assignmentKey(a);
  try {
    const outcome = await run.identityCenter.apply('create', run.accountId, a);
    if (outcome.status !== 'SUCCEEDED') {
      run.result.failed.push({ assignment: key, reason: creationFailure(outcome.reason) });
      return;
    }
    await ddb.send(new PutCommand({ TableName: run.ledgerTable, Item: ledgerItem(run.accountId, a, new Date().toISOString()) }));
    run.result.created.push(key);
  } catch (err) {
    run.result.failed.push({ assignment: key, reason: errorReason(err) });
  }
}

/** Deletes one of the reconciler's own assignments (if Identity Center still holds it), then its ledger entry. */
async function remove(run: Run, { assignment, assigned }: Removal): Promise<void> {
  const key = assignmentKey(assignment);
  try {
    if (assigned) {
      const outcome = await run.identityCenter.apply('delete', run.accountId, assignment);
      if (outcome.status !== 'SUCCEEDED') {
        run.result.failed.push({ assignment: key, reason: deletionFailure(outcome.reason) });
        return;
      }
    }
    await ddb.send(new DeleteCommand({ TableName: run.ledgerTable, Key: { accountId: run.accountId, assignment: key } }));
    run.result.deleted.push(key);
  } catch (err) {
    run.result.failed.push({ assignment: key, reason: deletionFailure(errorReason(err)) });
  }
}

/** Runs the tasks in order, `workers` at a time (Identity Center allows 10 outstanding creations). */
async function runAtMost(workers: number, tasks: ReadonlyArray<() => Promise<void>>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < tasks.length) await tasks[next++]();
  }));
}

/** Logs failed assignments and publishes them to the failure topic, if any. */
async function reportFailures(result: ReconcileResult, failureTopicArn: string | undefined): Promise<void> {
  if (result.failed.length === 0) return;
  logger.error('assignments failed', { accountId: result.accountId, failed: result.failed });
  if (!failureTopicArn) return;
  await sns.send(new PublishCommand({
    TopicArn: failureTopicArn,
    Subject: failureSubject(result.accountId),
    Message: JSON.stringify(result, null, 2),
  }));
}

/** Spaces calls at least `intervalMs` apart, across all concurrent workers. */
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

/** The Identity Center calls of one reconcile: each paced by one limiter, throttling and conflicts retried with backoff. */
class IdentityCenter {
  private readonly limiter: RateLimiter;
  private readonly instanceArn: string;

  constructor(private readonly options: ReconcileOptions) {
    this.limiter = new RateLimiter(callIntervalMs(options.maxTps));
    this.instanceArn = options.config.instanceArn;
  }

  /** The keys of the assignments the account holds of these permission sets. */
  public async presentKeys(accountId: string, permissionSets: readonly string[]): Promise<Set<string>> {
    const present = new Set<string>();
    for (const ps of permissionSets) {
      let token: string | undefined;
      do {
        const page = await this.call('ListAccountAssignments', () => sso.send(new ListAccountAssignmentsCommand({
          InstanceArn: this.instanceArn, AccountId: accountId, PermissionSetArn: ps, NextToken: token,
        })));
        listedKeys(page.AccountAssignments ?? []).forEach((k) => present.add(k));
        token = page.NextToken;
      } while (token);
    }
    return present;
  }

  /** Creates or deletes one assignment and waits until Identity Center says SUCCEEDED or FAILED. */
  public async apply(kind: 'create' | 'delete', accountId: string, a: Assignment): Promise<Outcome> {
    const input = {
      InstanceArn: this.instanceArn,
      TargetId: accountId,
      TargetType: 'AWS_ACCOUNT' as const,
      PermissionSetArn: a.permissionSetArn,
      PrincipalType: a.principalType as any,
      PrincipalId: a.principalId,
    };
    const status = kind === 'create'
      ? statusOf((await this.call('CreateAccountAssignment', () => sso.send(new CreateAccountAssignmentCommand(input)))).AccountAssignmentCreationStatus)
      : statusOf((await this.call('DeleteAccountAssignment', () => sso.send(new DeleteAccountAssignmentCommand(input)))).AccountAssignmentDeletionStatus);
    return outcomeOf(status.Status, status.FailureReason, false) ?? this.poll(status.RequestId!, kind);
  }

  private async poll(requestId: string, kind: 'create' | 'delete'): Promise<Outcome> {
    const deadline = Date.now() + (this.options.pollTimeoutMs ?? 10 * 60_000);
    for (;;) {
      const out = kind === 'create'
        ? (await this.call('DescribeAccountAssignmentCreationStatus', () => sso.send(new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: this.instanceArn, AccountAssignmentCreationRequestId: requestId,
        })))).AccountAssignmentCreationStatus
        : (await this.call('DescribeAccountAssignmentDeletionStatus', () => sso.send(new DescribeAccountAssignmentDeletionStatusCommand({
          InstanceArn: this.instanceArn, AccountAssignmentDeletionRequestId: requestId,
        })))).AccountAssignmentDeletionStatus;
      const outcome = outcomeOf(out?.Status, out?.FailureReason, Date.now() > deadline);
      if (outcome) return outcome;
      await sleep(this.options.pollIntervalMs ?? 2_000);
    }
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.limiter.acquire();
      try {
        return await fn();
      } catch (err) {
        const name = (err as { name?: string }).name ?? '';
        const delay = retryDelayMs(name, attempt, this.options.maxAttempts ?? 8, this.options.backoffBaseMs ?? 200, Math.random());
        if (delay === undefined) throw err;
        logger.warn('retrying identity center call', { what, error: name, attempt, delayMs: delay });
        await sleep(delay);
      }
    }
  }
}

function statusOf(s: AccountAssignmentOperationStatus | undefined): AccountAssignmentOperationStatus {
  if (!s) throw new Error('identity center returned no operation status');
  return s;
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
    throw new Error(failureMessage(accountId, result.failed));
  }
  return result;
}
