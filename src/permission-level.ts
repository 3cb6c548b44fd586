import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IAM_NAME_PATTERN } from './private/patterns';

/**
 * Properties of a custom permission level.
 */
export interface CustomPermissionLevelProps {
  /**
   * Name of the level, 1-24 of `[A-Za-z0-9+=,.@_-]`; it becomes part of role names (`lz-<name>`) and is the default
   * permission set name.
   */
  readonly name: string;

  /**
   * Names of AWS managed policies, e.g. `ViewOnlyAccess`.
   *
   * @default - none
   */
  readonly awsManagedPolicyNames?: string[];

  /**
   * ARNs of other managed policies to attach to IAM roles of this level. Permission sets cannot reference ARNs of
   * customer-managed policies: use the catalog's customer-managed policy references there.
   *
   * @default - none
   */
  readonly managedPolicyArns?: string[];

  /**
   * An inline policy granted by the level.
   *
   * @default - none
   */
  readonly policyDocument?: iam.PolicyDocument;

  /**
   * A description for roles and permission sets of this level.
   *
   * @default - derived from the name
   */
  readonly description?: string;
}

/**
 * Options of `PermissionLevel.ssm()`.
 */
export interface SsmPermissionOptions {
  /**
   * The tag an instance (or managed node) must carry for sessions to start on it. A Session Manager shell acts with
   * the instance's role, so the tag decides whose credentials the level hands out.
   *
   * @default 'ssm-session-access'
   */
  readonly tagKey?: string;

  /**
   * The value the tag must have.
   *
   * @default 'true'
   */
  readonly tagValue?: string;
}

/**
 * What a person may do in an account: one definition that produces the policies of a jump-account target role and of
 * an Identity Center permission set, so `admin` or `readOnly` mean the same in both worlds.
 */
export class PermissionLevel {
  /** The tag key `ssm()` requires on instances by default. */
  public static readonly SSM_SESSION_TAG_KEY = 'ssm-session-access';

  /** Full administrator (`AdministratorAccess`). Still held by the permissions boundary. */
  public static admin(): PermissionLevel {
    return new PermissionLevel('Admin', 'Full administrative access, held in by the landing zone boundary', ['AdministratorAccess']);
  }

  /** Everything except IAM and Organizations (`PowerUserAccess`). */
  public static power(): PermissionLevel {
    return new PermissionLevel('Power', 'Power user: all services except IAM and Organizations', ['PowerUserAccess']);
  }

  /** Read-only access to every service (`ReadOnlyAccess`). */
  public static readOnly(): PermissionLevel {
    return new PermissionLevel('ReadOnly', 'Read-only access', ['ReadOnlyAccess']);
  }

  /**
   * `PowerUserAccess` plus IAM (`IAMFullAccess`). Safe only because the landing zone boundary forbids creating roles
   * or users without that same boundary and forbids touching the boundary itself.
   */
  public static powerAndIam(): PermissionLevel {
    return new PermissionLevel(
      'PowerAndIam',
      'Power user plus IAM, held in by the landing zone boundary',
      ['PowerUserAccess', 'IAMFullAccess'],
      [],
      undefined,
      true,
    );
  }

  /**
   * Session Manager only: start shell sessions on instances tagged for it (`ssm-session-access=true` unless you
   * choose another tag), resume and end one's own sessions, and list instances and sessions. A shell acts with the
   * instance's role, so untagged instances stay closed.
   */
  public static ssm(options: SsmPermissionOptions = {}): PermissionLevel {
    const tagKey = options.tagKey ?? PermissionLevel.SSM_SESSION_TAG_KEY;
    const tagValue = options.tagValue ?? 'true';
    const problems: string[] = [];
    if (!Token.isUnresolved(tagKey) && !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(tagKey)) {
      problems.push(`tagKey '${tagKey}' must be 1-128 of letters, digits, spaces and _.:/=+-@`);
    }
    if (!Token.isUnresolved(tagKey) && tagKey.toLowerCase().startsWith('aws:')) {
      problems.push(`tagKey '${tagKey}' must not start with 'aws:', which AWS reserves`);
    }
    if (!Token.isUnresolved(tagValue) && !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u.test(tagValue)) {
      problems.push(`tagValue '${tagValue}' must be 0-256 of letters, digits, spaces and _.:/=+-@`);
    }
    if (problems.length > 0) throw new Error(`PermissionLevel.ssm: ${problems.join('; ')}`);
    const doc = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'StartSessionsOnTaggedInstances',
          actions: ['ssm:StartSession'],
          resources: ['arn:*:ec2:*:*:instance/*', 'arn:*:ssm:*:*:managed-instance/*'],
          conditions: { StringEquals: { [`ssm:resourceTag/${tagKey}`]: tagValue } },
        }),
        new iam.PolicyStatement({
          sid: 'StartShellSessions',
          actions: ['ssm:StartSession'],
          resources: ['arn:*:ssm:*:*:document/SSM-SessionManagerRunShell'],
        }),
        new iam.PolicyStatement({
          // Session Manager tags each session with the starter's role id and session name (aws:userid)
          sid: 'ManageOwnSessions',
          actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
          resources: ['arn:*:ssm:*:*:session/*'],
          conditions: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
        }),
        new iam.PolicyStatement({
          sid: 'DescribeTargets',
          actions: [
            'ssm:DescribeSessions',
            'ssm:GetConnectionStatus',
            'ssm:DescribeInstanceInformation',
            'ssm:DescribeInstanceProperties',
            'ec2:DescribeInstances',
          ],
          resources: ['*'],
        }),
      ],
    });
    return new PermissionLevel('Ssm', `Session Manager shells on instances tagged ${tagKey}=${tagValue}`, [], [], doc);
  }

  /** A level of your own: any managed policies and/or an inline policy. */
  public static custom(props: CustomPermissionLevelProps): PermissionLevel {
    const problems: string[] = [];
    if (!/^[\w+=,.@-]{1,24}$/.test(props.name) || !IAM_NAME_PATTERN.test(props.name)) {
      problems.push(`name '${props.name}' must be 1-24 of letters, digits and +=,.@_-`);
    }
    const managed = (props.awsManagedPolicyNames?.length ?? 0) + (props.managedPolicyArns?.length ?? 0);
    if (managed === 0 && !props.policyDocument) {
      problems.push('a custom level needs at least one managed policy or a policy document');
    }
    if (problems.length > 0) {
      throw new Error(`PermissionLevel.custom: ${problems.join('; ')}`);
    }
    return new PermissionLevel(
      props.name,
      props.description ?? `Custom level ${props.name}`,
      props.awsManagedPolicyNames ?? [],
      props.managedPolicyArns ?? [],
      props.policyDocument,
    );
  }

  private constructor(
    /** The level's name, e.g. `Admin`, `ReadOnly`; the default permission set name. */
    public readonly name: string,
    /** A one-line description. */
    public readonly description: string,
    /** AWS managed policy names granted by the level. */
    public readonly awsManagedPolicyNames: string[],
    /** Other managed policy ARNs (custom levels only). */
    public readonly managedPolicyArns: string[] = [],
    /** The inline policy granted by the level, if any. */
    public readonly inlinePolicy?: iam.PolicyDocument,
    /** Whether the level grants IAM write access, so the boundary is what holds it in. */
    public readonly grantsIamWrite: boolean = false,
  ) {}

  /**
   * The role-name convention for this level: `<prefix>-<kebab-name>`, e.g. `lz-read-only`.
   *
   * @param prefix defaults to `lz`
   */
  public roleName(prefix?: string): string {
    const kebab = this.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    return `${prefix ?? 'lz'}-${kebab}`;
  }

  /** The managed policies of the level, for an IAM role; imported ARNs are created under `scope` once. */
  public managedPolicies(scope: Construct): iam.IManagedPolicy[] {
    return [
      ...this.awsManagedPolicyNames.map((n) => iam.ManagedPolicy.fromAwsManagedPolicyName(n)),
      ...this.managedPolicyArns.map((arn, i) => {
        const id = `${this.name}ManagedPolicy${i}`;
        return (scope.node.tryFindChild(id) as iam.IManagedPolicy | undefined)
          ?? iam.ManagedPolicy.fromManagedPolicyArn(scope, id, arn);
      }),
    ];
  }

  /** ARNs of the AWS managed policies (partition-aware), for permission sets. */
  public awsManagedPolicyArns(): string[] {
    return this.awsManagedPolicyNames.map((n) => iam.ManagedPolicy.fromAwsManagedPolicyName(n).managedPolicyArn);
  }

  /** Whether the level is full administrator access. */
  public get isAdministrator(): boolean {
    return this.awsManagedPolicyNames.includes('AdministratorAccess');
  }
}
