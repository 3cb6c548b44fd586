// Plans jump-account elevated access: compiles the jump eligibility and approver rules into the configuration the
// handlers enforce, and says which elevated roles (`lz-elevated-<level>`) each target account must deploy. Pure: the
// constructs emit the roles, the grant writer and the revokers from this plan.
import { Duration, Token } from 'aws-cdk-lib';
import type { AccountSelection, OrganizationPathScope } from '../account-selection';
import type { JumpApproverRule, JumpEligibilityRule } from '../elevated-access/access-rules';
import type { CompiledJumpApproverRule, CompiledJumpRule, JumpAccessConfig, JumpRef } from '../elevated-access/handlers/jump-grants';
import type { JumpPrincipal } from '../elevated-access/jump-principal';
import type { IdentityCenterPrincipal } from '../identity-center/principal';
import type { JumpGroup, JumpUser } from '../jump-account';
import { firstFive } from './compile-rules';
import { followedPaths, followedScopeOf, scopeIncludes, storedScope } from './organizational-unit-scopes';
import { Organization } from '../organization';
import { PermissionLevel } from '../permission-level';
import { Problems } from '../private/validation';

/** The declared jump elevated access, with the jump account it serves. */
export interface JumpElevatedIntent {
  readonly organization: Organization;
  readonly jumpAccountId: string;
  readonly groups: JumpGroup[];
  readonly users: JumpUser[];
  readonly eligibility: JumpEligibilityRule[];
  readonly approvers: JumpApproverRule[];
  /** The account hosting the workflow (refused as a target). */
  readonly hostAccount?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /**
   * The identity store id of an Identity Center approver given by name (the catalog's resolution).
   * @default - names are refused
   */
  readonly resolvePrincipalId?: (principal: IdentityCenterPrincipal) => string;
  /**
   * Whether the revokers are granted over the organization (`revokersByOrganization`) rather than by ARN.
   * @default false
   */
  readonly revokersByOrganization?: boolean;
  /**
   * Whether rules over OUs follow them: decided where Organizations places an account at each decision, their
   * elevated roles deployed by a StackSet per OU (`jumpAccess.followOrganizationalUnits`).
   * @default false
   */
  readonly followOrganizationalUnits?: boolean;
}

/** The resolved jump elevated access. */
export interface JumpElevatedPlan {
  /** What the handlers enforce, as stored: a rule that follows OUs keeps no accounts there. */
  readonly config: JumpAccessConfig;
  /** The compiled rules as the synth sees them: every rule with the accounts the model places in its targets now. */
  readonly rules: Pick<JumpAccessConfig, 'eligibility' | 'approverRules'>;
  /** The levels some rule grants, by elevated role name. */
  readonly levels: ReadonlyMap<string, PermissionLevel>;
  /** How reviewers read an Identity Center approver given by name (its id is resolved at deployment, a token here). */
  readonly approverNames: ReadonlyMap<string, string>;
  /** Elevated role names each target account deploys in a stack of its own: accounts under no followed OU. */
  readonly rolesByAccount: ReadonlyMap<string, string[]>;
  /**
   * Elevated role names a StackSet deploys to every account under each followed OU (by path, outermost OUs only:
   * a StackSet reaches nested OUs too), including the accounts other rules name there.
   */
  readonly rolesByOrganizationalUnit: ReadonlyMap<string, string[]>;
  /** The organization whose revokers the workflow may assume, with `revokersByOrganization`; else by ARN. */
  readonly revokerOrganizationId?: string;
}

/** Elevated roles carry their own prefix, so no jump group target (`lz-<level>`) names one by accident. */
export function elevatedRoleName(level: PermissionLevel): string {
  return level.roleName('lz-elevated');
}

/** Sessions of an elevated role last at most this long: the revoke's session deny must outlive them. */
export const ELEVATED_SESSION = Duration.hours(1);

const MAX_QUORUM = 10;

export function planJumpElevated(problems: Problems, intent: JumpElevatedIntent): JumpElevatedPlan {
  const levels = new Map<string, PermissionLevel>();
  const known = {
    GROUP: new Set(intent.groups.map((g) => g.groupName.toLowerCase())),
    USER: new Set(intent.users.map((u) => u.userName.toLowerCase())),
  };
  const refs = (field: string, ps: JumpPrincipal[]): JumpRef[] => ps.map((p, i) => {
    if (!known[p._type].has(p.name.toLowerCase())) {
      problems.add(`${field}[${i}]`, `${p.describe()} is not a ${p._type.toLowerCase()} of the jump account; expected one of ${[...known[p._type]].join(', ') || 'none'}`);
    }
    return { type: p._type, name: p.name };
  });
  const accounts = (field: string, targets: JumpEligibilityRule['targets']) => resolveTargets(problems, field, intent, targets);
  const roles = (field: string, ls: PermissionLevel[]) => {
    if (ls.length === 0) problems.add(field, 'at least one permission level is required, got none');
    const names = ls.map((l) => elevatedRoleName(l));
    if (new Set(names).size !== names.length) problems.add(field, 'a permission level is listed twice');
    return [...new Set(names)];
  };

  const followed = (targets: AccountSelection) => followedPaths(intent.organization, intent.followOrganizationalUnits, targets);
  const followedPathsOf = new Map<string, OrganizationPathScope[]>();
  const names = new Set<string>();
  const eligibility: CompiledJumpRule[] = intent.eligibility.map((rule, i) => {
    const f = `jumpEligibility[${i}]`;
    const name = rule.name ?? f;
    if (names.has(name)) problems.add(`${f}.name`, `rule name '${name}' is used twice, expected unique names`);
    names.add(name);
    if (rule.principals.length === 0) problems.add(`${f}.principals`, 'at least one jump group or user is required, got none');
    const approvals = rule.approval?.approvals ?? 1;
    if (rule.approval?._isQuorum && (!Number.isInteger(approvals) || approvals < 2 || approvals > MAX_QUORUM)) {
      problems.add(`${f}.approval`, `quorum must be a whole number of 2-${MAX_QUORUM} distinct approvers, got ${approvals} (use anyOne() for one)`);
    }
    const max = rule.maxDuration.toSeconds();
    if (!rule.maxDuration.isUnresolved() && (max < 60 || max > 12 * 3600)) {
      problems.add(`${f}.maxDuration`, `max duration must be between 1 minute and 12 hours, got ${rule.maxDuration.toHumanString()}`);
    }
    checkTicketPattern(problems, `${f}.ticketPattern`, rule.ticketPattern);
    // only what a rule grants is deployed: a level an approver rule alone names gets no role
    for (const l of rule.permissionLevels) levels.set(elevatedRoleName(l), l);
    const ids = accounts(`${f}.targets`, rule.targets);
    const paths = followed(rule.targets);
    // accounts at the root carry no OU baseline, so no boundary for the roles a StackSet would deploy there
    if (paths?.some((p) => p.path === '')) {
      problems.add(`${f}.targets`, `${rule.targets.describe()} follows the whole organization, but the elevated roles need the landing zone boundary, which only OU baselines deploy (accounts at the root and in new top-level OUs have none): select the OUs, e.g. AccountSelection.organizationalUnits(['Workloads'])`);
    }
    followedPathsOf.set(name, paths ?? []);
    return {
      name,
      principals: refs(`${f}.principals`, rule.principals),
      accounts: ids,
      ...followedScopeOf(intent.organization, paths, ids),
      roles: roles(`${f}.permissionLevels`, rule.permissionLevels),
      maxDurationSeconds: max,
      approvals,
      ticketPattern: rule.ticketPattern,
      justificationRequired: rule.justificationRequired ?? true,
    };
  });

  const approverNames = new Map<string, string>();
  const approverPaths: Array<{ paths: OrganizationPathScope[]; roles: string[] }> = [];
  const approverRules: CompiledJumpApproverRule[] = intent.approvers.map((rule, i) => {
    const f = `jumpApprovers[${i}]`;
    const ic = (rule.approvers ?? []).flatMap((p, j) => {
      problems.check(`${f}.approvers[${j}]`, p._validate());
      const id = p._id ?? intent.resolvePrincipalId?.(p);
      if (id === undefined) {
        problems.add(`${f}.approvers[${j}]`, `${p.describe()} is given by name and the workflow has no identityStoreId to look it up: set identityStoreId or use IdentityCenterPrincipal.group(id) or .user(id)`);
        return [];
      }
      if (p._id === undefined) approverNames.set(id, `identity center ${p.describe()}`);
      return [{ type: p.kind === 'GROUP' ? 'GROUP' as const : 'USER' as const, id }];
    });
    const jump = refs(`${f}.jumpApprovers`, rule.jumpApprovers ?? []);
    if (jump.length === 0 && (rule.approvers ?? []).length === 0) {
      problems.add(f, 'an approver rule needs jumpApprovers or approvers, got neither');
    }
    const ids = accounts(`${f}.targets`, rule.targets);
    const paths = followed(rule.targets);
    const roleNames = roles(`${f}.permissionLevels`, rule.permissionLevels);
    approverPaths.push({ paths: paths ?? [], roles: roleNames });
    return {
      name: rule.name ?? f,
      jumpApprovers: jump,
      identityCenterApprovers: ic,
      accounts: ids,
      ...followedScopeOf(intent.organization, paths, ids),
      roles: roleNames,
    };
  });

  for (const [i, rule] of eligibility.entries()) {
    checkApprovers(problems, `jumpEligibility[${i}].approval`, rule, approverRules);
    checkFollowedApprovers(problems, `jumpEligibility[${i}].approval`, rule, followedPathsOf.get(rule.name) ?? [], approverPaths);
  }
  checkFollowed(problems, intent);
  return {
    config: {
      jumpAccountId: intent.jumpAccountId,
      partition: intent.partition ?? 'aws',
      elevatedSessionSeconds: ELEVATED_SESSION.toSeconds(),
      eligibility: eligibility.map(storedScope),
      approverRules: approverRules.map(storedScope),
    },
    rules: { eligibility, approverRules },
    levels,
    approverNames,
    ...placeRoles(intent.organization, eligibility, followedPathsOf),
    revokerOrganizationId: revokerOrganization(problems, intent),
  };
}

// Roles of accounts under a followed OU go to the StackSet of its outermost followed OU, which reaches every account
// there (two deployments of the same role names in one account would clash); the others to the account's own stack.
function placeRoles(org: Organization, eligibility: CompiledJumpRule[], pathsOf: ReadonlyMap<string, OrganizationPathScope[]>) {
  // an OU sorts before the OUs inside it, so the first followed OU above a path is the outermost
  const followed = [...new Set([...pathsOf.values()].flat().map((p) => p.path))].sort();
  const outermostOf = (path: string) => followed.find((o) => path === o || path.startsWith(`${o}/`));
  const add = (map: Map<string, string[]>, key: string, roles: string[]) => map.set(key, [...new Set([...(map.get(key) ?? []), ...roles])].sort());
  const rolesByAccount = new Map<string, string[]>();
  const rolesByOrganizationalUnit = new Map<string, string[]>();
  for (const r of eligibility) {
    // a followed OU without accounts now still gets its StackSet: its accounts to come need the roles
    for (const p of pathsOf.get(r.name) ?? []) add(rolesByOrganizationalUnit, outermostOf(p.path)!, r.roles);
    for (const a of r.accounts) {
      const ou = outermostOf(org.findAccount(a).organizationalUnit ?? '');
      if (ou === undefined) add(rolesByAccount, a, r.roles);
      else add(rolesByOrganizationalUnit, ou, r.roles);
    }
  }
  return { rolesByAccount, rolesByOrganizationalUnit };
}

// The roles of accounts added to a followed OU later are revoked through their revokers, which no ARN list names now.
function checkFollowed(problems: Problems, intent: JumpElevatedIntent): void {
  if (intent.followOrganizationalUnits && !intent.revokersByOrganization) {
    problems.add('followOrganizationalUnits', 'rules that follow OUs grant in accounts added later, whose revokers no ARN list can name now: set revokersByOrganization: true as well (each revoker still trusts only this workflow\'s roles), or remove followOrganizationalUnits');
  }
}

/**
 * A rule that follows OUs and needs approvals needs them for its future accounts too: for each of its OUs and roles,
 * an approver rule that follows an OU covering it.
 */
function checkFollowedApprovers(problems: Problems, field: string, rule: CompiledJumpRule, paths: OrganizationPathScope[],
  approvers: Array<{ paths: OrganizationPathScope[]; roles: string[] }>): void {
  if (rule.approvals === 0) return;
  const uncovered = paths.flatMap((p) => rule.roles.filter((role) => !approvers.some((a) => a.roles.includes(role)
    && a.paths.some((ap) => scopeIncludes(ap, p.path) && (ap.recursive || !p.recursive))))
    .map((role) => `${p.path === '' ? 'the root' : `ou ${p.path}`}${p.recursive ? ' (recursive)' : ''}/${role}`));
  if (uncovered.length > 0) {
    problems.add(field, `the rule follows ${firstFive(uncovered)}, but no approver rule follows an OU that covers it, so an account added there later could not be approved: select the approver rule's targets by the same OU (or one above it)`);
  }
}

// the grant over the organization reaches only its accounts: without the id IAM has nothing to compare
function revokerOrganization(problems: Problems, intent: JumpElevatedIntent): string | undefined {
  if (!intent.revokersByOrganization) return undefined;
  const id = intent.organization.organizationId;
  if (id === undefined) {
    problems.add('revokersByOrganization', 'the organization model has no organizationId, which the grant to assume the revokers compares (aws:ResourceOrgID): set organizationId (o-...) in the model, or leave revokersByOrganization unset');
  }
  return id;
}

function resolveTargets(problems: Problems, field: string, intent: JumpElevatedIntent, targets: JumpEligibilityRule['targets']): string[] {
  const org = intent.organization;
  const picked = targets._resolveOrReport(org, (m) => problems.add(field, m));
  const ids = picked.map((a) => a.accountId);
  if (ids.length === 0) problems.add(field, `${targets.describe()} selects no account, expected at least one`);
  const refused = (id: string | undefined, why: string) => {
    const a = picked.find((x) => x.accountId === id);
    if (a) problems.add(field, `${targets.describe()} includes ${a.name} ${a.accountId}, ${why}; exclude it from the targets`);
  };
  refused(org.managementAccount.accountId, 'the management account: elevated access to it is refused (it is beyond SCPs)');
  refused(intent.jumpAccountId, 'the jump account: an elevated role there would sit next to the credentials it elevates');
  refused(intent.hostAccount, 'which hosts the workflow: whoever administers it could change the workflow itself');
  for (const id of ids) {
    if (!org.isMember(id)) problems.add(field, `account ${id} is outside the organization, expected a member account`);
  }
  return ids.filter((id) => id !== org.managementAccount.accountId && id !== intent.jumpAccountId && id !== intent.hostAccount);
}

function checkTicketPattern(problems: Problems, field: string, pattern: string | undefined): void {
  if (pattern === undefined || Token.isUnresolved(pattern)) return;
  if (pattern.length < 1 || pattern.length > 256) {
    problems.add(field, `ticket pattern must be 1-256 characters, got ${pattern.length}`);
    return;
  }
  try {
    new RegExp(pattern);
  } catch (e) {
    problems.add(field, `ticket pattern '${pattern}' is not a valid regular expression: ${(e as Error).message.toLowerCase()}`);
  }
}

// every account x role that needs approval has approvers other than the requesters, enough for the quorum
function checkApprovers(problems: Problems, field: string, rule: CompiledJumpRule, approverRules: CompiledJumpApproverRule[]): void {
  if (rule.approvals === 0) return;
  const uncovered: string[] = [];
  const selfOnly: string[] = [];
  const short: string[] = [];
  const requesters = new Set(rule.principals.map((p) => `${p.type}/${p.name.toLowerCase()}`));
  for (const account of rule.accounts) {
    for (const role of rule.roles) {
      const covering = approverRules.filter((a) => a.accounts.includes(account) && a.roles.includes(role));
      const label = `${account}/${role}`;
      if (covering.length === 0) {
        uncovered.push(label);
        continue;
      }
      const jump = covering.flatMap((a) => a.jumpApprovers);
      const ic = covering.flatMap((a) => a.identityCenterApprovers);
      if (ic.length === 0 && jump.every((r) => r.type === 'GROUP' && requesters.has(`GROUP/${r.name.toLowerCase()}`))) {
        selfOnly.push(label);
        continue;
      }
      if (ic.some((r) => r.type === 'GROUP') || jump.some((r) => r.type === 'GROUP')) continue; // sizes known only at run time
      const users = new Set([...jump.map((r) => `jump:${r.name.toLowerCase()}`), ...ic.map((r) => `ic:${r.id}`)]);
      const requesterMayApprove = rule.principals.some((p) => p.type === 'GROUP' || users.has(`jump:${p.name.toLowerCase()}`));
      if (users.size - (requesterMayApprove ? 1 : 0) < rule.approvals) short.push(`${label} (${users.size} approver users)`);
    }
  }
  const list = (xs: string[]) => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ` and ${xs.length - 5} more` : ''}`;
  if (uncovered.length > 0) problems.add(field, `${rule.approvals} approval(s) required but no jump approver rule covers ${list(uncovered)}: add a jumpApprovers rule or use ApprovalRequirement.none()`);
  if (selfOnly.length > 0) problems.add(field, `the only approvers of ${list(selfOnly)} are the requesting groups themselves, so requesters approve each other; add an approver rule with another group or named users`);
  if (short.length > 0) problems.add(field, `a quorum of ${rule.approvals} distinct approvers besides the requester cannot be reached for ${list(short)}`);
}
