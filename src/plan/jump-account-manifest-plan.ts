// The jump account's manifest: the roles its groups expect in the accounts of the model's other organizations, and the
// source addresses that bind each user there. The jump account's app writes it (and fails when the committed file is
// stale); each other organization's app reads it, trusts the jump account it names, and fails when it does not deploy
// a role the manifest expects. So "every group x account x role is deployed" holds across the apps. Pure: no file is
// read or written here.
import type { SessionSourceRestriction } from '../cross-account-role';
import type { Organization } from '../organization';
import { JumpAccountPlan, sessionSourceRestrictions, targetRoleKey } from './jump-account-plan';
import { ACCOUNT_ID_PATTERN } from '../private/patterns';

/** One role the jump account's groups expect in an account of another organization. */
export interface ManifestRole {
  readonly accountId: string;
  readonly accountName: string;
  readonly roleName: string;
  /** The groups that may switch into it. */
  readonly groups: string[];
  /** The source addresses that bind the users who reach it (the role's trust enforces them on their sessions). */
  readonly sessionSourceRestrictions: SessionSourceRestriction[];
}

/** The roles expected in one other organization. */
export interface ManifestOrganization {
  readonly name: string;
  readonly organizationId: string;
  readonly roles: ManifestRole[];
}

/** The manifest, as committed. */
export interface ManifestData {
  readonly jumpAccountId: string;
  readonly organizations: ManifestOrganization[];
}

const COMMENT = 'Written by the jump account\'s app (cdk-iam-landing-zone): the roles its groups expect in other organizations. '
  + 'Do not edit: synthesize that app with -c lz:writeJumpAccountManifest=true to rewrite it, and commit it.';

/** The manifest of the plan: every target in another organization that is not externally managed. */
export function planJumpAccountManifest(plan: JumpAccountPlan, org: Organization, jumpAccountId: string): ManifestData {
  const organizations = org.otherOrganizations.map((other) => {
    const byKey = new Map<string, { accountId: string; accountName: string; roleName: string; groups: Set<string> }>();
    for (const l of plan.switchRoleLinks) {
      const k = targetRoleKey(l.accountId, l.roleName);
      if (!other.organization.isMember(l.accountId) || plan.externallyManaged.has(k)) continue;
      const accountName = other.organization.findAccount(l.accountId).name;
      const entry = byKey.get(k) ?? { accountId: l.accountId, accountName, roleName: l.roleName, groups: new Set<string>() };
      entry.groups.add(l.groupName);
      byKey.set(k, entry);
    }
    const roles = [...byKey.values()]
      .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.roleName.localeCompare(b.roleName))
      .map((r) => ({
        accountId: r.accountId,
        accountName: r.accountName,
        roleName: r.roleName,
        groups: [...r.groups].sort(),
        sessionSourceRestrictions: sessionSourceRestrictions(plan, r.roleName, [r.accountId]),
      }));
    return { name: other.name, organizationId: other.organization.organizationId!, roles };
  });
  return { jumpAccountId, organizations };
}

/** The committed text of a manifest: stable, so a re-synth without changes rewrites the same bytes. */
export function renderJumpAccountManifest(data: ManifestData): string {
  return JSON.stringify({ $comment: COMMENT, ...data }, undefined, 2) + '\n';
}

/** The manifest from its text; throws naming each field that is not what the writer writes. */
export function parseJumpAccountManifest(text: string, where: string): ManifestData {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: the manifest is not JSON (${(e as Error).message}): rewrite it from the jump account's app`);
  }
  const problems: string[] = [];
  if (typeof data?.jumpAccountId !== 'string' || !ACCOUNT_ID_PATTERN.test(data.jumpAccountId)) problems.push('jumpAccountId: expected a 12-digit account id');
  if (!Array.isArray(data?.organizations)) problems.push('organizations: expected a list');
  for (const [i, o] of (Array.isArray(data?.organizations) ? data.organizations : []).entries()) {
    if (typeof o?.organizationId !== 'string' || typeof o?.name !== 'string') problems.push(`organizations[${i}]: expected name and organizationId`);
    if (!Array.isArray(o?.roles)) problems.push(`organizations[${i}].roles: expected a list`);
    for (const [j, r] of (Array.isArray(o?.roles) ? o.roles : []).entries()) {
      if (typeof r?.accountId !== 'string' || typeof r?.roleName !== 'string' || !Array.isArray(r?.groups) || !Array.isArray(r?.sessionSourceRestrictions)) {
        problems.push(`organizations[${i}].roles[${j}]: expected accountId, roleName, groups and sessionSourceRestrictions`);
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`${where}: the manifest is not one the jump account's app writes (${problems.join('; ')}): rewrite it from that app`);
  }
  const { $comment: _, ...rest } = data;
  return rest as ManifestData;
}

/** What changed between the committed manifest and the current one, briefly (empty when they are equal). */
export function manifestChanges(committed: ManifestData | undefined, current: ManifestData): string[] {
  if (committed === undefined) return [];
  const out: string[] = [];
  if (committed.jumpAccountId !== current.jumpAccountId) out.push(`jump account ${committed.jumpAccountId} -> ${current.jumpAccountId}`);
  const flatten = (d: ManifestData) => new Map(d.organizations.flatMap((o) => o.roles.map((r) => [
    `${o.name}:${r.accountName}/${r.roleName}`, JSON.stringify([o.organizationId, r]),
  ] as [string, string])));
  const before = flatten(committed);
  const after = flatten(current);
  for (const k of after.keys()) if (!before.has(k)) out.push(`+ ${k}`);
  for (const k of before.keys()) if (!after.has(k)) out.push(`- ${k}`);
  for (const [k, v] of after) if (before.has(k) && before.get(k) !== v) out.push(`~ ${k} (groups or source addresses)`);
  return out;
}

/** The roles a manifest expects in this organization, or undefined when it names the organization nowhere. */
export function manifestRolesFor(data: ManifestData, org: Organization): ManifestRole[] | undefined {
  return data.organizations.find((o) => o.organizationId === org.organizationId)?.roles;
}

/**
 * The check of another organization's app against the jump account's manifest: every role the manifest expects in
 * this organization is deployed here (`deployed`: `account/role` key -> deploying paths), in an active member account.
 */
export function checkManifestDeployed(data: ManifestData, org: Organization, deployed: ReadonlyMap<string, string[]>): string[] {
  const roles = manifestRolesFor(data, org);
  if (roles === undefined) {
    const served = data.organizations.map((o) => `${o.name} (${o.organizationId})`).join(', ') || 'none';
    return [`jumpAccountManifest: the manifest of jump account ${data.jumpAccountId} expects no role in organization ${org.organizationId ?? '(organizationId not set)'} (it serves: ${served}): add this organization to the jump app's otherOrganizations and rewrite the manifest there, or set this model's organizationId`];
  }
  const out: string[] = [];
  for (const r of roles) {
    const account = org.tryFindAccount(r.accountId);
    if (!account || !org.isMember(r.accountId) || !org.isActive(account)) {
      out.push(`jumpAccountManifest: the manifest expects role '${r.roleName}' in account ${r.accountId} ('${r.accountName}'), which is not an active member account of this organization: the jump app's copy of this organization's model is stale; import it again there (lz-org import) and rewrite the manifest`);
    } else if (!deployed.has(targetRoleKey(r.accountId, r.roleName))) {
      out.push(`jumpAccountManifest: group${r.groups.length === 1 ? '' : 's'} ${r.groups.map((g) => `'${g}'`).join(', ')} of jump account ${data.jumpAccountId} expect${r.groups.length === 1 ? 's' : ''} role '${r.roleName}' in account ${r.accountId} (${account.name}), which no OU of this app deploys: add it to the targetRoles of the account's OU (addOrganizationalUnit), or remove the target in the jump app and rewrite its manifest`);
    }
  }
  return out;
}

/** The source addresses that bind the manifest's users in `roleName` of these accounts, merged by CIDR set. */
export function manifestSessionRestrictions(data: ManifestData, org: Organization, roleName: string,
  accountIds: string[]): SessionSourceRestriction[] {
  const ids = new Set(accountIds);
  const byCidrs = new Map<string, { cidrs: string[]; users: Set<string> }>();
  for (const r of manifestRolesFor(data, org) ?? []) {
    if (!ids.has(r.accountId) || r.roleName.toLowerCase() !== roleName.toLowerCase()) continue;
    for (const s of r.sessionSourceRestrictions) {
      const cidrs = [...new Set(s.allowedSourceCidrs)].sort();
      const k = cidrs.join(',');
      const entry = byCidrs.get(k) ?? { cidrs, users: new Set<string>() };
      s.userNames.forEach((u) => entry.users.add(u));
      byCidrs.set(k, entry);
    }
  }
  return [...byCidrs.entries()].sort(([a], [b]) => a.localeCompare(b))
    .map(([, e]) => ({ userNames: [...e.users].sort(), allowedSourceCidrs: e.cidrs }));
}
