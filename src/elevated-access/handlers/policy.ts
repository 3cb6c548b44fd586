// The compiled rule configuration and its evaluation. Pure code: no AWS SDK, no aws-cdk-lib. The construct writes
// this configuration at synth time; the handlers read it and enforce it, so the backend decides, never a UI.
import type { JumpAccessConfig } from './jump-grants';

/** A principal named by a rule: an Identity Center group or user (by identity store id). */
export interface PrincipalRef {
  readonly type: 'GROUP' | 'USER';
  readonly id: string;
}

/**
 * An OU (or the root) whose accounts a rule covers as AWS Organizations places them when a decision is made
 * (`followOrganizationalUnits`), not as the model placed them at synth.
 */
export interface CompiledOrganizationalUnit {
  /** `ou-...` or `r-...`. */
  readonly id: string;
  /** Whether accounts of nested OUs are covered too; otherwise only the OU's own accounts. */
  readonly recursive: boolean;
}

/**
 * Where a rule applies: `accounts`, or, when it follows OUs, the accounts under `organizationalUnits` except
 * `excludedAccounts` (and the configuration's `refusedAccounts`); `accounts` then only records the synth's view.
 */
export interface CompiledAccountScope {
  readonly accounts: string[];
  readonly organizationalUnits?: CompiledOrganizationalUnit[];
  readonly excludedAccounts?: string[];
}

/** One compiled eligibility rule. `approvals`: 0 = none, 1 = any one approver, n = n distinct approvers. */
export interface CompiledEligibilityRule extends CompiledAccountScope {
  readonly name: string;
  readonly principals: PrincipalRef[];
  readonly permissionSets: string[];
  readonly maxDurationSeconds: number;
  readonly approvals: number;
  readonly ticketPattern?: string;
  readonly justificationRequired: boolean;
  /** Self-approval in an incident, on a subset of the rule's accounts and permission sets. */
  readonly breakGlass?: CompiledBreakGlass;
}

/** The break-glass part of a rule. */
export interface CompiledBreakGlass extends CompiledAccountScope {
  readonly permissionSets: string[];
  readonly maxDurationSeconds: number;
  readonly reviewWithinSeconds: number;
}

/** One compiled approver rule. */
export interface CompiledApproverRule extends CompiledAccountScope {
  readonly name: string;
  readonly approvers: PrincipalRef[];
  readonly permissionSets: string[];
}

export interface CompiledPermissionSet {
  readonly name: string;
  readonly instanceArn: string;
  readonly sessionSeconds: number;
  /** Name of the CloudWatch Logs Insights query definition over the organization trail for this permission set. */
  readonly queryDefinitionName?: string;
}

/** The whole configuration, as stored for the handlers. */
export interface AccessConfig {
  readonly version: 1;
  readonly pendingExpirySeconds: number;
  readonly maxScheduleAheadSeconds: number;
  readonly permissionSets: Record<string, CompiledPermissionSet>;
  readonly eligibility: CompiledEligibilityRule[];
  readonly approverRules: CompiledApproverRule[];
  /** Jump-account users' elevated access over IAM, when the workflow has jump rules. */
  readonly jump?: JumpAccessConfig;
  /**
   * Accounts no rule that follows OUs may cover, wherever Organizations places them: the management account and the
   * host account.
   */
  readonly refusedAccounts?: string[];
}

/** Whether some rule (the jump rules too) follows OUs, so a decision needs the account's parents from AWS Organizations. */
export function followsOrganizationalUnits(config: AccessConfig): boolean {
  return scopes(config).some((s) => s.organizationalUnits !== undefined);
}

function scopes(config: AccessConfig): CompiledAccountScope[] {
  return [...config.eligibility, ...config.eligibility.flatMap((r) => (r.breakGlass ? [r.breakGlass] : [])), ...config.approverRules,
    ...(config.jump ? [...config.jump.eligibility, ...config.jump.approverRules] : [])];
}

/**
 * Whether a scope covers the account. `parents`: the account's parent, its parent's, and so on to the root, as AWS
 * Organizations answers now; without them a scope that follows OUs covers nothing (fail closed).
 */
export function scopeCovers(config: AccessConfig, scope: CompiledAccountScope, accountId: string, parents?: string[]): boolean {
  if (scope.organizationalUnits === undefined) return scope.accounts.includes(accountId);
  if (parents === undefined || parents.length === 0) return false;
  if ((config.refusedAccounts ?? []).includes(accountId) || (scope.excludedAccounts ?? []).includes(accountId)) return false;
  return scope.organizationalUnits.some((ou) => (ou.recursive ? parents.includes(ou.id) : parents[0] === ou.id));
}

/**
 * The configuration as it applies to these accounts, given each one's parents: a scope that follows OUs lists exactly
 * the accounts it covers now, so every decision below reads `accounts` alone (the jump rules' too, which never cover
 * the jump account). Scopes that do not follow OUs are kept.
 */
export function configFor(config: AccessConfig, parentsByAccount: ReadonlyMap<string, string[]>): AccessConfig {
  const resolver = (refusing: AccessConfig) => <T extends CompiledAccountScope>(scope: T): T => scope.organizationalUnits === undefined ? scope
    : { ...scope, accounts: [...parentsByAccount].filter(([id, parents]) => scopeCovers(refusing, scope, id, parents)).map(([id]) => id) };
  const resolve = resolver(config);
  const resolveJump = (jump: JumpAccessConfig): JumpAccessConfig => {
    // an elevated role is never granted in the jump account, wherever Organizations places it later
    const r = resolver({ ...config, refusedAccounts: [...(config.refusedAccounts ?? []), jump.jumpAccountId] });
    return { ...jump, eligibility: jump.eligibility.map(r), approverRules: jump.approverRules.map(r) };
  };
  return {
    ...config,
    eligibility: config.eligibility.map((r) => resolve(r.breakGlass ? { ...r, breakGlass: resolve(r.breakGlass) } : r)),
    approverRules: config.approverRules.map(resolve),
    ...(config.jump ? { jump: resolveJump(config.jump) } : {}),
  };
}

/** What a request asks for. */
export interface AccessAsk {
  readonly principalId: string;
  readonly groupIds: string[];
  readonly accountId: string;
  readonly permissionSetArn: string;
  readonly durationSeconds: number;
  readonly ticketId?: string;
  readonly justification?: string;
}

/** The effective policy for one (principal, account, permission set): the strictest of the matching rules. */
export interface EffectivePolicy {
  readonly matchedRules: string[];
  readonly approvals: number;
  readonly maxDurationSeconds: number;
  readonly ticketPatterns: string[];
  readonly justificationRequired: boolean;
}

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

function principalMatches(refs: PrincipalRef[], principalId: string, groupIds: string[]): boolean {
  return refs.some((p) => (p.type === 'USER' ? p.id === principalId : groupIds.includes(p.id)));
}

/**
 * Precedence: only rules matching principal AND account AND permission set decide; between them the stricter wins
 * per attribute (most approvals, shortest duration, every ticket pattern, justification if any requires it).
 * The permission set's session duration caps the duration too.
 */
export function effectivePolicy(config: AccessConfig, ask: Omit<AccessAsk, 'durationSeconds'>): EffectivePolicy | undefined {
  const matching = config.eligibility.filter((r) =>
    r.accounts.includes(ask.accountId)
    && r.permissionSets.includes(ask.permissionSetArn)
    && principalMatches(r.principals, ask.principalId, ask.groupIds));
  if (matching.length === 0) return undefined;
  const ps = config.permissionSets[ask.permissionSetArn];
  const session = ps ? ps.sessionSeconds : Number.MAX_SAFE_INTEGER;
  return {
    matchedRules: matching.map((r) => r.name),
    approvals: Math.max(...matching.map((r) => r.approvals)),
    maxDurationSeconds: Math.min(session, ...matching.map((r) => r.maxDurationSeconds)),
    ticketPatterns: [...new Set(matching.flatMap((r) => (r.ticketPattern ? [r.ticketPattern] : [])))],
    justificationRequired: matching.some((r) => r.justificationRequired),
  };
}

/** Checks a request against the configuration; throws `PolicyError` with a message for the requester. */
export function evaluateRequest(config: AccessConfig, ask: AccessAsk): EffectivePolicy {
  if (!config.permissionSets[ask.permissionSetArn]) {
    throw new PolicyError(`permission set '${ask.permissionSetArn}' is not managed by this workflow`);
  }
  const policy = effectivePolicy(config, ask);
  if (!policy) {
    throw new PolicyError(
      `no eligibility rule allows principal '${ask.principalId}' permission set '${ask.permissionSetArn}' on account '${ask.accountId}'`);
  }
  const problems = requestProblems(policy, ask);
  if (problems.length > 0) throw new PolicyError(problems.join('; '));
  return policy;
}

/**
 * What a request breaks of the rules that match it: the duration, every ticket pattern, the justification. Shared by
 * the Identity Center and the jump requests, so both are held to the same rules; each throws its own error.
 */
export function requestProblems(
  policy: Pick<EffectivePolicy, 'maxDurationSeconds' | 'ticketPatterns' | 'justificationRequired'>,
  ask: Pick<AccessAsk, 'durationSeconds' | 'ticketId' | 'justification'>,
): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(ask.durationSeconds) || ask.durationSeconds < 60) {
    problems.push(`duration must be a whole number of seconds of at least 60, got ${ask.durationSeconds}`);
  } else if (ask.durationSeconds > policy.maxDurationSeconds) {
    problems.push(`duration ${ask.durationSeconds}s exceeds the maximum of ${policy.maxDurationSeconds}s`);
  }
  for (const pattern of policy.ticketPatterns) {
    if (!ask.ticketId) problems.push(`a ticket id matching /${pattern}/ is required`);
    else if (!new RegExp(pattern).test(ask.ticketId)) problems.push(`ticket id '${ask.ticketId}' does not match /${pattern}/`);
  }
  if (policy.justificationRequired && (!ask.justification || ask.justification.trim().length < 10)) {
    problems.push('a justification of at least 10 characters is required');
  }
  return problems;
}

/** Whether `approverId` (with its groups) may approve a request for this account and permission set. */
export function isEligibleApprover(
  config: AccessConfig, approverId: string, approverGroupIds: string[], accountId: string, permissionSetArn: string,
): boolean {
  return config.approverRules.some((r) =>
    r.accounts.includes(accountId)
    && r.permissionSets.includes(permissionSetArn)
    && principalMatches(r.approvers, approverId, approverGroupIds));
}

/** An approver as the identity store knows them now. */
export interface CurrentApprover {
  readonly userId: string;
  readonly groupIds: string[];
}

/**
 * The approvals that still count just before the grant: approvers who are still eligible for this account and
 * permission set with their current groups, never the requester, each once.
 */
export function approvalsStillValid(
  config: AccessConfig, requesterId: string, accountId: string, permissionSetArn: string, approvers: CurrentApprover[],
): string[] {
  const valid = new Set<string>();
  for (const a of approvers) {
    if (a.userId !== requesterId && isEligibleApprover(config, a.userId, a.groupIds, accountId, permissionSetArn)) valid.add(a.userId);
  }
  return [...valid];
}

/**
 * The quorum just before the grant: the more of the approvals the rules ask now and those the request was accepted
 * with, counted among `stillValid()` (which reads the approvers' groups now, so it runs only when some approval is
 * needed). Throws `refusal` naming the `scope` the approvers must still cover.
 */
export async function requireQuorum(
  approvalsNow: number, approvalsRequested: number, stillValid: () => Promise<string[]>, scope: string,
  refusal: new (message: string) => Error = PolicyError,
): Promise<void> {
  const needed = Math.max(approvalsNow, approvalsRequested);
  if (needed > 0) {
    const valid = await stillValid();
    if (valid.length < needed) throw new refusal(`${valid.length} of the ${needed} approvals needed are by people who are still approvers for this ${scope}`);
  }
}

/** The principals that may approve this account and permission set (to notify them). */
export function approversFor(config: AccessConfig, accountId: string, permissionSetArn: string): PrincipalRef[] {
  return config.approverRules
    .filter((r) => r.accounts.includes(accountId) && r.permissionSets.includes(permissionSetArn))
    .flatMap((r) => r.approvers);
}

/** Key of the reference-counted grant record: one per (principal, permission set, account). */
export function grantKey(principalId: string, permissionSetArn: string, accountId: string): string {
  return `${principalId}#${permissionSetArn}#${accountId}`;
}
