import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { LZ_BOUNDARY_POLICY_NAME, LZ_DEPLOYMENT_ROLE_PATTERNS, LZ_ROLE_NAME_PREFIX, LZ_SERVICE_ROLE_PATH } from './private/conventions';
import { LIMITS } from './private/limits';
import { renderedPolicyLength } from './private/policy-size';
import { Problems } from './private/validation';

// Roles that can act with more than the boundary allows: passing or assuming them would escape it.
const DEPLOYMENT_ROLE_PATTERNS = [
  'cdk-*',
  ...LZ_DEPLOYMENT_ROLE_PATTERNS.filter((p) => !p.startsWith('cdk-')),
  'OrganizationAccountAccessRole',
  'AWSControlTowerExecution',
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
   * assume, on top of the landing zone's own roles (`lz-*` and the `/landing-zone/` path).
   *
   * @default - only the landing zone's own roles
   */
  readonly protectedRoleNamePatterns?: string[];

  /**
   * Whether the deployment roles (CDK bootstrap roles `cdk-*`, StackSet execution roles, `OrganizationAccountAccessRole`,
   * `AWSControlTowerExecution`) are protected too. They hold administrator rights without this boundary, so a bounded
   * principal that may pass or assume them could escape it. Set to `false` only where bounded people must run
   * `cdk deploy` themselves, and accept that they then hold whatever the CloudFormation execution role holds.
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
 * It allows everything (a boundary only narrows what identity policies grant) except:
 * - creating roles or users, or changing the permissions of existing ones, unless they carry this same boundary;
 * - removing or replacing the boundary of any role or user;
 * - editing, versioning or deleting the boundary policy itself;
 * - changing, passing or assuming the landing zone's own roles (`lz-*`, path `/landing-zone/`) and, by default, the
 *   deployment roles that hold administrator rights without it (`cdk-*`, StackSet execution roles,
 *   `OrganizationAccountAccessRole`, `AWSControlTowerExecution`).
 *
 * The policy name is fixed so that the same boundary can be required in every account; create one per account
 * (one per stack at most) and refer to it elsewhere with `LandingZoneBoundary.fromAccount`.
 */
export class LandingZoneBoundary extends Construct {
  /** The fixed name of the boundary policy in every account. */
  public static readonly POLICY_NAME = LZ_BOUNDARY_POLICY_NAME;

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
    return LandingZoneBoundary.findIn(stack) ?? new LandingZoneBoundary(stack, 'LandingZoneBoundary');
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

  constructor(scope: Construct, id: string, props: LandingZoneBoundaryProps = {}) {
    super(scope, id);
    Object.defineProperty(this, BOUNDARY_MARKER, { value: true });
    const problems = Problems.of(this);
    const stack = Stack.of(this);
    const existing = LandingZoneBoundary.findIn(stack);
    if (existing && existing !== this) {
      problems.add('id', `stack already has a landing zone boundary at '${existing.node.path}': the policy name '${LZ_BOUNDARY_POLICY_NAME}' is fixed, so use LandingZoneBoundary.ofStack()`);
    }
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

    const arn = LandingZoneBoundary.arnForAccount();
    const iamArn = (resource: string) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:${resource}`;
    const protectedRoles = [
      iamArn(`role/${LZ_ROLE_NAME_PREFIX}*`),
      iamArn(`role${LZ_SERVICE_ROLE_PATH}*`),
      ...(props.protectDeploymentRoles ?? true ? DEPLOYMENT_ROLE_PATTERNS : []).map((p) => iamArn(`role/${p}`)),
      ...(props.protectedRoleNamePatterns ?? []).map((p) => iamArn(`role/${p}`)),
    ];

    this.document = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({ sid: 'AllowAllWithinBoundary', actions: ['*'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'DenyPrincipalsWithoutThisBoundary',
          effect: iam.Effect.DENY,
          // iam:PermissionsBoundary is the boundary the target principal has (or gets): absent or different = deny
          actions: [
            'iam:CreateRole', 'iam:CreateUser',
            'iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary',
            'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy',
            'iam:AttachUserPolicy', 'iam:DetachUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy',
          ],
          resources: ['*'],
          conditions: { StringNotEquals: { 'iam:PermissionsBoundary': arn } },
        }),
        new iam.PolicyStatement({
          sid: 'DenyBoundaryRemoval',
          effect: iam.Effect.DENY,
          actions: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
          resources: ['*'],
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
          actions: [
            'iam:Add*', 'iam:Attach*', 'iam:Create*', 'iam:Delete*', 'iam:Detach*', 'iam:PassRole', 'iam:Put*',
            'iam:Remove*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*', 'sts:AssumeRole',
          ],
          resources: protectedRoles,
        }),
        ...(props.additionalDenyStatements ?? []),
      ],
    });

    this.managedPolicy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: LZ_BOUNDARY_POLICY_NAME,
      description: props.description ?? 'Landing zone permissions boundary: no unbounded principals, no boundary changes, no changes to landing zone roles',
      document: this.document,
    });

    problems.throwIfAny();

    this.node.addValidation({
      validate: () => {
        const length = renderedPolicyLength(this, this.document.toJSON());
        return length > LIMITS.MANAGED_POLICY_CHARS
          ? [`${this.node.path}: additionalDenyStatements: boundary document is ${length} characters, more than the ${LIMITS.MANAGED_POLICY_CHARS} iam allows for a managed policy`]
          : [];
      },
    });
  }
}
