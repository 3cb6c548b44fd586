// Jump-account elevated access over plain IAM: the compiled rules, their evaluation, and the IAM documents a grant
// and a revoke write. Pure code (no AWS SDK, no aws-cdk-lib): the plan compiles the rules into `JumpAccessConfig`,
// the state machine's steps render the documents, and the simulator tests evaluate exactly these documents.
import { CompiledAccountScope, requestProblems } from './policy';

/** A jump-account principal named by a rule, by IAM name. */
export interface JumpRef {
  readonly type: 'GROUP' | 'USER';
  readonly name: string;
}

/**
 * One compiled jump eligibility rule: jump principals x accounts x elevated roles. With `organizationalUnits` it
 * follows OUs (`jumpAccess.followOrganizationalUnits`): its accounts are where Organizations places them at each
 * decision, as for the Identity Center rules.
 */
export interface CompiledJumpRule extends CompiledAccountScope {
  readonly name: string;
  readonly principals: JumpRef[];
  /** Elevated role names (`lz-elevated-<level>`). */
  readonly roles: string[];
  readonly maxDurationSeconds: number;
  /** 0 = none, 1 = any one approver, n = n distinct approvers. */
  readonly approvals: number;
  readonly ticketPattern?: string;
  readonly justificationRequired: boolean;
}

/** One compiled approver rule for jump requests: jump principals and/or Identity Center principals (by id). */
export interface CompiledJumpApproverRule extends CompiledAccountScope {
  readonly name: string;
  readonly jumpApprovers: JumpRef[];
  readonly identityCenterApprovers: Array<{ readonly type: 'GROUP' | 'USER'; readonly id: string }>;
  readonly roles: string[];
}

/** The jump part of the workflow's configuration. */
export interface JumpAccessConfig {
  readonly jumpAccountId: string;
  readonly partition: string;
  /** Longest session of every elevated role: how long a revoke's session deny must stay. */
  readonly elevatedSessionSeconds: number;
  readonly eligibility: CompiledJumpRule[];
  readonly approverRules: CompiledJumpApproverRule[];
}

/** Every inline policy the workflow writes on a jump user starts with this; it deletes no other. */
export const GRANT_POLICY_PREFIX = 'lz-elevated-grant-';
/** Every inline policy the workflow writes on an elevated role to end sessions starts with this. */
export const REVOKE_POLICY_PREFIX = 'lz-elevated-revoke-';
/** Prefix of the elevated roles (`ElevatedRoles`): the API maps a permission level to `lz-elevated-<level>`. */
export const ELEVATED_ROLE_PREFIX = 'lz-elevated-';

/** What a jump user asks for, with the groups IAM lists for them now. */
export interface JumpAsk {
  readonly userName: string;
  readonly groups: string[];
  readonly accountId: string;
  readonly roleName: string;
  readonly durationSeconds: number;
  readonly ticketId?: string;
  readonly justification?: string;
}

/** The strictest of the matching rules. */
export interface JumpEffectivePolicy {
  readonly matchedRules: string[];
  readonly approvals: number;
  readonly maxDurationSeconds: number;
  readonly ticketPatterns: string[];
  readonly justificationRequired: boolean;
}

/** A refusal by the rules; named `PolicyError` like the Identity Center one, which the state machine catches. */
export class JumpPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

function jumpMatches(refs: JumpRef[], userName: string, groups: string[]): boolean {
  // IAM names are unique case-insensitively
  const u = userName.toLowerCase();
  const g = new Set(groups.map((x) => x.toLowerCase()));
  return refs.some((r) => (r.type === 'USER' ? r.name.toLowerCase() === u : g.has(r.name.toLowerCase())));
}

/** Same precedence as the Identity Center rules: only rules matching user AND account AND role decide; the stricter wins. */
export function evaluateJumpRequest(config: JumpAccessConfig, ask: JumpAsk): JumpEffectivePolicy {
  const matching = config.eligibility.filter((r) =>
    r.accounts.includes(ask.accountId) && r.roles.includes(ask.roleName) && jumpMatches(r.principals, ask.userName, ask.groups));
  if (matching.length === 0) {
    throw new JumpPolicyError(`no eligibility rule allows jump user '${ask.userName}' role '${ask.roleName}' on account '${ask.accountId}'`);
  }
  const policy: JumpEffectivePolicy = {
    matchedRules: matching.map((r) => r.name),
    approvals: Math.max(...matching.map((r) => r.approvals)),
    maxDurationSeconds: Math.min(...matching.map((r) => r.maxDurationSeconds)),
    ticketPatterns: [...new Set(matching.flatMap((r) => (r.ticketPattern ? [r.ticketPattern] : [])))],
    justificationRequired: matching.some((r) => r.justificationRequired),
  };
  const problems = requestProblems(policy, ask);
  if (problems.length > 0) throw new JumpPolicyError(problems.join('; '));
  return policy;
}

/** An approver as IAM or the identity store knows them now. `id` is the jump user name or the identity store user id. */
export interface JumpApprover {
  readonly kind: 'JUMP' | 'IDENTITY_CENTER';
  readonly id: string;
  readonly groups: string[];
}

/** Whether this approver may decide on this account and role. */
export function isJumpApprover(config: JumpAccessConfig, a: JumpApprover, accountId: string, roleName: string): boolean {
  return config.approverRules.some((r) => r.accounts.includes(accountId) && r.roles.includes(roleName) && (a.kind === 'JUMP'
    ? jumpMatches(r.jumpApprovers, a.id, a.groups)
    : r.identityCenterApprovers.some((p) => (p.type === 'USER' ? p.id === a.id : a.groups.includes(p.id)))));
}

/** The approvals that still count just before the grant: eligible now, never the requester, each once. */
export function jumpApprovalsStillValid(
  config: JumpAccessConfig, requester: string, accountId: string, roleName: string, approvers: JumpApprover[],
): string[] {
  const valid = new Set<string>();
  for (const a of approvers) {
    const self = a.kind === 'JUMP' && a.id.toLowerCase() === requester.toLowerCase();
    if (!self && isJumpApprover(config, a, accountId, roleName)) valid.add(`${a.kind}:${a.kind === 'JUMP' ? a.id.toLowerCase() : a.id}`);
  }
  return [...valid];
}

/** The inline policy name of one request's grant on the jump user (128 characters at most). */
export function grantPolicyName(requestId: string): string {
  return `${GRANT_POLICY_PREFIX}${requestId}`;
}

/** The inline policy name of one revoke's session deny on the elevated role. */
export function revokePolicyName(requestId: string): string {
  return `${REVOKE_POLICY_PREFIX}${requestId}`;
}

/** Key prefix of the grants table's reference counts of jump grants (`JUMP#<user>#<account>#<role>`). */
export const JUMP_HOLDERS_PREFIX = 'JUMP#';

/** The revoker role (`ElevatedRoles`, path `/landing-zone/`) of a target account. */
export function revokerRoleArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:role/landing-zone/lz-elevated-revoker`;
}

export function elevatedRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** IAM's date format for `aws:CurrentTime` and `aws:TokenIssueTime` comparisons, to the second. */
function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The grant: assume exactly this account's elevated role, with MFA, only before `endAt`. It stops working at the end
 * by itself, so a revoke that never runs still ends the access (sessions issued before then last at most the role's
 * 1-hour maximum, and the revoke's session deny cuts them).
 */
export function grantPolicyDocument(partition: string, accountId: string, roleName: string, endAt: Date): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'ElevatedUntilEnd',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: elevatedRoleArn(partition, accountId, roleName),
      Condition: {
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        DateLessThan: { 'aws:CurrentTime': isoSeconds(endAt) },
      },
    }],
  };
}

/**
 * The session cut-off written on the elevated role at a revoke: every session of this user (its `aws:userid` is
 * `<role id>:<session name>`, and the trust pins the session name to the user name) issued before `revokedAt` is
 * denied everything. Sessions issued later, under a new grant, are not.
 */
export function revokePolicyDocument(userName: string, revokedAt: Date): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'EndSessionsIssuedBeforeRevoke',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        StringLike: { 'aws:userid': `*:${userName}` },
        // rounded up: a session issued in the revoke's own second, before it, must not slip through
        DateLessThan: { 'aws:TokenIssueTime': isoSeconds(new Date(Math.ceil(revokedAt.getTime() / 1000) * 1000)) },
      },
    }],
  };
}

/** What the reconciler does with one inline policy it found on a jump user or an elevated role, and why. */
export interface SweepDecision {
  readonly remove: boolean;
  readonly reason: string;
  /** The request that wrote it, when the name is the workflow's. */
  readonly requestId?: string;
}

/** The request ids the API makes (`randomUUID`): a name with anything else after the prefix is not the workflow's. */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The request id in a policy name the workflow wrote (`<prefix><request id>`, exactly); undefined for any other name. */
export function requestIdOfPolicyName(prefix: string, policyName: string): string | undefined {
  if (!policyName.startsWith(prefix)) return undefined;
  const id = policyName.slice(prefix.length);
  return REQUEST_ID.test(id) ? id : undefined;
}

/** The one statement of a document shaped as the workflow writes it, or undefined. */
function onlyStatement(document: unknown, effect: string): Record<string, any> | undefined {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length !== 1 || typeof list[0] !== 'object' || list[0] === null) return undefined;
  return list[0].Effect === effect ? list[0] : undefined;
}

/** A date condition value as milliseconds, or undefined when it is not a date IAM would compare. */
function dateOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A grant policy found on a jump user. Removed when its end has passed (it no longer works: tidying) or when its
 * request holds no live grant (its execution ended without the revoke); kept while a live grant holds it. Never
 * removed when the name is not exactly `lz-elevated-grant-<request id>` or the document is not the grant's shape:
 * the reconciler deletes only what it can tell the workflow wrote.
 */
export function sweepGrantPolicy(policyName: string, document: unknown, now: number, liveHolders: ReadonlySet<string>): SweepDecision {
  const requestId = requestIdOfPolicyName(GRANT_POLICY_PREFIX, policyName);
  if (!requestId) return { remove: false, reason: 'not a grant policy name of the workflow' };
  const st = onlyStatement(document, 'Allow');
  const end = dateOf(st?.Condition?.DateLessThan?.['aws:CurrentTime']);
  if (!st || st.Action !== 'sts:AssumeRole' || end === undefined) return { remove: false, reason: 'not a grant document of the workflow', requestId };
  if (now >= end) return { remove: true, reason: `its end ${new Date(end).toISOString()} has passed`, requestId };
  if (!liveHolders.has(requestId)) return { remove: true, reason: 'no live grant holds it', requestId };
  return { remove: false, reason: 'a live grant holds it', requestId };
}

/**
 * A session deny found on an elevated role. Needed only until every session issued before the revoke has ended (the
 * role's longest session plus the minute the state machine adds), then removed; same name and shape rules as grants.
 */
export function sweepSessionDeny(policyName: string, document: unknown, now: number, elevatedSessionSeconds: number): SweepDecision {
  const requestId = requestIdOfPolicyName(REVOKE_POLICY_PREFIX, policyName);
  if (!requestId) return { remove: false, reason: 'not a session deny name of the workflow' };
  const st = onlyStatement(document, 'Deny');
  const revokedAt = dateOf(st?.Condition?.DateLessThan?.['aws:TokenIssueTime']);
  if (!st || revokedAt === undefined) return { remove: false, reason: 'not a session deny document of the workflow', requestId };
  const until = revokedAt + (elevatedSessionSeconds + 60) * 1000;
  if (now >= until) return { remove: true, reason: `every session it cuts ended by ${new Date(until).toISOString()}`, requestId };
  return { remove: false, reason: `sessions it cuts may last until ${new Date(until).toISOString()}`, requestId };
}
