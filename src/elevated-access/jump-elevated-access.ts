import { Aws, IResolvable, Reference, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ElevatedRoles } from './elevated-roles';
import type { JumpElevatedDeployment } from './jump-elevated-deployment';
import { JumpGrantWriter } from './jump-grant-writer';
import { acknowledgeApiPolicyFindings } from './jump-inherent-findings';
import { JumpAccount } from '../jump-account';
import { LandingZoneBoundary } from '../landing-zone-boundary';
import type { LandingZoneStacks } from '../landing-zone-stacks';
import type { Organization } from '../organization';
import type { OrganizationalUnitLandingZone } from '../organizational-unit-landing-zone';
import {
  baselineOf, BoundaryPlacement, checkElevatedBoundaries, elevatedRoleNames, followedBaselineOf,
  JumpElevatedPlacementOrganizationalUnit, JumpElevatedPlacementPlan, planJumpElevatedPlacement,
} from '../plan/jump-elevated-placement';
import { renderStackTemplate, stackSetTemplateSource } from '../private/stack-template';
import { checkTemplateLimits } from '../private/template-limits';
import { Problems } from '../private/validation';
import { declareNameOwner } from '../unique-names';

/**
 * What a landing zone hands its jump elevated access (`LandingZone.jumpElevatedAccessContext`): plain data, so the
 * construct reads nothing from the landing zone itself.
 */
export interface JumpElevatedAccessContext {
  /** The organization model. */
  readonly organization: Organization;

  /**
   * The jump account whose users get the grants: the grant writer and the API policy go into its stack.
   *
   * @default - none: the jump elevated access is refused
   */
  readonly jumpAccount?: JumpAccount;

  /** Where the target-account stacks come from: stack name prefix, region and stack properties. */
  readonly stacks: LandingZoneStacks;
}

/**
 * Something that hands jump elevated access its context: `LandingZone`.
 */
export interface IJumpElevatedAccessContextSource {
  /** The context of the jump elevated access added to it. */
  readonly jumpElevatedAccessContext: JumpElevatedAccessContext;
}

/**
 * Properties of the jump elevated access a landing zone deploys.
 */
export interface JumpElevatedAccessProps {
  /**
   * What the landing zone hands it: the organization, the jump account, the stacks.
   *
   * @default - from `landingZone`; one of the two is required
   */
  readonly context?: JumpElevatedAccessContext;

  /**
   * The landing zone: its jump account gets the grant writer, each target account a stack of elevated roles.
   *
   * @default - none; `context` is then required
   * @deprecated give `context: landingZone.jumpElevatedAccessContext`, or create it with
   * `LandingZone.addJumpElevatedAccess`, which also hands it every OU baseline
   */
  readonly landingZone?: IJumpElevatedAccessContextSource;

  /** What the workflow's jump rules need deployed (`ElevatedAccessWorkflow.jumpDeployment`). */
  readonly deployment: JumpElevatedDeployment;

  /**
   * Where the target-account stacks come from.
   *
   * @default - the context's `stacks`
   */
  readonly stacks?: LandingZoneStacks;
}

/**
 * A workflow's jump elevated access, deployed by a landing zone: in its jump account the grant writer (and the jump
 * users' boundary on every user) and the users' permission to call the workflow's API; in every target account a
 * stack of its own with the `lz-elevated-<level>` roles and the revoker, bounded by the landing zone boundary that an
 * OU baseline deploys there. Create it with `LandingZone.addJumpElevatedAccess()`.
 *
 * One stack per target account, like the OU baselines' per-account mode: accounts added to the organization model
 * later need a redeploy. With `jumpAccess.followOrganizationalUnits`, the OUs jump rules follow get one
 * auto-deploying StackSet each instead (in a management-account stack), which reaches accounts added to them later.
 */
export class JumpElevatedAccess extends Construct {
  /** The grant writer in the jump account. */
  public readonly grantWriter: JumpGrantWriter;

  /** The policy letting every jump user call the workflow's API, attached to the every-user group. */
  public readonly apiPolicy?: iam.Policy;

  /** The elevated roles by account id. */
  public readonly elevatedRoles: Record<string, ElevatedRoles> = {};

  /** The workflow role the grant writer and the revokers trust. */
  public readonly workflowRoleArn: string;

  /** The target-account stacks. */
  public readonly accountStacks: Stack[] = [];

  /**
   * The stack in the management account with the StackSets of the followed OUs; none when jump rules follow no OU.
   */
  public readonly organizationalUnitsStack?: Stack;

  /** The StackSet deploying the elevated roles to each followed OU, by OU path. */
  public readonly organizationalUnitStackSets: Record<string, cloudformation.CfnStackSet> = {};

  private readonly plan: JumpElevatedPlacementPlan;
  private readonly stacksByAccount = new Map<string, Stack>();
  private readonly baselines: BoundaryPlacement[] = [];

  constructor(scope: Construct, id: string, props: JumpElevatedAccessProps) {
    super(scope, id);
    checkTemplateLimits(this);
    const context = contextOf(this, props);
    const d = props.deployment;
    const problems = Problems.of(this);
    const jump = context.jumpAccount;
    const apiArns = d.apiArns.map((a) => literalApiArn(a, jump?.accountId));
    this.plan = planJumpElevatedPlacement(problems, {
      organization: context.organization,
      jumpAccountId: jump?.accountId,
      deployment: { ...d, apiArns },
      foreignReferences: foreignReferences(d, jump?.accountId),
    });
    problems.throwIfAny();
    this.workflowRoleArn = d.workflowRoleArn;
    const stacks = props.stacks ?? context.stacks;

    // the writer touches no other construct: the landing zone hands its boundary to the jump account
    this.grantWriter = new JumpGrantWriter(Stack.of(jump!), 'JumpElevatedAccess', {
      workflowRoleArn: d.workflowRoleArn,
      reconcilerRoleArn: d.reconcilerRoleArn,
      groupReaderPrincipalArns: d.groupReaderPrincipalArns,
      workflowApiArns: apiArns,
    });
    // the boundary only caps: every user may call the API, which decides by the signer who may ask or approve what
    if (apiArns.length > 0) {
      this.apiPolicy = new iam.Policy(Stack.of(jump!), 'ElevatedAccessApi', {
        groups: [jump!.everyoneGroup],
        statements: [new iam.PolicyStatement({ sid: 'ElevatedAccessApi', actions: ['execute-api:Invoke'], resources: apiArns })],
      });
      acknowledgeApiPolicyFindings(this.apiPolicy, apiArns);
    }

    for (const account of this.plan.accounts) {
      const name = `JumpElevated-${account.accountName}`;
      const stack = stacks.newStack(this, `Stack-${name}`, name, account.accountId,
        `elevated roles of account ${account.accountName}, reached by jump users only through a grant`);
      this.elevatedRoles[account.accountId] = new ElevatedRoles(stack, 'ElevatedRoles', {
        jumpAccount: JumpAccount.fromAccountId(stack, 'Jump', this.plan.jumpAccountId),
        permissionLevels: account.permissionLevels,
        workflowRoleArn: d.workflowRoleArn,
        reconcilerRoleArn: d.reconcilerRoleArn,
        // the OU baseline deploys the boundary in the account (checked at synth)
        permissionsBoundary: LandingZoneBoundary.fromAccount(stack, 'Boundary', account.accountId),
      });
      this.accountStacks.push(stack);
      this.stacksByAccount.set(account.accountId, stack);
    }
    if (this.plan.organizationalUnits.length > 0) {
      this.organizationalUnitsStack = stacks.newStack(this, 'Stack-JumpElevated-OrganizationalUnits', 'JumpElevated-OrganizationalUnits',
        context.organization.managementAccount.accountId, 'elevated roles of the OUs jump rules follow, deployed by StackSets to every account there');
      for (const ou of this.plan.organizationalUnits) {
        this.organizationalUnitStackSets[ou.path] = this.createStackSet(ou, d, stacks);
      }
    }
    this.node.addValidation({
      validate: () => [...checkElevatedBoundaries(this.plan, this.baselines), ...this.checkUserBoundary(jump)],
    });
  }

  // Every account of the OU, present and future, gets the roles once the OU baseline's StackSet has given it the
  // boundary (DependsOn, set when the OU is handed over); the revoker's trust and the roles' are literal ARNs.
  private createStackSet(ou: JumpElevatedPlacementOrganizationalUnit, d: JumpElevatedDeployment,
    stacks: LandingZoneStacks): cloudformation.CfnStackSet {
    const scope = this.organizationalUnitsStack!;
    // OUs granted the same levels share one rendering
    const key = JSON.stringify(['jump-elevated', this.plan.jumpAccountId, d.workflowRoleArn, d.reconcilerRoleArn, ou.roleNames]);
    const body = stacks._renderOnce(key, () => JSON.stringify(renderStackTemplate(this, (stack) => {
      new ElevatedRoles(stack, 'ElevatedRoles', {
        jumpAccount: JumpAccount.fromAccountId(stack, 'Jump', this.plan.jumpAccountId),
        permissionLevels: ou.permissionLevels,
        workflowRoleArn: d.workflowRoleArn,
        reconcilerRoleArn: d.reconcilerRoleArn,
        permissionsBoundary: LandingZoneBoundary.fromAccount(stack, 'Boundary'),
      });
    })));
    const stackSet = new cloudformation.CfnStackSet(scope, `ElevatedRoles-${ou.slug}`, {
      stackSetName: `${stacks.stackNamePrefix}-${ou.slug}-jump-elevated`,
      description: `Elevated roles (${ou.roleNames.join(', ')}) and the revoker of jump elevated access in every account of OU ${ou.path}`,
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { failureTolerancePercentage: 0, maxConcurrentPercentage: 25, regionConcurrencyType: 'SEQUENTIAL' },
      // IAM is global: one region per account; never the management, jump or host account, should they be there
      stackInstancesGroup: [{
        deploymentTargets: {
          organizationalUnitIds: [ou.ouId],
          ...(ou.excludedAccounts.length > 0 ? { accounts: ou.excludedAccounts, accountFilterType: 'DIFFERENCE' } : {}),
        },
        regions: [stacks.region],
      }],
      ...stackSetTemplateSource(scope, `ElevatedRolesTemplate-${ou.slug}`, body),
    });
    // the template is rendered apart: its names are declared here, for every account of the OU the model knows
    declareNameOwner(stackSet, {
      fix: (_kind, name, accountId) => `account ${accountId} gets '${name}' from the StackSet of OU ${ou.path}: remove the other declaration`,
      deployedNames: () => ou.accountIds.flatMap((accountId) => elevatedRoleNames(ou.roleNames).map((name) => ({ accountId, kind: 'role' as const, name }))),
    });
    return stackSet;
  }

  // the landing zone hands the writer's boundary to its jump account: without it the writer could write no grant
  private checkUserBoundary(jump: JumpAccount | undefined): string[] {
    if (jump?.userPermissionsBoundary === this.grantWriter.userBoundary) return [];
    return ['landingZone: the jump users lack the grant writer\'s boundary, so no grant could be written: create the jump elevated access with LandingZone.addJumpElevatedAccess, which gives it to them'];
  }

  /**
   * Hands over an OU of the landing zone: its baseline counts for the check that every target account has the boundary,
   * and the elevated roles of its accounts deploy after it. `LandingZone.addJumpElevatedAccess` hands every OU, added
   * before or after.
   *
   * @param unit an OU landing zone
   */
  public addOrganizationalUnit(unit: OrganizationalUnitLandingZone): void {
    const placements = baselinesOf([unit]);
    this.baselines.push(...placements);
    for (const ou of this.plan.organizationalUnits) {
      if (unit.stackSet === undefined || followedBaselineOf(ou, placements) === undefined) continue;
      const stackSet = this.organizationalUnitStackSets[ou.path];
      // a new account of the OU gets the boundary before the roles that carry it
      const baselineArn = `arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stackset/${unit.stackSet.attrStackSetId}`;
      stackSet.autoDeployment = { enabled: true, retainStacksOnAccountRemoval: false, dependsOn: [baselineArn] };
      stackSet.callAs = unit.stackSet.callAs;
      this.organizationalUnitsStack!.addStackDependency(unit.stack!, 'the elevated roles carry the boundary the OU baseline StackSet deploys');
    }
    for (const [accountId, stack] of this.stacksByAccount) {
      if (baselineOf(accountId, placements) === undefined) continue;
      const target = unit.stackSet ? unit.stack! : unit.accountStacks.find((s) => s.account === accountId)!;
      stack.addStackDependency(target, 'the elevated roles carry the boundary the OU baseline deploys');
    }
  }
}

function contextOf(scope: Construct, props: JumpElevatedAccessProps): JumpElevatedAccessContext {
  if (props.context !== undefined && props.landingZone !== undefined) {
    throw new Error(`${scope.node.path}: landingZone: give context or the deprecated landingZone, not both`);
  }
  const context = props.context ?? props.landingZone?.jumpElevatedAccessContext;
  if (context === undefined) {
    throw new Error(`${scope.node.path}: context: no context is given: create it with LandingZone.addJumpElevatedAccess, or give context: landingZone.jumpElevatedAccessContext`);
  }
  return context;
}

function baselinesOf(units: OrganizationalUnitLandingZone[]): BoundaryPlacement[] {
  return units.filter((u) => u.deploysBaseline).map((u) => ({
    accountIds: u.accounts.map((a) => a.accountId),
    deployedBy: u.node.path,
    organizationalUnit: u.organizationalUnit,
    stackSet: u.stackSet !== undefined,
  }));
}

// A reference to a resource of a stack in another account than `account` (any stack's, without one), which no stack
// of that account can resolve.
function isForeign(t: IResolvable, account?: string): boolean {
  return Reference.isReference(t)
    && (account === undefined || Token.isUnresolved(Stack.of(t.target).account) || Stack.of(t.target).account !== account);
}

// Principals must be literal: the jump account reads the workflow's roles, the target accounts (never the
// workflow's) its state machine role.
function foreignReferences(d: JumpElevatedDeployment, jumpAccountId: string | undefined): string[] {
  const foreign = (value: string, account?: string) => Tokenization.reverseString(value).tokens.some((t) => isForeign(t, account));
  return [
    ...(foreign(d.workflowRoleArn) ? ['workflowRoleArn'] : []),
    ...(d.reconcilerRoleArn && foreign(d.reconcilerRoleArn) ? ['reconcilerRoleArn'] : []),
    ...d.groupReaderPrincipalArns.flatMap((a, i) => foreign(a, jumpAccountId) ? [`groupReaderPrincipalArns[${i}]`] : []),
  ];
}

// An API ARN naming the workflow stack's API id (a token the jump account cannot resolve) gets '*' there: the
// identity policy may name any API id, since only the workflow's API lets jump users in by its resource policy.
function literalApiArn(arn: string, jumpAccountId: string | undefined): string {
  if (!Token.isUnresolved(arn)) return arn;
  return Tokenization.reverseString(arn)
    .mapTokens({ mapToken: (t) => isForeign(t, jumpAccountId) ? '*' : Token.asString(t) })
    .join(new StringConcat());
}
