import * as fs from 'fs';
import { Annotations, Aws, CfnOutput, Duration, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { AccessPath, AccessReport, AccessReportEntry, IAccessReportSource } from './access-report';
import { AccountSelection } from './account-selection';
import type { SessionSourceRestriction } from './cross-account-role';
import { Organization } from './organization';
import { PermissionLevel } from './permission-level';
import { ManifestData, manifestChanges, parseJumpAccountManifest, planJumpAccountManifest, renderJumpAccountManifest } from './plan/jump-account-manifest-plan';
import { checkTargetRoles, JumpAccountPlan, jumpAccessRows, organizationPathStatement, planJumpAccount, sessionSourceRestrictions, targetRoleKey, TargetRoleSession } from './plan/jump-account-plan';
import { LZ_MANAGED_TAG_KEY, STANDING_ADMIN_METADATA, WRITE_JUMP_ACCOUNT_MANIFEST_CONTEXT } from './private/conventions';
import { acknowledgeCustomResourcePolicy } from './private/custom-resource-provider';
import { LIMITS } from './private/limits';
import { denyOutsideSourceAddresses } from './private/source-address';
import { targetRoleDeclarations } from './private/target-role-declarations';
import { checkTemplateLimits } from './private/template-limits';
import { checkAccountId, Problems } from './private/validation';

/**
 * The jump account as other constructs see it: `CrossAccountRole` trusts it by its id.
 */
export interface IJumpAccount extends IConstruct {
  /** The jump account id. */
  readonly accountId: string;

  /**
   * Records that a role of this name is deployed in that account, so groups pointing at it pass the synth check.
   *
   * @param accountId the account holding the role
   * @param roleName the role name
   * @param deployedBy the construct path deploying it, for messages
   * @deprecated `CrossAccountRole` no longer calls it: the jump account's check finds every `CrossAccountRole` of the
   * app that trusts it. Declare a role created some other way in `JumpAccountProps.externallyManagedRoles`.
   */
  registerTargetRole(accountId: string, roleName: string, deployedBy?: string): void;
}

/**
 * Where a group may switch to: every named role in every named account.
 */
export interface JumpTarget {
  /**
   * Accounts of the organization model (members, or external accounts declared in the model).
   *
   * @default - none; `externalAccountIds` must then name some
   */
  readonly accounts?: AccountSelection;

  /**
   * Ids of accounts that are not in the organization model at all, e.g. in another company's organization.
   * Listing them here is the explicit opt-in: ids outside the model are refused anywhere else.
   *
   * @default - none
   */
  readonly externalAccountIds?: string[];

  /**
   * Permission levels; each means the role named by the level's convention, e.g. `lz-read-only`.
   *
   * @default - none; `roleNames` must then name some
   */
  readonly permissionLevels?: PermissionLevel[];

  /**
   * Role names, for roles not named by a level's convention.
   *
   * @default - none
   */
  readonly roleNames?: string[];

  /**
   * Grant the roles in every account of the selected OUs by organization path instead of listing each role ARN:
   * `arn:<partition>:iam::*:role/<name>` where the role's account is under the OUs (`aws:ResourceOrgPaths` and
   * `aws:ResourceOrgID` of the organization model's `organizationId`), minus the accounts the selection leaves out
   * (excluded, not active, the management account). Accounts added to the OUs later are reached without a
   * deployment of the jump account, and a group may target thousands of accounts. `accounts` must select OUs or all
   * member accounts; `externalAccountIds` keep exact ARNs.
   *
   * @default false - the group's policies list the role ARN of each account, as resolved at synth
   */
  readonly byOrganizationPath?: boolean;
}

/**
 * A group of people with the same job (or the same partner company) and the roles they may switch into.
 */
export interface JumpGroup {
  /** The IAM group name (1-128 of `[\w+=,.@-]`), e.g. `vendor-acme`. */
  readonly groupName: string;

  /** Where members may switch to. Members get `sts:AssumeRole` on exactly these roles, and only with MFA. */
  readonly targets: JumpTarget[];

  /**
   * Source addresses (IPv4/IPv6 CIDRs) members must come from. Outside them a member can do nothing at all, except
   * through AWS services acting for them (`aws:ViaAWSService`). Applies to everything the member does, so a user in
   * two restricted groups must come from an address both allow.
   *
   * @default - any address, unless the account-wide `allowedSourceCidrs` restricts it
   */
  readonly allowedSourceCidrs?: string[];
}

/**
 * A person (or a tool) with an IAM user in the jump account.
 */
export interface JumpUser {
  /** The IAM user name (1-64 of `[\w+=,.@-]`). */
  readonly userName: string;

  /** Names of the groups the user belongs to (at most 10). */
  readonly groups: string[];

  /**
   * Whether the user signs in to the console. Console users get a generated initial password in Secrets Manager
   * that must be changed at first sign-in. Programmatic users get no password and no access key: an administrator
   * creates their first key, and they can use it for nothing but registering an MFA device until they do.
   *
   * @default true
   */
  readonly consoleAccess?: boolean;
}

/**
 * The account password policy. Defaults follow CIS and NIST-style strength: long, all classes, no reuse.
 */
export interface AccountPasswordPolicy {
  /**
   * Minimum length, 6-128.
   *
   * @default 14
   */
  readonly minimumLength?: number;

  /**
   * Require at least one symbol.
   *
   * @default true
   */
  readonly requireSymbols?: boolean;

  /**
   * Require at least one digit.
   *
   * @default true
   */
  readonly requireNumbers?: boolean;

  /**
   * Require at least one uppercase letter.
   *
   * @default true
   */
  readonly requireUppercase?: boolean;

  /**
   * Require at least one lowercase letter.
   *
   * @default true
   */
  readonly requireLowercase?: boolean;

  /**
   * Number of previous passwords that cannot be reused, 1-24.
   *
   * @default 24
   */
  readonly reusePrevention?: number;

  /**
   * How long a password is valid, 1-1,095 days.
   *
   * @default Duration.days(90)
   */
  readonly maxAge?: Duration;

  /**
   * Whether an expired password locks the user out until an administrator resets it.
   *
   * @default false
   */
  readonly hardExpiry?: boolean;
}

/**
 * One console link to switch into a role, as listed in the stack outputs.
 */
export interface SwitchRoleLink {
  /** The group whose members may use it. */
  readonly groupName: string;
  /** The target account id. */
  readonly accountId: string;
  /** The account name from the organization model, or the id for accounts outside it. */
  readonly accountName: string;
  /** The role name. */
  readonly roleName: string;
  /** `https://signin.aws.amazon.com/switchrole?...` */
  readonly url: string;
}

/**
 * Properties of the jump account.
 */
export interface JumpAccountProps {
  /** The organization model; its `jumpAccount` is where this construct is deployed. */
  readonly organization: Organization;

  /** The groups and where they may switch to. */
  readonly groups: JumpGroup[];

  /**
   * The users.
   *
   * @default - none
   */
  readonly users?: JumpUser[];

  /**
   * Source addresses (IPv4/IPv6 CIDRs) every user must come from; outside them users can do nothing, except through
   * AWS services acting for them (`aws:ViaAWSService`).
   *
   * @default - any address
   */
  readonly allowedSourceCidrs?: string[];

  /**
   * The account password policy.
   *
   * @default - 14 characters, all character classes, 24 remembered, 90 days, no hard expiry
   */
  readonly passwordPolicy?: AccountPasswordPolicy;

  /**
   * Whether this construct sets the account password policy. Turn it off only when something else manages it.
   *
   * @default true
   */
  readonly managePasswordPolicy?: boolean;

  /**
   * Roles that exist in target accounts but are not created by a `CrossAccountRole` of this app (StackSets, another
   * organization's pipeline). Groups may point at them without failing the synth check.
   *
   * @default - none: every role a group points at must be a `CrossAccountRole` of this app
   */
  readonly externallyManagedRoles?: JumpTarget[];

  /**
   * A committed file listing the roles the groups expect in the accounts of the model's other organizations
   * (`otherOrganizations`), read by each of those organizations' apps (`JumpAccountManifest.fromFile`), which deploy
   * the roles and fail at synth when one is missing. The synth fails when the file is stale; synthesize with the
   * context `lz:writeJumpAccountManifest=true` to rewrite it. Targets in other organizations need it (or
   * `externallyManagedRoles`).
   *
   * @default - no manifest: targets in other organizations must be externally managed roles
   */
  readonly manifestFile?: string;

  /**
   * Whether every group x account x role switch-role link becomes a stack output. CloudFormation allows 200 outputs
   * per stack; the synth fails beyond that, so turn this off for very large landing zones and read
   * `switchRoleLinks` instead.
   *
   * @default true
   */
  readonly switchRoleOutputs?: boolean;

  /**
   * The access report that lists this account's group x account x role paths (a `LandingZone` gives its own).
   *
   * @default - the report of the stage (`AccessReport.of(this)`)
   */
  readonly accessReport?: AccessReport;
}

/**
 * The jump (identity) account: IAM users for people who cannot live in the company IdP, grouped by job or partner
 * company, each group allowed to switch only into the roles named for it, only with MFA.
 *
 * Creates the groups and their assume-role policies, the users (console users with a generated initial password in
 * Secrets Manager that must be changed), AWS's "manage own credentials with MFA" policy on every user, optional
 * source-address restrictions, the account password policy, and a switch-role link per group x account x role.
 */
export class JumpAccount extends Construct implements IJumpAccount, IAccessReportSource {
  /**
   * Refers to a jump account by its id (e.g. defined in another app): roles trust it; a `JumpAccount` of this app
   * with that id counts them in its check.
   */
  public static fromAccountId(scope: Construct, id: string, accountId: string): IJumpAccount {
    const problem = checkAccountId(accountId);
    if (problem) throw new Error(`${scope.node.path}/${id}: accountId: ${problem}`);
    class Imported extends Construct implements IJumpAccount {
      public readonly accountId = accountId;
      public registerTargetRole(): void {
        // roles of another app's jump account cannot be checked from here
      }
    }
    return new Imported(scope, id);
  }

  /** The jump account id. */
  public readonly accountId: string;

  /** The policy every user gets: manage own password, access keys and MFA; nothing else without MFA. */
  public readonly selfServicePolicy: iam.ManagedPolicy;

  /** The account-wide source-address policy, when `allowedSourceCidrs` is set. */
  public readonly sourceIpPolicy?: iam.ManagedPolicy;

  /** The group every user is in: the self-service policy (and the account-wide source-address policy) come from it. */
  public readonly everyoneGroup: iam.Group;

  /** The key of the initial password secrets (when there are console users). */
  public readonly initialPasswordsKey?: kms.Key;

  /** The custom resource setting the account password policy, when managed. */
  public readonly passwordPolicy?: cr.AwsCustomResource;

  /** Every switch-role link (group x account x role). */
  public readonly switchRoleLinks: SwitchRoleLink[];

  /** The names of the groups this account declares (as the elevated-access workflow's jump rules name them). */
  public readonly groupNames: string[];

  /** The names of the users this account declares. */
  public readonly userNames: string[];

  private readonly groupsByName = new Map<string, iam.Group>();
  private readonly usersByName = new Map<string, iam.User>();
  private readonly secretsByUser = new Map<string, secretsmanager.Secret>();
  private readonly registered = new Map<string, string[]>();
  private readonly plan: JumpAccountPlan;
  private readonly intent: JumpAccountProps;
  private plannedRoles?: () => ReadonlyMap<string, string[]>;
  private plannedSessions?: () => ReadonlyMap<string, TargetRoleSession>;
  private userBoundary?: iam.IManagedPolicy;

  constructor(scope: Construct, id: string, props: JumpAccountProps) {
    super(scope, id);
    checkTemplateLimits(this);
    const problems = Problems.of(this);
    const org = props.organization;
    const stack = Stack.of(this);
    if (!org.jumpAccount) {
      problems.add('organization.jumpAccount', 'the organization model defines no jump account: set jumpAccount in the organization');
    }
    this.accountId = org.jumpAccount?.accountId ?? stack.account;
    if (org.jumpAccount && !Token.isUnresolved(stack.account) && stack.account !== org.jumpAccount.accountId) {
      problems.add('organization.jumpAccount', `the stack deploys to account ${stack.account}, but the organization's jump account is ${org.jumpAccount.accountId}`);
    }
    this.plan = planJumpAccount(problems, props);
    this.intent = props;
    this.groupNames = props.groups.map((g) => g.groupName);
    this.userNames = (props.users ?? []).map((u) => u.userName);
    for (const groupName of this.plan.managementAccountGroups) {
      Annotations.of(this).addWarningV2('cdk-iam-landing-zone:managementAccountTarget',
        `group '${groupName}' may switch into the management account ${org.managementAccount.accountId}, where no scp applies`);
    }
    problems.throwIfAny();

    // every human: manage own credentials; nothing else without mfa
    this.selfServicePolicy = new iam.ManagedPolicy(this, 'SelfServicePolicy', {
      description: 'Manage own password, access keys and MFA device; nothing else without MFA',
      document: selfServiceDocument(),
    });
    if (props.allowedSourceCidrs) {
      this.sourceIpPolicy = new iam.ManagedPolicy(this, 'SourceIpPolicy', {
        description: 'Deny everything from outside the allowed source addresses',
        document: new iam.PolicyDocument({ statements: [denyOutsideSourceAddresses('DenyOutsideAllowedSourceAddresses', props.allowedSourceCidrs)] }),
      });
    }
    for (const f of ['Resource::*', 'Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:mfa/*']) {
      Validations.of(this.selfServicePolicy).acknowledge({
        id: `AwsSolutions-IAM5[${f}]`,
        reason: 'self-service: the actions that name no resource, the virtual MFA device the user names, and the deny of everything without MFA',
      });
    }
    // policies reach users through groups only
    this.everyoneGroup = new iam.Group(this, 'EveryUser', {
      managedPolicies: [this.selfServicePolicy, ...(this.sourceIpPolicy ? [this.sourceIpPolicy] : [])],
    });
    for (const g of props.groups) this.addGroup(g);
    if ((props.users ?? []).some((u) => u.consoleAccess ?? true)) {
      this.initialPasswordsKey = new kms.Key(this, 'InitialPasswordsKey', { enableKeyRotation: true, description: 'initial console passwords of the jump account users' });
    }
    for (const u of props.users ?? []) this.addUser(u);
    if (props.managePasswordPolicy ?? true) this.passwordPolicy = this.addPasswordPolicy();

    this.switchRoleLinks = this.plan.switchRoleLinks;
    // every group x account x role, as reviewers read it in the access report
    (props.accessReport ?? AccessReport.of(this)).addSource(this);
    if (props.switchRoleOutputs ?? true) this.addSwitchRoleOutputs();
    Tags.of(this).add(LZ_MANAGED_TAG_KEY, 'true');
    this.node.addValidation({ validate: () => this.validateTargetRoles(props) });
  }

  /**
   * The access-report rows: every group x account x role of the plan. Which of those roles the app deploys (with the
   * boundary) and their session limits are known only once every OU and `CrossAccountRole` is added, so the report
   * reads this when it is written.
   */
  public accessReportEntries(): AccessReportEntry[] {
    const deployed = this.deployedRoles();
    const sessions = this.plannedSessions?.();
    // roles of the manifest are deployed, with the boundary, by their organization's landing zone, which checks them
    const manifest = this.intent.manifestFile !== undefined
      ? new Set(planJumpAccountManifest(this.plan, this.intent.organization, this.accountId).organizations
        .flatMap((o) => o.roles.map((r) => targetRoleKey(r.accountId, r.roleName))))
      : new Set<string>();
    const isDeployed = (k: string) => deployed.has(k) || manifest.has(k);
    return jumpAccessRows(this.plan, this.intent, AccessPath.JUMP_ACCOUNT_ROLE, isDeployed, this.node.path, (k) => sessions?.get(k));
  }

  /**
   * Records that a role of this name is deployed in that account, so groups pointing at it pass the synth check.
   *
   * @param accountId the account holding the role
   * @param roleName the role name
   * @param deployedBy the construct path deploying it, for messages
   * @deprecated `CrossAccountRole` no longer calls it: the check finds every `CrossAccountRole` of the app that trusts
   * this jump account. Declare a role created some other way in `externallyManagedRoles`.
   */
  public registerTargetRole(accountId: string, roleName: string, deployedBy?: string): void {
    const k = targetRoleKey(accountId, roleName);
    this.registered.set(k, [...(this.registered.get(k) ?? []), deployedBy ?? '(registered)']);
  }

  /**
   * The target roles a landing zone plans (`account/role` key -> deploying construct paths) and their session limits
   * (for the access report), read at synth time: the landing zone passes its plan here, so its OUs need not register
   * every role.
   * @internal
   */
  public _usePlannedTargetRoles(source: () => ReadonlyMap<string, string[]>,
    sessions?: () => ReadonlyMap<string, TargetRoleSession>): void {
    this.plannedRoles = source;
    this.plannedSessions = sessions;
  }

  /**
   * Gives every user of this jump account a permissions boundary: the jump users' boundary of the elevated-access
   * grant writer (`JumpGrantWriter.userBoundary`), which may write grant policies only on users carrying it.
   * `LandingZone.addJumpElevatedAccess` calls it; call it yourself for a `JumpGrantWriter` outside a landing zone.
   * The users have one boundary: a second, different one fails.
   *
   * @param boundary the boundary policy
   */
  public useUserPermissionsBoundary(boundary: iam.IManagedPolicy): void {
    if (this.userBoundary !== undefined && this.userBoundary !== boundary) {
      throw new Error(`${this.node.path}: userPermissionsBoundary: the users have the boundary ${this.userBoundary.node.path} already, got a second one (${boundary.node.path}): give one grant writer per jump account`);
    }
    this.userBoundary = boundary;
    // the users are this construct's own (a user created elsewhere in its scope is not a jump user)
    for (const u of this.usersByName.values()) (u.node.defaultChild as iam.CfnUser).permissionsBoundary = boundary.managedPolicyArn;
  }

  /** The permissions boundary of every user, once given with `useUserPermissionsBoundary`. */
  public get userPermissionsBoundary(): iam.IManagedPolicy | undefined {
    return this.userBoundary;
  }

  /**
   * The source addresses the sessions of this jump account's users must keep to in a target role: for every user who
   * may switch into `roleName` in one of `accountIds`, the account-wide and group CIDRs that bind the user here.
   * Pass them to `CrossAccountRole.sessionSourceRestrictions`, so that a session cannot be used from elsewhere.
   *
   * @param roleName the target role's name
   * @param accountIds the accounts the role is deployed to
   */
  public sessionSourceRestrictions(roleName: string, accountIds: string[]): SessionSourceRestriction[] {
    return sessionSourceRestrictions(this.plan, roleName, accountIds);
  }

  /** The IAM group with this name; throws when unknown. */
  public group(groupName: string): iam.Group {
    const g = this.groupsByName.get(groupName.toLowerCase());
    if (!g) throw new Error(`${this.node.path}: group '${groupName}' is not defined`);
    return g;
  }

  /** The IAM user with this name; throws when unknown. */
  public user(userName: string): iam.User {
    const u = this.usersByName.get(userName.toLowerCase());
    if (!u) throw new Error(`${this.node.path}: user '${userName}' is not defined`);
    return u;
  }

  /** The secret holding a console user's initial password (JSON keys `userName`, `password`), if any. */
  public initialPasswordSecret(userName: string): secretsmanager.ISecret | undefined {
    return this.secretsByUser.get(userName.toLowerCase());
  }

  /**
   * Lets an administrator read every initial password, to hand it over through a separate channel.
   */
  public grantReadInitialPasswords(grantee: iam.IGrantable): iam.Grant {
    const secrets = [...this.secretsByUser.values()];
    if (secrets.length === 0) {
      return iam.Grant.drop(grantee, 'read initial passwords (no console users)');
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resourceArns: secrets.map((s) => s.secretArn),
    }).combine(this.initialPasswordsKey!.grantDecrypt(grantee));
  }

  // the group with its assume-role policies (one statement per policy, split under the managed-policy size limit)
  private addGroup(g: JumpGroup): void {
    const group = new iam.Group(this, `Group-${g.groupName}`, { groupName: g.groupName });
    this.groupsByName.set(g.groupName.toLowerCase(), group);
    // for the rule pack (LZ-EA2): a role ARN names no level, so the group says which of its roles are administrators
    const admin = [...new Set(g.targets.flatMap((t) => (t.permissionLevels ?? []).filter((l) => l.isAdministrator).map((l) => l.roleName())))];
    if (admin.length > 0) (group.node.defaultChild as iam.CfnGroup).addMetadata(STANDING_ADMIN_METADATA, { roles: admin.sort() });
    for (const [n, arns] of (this.plan.assumeRoleChunks.get(g.groupName) ?? []).entries()) {
      group.addManagedPolicy(new iam.ManagedPolicy(this, `AssumeRoles-${g.groupName}-${n}`, {
        description: `Roles group ${g.groupName} may switch into (part ${n + 1}), with MFA only`,
        document: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({
            sid: 'AssumeGroupRolesWithMfa',
            actions: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
            resources: arns,
            conditions: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          })],
        }),
      }));
    }
    const grants = this.plan.organizationPathGrants.get(g.groupName) ?? [];
    if (grants.length > 0) {
      group.addManagedPolicy(new iam.ManagedPolicy(this, `AssumeRolesByPath-${g.groupName}`, {
        description: `Roles group ${g.groupName} may switch into in every account under its OUs, with MFA only`,
        document: iam.PolicyDocument.fromJson({
          Version: '2012-10-17',
          Statement: grants.map((grant, n) => ({ Sid: `AssumeGroupRolesUnderOrganizationPaths${n}`, ...organizationPathStatement(grant) })),
        }),
      }));
    }
    if (g.allowedSourceCidrs) {
      group.addManagedPolicy(new iam.ManagedPolicy(this, `SourceIp-${g.groupName}`, {
        description: `Deny everything to group ${g.groupName} from outside its allowed source addresses`,
        document: new iam.PolicyDocument({ statements: [denyOutsideSourceAddresses('DenyOutsideGroupSourceAddresses', g.allowedSourceCidrs)] }),
      }));
    }
  }

  private addUser(u: JumpUser): void {
    const consoleAccess = u.consoleAccess ?? true;
    let secret: secretsmanager.Secret | undefined;
    if (consoleAccess) {
      secret = new secretsmanager.Secret(this, `InitialPassword-${u.userName}`, {
        encryptionKey: this.initialPasswordsKey,
        description: `Initial console password of jump-account user ${u.userName}; it must be changed at first sign-in`,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ userName: u.userName }),
          generateStringKey: 'password',
          passwordLength: Math.max(32, this.plan.passwordPolicy.minimumLength),
          requireEachIncludedType: true,
          excludeCharacters: '"\'\\`',
        },
      });
      this.secretsByUser.set(u.userName.toLowerCase(), secret);
      for (const rule of ['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled', 'NIST.800.53.R5-SecretsManagerRotationEnabled']) {
        Validations.of(secret).acknowledge({ id: rule, reason: 'a one-time initial password: IAM makes the user change it at first sign-in, after which it opens nothing; rotating it would not change the user\'s password' });
      }
    }
    const user = new iam.User(this, `User-${u.userName}`, {
      userName: u.userName,
      groups: [this.everyoneGroup, ...u.groups.map((n) => this.groupsByName.get(n.toLowerCase())!)],
      password: secret?.secretValueFromJson('password'),
      passwordResetRequired: consoleAccess ? true : undefined,
    });
    this.usersByName.set(u.userName.toLowerCase(), user);
  }

  private addPasswordPolicy(): cr.AwsCustomResource {
    const policy = this.plan.passwordPolicy;
    const call: cr.AwsSdkCall = {
      service: 'IAM',
      action: 'updateAccountPasswordPolicy',
      parameters: {
        MinimumPasswordLength: policy.minimumLength,
        RequireSymbols: policy.requireSymbols,
        RequireNumbers: policy.requireNumbers,
        RequireUppercaseCharacters: policy.requireUppercase,
        RequireLowercaseCharacters: policy.requireLowercase,
        AllowUsersToChangePassword: true,
        MaxPasswordAge: policy.maxAgeDays,
        PasswordReusePrevention: policy.reusePrevention,
        HardExpiry: policy.hardExpiry,
      },
      physicalResourceId: cr.PhysicalResourceId.of(`account-password-policy-${this.accountId}`),
    };
    const resource = new cr.AwsCustomResource(this, 'PasswordPolicy', {
      onCreate: call,
      onUpdate: call,
      onDelete: { service: 'IAM', action: 'deleteAccountPasswordPolicy' },
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['iam:UpdateAccountPasswordPolicy', 'iam:DeleteAccountPasswordPolicy'],
        resources: ['*'],
      })]),
      installLatestAwsSdk: false,
    });
    acknowledgeCustomResourcePolicy(resource, 'the account password policy names no resource (Service Authorization Reference)', ['Resource::*']);
    return resource;
  }

  private addSwitchRoleOutputs(): void {
    const outputs = new Construct(this, 'SwitchRoleLinks');
    for (const l of this.switchRoleLinks) {
      new CfnOutput(outputs, `${l.groupName}-${l.accountId}-${l.roleName}`, {
        description: `Group ${l.groupName}: switch to role ${l.roleName} in ${l.accountName} (${l.accountId})`,
        value: l.url,
      });
    }
  }

  // the roles the landing zone plans, those the app's CrossAccountRoles trusting this account declare, and those
  // registered (deprecated)
  private deployedRoles(): Map<string, string[]> {
    const out = new Map(this.plannedRoles?.() ?? []);
    const add = (k: string, paths: string[]) => out.set(k, [...new Set([...(out.get(k) ?? []), ...paths])]);
    for (const d of targetRoleDeclarations(this)) {
      if (d.jumpAccountId === this.accountId) add(targetRoleKey(d.accountId, d.roleName), [d.deployedBy]);
    }
    for (const [k, paths] of this.registered) add(k, paths);
    return out;
  }

  // the cross-check against the roles this app deploys, and the stack's output quota
  private validateTargetRoles(props: JumpAccountProps): string[] {
    const out = checkTargetRoles(this.plan, props.groups, this.deployedRoles(), props.organization, props.manifestFile !== undefined);
    if (props.manifestFile !== undefined) {
      const write = `${this.node.tryGetContext(WRITE_JUMP_ACCOUNT_MANIFEST_CONTEXT) ?? ''}` === 'true';
      const stale = syncJumpAccountManifest(props.manifestFile, planJumpAccountManifest(this.plan, props.organization, this.accountId), write);
      if (stale) out.push(stale);
    }
    const stack = Stack.of(this);
    const outputs = stack.node.findAll().filter((c) => c instanceof CfnOutput && Stack.of(c) === stack).length;
    if (outputs > LIMITS.STACK_OUTPUTS) {
      out.push(`switchRoleOutputs: stack '${stack.stackName}' has ${outputs} outputs, more than the ${LIMITS.STACK_OUTPUTS} cloudformation allows: set switchRoleOutputs to false and publish switchRoleLinks another way`);
    }
    return out;
  }
}

// The committed manifest against the plan's, rewritten only when asked; the problem when it is missing or stale.
function syncJumpAccountManifest(file: string, current: ManifestData, write: boolean): string | undefined {
  const text = renderJumpAccountManifest(current);
  const exists = fs.existsSync(file);
  const committed = exists ? fs.readFileSync(file, 'utf8') : undefined;
  if (committed === text) return undefined;
  if (write) {
    fs.writeFileSync(file, text);
    return undefined;
  }
  const how = `synthesize with -c ${WRITE_JUMP_ACCOUNT_MANIFEST_CONTEXT}=true (e.g. npx cdk synth -c ${WRITE_JUMP_ACCOUNT_MANIFEST_CONTEXT}=true) to rewrite it, commit it, and synthesize each other organization's app against it`;
  if (!exists) return `manifestFile: ${file} does not exist: ${how}`;
  let changes: string[];
  try {
    changes = manifestChanges(parseJumpAccountManifest(committed!, file), current);
  } catch {
    changes = ['not a manifest'];
  }
  const shown = changes.length > 6 ? [...changes.slice(0, 6), `and ${changes.length - 6} more`] : changes;
  return `manifestFile: ${file} is stale (${shown.join(', ') || 'formatting'}): ${how}`;
}

// AWS's documented pattern "allow MFA-authenticated IAM users to manage their own credentials".
function selfServiceDocument(): iam.PolicyDocument {
  const self = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:user/\${aws:username}`;
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AllowViewAccountInfo',
        actions: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'AllowManageOwnPasswordAndKeys',
        actions: [
          'iam:ChangePassword', 'iam:GetUser', 'iam:GetLoginProfile',
          'iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:GetAccessKeyLastUsed',
        ],
        resources: [self],
      }),
      new iam.PolicyStatement({
        sid: 'AllowCreateOwnVirtualMfaDevice',
        actions: ['iam:CreateVirtualMFADevice'],
        resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:mfa/*`],
      }),
      new iam.PolicyStatement({
        sid: 'AllowManageOwnMfa',
        actions: ['iam:EnableMFADevice', 'iam:DeactivateMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice', 'iam:GetMFADevice'],
        resources: [self],
      }),
      new iam.PolicyStatement({
        sid: 'DenyAllExceptMfaSetupWithoutMfa',
        effect: iam.Effect.DENY,
        notActions: [
          'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:GetMFADevice', 'iam:ListMFADevices',
          'iam:ListVirtualMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken', 'iam:ChangePassword',
          'iam:GetAccountPasswordPolicy',
        ],
        resources: ['*'],
        conditions: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      }),
    ],
  });
}

