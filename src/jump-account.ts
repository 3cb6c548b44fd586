import { Annotations, Aws, CfnOutput, Duration, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { AccessPath, AccessReport } from './access-report';
import { AccountSelection } from './account-selection';
import type { SessionSourceRestriction } from './cross-account-role';
import { Organization } from './organization';
import { PermissionLevel } from './permission-level';
import { LZ_MANAGED_TAG_KEY } from './private/conventions';
import { acknowledgeCustomResourcePolicy } from './private/custom-resource-provider';
import { LIMITS } from './private/limits';
import { denyOutsideSourceAddresses } from './private/source-address';
import { switchRoleUrl } from './private/switch-role';
import { checkAccountId, checkCidr, checkIamName, duplicates, Problems } from './private/validation';

/**
 * The jump account as other constructs see it: `CrossAccountRole` trusts it and registers with it.
 */
export interface IJumpAccount extends IConstruct {
  /** The jump account id. */
  readonly accountId: string;

  /**
   * Records that a role of this name is deployed in that account, so groups pointing at it pass the synth check.
   * `CrossAccountRole` calls it; call it yourself only for roles this app creates some other way.
   *
   * @param accountId the account holding the role
   * @param roleName the role name
   * @param deployedBy the construct path deploying it, for messages
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
   * Whether every group x account x role switch-role link becomes a stack output. CloudFormation allows 200 outputs
   * per stack; the synth fails beyond that, so turn this off for very large landing zones and read
   * `switchRoleLinks` instead.
   *
   * @default true
   */
  readonly switchRoleOutputs?: boolean;
}

interface UserAccess {
  readonly userName: string;
  /** Each set is a separate deny: the user must be inside all of them. */
  readonly cidrSets: string[][];
  /** `account/role` keys the user may switch into. */
  readonly reach: Set<string>;
}

interface ResolvedTarget {
  readonly accountId: string;
  readonly accountName: string;
  readonly roleName: string;
}

/**
 * The jump (identity) account: IAM users for people who cannot live in the company IdP, grouped by job or partner
 * company, each group allowed to switch only into the roles named for it, only with MFA.
 *
 * Creates the groups and their assume-role policies, the users (console users with a generated initial password in
 * Secrets Manager that must be changed), AWS's "manage own credentials with MFA" policy on every user, optional
 * source-address restrictions, the account password policy, and a switch-role link per group x account x role.
 */
export class JumpAccount extends Construct implements IJumpAccount {
  /**
   * Refers to a jump account defined in another app: roles trust it, but their registration is not checked here.
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

  private readonly groupsByName = new Map<string, iam.Group>();
  private readonly usersByName = new Map<string, iam.User>();
  private readonly secretsByUser = new Map<string, secretsmanager.Secret>();
  private readonly registered = new Map<string, string[]>();
  private readonly external = new Set<string>();
  private readonly userAccess: UserAccess[] = [];

  constructor(scope: Construct, id: string, props: JumpAccountProps) {
    super(scope, id);
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
    checkCidrs(problems, 'allowedSourceCidrs', props.allowedSourceCidrs, LIMITS.MANAGED_POLICY_CHARS, 'a managed policy');
    const policy = resolvePasswordPolicy(problems, props.passwordPolicy ?? {});

    // groups and the roles they reach
    const groupTargets = new Map<string, ResolvedTarget[]>();
    for (const dup of duplicates(props.groups.map((g) => g.groupName))) {
      problems.add('groups', `group name '${dup}' is used more than once (iam names are case-insensitive)`);
    }
    for (const [i, g] of props.groups.entries()) {
      const field = `groups[${i}]`;
      problems.check(`${field}.groupName`, checkIamName('group', g.groupName, LIMITS.GROUP_NAME_MAX));
      checkCidrs(problems, `${field}.allowedSourceCidrs`, g.allowedSourceCidrs, LIMITS.INLINE_POLICY_AGGREGATE_GROUP_CHARS, 'the inline policies of a group');
      if (g.targets.length === 0) problems.add(`${field}.targets`, `group '${g.groupName}' has no targets: give at least one account x role`);
      const resolved: ResolvedTarget[] = [];
      for (const [j, t] of g.targets.entries()) {
        resolved.push(...resolveTarget(problems, `${field}.targets[${j}]`, org, t));
      }
      groupTargets.set(g.groupName, dedupeTargets(resolved));
    }
    for (const [j, t] of (props.externallyManagedRoles ?? []).entries()) {
      for (const r of resolveTarget(problems, `externallyManagedRoles[${j}]`, org, t)) {
        this.external.add(key(r.accountId, r.roleName));
      }
    }

    // users
    const users = props.users ?? [];
    const groupNames = new Set(props.groups.map((g) => g.groupName.toLowerCase()));
    for (const dup of duplicates(users.map((u) => u.userName))) {
      problems.add('users', `user name '${dup}' is used more than once (iam names are case-insensitive)`);
    }
    for (const [i, u] of users.entries()) {
      const field = `users[${i}]`;
      problems.check(`${field}.userName`, checkIamName('user', u.userName, LIMITS.USER_NAME_MAX));
      if (u.groups.length > LIMITS.GROUPS_PER_USER - 1) {
        problems.add(`${field}.groups`, `user '${u.userName}' is in ${u.groups.length} groups, more than the ${LIMITS.GROUPS_PER_USER - 1} it may join besides the group every user is in (iam allows ${LIMITS.GROUPS_PER_USER})`);
      }
      for (const dup of duplicates(u.groups)) problems.add(`${field}.groups`, `group '${dup}' is listed more than once`);
      for (const [k, gName] of u.groups.entries()) {
        if (!groupNames.has(gName.toLowerCase())) {
          problems.add(`${field}.groups[${k}]`, `group '${gName}' is not one of the groups (${props.groups.map((g) => g.groupName).join(', ') || 'none'})`);
        }
      }
    }

    // what each user reaches and the source addresses that bind them everywhere (account-wide and every group's)
    for (const u of users) {
      const groups = props.groups.filter((g) => u.groups.some((n) => n.toLowerCase() === g.groupName.toLowerCase()));
      const cidrSets = [props.allowedSourceCidrs, ...groups.map((g) => g.allowedSourceCidrs)]
        .filter((c): c is string[] => c !== undefined && c.length > 0);
      const reach = new Set(groups.flatMap((g) => (groupTargets.get(g.groupName) ?? []).map((t) => key(t.accountId, t.roleName))));
      this.userAccess.push({ userName: u.userName, cidrSets, reach });
    }

    // one statement per policy, split into managed policies of at most 6,144 characters
    const assumeChunks = new Map<string, string[][]>();
    for (const [i, g] of props.groups.entries()) {
      const targets = groupTargets.get(g.groupName) ?? [];
      const chunks = packArns(targets.map((t) => roleArn(t.accountId, t.roleName)));
      assumeChunks.set(g.groupName, chunks);
      if (chunks.length > LIMITS.MANAGED_POLICIES_PER_GROUP) {
        problems.add(`groups[${i}].targets`, `group '${g.groupName}' reaches ${targets.length} roles, which need ${chunks.length} managed policies, more than the ${LIMITS.MANAGED_POLICIES_PER_GROUP} iam allows per group: split the group`);
      }
      if (targets.some((t) => t.accountId === org.managementAccount.accountId)) {
        Annotations.of(this).addWarningV2('cdk-iam-landing-zone:managementAccountTarget',
          `group '${g.groupName}' may switch into the management account ${org.managementAccount.accountId}, where no scp applies`);
      }
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
    for (const g of props.groups) {
      const group = new iam.Group(this, `Group-${g.groupName}`, { groupName: g.groupName });
      this.groupsByName.set(g.groupName.toLowerCase(), group);
      for (const [n, arns] of (assumeChunks.get(g.groupName) ?? []).entries()) {
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
      if (g.allowedSourceCidrs) {
        group.addManagedPolicy(new iam.ManagedPolicy(this, `SourceIp-${g.groupName}`, {
          description: `Deny everything to group ${g.groupName} from outside its allowed source addresses`,
          document: new iam.PolicyDocument({ statements: [denyOutsideSourceAddresses('DenyOutsideGroupSourceAddresses', g.allowedSourceCidrs)] }),
        }));
      }
    }

    const passwordsKey = users.some((u) => u.consoleAccess ?? true)
      ? new kms.Key(this, 'InitialPasswordsKey', { enableKeyRotation: true, description: 'initial console passwords of the jump account users' })
      : undefined;
    this.initialPasswordsKey = passwordsKey;
    for (const u of users) {
      const consoleAccess = u.consoleAccess ?? true;
      let secret: secretsmanager.Secret | undefined;
      if (consoleAccess) {
        secret = new secretsmanager.Secret(this, `InitialPassword-${u.userName}`, {
          encryptionKey: passwordsKey,
          description: `Initial console password of jump-account user ${u.userName}; it must be changed at first sign-in`,
          generateSecretString: {
            secretStringTemplate: JSON.stringify({ userName: u.userName }),
            generateStringKey: 'password',
            passwordLength: Math.max(32, policy.minimumLength),
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

    if (props.managePasswordPolicy ?? true) {
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
      this.passwordPolicy = new cr.AwsCustomResource(this, 'PasswordPolicy', {
        onCreate: call,
        onUpdate: call,
        onDelete: { service: 'IAM', action: 'deleteAccountPasswordPolicy' },
        policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
          actions: ['iam:UpdateAccountPasswordPolicy', 'iam:DeleteAccountPasswordPolicy'],
          resources: ['*'],
        })]),
        installLatestAwsSdk: false,
      });
      acknowledgeCustomResourcePolicy(this.passwordPolicy, 'the account password policy names no resource (Service Authorization Reference)', ['Resource::*']);
    }

    this.switchRoleLinks = [];
    for (const g of props.groups) {
      for (const t of groupTargets.get(g.groupName) ?? []) {
        this.switchRoleLinks.push({
          groupName: g.groupName,
          accountId: t.accountId,
          accountName: t.accountName,
          roleName: t.roleName,
          url: switchRoleUrl(t.roleName, '/', t.accountId, `${t.accountName}/${t.roleName}`),
        });
      }
    }
    // every group x account x role, as reviewers read it in the access report
    AccessReport.of(this)._addProvider(() => this.switchRoleLinks.map((l) => {
      const group = props.groups.find((g) => g.groupName === l.groupName)!;
      const cidrs = [...(props.allowedSourceCidrs ?? []), ...(group.allowedSourceCidrs ?? [])];
      const deployedByLibrary = this.registered.has(key(l.accountId, l.roleName));
      const level = group.targets.flatMap((t) => t.permissionLevels ?? []).find((pl) => pl.roleName() === l.roleName);
      return {
        path: AccessPath.JUMP_ACCOUNT_ROLE,
        principal: l.groupName,
        principalType: 'iam-group',
        accountId: l.accountId,
        accountName: l.accountName,
        access: l.roleName,
        level: level?.name,
        mfaEnforced: true,
        sourceCidrs: cidrs.length > 0 ? cidrs : undefined,
        boundary: deployedByLibrary,
        elevatedOnly: false,
        conditions: deployedByLibrary ? undefined : 'role managed outside this app: its boundary and trust are not checked',
        source: this.node.path,
      };
    }));
    if (props.switchRoleOutputs ?? true) {
      const outputs = new Construct(this, 'SwitchRoleLinks');
      for (const l of this.switchRoleLinks) {
        new CfnOutput(outputs, `${l.groupName}-${l.accountId}-${l.roleName}`, {
          description: `Group ${l.groupName}: switch to role ${l.roleName} in ${l.accountName} (${l.accountId})`,
          value: l.url,
        });
      }
    }

    Tags.of(this).add(LZ_MANAGED_TAG_KEY, 'true');

    this.node.addValidation({
      validate: () => {
        const out: string[] = [];
        for (const [i, g] of props.groups.entries()) {
          const missing = new Map<string, string[]>();
          for (const t of groupTargets.get(g.groupName) ?? []) {
            const k = key(t.accountId, t.roleName);
            if (this.registered.has(k) || this.external.has(k)) continue;
            missing.set(t.roleName, [...(missing.get(t.roleName) ?? []), `${t.accountId} (${t.accountName})`]);
          }
          for (const [roleName, accounts] of missing) {
            out.push(`${this.node.path}: groups[${i}].targets: group '${g.groupName}' points at role '${roleName}', which no target deploys in ${accounts.join(', ')}: add a CrossAccountRole there or declare it in externallyManagedRoles`);
          }
        }
        for (const [k, paths] of this.registered) {
          if (paths.length > 1) {
            const [account, role] = k.split('/');
            out.push(`${this.node.path}: role '${role}' is deployed more than once to account ${account}: ${paths.join(', ')}`);
          }
        }
        const outputs = stack.node.findAll().filter((c) => c instanceof CfnOutput && Stack.of(c) === stack).length;
        if (outputs > LIMITS.STACK_OUTPUTS) {
          out.push(`${this.node.path}: switchRoleOutputs: stack '${stack.stackName}' has ${outputs} outputs, more than the ${LIMITS.STACK_OUTPUTS} cloudformation allows: set switchRoleOutputs to false and publish switchRoleLinks another way`);
        }
        return out;
      },
    });
  }

  /**
   * Records that a role of this name is deployed in that account (`CrossAccountRole` calls it).
   *
   * @param accountId the account holding the role
   * @param roleName the role name
   * @param deployedBy the construct path deploying it, for messages
   */
  public registerTargetRole(accountId: string, roleName: string, deployedBy?: string): void {
    const k = key(accountId, roleName);
    this.registered.set(k, [...(this.registered.get(k) ?? []), deployedBy ?? '(registered)']);
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
    const keys = new Set(accountIds.map((a) => key(a, roleName)));
    const byCidrs = new Map<string, { cidrs: string[]; users: string[] }>();
    for (const u of this.userAccess) {
      if (![...u.reach].some((k) => keys.has(k))) continue;
      for (const cidrs of u.cidrSets) {
        const sortedCidrs = [...new Set(cidrs)].sort();
        const k = sortedCidrs.join(',');
        const entry = byCidrs.get(k) ?? { cidrs: sortedCidrs, users: [] };
        entry.users.push(u.userName);
        byCidrs.set(k, entry);
      }
    }
    return [...byCidrs.entries()].sort(([a], [b]) => a.localeCompare(b))
      .map(([, e]) => ({ userNames: [...e.users].sort(), allowedSourceCidrs: e.cidrs }));
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
}

// -- helpers

function key(accountId: string, roleName: string): string {
  return `${accountId}/${roleName.toLowerCase()}`;
}

function roleArn(accountId: string, roleName: string): string {
  return `arn:${Aws.PARTITION}:iam::${accountId}:role/${roleName}`;
}

function checkCidrs(problems: Problems, field: string, cidrs: string[] | undefined, limit: number, where: string): void {
  if (cidrs === undefined) return;
  if (cidrs.length === 0) problems.add(field, 'an empty list would lock everyone out: omit it to allow any address');
  for (const [i, c] of cidrs.entries()) problems.check(`${field}[${i}]`, checkCidr(c));
  const length = JSON.stringify(denyOutsideSourceAddresses('DenyOutsideGroupSourceAddresses', cidrs).toStatementJson()).length + 40;
  if (length > limit) {
    problems.add(field, `${cidrs.length} cidrs make a policy of about ${length} characters, more than the ${limit} iam allows for ${where}: use fewer, wider ranges`);
  }
}

function resolveTarget(problems: Problems, field: string, org: Organization, t: JumpTarget): ResolvedTarget[] {
  const accounts: Array<{ accountId: string; accountName: string }> = [];
  if (t.accounts) {
    try {
      accounts.push(...t.accounts.resolve(org).map((a) => ({ accountId: a.accountId, accountName: a.name })));
    } catch (e) {
      problems.add(`${field}.accounts`, (e as Error).message);
    }
  }
  for (const [k, id] of (t.externalAccountIds ?? []).entries()) {
    const p = checkAccountId(id);
    if (p) problems.add(`${field}.externalAccountIds[${k}]`, p);
    else accounts.push({ accountId: id, accountName: org.tryFindAccount(id)?.name ?? id });
  }
  const roleNames = [...(t.permissionLevels ?? []).map((l) => l.roleName()), ...(t.roleNames ?? [])];
  for (const [k, r] of (t.roleNames ?? []).entries()) {
    problems.check(`${field}.roleNames[${k}]`, checkIamName('role', r, LIMITS.ROLE_NAME_MAX));
  }
  if (!t.accounts && (t.externalAccountIds ?? []).length === 0) {
    problems.add(field, 'a target needs accounts or externalAccountIds');
  }
  if (roleNames.length === 0) {
    problems.add(field, 'a target needs permissionLevels or roleNames');
  }
  return accounts.flatMap((a) => roleNames.map((roleName) => ({ ...a, roleName })));
}

function dedupeTargets(targets: ResolvedTarget[]): ResolvedTarget[] {
  const seen = new Map<string, ResolvedTarget>();
  for (const t of targets) seen.set(key(t.accountId, t.roleName), t);
  return [...seen.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.roleName.localeCompare(b.roleName));
}

// Greedy packing of role ARNs into policy documents under the managed-policy size limit, measured with the
// longest partition name so the check holds in every partition.
function packArns(arns: string[]): string[][] {
  const overhead = 320; // statement skeleton: Version, Sid, Effect, 3 actions, MFA condition, brackets
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = overhead;
  for (const arn of arns) {
    const len = arn.replace(Aws.PARTITION, 'aws-us-gov').length + 3;
    if (current.length > 0 && size + len > LIMITS.MANAGED_POLICY_CHARS) {
      chunks.push(current);
      current = [];
      size = overhead;
    }
    current.push(arn);
    size += len;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
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

interface ResolvedPasswordPolicy {
  readonly minimumLength: number;
  readonly requireSymbols: boolean;
  readonly requireNumbers: boolean;
  readonly requireUppercase: boolean;
  readonly requireLowercase: boolean;
  readonly reusePrevention: number;
  readonly maxAgeDays: number;
  readonly hardExpiry: boolean;
}

function resolvePasswordPolicy(problems: Problems, p: AccountPasswordPolicy): ResolvedPasswordPolicy {
  const minimumLength = p.minimumLength ?? 14;
  const reusePrevention = p.reusePrevention ?? 24;
  const maxAge = p.maxAge ?? Duration.days(90);
  let maxAgeDays = 90;
  if (!Number.isInteger(minimumLength) || minimumLength < 6 || minimumLength > 128) {
    problems.add('passwordPolicy.minimumLength', `minimum length must be an integer of 6-128, got ${minimumLength}`);
  }
  if (!Number.isInteger(reusePrevention) || reusePrevention < 1 || reusePrevention > 24) {
    problems.add('passwordPolicy.reusePrevention', `reuse prevention must be an integer of 1-24, got ${reusePrevention}`);
  }
  if (!maxAge.isUnresolved()) {
    const seconds = maxAge.toSeconds();
    maxAgeDays = seconds / 86_400;
    if (!Number.isInteger(maxAgeDays) || maxAgeDays < 1 || maxAgeDays > 1_095) {
      problems.add('passwordPolicy.maxAge', `max age must be whole days of 1-1095, got ${seconds} seconds`);
    }
  }
  return {
    minimumLength,
    requireSymbols: p.requireSymbols ?? true,
    requireNumbers: p.requireNumbers ?? true,
    requireUppercase: p.requireUppercase ?? true,
    requireLowercase: p.requireLowercase ?? true,
    reusePrevention,
    maxAgeDays,
    hardExpiry: p.hardExpiry ?? false,
  };
}
