import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

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
export abstract class NoticeChannel {
  /** A Slack channel. */
  public static slack(props: SlackNoticeChannelProps): NoticeChannel {
    return new SlackChannel(props);
  }

  /** A Microsoft Teams channel. */
  public static microsoftTeams(props: TeamsNoticeChannelProps): NoticeChannel {
    return new TeamsChannel(props);
  }

  /** The audiences whose notices the channel receives. */
  public abstract readonly audiences: NoticeAudience[];

  /** A short text for messages. */
  public abstract describe(): string;

  /** @internal */
  public abstract _bind(scope: Construct, id: string, topics: sns.ITopic[], role: iam.IRole): void;
}

const DENY_ALL = 'AWSDenyAll';

class SlackChannel extends NoticeChannel {
  public readonly audiences: NoticeAudience[];
  constructor(private readonly props: SlackNoticeChannelProps) {
    super();
    this.audiences = props.audiences;
  }
  public describe(): string {
    return `slack channel ${this.props.slackChannelId}`;
  }
  public _bind(scope: Construct, id: string, topics: sns.ITopic[], role: iam.IRole): void {
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

class TeamsChannel extends NoticeChannel {
  public readonly audiences: NoticeAudience[];
  constructor(private readonly props: TeamsNoticeChannelProps) {
    super();
    this.audiences = props.audiences;
  }
  public describe(): string {
    return `microsoft teams channel ${this.props.channelId}`;
  }
  public _bind(scope: Construct, id: string, topics: sns.ITopic[], role: iam.IRole): void {
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
