// A local stand-in for Slack's Web API (the handler talks to it through Slack's own WebClient over HTTP), and
// interaction requests shaped and signed as Slack sends them.
import { createHmac } from 'crypto';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const TEAM = 'T0001ABCD';
export const CHANNEL = 'C0123456789';

/** Slack users of the tests: their e-mail maps them to the identity store users of world.ts. */
export const SLACK_USERS: Record<string, any> = {
  U0ALICE: { id: 'U0ALICE', team_id: TEAM, deleted: false, is_bot: false, is_app_user: false, is_email_confirmed: true, profile: { email: 'alice@example.com' } },
  U0BOB: { id: 'U0BOB', team_id: TEAM, deleted: false, is_bot: false, is_app_user: false, is_email_confirmed: true, profile: { email: 'bob@example.com' } },
  U0CAROL: { id: 'U0CAROL', team_id: TEAM, deleted: false, is_bot: false, is_app_user: false, is_email_confirmed: true, profile: { email: 'Carol@Example.com' } },
  U0MALLORY: { id: 'U0MALLORY', team_id: TEAM, deleted: false, is_bot: false, is_app_user: false, is_email_confirmed: true, profile: { email: 'mallory@example.com' } },
  // a Slack Connect guest from another organization's workspace, with a confirmed address equal to carol's
  U0EXTERNAL: { id: 'U0EXTERNAL', team_id: 'T0OTHER', deleted: false, is_bot: false, is_app_user: false, is_email_confirmed: true, profile: { email: 'carol@example.com' } },
  // dave is a lead, but Slack has not confirmed the address this account claims
  U0DAVE: { id: 'U0DAVE', team_id: TEAM, deleted: false, is_bot: false, is_app_user: false, is_email_confirmed: false, profile: { email: 'dave@example.com' } },
};

export interface SlackCall {
  readonly method: string;
  readonly args: Record<string, any>;
}

export class FakeSlack {
  public static async start(): Promise<FakeSlack> {
    const s = new FakeSlack();
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    return s;
  }

  public readonly calls: SlackCall[] = [];
  private readonly server: Server;
  private messages = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const method = (req.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '');
        const args: Record<string, any> = Object.fromEntries(new URLSearchParams(body));
        for (const k of ['blocks']) if (typeof args[k] === 'string') args[k] = JSON.parse(args[k]);
        this.calls.push({ method, args });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(this.answer(method, args)));
      });
    });
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  public of(method: string): Record<string, any>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** Forgets the calls and numbers messages from 1 again. */
  public reset(): void {
    this.calls.length = 0;
    this.messages = 0;
  }

  public stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(method: string, args: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case 'users.info': {
        const user = SLACK_USERS[args.user];
        return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const user = Object.values(SLACK_USERS).find((u) => u.profile.email.toLowerCase() === String(args.email).toLowerCase());
        return user ? { ok: true, user } : { ok: false, error: 'users_not_found' };
      }
      case 'chat.postMessage':
        this.messages++;
        return { ok: true, channel: args.channel.startsWith('U') ? `D${args.channel}` : args.channel, ts: `1700000000.00010${this.messages}` };
      case 'chat.update':
      case 'chat.postEphemeral':
        return { ok: true, channel: args.channel, ts: args.ts ?? '1' };
    }
    return { ok: false, error: 'unknown_method' };
  }
}

/** A block_actions payload as Slack posts it when `user` clicks the button `action` of a message in `channel`. */
export function blockActions(user: string, action: string, requestId: string, opts: { channel?: string; ts?: string; userTeam?: string } = {}) {
  const channel = opts.channel ?? CHANNEL;
  const ts = opts.ts ?? '1700000000.000101';
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: opts.userTeam ?? TEAM },
    api_app_id: 'A0APPID',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: '1234567890.123456789.abcdef',
    team: { id: TEAM, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'access-approvals' },
    message: { type: 'message', subtype: 'bot_message', ts, bot_id: 'B0BOT', text: 'Elevated access request', blocks: [] },
    state: { values: {} },
    response_url: `https://hooks.slack.com/actions/${TEAM}/1/abc`,
    actions: [{
      action_id: `lz-access:${action}`,
      block_id: 'b1',
      text: { type: 'plain_text', text: action, emoji: true },
      value: requestId,
      type: 'button',
      action_ts: '1700000001.000200',
    }],
  };
}

/** The function URL event of an interaction: form-encoded `payload=`, signed with `secret` at `timestamp` (seconds). */
export function interaction(payload: unknown, opts: { timestamp?: number; secret?: string; base64?: boolean; signature?: string } = {}) {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = opts.signature ?? `v0=${createHmac('sha256', opts.secret ?? SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-signature': signature,
      'x-slack-request-timestamp': String(ts),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    },
    requestContext: { http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '3.1.2.3', userAgent: 'Slackbot' } },
    body: opts.base64 === false ? body : Buffer.from(body).toString('base64'),
    isBase64Encoded: opts.base64 !== false,
  } as any;
}
