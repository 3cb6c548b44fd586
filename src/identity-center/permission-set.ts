import { Annotations, Duration, Stack, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct } from 'constructs';
import { PermissionLevel } from '../permission-level';
import { LZ_BOUNDARY_POLICY_NAME } from '../private/conventions';
import { LIMITS } from '../private/limits';
import { INSTANCE_ARN_PATTERN } from '../private/patterns';
import { minifiedLength } from '../private/policy-size';
import { checkIamName, checkIamPath, duplicates, Problems } from '../private/validation';

/**
 * An IAM Identity Center permission set, as other constructs (the elevated-access workflow, reports) refer to it.
 */
export interface IPermissionSet {
  /** The permission set ARN. @attribute */
  readonly permissionSetArn: string;

  /** The permission set name (1-32 characters). */
  readonly permissionSetName: string;

  /** The ARN of the Identity Center instance that holds it. */
  readonly instanceArn: string;

  /** The session duration of the permission set (1-12 hours). */
  readonly sessionDuration: Duration;
}

/**
 * A customer-managed policy a permission set references by name and path. The policy must exist in every account the
 * permission set is assigned to: `PermissionSetCatalog` deploys it there or fails synth naming the accounts.
 */
export interface CustomerManagedPolicyReference {
  /** The policy name, 1-128 of `[\w+=,.@-]`. */
  readonly name: string;

  /**
   * The policy path.
   *
   * @default '/'
   */
  readonly path?: string;
}

/** What one kind of boundary does; each factory passes one to the private constructor. */
interface BoundaryKind {
  readonly customerManagedPolicyReference?: CustomerManagedPolicyReference;
  describe(): string;
  render(): sso.CfnPermissionSet.PermissionsBoundaryProperty | undefined;
  validate(problems: Problems, field: string): void;
}

/**
 * The permissions boundary of a permission set: exactly one policy, AWS- or customer-managed, or none.
 *
 * Obtained from the static factories only: the constructor is private, so no language can subclass it.
 */
export class PermissionSetBoundary {
  /**
   * The landing zone boundary, the customer-managed policy `lz-permissions-boundary` at path `/` that the landing zone
   * deploys in every account: the same boundary that holds in the jump-account roles.
   */
  public static landingZone(): PermissionSetBoundary {
    return new PermissionSetBoundary(new CustomerManagedBoundary({ name: LZ_BOUNDARY_POLICY_NAME, path: '/' }));
  }

  /** A customer-managed policy by name and path; it must exist in every assigned account. */
  public static customerManagedPolicy(reference: CustomerManagedPolicyReference): PermissionSetBoundary {
    return new PermissionSetBoundary(new CustomerManagedBoundary(reference));
  }

  /** An AWS managed policy by name, e.g. `PowerUserAccess`. */
  public static awsManagedPolicy(policyName: string): PermissionSetBoundary {
    return new PermissionSetBoundary(new AwsManagedBoundary(policyName));
  }

  /** No boundary. An explicit loosening: the permission set's policies alone decide what its sessions may do. */
  public static none(): PermissionSetBoundary {
    return new PermissionSetBoundary(new NoBoundary());
  }

  /** The customer-managed policy of the boundary, if it is one. */
  public readonly customerManagedPolicyReference?: CustomerManagedPolicyReference;

  private constructor(private readonly kind: BoundaryKind) {
    this.customerManagedPolicyReference = kind.customerManagedPolicyReference;
  }

  /** A short text for messages. */
  public describe(): string {
    return this.kind.describe();
  }

  /** @internal */
  public _render(): sso.CfnPermissionSet.PermissionsBoundaryProperty | undefined {
    return this.kind.render();
  }

  /** @internal */
  public _validate(problems: Problems, field: string): void {
    this.kind.validate(problems, field);
  }
}

class CustomerManagedBoundary implements BoundaryKind {
  public readonly customerManagedPolicyReference: CustomerManagedPolicyReference;
  constructor(reference: CustomerManagedPolicyReference) {
    this.customerManagedPolicyReference = { name: reference.name, path: reference.path ?? '/' };
  }
  public describe(): string {
    return `customer-managed policy '${this.customerManagedPolicyReference.path}${this.customerManagedPolicyReference.name}'`;
  }
  public render(): sso.CfnPermissionSet.PermissionsBoundaryProperty {
    return { customerManagedPolicyReference: { name: this.customerManagedPolicyReference.name, path: this.customerManagedPolicyReference.path } };
  }
  public validate(problems: Problems, field: string): void {
    problems.check(`${field}.name`, checkIamName('policy', this.customerManagedPolicyReference.name, LIMITS.POLICY_NAME_MAX));
    problems.check(`${field}.path`, checkIamPath(this.customerManagedPolicyReference.path!));
  }
}

class AwsManagedBoundary implements BoundaryKind {
  public readonly customerManagedPolicyReference = undefined;
  constructor(private readonly policyName: string) {}
  public describe(): string {
    return `aws managed policy '${this.policyName}'`;
  }
  public render(): sso.CfnPermissionSet.PermissionsBoundaryProperty {
    return { managedPolicyArn: iam.ManagedPolicy.fromAwsManagedPolicyName(this.policyName).managedPolicyArn };
  }
  public validate(problems: Problems, field: string): void {
    problems.check(field, checkIamName('aws managed policy', this.policyName, LIMITS.POLICY_NAME_MAX));
  }
}

class NoBoundary implements BoundaryKind {
  public readonly customerManagedPolicyReference = undefined;
  public describe(): string {
    return 'no boundary';
  }
  public render(): undefined {
    return undefined;
  }
  public validate(): void {}
}

/**
 * What a permission set grants and how its sessions behave.
 */
export interface PermissionSetOptions {
  /**
   * The permission set name, 1-32 of `[\w+=,.@-]`, unique in the Identity Center instance.
   *
   * @default - the permission level's name (`Admin`, `Power`, `ReadOnly`, `PowerAndIam`, `Ssm`, ...)
   */
  readonly permissionSetName?: string;

  /**
   * A permission level whose policies the permission set grants: the same level means the same permissions as the
   * jump-account role of that level.
   *
   * @default - no level; give the policies below
   */
  readonly permissionLevel?: PermissionLevel;

  /**
   * Further AWS managed policies, by name (e.g. `job-function/ViewOnlyAccess`).
   *
   * @default - only the level's
   */
  readonly awsManagedPolicyNames?: string[];

  /**
   * Customer-managed policies the permission set references by name and path. Together with the AWS managed
   * policies at most 20.
   *
   * @default - none
   */
  readonly customerManagedPolicies?: CustomerManagedPolicyReference[];

  /**
   * The inline policy (at most 10,240 characters). Merged with the level's inline policy, if any.
   *
   * @default - the level's inline policy, or none
   */
  readonly inlinePolicy?: iam.PolicyDocument;

  /**
   * The permissions boundary.
   *
   * @default PermissionSetBoundary.landingZone() - the landing zone boundary, as on the jump-account roles
   */
  readonly permissionsBoundary?: PermissionSetBoundary;

  /**
   * How long a session lasts, 1-12 hours (emitted as ISO-8601, e.g. `PT4H`).
   *
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;

  /**
   * The URL users land on in the console after signing in (1-240 characters).
   *
   * @default - the console home
   */
  readonly relayState?: string;

  /**
   * The description shown in the access portal (at most 700 characters).
   *
   * @default - the level's description, or none
   */
  readonly description?: string;

  /**
   * Tags of the permission set.
   *
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * Properties of a permission set.
 */
export interface PermissionSetProps extends PermissionSetOptions {
  /** The ARN of the Identity Center instance, `arn:aws:sso:::instance/ssoins-...`. */
  readonly instanceArn: string;
}

/**
 * Attributes of an existing permission set.
 */
export interface PermissionSetAttributes {
  /** The permission set ARN. */
  readonly permissionSetArn: string;
  /** The permission set name. */
  readonly permissionSetName: string;
  /** The Identity Center instance ARN. */
  readonly instanceArn: string;
  /**
   * The session duration.
   *
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;
}

const PERMISSION_SET_MARKER = Symbol.for('cdk-iam-landing-zone.PermissionSet');
const AWS_MANAGED_ARN_PATTERN = /^arn:[\w-]+:iam::aws:policy\//;
const DESCRIPTION_PATTERN = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;

/**
 * An IAM Identity Center permission set (`AWS::SSO::PermissionSet`), built from a `PermissionLevel` and/or explicit
 * policies, bounded by the landing zone boundary unless told otherwise.
 *
 * @example
 * new lz.PermissionSet(this, 'ReadOnly', {
 *   instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
 *   permissionLevel: PermissionLevel.readOnly(),
 *   sessionDuration: Duration.hours(4),
 * });
 */
export class PermissionSet extends Construct implements IPermissionSet {
  /** Whether `x` is a PermissionSet of this library (works across copies of the library, unlike `instanceof`). */
  public static isPermissionSet(x: unknown): x is PermissionSet {
    return typeof x === 'object' && x !== null && PERMISSION_SET_MARKER in x;
  }

  /** Refers to an existing permission set. */
  public static fromPermissionSetAttributes(scope: Construct, id: string, attrs: PermissionSetAttributes): IPermissionSet {
    class Import extends Construct implements IPermissionSet {
      public readonly permissionSetArn = attrs.permissionSetArn;
      public readonly permissionSetName = attrs.permissionSetName;
      public readonly instanceArn = attrs.instanceArn;
      public readonly sessionDuration = attrs.sessionDuration ?? Duration.hours(1);
    }
    return new Import(scope, id);
  }

  /** The permission set ARN. @attribute */
  public readonly permissionSetArn: string;
  /** The permission set name. */
  public readonly permissionSetName: string;
  /** The Identity Center instance ARN. */
  public readonly instanceArn: string;
  /** The session duration. */
  public readonly sessionDuration: Duration;
  /** The permissions boundary. */
  public readonly permissionsBoundary: PermissionSetBoundary;
  /** The permission level it was built from, if any. */
  public readonly permissionLevel?: PermissionLevel;
  /** Every customer-managed policy the permission set needs in an account: references and a customer-managed boundary. */
  public readonly requiredCustomerManagedPolicies: CustomerManagedPolicyReference[];
  /** The underlying `AWS::SSO::PermissionSet`. */
  public readonly resource: sso.CfnPermissionSet;

  constructor(scope: Construct, id: string, props: PermissionSetProps) {
    super(scope, id);
    Object.defineProperty(this, PERMISSION_SET_MARKER, { value: true });
    const problems = Problems.of(this);
    const level = props.permissionLevel;
    this.permissionLevel = level;

    // every problem at once, in the order of the fields
    const name = checkName(problems, props);
    const managedArns = managedPolicyArns(problems, props);
    const cmRefs = customerManagedReferences(problems, props);
    checkPolicyCount(this, problems, managedArns.length + cmRefs.length);
    const inline = inlinePolicy(this, problems, props);
    const boundary = props.permissionsBoundary ?? PermissionSetBoundary.landingZone();
    boundary._validate(problems, 'permissionsBoundary');
    const session = sessionDurationOf(problems, props);
    const description = props.description ?? level?.description;
    checkMetadata(problems, props, description);
    if (managedArns.length + cmRefs.length === 0 && !inline) {
      problems.add('permissionLevel', 'the permission set grants nothing: give a permissionLevel, managed policies or an inline policy');
    }
    problems.throwIfAny();

    this.resource = new sso.CfnPermissionSet(this, 'Resource', {
      instanceArn: props.instanceArn,
      name,
      description,
      sessionDuration: session.toIsoString(),
      relayStateType: props.relayState,
      managedPolicies: managedArns.length > 0 ? managedArns : undefined,
      customerManagedPolicyReferences: cmRefs.length > 0 ? cmRefs : undefined,
      inlinePolicy: inline,
      permissionsBoundary: boundary._render(),
    });
    for (const [k, v] of Object.entries(props.tags ?? {})) Tags.of(this.resource).add(k, v);

    this.permissionSetArn = this.resource.attrPermissionSetArn;
    this.permissionSetName = name;
    this.instanceArn = props.instanceArn;
    this.sessionDuration = session;
    this.permissionsBoundary = boundary;
    this.requiredCustomerManagedPolicies = [
      ...cmRefs,
      ...(boundary.customerManagedPolicyReference ? [boundary.customerManagedPolicyReference] : []),
    ];
  }
}

/** The permission set's name (given, or the level's), and the instance it belongs to. */
function checkName(problems: Problems, props: PermissionSetProps): string {
  const name = props.permissionSetName ?? props.permissionLevel?.name ?? '';
  if (name === '') {
    problems.add('permissionSetName', 'a permission set without a permissionLevel needs a permissionSetName (1-32 of letters, digits and +=,.@_-)');
  } else if (!Token.isUnresolved(name)) {
    if (name.length < 1 || name.length > LIMITS.PERMISSION_SET_NAME_MAX || !/^[\w+=,.@-]+$/.test(name)) {
      problems.add('permissionSetName', `permission set name '${name}' must be 1-${LIMITS.PERMISSION_SET_NAME_MAX} of letters, digits and +=,.@_-, got ${name.length} characters`);
    }
  }
  if (!Token.isUnresolved(props.instanceArn) && !INSTANCE_ARN_PATTERN.test(props.instanceArn)) {
    problems.add('instanceArn', `instance arn '${props.instanceArn}' must look like 'arn:aws:sso:::instance/ssoins-<16 characters>'`);
  }
  return name;
}

/** The level's AWS managed policies plus the explicit names; permission sets take AWS managed ARNs only. */
function managedPolicyArns(problems: Problems, props: PermissionSetProps): string[] {
  const level = props.permissionLevel;
  const awsNames = [...(level?.awsManagedPolicyNames ?? []), ...(props.awsManagedPolicyNames ?? [])];
  for (const d of duplicates(awsNames)) problems.add('awsManagedPolicyNames', `aws managed policy '${d}' is listed twice`);
  const managedArns = [...new Set(awsNames)].map((n) => iam.ManagedPolicy.fromAwsManagedPolicyName(n).managedPolicyArn);
  for (const [i, arn] of (level?.managedPolicyArns ?? []).entries()) {
    if (!Token.isUnresolved(arn) && !AWS_MANAGED_ARN_PATTERN.test(arn)) {
      problems.add(`permissionLevel.managedPolicyArns[${i}]`, `'${arn}' is not an aws managed policy arn; permission sets reference customer-managed policies by name: use customerManagedPolicies`);
    } else {
      managedArns.push(arn);
    }
  }
  return managedArns;
}

function customerManagedReferences(problems: Problems, props: PermissionSetProps): CustomerManagedPolicyReference[] {
  const cmRefs = (props.customerManagedPolicies ?? []).map((r) => ({ name: r.name, path: r.path ?? '/' }));
  for (const [i, r] of cmRefs.entries()) {
    problems.check(`customerManagedPolicies[${i}].name`, checkIamName('policy', r.name, LIMITS.POLICY_NAME_MAX));
    problems.check(`customerManagedPolicies[${i}].path`, checkIamPath(r.path));
  }
  for (const d of duplicates(cmRefs.map((r) => `${r.path}${r.name}`))) {
    problems.add('customerManagedPolicies', `customer-managed policy '${d}' is listed twice`);
  }
  return cmRefs;
}

/** Identity Center's quota of managed policies per permission set, and IAM's default per role (a warning). */
function checkPolicyCount(scope: Construct, problems: Problems, policyCount: number): void {
  if (policyCount > LIMITS.PERMISSION_SET_MANAGED_POLICIES) {
    problems.add('customerManagedPolicies', `a permission set takes at most ${LIMITS.PERMISSION_SET_MANAGED_POLICIES} managed and customer-managed policies together, got ${policyCount}`);
  } else if (policyCount > LIMITS.MANAGED_POLICIES_PER_ROLE) {
    Annotations.of(scope).addWarningV2('cdk-iam-landing-zone:permissionSetPolicyQuota',
      `${policyCount} managed policies exceed IAM's default quota of ${LIMITS.MANAGED_POLICIES_PER_ROLE} per role: raise it in every assigned account or provisioning fails`);
  }
}

/** The level's statements plus the explicit ones, one document, checked as an identity policy and for its size. */
function inlinePolicy(scope: Construct, problems: Problems, props: PermissionSetProps): iam.PolicyDocument | undefined {
  const level = props.permissionLevel;
  const statements = [
    ...(level?.inlinePolicy ? statementsOf(scope, level.inlinePolicy) : []),
    ...(props.inlinePolicy ? statementsOf(scope, props.inlinePolicy) : []),
  ];
  if (statements.length === 0) return undefined;
  const inline = new iam.PolicyDocument({ statements });
  for (const e of inline.validateForIdentityPolicy()) problems.add('inlinePolicy', e.charAt(0).toLowerCase() + e.slice(1).replace(/\.$/, ''));
  const length = minifiedLength(Stack.of(scope).resolve(inline));
  if (length > LIMITS.PERMISSION_SET_INLINE_POLICY_CHARS) {
    problems.add('inlinePolicy', `inline policy is ${length} characters, more than the ${LIMITS.PERMISSION_SET_INLINE_POLICY_CHARS} a permission set allows`);
  }
  return inline;
}

function sessionDurationOf(problems: Problems, props: PermissionSetProps): Duration {
  const session = props.sessionDuration ?? Duration.hours(1);
  if (!session.isUnresolved()) {
    const minutes = session.toMinutes({ integral: false });
    if (minutes < LIMITS.PERMISSION_SET_SESSION_MIN_HOURS * 60 || minutes > LIMITS.PERMISSION_SET_SESSION_MAX_HOURS * 60) {
      problems.add('sessionDuration', `session duration ${session.toHumanString()} must be between ${LIMITS.PERMISSION_SET_SESSION_MIN_HOURS} and ${LIMITS.PERMISSION_SET_SESSION_MAX_HOURS} hours`);
    } else if (!Number.isInteger(minutes)) {
      problems.add('sessionDuration', `session duration ${session.toHumanString()} must be whole minutes`);
    }
  }
  return session;
}

/** The relay state, the description and the tags. */
function checkMetadata(problems: Problems, props: PermissionSetProps, description: string | undefined): void {
  if (props.relayState !== undefined && !Token.isUnresolved(props.relayState)
    && (props.relayState.length < 1 || props.relayState.length > LIMITS.PERMISSION_SET_RELAY_STATE_MAX)) {
    problems.add('relayState', `relay state must be 1-${LIMITS.PERMISSION_SET_RELAY_STATE_MAX} characters, got ${props.relayState.length}`);
  }
  if (description !== undefined && !Token.isUnresolved(description)) {
    if (description.length < 1 || description.length > LIMITS.PERMISSION_SET_DESCRIPTION_MAX) {
      problems.add('description', `description must be 1-${LIMITS.PERMISSION_SET_DESCRIPTION_MAX} characters, got ${description.length}`);
    } else if (!DESCRIPTION_PATTERN.test(description)) {
      problems.add('description', 'description may contain only tab, line breaks and characters U+0020-U+007E, U+00A1-U+00FF');
    }
  }
  for (const [k, v] of Object.entries(props.tags ?? {})) {
    if (Token.isUnresolved(k) || Token.isUnresolved(v)) continue;
    if (k.length < 1 || k.length > 128 || k.toLowerCase().startsWith('aws:')) {
      problems.add(`tags.${k}`, `tag key '${k}' must be 1-128 characters and not start with 'aws:'`);
    }
    if (v.length > 256) problems.add(`tags.${k}`, `tag value must be at most 256 characters, got ${v.length}`);
  }
  if (Object.keys(props.tags ?? {}).length > 50) {
    problems.add('tags', `a permission set takes at most 50 tags, got ${Object.keys(props.tags ?? {}).length}`);
  }
}

function statementsOf(scope: Construct, doc: iam.PolicyDocument): iam.PolicyStatement[] {
  const json = Stack.of(scope).resolve(doc) as { Statement?: unknown[] } | undefined;
  return (json?.Statement ?? []).map((s) => iam.PolicyStatement.fromJson(s));
}
