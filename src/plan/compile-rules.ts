// Compiles the typed Identity Center rules of an elevated-access workflow into the static configuration the handlers
// enforce, reporting every problem at once. A plan: the workflow's builders emit the configuration and the warnings.
import { Duration, Token } from 'aws-cdk-lib';
import type { AccountSelection, OrganizationPathScope } from '../account-selection';
import type { JumpElevatedPlan } from './jump-elevated-plan';
import { followedPaths as followedPathsOf, followedScopeOf, scopeIncludes, storedScope as stored } from './organizational-unit-scopes';
import type { ApproverRule, EligibilityRule } from '../elevated-access/access-rules';
import type { AccessConfig, CompiledAccountScope, CompiledApproverRule, CompiledBreakGlass, CompiledEligibilityRule, CompiledPermissionSet, PrincipalRef } from '../elevated-access/handlers/policy';
import type { IPermissionSet } from '../identity-center/permission-set';
import type { IdentityCenterPrincipal } from '../identity-center/principal';
import type { Organization } from '../organization';
import { Problems } from '../private/validation';

export interface CompileInput {
  readonly organization: Organization;
  readonly eligibility: EligibilityRule[];
  readonly approvers: ApproverRule[];
  readonly pendingExpiry: Duration;
  readonly maxScheduleAhead: Duration;
  /** The account hosting the workflow (refused as a target: its admins could approve their own access). */
  readonly hostAccount?: string;
  /** Query definition name per permission set ARN, when session queries are set up. */
  readonly queryDefinitionName?: (ps: IPermissionSet) => string;
  /** The identity store id of a principal given by name (the catalog's resolution); without it names are refused. */
  readonly resolvePrincipalId?: (principal: IdentityCenterPrincipal) => string;
  /** Rules over OUs cover the accounts Organizations places under them at each decision (`followOrganizationalUnits`). */
  readonly followOrganizationalUnits?: boolean;
}

export interface Compiled {
  readonly config: AccessConfig;
  /** The jump rules' plan, when the workflow has `jumpAccess` (its config is `config.jump`). */
  readonly jump?: JumpElevatedPlan;
  readonly permissionSets: IPermissionSet[];
  readonly accounts: string[];
  readonly instanceArn: string;
}

const MAX_QUORUM = 10;
const MAX_TICKET_PATTERN = 256;

function principalRefs(problems: Problems, field: string, principals: IdentityCenterPrincipal[],
  resolve?: (principal: IdentityCenterPrincipal) => string): PrincipalRef[] {
  if (principals.length === 0) problems.add(field, 'at least one group or user is required, got none');
  const out: PrincipalRef[] = [];
  for (const [i, p] of principals.entries()) {
    const problem = p._validate();
    problems.check(`${field}[${i}]`, problem);
    if (p._id === undefined && (resolve === undefined || problem !== undefined)) {
      if (resolve === undefined) problems.add(`${field}[${i}]`, `${p.describe()} is given by name; the workflow needs identity store ids: use IdentityCenterPrincipal.group(id) or .user(id)`);
      continue;
    }
    // a name becomes one deploy-time lookup per name, so the same name is the same id in every rule
    out.push({ type: p.principalType === 'GROUP' ? 'GROUP' : 'USER', id: p._id ?? resolve!(p) });
  }
  return out;
}

function resolveTargets(problems: Problems, field: string, org: Organization, targets: AccountSelection, host?: string): string[] {
  let ids: string[] = [];
  try {
    ids = targets.resolve(org).map((a) => a.accountId);
  } catch (e) {
    problems.add(field, (e as Error).message);
    return [];
  }
  if (ids.length === 0) problems.add(field, `${targets.describe()} selects no account, expected at least one`);
  if (ids.includes(org.managementAccount.accountId)) {
    problems.add(field, `${targets.describe()} includes the management account ${org.managementAccount.accountId}: elevated access to it is refused (a delegated Identity Center admin cannot assign it, and it is beyond SCPs)`);
  }
  if (host !== undefined && host !== org.managementAccount.accountId && ids.includes(host)) {
    problems.add(field, `${targets.describe()} includes ${org.tryFindAccount(host)?.name ?? 'the account'} ${host}, which hosts the workflow: elevated access to it is refused (whoever administers the host could change the workflow itself); exclude it from the targets`);
  }
  for (const id of ids) {
    if (!org.isMember(id)) problems.add(field, `account ${id} is outside the organization, expected a member account`);
  }
  return ids.filter((id) => id !== org.managementAccount.accountId && id !== host);
}

/**
 * With `followOrganizationalUnits`, a selection of OUs (or of all member accounts) covers what Organizations places
 * under them when a decision is made, except the accounts under them it leaves out now; other selections keep their
 * accounts.
 */
function followedScope(input: CompileInput, targets: AccountSelection, ids: string[]): Pick<CompiledAccountScope, 'organizationalUnits' | 'excludedAccounts'> {
  return followedScopeOf(input.organization, followedPaths(input, targets), ids);
}

function followedPaths(input: CompileInput, targets: AccountSelection): OrganizationPathScope[] | undefined {
  return followedPathsOf(input.organization, input.followOrganizationalUnits, targets);
}

function permissionSetArns(problems: Problems, field: string, sets: IPermissionSet[], all: Map<string, IPermissionSet>): string[] {
  if (sets.length === 0) problems.add(field, 'at least one permission set is required, got none');
  const arns = sets.map((s) => s.permissionSetArn);
  if (new Set(arns).size !== arns.length) problems.add(field, 'a permission set is listed twice');
  for (const s of sets) all.set(s.permissionSetArn, s);
  return [...new Set(arns)];
}

const BREAK_GLASS_MAX = 4 * 3600;

/** Break-glass: a short cap within the rule's, on a subset of the rule's accounts and permission sets. */
function compileBreakGlass(
  problems: Problems, field: string, input: CompileInput, eligibility: EligibilityRule, rule: CompiledAccountScope, sets: string[],
  all: Map<string, IPermissionSet>,
): CompiledBreakGlass | undefined {
  const bg = eligibility.breakGlass;
  if (!bg) return undefined;
  const max = bg.maxDuration.toSeconds();
  const ruleMax = eligibility.maxDuration.toSeconds();
  if (!bg.maxDuration.isUnresolved() && (max < 60 || max > BREAK_GLASS_MAX || max > ruleMax)) {
    problems.add(`${field}.maxDuration`, `break-glass max duration must be between 1 minute and ${Math.min(BREAK_GLASS_MAX, ruleMax) / 60} minutes (4 hours and the rule's max duration), got ${bg.maxDuration.toHumanString()}`);
  }
  const review = bg.reviewWithin ?? Duration.hours(24);
  if (!review.isUnresolved() && (review.toSeconds() < 3600 || review.toSeconds() > 7 * 86_400)) {
    problems.add(`${field}.reviewWithin`, `review window must be between 1 hour and 7 days, got ${review.toHumanString()}`);
  }
  const bgAccounts = bg.targets ? resolveTargets(problems, `${field}.targets`, input.organization, bg.targets, input.hostAccount) : rule.accounts;
  const outside = bgAccounts.filter((a) => !rule.accounts.includes(a));
  if (outside.length > 0) problems.add(`${field}.targets`, `break-glass targets must be accounts of the rule, got ${outside.join(', ')} outside its targets`);
  const bgSets = bg.permissionSets ? permissionSetArns(problems, `${field}.permissionSets`, bg.permissionSets, all) : sets;
  const foreign = bgSets.filter((s) => !sets.includes(s));
  if (foreign.length > 0) {
    problems.add(`${field}.permissionSets`, `break-glass permission sets must be permission sets of the rule, got ${foreign.map((s) => all.get(s)?.permissionSetName ?? s).join(', ')}`);
  }
  // without targets of its own, break-glass covers the rule's accounts, followed or not
  const followed = bg.targets ? followedScope(input, bg.targets, bgAccounts)
    : { organizationalUnits: rule.organizationalUnits, excludedAccounts: rule.excludedAccounts };
  return { accounts: bgAccounts, ...definedOnly(followed), permissionSets: bgSets, maxDurationSeconds: max, reviewWithinSeconds: review.toSeconds() };
}

/** A synth warning the plan leaves to its construct to add (`Annotations.addWarningV2`). */
export interface CompileWarning {
  readonly id: string;
  readonly message: string;
}

/**
 * The Identity Center rules compiled. Problems go to `problems` (the caller throws once, with the problems of the jump
 * rules beside them); the warnings are the caller's to add. An empty `eligibility` is the caller's to judge (a
 * jump-only workflow has none).
 */
export function compileRules(problems: Problems, input: CompileInput): Compiled & { readonly warnings: CompileWarning[] } {
  const allSets = new Map<string, IPermissionSet>();
  const warnings: CompileWarning[] = [];
  const { pending, ahead } = checkTimings(problems, input);
  const names = new Set<string>();
  const eligibility = input.eligibility.map((rule, i) => compileEligibilityRule(problems, input, rule, i, names, allSets, warnings));
  const approverRules: CompiledApproverRule[] = input.approvers.map((rule, i) => {
    const f = ruleField('approvers', i, rule.name);
    const accounts = resolveTargets(problems, `${f}.targets`, input.organization, rule.targets, input.hostAccount);
    return {
      name: rule.name ?? `approvers[${i}]`,
      approvers: principalRefs(problems, `${f}.approvers`, rule.approvers, input.resolvePrincipalId),
      accounts,
      ...followedScope(input, rule.targets, accounts),
      permissionSets: permissionSetArns(problems, `${f}.permissionSets`, rule.permissionSets, allSets),
    };
  });
  for (const [i, rule] of eligibility.entries()) {
    const f = ruleField('eligibility', i, input.eligibility[i].name);
    checkApprovers(problems, f, rule, approverRules, allSets);
    checkFollowedApprovers(problems, f, input, input.eligibility[i], rule, allSets);
  }
  const instances = checkPermissionSets(problems, allSets, warnings);

  const permissionSets: Record<string, CompiledPermissionSet> = {};
  for (const [arn, s] of allSets) {
    permissionSets[arn] = {
      name: s.permissionSetName,
      instanceArn: s.instanceArn,
      sessionSeconds: s.sessionDuration.toSeconds(),
      queryDefinitionName: input.queryDefinitionName?.(s),
    };
  }
  const refused = [input.organization.managementAccount.accountId, ...(input.hostAccount ? [input.hostAccount] : [])];
  const followed = input.followOrganizationalUnits ? { refusedAccounts: [...new Set(refused)] } : {};
  return {
    config: {
      version: 1,
      pendingExpirySeconds: pending,
      maxScheduleAheadSeconds: ahead,
      permissionSets,
      eligibility: eligibility.map((r) => stored(r.breakGlass ? { ...r, breakGlass: stored(r.breakGlass) } : r)),
      approverRules: approverRules.map(stored),
      ...followed,
    },
    permissionSets: [...allSets.values()],
    accounts: [...new Set(eligibility.flatMap((r) => r.accounts))].sort(),
    instanceArn: instances[0] ?? '',
    warnings,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A rule that follows OUs and needs approvers (approvals, or break-glass reviews) needs them for its future accounts
 * too: for each of its OUs and permission sets, an approver rule that follows an OU covering it.
 */
function checkFollowedApprovers(problems: Problems, f: string, input: CompileInput, source: EligibilityRule,
  rule: CompiledEligibilityRule, allSets: Map<string, IPermissionSet>): void {
  const paths = rule.organizationalUnits === undefined ? undefined : followedPaths(input, source.targets);
  if (paths === undefined || (rule.approvals === 0 && !rule.breakGlass)) return;
  const uncovered: string[] = [];
  for (const p of paths) {
    for (const ps of rule.permissionSets) {
      const covered = input.approvers.some((a) => a.permissionSets.some((s) => s.permissionSetArn === ps)
        && (followedPaths(input, a.targets) ?? []).some((ap) => scopeIncludes(ap, p.path) && (ap.recursive || !p.recursive)));
      if (!covered) uncovered.push(`${p.path === '' ? 'the root' : `ou ${p.path}`}${p.recursive ? ' (recursive)' : ''}/${allSets.get(ps)?.permissionSetName ?? ps}`);
    }
  }
  if (uncovered.length > 0) {
    problems.add(`${f}.approval`, `the rule follows ${firstFive(uncovered)}, but no approver rule follows an OU that covers it, so an account added there later could not be approved: select the approver rule's targets by the same OU (or one above it)`);
  }
}

/** How long a request may wait for approval and how far ahead it may be scheduled, in seconds, checked. */
function checkTimings(problems: Problems, input: CompileInput): { pending: number; ahead: number } {
  const pending = input.pendingExpiry.toSeconds();
  if (!input.pendingExpiry.isUnresolved() && (pending < 300 || pending > 7 * 86_400)) {
    problems.add('pendingExpiry', `pending expiry must be between 5 minutes and 7 days, got ${input.pendingExpiry.toHumanString()}`);
  }
  const ahead = input.maxScheduleAhead.toSeconds();
  if (!input.maxScheduleAhead.isUnresolved() && (ahead < 0 || ahead > 300 * 86_400)) {
    // a Standard execution lives at most one year, and the grant must fit in it
    problems.add('maxScheduleAhead', `max schedule ahead must be between 0 and 300 days, got ${input.maxScheduleAhead.toHumanString()}`);
  }
  return { pending, ahead };
}

/** One eligibility rule: unique name, principals, targets, permission sets, quorum, duration, ticket, break-glass. */
function compileEligibilityRule(
  problems: Problems, input: CompileInput, rule: EligibilityRule, i: number, names: Set<string>,
  allSets: Map<string, IPermissionSet>, warnings: CompileWarning[],
): CompiledEligibilityRule {
  const f = ruleField('eligibility', i, rule.name);
  const name = rule.name ?? `eligibility[${i}]`;
  if (names.has(name)) problems.add(`${f}.name`, `rule name '${name}' is used twice, expected unique names`);
  names.add(name);
  const principals = principalRefs(problems, `${f}.principals`, rule.principals, input.resolvePrincipalId);
  const accounts = resolveTargets(problems, `${f}.targets`, input.organization, rule.targets, input.hostAccount);
  const sets = permissionSetArns(problems, `${f}.permissionSets`, rule.permissionSets, allSets);
  const approval = rule.approval?.approvals ?? 1;
  if (rule.approval?._isQuorum && (!Number.isInteger(approval) || approval < 2 || approval > MAX_QUORUM)) {
    problems.add(`${f}.approval`, `quorum must be a whole number of 2-${MAX_QUORUM} distinct approvers, got ${approval} (use anyOne() for one)`);
  }
  const max = rule.maxDuration.toSeconds();
  if (!rule.maxDuration.isUnresolved() && (max < 60 || max > 12 * 3600)) {
    problems.add(`${f}.maxDuration`, `max duration must be between 1 minute and 12 hours (the longest permission set session), got ${rule.maxDuration.toHumanString()}`);
  }
  for (const ps of rule.permissionSets) {
    if (!ps.sessionDuration.isUnresolved() && ps.sessionDuration.toSeconds() < max) {
      warnings.push({
        id: 'cdk-iam-landing-zone:elevatedAccessDurationCapped',
        message: `${f}: max duration ${rule.maxDuration.toHumanString()} exceeds the session duration ${ps.sessionDuration.toHumanString()} of permission set ${ps.permissionSetName}; requests are capped at the session duration`,
      });
    }
  }
  checkTicketPattern(problems, `${f}.ticketPattern`, rule.ticketPattern);
  const followed = followedScope(input, rule.targets, accounts);
  const breakGlass = compileBreakGlass(problems, `${f}.breakGlass`, input, rule, { accounts, ...followed }, sets, allSets);
  return {
    name,
    principals,
    accounts,
    ...followed,
    permissionSets: sets,
    maxDurationSeconds: max,
    approvals: approval,
    ticketPattern: rule.ticketPattern,
    justificationRequired: rule.justificationRequired ?? true,
    ...(breakGlass ? { breakGlass } : {}),
  };
}

function checkTicketPattern(problems: Problems, field: string, pattern: string | undefined): void {
  if (pattern === undefined) return;
  if (pattern.length < 1 || pattern.length > MAX_TICKET_PATTERN) {
    problems.add(field, `ticket pattern must be 1-${MAX_TICKET_PATTERN} characters, got ${pattern.length}`);
    return;
  }
  try {
    new RegExp(pattern);
  } catch (e) {
    problems.add(field, `ticket pattern '${pattern}' is not a valid regular expression: ${(e as Error).message.toLowerCase()}`);
  }
}

/**
 * Every (account, permission set) of an eligibility rule that needs approval must have approvers, enough of them for
 * the quorum, and not only the requesting groups. Break-glass needs approvers too: they close its review.
 */
function checkApprovers(
  problems: Problems, f: string, rule: CompiledEligibilityRule, approverRules: CompiledApproverRule[], allSets: Map<string, IPermissionSet>,
): void {
  if (rule.approvals === 0 && !rule.breakGlass) return;
  const uncovered: string[] = [];
  const short: string[] = [];
  const selfApproved: string[] = [];
  for (const account of rule.accounts) {
    for (const ps of rule.permissionSets) {
      const covering = approverRules.filter((a) => a.accounts.includes(account) && a.permissionSets.includes(ps));
      const label = `${account}/${allSets.get(ps)?.permissionSetName ?? ps}`;
      if (covering.length === 0) {
        uncovered.push(label);
        continue;
      }
      const refs = covering.flatMap((a) => a.approvers);
      const requesterIds = new Set(rule.principals.map((p) => `${p.type}/${p.id}`));
      if (refs.every((r) => r.type === 'GROUP' && requesterIds.has(`${r.type}/${r.id}`))) {
        selfApproved.push(label);
        continue;
      }
      if (!refs.every((r) => r.type === 'USER')) continue; // group membership is only known at request time
      const users = new Set(refs.map((r) => r.id));
      // the requester never approves their own request: one approver fewer when the requester can be one of them
      // (a requester group may hold any approver user; a named requester only if also named as an approver)
      const requesterMayApprove = rule.principals.some((p) => p.type === 'GROUP' || users.has(p.id));
      const reachable = users.size - (requesterMayApprove ? 1 : 0);
      if (reachable < rule.approvals) short.push(`${label} (${users.size} approver users${requesterMayApprove ? ', one of whom may be the requester' : ''})`);
    }
  }
  if (uncovered.length > 0) {
    problems.add(`${f}.approval`, `${rule.approvals > 0 ? `${rule.approvals} approval(s) required` : 'break-glass reviews need approvers'} but no approver rule covers ${firstFive(uncovered)}`);
  }
  if (selfApproved.length > 0) {
    problems.add(`${f}.approval`, `the only approvers of ${firstFive(selfApproved)} are the requesting groups themselves, so requesters approve each other; add an approver rule with another group or named users, or use ApprovalRequirement.none()`);
  }
  if (short.length > 0) {
    problems.add(`${f}.approval`, `a quorum of ${rule.approvals} distinct approvers besides the requester cannot be reached for ${short.slice(0, 5).join(', ')}`);
  }
}

/** The first five labels, and how many more. */
export function firstFive(labels: string[]): string {
  return `${labels.slice(0, 5).join(', ')}${labels.length > 5 ? ` and ${labels.length - 5} more` : ''}`;
}

/**
 * The permission sets of all rules: one Identity Center instance (its resolved ARNs returned), sessions of 1-12
 * hours, and a warning for sessions over an hour (a revoke removes the assignment; sessions opened before it last
 * until their session duration ends).
 */
function checkPermissionSets(problems: Problems, allSets: Map<string, IPermissionSet>, warnings: CompileWarning[]): string[] {
  const instances = new Set([...allSets.values()].map((s) => s.instanceArn));
  const resolvedInstances = [...instances].filter((x) => !Token.isUnresolved(x));
  if (resolvedInstances.length > 1) {
    problems.add('permissionSets', `permission sets belong to ${resolvedInstances.length} Identity Center instances (${resolvedInstances.join(', ')}), expected one`);
  }
  for (const s of allSets.values()) {
    const seconds = s.sessionDuration.toSeconds();
    if (!s.sessionDuration.isUnresolved() && seconds > 3600) {
      warnings.push({
        id: 'cdk-iam-landing-zone:elevatedAccessSessionOutlivesRevoke',
        message: `permission set ${s.permissionSetName} has session duration ${s.sessionDuration.toHumanString()}: a session opened just before a revoke keeps working up to ${s.sessionDuration.toHumanString()} after it; use a permission set with a 1 hour session for elevated access`,
      });
    }
    if (!s.sessionDuration.isUnresolved() && (seconds < 3600 || seconds > 43_200)) {
      problems.add('permissionSets', `permission set ${s.permissionSetName} has session duration ${s.sessionDuration.toHumanString()}, expected 1-12 hours`);
    }
  }
  return [...instances];
}

// A rule in messages: by its name when it has one (what the user searches for), else by its index.
function ruleField(list: string, index: number, name: string | undefined): string {
  return name === undefined ? `${list}[${index}]` : `${list}['${name}']`;
}
