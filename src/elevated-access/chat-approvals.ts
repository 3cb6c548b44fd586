import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { buildSlackEndpoint, ChatApprovalsContext } from './slack-endpoint';

/**
 * Approving from Slack: a Slack app whose messages in the approvers' channel carry Approve / Reject buttons.
 */
export interface SlackApprovalsOptions {
  /**
   * The Slack app's signing secret (Basic Information > App Credentials), stored as the plain string value of a
   * Secrets Manager secret. Only its ARN is in the template.
   */
  readonly signingSecret: secretsmanager.ISecret;

  /** The app's bot user OAuth token (`xoxb-...`), stored as the plain string value of a Secrets Manager secret. */
  readonly botToken: secretsmanager.ISecret;

  /** The id of the channel where requests are posted for the approvers (`C0123456789`); the app must be in it. */
  readonly channelId: string;
}

/**
 * Where approvers approve besides the API and the CLI. Whatever the channel, the decision is the API's: the approver
 * must be eligible, never the requester, and each approver counts once.
 *
 * Obtained from the static factories only: the constructor is private.
 */
export class ChatApprovals {
  /**
   * Slack: requests are posted to `channelId` with Approve / Reject buttons (and "I'm done" once granted); clicks
   * reach a public Lambda function URL that verifies Slack's signature and timestamp, maps the Slack user to the
   * Identity Center user by the e-mail address Slack confirmed, and then runs the API's approval path.
   */
  public static slack(options: SlackApprovalsOptions): ChatApprovals {
    return new ChatApprovals(options);
  }

  private constructor(private readonly options: SlackApprovalsOptions) {}

  /** A short text for messages and reports. */
  public describe(): string {
    return `slack:${this.options.channelId}`;
  }

  /** @internal the endpoint, its function and its permissions; returns the function */
  public _bind(scope: Construct, ctx: ChatApprovalsContext): lambda.Function {
    return buildSlackEndpoint(scope, this.options, ctx);
  }
}
