// Plans the landing zone of one OU from the organization model and the OU's declared options, reporting every
// problem at once: the accounts it reaches, its target roles per account, the customer-managed policy its baseline
// provides, its assignments, and whether it needs a stack in the management account. Pure: no construct is created
// or read here; `OrganizationalUnitLandingZone` emits the plan and `LandingZone` hands its facts to the jump account
// and the permission-set catalog.
import { Duration } from 'aws-cdk-lib';
import { AccountSelection } from '../account-selection';
import type { IPermissionSet } from '../identity-center/permission-set';
import type { IdentityCenterPrincipal } from '../identity-center/principal';
import { AccountDefinition, Organization, OrganizationalUnitDefinition } from '../organization';
import type { OrganizationalUnitOptions, TargetRoleOptions } from '../organizational-unit-landing-zone';
import { TargetRoleSession, targetRoleKey } from './jump-account-plan';
import { ouSlug } from '../private/conventions';
import { duplicates, Problems } from '../private/validation';

/** What one OU is asked to provide, with what the landing zone around it offers. */
export interface OrganizationalUnitIntent {
  readonly organization: Organization;
  readonly organizationalUnit: string;
  readonly options: OrganizationalUnitOptions;
  /** Whether the landing zone has a jump account. */
  readonly hasJumpAccount: boolean;
  /** Whether the landing zone has Identity Center. */
  readonly hasIdentityCenter: boolean;
  /** The customer-managed policy every baseline deploys (the landing zone boundary). */
  readonly baselinePolicyName: string;
}

/** One role the OU deploys in one account. */
export interface TargetRolePlacement {
  readonly accountId: string;
  readonly roleName: string;
}

/** A customer-managed policy that exists in some accounts because the app deploys it there. */
export interface ProvidedCustomerManagedPolicy {
  readonly name: string;
  readonly path: string;
  readonly accountIds: string[];
}

/** A standing assignment, resolved to its account selection. */
export interface PlannedAssignment {
  readonly principal: IdentityCenterPrincipal;
  readonly permissionSet: IPermissionSet;
  readonly accounts: AccountSelection;
}

/** The resolved OU landing zone. */
export interface OrganizationalUnitPlan {
  readonly organizationalUnit: OrganizationalUnitDefinition;
  /** The OU path as a name part, e.g. `Workloads-Prod`. */
  readonly slug: string;
  /** The accounts the baseline reaches (nested OUs included). */
  readonly accounts: AccountDefinition[];
  readonly targetRoles: TargetRoleOptions[];
  readonly roleNames: string[];
  readonly deploysBaseline: boolean;
  /** Whether the baseline is a StackSet (else one stack per account). */
  readonly stackSet: boolean;
  /** Whether the OU needs a stack in the management account (guardrails or the baseline StackSet). */
  readonly needsStack: boolean;
  /** Every account x target role of the baseline. */
  readonly placements: TargetRolePlacement[];
  /** The policies the baseline provides (the boundary), for permission sets that reference them. */
  readonly providedPolicies: ProvidedCustomerManagedPolicy[];
  readonly assignments: PlannedAssignment[];
}

/** The role name of a target role: given, or the level's convention. */
export function targetRoleName(r: TargetRoleOptions): string {
  return r.roleName ?? r.permissionLevel.roleName();
}

/** Plans one OU; problems go to `problems` (the caller throws them at once). */
export function planOrganizationalUnit(problems: Problems, intent: OrganizationalUnitIntent): OrganizationalUnitPlan {
  const org = intent.organization;
  const props = intent.options;
  const ou = org.findOrganizationalUnit(intent.organizationalUnit);
  const roles = props.targetRoles ?? [];
  const stackSet = (props.deploymentMode ?? 'STACK_SET') === 'STACK_SET';
  const accounts = org.accountsIn(ou.path, true);
  const roleNames = roles.map(targetRoleName);
  const deploysBaseline = props.deployBaseline ?? true;

  for (const dup of duplicates(roleNames)) {
    problems.add('targetRoles', `role name '${dup}' is used by more than one target role`);
  }
  if (roles.length > 0 && !deploysBaseline) {
    problems.add('deployBaseline', 'target roles are part of the baseline: they need deployBaseline true');
  }
  if (roles.length > 0 && !intent.hasJumpAccount) {
    problems.add('targetRoles', 'target roles trust the jump account, but the landing zone has no jumpAccount options');
  }
  if ((props.assignments ?? []).length > 0 && !intent.hasIdentityCenter) {
    problems.add('assignments', 'assignments need the landing zone\'s identityCenter options');
  }
  const jumpId = org.jumpAccount?.accountId;
  if (roles.length > 0 && jumpId && accounts.some((a) => a.accountId === jumpId)) {
    problems.add('targetRoles', `ou '${ou.path}' holds the jump account ${jumpId}: target roles there would let jump users stay in the account that holds their credentials; deploy them to other OUs`);
  }
  if (deploysBaseline && accounts.some((a) => a.accountId === org.managementAccount.accountId)) {
    problems.add('deployBaseline', `ou '${ou.path}' holds the management account, which StackSets never reach`);
  }

  const hasGuardrails = (props.guardrails ?? []).length > 0;
  return {
    organizationalUnit: ou,
    slug: ouSlug(ou.path),
    accounts,
    targetRoles: roles,
    roleNames,
    deploysBaseline,
    stackSet,
    needsStack: hasGuardrails || (deploysBaseline && stackSet),
    placements: deploysBaseline ? accounts.flatMap((a) => roleNames.map((roleName) => ({ accountId: a.accountId, roleName }))) : [],
    providedPolicies: deploysBaseline ? [{ name: intent.baselinePolicyName, path: '/', accountIds: accounts.map((a) => a.accountId) }] : [],
    assignments: (props.assignments ?? []).map((a) => ({
      principal: a.principal,
      permissionSet: a.permissionSet,
      accounts: AccountSelection.organizationalUnits([ou.path], { excludeAccounts: a.excludeAccounts }),
    })),
  };
}

/**
 * Service-managed StackSets reach nested OUs, so an OU and one of its ancestors cannot both deploy a baseline.
 */
export function checkBaselineOverlaps(plans: readonly OrganizationalUnitPlan[]): string[] {
  const withRoles = plans.filter((p) => p.deploysBaseline).map((p) => p.organizationalUnit.path);
  const out: string[] = [];
  for (const a of withRoles) {
    for (const b of withRoles) {
      if (a !== b && b.startsWith(`${a}/`)) {
        out.push(`organizationalUnits: ou '${b}' and its ancestor '${a}' both deploy a baseline; accounts of '${b}' would get both (boundary and role names clash): set deployBaseline false on one of them`);
      }
    }
  }
  return out;
}

/**
 * The session limits of every planned target role (`account/role` key), for the jump account's access-report rows: the
 * role's longest session (1 hour unless set, like `CrossAccountRole`) and its MFA age when set.
 */
export function plannedRoleSessions(plans: ReadonlyArray<OrganizationalUnitPlan>): Map<string, TargetRoleSession> {
  const out = new Map<string, TargetRoleSession>();
  const seconds = (d: Duration | undefined) => (d && !d.isUnresolved() ? d.toSeconds() : undefined);
  for (const plan of plans) {
    const byName = new Map(plan.targetRoles.map((r) => [targetRoleName(r), r]));
    for (const p of plan.placements) {
      const role = byName.get(p.roleName);
      if (!role) continue;
      out.set(targetRoleKey(p.accountId, p.roleName), {
        maxSessionSeconds: seconds(role.maxSessionDuration ?? Duration.hours(1)),
        maxMfaAgeSeconds: seconds(role.maxMfaAge),
      });
    }
  }
  return out;
}

/** The roles the OUs deploy: `account/role` key -> the construct paths deploying it, in the order of the OUs. */
export function deployedTargetRoles(
  units: ReadonlyArray<{ plan: OrganizationalUnitPlan; deployedBy: (p: TargetRolePlacement) => string }>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { plan, deployedBy } of units) {
    for (const p of plan.placements) {
      const k = targetRoleKey(p.accountId, p.roleName);
      out.set(k, [...(out.get(k) ?? []), deployedBy(p)]);
    }
  }
  return out;
}
