// Plans where a landing zone deploys a workflow's jump elevated access: the grant writer in its jump account, the
// elevated roles and the revoker in each target account, each role bounded by the boundary an OU baseline deploys
// there. Pure: the landing zone creates the stacks from this plan.
import { Token } from 'aws-cdk-lib';
import type { JumpElevatedDeployment } from '../elevated-access/jump-elevated-deployment';
import type { Organization } from '../organization';
import type { PermissionLevel } from '../permission-level';
import { elevatedRoleName } from './jump-elevated-plan';
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

/** The resolved placement. */
export interface JumpElevatedPlacementPlan {
  readonly jumpAccountId: string;
  readonly accounts: JumpElevatedPlacementAccount[];
}

/** An OU whose baseline (and so the landing zone boundary) reaches these accounts, and what deploys it. */
export interface BoundaryPlacement {
  readonly accountIds: string[];
  readonly deployedBy: string;
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
  if (d.accounts.length === 0) problems.add('deployment.accounts', 'no target account: the workflow has no jump eligibility rule, so there is nothing to deploy');

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
    const roleNames = a.permissionLevels.map((l) => elevatedRoleName(l));
    if (roleNames.length === 0) problems.add(`${field}.permissionLevels`, 'at least one permission level is required, got none');
    if (new Set(roleNames).size !== roleNames.length) problems.add(`${field}.permissionLevels`, `a permission level is listed twice (${roleNames.join(', ')})`);
    return { accountId: a.accountId, accountName: account?.name ?? a.accountId, permissionLevels: a.permissionLevels, roleNames };
  });
  return { jumpAccountId: d.jumpAccountId, accounts };
}

/**
 * The accounts of the placement that no OU baseline reaches: their elevated roles would reference a boundary that is
 * not there. Checked at synth, when every OU is added.
 */
export function checkElevatedBoundaries(plan: JumpElevatedPlacementPlan, baselines: BoundaryPlacement[]): string[] {
  const covered = new Set(baselines.flatMap((b) => b.accountIds));
  const missing = plan.accounts.filter((a) => !covered.has(a.accountId));
  if (missing.length === 0) return [];
  const list = missing.map((a) => `${a.accountName} (${a.accountId})`).join(', ');
  return [`deployment.accounts: ${list} ${missing.length === 1 ? 'is' : 'are'} in no OU whose baseline deploys the landing zone boundary, which every elevated role carries: add the account's OU with addOrganizationalUnit (deployBaseline true) or exclude the account from the workflow's jump targets`];
}

/** The one placement that deploys the baseline of an account, if any. */
export function baselineOf(accountId: string, baselines: BoundaryPlacement[]): BoundaryPlacement | undefined {
  return baselines.find((b) => b.accountIds.includes(accountId));
}
