import { Annotations, Aws, Duration, Stack, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IJumpAccount } from './jump-account';
import { LandingZoneBoundary } from './landing-zone-boundary';
import { PermissionLevel } from './permission-level';
import { LZ_MANAGED_TAG_KEY } from './private/conventions';
import { LIMITS } from './private/limits';
import { renderedPolicyLength } from './private/policy-size';
import { denyOutsideSourceAddresses } from './private/source-address';
import { switchRoleUrl } from './private/switch-role';
import { declareTargetRole } from './private/target-role-declarations';
import { checkCidr, checkIamName, checkIamPath, checkLiteralName, duplicates, Problems } from './private/validation';
import { declareNameOwner } from './unique-names';

const ROLE_MARKER = Symbol.for('cdk-iam-landing-zone.CrossAccountRole');
const PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|\*):iam::(\d{12}):(user|role)(\/[\x21-\x7e]*)$/;

/**
 * Properties of a role that people in the jump account switch into.
 */
export interface CrossAccountRoleProps {
  /**
   * The jump account whose users may assume the role. The role declares itself to the app (account, name, this jump
   * account's id), where the check of a `JumpAccount` with that id finds it.
   */
  readonly jumpAccount: IJumpAccount;

  /** What the role may do: its managed and inline policies. */
  readonly permissionLevel: PermissionLevel;

  /**
   * Name of the role. Jump-account groups refer to roles by name.
   *
   * @default - the level's convention, e.g. `lz-read-only` for `PermissionLevel.readOnly()`
   */
  readonly roleName?: string;

  /**
   * IAM path of the role.
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * ARNs (IAM wildcards allowed after the type) of the jump-account principals that may assume the role, e.g.
   * `arn:aws:iam::111111111111:user/alice`. Naming a role here means callers reach this role by role chaining,
   * which AWS caps at one hour.
   *
   * @default - any IAM user of the jump account (`user/*`); the jump account's group policies decide which
   */
  readonly allowedPrincipalArns?: string[];

  /**
   * Whether the caller must have signed in with MFA (`aws:MultiFactorAuthPresent`). Turning it off is reported as a
   * warning on the construct.
   *
   * @default true
   */
  readonly requireMfa?: boolean;

  /**
   * The longest time since the caller's MFA sign-in (`aws:MultiFactorAuthAge`), 1 second to 36 hours.
   *
   * @default - no limit beyond the caller's session
   */
  readonly maxMfaAge?: Duration;

  /**
   * Source addresses (IPv4/IPv6 CIDRs) the caller must come from (`aws:SourceIp`): to assume the role, and for every
   * call made with its sessions, except calls AWS services make for them (`aws:ViaAWSService`).
   *
   * @default - any address
   */
  readonly allowedSourceCidrs?: string[];

  /**
   * Source addresses for the sessions of particular jump users, who are recognised by their session name (which
   * `requireUserNameAsSessionName` makes their user name): every call made with such a session from elsewhere is
   * denied, except calls AWS services make for it. `JumpAccount.sessionSourceRestrictions()` derives these from the
   * jump account's group and account-wide CIDRs; `LandingZone` passes them to the roles it deploys.
   *
   * @default - no per-user limits
   */
  readonly sessionSourceRestrictions?: SessionSourceRestriction[];

  /**
   * An external id the caller must pass (`sts:ExternalId`), 2-1,224 characters. Mostly useful for third-party tools.
   *
   * @default - no external id
   */
  readonly externalId?: string;

  /**
   * Whether callers must name their session after their IAM user (`sts:RoleSessionName` = `${aws:username}`), so
   * CloudTrail cannot be told that someone else acted. The console's switch-role page names the session after the
   * signed-in user; CLI and SDK users set it (`role_session_name = <user name>` in their profile, or
   * `--role-session-name`). Only IAM users have a user name: turn this off (a warning) when roles in
   * `allowedPrincipalArns` assume the role.
   *
   * @default true
   */
  readonly requireUserNameAsSessionName?: boolean;

  /**
   * Whether callers must set their source identity to their IAM user name (`sts:SourceIdentity` =
   * `${aws:username}`), so CloudTrail names the person behind every action taken with the role, even after chaining.
   * AWS sets the condition key only for the CLI and API (`aws sts assume-role --source-identity <user name>`), never
   * for the console's switch-role page: turn this on only for roles used from the CLI/SDK.
   *
   * @default false
   */
  readonly requireSourceIdentity?: boolean;

  /**
   * Whether callers may pass session tags (`sts:TagSession`).
   *
   * @default false
   */
  readonly allowSessionTags?: boolean;

  /**
   * Longest session, 1 to 12 hours. Sessions reached by role chaining are capped at 1 hour whatever this says.
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /**
   * The permissions boundary. A boundary is always attached.
   *
   * @default - the landing zone boundary of this stack (`LandingZoneBoundary.ofStack`), created on first use
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * Further managed policies, on top of the level's.
   *
   * @default - none
   */
  readonly additionalManagedPolicies?: iam.IManagedPolicy[];

  /**
   * Your account's quota of managed policies per role (AWS default 10, up to 20 on request).
   *
   * @default 10
   */
  readonly managedPoliciesQuota?: number;

  /**
   * Your account's quota of characters for a role trust policy (AWS default 2,048, up to 4,096 on request).
   *
   * @default 2048
   */
  readonly trustPolicyQuota?: number;

  /**
   * A description of the role.
   *
   * @default - the permission level's description
   */
  readonly description?: string;
}

/**
 * Source addresses that the sessions of some jump users must come from.
 */
export interface SessionSourceRestriction {
  /** The jump users (IAM user names, which are their session names). */
  readonly userNames: string[];

  /** The addresses (IPv4/IPv6 CIDRs) their sessions may be used from. */
  readonly allowedSourceCidrs: string[];
}

/**
 * A role in a target account that jump-account users switch into: trusts only the jump account, requires MFA and a
 * session named after the user by default, always carries a permissions boundary, and is tagged
 * `landing-zone:managed` so that the boundary and the guardrail SCPs protect it whatever its name.
 *
 * The role declares itself to its app, so that a `JumpAccount` of the app whose group names a role no target deploys
 * fails at synth, whichever stacks the role and the jump account are in.
 */
export class CrossAccountRole extends Construct {
  /** Whether `x` is a CrossAccountRole (works across copies of the library, unlike `instanceof`). */
  public static isCrossAccountRole(x: unknown): x is CrossAccountRole {
    return typeof x === 'object' && x !== null && ROLE_MARKER in x;
  }

  /** The role. */
  public readonly role: iam.Role;

  /** The role name. */
  public readonly roleName: string;

  /** The boundary attached to the role. */
  public readonly permissionsBoundary: iam.IManagedPolicy;

  /** The console link that switches into this role. */
  public readonly switchRoleUrl: string;

  constructor(scope: Construct, id: string, props: CrossAccountRoleProps) {
    super(scope, id);
    Object.defineProperty(this, ROLE_MARKER, { value: true });
    const problems = Problems.of(this);
    const stack = Stack.of(this);
    const jumpAccountId = props.jumpAccount.accountId;
    const roleName = props.roleName ?? props.permissionLevel.roleName();
    const path = props.path ?? '/';
    this.roleName = roleName;

    problems.check('roleName', checkLiteralName('role', roleName) ?? checkIamName('role', roleName, LIMITS.ROLE_NAME_MAX));
    problems.check('path', checkIamPath(path));
    if (!Token.isUnresolved(roleName) && !Token.isUnresolved(path) && path !== '/'
      && path.length + roleName.length > LIMITS.SWITCH_ROLE_PATH_AND_NAME_MAX) {
      problems.add('path', `path '${path}' and role name '${roleName}' are ${path.length + roleName.length} characters together, more than the ${LIMITS.SWITCH_ROLE_PATH_AND_NAME_MAX} the console switch-role page accepts`);
    }
    if (!Token.isUnresolved(stack.account) && stack.account === jumpAccountId) {
      Annotations.of(this).addWarningV2('cdk-iam-landing-zone:roleInJumpAccount', 'the role is deployed in the jump account itself: jump users reach it without leaving the account that holds their credentials');
    }

    const maxSession = props.maxSessionDuration ?? Duration.hours(1);
    const requireSessionName = props.requireUserNameAsSessionName ?? true;
    checkSessionOptions(problems, props, maxSession, requireSessionName);
    const principalArns = props.allowedPrincipalArns ?? [`arn:${Aws.PARTITION}:iam::${jumpAccountId}:user/*`];
    const chained = checkTrustedPrincipals(problems, props, jumpAccountId, requireSessionName);
    const managedQuota = props.managedPoliciesQuota ?? LIMITS.MANAGED_POLICIES_PER_ROLE;
    if (managedQuota < 1 || managedQuota > LIMITS.MANAGED_POLICIES_PER_ROLE_MAX || !Number.isInteger(managedQuota)) {
      problems.add('managedPoliciesQuota', `quota must be an integer of 1-${LIMITS.MANAGED_POLICIES_PER_ROLE_MAX}, got ${managedQuota}`);
    }
    const managed = [...props.permissionLevel.managedPolicies(this), ...(props.additionalManagedPolicies ?? [])];
    if (managed.length > managedQuota) {
      problems.add('additionalManagedPolicies', `the role would have ${managed.length} managed policies, more than the quota of ${managedQuota}`);
    }
    const trustQuota = props.trustPolicyQuota ?? LIMITS.TRUST_POLICY_CHARS;
    if (trustQuota < LIMITS.TRUST_POLICY_CHARS || trustQuota > LIMITS.TRUST_POLICY_CHARS_MAX || !Number.isInteger(trustQuota)) {
      problems.add('trustPolicyQuota', `quota must be an integer of ${LIMITS.TRUST_POLICY_CHARS}-${LIMITS.TRUST_POLICY_CHARS_MAX}, got ${trustQuota}`);
    }
    problems.throwIfAny();

    if (props.requireMfa === false) {
      Annotations.of(this).addWarningV2('cdk-iam-landing-zone:mfaNotRequired', `role '${roleName}' can be assumed without mfa (requireMfa: false)`);
    }
    if (!requireSessionName) {
      Annotations.of(this).addWarningV2('cdk-iam-landing-zone:sessionNameNotRequired',
        `callers of role '${roleName}' choose their session name (requireUserNameAsSessionName: false), so cloudtrail may name someone else`);
    }
    if (chained && maxSession.toSeconds() > LIMITS.ROLE_CHAINING_MAX_SECONDS) {
      Annotations.of(this).addWarningV2('cdk-iam-landing-zone:roleChaining',
        `role '${roleName}' is reached by role chaining from a role in allowedPrincipalArns, so its sessions last at most 1 hour, not the ${maxSession.toHumanString()} of maxSessionDuration`);
    }

    const principal = new JumpAccountTrust(new iam.AccountPrincipal(jumpAccountId), trustStatements(props, principalArns, requireSessionName));

    this.permissionsBoundary = props.permissionsBoundary ?? LandingZoneBoundary.ofStack(this).managedPolicy;
    this.role = new iam.Role(this, 'Role', {
      roleName,
      path,
      assumedBy: principal,
      description: props.description ?? props.permissionLevel.description,
      maxSessionDuration: maxSession,
      permissionsBoundary: this.permissionsBoundary,
      managedPolicies: managed,
      inlinePolicies: this.inlinePolicies(props),
    });
    Tags.of(this.role).add(LZ_MANAGED_TAG_KEY, 'true');

    const account = stack.account;
    this.switchRoleUrl = switchRoleUrl(roleName, path, account, roleName);
    // declared to the app, not registered with the jump account: the jump account's check reads the declarations
    if (!Token.isUnresolved(account)) {
      declareTargetRole(this, { accountId: account, roleName, jumpAccountId, deployedBy: this.node.path });
    }

    this.node.addValidation({ validate: () => this.validateSizes(props, trustQuota) });
    declareNameOwner(this, {
      fix: (_kind, name, accountId) => `give this role a roleName no other role of account ${accountId} has, or drop it and use the existing '${name}'`,
    });
  }

  // sizes known only once the role is complete: trust and inline policies
  private validateSizes(props: CrossAccountRoleProps, trustQuota: number): string[] {
    const out: string[] = [];
    const trustLength = renderedPolicyLength(this, this.role.assumeRolePolicy!.toJSON());
    if (trustLength > trustQuota) {
      out.push(`allowedPrincipalArns: trust policy is ${trustLength} characters, more than the quota of ${trustQuota}`);
    }
    const inline = [props.permissionLevel.inlinePolicy, sourceAddressDocument(props), ...this.inlinePoliciesAddedLater()]
      .filter((d): d is iam.PolicyDocument => d !== undefined)
      .reduce((sum, d) => sum + renderedPolicyLength(this, d.toJSON()), 0);
    if (inline > LIMITS.INLINE_POLICY_AGGREGATE_ROLE_CHARS) {
      out.push(`permissionLevel: inline policies are ${inline} characters together, more than the ${LIMITS.INLINE_POLICY_AGGREGATE_ROLE_CHARS} iam allows per role`);
    }
    return out;
  }

  /**
   * Allows a principal to assume this role (e.g. a tool's role in the same account). Jump-account users are already
   * trusted through the trust policy.
   */
  public grantAssumeRole(grantee: iam.IGrantable): iam.Grant {
    return this.role.grantAssumeRole(grantee.grantPrincipal);
  }

  private inlinePolicies(props: CrossAccountRoleProps): Record<string, iam.PolicyDocument> | undefined {
    const out: Record<string, iam.PolicyDocument> = {};
    if (props.permissionLevel.inlinePolicy) out[props.permissionLevel.name] = props.permissionLevel.inlinePolicy;
    const sources = sourceAddressDocument(props);
    if (sources) out.SourceAddresses = sources;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  // policies added with role.addToPrincipalPolicy land in the role's DefaultPolicy, which counts as inline
  private inlinePoliciesAddedLater(): iam.PolicyDocument[] {
    const def = this.role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
    return def ? [def.document] : [];
  }
}

// Session length, MFA age, source addresses, per-user restrictions and the external id.
function checkSessionOptions(problems: Problems, props: CrossAccountRoleProps, maxSession: Duration, requireSessionName: boolean): void {
  if (!maxSession.isUnresolved()) {
    const s = maxSession.toSeconds();
    if (s < LIMITS.ROLE_SESSION_MIN_SECONDS || s > LIMITS.ROLE_SESSION_MAX_SECONDS) {
      problems.add('maxSessionDuration', `max session duration must be 1-12 hours (3600-43200 seconds), got ${s} seconds`);
    }
  }
  if (props.maxMfaAge && !props.maxMfaAge.isUnresolved()) {
    const s = props.maxMfaAge.toSeconds();
    if (s < 1 || s > 129_600) problems.add('maxMfaAge', `mfa age must be 1 second to 36 hours, got ${s} seconds`);
  }
  if (props.maxMfaAge && props.requireMfa === false) {
    problems.add('maxMfaAge', 'maxMfaAge needs requireMfa, which is false');
  }
  for (const [i, cidr] of (props.allowedSourceCidrs ?? []).entries()) {
    problems.check(`allowedSourceCidrs[${i}]`, checkCidr(cidr));
  }
  if (props.allowedSourceCidrs && props.allowedSourceCidrs.length === 0) {
    problems.add('allowedSourceCidrs', 'an empty list would lock everyone out: omit it to allow any address');
  }
  for (const [i, r] of (props.sessionSourceRestrictions ?? []).entries()) {
    const field = `sessionSourceRestrictions[${i}]`;
    if (r.userNames.length === 0) problems.add(`${field}.userNames`, 'a restriction needs at least one user name, got none');
    for (const [j, u] of r.userNames.entries()) problems.check(`${field}.userNames[${j}]`, checkIamName('user', u, LIMITS.USER_NAME_MAX));
    if (r.allowedSourceCidrs.length === 0) problems.add(`${field}.allowedSourceCidrs`, 'an empty list would lock the users out: omit the restriction to allow any address');
    for (const [j, c] of r.allowedSourceCidrs.entries()) problems.check(`${field}.allowedSourceCidrs[${j}]`, checkCidr(c));
    if (!requireSessionName) {
      problems.add(field, 'users are recognised by their session name, which requireUserNameAsSessionName false lets them choose: keep it on or drop the restriction');
    }
  }
  if (props.externalId !== undefined && !Token.isUnresolved(props.externalId)) {
    const e = props.externalId;
    const bad = [...new Set(e.replace(/[\w+=,.@:/-]/g, ''))];
    if (e.length < LIMITS.EXTERNAL_ID_MIN || e.length > LIMITS.EXTERNAL_ID_MAX) {
      problems.add('externalId', `external id must be ${LIMITS.EXTERNAL_ID_MIN}-${LIMITS.EXTERNAL_ID_MAX} characters, got ${e.length}`);
    }
    if (bad.length > 0) {
      problems.add('externalId', `external id '${e}' may hold only letters, digits, '_' and +=,.@:/-; remove ${bad.map((c) => JSON.stringify(c)).join(', ')}`);
    }
  }
}

// The trusted principals: users or roles of the jump account only. Returns whether a role is trusted (role chaining).
function checkTrustedPrincipals(problems: Problems, props: CrossAccountRoleProps, jumpAccountId: string, requireSessionName: boolean): boolean {
  let chained = false;
  for (const [i, arn] of (props.allowedPrincipalArns ?? []).entries()) {
    if (Token.isUnresolved(arn)) continue;
    const m = PRINCIPAL_ARN.exec(arn);
    if (!m) {
      problems.add(`allowedPrincipalArns[${i}]`, `'${arn}' must be the arn of a user or role, e.g. 'arn:aws:iam::${jumpAccountId}:user/alice'`);
    } else if (m[2] !== jumpAccountId) {
      problems.add(`allowedPrincipalArns[${i}]`, `'${arn}' is in account ${m[2]}, but the role trusts only the jump account ${jumpAccountId}`);
    } else if (m[3] === 'role') {
      chained = true;
      if (requireSessionName) {
        problems.add(`allowedPrincipalArns[${i}]`, `'${arn}' is a role, which has no user name to name its session after: set requireUserNameAsSessionName to false for roles assumed by roles`);
      }
    }
  }
  if (props.allowedPrincipalArns && props.allowedPrincipalArns.length === 0) {
    problems.add('allowedPrincipalArns', 'an empty list would trust nobody: omit it to trust the users of the jump account');
  }
  for (const dup of duplicates(props.allowedPrincipalArns ?? [], false)) {
    problems.add('allowedPrincipalArns', `'${dup}' is listed more than once`);
  }
  return chained;
}

// The trust statements: who may call, with MFA, MFA age, source address, external id, session name, source identity.
function trustStatements(props: CrossAccountRoleProps, principalArns: string[], requireSessionName: boolean): TrustStatement[] {
  // who may call, checked on every statement: global keys, present in every request
  const caller: Record<string, Record<string, unknown>> = { ArnLike: { 'aws:PrincipalArn': principalArns } };
  if (props.requireMfa ?? true) caller.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
  const assume: Record<string, Record<string, unknown>> = { ...caller };
  if (props.maxMfaAge) assume.NumericLessThan = { 'aws:MultiFactorAuthAge': String(props.maxMfaAge.toSeconds()) };
  if (props.allowedSourceCidrs) assume.IpAddress = { 'aws:SourceIp': props.allowedSourceCidrs };
  const equals: Record<string, string> = {};
  if (props.externalId) equals['sts:ExternalId'] = props.externalId;
  if (requireSessionName) equals['sts:RoleSessionName'] = '${aws:username}';
  if (props.requireSourceIdentity) equals['sts:SourceIdentity'] = '${aws:username}';
  if (Object.keys(equals).length > 0) assume.StringEquals = equals;

  // sts:SetSourceIdentity and sts:TagSession are authorized within the AssumeRole call that the first statement
  // decides; each gets a statement with only the condition keys the Service Authorization Reference gives it
  const trust: TrustStatement[] = [{ sid: 'TrustJumpAccountUsers', actions: ['sts:AssumeRole'], conditions: assume }];
  if (props.requireSourceIdentity) {
    trust.push({ sid: 'SetOwnSourceIdentity', actions: ['sts:SetSourceIdentity'], conditions: { ...caller, StringEquals: { 'sts:SourceIdentity': '${aws:username}' } } });
  }
  if (props.allowSessionTags) trust.push({ sid: 'TagSessions', actions: ['sts:TagSession'], conditions: caller });
  return trust;
}

// The trust checks the caller's address once, at AssumeRole; these denies hold every call of the session to it
// (per user: the session name is the user name).
function sourceAddressDocument(props: CrossAccountRoleProps): iam.PolicyDocument | undefined {
  const statements = [
    ...(props.allowedSourceCidrs ? [denyOutsideSourceAddresses('DenyOutsideRoleSourceAddresses', props.allowedSourceCidrs)] : []),
    ...(props.sessionSourceRestrictions ?? [])
      .map((r, i) => denyOutsideSourceAddresses(`DenyOutsideUserSourceAddresses${i}`, r.allowedSourceCidrs, r.userNames)),
  ];
  return statements.length > 0 ? new iam.PolicyDocument({ statements }) : undefined;
}

// Trust statements we control entirely: the jump account root, narrowed by conditions, never `*`.
interface TrustStatement {
  readonly sid: string;
  readonly actions: string[];
  readonly conditions: Record<string, Record<string, unknown>>;
}

class JumpAccountTrust extends iam.PrincipalBase implements iam.IAssumeRolePrincipal {
  constructor(
    private readonly account: iam.AccountPrincipal,
    private readonly statements: TrustStatement[],
  ) {
    super();
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.account.policyFragment;
  }

  public addToAssumeRolePolicy(document: iam.PolicyDocument): void {
    document.addStatements(...this.statements.map((s) => new iam.PolicyStatement({
      sid: s.sid,
      actions: s.actions,
      principals: [this.account],
      conditions: s.conditions,
    })));
  }

  public dedupeString(): string | undefined {
    return undefined;
  }
}
