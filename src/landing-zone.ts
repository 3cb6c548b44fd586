import { Aws, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AccessAnalyzerDelegation } from './access-analyzer/access-analyzer-delegation';
import { OrganizationAccessAnalyzer } from './access-analyzer/organization-access-analyzer';
import { AccessReport } from './access-report';
import { DataPerimeter } from './data-perimeter/data-perimeter';
import { ResourceControl } from './data-perimeter/resource-control';
import { ResourceControlPolicies } from './data-perimeter/resource-control-policies';
import { DeniedActionAlerts } from './denied-actions/denied-action-alerts';
import { DeniedActionForwarder } from './denied-actions/denied-action-forwarder';
import { DeniedActionForwarding } from './denied-actions/denied-action-forwarding';
import { IJumpElevatedAccessContextSource, JumpElevatedAccess, JumpElevatedAccessContext } from './elevated-access/jump-elevated-access';
import type { JumpElevatedDeployment } from './elevated-access/jump-elevated-deployment';
import { Guardrail } from './guardrails/guardrail';
import { GuardrailPolicies } from './guardrails/guardrail-policies';
import { GuardrailTarget } from './guardrails/guardrail-target';
import { AssignmentPlacement } from './identity-center/assignment-placement';
import { CustomerManagedPolicyDefinition, ExistingCustomerManagedPolicy, PermissionSetCatalog } from './identity-center/permission-set-catalog';
import { AccountPasswordPolicy, JumpAccount, JumpGroup, JumpTarget, JumpUser } from './jump-account';
import { JumpAccountManifest } from './jump-account-manifest';
import { LandingZoneBoundary } from './landing-zone-boundary';
import { LandingZoneAccessAnalysisOptions, LandingZoneDataPerimeterOptions, LandingZoneDeniedActionOptions } from './landing-zone-optimized-options';
import { LandingZoneStacks } from './landing-zone-stacks';
import { SecurityNotificationTopic } from './notifications/security-notification-topic';
import { Organization } from './organization';
import {
  IOrganizationalUnitContextSource, OrganizationalUnitContext, OrganizationalUnitLandingZone, OrganizationalUnitOptions,
} from './organizational-unit-landing-zone';
import { checkBaselineOverlaps, deployedTargetRoles, plannedRoleSessions, TargetRolePlacement } from './plan/organizational-unit-plan';
import { ouSlug } from './private/conventions';
import { forwardingRegions } from './private/denied-actions';
import { recordLandingZone } from './private/landing-zone-record';
import { LIMITS } from './private/limits';
import { REGION_PATTERN } from './private/patterns';
import { checkTemplateLimits } from './private/template-limits';
import { Problems } from './private/validation';
import { TrustedJumpAccount } from './trusted-jump-account';
import { markComposed } from './unique-names';

/**
 * The jump-account part of a landing zone.
 */
export interface LandingZoneJumpAccountOptions {
  /** The groups and the roles they may switch into. */
  readonly groups: JumpGroup[];

  /**
   * The IAM users.
   *
   * @default - none
   */
  readonly users?: JumpUser[];

  /**
   * Source addresses every jump user must come from.
   *
   * @default - any address
   */
  readonly allowedSourceCidrs?: string[];

  /**
   * The account password policy.
   *
   * @default - the strict defaults of `JumpAccount`
   */
  readonly passwordPolicy?: AccountPasswordPolicy;

  /**
   * Roles in target accounts that this landing zone does not deploy (e.g. in another organization).
   *
   * @default - none
   */
  readonly externallyManagedRoles?: JumpTarget[];

  /**
   * The committed manifest of the roles the groups expect in the model's other organizations, read by their apps
   * (see `JumpAccountProps.manifestFile`).
   *
   * @default - no manifest: targets in other organizations must be externally managed roles
   */
  readonly manifestFile?: string;

  /**
   * Whether every group x account x role switch-role link becomes an output of the jump-account stack (CloudFormation
   * allows 200 outputs; turn this off for large organizations and publish `jumpAccount.switchRoleLinks` instead).
   *
   * @default true
   */
  readonly switchRoleOutputs?: boolean;
}

/**
 * The Identity Center part of a landing zone.
 */
export interface LandingZoneIdentityCenterOptions {
  /** The ARN of the IAM Identity Center instance. */
  readonly instanceArn: string;

  /**
   * The identity store id, needed to resolve group and user display names.
   *
   * @default - principals must be given by id
   */
  readonly identityStoreId?: string;

  /**
   * How many nested stacks the assignments are spread over (stable hashing; see `PermissionSetCatalog`).
   *
   * @default - the catalog's default
   */
  readonly assignmentShards?: number;

  /**
   * How assignments are placed in nested stacks (see `PermissionSetCatalog`).
   *
   * @default AssignmentPlacement.hashed()
   */
  readonly assignmentPlacement?: AssignmentPlacement;

  /**
   * Whether accounts created or moved after deployment receive their OU's assignments automatically.
   *
   * @default false
   */
  readonly dynamicAssignments?: boolean;

  /**
   * Customer-managed policies the catalog deploys wherever a permission set referencing them is assigned (see
   * `PermissionSetCatalogProps.customerManagedPolicies`).
   *
   * @default - none
   */
  readonly customerManagedPolicies?: CustomerManagedPolicyDefinition[];

  /**
   * Customer-managed policies deployed by something else, and where (see
   * `PermissionSetCatalogProps.existingCustomerManagedPolicies`). The boundary that OU baselines deploy is declared
   * already.
   *
   * @default - none
   */
  readonly existingCustomerManagedPolicies?: ExistingCustomerManagedPolicy[];
}

/**
 * Properties of a landing zone.
 */
export interface LandingZoneProps {
  /** The one description of the organization; every stack and construct reads it. */
  readonly organization: Organization;

  /**
   * The region of the landing zone's stacks (IAM, Organizations and Identity Center are global or single-region).
   *
   * @default 'us-east-1'
   */
  readonly region?: string;

  /**
   * Prefix of every stack name.
   *
   * @default 'Lz'
   */
  readonly stackNamePrefix?: string;

  /**
   * The jump account's groups and users. Needs `organization.jumpAccount`.
   *
   * @default - no jump-account stack
   */
  readonly jumpAccount?: LandingZoneJumpAccountOptions;

  /**
   * The jump account of another organization's app, for an organization it serves: the target roles of this landing
   * zone's OUs trust the manifest's jump account (as `JumpAccount.fromAccountId` does) and bind its users' sessions to
   * their source addresses, and the synth fails when an OU does not deploy a role the manifest expects here.
   *
   * @default - target roles trust this landing zone's own jump account (`jumpAccount`)
   */
  readonly jumpAccountManifest?: JumpAccountManifest;

  /**
   * Guardrails attached to the organization root, so every OU and account gets them.
   *
   * @default - deny the root user, deny leaving the organization, deny root access keys, deny IAM users and access
   * keys outside the jump account, protect the landing zone's roles and boundary
   */
  readonly rootGuardrails?: Guardrail[];

  /**
   * SCPs attached to every target outside this library (`FullAWSAccess`, Control Tower's); they count against the
   * per-target quota.
   *
   * @default 1
   */
  readonly externallyAttachedPolicies?: number;

  /**
   * The SCP quota per target (root, OU, account).
   *
   * @default 5
   */
  readonly maxPoliciesPerTarget?: number;

  /**
   * Identity Center permission sets and assignments.
   *
   * @default - no Identity Center stack
   */
  readonly identityCenter?: LandingZoneIdentityCenterOptions;

  /**
   * Unused and external access review: organization analyzers of IAM Access Analyzer in the organization's
   * `securityToolingAccount` (delegated from the management account when it is another account), findings to the
   * security notification topic, and a findings section in the access report.
   *
   * @default - no analyzers
   */
  readonly accessAnalysis?: LandingZoneAccessAnalysisOptions;

  /**
   * The data perimeter: the identity-perimeter RCP (and further controls) and the resource-perimeter SCP. Needs
   * `organization.organizationId`.
   *
   * @default - no data perimeter (LZ-RCP1 warns for every OU)
   */
  readonly dataPerimeter?: LandingZoneDataPerimeterOptions;

  /**
   * Alerts on actions IAM refused anywhere in the organization, in the `securityToolingAccount`. Needs
   * `organization.organizationId`.
   *
   * @default - no denied-action alerts
   */
  readonly deniedActionAlerts?: LandingZoneDeniedActionOptions;

  /**
   * Extra stack properties (tags, termination protection, synthesizer) for every stack.
   *
   * @default - none
   */
  readonly stackProps?: StackProps;
}

/**
 * A multi-account IAM landing zone composed from one organization model: the jump-account stack, the management
 * account's guardrail stack, the Identity Center stack, and per-OU stacks added with `addOrganizationalUnit`.
 *
 * Create it directly under the `App` (or a `Stage`): it creates stacks.
 */
export class LandingZone extends Construct implements IOrganizationalUnitContextSource, IJumpElevatedAccessContextSource {
  /** The guardrails attached to the root when `rootGuardrails` is not given. */
  public static defaultRootGuardrails(): Guardrail[] {
    return [
      Guardrail.denyRootUser(),
      Guardrail.denyLeavingOrganization(),
      Guardrail.denyRootAccessKeys(),
      Guardrail.denyIamUsers(),
      Guardrail.protectLandingZoneResources(),
    ];
  }

  /** The organization model. */
  public readonly organization: Organization;
  /** The region of every stack. */
  public readonly region: string;
  /** The stack name prefix. */
  public readonly stackNamePrefix: string;
  /** The stack in the management account holding the root guardrails (and the per-OU StackSets' admin side). */
  public readonly managementStack: Stack;
  /**
   * The landing zone boundary policy of the management account (StackSets never reach it). Other stacks of the
   * management account refer to it with `managementAccountBoundary(scope)` instead of creating a second one.
   */
  public readonly managementBoundary: LandingZoneBoundary;
  /** The SCPs attached to the organization root. */
  public readonly rootGuardrails: GuardrailPolicies;
  /** The jump-account stack, if a jump account is configured. */
  public readonly jumpAccountStack?: Stack;
  /** The jump account construct, if configured. */
  public readonly jumpAccount?: JumpAccount;
  /** The manifest of another app's jump account that this landing zone's target roles trust, if given. */
  public readonly jumpAccountManifest?: JumpAccountManifest;
  /** The Identity Center stack, if configured. */
  public readonly identityCenterStack?: Stack;
  /** The permission-set catalog, if Identity Center is configured. */
  public readonly permissionSetCatalog?: PermissionSetCatalog;
  /** The stack in the security tooling account (analyzers, denied-action alerts), if either is configured. */
  public readonly securityToolingStack?: Stack;
  /** The topic of security signals (analyzer findings, denied-action alarms), if the security tooling stack exists. */
  public readonly securityNotifications?: SecurityNotificationTopic;
  /** The organization analyzers, if `accessAnalysis`. */
  public readonly accessAnalyzer?: OrganizationAccessAnalyzer;
  /** The delegation of IAM Access Analyzer administration, if `accessAnalysis` and tooling is delegated. */
  public readonly accessAnalyzerDelegation?: AccessAnalyzerDelegation;
  /** The data-perimeter RCPs, if `dataPerimeter`. */
  public readonly resourceControlPolicies?: ResourceControlPolicies;
  /** The resource-perimeter SCP, when the data perimeter has targets other than the root (else it is a root guardrail). */
  public readonly resourcePerimeterPolicies?: GuardrailPolicies;
  /** The denied-action alerts, if `deniedActionAlerts`. */
  public readonly deniedActionAlerts?: DeniedActionAlerts;
  /** The StackSet forwarding denied actions from member accounts, if `deniedActionAlerts`. */
  public readonly deniedActionForwarding?: DeniedActionForwarding;

  /** Where every stack of this landing zone comes from; handed to the OUs and the jump elevated access. */
  public readonly stacks: LandingZoneStacks;

  private readonly units = new Map<string, OrganizationalUnitLandingZone>();
  private jumpElevated?: JumpElevatedAccess;
  private readonly props: LandingZoneProps;

  constructor(scope: Construct, id: string, props: LandingZoneProps) {
    super(scope, id);
    checkTemplateLimits(this);
    markComposed(this, false);
    this.props = props;
    const org = props.organization;
    const problems = Problems.of(this);
    this.organization = org;
    this.region = props.region ?? 'us-east-1';
    this.stackNamePrefix = props.stackNamePrefix ?? 'Lz';
    checkProps(problems, props, this.region, this.stackNamePrefix);
    problems.throwIfAny();
    this.stacks = new LandingZoneStacks({ stackNamePrefix: this.stackNamePrefix, region: this.region, stackProps: props.stackProps });

    this.managementStack = this.newStack('Management', org.managementAccount.accountId,
      'Guardrail SCPs of the organization root and the landing zone administration');
    this.managementBoundary = LandingZoneBoundary.ofStack(this.managementStack);
    const perimeter = props.dataPerimeter;
    const resourcePerimeter = perimeter && (perimeter.enableResourcePerimeter ?? true)
      ? DataPerimeter.resourcePerimeter(org, perimeter.resourcePerimeter) : undefined;
    // at the root, the resource perimeter packs with the root guardrails and takes no SCP slot of its own
    const perimeterAtRoot = perimeter !== undefined && perimeter.targets === undefined;
    this.rootGuardrails = new GuardrailPolicies(this.managementStack, 'RootGuardrails', {
      organization: org,
      targets: [GuardrailTarget.organizationRoot()],
      guardrails: [
        ...(props.rootGuardrails ?? LandingZone.defaultRootGuardrails()),
        ...(resourcePerimeter && perimeterAtRoot ? [resourcePerimeter] : []),
      ],
      policyName: `${this.stackNamePrefix}-root-guardrails`,
      maxPoliciesPerTarget: props.maxPoliciesPerTarget,
      externallyAttachedPolicies: props.externallyAttachedPolicies,
    });

    if (props.jumpAccount && org.jumpAccount) {
      [this.jumpAccountStack, this.jumpAccount] = this.addJumpAccount(props.jumpAccount, org.jumpAccount.accountId);
    }
    if (props.identityCenter) {
      [this.identityCenterStack, this.permissionSetCatalog] = this.addIdentityCenter(props.identityCenter);
    }
    if (perimeter) {
      [this.resourceControlPolicies, this.resourcePerimeterPolicies] = this.addDataPerimeter(perimeter,
        resourcePerimeter && !perimeterAtRoot ? resourcePerimeter : undefined);
    }
    if (props.accessAnalysis || props.deniedActionAlerts) {
      const tooling = org.securityToolingAccount;
      this.securityToolingStack = this.newStack('SecurityTooling', tooling.accountId,
        `security tooling of the organization (delegated to ${tooling.name}): IAM Access Analyzer, denied-action alerts`);
      this.securityNotifications = new SecurityNotificationTopic(this.securityToolingStack, 'SecurityNotifications', {
        topicName: `${this.stackNamePrefix}-security-notifications`,
      });
    }
    if (props.accessAnalysis) {
      [this.accessAnalyzer, this.accessAnalyzerDelegation] = this.addAccessAnalysis(props.accessAnalysis);
    }
    if (props.deniedActionAlerts) {
      [this.deniedActionAlerts, this.deniedActionForwarding] = this.addDeniedActionAlerts(props.deniedActionAlerts);
    }

    this.jumpAccountManifest = props.jumpAccountManifest;
    this.node.addValidation({ validate: () => this.validateOverlaps() });
    // for `lz-org preflight`: what the app assumes that the templates do not show
    recordLandingZone(this, () => ({
      path: this.node.path,
      stackNamePrefix: this.stackNamePrefix,
      region: this.region,
      rootId: org.rootId,
      managementAccountId: org.managementAccount.accountId,
      jumpAccountId: this.jumpAccount?.accountId,
      identityCenterAccountId: this.identityCenterStack ? org.identityCenterAccount.accountId : undefined,
      maxPoliciesPerTarget: props.maxPoliciesPerTarget ?? LIMITS.SCPS_PER_TARGET,
    }));
  }

  // The jump account reads the OUs' planned target roles at synth (OUs are added after it).
  private addJumpAccount(options: LandingZoneJumpAccountOptions, accountId: string): [Stack, JumpAccount] {
    const stack = this.newStack('JumpAccount', accountId, 'Jump account: IAM users and groups, MFA enforcement, password policy');
    const jump = new JumpAccount(stack, 'JumpAccount', {
      organization: this.organization,
      groups: options.groups,
      users: options.users,
      allowedSourceCidrs: options.allowedSourceCidrs,
      passwordPolicy: options.passwordPolicy,
      externallyManagedRoles: options.externallyManagedRoles,
      manifestFile: options.manifestFile,
      switchRoleOutputs: options.switchRoleOutputs,
      accessReport: AccessReport.of(this),
    });
    jump._usePlannedTargetRoles(() => deployedTargetRoles(this.organizationalUnits
      .map((u) => ({ plan: u._plan, deployedBy: (p: TargetRolePlacement) => u._deployedBy(p) }))),
    () => plannedRoleSessions(this.organizationalUnits.map((u) => u._plan)));
    return [stack, jump];
  }

  private addIdentityCenter(options: LandingZoneIdentityCenterOptions): [Stack, PermissionSetCatalog] {
    const stack = this.newStack('IdentityCenter', this.organization.identityCenterAccount.accountId,
      'IAM Identity Center permission sets and assignments');
    const catalog = new PermissionSetCatalog(stack, 'Catalog', {
      organization: this.organization,
      instanceArn: options.instanceArn,
      identityStoreId: options.identityStoreId,
      assignmentShards: options.assignmentShards,
      assignmentPlacement: options.assignmentPlacement,
      dynamicAssignments: options.dynamicAssignments,
      customerManagedPolicies: options.customerManagedPolicies,
      existingCustomerManagedPolicies: options.existingCustomerManagedPolicies,
      accessReport: AccessReport.of(this),
    });
    return [stack, catalog];
  }

  // The RCPs, and the resource-perimeter SCP when it has targets of its own (at the root it packs with the guardrails).
  private addDataPerimeter(perimeter: LandingZoneDataPerimeterOptions,
    ownResourcePerimeter: Guardrail | undefined): [ResourceControlPolicies, GuardrailPolicies | undefined] {
    const rcps = new ResourceControlPolicies(this.managementStack, 'DataPerimeter', {
      organization: this.organization,
      targets: perimeter.targets ?? [GuardrailTarget.organizationRoot()],
      controls: [ResourceControl.identityPerimeter(perimeter.identityPerimeter), ...(perimeter.additionalControls ?? [])],
      policyName: `${this.stackNamePrefix}-data-perimeter`,
      maxPoliciesPerTarget: perimeter.maxPoliciesPerTarget,
      externallyAttachedPolicies: perimeter.externallyAttachedPolicies,
      enablePolicyType: perimeter.enablePolicyType,
    });
    const scps = ownResourcePerimeter && new GuardrailPolicies(this.managementStack, 'ResourcePerimeter', {
      organization: this.organization,
      targets: perimeter.targets!,
      guardrails: [ownResourcePerimeter],
      policyName: `${this.stackNamePrefix}-resource-perimeter`,
      maxPoliciesPerTarget: this.props.maxPoliciesPerTarget,
      externallyAttachedPolicies: this.props.externallyAttachedPolicies,
    });
    return [rcps, scps];
  }

  private addAccessAnalysis(options: LandingZoneAccessAnalysisOptions): [OrganizationAccessAnalyzer, AccessAnalyzerDelegation | undefined] {
    const org = this.organization;
    let delegation: AccessAnalyzerDelegation | undefined;
    if (org.securityToolingDelegated) {
      delegation = new AccessAnalyzerDelegation(this.managementStack, 'AccessAnalyzerDelegation', { organization: org });
      this.securityToolingStack!.addStackDependency(this.managementStack, 'the analyzers need the delegated administrator');
    }
    const analyzer = new OrganizationAccessAnalyzer(this.securityToolingStack!, 'AccessAnalyzer', {
      organization: org,
      unusedAccess: options.unusedAccess,
      unusedAccessAge: options.unusedAccessAge,
      archiveRules: options.archiveRules,
      analyzerNamePrefix: this.stackNamePrefix.toLowerCase(),
      notificationTopic: this.securityNotifications!.topic,
    });
    for (const ref of analyzer.references) AccessReport.of(this).addAnalyzerReference(ref);
    return [analyzer, delegation];
  }

  // The alerts live in the security tooling account; the forwarders in every account and region, the member
  // accounts' through a StackSet and the management account's in stacks of its own (StackSets never reach it).
  private addDeniedActionAlerts(options: LandingZoneDeniedActionOptions): [DeniedActionAlerts, DeniedActionForwarding] {
    const org = this.organization;
    const alerts = new DeniedActionAlerts(this.securityToolingStack!, 'DeniedActionAlerts', {
      organization: org,
      threshold: options.threshold,
      period: options.period,
      retention: options.retention,
      namePrefix: this.stackNamePrefix.toLowerCase(),
      notificationTopic: this.securityNotifications!.topic,
    });
    // literal: the bus is in another account, so no token of its stack can be referenced
    const busArn = `arn:${Aws.PARTITION}:events:${this.region}:${org.securityToolingAccount.accountId}:event-bus/${alerts.eventBusName}`;
    const regions = forwardingRegions(options.regions ?? [this.region]);
    const stack = this.newStack('DeniedActionForwarding', org.managementAccount.accountId,
      'forwarding of denied actions from every account to the security tooling account');
    stack.addStackDependency(this.securityToolingStack!, 'forwarders target the denied-action bus');
    const forwarding = new DeniedActionForwarding(stack, 'Members', {
      organization: org,
      eventBusArn: busArn,
      regions,
      stackSetName: `${this.stackNamePrefix}-denied-action-forwarding`,
    });
    for (const region of regions) {
      const target = region === this.region ? stack : new Stack(this, `DeniedActionForwarding-${region}`, {
        ...this.props.stackProps,
        stackName: `${this.stackNamePrefix}-DeniedActionForwarding-${region}`,
        env: { account: org.managementAccount.accountId, region },
        description: `cdk-iam-landing-zone: forwarding of the management account's denied actions in ${region}`,
      });
      if (target !== stack) target.addStackDependency(this.securityToolingStack!, 'forwarders target the denied-action bus');
      new DeniedActionForwarder(target, 'ManagementAccount', { eventBusArn: busArn });
    }
    return [alerts, forwarding];
  }

  /**
   * Adds the landing zone of one OU: target roles in every account of the OU (and its nested OUs), the OU's
   * guardrails and its permission-set assignments.
   */
  public addOrganizationalUnit(path: string, options: OrganizationalUnitOptions = {}): OrganizationalUnitLandingZone {
    const ou = this.organization.findOrganizationalUnit(path);
    if (this.units.has(ou.path)) {
      throw new Error(`${this.node.path}: organizationalUnit: ou '${ou.path}' is added twice`);
    }
    const unit = new OrganizationalUnitLandingZone(this, `Ou-${ouSlug(ou.path)}`, {
      organizationalUnit: ou.path,
      ...options,
      context: this.organizationalUnitContext,
    });
    this.units.set(ou.path, unit);
    // the OU's plan, to the catalog: the policies its baseline provides, and its standing assignments
    for (const p of unit._plan.providedPolicies) {
      this.permissionSetCatalog?._declareExistingCustomerManagedPolicy(p.name, p.path, p.accountIds);
    }
    for (const a of unit._handAssignments()) this.permissionSetCatalog!.assign(a);
    this.jumpElevated?.addOrganizationalUnit(unit);
    return unit;
  }

  /**
   * Deploys what a workflow's jump rules need (`ElevatedAccessWorkflow.jumpDeployment`): in the jump account the
   * grant writer, the jump users' boundary on every user and their permission to call the workflow's API; in every
   * target account a stack with the `lz-elevated-<level>` roles and the revoker, bounded by the landing zone boundary
   * of the OU baseline that reaches the account (the synth fails when none does). One per landing zone: its jump
   * account has one grant writer.
   */
  public addJumpElevatedAccess(deployment: JumpElevatedDeployment): JumpElevatedAccess {
    const problems = Problems.of(this);
    if (this.jumpElevated) {
      problems.add('deployment', `jump elevated access is added twice (first for workflow role ${this.jumpElevated.workflowRoleArn}), but the jump account has one grant writer: give one workflow every jump rule`);
    }
    problems.throwIfAny();
    this.jumpElevated = new JumpElevatedAccess(this, 'JumpElevatedAccess', { context: this.jumpElevatedAccessContext, deployment });
    // one way: the writer's boundary to the jump account, which puts it on its own users
    this.jumpAccount?.useUserPermissionsBoundary(this.jumpElevated.grantWriter.userBoundary);
    for (const unit of this.organizationalUnits) this.jumpElevated.addOrganizationalUnit(unit);
    return this.jumpElevated;
  }

  /** The jump elevated access added with `addJumpElevatedAccess`, if any. */
  public get jumpElevatedAccess(): JumpElevatedAccess | undefined {
    return this.jumpElevated;
  }

  /**
   * The management account's boundary policy for a construct in another stack of the management account (e.g. the
   * elevated-access workflow's roles): referenced by name, with the stack made to deploy after the management stack.
   */
  public managementAccountBoundary(scope: Construct): iam.IManagedPolicy {
    const stack = Stack.of(scope);
    if (stack !== this.managementStack) stack.addStackDependency(this.managementStack, 'uses the management account boundary');
    const id = 'LandingZoneManagementBoundary';
    return (stack.node.tryFindChild(id) as iam.IManagedPolicy | undefined)
      ?? LandingZoneBoundary.fromAccount(stack, id, this.organization.managementAccount.accountId);
  }

  /** The OU landing zones added so far. */
  public get organizationalUnits(): OrganizationalUnitLandingZone[] {
    return [...this.units.values()];
  }

  private newStack(name: string, account: string, description: string): Stack {
    return this.stacks.newStack(this, name, name, account, description);
  }

  /**
   * What this landing zone hands each OU it adds (`addOrganizationalUnit`): the organization, its stacks, the jump
   * account the OUs' target roles trust (its own, or the manifest's of another app) and whether Identity Center is
   * configured. Give it to an `OrganizationalUnitLandingZone` created directly (`context`).
   */
  public get organizationalUnitContext(): OrganizationalUnitContext {
    const trusted = this.jumpAccount ? TrustedJumpAccount.of(this.jumpAccount)
      : this.jumpAccountManifest && TrustedJumpAccount.fromManifest(this.jumpAccountManifest, this.organization);
    return {
      organization: this.organization,
      stacks: this.stacks,
      trustedJumpAccount: trusted,
      identityCenter: this.permissionSetCatalog !== undefined,
    };
  }

  /**
   * What the landing zone hands its jump elevated access: the organization, its jump account and its stack factory.
   * Give it to a `JumpElevatedAccess` created directly (`context`); `addJumpElevatedAccess` does, and hands it every OU.
   */
  public get jumpElevatedAccessContext(): JumpElevatedAccessContext {
    return { organization: this.organization, jumpAccount: this.jumpAccount, stacks: this.stacks };
  }

  // Service-managed StackSets reach nested OUs, so an OU and one of its ancestors cannot both deploy a baseline.
  private validateOverlaps(): string[] {
    const plans = this.organizationalUnits.map((u) => u._plan);
    const out = checkBaselineOverlaps(plans);
    if (this.jumpAccountManifest) {
      // every role the other app's groups expect here is deployed by an OU of this app
      out.push(...this.jumpAccountManifest._check(this.organization, deployedTargetRoles(this.organizationalUnits
        .map((u) => ({ plan: u._plan, deployedBy: (p: TargetRolePlacement) => u._deployedBy(p) })))));
    }
    return out;
  }
}

// Problems with the landing zone's own options (each construct checks its own).
function checkProps(problems: Problems, props: LandingZoneProps, region: string, prefix: string): void {
  const org = props.organization;
  if (!Token.isUnresolved(region) && !REGION_PATTERN.test(region)) {
    problems.add('region', `region '${region}' is not a region name such as 'eu-west-1'`);
  }
  if (!/^[A-Za-z][A-Za-z0-9-]{0,40}$/.test(prefix)) {
    problems.add('stackNamePrefix', `prefix '${prefix}' must be 1-41 letters, digits or hyphens, starting with a letter`);
  }
  if (props.jumpAccount && props.jumpAccountManifest) {
    problems.add('jumpAccountManifest', 'the landing zone has its own jump account (jumpAccount): a manifest is for an organization served by another app\'s jump account; give one of them');
  }
  if (props.jumpAccount && !org.jumpAccount) {
    problems.add('jumpAccount', 'jump-account options are given but the organization model names no jumpAccount');
  }
  for (const [field, given] of [['dataPerimeter', props.dataPerimeter], ['deniedActionAlerts', props.deniedActionAlerts]] as const) {
    if (given && org.organizationId === undefined) {
      problems.add(field, 'needs the organization id: set organizationId in the organization model (aws organizations describe-organization)');
    }
  }
}
