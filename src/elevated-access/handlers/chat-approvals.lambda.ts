// Approvals from Slack. Two entry points in one function:
// - the public interactivity endpoint (a Lambda function URL): Slack's signature and timestamp verified with Slack's
//   own helper, the Slack user mapped to the Identity Center user by the e-mail Slack confirmed, then the API's own
//   approve / reject / revoke path (eligibility, never oneself, distinct approvers, only while pending); the message
//   is updated in place with the outcome, a refusal is told to the clicker alone and changes nothing;
// - the workflow's transition events (EventBridge): the request message is posted to the approvers' channel, updated
//   as the request moves on, and the requester is told by direct message.
import { DescribeUserCommand, GetUserIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
// the request verification helper of Slack's Bolt framework, without the framework's HTTP server
import { verifySlackRequest } from '@slack/bolt/dist/receivers/verify-request';
import { WebClient } from '@slack/web-api';
import type { EventBridgeEvent, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { approve, HttpError, reject, revoke } from './access-api.lambda';
import { ChatClick, parseClick, verifiedEmail } from './chat-decisions';
import { requestBlocks, summary } from './chat-messages';
import { Caller, CallerError, currentGroups } from './identity';
import { configForRequests } from './organization-parents';
import { PolicyError, AccessConfig } from './policy';
import { AccessRequest, ddb, env, getRequest, loadConfig, logger, Transition } from './store';

const secrets = new SecretsManagerClient({});
const identityStore = new IdentitystoreClient({});

let cached: { signingSecret: string; botToken: string; at: number } | undefined;

/** The signing secret and bot token, read from Secrets Manager (never in the template), cached for 5 minutes. */
async function slackSecrets(now = Date.now()): Promise<{ signingSecret: string; botToken: string }> {
  if (cached && now - cached.at < 300_000) return cached;
  const read = async (arn: string) => {
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!out.SecretString) throw new Error(`secret ${arn} has no string value`);
    return out.SecretString.trim();
  };
  cached = { signingSecret: await read(env('SLACK_SIGNING_SECRET_ARN')), botToken: await read(env('SLACK_BOT_TOKEN_ARN')), at: now };
  return cached;
}

/** For tests: forget the cached secrets. */
export function resetSlackSecrets(): void {
  cached = undefined;
}

function slackClient(token: string): WebClient {
  // few retries: Slack wants an answer to an interaction within 3 seconds
  return new WebClient(token, { slackApiUrl: process.env.SLACK_API_URL, retryConfig: { retries: 1, factor: 1, minTimeout: 100 } });
}

function view(config: AccessConfig, r: AccessRequest) {
  return { ...r, permissionSetName: config.permissionSets[r.permissionSetArn]?.name ?? r.permissionSetArn };
}

/** The Identity Center user behind a Slack user: by the e-mail address Slack confirmed, looked up in the identity store. */
async function callerOf(slack: WebClient, click: ChatClick): Promise<Caller> {
  const info = await slack.users.info({ user: click.slackUserId });
  const mapped = verifiedEmail(info.user, click.teamId);
  if ('refusal' in mapped) throw new CallerError(mapped.refusal);
  let userId: string | undefined;
  try {
    userId = (await identityStore.send(new GetUserIdCommand({
      IdentityStoreId: env('IDENTITY_STORE_ID'),
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: mapped.email } },
    }))).UserId;
  } catch (e) {
    if ((e as Error).name !== 'ResourceNotFoundException') throw e;
  }
  if (!userId) throw new CallerError(`no Identity Center user has the e-mail address ${mapped.email}`);
  return { arn: `slack:${click.teamId}:${click.slackUserId}:${mapped.email}`, userName: mapped.email, userId, groupIds: await currentGroups(userId) };
}

const DONE: Record<string, string> = { approve: 'approved', reject: 'rejected', revoke: 'ended' };

async function onClick(event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> {
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']));
  const { signingSecret, botToken } = await slackSecrets();
  try {
    // HMAC-SHA256 of v0:<timestamp>:<body>, compared in constant time; timestamps older than 5 minutes are replays
    verifySlackRequest({
      signingSecret,
      body,
      headers: { 'x-slack-signature': headers['x-slack-signature'] ?? '', 'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']) },
    });
  } catch (e) {
    logger.warn('refused a request that Slack did not sign', { reason: (e as Error).message });
    return { statusCode: 401, body: 'invalid request signature' };
  }
  const click = parseClick(body);
  if ('refusal' in click) {
    logger.info('interaction ignored', { reason: click.refusal });
    return { statusCode: 200, body: '' };
  }
  logger.appendKeys({ requestId: click.requestId, slackUser: click.slackUserId, chatAction: click.action });
  const slack = slackClient(botToken);
  try {
    const caller = await callerOf(slack, click);
    const r = await getRequest(click.requestId);
    if (!r) throw new HttpError(404, `request '${click.requestId}' does not exist`);
    // the approvers of its account where Organizations places it now
    const config = await configForRequests(await loadConfig(), [r]);
    if (click.action === 'approve') await approve(config, caller, r);
    else if (click.action === 'reject') await reject(config, caller, r, `rejected in Slack by ${caller.userName}`);
    else await revoke(config, caller, r, `ended in Slack by ${caller.userName}`);
    const now = (await getRequest(r.requestId)) ?? r;
    await slack.chat.update({
      channel: click.channelId,
      ts: click.messageTs,
      text: summary(view(config, now)),
      blocks: requestBlocks(view(config, now), `${DONE[click.action]} by <@${click.slackUserId}>`) as any,
    });
  } catch (e) {
    if (!(e instanceof HttpError || e instanceof PolicyError || e instanceof CallerError)) throw e;
    logger.info('refused', { reason: e.message });
    await slack.chat.postEphemeral({ channel: click.channelId, user: click.slackUserId, text: `Not ${DONE[click.action]}: ${e.message}` });
  }
  return { statusCode: 200, body: '' };
}

/** Transitions that change the request message; those the requester hears of by direct message. */
const SHOWN: Transition[] = ['REQUESTED', 'BREAK_GLASS', 'APPROVAL_REMINDED', 'APPROVAL_RECORDED', 'APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'GRANTED', 'REVOKED', 'FAILED'];
const TOLD: Transition[] = ['APPROVED', 'REJECTED', 'EXPIRED', 'GRANTED', 'REVOKED', 'FAILED'];

interface TransitionDetail {
  readonly requestId: string;
  readonly transition: Transition;
  readonly actor: string;
  readonly reason?: string;
}

async function requesterSlackId(slack: WebClient, requesterId: string): Promise<string | undefined> {
  const user = await identityStore.send(new DescribeUserCommand({ IdentityStoreId: env('IDENTITY_STORE_ID'), UserId: requesterId }));
  const email = (user.Emails ?? []).find((e) => e.Primary)?.Value ?? user.Emails?.[0]?.Value;
  if (!email) return undefined;
  const found = await slack.users.lookupByEmail({ email }).catch(() => undefined);
  return found?.user?.id;
}

async function onTransition(event: EventBridgeEvent<string, TransitionDetail>): Promise<void> {
  const { requestId, transition } = event.detail;
  if (!SHOWN.includes(transition)) return;
  const r = await getRequest(requestId) as (AccessRequest & { chatMessage?: { channel: string; ts: string } }) | undefined;
  if (!r) return;
  const config = await loadConfig();
  const v = view(config, r);
  const slack = slackClient((await slackSecrets()).botToken);
  const outcome = transition === 'BREAK_GLASS' ? `self-approved: ${event.detail.reason ?? ''}` : `${transition.toLowerCase().replace(/_/g, ' ')}`;
  if (transition === 'APPROVAL_REMINDED') {
    // a reply in the request's thread, also shown in the channel, so the reminder is seen
    if (r.chatMessage && r.status === 'PENDING_APPROVAL') {
      await slack.chat.postMessage({ channel: r.chatMessage.channel, thread_ts: r.chatMessage.ts, reply_broadcast: true, text: `Still waiting for approval: ${summary(v)}` });
    }
    return;
  }
  if (r.chatMessage) {
    await slack.chat.update({ channel: r.chatMessage.channel, ts: r.chatMessage.ts, text: summary(v), blocks: requestBlocks(v, outcome) as any });
  } else if (transition === 'BREAK_GLASS' || (transition === 'REQUESTED' && r.requiredApprovals > 0 && !r.breakGlass)) {
    const posted = await slack.chat.postMessage({ channel: env('SLACK_CHANNEL_ID'), text: summary(v), blocks: requestBlocks(v, outcome) as any });
    if (posted.channel && posted.ts) {
      await ddb.send(new UpdateCommand({
        TableName: env('REQUESTS_TABLE'),
        Key: { requestId },
        UpdateExpression: 'SET chatMessage = :m',
        ConditionExpression: 'attribute_exists(requestId)',
        ExpressionAttributeValues: { ':m': { channel: posted.channel, ts: posted.ts } },
      }));
    }
  }
  if (TOLD.includes(transition)) {
    const dm = await requesterSlackId(slack, r.requesterId);
    if (dm) await slack.chat.postMessage({ channel: dm, text: `Your request ${outcome}: ${summary(v)}`, blocks: requestBlocks(v, `your request: ${outcome}`) as any });
  }
}

export async function handler(event: LambdaFunctionURLEvent | EventBridgeEvent<string, TransitionDetail>): Promise<LambdaFunctionURLResult | void> {
  if ('detail-type' in event) return onTransition(event);
  return onClick(event);
}
