// Plans the jump account from the organization model and the declared groups, users and targets, reporting every
// problem at once: who reaches which account x role, the assume-role policy chunks, the switch-role links and the
// source addresses that bind each user. Pure: no construct is created or read here; `JumpAccount` emits the plan.
import { Aws, Duration } from 'aws-cdk-lib';
import type { AccessPath, AccessReportEntry } from '../access-report';
import type { AccountSelection } from '../account-selection';
import type { SessionSourceRestriction } from '../cross-account-role';
import type { AccountPasswordPolicy, JumpAccountProps, JumpGroup, JumpTarget, JumpUser, SwitchRoleLink } from '../jump-account';
import { AccountDefinition, Organization } from '../organization';
import { accountsLeftOut, organizationalUnitIds } from './organizational-unit-scopes';
import { LZ_ELEVATED_ROLE_PREFIX } from '../private/conventions';
import { LIMITS } from '../private/limits';
import { denyOutsideSourceAddresses } from '../private/source-address';
import { switchRoleUrl } from '../private/switch-role';
import { checkAccountId, checkCidr, checkIamName, checkLiteralName, duplicates, Problems } from '../private/validation';

/** What the jump account is asked to provide: the parts of its props that decide access. */
export type JumpAccountIntent = Pick<JumpAccountProps,
'organization' | 'groups' | 'users' | 'allowedSourceCidrs' | 'passwordPolicy' | 'externallyManagedRoles'>;

/** One account x role a group may switch into. */
export interface ResolvedTarget {
  readonly accountId: string;
  readonly accountName: string;
  readonly roleName: string;
  /** Granted by an organization path, not by its ARN. */
  readonly byPath?: boolean;
}

/**
 * Roles granted in every account under organization paths (`byOrganizationPath`), except the accounts the selection
 * leaves out. One statement: its conditions must all hold, so the exclusions cannot be split over policies.
 */
export interface OrganizationPathGrant {
  readonly organizationId: string;
  readonly roleNames: string[];
  /** `o-.../r-.../ou-.../` (the OU's own accounts) or with a trailing `*` (nested OUs too). */
  readonly paths: string[];
  readonly excludedAccountIds: string[];
}

/** What one user reaches and the source addresses that bind them everywhere. */
export interface UserAccess {
  readonly userName: string;
  /** Each set is a separate deny: the user must be inside all of them. */
  readonly cidrSets: string[][];
  /** `account/role` keys the user may switch into. */
  readonly reach: Set<string>;
}

export interface ResolvedPasswordPolicy {
  readonly minimumLength: number;
  readonly requireSymbols: boolean;
  readonly requireNumbers: boolean;
  readonly requireUppercase: boolean;
  readonly requireLowercase: boolean;
  readonly reusePrevention: number;
  readonly maxAgeDays: number;
  readonly hardExpiry: boolean;
}

/** The resolved jump account. */
export interface JumpAccountPlan {
  readonly passwordPolicy: ResolvedPasswordPolicy;
  /** Per group name: its account x role targets, deduplicated and sorted. */
  readonly groupTargets: ReadonlyMap<string, ResolvedTarget[]>;
  /** `account/role` keys of roles deployed outside this app. */
  readonly externallyManaged: ReadonlySet<string>;
  readonly userAccess: readonly UserAccess[];
  /** Per group name: the role ARNs of each assume-role managed policy. */
  readonly assumeRoleChunks: ReadonlyMap<string, string[][]>;
  /** Per group name: the grants by organization path, emitted as one more managed policy of the group. */
  readonly organizationPathGrants: ReadonlyMap<string, OrganizationPathGrant[]>;
  /** Groups that may switch into the management account (warned about: no SCP applies there). */
  readonly managementAccountGroups: readonly string[];
  /** Every group x account x role. */
  readonly switchRoleLinks: SwitchRoleLink[];
}

/** Plans the jump account; problems go to `problems` (the caller throws them at once). */
export function planJumpAccount(problems: Problems, intent: JumpAccountIntent): JumpAccountPlan {
  const org = intent.organization;
  checkCidrs(problems, 'allowedSourceCidrs', intent.allowedSourceCidrs, LIMITS.MANAGED_POLICY_CHARS, 'a managed policy');
  const passwordPolicy = resolvePasswordPolicy(problems, intent.passwordPolicy ?? {});
  const pathGrants = new Map<string, OrganizationPathGrant[]>();
  const groupTargets = planGroups(problems, org, intent.groups, pathGrants);
  const externallyManaged = new Set<string>();
  for (const [j, t] of (intent.externallyManagedRoles ?? []).entries()) {
    for (const r of resolveTarget(problems, `externallyManagedRoles[${j}]`, org, t)) {
      externallyManaged.add(targetRoleKey(r.accountId, r.roleName));
    }
  }
  const users = intent.users ?? [];
  checkUsers(problems, intent.groups, users);
  const userAccess = users.map((u) => planUserAccess(intent, groupTargets, u));
  const assumeRoleChunks = new Map<string, string[][]>();
  const managementAccountGroups: string[] = [];
  for (const [i, g] of intent.groups.entries()) {
    const targets = groupTargets.get(g.groupName) ?? [];
    const grants = pathGrants.get(g.groupName) ?? [];
    const covered = new Set(targets.filter((t) => t.byPath).map((t) => targetRoleKey(t.accountId, t.roleName)));
    const listed = targets.filter((t) => !covered.has(targetRoleKey(t.accountId, t.roleName)));
    const chunks = packArns(listed.map((t) => roleArn(t.accountId, t.roleName)));
    assumeRoleChunks.set(g.groupName, chunks);
    // the group's source-address deny is a managed policy of the group too
    const room = LIMITS.MANAGED_POLICIES_PER_GROUP - (g.allowedSourceCidrs ? 1 : 0) - (grants.length > 0 ? 1 : 0);
    if (chunks.length > room) {
      problems.add(`groups[${i}].targets`, `group '${g.groupName}' reaches ${listed.length} roles by ARN, which need ${chunks.length} managed policies, more than the ${room} iam allows per group${g.allowedSourceCidrs ? ' beside its source-address policy' : ''}${grants.length > 0 ? ' and its organization-path policy' : ''}: split the group, or grant OU-wide targets with byOrganizationPath`);
    }
    const pathPolicy = JSON.stringify(grants.map((grant) => organizationPathStatement(grant, 'aws-us-gov'))).length + 60;
    if (pathPolicy > LIMITS.MANAGED_POLICY_CHARS) {
      problems.add(`groups[${i}].targets`, `group '${g.groupName}''s organization-path grants make a policy of about ${pathPolicy} characters, more than the ${LIMITS.MANAGED_POLICY_CHARS} of a managed policy (each OU path and excluded account counts): select fewer OUs or exclude fewer accounts`);
    }
    if (targets.some((t) => t.accountId === org.managementAccount.accountId)) managementAccountGroups.push(g.groupName);
  }
  const switchRoleLinks = intent.groups.flatMap((g) => (groupTargets.get(g.groupName) ?? []).map((t) => ({
    groupName: g.groupName,
    accountId: t.accountId,
    accountName: t.accountName,
    roleName: t.roleName,
    url: switchRoleUrl(t.roleName, '/', t.accountId, `${t.accountName}/${t.roleName}`),
  })));
  return {
    passwordPolicy,
    groupTargets,
    externallyManaged,
    userAccess,
    assumeRoleChunks,
    organizationPathGrants: pathGrants,
    managementAccountGroups,
    switchRoleLinks,
  };
}

/** The key of a role in an account (IAM role names are case-insensitive). */
export function targetRoleKey(accountId: string, roleName: string): string {
  return `${accountId}/${roleName.toLowerCase()}`;
}

/**
 * The source addresses the sessions of the plan's users must keep to in a target role: for every user who may switch
 * into `roleName` in one of `accountIds`, the account-wide and group CIDRs that bind the user, grouped by CIDR set.
 */
export function sessionSourceRestrictions(plan: JumpAccountPlan, roleName: string, accountIds: string[]): SessionSourceRestriction[] {
  const keys = new Set(accountIds.map((a) => targetRoleKey(a, roleName)));
  const byCidrs = new Map<string, { cidrs: string[]; users: string[] }>();
  for (const u of plan.userAccess) {
    if (![...u.reach].some((k) => keys.has(k))) continue;
    for (const cidrs of u.cidrSets) {
      const sortedCidrs = [...new Set(cidrs)].sort();
      const k = sortedCidrs.join(',');
      const entry = byCidrs.get(k) ?? { cidrs: sortedCidrs, users: [] };
      entry.users.push(u.userName);
      byCidrs.set(k, entry);
    }
  }
  return [...byCidrs.entries()].sort(([a], [b]) => a.localeCompare(b))
    .map(([, e]) => ({ userNames: [...e.users].sort(), allowedSourceCidrs: e.cidrs }));
}

/** The session limits a target role declares, as the access report shows them. */
export interface TargetRoleSession {
  readonly maxSessionSeconds?: number;
  readonly maxMfaAgeSeconds?: number;
}

/**
 * The access-report rows of the plan: every group x account x role, with whether this app deploys the role and, where
 * the composition planned the role (`sessionOf`), its longest session and MFA age.
 */
export function jumpAccessRows(plan: JumpAccountPlan, intent: JumpAccountIntent, path: AccessPath,
  isDeployed: (key: string) => boolean, source: string,
  sessionOf: (key: string) => TargetRoleSession | undefined = () => undefined): AccessReportEntry[] {
  return plan.switchRoleLinks.map((l) => {
    const group = intent.groups.find((g) => g.groupName === l.groupName)!;
    const cidrs = [...(intent.allowedSourceCidrs ?? []), ...(group.allowedSourceCidrs ?? [])];
    const key = targetRoleKey(l.accountId, l.roleName);
    const deployedByLibrary = isDeployed(key);
    const session = sessionOf(key);
    const conditions = [
      session?.maxMfaAgeSeconds !== undefined ? `MFA sign-in at most ${Duration.seconds(session.maxMfaAgeSeconds).toHumanString()} old` : undefined,
      deployedByLibrary ? undefined : 'role managed outside this app: its boundary and trust are not checked',
    ].filter((c) => c !== undefined);
    const level = group.targets.flatMap((t) => t.permissionLevels ?? []).find((pl) => pl.roleName() === l.roleName);
    return {
      path,
      principal: l.groupName,
      principalType: 'iam-group',
      accountId: l.accountId,
      accountName: l.accountName,
      access: l.roleName,
      level: level?.name,
      mfaEnforced: true,
      sourceCidrs: cidrs.length > 0 ? cidrs : undefined,
      boundary: deployedByLibrary,
      elevatedOnly: false,
      maxSessionSeconds: session?.maxSessionSeconds,
      conditions: conditions.length > 0 ? conditions.join('; ') : undefined,
      source,
    };
  });
}

/**
 * The cross-check of the plan against the roles the app deploys (`deployed`: `account/role` key -> deploying
 * construct paths): every target some group points at must be deployed or externally managed. A role deployed twice
 * to one account is the fixed-name check's (`src/unique-names.ts`), which also sees roles of no landing zone.
 * Roles in the model's other organizations are deployed by those organizations' apps, which check them against the
 * jump account's manifest (`hasManifest`); without one they must be externally managed.
 */
export function checkTargetRoles(plan: JumpAccountPlan, groups: JumpGroup[],
  deployed: ReadonlyMap<string, string[]>, org?: Organization, hasManifest = false): string[] {
  const out: string[] = [];
  for (const [i, g] of groups.entries()) {
    const missing = new Map<string, string[]>();
    const missingElsewhere = new Map<string, string[]>();
    for (const t of plan.groupTargets.get(g.groupName) ?? []) {
      const k = targetRoleKey(t.accountId, t.roleName);
      if (deployed.has(k) || plan.externallyManaged.has(k)) continue;
      const holder = org?.organizationOf(t.accountId);
      if (holder && holder !== org && hasManifest) continue;
      const into = holder && holder !== org ? missingElsewhere : missing;
      into.set(t.roleName, [...(into.get(t.roleName) ?? []), `${t.accountId} (${t.accountName})`]);
    }
    for (const [roleName, accounts] of missing) {
      out.push(`groups[${i}].targets: group '${g.groupName}' points at role '${roleName}', which no target deploys in ${accounts.join(', ')}: add a CrossAccountRole there or declare it in externallyManagedRoles`);
    }
    for (const [roleName, accounts] of missingElsewhere) {
      out.push(`groups[${i}].targets: group '${g.groupName}' points at role '${roleName}' in ${accounts.join(', ')} of another organization, which this app cannot deploy: set manifestFile, so that organization's app deploys the role and checks it against the manifest (LandingZone's jumpAccountManifest), or declare it in externallyManagedRoles`);
    }
  }
  return out;
}

// -- the steps

function planGroups(problems: Problems, org: Organization, groups: JumpGroup[],
  pathGrants: Map<string, OrganizationPathGrant[]>): Map<string, ResolvedTarget[]> {
  const groupTargets = new Map<string, ResolvedTarget[]>();
  for (const dup of duplicates(groups.map((g) => g.groupName))) {
    problems.add('groups', `group name '${dup}' is used more than once (iam names are case-insensitive)`);
  }
  for (const [i, g] of groups.entries()) {
    const field = `groups[${i}]`;
    problems.check(`${field}.groupName`, checkLiteralName('group', g.groupName) ?? checkIamName('group', g.groupName, LIMITS.GROUP_NAME_MAX));
    checkCidrs(problems, `${field}.allowedSourceCidrs`, g.allowedSourceCidrs, LIMITS.INLINE_POLICY_AGGREGATE_GROUP_CHARS, 'the inline policies of a group');
    if (g.targets.length === 0) problems.add(`${field}.targets`, `group '${g.groupName}' has no targets: give at least one account x role`);
    const resolved: ResolvedTarget[] = [];
    const grants: OrganizationPathGrant[] = [];
    for (const [j, t] of g.targets.entries()) {
      resolved.push(...resolveTarget(problems, `${field}.targets[${j}]`, org, t, grants));
    }
    pathGrants.set(g.groupName, mergeGrants(grants));
    groupTargets.set(g.groupName, dedupeTargets(resolved));
  }
  return groupTargets;
}

function checkUsers(problems: Problems, groups: JumpGroup[], users: JumpUser[]): void {
  const groupNames = new Set(groups.map((g) => g.groupName.toLowerCase()));
  for (const dup of duplicates(users.map((u) => u.userName))) {
    problems.add('users', `user name '${dup}' is used more than once (iam names are case-insensitive)`);
  }
  for (const [i, u] of users.entries()) {
    const field = `users[${i}]`;
    problems.check(`${field}.userName`, checkLiteralName('user', u.userName) ?? checkIamName('user', u.userName, LIMITS.USER_NAME_MAX));
    if (u.groups.length > LIMITS.GROUPS_PER_USER - 1) {
      problems.add(`${field}.groups`, `user '${u.userName}' is in ${u.groups.length} groups, more than the ${LIMITS.GROUPS_PER_USER - 1} it may join besides the group every user is in (iam allows ${LIMITS.GROUPS_PER_USER})`);
    }
    for (const dup of duplicates(u.groups)) problems.add(`${field}.groups`, `group '${dup}' is listed more than once`);
    for (const [k, gName] of u.groups.entries()) {
      if (!groupNames.has(gName.toLowerCase())) {
        problems.add(`${field}.groups[${k}]`, `group '${gName}' is not one of the groups (${groups.map((g) => g.groupName).join(', ') || 'none'})`);
      }
    }
  }
}

// what a user reaches and the source addresses that bind them everywhere (account-wide and every group's)
function planUserAccess(intent: JumpAccountIntent, groupTargets: Map<string, ResolvedTarget[]>, u: JumpUser): UserAccess {
  const groups = intent.groups.filter((g) => u.groups.some((n) => n.toLowerCase() === g.groupName.toLowerCase()));
  const cidrSets = [intent.allowedSourceCidrs, ...groups.map((g) => g.allowedSourceCidrs)]
    .filter((c): c is string[] => c !== undefined && c.length > 0);
  const reach = new Set(groups.flatMap((g) => (groupTargets.get(g.groupName) ?? []).map((t) => targetRoleKey(t.accountId, t.roleName))));
  return { userName: u.userName, cidrSets, reach };
}

function roleArn(accountId: string, roleName: string): string {
  return `arn:${Aws.PARTITION}:iam::${accountId}:role/${roleName}`;
}

function checkCidrs(problems: Problems, field: string, cidrs: string[] | undefined, limit: number, where: string): void {
  if (cidrs === undefined) return;
  if (cidrs.length === 0) problems.add(field, 'an empty list would lock everyone out: omit it to allow any address');
  for (const [i, c] of cidrs.entries()) problems.check(`${field}[${i}]`, checkCidr(c));
  const length = JSON.stringify(denyOutsideSourceAddresses('DenyOutsideGroupSourceAddresses', cidrs).toStatementJson()).length + 40;
  if (length > limit) {
    problems.add(field, `${cidrs.length} cidrs make a policy of about ${length} characters, more than the ${limit} iam allows for ${where}: use fewer, wider ranges`);
  }
}

function resolveTarget(problems: Problems, field: string, org: Organization, t: JumpTarget,
  grants?: OrganizationPathGrant[]): ResolvedTarget[] {
  const accounts: Array<{ accountId: string; accountName: string; byPath?: boolean }> = [];
  const roleNames = [...(t.permissionLevels ?? []).map((l) => l.roleName()), ...(t.roleNames ?? [])];
  if (t.accounts) {
    // jump targets alone reach the model's other organizations; their names carry the organization's
    const selected = t.accounts._resolveOrReport(org, (m) => problems.add(`${field}.accounts`, m), true);
    let grant: OrganizationPathGrant | undefined;
    if (t.byOrganizationPath && selected.some((a) => org.organizationOf(a.accountId) !== org)) {
      // the paths are built from this organization's ids; another organization's OU of the same name must not match
      problems.add(`${field}.byOrganizationPath`, `selection '${t.accounts.describe()}' reaches accounts of another organization, which byOrganizationPath does not cover: leave byOrganizationPath unset for it`);
    } else if (t.byOrganizationPath) {
      grant = planPathGrant(problems, field, org, t.accounts, selected, roleNames);
    }
    if (grant && grants) grants.push(grant);
    const byPath = grant ? { byPath: true } : {};
    accounts.push(...selected.map((a) => ({ accountId: a.accountId, accountName: org.qualifiedName(a.accountId), ...byPath })));
  } else if (t.byOrganizationPath) {
    problems.add(`${field}.byOrganizationPath`, 'byOrganizationPath needs accounts that select organizational units or all member accounts');
  }
  for (const [k, id] of (t.externalAccountIds ?? []).entries()) {
    const p = checkAccountId(id);
    if (p) problems.add(`${field}.externalAccountIds[${k}]`, p);
    else accounts.push({ accountId: id, accountName: org.tryFindAccount(id)?.name ?? id });
  }
  for (const [k, r] of (t.roleNames ?? []).entries()) {
    problems.check(`${field}.roleNames[${k}]`, checkLiteralName('role', r) ?? checkIamName('role', r, LIMITS.ROLE_NAME_MAX));
    if (r.toLowerCase().startsWith(LZ_ELEVATED_ROLE_PREFIX)) {
      problems.add(`${field}.roleNames[${k}]`, `role '${r}' is an elevated role, reached only through a grant of the elevated-access workflow: a group's standing access to it would never end; use a JumpEligibilityRule instead`);
    }
  }
  if (!t.accounts && (t.externalAccountIds ?? []).length === 0) {
    problems.add(field, 'a target needs accounts or externalAccountIds');
  }
  if (roleNames.length === 0) {
    problems.add(field, 'a target needs permissionLevels or roleNames');
  }
  return accounts.flatMap((a) => roleNames.map((roleName) => ({ ...a, roleName })));
}

// The organization paths of a selection's OUs and the accounts under them it leaves out (excluded, not active, the
// management account), which the grant's own condition leaves out too: a deny would also block a user who reaches
// such an account through another group.
function planPathGrant(problems: Problems, field: string, org: Organization, selection: AccountSelection,
  selected: AccountDefinition[], roleNames: string[]): OrganizationPathGrant | undefined {
  const scopes = selection._organizationPathScopes;
  if (scopes === undefined) {
    problems.add(`${field}.byOrganizationPath`, `selection '${selection.describe()}' names accounts or tags, which no organization path expresses: select organizational units or all member accounts, or leave byOrganizationPath unset`);
    return undefined;
  }
  if (org.organizationId === undefined) {
    problems.add(`${field}.byOrganizationPath`, 'the organization model has no organizationId, with which every organization path starts: set organizationId (o-...) in the model');
    return undefined;
  }
  const paths: string[] = [];
  for (const scope of scopes) {
    if (scope.path !== '' && org.tryFindOrganizationalUnit(scope.path) === undefined) return undefined; // reported by the selection
    paths.push(`${[org.organizationId, org.rootId, ...organizationalUnitIds(org, scope.path)].join('/')}/${scope.recursive ? '*' : ''}`);
  }
  const excludedAccountIds = accountsLeftOut(org, scopes, selected.map((a) => a.accountId));
  return { organizationId: org.organizationId, roleNames: [...new Set(roleNames)].sort(), paths: [...new Set(paths)].sort(), excludedAccountIds };
}

// grants over the same paths and exclusions share one statement
function mergeGrants(grants: OrganizationPathGrant[]): OrganizationPathGrant[] {
  const byScope = new Map<string, OrganizationPathGrant>();
  for (const g of grants) {
    const key = JSON.stringify([g.organizationId, g.paths, g.excludedAccountIds]);
    const seen = byScope.get(key);
    byScope.set(key, seen ? { ...seen, roleNames: [...new Set([...seen.roleNames, ...g.roleNames])].sort() } : g);
  }
  return [...byScope.values()];
}

/**
 * The statement of one grant by organization path. Every condition must hold: MFA, the role's account in the
 * organization and under one of the paths (both keys are absent for an account outside any organization, so the
 * grant then does not apply), and the account not one the selection leaves out.
 */
export function organizationPathStatement(grant: OrganizationPathGrant, partition: string = Aws.PARTITION): Record<string, any> {
  return {
    Effect: 'Allow',
    Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
    Resource: grant.roleNames.map((r) => `arn:${partition}:iam::*:role/${r}`),
    Condition: {
      'Bool': { 'aws:MultiFactorAuthPresent': 'true' },
      'StringEquals': { 'aws:ResourceOrgID': grant.organizationId },
      'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': grant.paths },
      ...(grant.excludedAccountIds.length > 0 ? {
        StringNotEquals: { 'aws:ResourceAccount': grant.excludedAccountIds },
        Null: { 'aws:ResourceAccount': 'false' },
      } : {}),
    },
  };
}

function dedupeTargets(targets: ResolvedTarget[]): ResolvedTarget[] {
  const seen = new Map<string, ResolvedTarget>();
  // a role listed by ARN in one target and covered by a path in another keeps its ARN
  for (const t of targets) {
    const key = targetRoleKey(t.accountId, t.roleName);
    const had = seen.get(key);
    seen.set(key, had && !had.byPath ? had : t);
  }
  return [...seen.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.roleName.localeCompare(b.roleName));
}

// Greedy packing of role ARNs into policy documents under the managed-policy size limit, measured with the
// longest partition name so the check holds in every partition.
function packArns(arns: string[]): string[][] {
  const overhead = 320; // statement skeleton: Version, Sid, Effect, 3 actions, MFA condition, brackets
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = overhead;
  for (const arn of arns) {
    const len = arn.replace(Aws.PARTITION, 'aws-us-gov').length + 3;
    if (current.length > 0 && size + len > LIMITS.MANAGED_POLICY_CHARS) {
      chunks.push(current);
      current = [];
      size = overhead;
    }
    current.push(arn);
    size += len;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function resolvePasswordPolicy(problems: Problems, p: AccountPasswordPolicy): ResolvedPasswordPolicy {
  const minimumLength = p.minimumLength ?? 14;
  const reusePrevention = p.reusePrevention ?? 24;
  const maxAge = p.maxAge ?? Duration.days(90);
  let maxAgeDays = 90;
  if (!Number.isInteger(minimumLength) || minimumLength < 6 || minimumLength > 128) {
    problems.add('passwordPolicy.minimumLength', `minimum length must be an integer of 6-128, got ${minimumLength}`);
  }
  if (!Number.isInteger(reusePrevention) || reusePrevention < 1 || reusePrevention > 24) {
    problems.add('passwordPolicy.reusePrevention', `reuse prevention must be an integer of 1-24, got ${reusePrevention}`);
  }
  if (!maxAge.isUnresolved()) {
    const seconds = maxAge.toSeconds();
    maxAgeDays = seconds / 86_400;
    if (!Number.isInteger(maxAgeDays) || maxAgeDays < 1 || maxAgeDays > 1_095) {
      problems.add('passwordPolicy.maxAge', `max age must be whole days of 1-1095, got ${seconds} seconds`);
    }
  }
  return {
    minimumLength,
    requireSymbols: p.requireSymbols ?? true,
    requireNumbers: p.requireNumbers ?? true,
    requireUppercase: p.requireUppercase ?? true,
    requireLowercase: p.requireLowercase ?? true,
    reusePrevention,
    maxAgeDays,
    hardExpiry: p.hardExpiry ?? false,
  };
}
