import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AnalyzerArchiveRule, AnalyzerKind } from './archive-rule';
import { AccessAnalyzerReference } from '../access-report';
import { SecurityNotificationTopic } from '../notifications/security-notification-topic';
import { Organization } from '../organization';
import { Problems } from '../private/validation';

/**
 * Properties of `OrganizationAccessAnalyzer`.
 */
export interface OrganizationAccessAnalyzerProps {
  /** The organization; the analyzers run in its `securityToolingAccount`. */
  readonly organization: Organization;

  /**
   * Whether the unused access analyzer is created. It is billed per IAM role and user analyzed per month; the
   * external access analyzer is not.
   *
   * @default true
   */
  readonly unusedAccess?: boolean;

  /**
   * How long access may stay unused before it becomes a finding, 1-365 days.
   *
   * @default Duration.days(90)
   */
  readonly unusedAccessAge?: Duration;

  /**
   * Rules that archive expected findings (they raise no notification).
   *
   * @default - none: every finding is notified and reviewed
   */
  readonly archiveRules?: AnalyzerArchiveRule[];

  /**
   * Prefix of the analyzer names (`<prefix>-external-access`, `<prefix>-unused-access`).
   *
   * @default 'lz'
   */
  readonly analyzerNamePrefix?: string;

  /**
   * Where new findings are sent. Give the landing zone's topic to collect every security signal in one place.
   *
   * @default - a `SecurityNotificationTopic` created by this construct
   */
  readonly notificationTopic?: sns.ITopic;
}

const ARCHIVE_RULES_PER_ANALYZER = 100;

/**
 * IAM Access Analyzer for the whole organization, in the security tooling account (the delegated administrator; see
 * `AccessAnalyzerDelegation`): an external access analyzer (resources shared outside the organization) and an unused
 * access analyzer (roles, users, keys, passwords and permissions unused for `unusedAccessAge`), each with the
 * archive rules that belong to it. New active findings go through EventBridge to the notification topic, one notice
 * per finding that starts with the account and the resource (the principal of the finding), so a mail filter or a
 * chat channel groups them per account and principal.
 *
 * Analyzers are regional: external access is analyzed for resources of the stack's region (deploy one per region you
 * use); IAM is global, so one unused access analyzer covers every region.
 */
export class OrganizationAccessAnalyzer extends Construct {
  /** The organization external access analyzer. */
  public readonly externalAccessAnalyzer: accessanalyzer.CfnAnalyzer;
  /** The organization unused access analyzer, if created. */
  public readonly unusedAccessAnalyzer?: accessanalyzer.CfnAnalyzer;
  /** The rule that sends new findings to the topic. */
  public readonly findingsRule: events.Rule;
  /** The topic findings go to. */
  public readonly notificationTopic: sns.ITopic;

  private readonly organization: Organization;

  constructor(scope: Construct, id: string, props: OrganizationAccessAnalyzerProps) {
    super(scope, id);
    const problems = Problems.of(this);
    const org = props.organization;
    this.organization = org;
    const prefix = props.analyzerNamePrefix ?? 'lz';
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,200}$/.test(prefix)) {
      problems.add('analyzerNamePrefix', `prefix '${prefix}' must be a letter followed by letters, digits, '_', '.' or '-'`);
    }
    const ageDays = props.unusedAccessAge === undefined ? 90 : props.unusedAccessAge.toDays({ integral: false });
    if (!Token.isUnresolved(ageDays) && (!Number.isInteger(ageDays) || ageDays < 1 || ageDays > 365)) {
      problems.add('unusedAccessAge', `must be a whole number of days from 1 to 365, got ${ageDays}`);
    }
    const account = Stack.of(this).account;
    const tooling = org.securityToolingAccount;
    if (!Token.isUnresolved(account) && account !== tooling.accountId) {
      problems.add('scope', `organization analyzers belong in the security tooling account ${tooling.name} (${tooling.accountId}), the delegated administrator, but the stack deploys to ${account}`);
    }
    const unused = props.unusedAccess ?? true;
    type Rules = accessanalyzer.CfnAnalyzer.ArchiveRuleProperty[];
    const rules: Record<AnalyzerKind, Rules> = { [AnalyzerKind.EXTERNAL_ACCESS]: [], [AnalyzerKind.UNUSED_ACCESS]: [] };
    (props.archiveRules ?? []).forEach((r, i) => {
      const msgs: string[] = [];
      const resolved = r._resolve(org, msgs);
      msgs.forEach((m) => problems.add(`archiveRules[${i}]`, m));
      if (resolved.analyzer === AnalyzerKind.UNUSED_ACCESS && !unused) {
        problems.add(`archiveRules[${i}]`, `rule '${resolved.rule.ruleName}' archives unused access findings, but unusedAccess is false`);
      }
      rules[resolved.analyzer].push(resolved.rule);
    });
    for (const [kind, list] of Object.entries(rules)) {
      const names = list.map((r) => r.ruleName);
      for (const dup of names.filter((n, i) => names.indexOf(n) !== i)) problems.add('archiveRules', `rule name '${dup}' is used twice for the ${kind} analyzer`);
      if (list.length > ARCHIVE_RULES_PER_ANALYZER) problems.add('archiveRules', `${list.length} rules for the ${kind} analyzer, over the ${ARCHIVE_RULES_PER_ANALYZER} an analyzer takes`);
    }
    problems.throwIfAny();

    this.externalAccessAnalyzer = new accessanalyzer.CfnAnalyzer(this, 'ExternalAccess', {
      analyzerName: `${prefix}-external-access`,
      type: 'ORGANIZATION',
      archiveRules: rules[AnalyzerKind.EXTERNAL_ACCESS],
    });
    if (unused) {
      this.unusedAccessAnalyzer = new accessanalyzer.CfnAnalyzer(this, 'UnusedAccess', {
        analyzerName: `${prefix}-unused-access`,
        type: 'ORGANIZATION_UNUSED_ACCESS',
        analyzerConfiguration: { unusedAccessConfiguration: { unusedAccessAge: ageDays } },
        archiveRules: rules[AnalyzerKind.UNUSED_ACCESS],
      });
    }

    this.notificationTopic = props.notificationTopic ?? new SecurityNotificationTopic(this, 'Notifications').topic;
    this.findingsRule = new events.Rule(this, 'NewFindings', {
      description: 'New active IAM Access Analyzer findings of the organization analyzers',
      eventPattern: {
        source: ['aws.access-analyzer'],
        detailType: ['Access Analyzer Finding', 'Unused Access Finding for IAM entities'],
        detail: { status: ['ACTIVE'] },
      },
    });
    // by reference: the target would otherwise add an unconditioned grant for events.amazonaws.com to the topic and
    // its key; the topic's own policy allows this account's rules (SecurityNotificationTopic)
    const topicRef = sns.Topic.fromTopicArn(this, 'TopicRef', this.notificationTopic.topicArn);
    this.findingsRule.addTarget(new targets.SnsTopic(topicRef, {
      message: events.RuleTargetInput.fromText(
        `[access-analyzer] account ${events.EventField.fromPath('$.detail.resourceOwnerAccount')} `
        + `resource ${events.EventField.fromPath('$.detail.resource')}: `
        + `${events.EventField.fromPath('$.detail-type')} ${events.EventField.fromPath('$.detail.findingType')} `
        + `principal ${events.EventField.fromPath('$.detail.principal')} (finding ${events.EventField.fromPath('$.detail.id')}, `
        + `region ${events.EventField.fromPath('$.region')})`),
    }));
  }

  /** Where reviewers find the analyzers' findings, for the access report (`AccessReport.addAnalyzerReference`). */
  public get references(): AccessAnalyzerReference[] {
    const stack = Stack.of(this);
    const tooling = this.organization.securityToolingAccount;
    const ref = (analyzer: accessanalyzer.CfnAnalyzer, kind: AnalyzerKind): AccessAnalyzerReference => ({
      analyzerName: analyzer.analyzerName!,
      kind,
      accountId: tooling.accountId,
      accountName: tooling.name,
      region: stack.region,
    });
    return [
      ref(this.externalAccessAnalyzer, AnalyzerKind.EXTERNAL_ACCESS),
      ...(this.unusedAccessAnalyzer ? [ref(this.unusedAccessAnalyzer, AnalyzerKind.UNUSED_ACCESS)] : []),
    ];
  }
}
