// Plans where a landing zone deploys a workflow's jump elevated access: the grant writer in its jump account, the
// elevated roles and the revoker in each target account, each role bounded by the boundary an OU baseline deploys
// there. Pure: the landing zone creates the stacks from this plan.
import { Token } from 'aws-cdk-lib';
import type { JumpElevatedDeployment } from '../elevated-access/jump-elevated-deployment';
import type { Organization } from '../organization';
import type { PermissionLevel } from '../permission-level';
import { elevatedRoleName } from './jump-elevated-plan';
import { LZ_ELEVATED_REVOKER_ROLE_NAME, ouSlug } from '../private/conventions';
import { Problems } from '../private/validation';

/** What `LandingZone.addJumpElevatedAccess` is given, with what the landing zone knows. */
export interface JumpElevatedPlacementIntent {
  readonly organization: Organization;
  /** The landing zone's own jump account, if it has one. */
  readonly jumpAccountId?: string;
  readonly deployment: JumpElevatedDeployment;
  /**
   * The deployment's principal fields holding a reference to a resource of another account's stack (e.g.
   * `workflowRoleArn`), which no stack of the jump or a target account can resolve.
   */
  readonly foreignReferences: string[];
}

/** One target account: its elevated roles. */
export interface JumpElevatedPlacementAccount {
  readonly accountId: string;
  readonly accountName: string;
  readonly permissionLevels: PermissionLevel[];
  readonly roleNames: string[];
}

/** One followed OU: a StackSet deploys its elevated roles to every account under it, present and future. */
export interface JumpElevatedPlacementOrganizationalUnit {
  readonly path: string;
  readonly ouId: string;
  readonly slug: string;
  readonly permissionLevels: PermissionLevel[];
  readonly roleNames: string[];
  /** The model's accounts under it (nested OUs included), where the roles deploy now. */
  readonly accountIds: string[];
  /** The management, jump and host accounts under it: no elevated role may be deployed there. */
  readonly excludedAccounts: string[];
}

/** The resolved placement. */
export interface JumpElevatedPlacementPlan {
  readonly jumpAccountId: string;
  readonly accounts: JumpElevatedPlacementAccount[];
  readonly organizationalUnits: JumpElevatedPlacementOrganizationalUnit[];
}

/** An OU whose baseline (and so the landing zone boundary) reaches these accounts, and what deploys it. */
export interface BoundaryPlacement {
  readonly accountIds: string[];
  readonly deployedBy: string;
  /** The OU's path. */
  readonly organizationalUnit?: string;
  /** Whether a StackSet deploys it, which reaches accounts added to the OU later. */
  readonly stackSet?: boolean;
}

/** Names of the roles in every target account: one per level, and the revoker. */
export function elevatedRoleNames(roleNames: string[]): string[] {
  return [...roleNames, LZ_ELEVATED_REVOKER_ROLE_NAME];
}

const FOREIGN_FIX = 'give literal strings (the role ARN from its fixed name and path): a stack of another account cannot '
  + 'reference it';

export function planJumpElevatedPlacement(problems: Problems, intent: JumpElevatedPlacementIntent): JumpElevatedPlacementPlan {
  const d = intent.deployment;
  const org = intent.organization;
  if (intent.jumpAccountId === undefined) {
    problems.add('deployment.jumpAccountId', `the landing zone has no jump account of its own, but the deployment is for jump account ${d.jumpAccountId}: give the landing zone jumpAccount options, or deploy the deployment from the jump account's app`);
  } else if (d.jumpAccountId !== intent.jumpAccountId) {
    problems.add('deployment.jumpAccountId', `the deployment is for jump account ${d.jumpAccountId}, but this landing zone's jump account is ${intent.jumpAccountId}: give the workflow this landing zone's jump account`);
  }
  for (const field of intent.foreignReferences) {
    problems.add(`deployment.${field}`, `holds a reference to a resource of another account's stack; ${FOREIGN_FIX}`);
  }
  for (const [i, arn] of d.apiArns.entries()) {
    if (!Token.isUnresolved(arn) && !/^arn:[\w-]+:execute-api:/.test(arn)) {
      problems.add(`deployment.apiArns[${i}]`, `'${arn}' is not an execute-api ARN, expected e.g. 'arn:aws:execute-api:eu-west-1:${d.workflowAccountId}:*/prod/POST/requests'`);
    }
  }
  const organizationalUnits = planOrganizationalUnits(problems, intent);
  if (d.accounts.length === 0 && organizationalUnits.length === 0) problems.add('deployment.accounts', 'no target account: the workflow has no jump eligibility rule, so there is nothing to deploy');

  const seen = new Set<string>();
  const accounts = d.accounts.map((a, i) => {
    const field = `deployment.accounts[${i}]`;
    if (seen.has(a.accountId)) problems.add(`${field}.accountId`, `account ${a.accountId} is listed twice, expected each account once`);
    seen.add(a.accountId);
    const account = org.tryFindAccount(a.accountId);
    if (account === undefined || !org.isMember(a.accountId)) {
      problems.add(`${field}.accountId`, `account ${a.accountId} is not a member account of the organization model`);
    } else if (a.accountId === org.managementAccount.accountId || a.accountId === intent.jumpAccountId) {
      problems.add(`${field}.accountId`, `account ${a.accountId} is the ${a.accountId === intent.jumpAccountId ? 'jump' : 'management'} account, where no elevated role may be deployed: exclude it from the workflow's jump targets`);
    }
    const ou = organizationalUnits.find((o) => o.accountIds.includes(a.accountId));
    if (ou !== undefined) {
      problems.add(`${field}.accountId`, `account ${a.accountId} is under OU ${ou.path}, whose StackSet deploys the elevated roles to every account there: list its levels under organizationalUnits only`);
    }
    const roleNames = levelRoleNames(problems, `${field}.permissionLevels`, a.permissionLevels);
    return { accountId: a.accountId, accountName: account?.name ?? a.accountId, permissionLevels: a.permissionLevels, roleNames };
  });
  return { jumpAccountId: d.jumpAccountId, accounts, organizationalUnits };
}

function levelRoleNames(problems: Problems, field: string, levels: PermissionLevel[]): string[] {
  const roleNames = levels.map((l) => elevatedRoleName(l));
  if (roleNames.length === 0) problems.add(field, 'at least one permission level is required, got none');
  if (new Set(roleNames).size !== roleNames.length) problems.add(field, `a permission level is listed twice (${roleNames.join(', ')})`);
  return roleNames;
}

// Each followed OU once, none inside another (both StackSets would deploy the same role names to its accounts).
function planOrganizationalUnits(problems: Problems, intent: JumpElevatedPlacementIntent): JumpElevatedPlacementOrganizationalUnit[] {
  const org = intent.organization;
  const units = intent.deployment.organizationalUnits;
  const paths = units.map((u) => u.organizationalUnit);
  const refused = [org.managementAccount.accountId, intent.jumpAccountId, intent.deployment.workflowAccountId];
  return units.flatMap((u, i) => {
    const field = `deployment.organizationalUnits[${i}]`;
    const path = u.organizationalUnit;
    const roleNames = levelRoleNames(problems, `${field}.permissionLevels`, u.permissionLevels);
    const found = path === '' ? undefined : org.tryFindOrganizationalUnit(path);
    if (found === undefined) {
      problems.add(`${field}.organizationalUnit`, `'${path}' is not an OU of the organization model, expected an OU path such as 'Workloads/Prod' (the root has no baseline, so no boundary)`);
      return [];
    }
    if (paths.indexOf(path) !== i) problems.add(`${field}.organizationalUnit`, `OU ${path} is listed twice, expected each OU once`);
    const outer = paths.find((q) => path.startsWith(`${q}/`));
    if (outer !== undefined) problems.add(`${field}.organizationalUnit`, `OU ${path} is inside OU ${outer}, whose StackSet already reaches its accounts: list the levels under ${outer} only`);
    const accountIds = org.accounts.filter((a) => a.organizationalUnit !== undefined && (a.organizationalUnit === path || a.organizationalUnit.startsWith(`${path}/`)))
      .map((a) => a.accountId);
    return [{
      path,
      ouId: found.ouId,
      slug: ouSlug(path),
      permissionLevels: u.permissionLevels,
      roleNames,
      accountIds: accountIds.filter((id) => !refused.includes(id)),
      excludedAccounts: [...new Set(accountIds.filter((id) => refused.includes(id)))].sort(),
    }];
  });
}

/**
 * The accounts of the placement that no OU baseline reaches: their elevated roles would reference a boundary that is
 * not there. Checked at synth, when every OU is added.
 */
export function checkElevatedBoundaries(plan: JumpElevatedPlacementPlan, baselines: BoundaryPlacement[]): string[] {
  const covered = new Set(baselines.flatMap((b) => b.accountIds));
  const missing = plan.accounts.filter((a) => !covered.has(a.accountId));
  const problems = plan.organizationalUnits.flatMap((ou, i) => checkFollowedBaseline(`deployment.organizationalUnits[${i}]`, ou, baselines));
  if (missing.length === 0) return problems;
  const list = missing.map((a) => `${a.accountName} (${a.accountId})`).join(', ');
  return [`deployment.accounts: ${list} ${missing.length === 1 ? 'is' : 'are'} in no OU whose baseline deploys the landing zone boundary, which every elevated role carries: add the account's OU with addOrganizationalUnit (deployBaseline true) or exclude the account from the workflow's jump targets`, ...problems];
}

/** The baseline StackSet of the OU or of an OU above it: it gives every account there, present and future, the boundary. */
export function followedBaselineOf(ou: JumpElevatedPlacementOrganizationalUnit, baselines: BoundaryPlacement[]): BoundaryPlacement | undefined {
  return baselines.find((b) => b.stackSet && b.organizationalUnit !== undefined
    && (ou.path === b.organizationalUnit || ou.path.startsWith(`${b.organizationalUnit}/`)));
}

function checkFollowedBaseline(field: string, ou: JumpElevatedPlacementOrganizationalUnit, baselines: BoundaryPlacement[]): string[] {
  if (followedBaselineOf(ou, baselines) !== undefined) return [];
  const perAccount = baselines.find((b) => !b.stackSet && b.organizationalUnit !== undefined
    && (ou.path === b.organizationalUnit || ou.path.startsWith(`${b.organizationalUnit}/`)));
  const why = perAccount
    ? `the baseline of OU ${perAccount.organizationalUnit} deploys a stack per account, which no account added later gets, so its elevated roles would lack the boundary: deploy that OU's baseline as a StackSet`
    : 'no OU baseline StackSet reaches it, so its accounts lack the landing zone boundary every elevated role carries: add the OU (or one above it) with addOrganizationalUnit in StackSet mode (deployBaseline true)';
  return [`${field}: OU ${ou.path} is followed by jump rules, but ${why}`];
}

/** The one placement that deploys the baseline of an account, if any. */
export function baselineOf(accountId: string, baselines: BoundaryPlacement[]): BoundaryPlacement | undefined {
  return baselines.find((b) => b.accountIds.includes(accountId));
}
