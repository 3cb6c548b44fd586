import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { CrossAccountRole, SessionSourceRestriction } from './cross-account-role';
import { Guardrail } from './guardrails/guardrail';
import { GuardrailPolicies } from './guardrails/guardrail-policies';
import { GuardrailTarget } from './guardrails/guardrail-target';
import { IPermissionSet } from './identity-center/permission-set';
import { IdentityCenterPrincipal } from './identity-center/principal';
import { IJumpAccount, JumpAccount } from './jump-account';
import { LandingZoneBoundary } from './landing-zone-boundary';
import type { LandingZoneStacks } from './landing-zone-stacks';
import { AccountDefinition, Organization } from './organization';
import { PermissionLevel } from './permission-level';
import { OrganizationalUnitPlan, PlannedAssignment, planOrganizationalUnit, TargetRolePlacement } from './plan/organizational-unit-plan';
import { ouSlug } from './private/conventions';
import { renderStackTemplate, stackSetTemplateSource } from './private/stack-template';
import { checkTemplateLimits } from './private/template-limits';
import { Problems } from './private/validation';
import type { TrustedJumpAccount } from './trusted-jump-account';
import { declareNameOwner, markComposed } from './unique-names';

/**
 * A role that people of the jump account switch into, deployed to every account of an OU.
 */
export interface TargetRoleOptions {
  /** What the role may do. */
  readonly permissionLevel: PermissionLevel;

  /**
   * The role name.
   *
   * @default - the level's convention, e.g. `lz-read-only`
   */
  readonly roleName?: string;

  /**
   * The longest session, 1-12 hours.
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /**
   * The longest time since the caller's MFA sign-in.
   *
   * @default - no limit beyond the caller's session
   */
  readonly maxMfaAge?: Duration;

  /**
   * Source CIDRs the caller must come from, to assume the role and for every call of its sessions. On top of these,
   * the jump account's account-wide and group CIDRs hold the sessions of the users they bind.
   *
   * @default - any address, except for users the jump account's CIDRs bind
   */
  readonly allowedSourceCidrs?: string[];

  /**
   * Whether callers must name their session after their IAM user (see `CrossAccountRole`). Turning it off also drops
   * the jump account's per-user source-address limits from the role, which recognise users by session name.
   *
   * @default true
   */
  readonly requireUserNameAsSessionName?: boolean;

  /**
   * Whether callers must set their source identity to their user name.
   *
   * @default false
   */
  readonly requireSourceIdentity?: boolean;
}

/**
 * How target roles reach the accounts of an OU.
 */
export enum TargetRoleDeploymentMode {
  /**
   * A service-managed CloudFormation StackSet with automatic deployment targets the OU: accounts created in or moved
   * into the OU (or its nested OUs) later receive the roles without a new `cdk deploy`.
   */
  STACK_SET = 'STACK_SET',
  /**
   * One CDK stack per account (e.g. for CDK Pipelines). New accounts need a redeploy after they are added to the
   * organization model.
   */
  PER_ACCOUNT_STACKS = 'PER_ACCOUNT_STACKS',
}

/**
 * Whether the StackSet is managed from the management account or a delegated administrator.
 */
export enum StackSetCallAs {
  /** The management account. */
  SELF = 'SELF',
  /** A delegated StackSets administrator account. */
  DELEGATED_ADMIN = 'DELEGATED_ADMIN',
}

/**
 * A standing permission-set assignment over every account of an OU.
 */
export interface OrganizationalUnitAssignment {
  /** The group or user. */
  readonly principal: IdentityCenterPrincipal;

  /** The permission set. */
  readonly permissionSet: IPermissionSet;

  /**
   * Accounts (ids or names) of the OU left out.
   *
   * @default - none
   */
  readonly excludeAccounts?: string[];
}

/**
 * What a landing zone provides in one OU.
 */
export interface OrganizationalUnitOptions {
  /**
   * Roles deployed to every account of the OU (nested OUs included) for the jump account's groups.
   *
   * @default - none
   */
  readonly targetRoles?: TargetRoleOptions[];

  /**
   * Whether the OU's accounts receive the landing zone baseline: the permissions boundary policy
   * (`lz-permissions-boundary`, which target roles and permission sets reference) and the target roles. Turn it off
   * for an OU added only for its guardrails or assignments whose accounts get the baseline from another OU's StackSet.
   *
   * @default true
   */
  readonly deployBaseline?: boolean;

  /**
   * How the baseline (boundary and target roles) is deployed.
   *
   * @default TargetRoleDeploymentMode.STACK_SET
   */
  readonly deploymentMode?: TargetRoleDeploymentMode;

  /**
   * Who manages the StackSet.
   *
   * @default StackSetCallAs.SELF
   */
  readonly stackSetCallAs?: StackSetCallAs;

  /**
   * Guardrails attached to this OU (on top of the root's).
   *
   * @default - none
   */
  readonly guardrails?: Guardrail[];

  /**
   * Standing permission-set assignments over the OU's accounts. Needs the landing zone's Identity Center options,
   * and the OU added with `LandingZone.addOrganizationalUnit`, which hands them to its catalog (an OU created
   * directly with assignments fails the synth).
   *
   * @default - none
   */
  readonly assignments?: OrganizationalUnitAssignment[];
}

/**
 * What an OU landing zone is handed by its landing zone: plain data the landing zone resolves once
 * (`LandingZone.organizationalUnitContext`), so the OU reads nothing from the landing zone itself.
 */
export interface OrganizationalUnitContext {
  /** The organization model. */
  readonly organization: Organization;

  /** Where the OU's stacks come from: stack name prefix, region and stack properties; baselines rendered once. */
  readonly stacks: LandingZoneStacks;

  /**
   * The jump account the OU's target roles trust, and the source addresses that bind its users' sessions there.
   *
   * @default - no jump account: an OU with target roles is refused
   */
  readonly trustedJumpAccount?: TrustedJumpAccount;

  /**
   * Whether the landing zone has Identity Center, whose permission-set catalog takes the OU's assignments.
   *
   * @default false - an OU with assignments is refused
   */
  readonly identityCenter?: boolean;
}

/**
 * Something that hands OU landing zones their context: `LandingZone`.
 */
export interface IOrganizationalUnitContextSource {
  /** The context of the OU landing zones added to it. */
  readonly organizationalUnitContext: OrganizationalUnitContext;
}

/**
 * Properties of an OU landing zone.
 */
export interface OrganizationalUnitLandingZoneProps extends OrganizationalUnitOptions {
  /**
   * What the landing zone hands the OU: the organization, its stacks, the trusted jump account, Identity Center.
   *
   * @default - from `landingZone`; one of the two is required
   */
  readonly context?: OrganizationalUnitContext;

  /**
   * The landing zone.
   *
   * @default - none; `context` is required then
   * @deprecated give `context: landingZone.organizationalUnitContext` (or add the OU with
   * `LandingZone.addOrganizationalUnit`, which hands it over)
   */
  readonly landingZone?: IOrganizationalUnitContextSource;

  /** The OU path, e.g. `Workloads/Prod`. */
  readonly organizationalUnit: string;

  /**
   * Where the OU's stacks come from (and its StackSet baseline is rendered once for OUs with the same baseline).
   *
   * @default - the context's, `context.stacks`
   */
  readonly stacks?: LandingZoneStacks;
}

/**
 * The landing zone of one OU: its stack in the management account (guardrails, the target-role StackSet), or
 * per-account target-role stacks, and its permission-set assignments. Create it with
 * `LandingZone.addOrganizationalUnit()`.
 */
export class OrganizationalUnitLandingZone extends Construct {
  /** The OU path. */
  public readonly organizationalUnit: string;
  /**
   * The stack in the management account for this OU (guardrails, baseline StackSet); none when the OU needs neither.
   */
  public readonly stack?: Stack;
  /** The OU's guardrail SCPs, if any. */
  public readonly guardrails?: GuardrailPolicies;
  /** The baseline StackSet (boundary and target roles), in StackSet mode. */
  public readonly stackSet?: cloudformation.CfnStackSet;
  /** The accounts the OU's target roles reach (nested OUs included). */
  public readonly accounts: AccountDefinition[];

  /**
   * The resolved OU: what `LandingZone` hands to the jump account and the catalog.
   * @internal
   */
  public readonly _plan: OrganizationalUnitPlan;
  private readonly baselineStacks: Stack[] = [];
  private assignmentsHanded = false;
  private readonly stacks: LandingZoneStacks;
  private readonly context: OrganizationalUnitContext;

  constructor(scope: Construct, id: string, props: OrganizationalUnitLandingZoneProps) {
    super(scope, id);
    checkTemplateLimits(this);
    const context = contextOf(this, props);
    this.context = context;
    const org = context.organization;
    const problems = Problems.of(this);
    const plan = planOrganizationalUnit(problems, {
      organization: org,
      organizationalUnit: props.organizationalUnit,
      options: props,
      hasJumpAccount: context.trustedJumpAccount !== undefined,
      hasIdentityCenter: context.identityCenter ?? false,
      baselinePolicyName: LandingZoneBoundary.POLICY_NAME,
    });
    problems.throwIfAny();
    this._plan = plan;
    this.organizationalUnit = plan.organizationalUnit.path;
    this.accounts = plan.accounts;
    const ou = plan.organizationalUnit;
    this.stacks = props.stacks ?? context.stacks;

    if (plan.needsStack) {
      this.stack = this.newStack(`Ou-${plan.slug}`, org.managementAccount.accountId, `landing zone of OU ${ou.path}`);
    }
    if ((props.guardrails ?? []).length > 0) {
      this.guardrails = new GuardrailPolicies(this.stack!, 'Guardrails', {
        organization: org,
        targets: [GuardrailTarget.organizationalUnits([ou.path])],
        guardrails: props.guardrails!,
        policyName: `${context.stacks.stackNamePrefix}-${plan.slug}-guardrails`,
      });
    }
    markComposed(this, true);
    // the catalog deploys the assignments: an OU no landing zone handed them from would drop them in silence
    this.node.addValidation({ validate: () => this.assignmentsHanded ? [] : unhandedAssignments(plan.assignments.length) });
    if (plan.deploysBaseline && plan.stackSet) {
      // the StackSet's template is rendered apart: its names are declared here, for every account of the OU
      declareNameOwner(this, {
        fix: () => 'set deployBaseline false on this OU or remove the other declaration',
        deployedNames: () => this.accounts.flatMap((a) => [
          { accountId: a.accountId, kind: 'managed policy' as const, name: LandingZoneBoundary.POLICY_NAME },
          ...plan.roleNames.map((name) => ({ accountId: a.accountId, kind: 'role' as const, name })),
        ]),
      });
      this.stackSet = this.createStackSet(ou.ouId, plan.targetRoles, props.stackSetCallAs ?? StackSetCallAs.SELF);
    } else if (plan.deploysBaseline) {
      for (const account of this.accounts) this.baselineStacks.push(this.createAccountStack(account));
    }
  }

  /**
   * The OU's standing assignments, for the landing zone's catalog (`LandingZone.addOrganizationalUnit`): handed once,
   * so the synth knows they reach a catalog.
   * @internal
   */
  public _handAssignments(): PlannedAssignment[] {
    this.assignmentsHanded = true;
    return this._plan.assignments;
  }

  /**
   * The construct path that deploys a planned target role (the StackSet, or the role in the account's stack).
   * @internal
   */
  public _deployedBy(placement: TargetRolePlacement): string {
    if (this.stackSet) return this.stackSet.node.path;
    const account = this.accounts.find((a) => a.accountId === placement.accountId)!;
    return `${this.node.path}/Stack-Baseline-${account.name}/${placement.roleName}`;
  }

  /** The per-account baseline stacks, in per-account mode (a copy). */
  public get accountStacks(): Stack[] {
    return [...this.baselineStacks];
  }

  /** Whether this OU deploys the baseline (boundary and target roles) to its accounts. */
  public get deploysBaseline(): boolean {
    return this._plan.deploysBaseline;
  }

  /** The names of the OU's target roles. */
  public get roleNames(): string[] {
    return [...this._plan.roleNames];
  }

  private newStack(name: string, accountId: string, description: string): Stack {
    return this.stacks.newStack(this, `Stack-${name}`, name, accountId, description);
  }

  // the roles trust the jump account by id: the landing zone hands the plan's roles to the jump account itself
  private createAccountStack(account: AccountDefinition): Stack {
    const roles = this._plan.targetRoles;
    const stack = this.newStack(`Baseline-${account.name}`, account.accountId, `landing zone baseline of account ${account.name}`);
    const trusted = this.context.trustedJumpAccount;
    const jump = trusted && roles.length > 0 ? JumpAccount.fromAccountId(stack, 'Jump', trusted.accountId) : undefined;
    addBaseline(stack, roles, jump, sessionRestrictions(trusted, roles, [account.accountId]));
    return stack;
  }

  private createStackSet(ouId: string, roles: TargetRoleOptions[], callAs: StackSetCallAs): cloudformation.CfnStackSet {
    const trusted = this.context.trustedJumpAccount;
    const jumpAccountId = trusted?.accountId;
    // one template for every account of the OU: each user's limits hold in every account, so they are merged
    const restrictions = sessionRestrictions(trusted, roles, this.accounts.map((a) => a.accountId));
    // OUs with the same baseline share one rendering
    const body = this.stacks._renderOnce(baselineKey(roles, jumpAccountId, restrictions), () => JSON.stringify(renderStackTemplate(this, (stack) => {
      addBaseline(stack, roles, jumpAccountId ? JumpAccount.fromAccountId(stack, 'Jump', jumpAccountId) : undefined, restrictions);
    })));
    const stackSet = new cloudformation.CfnStackSet(this.stack!, 'Baseline', {
      stackSetName: `${this.context.stacks.stackNamePrefix}-${ouSlug(this.organizationalUnit)}-baseline`,
      description: `Landing zone baseline (permissions boundary${roles.length > 0 ? ', roles for the jump account' : ''}) in every account of OU ${this.organizationalUnit}`,
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs,
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        failureTolerancePercentage: 0,
        maxConcurrentPercentage: 25,
        regionConcurrencyType: 'SEQUENTIAL',
      },
      // IAM is global: one region per account is enough
      stackInstancesGroup: [{
        deploymentTargets: { organizationalUnitIds: [ouId] },
        regions: [this.context.stacks.region],
      }],
      // inline up to CloudFormation's 51,200 bytes, else a template asset
      ...stackSetTemplateSource(this.stack!, 'BaselineTemplate', body),
    });
    if (this._plan.roleNames.length > 0) {
      new CfnOutput(this.stack!, 'TargetRoleNames', {
        value: this._plan.roleNames.join(','),
        description: `roles deployed by the StackSet to OU ${this.organizationalUnit}`,
      });
    }
    return stackSet;
  }
}

// The context handed over, or the deprecated landing zone's; one of them.
function contextOf(scope: Construct, props: OrganizationalUnitLandingZoneProps): OrganizationalUnitContext {
  if (props.context && props.landingZone) {
    throw new Error(`${scope.node.path}: context: both context and landingZone are given: give context only (landingZone is deprecated)`);
  }
  const context = props.context ?? props.landingZone?.organizationalUnitContext;
  if (!context) {
    throw new Error(`${scope.node.path}: context: no context is given: add the OU with LandingZone.addOrganizationalUnit, or give context: landingZone.organizationalUnitContext`);
  }
  return context;
}

function baselineKey(roles: TargetRoleOptions[], jumpAccountId: string | undefined, restrictions: Map<string, SessionSourceRestriction[]>): string {
  return JSON.stringify([jumpAccountId, [...restrictions.entries()], roles.map((r) => [
    r.roleName ?? r.permissionLevel.roleName(),
    r.permissionLevel.name,
    r.permissionLevel.awsManagedPolicyNames,
    r.permissionLevel.managedPolicyArns,
    r.permissionLevel.inlinePolicy?.toJSON(),
    r.maxSessionDuration?.toSeconds(),
    r.maxMfaAge?.toSeconds(),
    r.allowedSourceCidrs,
    r.requireUserNameAsSessionName,
    r.requireSourceIdentity,
  ])]);
}

// The jump account's per-user source-address limits for each target role (by role name), over these accounts.
function sessionRestrictions(trusted: TrustedJumpAccount | undefined, roles: TargetRoleOptions[],
  accountIds: string[]): Map<string, SessionSourceRestriction[]> {
  const out = new Map<string, SessionSourceRestriction[]>();
  if (trusted === undefined) return out;
  for (const r of roles) {
    if (r.requireUserNameAsSessionName === false) continue;
    const name = r.roleName ?? r.permissionLevel.roleName();
    const restrictions = trusted.sessionSourceRestrictions(name, accountIds);
    if (restrictions.length > 0) out.set(name, restrictions);
  }
  return out;
}

// The boundary first: every role of the baseline (and every permission set of the catalog) references it.
function addBaseline(stack: Stack, roles: TargetRoleOptions[], jump: IJumpAccount | undefined,
  restrictions: Map<string, SessionSourceRestriction[]>): void {
  LandingZoneBoundary.ofStack(stack);
  for (const r of roles) {
    const name = r.roleName ?? r.permissionLevel.roleName();
    new CrossAccountRole(stack, name, {
      jumpAccount: jump!,
      permissionLevel: r.permissionLevel,
      roleName: name,
      maxSessionDuration: r.maxSessionDuration,
      maxMfaAge: r.maxMfaAge,
      allowedSourceCidrs: r.allowedSourceCidrs,
      sessionSourceRestrictions: restrictions.get(name),
      requireUserNameAsSessionName: r.requireUserNameAsSessionName,
      requireSourceIdentity: r.requireSourceIdentity,
    });
  }
}

function unhandedAssignments(count: number): string[] {
  if (count === 0) return [];
  return [`assignments: the OU's ${count} assignment${count === 1 ? '' : 's'} ${count === 1 ? 'reaches' : 'reach'} no permission-set catalog, so ${count === 1 ? 'it' : 'they'} would never be deployed: add the OU with LandingZone.addOrganizationalUnit, which hands its assignments to the catalog`];
}
