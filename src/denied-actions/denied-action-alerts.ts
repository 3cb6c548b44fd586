import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SecurityNotificationTopic } from '../notifications/security-notification-topic';
import { Organization } from '../organization';
import { deniedActionEventPattern, deniedActionInsightRuleBody, deniedActionQueries } from '../private/denied-actions';
import { Problems } from '../private/validation';

/**
 * Properties of `DeniedActionAlerts`.
 */
export interface DeniedActionAlertsProps {
  /** The organization; the alerts run in its `securityToolingAccount` and accept events from its accounts only. */
  readonly organization: Organization;

  /**
   * Denied calls by one principal of one account within one `period` that raise the alarm.
   *
   * @default 20
   */
  readonly threshold?: number;

  /**
   * The period the threshold is counted over, 1 minute to 1 day.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * How long denied-action events are kept in the log group.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;

  /**
   * Prefix of the event bus, log group, Contributor Insights rule and saved query names.
   *
   * @default 'lz'
   */
  readonly namePrefix?: string;

  /**
   * Where the alarm goes. Give the landing zone's topic to collect every security signal in one place.
   *
   * @default - a `SecurityNotificationTopic` created by this construct
   */
  readonly notificationTopic?: sns.ITopic;
}

/**
 * Alerts on actions IAM refused anywhere in the organization, in the security tooling account. Every account's
 * CloudTrail events reach EventBridge in that account only, so `DeniedActionForwarder` rules (a StackSet over the
 * organization, and one per region in the management account) forward the refused calls (`AccessDenied*`,
 * `UnauthorizedOperation`, `Client.UnauthorizedOperation`) to this construct's event bus, which accepts events from
 * the organization only (`aws:PrincipalOrgID`). Here a rule writes them to an encrypted log group; a Contributor
 * Insights rule counts them per account and principal; an alarm fires when one principal of one account is refused
 * `threshold` times within `period` (a probing attacker and a broken deployment both show up, without one notice per
 * call); saved Logs Insights queries answer "who was denied what, where".
 */
export class DeniedActionAlerts extends Construct {
  /** The event bus the forwarders send to. */
  public readonly eventBus: events.EventBus;
  /** The bus's name, as a literal (forwarders in other accounts build its ARN from it). */
  public readonly eventBusName: string;
  /** The log group holding the denied-action events. */
  public readonly logGroup: logs.LogGroup;
  /** The Contributor Insights rule counting denied calls per account and principal. */
  public readonly insightRule: cloudwatch.CfnInsightRule;
  /** The alarm on the busiest principal. */
  public readonly alarm: cloudwatch.Alarm;
  /** The saved Logs Insights queries. */
  public readonly queries: logs.QueryDefinition[];
  /** The topic the alarm notifies. */
  public readonly notificationTopic: sns.ITopic;

  constructor(scope: Construct, id: string, props: DeniedActionAlertsProps) {
    super(scope, id);
    const problems = Problems.of(this);
    const org = props.organization;
    const stack = Stack.of(this);
    const { prefix, threshold, period } = checkProps(problems, stack, props);
    problems.throwIfAny();

    this.eventBusName = `${prefix}-denied-actions`;
    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: this.eventBusName });
    this.eventBus.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OrganizationForwarders',
      principals: [new iam.AnyPrincipal()],
      actions: ['events:PutEvents'],
      resources: [this.eventBus.eventBusArn],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': org.organizationId } },
    }));

    const logGroupName = `/${prefix}/denied-actions`;
    this.logGroup = this.createLogGroup(logGroupName, props.retention);
    this.routeToLogs(prefix);

    this.insightRule = new cloudwatch.CfnInsightRule(this, 'ByPrincipal', {
      ruleName: `${prefix}-denied-actions-by-principal`,
      ruleState: 'ENABLED',
      ruleBody: JSON.stringify(deniedActionInsightRuleBody(logGroupName)),
    });
    this.insightRule.node.addDependency(this.logGroup);

    this.notificationTopic = props.notificationTopic ?? new SecurityNotificationTopic(this, 'Notifications').topic;
    this.alarm = this.createAlarm(prefix, threshold, period);

    this.queries = deniedActionQueries(prefix).map((q, i) => new logs.QueryDefinition(this, `Query${i}`, {
      queryDefinitionName: q.name,
      queryString: new logs.QueryString({ fields: q.fields, statsStatements: q.stats ? [q.stats] : undefined, sort: q.sort, limit: q.limit }),
      logGroups: [this.logGroup],
    }));
  }

  // encrypted with a key of its own, usable by CloudWatch Logs for this log group only
  private createLogGroup(logGroupName: string, retention: logs.RetentionDays | undefined): logs.LogGroup {
    const stack = Stack.of(this);
    const key = new kms.Key(this, 'LogKey', {
      description: 'landing zone denied-action events',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogs',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroupName}` },
      },
    }));
    return new logs.LogGroup(this, 'Events', {
      logGroupName,
      encryptionKey: key,
      retention: retention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  // the bus's rule into the log group
  private routeToLogs(prefix: string): void {
    const stack = Stack.of(this);
    const toLogs = new events.Rule(this, 'ToLogs', {
      eventBus: this.eventBus,
      description: 'CloudTrail API calls refused by IAM anywhere in the organization, into the denied-action log group',
      eventPattern: eventPatternOf(deniedActionEventPattern()),
    });
    // forwarded read-only calls (how probing looks) are matched only in this state
    (toLogs.node.defaultChild as events.CfnRule).addPropertyOverride('State', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    // the log group's resource policy as a resource of the template (the maintained target writes it through a
    // custom resource), limited to this account's EventBridge
    new logs.ResourcePolicy(this, 'EventsToLogs', {
      resourcePolicyName: `${prefix}-denied-actions-events`,
      policyStatements: [new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${this.logGroup.logGroupArn}`],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      })],
    });
    const targetArn = stack.formatArn({
      service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    toLogs.addTarget({ bind: () => ({ arn: targetArn }) });
  }

  private createAlarm(prefix: string, threshold: number, period: Duration): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: `One principal of one account was refused by IAM ${threshold} times or more within ${period.toHumanString()}: `
        + `probing, or a broken deployment. See the Contributor Insights rule ${this.insightRule.ruleName} and the saved query ${prefix}/denied-actions/who-what-where.`,
      metric: new cloudwatch.MathExpression({
        expression: `INSIGHT_RULE_METRIC('${this.insightRule.ruleName}', 'MaxContributorValue')`,
        usingMetrics: {},
        period,
        label: 'denied calls of the busiest principal',
      }),
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.node.addDependency(this.insightRule);
    alarm.addAlarmAction(new cwActions.SnsAction(this.notificationTopic));
    alarm.addOkAction(new cwActions.SnsAction(this.notificationTopic));
    return alarm;
  }
}

function checkProps(problems: Problems, stack: Stack, props: DeniedActionAlertsProps): { prefix: string; threshold: number; period: Duration } {
  const org = props.organization;
  const prefix = props.namePrefix ?? 'lz';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,30}$/.test(prefix)) problems.add('namePrefix', `prefix '${prefix}' must be a letter followed by up to 30 letters, digits or hyphens`);
  const threshold = props.threshold ?? 20;
  if (!Number.isInteger(threshold) || threshold < 1) problems.add('threshold', `must be a positive integer, got ${threshold}`);
  const period = props.period ?? Duration.minutes(5);
  const seconds = period.toSeconds();
  if (!Token.isUnresolved(seconds) && (seconds < 60 || seconds > 86_400 || seconds % 60 !== 0)) {
    problems.add('period', `must be whole minutes from 1 minute to 1 day, got ${seconds} seconds`);
  }
  if (org.organizationId === undefined) {
    problems.add('organization', 'the organization model has no organizationId: the event bus accepts events from the organization only (aws:PrincipalOrgID), so set it');
  }
  const tooling = org.securityToolingAccount;
  if (!Token.isUnresolved(stack.account) && stack.account !== tooling.accountId) {
    problems.add('scope', `denied-action alerts belong in the security tooling account ${tooling.name} (${tooling.accountId}), but the stack deploys to ${stack.account}`);
  }
  return { prefix, threshold, period };
}

/** The L2 pattern of a raw EventBridge pattern (`detail-type` becomes `detailType`). */
function eventPatternOf(raw: Record<string, any>): events.EventPattern {
  const { 'detail-type': detailType, ...rest } = raw;
  return { ...rest, ...(detailType ? { detailType } : {}) } as events.EventPattern;
}
