// The assignment reconciler's decisions, pure (no AWS SDK, no clock, no randomness): which assignments an account
// should hold, which to create, which of the reconciler's own to delete, and how Identity Center calls are paced,
// retried and judged. assignment-reconciler.lambda.ts makes the calls.
//
// Ownership: the reconciler deletes only assignments its ledger records as its own. Assignments CloudFormation created
// (the catalog's static assignments) are never in the ledger, so never deleted here.

/** The configuration the catalog generates at synth (environment variable RECONCILER_CONFIG). */
export interface ReconcilerConfig {
  readonly instanceArn: string;
  /** OU-targeted rules: permission set arn, principal type and id, accounts the rule excludes. */
  readonly rules: Array<{ p: string; t: string; i: string; x?: string[] }>;
  /** For each parent (OU id or root id): the rules an account placed directly in it receives. */
  readonly parents: Record<string, number[]>;
}

/** One account assignment of a permission set to a principal (the target account is the reconciled one). */
export interface Assignment {
  readonly permissionSetArn: string;
  readonly principalType: string;
  readonly principalId: string;
}

/** An assignment's key, as the ledger's sort key and the result lists name it. */
export function assignmentKey(a: Assignment): string {
  return `${a.permissionSetArn}|${a.principalType}|${a.principalId}`;
}

/** The keys of an Identity Center ListAccountAssignments page. */
export function listedKeys(listed: ReadonlyArray<{ PermissionSetArn?: string; PrincipalType?: string; PrincipalId?: string }>): string[] {
  return listed.map((a) => `${a.PermissionSetArn}|${a.PrincipalType}|${a.PrincipalId}`);
}

/** What the rules give an account placed directly in `parentId`; `knownParent` is false for a parent the model lacks. */
export function desiredAssignments(config: ReconcilerConfig, parentId: string | undefined, accountId: string): {
  readonly desired: Assignment[];
  readonly knownParent: boolean;
} {
  const ruleIds = parentId ? config.parents[parentId] : undefined;
  const desired = (ruleIds ?? [])
    .map((i) => config.rules[i])
    .filter((r) => !r.x?.includes(accountId))
    .map((r) => ({ permissionSetArn: r.p, principalType: r.t, principalId: r.i }));
  return { desired, knownParent: !(parentId && !ruleIds) };
}

/** The permission sets whose assignments in the account must be read: the desired ones and the ledger's. */
export function permissionSetsToRead(desired: readonly Assignment[], ledger: readonly Assignment[]): string[] {
  return [...new Set([...desired, ...ledger].map((a) => a.permissionSetArn))];
}

/** A ledger entry to delete; `assigned` when Identity Center still holds it (else only the stale entry goes). */
export interface Removal {
  readonly assignment: Assignment;
  readonly assigned: boolean;
}

export interface Changes {
  /** Desired and missing. */
  readonly toCreate: Assignment[];
  /** Desired and held already (by whoever created them): keys. */
  readonly alreadyPresent: string[];
  /** The reconciler's own (in the ledger) and no longer desired. */
  readonly toRemove: Removal[];
}

/** What to change, given the desired assignments, the keys the account holds and the reconciler's ledger. */
export function changesFor(desired: readonly Assignment[], present: ReadonlySet<string>, ledger: readonly Assignment[]): Changes {
  const desiredKeys = new Set(desired.map(assignmentKey));
  return {
    toCreate: desired.filter((d) => !present.has(assignmentKey(d))),
    alreadyPresent: desired.map(assignmentKey).filter((k) => present.has(k)),
    toRemove: ledger
      .filter((l) => !desiredKeys.has(assignmentKey(l)))
      .map((l) => ({ assignment: l, assigned: present.has(assignmentKey(l)) })),
  };
}

/** The ledger item recording an assignment the reconciler created. */
export function ledgerItem(accountId: string, a: Assignment, createdAt: string): Record<string, string> {
  return {
    accountId,
    assignment: assignmentKey(a),
    permissionSetArn: a.permissionSetArn,
    principalType: a.principalType,
    principalId: a.principalId,
    createdAt,
  };
}

/** The assignment a ledger item records. */
export function ledgerAssignment(item: Record<string, any>): Assignment {
  return { permissionSetArn: item.permissionSetArn, principalType: item.principalType, principalId: item.principalId };
}

/** Identity Center's quotas: under 20 calls per second, at most 10 outstanding assignment creations. */
export const MAX_TPS = 19;
export const MAX_OUTSTANDING = 10;

/** The spacing of Identity Center calls for `maxTps` (default 10), capped at the quota. */
export function callIntervalMs(maxTps: number | undefined): number {
  return 1000 / Math.min(maxTps ?? 10, MAX_TPS);
}

/** How many creations and deletions run at once: `maxOutstanding` (default 10) within 1..10, no more than the work. */
export function workerCount(maxOutstanding: number | undefined, work: number): number {
  return Math.min(Math.max(1, Math.min(maxOutstanding ?? MAX_OUTSTANDING, MAX_OUTSTANDING)), work);
}

const RETRYABLE = new Set(['ThrottlingException', 'ConflictException', 'TooManyRequestsException', 'InternalServerException']);

/**
 * The wait before retrying a failed Identity Center call, or undefined to give up: only throttling, conflicts and
 * internal errors are retried, `maxAttempts` times in all, with exponential backoff and `jitter` (0..1) spreading it
 * over its upper half.
 */
export function retryDelayMs(errorName: string, attempt: number, maxAttempts: number, backoffBaseMs: number, jitter: number): number | undefined {
  if (!RETRYABLE.has(errorName) || attempt >= maxAttempts) return undefined;
  return Math.round(backoffBaseMs * 2 ** (attempt - 1) * (0.5 + jitter / 2));
}

/** The end of a creation or deletion: SUCCEEDED or FAILED, with Identity Center's reason. */
export interface Outcome {
  readonly status: string;
  readonly reason?: string;
}

/** The outcome an operation status reports, or undefined while it is still running and the poll has time left. */
export function outcomeOf(status: string | undefined, reason: string | undefined, timedOut: boolean): Outcome | undefined {
  const s = status ?? 'UNKNOWN';
  if (s === 'SUCCEEDED' || s === 'FAILED') return { status: s, reason };
  return timedOut ? { status: 'FAILED', reason: `still ${s} after the poll timeout` } : undefined;
}

/** The failure reason of a creation that did not succeed: Identity Center's, if it gave one. */
export function creationFailure(reason: string | undefined): string {
  return reason ?? 'creation failed';
}

/** The failure reason of a deletion that did not succeed or threw (`reason`, if known). */
export function deletionFailure(reason: string | undefined): string {
  return `deletion: ${reason ?? 'failed'}`;
}

/** The failure reason of a call that threw. */
export function errorReason(err: unknown): string {
  return `${(err as Error).name}: ${(err as Error).message}`;
}

/** The failure notice's subject (SNS allows 100 characters). */
export function failureSubject(accountId: string): string {
  return `Identity Center assignments failed for account ${accountId}`.slice(0, 100);
}

/** The error that fails the invocation when assignments failed, so the Errors alarm fires and SQS retries. */
export function failureMessage(accountId: string, failed: ReadonlyArray<{ assignment: string; reason: string }>): string {
  return `${failed.length} assignment(s) failed for account ${accountId}: ${failed.map((f) => `${f.assignment} (${f.reason})`).join('; ')}`;
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
