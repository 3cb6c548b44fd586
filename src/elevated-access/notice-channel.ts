import { Token } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Problems } from '../private/validation';

/** Who a notice is for. */
export enum NoticeAudience {
  /** The requester: approval, refusal, grant, expiry, revoke. */
  REQUESTER = 'requester',
  /** The eligible approvers of the request: approval needed, with the CLI lines to approve or reject. */
  APPROVERS = 'approvers',
  /** The operators: grants not confirmed, revokes that keep failing, alarms. */
  OPERATORS = 'operators',
}

/**
 * An e-mail address subscribed to the notices of one audience (an SNS subscription filtered on the `audience`
 * attribute, and on the requester's user name when given).
 */
export interface NoticeEmail {
  /** The address (the subscription must be confirmed from it). */
  readonly address: string;

  /** The audience whose notices it receives. */
  readonly audience: NoticeAudience;

  /**
   * Only the notices of this requester (Identity Center user name), e.g. a person's own address for the REQUESTER
   * audience.
   *
   * @default - the notices of every requester
   */
  readonly requesterName?: string;
}

/** A Slack channel for AWS Chatbot. */
export interface SlackNoticeChannelProps {
  /** The Slack workspace (team) id, authorized once in the AWS Chatbot console. */
  readonly slackWorkspaceId: string;
  /** The Slack channel id. */
  readonly slackChannelId: string;
  /** The audiences whose notices the channel receives. */
  readonly audiences: NoticeAudience[];
  /**
   * The name of the channel configuration.
   *
   * @default - derived from the channel id
   */
  readonly configurationName?: string;
}

/** A Microsoft Teams channel for AWS Chatbot. */
export interface TeamsNoticeChannelProps {
  /** The Microsoft Teams team id, authorized once in the AWS Chatbot console. */
  readonly teamId: string;
  /** The Microsoft Teams tenant id. */
  readonly tenantId: string;
  /** The channel id. */
  readonly channelId: string;
  /** The audiences whose notices the channel receives. */
  readonly audiences: NoticeAudience[];
  /**
   * The name of the channel configuration.
   *
   * @default - derived from the channel id
   */
  readonly configurationName?: string;
}

/**
 * A chat channel that receives the workflow's notices as AWS Chatbot custom notifications. The channel's role has no
 * permissions and its guardrail is `AWSDenyAll`: the channel shows notices and runs nothing.
 */
export class NoticeChannel {
  /** A Slack channel. */
  public static slack(props: SlackNoticeChannelProps): NoticeChannel {
    return new NoticeChannel(new SlackChannel(props));
  }

  /** A Microsoft Teams channel. */
  public static microsoftTeams(props: TeamsNoticeChannelProps): NoticeChannel {
    return new NoticeChannel(new TeamsChannel(props));
  }

  // a choice class: only the factories make channels, so no subclass (from any jsii language) reaches _bind
  private constructor(private readonly kind: ChannelKind) {}

  /** The audiences whose notices the channel receives. */
  public get audiences(): NoticeAudience[] {
    return [...this.kind.props.audiences];
  }

  /** A short text for messages. */
  public describe(): string {
    return this.kind.describe();
  }

  /** @internal */
  public _validate(problems: Problems, field: string): void {
    this.kind.validate(problems, field);
  }

  /** @internal */
  public _bind(scope: Construct, id: string, topics: sns.ITopic[], role: iam.IRole): void {
    this.kind.bind(scope, id, topics, role);
  }
}

interface ChannelKind {
  readonly props: { readonly audiences: NoticeAudience[] };
  describe(): string;
  validate(problems: Problems, field: string): void;
  bind(scope: Construct, id: string, topics: sns.ITopic[], role: iam.IRole): void;
}

const DENY_ALL = 'AWSDenyAll';

// AWS Chatbot's API reference: Slack channel ids are 1-255 letters and digits
const SLACK_ID_PATTERN = /^[A-Za-z0-9]{1,255}$/;
// the CloudFormation schema of AWS::Chatbot::MicrosoftTeamsChannelConfiguration's TeamId
const TEAMS_TEAM_ID_PATTERN = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;

class SlackChannel implements ChannelKind {
  constructor(public readonly props: SlackNoticeChannelProps) {}
  public describe(): string {
    return `slack channel ${this.props.slackChannelId}`;
  }
  public validate(problems: Problems, field: string): void {
    const check = (name: string, label: string, value: string) => {
      if (!Token.isUnresolved(value) && !SLACK_ID_PATTERN.test(value)) {
        problems.add(`${field}.${name}`, `${label} '${value}' must be 1-255 letters and digits, as Slack shows it (e.g. 'T0123ABCD', 'C0123ABCD')`);
      }
    };
    check('slackWorkspaceId', 'slack workspace id', this.props.slackWorkspaceId);
    check('slackChannelId', 'slack channel id', this.props.slackChannelId);
  }
  public bind(scope: Construct, id: string, topics: sns.ITopic[], role: iam.IRole): void {
    new chatbot.SlackChannelConfiguration(scope, id, {
      slackChannelConfigurationName: (this.props.configurationName ?? `lz-access-${this.props.slackChannelId}`).slice(0, 128),
      slackWorkspaceId: this.props.slackWorkspaceId,
      slackChannelId: this.props.slackChannelId,
      notificationTopics: topics,
      role,
      guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(DENY_ALL)],
      loggingLevel: chatbot.LoggingLevel.ERROR,
    });
  }
}

class TeamsChannel implements ChannelKind {
  constructor(public readonly props: TeamsNoticeChannelProps) {}
  public describe(): string {
    return `microsoft teams channel ${this.props.channelId}`;
  }
  public validate(problems: Problems, field: string): void {
    if (!Token.isUnresolved(this.props.teamId) && !TEAMS_TEAM_ID_PATTERN.test(this.props.teamId)) {
      problems.add(`${field}.teamId`, `microsoft teams team id '${this.props.teamId}' must be a GUID such as '01234567-89ab-cdef-0123-456789abcdef', as the AWS Chatbot console shows it after the Teams authorization`);
    }
  }
  public bind(scope: Construct, id: string, topics: sns.ITopic[], role: iam.IRole): void {
    new chatbot.CfnMicrosoftTeamsChannelConfiguration(scope, id, {
      configurationName: (this.props.configurationName ?? `lz-access-${this.props.channelId}`).replace(/[^A-Za-z0-9-_]/g, '-').slice(0, 128),
      teamId: this.props.teamId,
      teamsTenantId: this.props.tenantId,
      teamsChannelId: this.props.channelId,
      iamRoleArn: role.roleArn,
      snsTopicArns: topics.map((t) => t.topicArn),
      guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(DENY_ALL).managedPolicyArn],
      loggingLevel: 'ERROR',
    });
  }
}
