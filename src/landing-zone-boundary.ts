import { Annotations, Aws, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import {
  CDK_BOOTSTRAP_ROLE_PATTERN, landingZoneResourceArns, landingZoneRoleResources, LZ_BOUNDARY_POLICY_NAME, LZ_DELEGATED_PATH,
  LZ_DEPLOYMENT_ROLE_PATTERNS, LZ_MANAGED_TAG_KEY, LZ_RESOURCE_READ_ACTIONS, LZ_SERVICE_ROLE_ARN, LZ_TAG_KEY_PATTERN,
  LZ_TAGGED_RESOURCE_CHANGE_ACTIONS,
} from './private/conventions';
import { LIMITS } from './private/limits';
import { renderedPolicyLength } from './private/policy-size';
import { Problems } from './private/validation';
import { declareNameOwner } from './unique-names';

// Actions on a role or user whose request carries the target's boundary (iam:PermissionsBoundary, Service
// Authorization Reference): allowed only when that boundary is this one. For CreateRole, CreateUser and
// Put*PermissionsBoundary the key is the boundary the principal gets.
const BOUNDARY_KEYED_ACTIONS = [
  'iam:CreateRole', 'iam:CreateUser', 'iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary',
  'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy',
  'iam:AttachUserPolicy', 'iam:DetachUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy',
  'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:DeleteRole',
];

// Actions that hand out a principal's credentials or change it, where IAM shows no boundary: allowed only on
// principals (and policies) under the delegated path, which only bounded principals can be created under.
const PATH_GATED_ACTIONS = [
  'sts:AssumeRole', 'iam:PassRole', 'iam:TagRole', 'iam:UntagRole',
  // every action ending so is a write (Service Authorization Reference): create, update, delete, reset, upload
  'iam:*AccessKey', 'iam:*ServiceSpecificCredential', 'iam:*SigningCertificate',
  'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:DeleteLoginProfile',
  'iam:UploadSSHPublicKey', 'iam:UpdateSSHPublicKey', 'iam:DeleteSSHPublicKey',
  'iam:EnableMFADevice', 'iam:DeactivateMFADevice', 'iam:ResyncMFADevice',
  'iam:UpdateUser', 'iam:DeleteUser', 'iam:TagUser', 'iam:UntagUser',
  // a policy version is what every principal the policy is attached to may do
  'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicyVersion',
];

// No condition key shows who these affect: a group's members, the roles that trust a provider, the account's root.
const ALWAYS_DENIED_ACTIONS = [
  // a group's policies and members change what its users may do, and a group shows neither tags nor boundaries
  'iam:AttachGroupPolicy', 'iam:DetachGroupPolicy', 'iam:PutGroupPolicy', 'iam:DeleteGroupPolicy',
  'iam:AddUserToGroup', 'iam:RemoveUserFromGroup', 'iam:UpdateGroup',
  // an identity provider decides who may assume every role that trusts it
  'iam:CreateSAMLProvider', 'iam:UpdateSAMLProvider', 'iam:DeleteSAMLProvider',
  'iam:CreateOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint',
  'iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider',
  // root sessions and the address root passwords are reset to
  'sts:AssumeRoot', 'iam:UpdateAccountEmailAddress', 'account:StartPrimaryEmailUpdate', 'account:AcceptPrimaryEmailUpdate',
  'iam:EnableOrganizationsRoot*', 'iam:DisableOrganizationsRoot*',
  // access granted to others outside any boundary, and account-wide IAM settings
  'iam:AcceptDelegationRequest', 'iam:AssociateDelegationRequest', 'iam:CreateDelegationRequest', 'iam:SendDelegationToken',
  'iam:UpdateAccountPasswordPolicy', 'iam:DeleteAccountPasswordPolicy', 'iam:PutAccountProperties',
  // Identity Center's directory: users and group memberships decide who gets which assignments
  'sso-directory:Add*', 'sso-directory:Create*', 'sso-directory:Delete*', 'sso-directory:Remove*', 'sso-directory:Update*',
];

// Identity Center: an assignment, a permission set's policies or a group membership is access that no request,
// approval or end governs. Only reads are left to bounded principals; the landing zone's own roles (the
// elevated-access workflow, the assignment reconciler) write. The directory's own API names no resource.
const IDENTITY_CENTER_ARNS = ['arn:*:sso:::*', 'arn:*:identitystore::*'];
const IDENTITY_CENTER_READ_ACTIONS = ['sso:Describe*', 'sso:Get*', 'sso:List*', 'identitystore:Describe*', 'identitystore:Get*',
  'identitystore:List*', 'identitystore:IsMemberInGroups'];

// Everything that changes, passes or assumes a role or user.
const PRINCIPAL_CHANGE_ACTIONS = [
  'iam:Add*', 'iam:Attach*', 'iam:Create*', 'iam:Deactivate*', 'iam:Delete*', 'iam:Detach*', 'iam:Enable*',
  'iam:PassRole', 'iam:Put*', 'iam:Remove*', 'iam:Reset*', 'iam:Resync*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*',
  'iam:Upload*', 'sts:*',
];

const BOUNDARY_MARKER = Symbol.for('cdk-iam-landing-zone.LandingZoneBoundary');

/**
 * Properties of the landing zone permissions boundary.
 */
export interface LandingZoneBoundaryProps {
  /**
   * More Deny statements to add to the boundary, e.g. regions or services your organization never uses.
   * Only Deny statements are accepted: the boundary already allows everything else, so an Allow would change nothing.
   *
   * @default - only the landing zone's own protections
   */
  readonly additionalDenyStatements?: iam.PolicyStatement[];

  /**
   * Further role-name patterns (IAM wildcards, e.g. `platform-*`) that bounded principals may not change, pass or
   * assume, at the root path or under any path, on top of the landing zone's own roles (`lz-*` at any path, the
   * `/landing-zone/` path, roles tagged `landing-zone:managed`) and the deployment roles.
   *
   * @default - only the landing zone's own roles and the deployment roles
   */
  readonly protectedRoleNamePatterns?: string[];

  /**
   * Whether bounded principals are kept out of the CDK bootstrap roles (`cdk-*`: deploy, file and image publishing,
   * lookup). Bounded principals may assume and pass only roles under the delegated path, so these roles are closed
   * like every other role outside it. Set to `false` only where bounded people must run `cdk deploy` themselves:
   * they may then assume the bootstrap roles, whose deploy role passes the CloudFormation execution role, so they
   * hold whatever that role holds, including the right to change the landing zone that the guardrail SCPs give the
   * deployment roles. They never pass or assume the execution roles themselves. Turning it off is a warning.
   *
   * @default true
   */
  readonly protectDeploymentRoles?: boolean;

  /**
   * A description for the managed policy.
   *
   * @default - a description naming the landing zone
   */
  readonly description?: string;
}

/**
 * The landing zone's permissions boundary: the customer-managed policy `lz-permissions-boundary`, attached to every
 * role the landing zone creates for people.
 *
 * It allows everything (a boundary only narrows what identity policies grant) except what would let a bounded
 * principal act beyond it:
 * - creating or changing roles and users (policies, trust, settings, deletion) unless they carry this same boundary
 *   (`iam:PermissionsBoundary`), and removing or replacing any boundary;
 * - assuming or passing a role, handing out or changing a user's credentials, retagging a principal, or versioning a
 *   customer-managed policy, except under the delegated path `/delegated/` (IAM shows no boundary for these);
 * - group policies and membership, identity providers, root sessions and the account's e-mail address, delegation
 *   requests and the account password policy;
 * - setting or removing `landing-zone:*` tags, on any service;
 * - editing, versioning or deleting the boundary policy itself;
 * - changing, passing or assuming the landing zone's own roles (`lz-*` at any path, path `/landing-zone/`, tag
 *   `landing-zone:managed`) and the deployment roles (CloudFormation execution roles of CDK and StackSets);
 * - anything but reading the landing zone's other resources (functions, state machines, executions, tables, rules,
 *   topics, queues, buckets and log groups named `lz-*`), and changing its keys and REST APIs tagged
 *   `landing-zone:managed`, such as the elevated-access workflow's: only its own roles under `/landing-zone/` use them;
 * - Identity Center writes (assignments, permission sets, users, groups, memberships), which only the landing zone's
 *   own roles make.
 *
 * The policy name is fixed so that the same boundary can be required in every account; create one per account
 * (one per stack at most) and refer to it elsewhere with `LandingZoneBoundary.fromAccount`.
 */
export class LandingZoneBoundary extends Construct {
  /** The fixed name of the boundary policy in every account. */
  public static readonly POLICY_NAME = LZ_BOUNDARY_POLICY_NAME;

  /**
   * The IAM path of roles, users, policies and instance profiles that bounded principals own (`/delegated/`): the
   * only roles they may assume or pass, the only users whose credentials they may manage, the only policies they may
   * version. Create your application's roles there, with this boundary.
   */
  public static readonly DELEGATED_PATH = LZ_DELEGATED_PATH;

  /**
   * The ARN of the boundary policy in an account (the stack's account when omitted).
   *
   * @param accountId the account holding the policy
   */
  public static arnForAccount(accountId?: string): string {
    return `arn:${Aws.PARTITION}:iam::${accountId ?? Aws.ACCOUNT_ID}:policy/${LZ_BOUNDARY_POLICY_NAME}`;
  }

  /**
   * Refers to the boundary policy deployed (by this construct, e.g. from a StackSet) in an account.
   *
   * @param accountId the account holding the policy; the stack's account when omitted
   */
  public static fromAccount(scope: Construct, id: string, accountId?: string): iam.IManagedPolicy {
    return iam.ManagedPolicy.fromManagedPolicyArn(scope, id, LandingZoneBoundary.arnForAccount(accountId));
  }

  /** The boundary of this stack, created on first use with default properties. */
  public static ofStack(scope: IConstruct): LandingZoneBoundary {
    const stack = Stack.of(scope);
    const boundary = LandingZoneBoundary.findIn(stack) ?? new LandingZoneBoundary(stack, 'LandingZoneBoundary');
    if (scope !== stack) boundary.usedBy.push(scope.node.path);
    return boundary;
  }

  /** Whether `x` is a LandingZoneBoundary (works across copies of the library, unlike `instanceof`). */
  public static isLandingZoneBoundary(x: unknown): x is LandingZoneBoundary {
    return typeof x === 'object' && x !== null && BOUNDARY_MARKER in x;
  }

  private static findIn(stack: Stack): LandingZoneBoundary | undefined {
    return stack.node.findAll().find((c) => LandingZoneBoundary.isLandingZoneBoundary(c) && Stack.of(c) === stack) as
      LandingZoneBoundary | undefined;
  }

  /** The boundary policy. */
  public readonly managedPolicy: iam.ManagedPolicy;

  /** The boundary document, for inspection and tests. */
  public readonly document: iam.PolicyDocument;

  // the constructs that took this boundary by default (`ofStack`), named when the fixed name clashes
  private readonly usedBy: string[] = [];

  constructor(scope: Construct, id: string, props: LandingZoneBoundaryProps = {}) {
    super(scope, id);
    Object.defineProperty(this, BOUNDARY_MARKER, { value: true });
    const problems = Problems.of(this);
    const stack = Stack.of(this);
    const existing = LandingZoneBoundary.findIn(stack);
    if (existing && existing !== this) {
      problems.add('id', `stack already has a landing zone boundary at '${existing.node.path}': the policy name '${LZ_BOUNDARY_POLICY_NAME}' is fixed, so use LandingZoneBoundary.ofStack()`);
    }
    validateProps(problems, props);

    const arn = LandingZoneBoundary.arnForAccount();
    const protectDeploymentRoles = props.protectDeploymentRoles ?? true;
    if (!protectDeploymentRoles) {
      Annotations.of(this).addWarningV2('cdk-iam-landing-zone:deploymentRolesOpen',
        'protectDeploymentRoles is false: bounded principals may assume the cdk bootstrap roles and so act as the cloudformation execution role, which may change the landing zone itself');
    }
    this.document = new iam.PolicyDocument({
      statements: [...boundaryStatements(arn, protectDeploymentRoles, props), ...(props.additionalDenyStatements ?? [])],
    });

    this.managedPolicy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: LZ_BOUNDARY_POLICY_NAME,
      description: props.description ?? 'Landing zone permissions boundary: no unbounded principals, no boundary changes, no changes to landing zone roles',
      document: this.document,
    });

    problems.throwIfAny();
    declareNameOwner(this, { fix: (_kind, _name, accountId) => this.clashFix(accountId) });
    this.acknowledgeNagFindings();
    this.addLengthValidation();
  }

  // a permissions boundary only narrows: it must allow everything it does not deny (cdk-nag's packs)
  private acknowledgeNagFindings(): void {
    const reason = 'a permissions boundary grants nothing; it allows * so that only its denies narrow what identity policies grant';
    for (const finding of ['AwsSolutions-IAM5[Action::*]', 'AwsSolutions-IAM5[Resource::*]',
      ...['HIPAA.Security', 'NIST.800.53.R5'].flatMap((p) => [`${p}-IAMPolicyNoStatementsWithAdminAccess`, `${p}-IAMPolicyNoStatementsWithFullAccess`])]) {
      Validations.of(this.managedPolicy).acknowledge({ id: finding, reason });
    }
  }

  // iam's managed policy size limit, checked once additional statements and tokens are final
  private addLengthValidation(): void {
    this.node.addValidation({
      validate: () => {
        const length = renderedPolicyLength(this, this.document.toJSON());
        return length > LIMITS.MANAGED_POLICY_CHARS
          ? [`additionalDenyStatements: boundary document is ${length} characters, more than the ${LIMITS.MANAGED_POLICY_CHARS} iam allows for a managed policy`]
          : [];
      },
    });
  }

  // another boundary is already declared for the account: refer to it instead of creating this one
  private clashFix(accountId: string): string {
    const ref = `LandingZoneBoundary.fromAccount(scope, id, '${accountId}'), or landingZone.managementAccountBoundary(scope) in the management account`;
    return this.usedBy.length > 0
      ? `set permissionsBoundary of ${this.usedBy.map((p) => `'${p}'`).join(', ')}, which took this stack's boundary by default, to ${ref}`
      : `remove this boundary and refer to the existing one with ${ref}`;
  }
}

function validateProps(problems: Problems, props: LandingZoneBoundaryProps): void {
  for (const [i, s] of (props.additionalDenyStatements ?? []).entries()) {
    if (s.effect !== iam.Effect.DENY) {
      problems.add(`additionalDenyStatements[${i}]`, `effect must be Deny, got ${s.effect}: the boundary allows everything it does not deny`);
    }
  }
  for (const [i, p] of (props.protectedRoleNamePatterns ?? []).entries()) {
    if (!/^[\w+=,.@*?-]{1,64}$/.test(p) || /^\*+$/.test(p)) {
      problems.add(`protectedRoleNamePatterns[${i}]`, `pattern '${p}' must be 1-64 of letters, digits, +=,.@_- and wildcards, and not match every role`);
    }
  }
}

// the boundary's own statements, before the user's additional denies
function boundaryStatements(arn: string, protectDeploymentRoles: boolean, props: LandingZoneBoundaryProps): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ sid: 'AllowAllWithinBoundary', actions: ['*'], resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'DenyPrincipalsWithoutThisBoundary',
      effect: iam.Effect.DENY,
      actions: BOUNDARY_KEYED_ACTIONS,
      resources: ['*'],
      // the boundary the target principal has (or gets): absent or different = deny
      conditions: { StringNotEquals: { 'iam:PermissionsBoundary': arn } },
    }),
    new iam.PolicyStatement({
      sid: 'DenyBoundaryRemoval',
      effect: iam.Effect.DENY,
      actions: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'DenyOutsideDelegatedPath',
      effect: iam.Effect.DENY,
      actions: PATH_GATED_ACTIONS,
      notResources: [
        ...['role', 'user', 'policy'].map((type) => `arn:*:iam::*:${type}${LZ_DELEGATED_PATH}*`),
        ...(protectDeploymentRoles ? [] : [`arn:*:iam::*:role/${CDK_BOOTSTRAP_ROLE_PATTERN}`]),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'DenyGroupsProvidersAndRoot',
      effect: iam.Effect.DENY,
      actions: ALWAYS_DENIED_ACTIONS,
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'DenyLandingZoneTags',
      effect: iam.Effect.DENY,
      // every service: the tag marks the landing zone's keys and APIs too, so it may not be removed anywhere
      actions: ['*'],
      resources: ['*'],
      conditions: { 'ForAnyValue:StringLike': { 'aws:TagKeys': LZ_TAG_KEY_PATTERN } },
    }),
    new iam.PolicyStatement({
      sid: 'DenyBoundaryPolicyChanges',
      effect: iam.Effect.DENY,
      actions: [
        'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion',
        'iam:TagPolicy', 'iam:UntagPolicy',
      ],
      resources: [arn],
    }),
    new iam.PolicyStatement({
      sid: 'DenyLandingZoneRoles',
      effect: iam.Effect.DENY,
      actions: PRINCIPAL_CHANGE_ACTIONS,
      resources: [
        ...landingZoneRoleResources(),
        ...LZ_DEPLOYMENT_ROLE_PATTERNS,
        ...(props.protectedRoleNamePatterns ?? []).flatMap((p) => [p, `*/${p}`]),
      ].map((p) => `arn:*:iam::*:role/${p}`),
    }),
    new iam.PolicyStatement({
      sid: 'DenyLandingZonePrincipals',
      effect: iam.Effect.DENY,
      actions: PRINCIPAL_CHANGE_ACTIONS,
      resources: ['*'],
      conditions: { StringEquals: { [`iam:ResourceTag/${LZ_MANAGED_TAG_KEY}`]: 'true' } },
    }),
    new iam.PolicyStatement({
      sid: 'DenyLandingZoneResources',
      effect: iam.Effect.DENY,
      notActions: [...LZ_RESOURCE_READ_ACTIONS, ...IDENTITY_CENTER_READ_ACTIONS],
      resources: [...landingZoneResourceArns(), ...IDENTITY_CENTER_ARNS],
      // the landing zone's machine roles (under /landing-zone/, which no bounded principal can create or assume)
      conditions: { ArnNotLike: { 'aws:PrincipalArn': LZ_SERVICE_ROLE_ARN } },
    }),
    new iam.PolicyStatement({
      sid: 'DenyLandingZoneTaggedResources',
      effect: iam.Effect.DENY,
      actions: LZ_TAGGED_RESOURCE_CHANGE_ACTIONS,
      resources: ['*'],
      conditions: { StringEquals: { [`aws:ResourceTag/${LZ_MANAGED_TAG_KEY}`]: 'true' } },
    }),
  ];
}
