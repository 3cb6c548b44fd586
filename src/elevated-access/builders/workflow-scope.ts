import { createHash } from 'crypto';
import { ArnFormat, Aws, Names, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { IPermissionSet } from '../../identity-center/permission-set';
import { Compiled } from '../../plan/compile-rules';
import { LZ_MANAGED_TAG_KEY, LZ_SERVICE_ROLE_PATH } from '../../private/conventions';
import { allowAlarmsAndLogs } from '../../private/service-key';

/**
 * Prefix of every role, function, state machine, table, rule, topic, log group and bucket the workflow creates; with
 * the path `/landing-zone/` (roles) and the tag `landing-zone:managed` (the key and the API, whose ARNs carry no
 * name), what the boundary and the SCP protect.
 */
export const ACCESS_ROLE_PREFIX = 'lz-access-';
/** The CloudWatch namespace of the handlers' metrics, which the alarms watch. */
export const METRIC_NAMESPACE = 'LandingZone/ElevatedAccess';

/**
 * What every builder of one workflow shares: the workflow's construct (the scope of every resource, so construct ids
 * and logical ids are the workflow's own), its compiled rules, and its conventions: fixed `lz-access-*` names, the
 * service roles, the one customer managed key, the log groups and the removal policy of what holds records.
 */
export class WorkflowScope {
  /** `<prefix><hash of the construct path>`: fixed, so a boundary or SCP can protect the state machine. */
  public readonly stateMachineName: string;
  public readonly stateMachineArn: string;
  private readonly suffix: string;
  private notificationsKey?: kms.Key;

  constructor(
    public readonly scope: Construct,
    public readonly compiled: Compiled,
    /** Undefined in a jump-only workflow: nothing then names or may read an identity store. */
    public readonly identityStoreId: string | undefined,
    /** What happens to the tables, the archive and the log groups when they leave the stack. */
    public readonly removal: RemovalPolicy,
    /** Whether assignments may be made in any account (`assignmentsInAnyAccount`), not only the eligible ones. */
    private readonly anyAccount = false) {
    this.suffix = createHash('sha256').update(scope.node.path).digest('hex').slice(0, 8);
    this.stateMachineName = `${ACCESS_ROLE_PREFIX}${this.suffix}`;
    this.stateMachineArn = Stack.of(scope).formatArn({
      service: 'states', resource: 'stateMachine', resourceName: this.stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** The fixed name of one of the workflow's resources: `lz-access-<purpose>-<hash of the construct path>`. */
  public roleName(purpose: string): string {
    return `${ACCESS_ROLE_PREFIX}${purpose}-${this.suffix}`;
  }

  /** The ARNs a condition on `aws:PrincipalArn` must accept for a role (with and without its path). */
  public roleArns(purpose: string): string[] {
    const account = Stack.of(this.scope).account;
    return [`arn:${Aws.PARTITION}:iam::${account}:role${LZ_SERVICE_ROLE_PATH}${this.roleName(purpose)}`,
      `arn:${Aws.PARTITION}:iam::${account}:role/${this.roleName(purpose)}`];
  }

  /** A service role with its fixed name, under the landing zone's service-role path. */
  public role(purpose: string, service: string, description: string): iam.Role {
    return new iam.Role(this.scope, `${purpose.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}Role`, {
      roleName: this.roleName(purpose),
      path: LZ_SERVICE_ROLE_PATH,
      assumedBy: new iam.ServicePrincipal(service),
      description,
    });
  }

  /**
   * The workflow's customer managed key (rotated), created on first use: its topics, log groups and audit archive. A
   * customer managed key, because CloudWatch alarms cannot publish to a topic under the AWS managed SNS key; of the
   * services, only this account's alarms and this account's CloudWatch Logs (for the workflow's log groups) may use it.
   */
  public key(): kms.Key {
    if (this.notificationsKey) return this.notificationsKey;
    const key = new kms.Key(this.scope, 'NotificationsKey', { enableKeyRotation: true, description: 'elevated access: notices, logs and audit archive' });
    allowAlarmsAndLogs(key);
    Tags.of(key).add(LZ_MANAGED_TAG_KEY, 'true');
    this.notificationsKey = key;
    return key;
  }

  /** A log group of the workflow: fixed name, one year, encrypted with the workflow's key. */
  public logGroup(id: string, logGroupName: string): logs.LogGroup {
    return new logs.LogGroup(this.scope, id, {
      logGroupName, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: this.removal, encryptionKey: this.key(),
    });
  }

  /** Whether the workflow has Identity Center rules: the Identity Center branch, its permissions and permission sets. */
  public get identityCenter(): boolean {
    return this.compiled.config.eligibility.length > 0;
  }

  /** The identity store and its users, groups and memberships (which have only wildcard ARNs); none when jump-only. */
  public identityStoreArns(): string[] {
    if (this.identityStoreId === undefined) return [];
    return [
      `arn:${Aws.PARTITION}:identitystore::${Stack.of(this.scope).account}:identitystore/${this.identityStoreId}`,
      `arn:${Aws.PARTITION}:identitystore:::user/*`,
      `arn:${Aws.PARTITION}:identitystore:::group/*`,
      `arn:${Aws.PARTITION}:identitystore:::membership/*`,
    ];
  }

  /** The instance, the permission sets and the accounts the rules name (or any account): what assignments may touch. */
  public assignmentResources(): string[] {
    const accountArns = this.anyAccount ? [`arn:${Aws.PARTITION}:sso:::account/*`]
      : this.compiled.accounts.map((a) => `arn:${Aws.PARTITION}:sso:::account/${a}`);
    return [this.compiled.instanceArn, ...this.compiled.permissionSets.map((p) => p.permissionSetArn), ...accountArns];
  }
}

/** The name of the Logs Insights query definition finding a permission set's sessions (also named in audit records). */
export function sessionQueryName(scope: Construct, ps: IPermissionSet): string {
  return `elevated-access/${Names.uniqueResourceName(scope, { maxLength: 60 })}/${ps.permissionSetName}`;
}
