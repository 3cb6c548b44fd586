// Chat approval decisions. Pure code: which Slack interactions are understood, and which Slack users may be mapped
// to an Identity Center user. Who may approve is decided afterwards by the API's own approval path.

/** The buttons the workflow's messages carry: approve or reject a pending request, end an active one early. */
export type ChatAction = 'approve' | 'reject' | 'revoke';
const ACTIONS: readonly ChatAction[] = ['approve', 'reject', 'revoke'];
/** Prefix of the action ids of the workflow's buttons: `lz-access:approve`. */
export const ACTION_PREFIX = 'lz-access:';
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One button click, as the handler acts on it. */
export interface ChatClick {
  readonly action: ChatAction;
  readonly requestId: string;
  readonly slackUserId: string;
  readonly teamId: string;
  readonly channelId: string;
  readonly messageTs: string;
}

/**
 * Reads a Slack interaction request body (`application/x-www-form-urlencoded`, one `payload` field holding JSON).
 * Only `block_actions` with exactly one of the workflow's buttons and a request id are understood; anything else is
 * refused with the reason.
 */
export function parseClick(body: string): ChatClick | { readonly refusal: string } {
  let payload: any;
  try {
    payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '');
  } catch {
    return { refusal: 'the body has no JSON payload field' };
  }
  if (payload?.type !== 'block_actions') return { refusal: `interaction type '${payload?.type}' is not handled` };
  const actions = Array.isArray(payload.actions) ? payload.actions : [];
  if (actions.length !== 1) return { refusal: `expected one action, got ${actions.length}` };
  const id = String(actions[0].action_id ?? '');
  const action = id.startsWith(ACTION_PREFIX) ? id.slice(ACTION_PREFIX.length) as ChatAction : undefined;
  if (!action || !ACTIONS.includes(action)) return { refusal: `action '${id}' is not one of the workflow's buttons` };
  const requestId = String(actions[0].value ?? '');
  if (!REQUEST_ID.test(requestId)) return { refusal: `'${requestId}' is not a request id` };
  const slackUserId = payload.user?.id;
  const teamId = payload.team?.id ?? payload.user?.team_id;
  const channelId = payload.channel?.id ?? payload.container?.channel_id;
  const messageTs = payload.message?.ts ?? payload.container?.message_ts;
  for (const [k, v] of Object.entries({ user: slackUserId, team: teamId, channel: channelId, message: messageTs })) {
    if (typeof v !== 'string' || v.length === 0) return { refusal: `the payload has no ${k}` };
  }
  return { action, requestId, slackUserId, teamId, channelId, messageTs };
}

/** The fields of Slack's user object (users.info) the mapping reads. */
export interface SlackUser {
  readonly id?: string;
  readonly team_id?: string;
  readonly deleted?: boolean;
  readonly is_bot?: boolean;
  readonly is_app_user?: boolean;
  readonly is_email_confirmed?: boolean;
  readonly profile?: { readonly email?: string };
}

/**
 * The e-mail address by which a Slack user is mapped to an Identity Center user: only a person (not a bot or app),
 * not deactivated, a member of the workspace the click came from (not a Slack Connect guest of another one), whose
 * address Slack has confirmed. Fails closed: anything unknown is refused.
 */
export function verifiedEmail(user: SlackUser | undefined, teamId: string): { readonly email: string } | { readonly refusal: string } {
  if (!user) return { refusal: 'Slack did not return the user' };
  if (user.deleted === true) return { refusal: `Slack user ${user.id} is deactivated` };
  if (user.is_bot !== false || user.is_app_user === true) return { refusal: `Slack user ${user.id} is not a person` };
  if (user.team_id !== teamId) return { refusal: `Slack user ${user.id} belongs to workspace ${user.team_id}, not ${teamId}` };
  if (user.is_email_confirmed !== true) return { refusal: `Slack user ${user.id} has no confirmed e-mail address` };
  const email = user.profile?.email?.trim().toLowerCase();
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) return { refusal: `Slack user ${user.id} has no e-mail address` };
  return { email };
}
