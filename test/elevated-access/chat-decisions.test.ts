// Which Slack interactions the handler understands and which Slack users map to an Identity Center user
// (chat-decisions.ts). Who may approve is the API's decision, tested with the handler.
import { parseClick, verifiedEmail } from '../../src/elevated-access/handlers/chat-decisions';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const payload = (over: Record<string, any> = {}, action: Record<string, any> = {}) => ({
  type: 'block_actions',
  user: { id: 'U1', team_id: 'T1' },
  team: { id: 'T1' },
  channel: { id: 'C1' },
  container: { channel_id: 'C1', message_ts: '1.2' },
  message: { ts: '1.2' },
  actions: [{ action_id: 'lz-access:approve', value: ID, ...action }],
  ...over,
});
const body = (p: unknown) => `payload=${encodeURIComponent(JSON.stringify(p))}`;
const person = { id: 'U1', team_id: 'T1', deleted: false, is_bot: false, is_app_user: false, is_email_confirmed: true, profile: { email: ' Bob@Example.com ' } };

describe('chat decisions (chat-decisions.ts)', () => {
  test('a click on one of the workflow\'s buttons', () => {
    expect(parseClick(body(payload()))).toEqual({ action: 'approve', requestId: ID, slackUserId: 'U1', teamId: 'T1', channelId: 'C1', messageTs: '1.2' });
    expect(parseClick(body(payload({}, { action_id: 'lz-access:reject' })))).toMatchObject({ action: 'reject' });
    expect(parseClick(body(payload({}, { action_id: 'lz-access:revoke' })))).toMatchObject({ action: 'revoke' });
  });

  test('the channel and message come from the container when the payload has no channel or message', () => {
    expect(parseClick(body(payload({ channel: undefined, message: undefined, container: { channel_id: 'D9', message_ts: '7.7' } }))))
      .toMatchObject({ channelId: 'D9', messageTs: '7.7' });
    expect(parseClick(body(payload({ team: undefined })))).toMatchObject({ teamId: 'T1' });
  });

  test('anything else is refused with the reason', () => {
    expect(parseClick('payload=not-json')).toEqual({ refusal: 'the body has no JSON payload field' });
    expect(parseClick('other=1')).toEqual({ refusal: 'the body has no JSON payload field' });
    expect(parseClick('payload=null')).toEqual({ refusal: "interaction type 'undefined' is not handled" });
    expect(parseClick(body(payload({ type: 'view_submission' })))).toEqual({ refusal: "interaction type 'view_submission' is not handled" });
    expect(parseClick(body(payload({ actions: [] })))).toEqual({ refusal: 'expected one action, got 0' });
    expect(parseClick(body(payload({ actions: 'x' })))).toEqual({ refusal: 'expected one action, got 0' });
    expect(parseClick(body(payload({ actions: [{}, {}] })))).toEqual({ refusal: 'expected one action, got 2' });
    expect(parseClick(body(payload({}, { action_id: 'approve' })))).toEqual({ refusal: "action 'approve' is not one of the workflow's buttons" });
    expect(parseClick(body(payload({}, { action_id: 'lz-access:grant' })))).toEqual({ refusal: "action 'lz-access:grant' is not one of the workflow's buttons" });
    expect(parseClick(body(payload({}, { action_id: undefined })))).toEqual({ refusal: "action '' is not one of the workflow's buttons" });
    expect(parseClick(body(payload({}, { value: '#config' })))).toEqual({ refusal: "'#config' is not a request id" });
    expect(parseClick(body(payload({}, { value: `${ID}x` })))).toEqual({ refusal: `'${ID}x' is not a request id` });
    expect(parseClick(body(payload({}, { value: `x${ID}` })))).toMatchObject({ refusal: expect.stringMatching(/is not a request id/) });
    expect(parseClick(body(payload({}, { value: undefined })))).toEqual({ refusal: "'' is not a request id" });
    expect(parseClick(body(payload({ user: undefined })))).toEqual({ refusal: 'the payload has no user' });
    expect(parseClick(body(payload({ user: { id: '' }, team: { id: 'T1' } })))).toEqual({ refusal: 'the payload has no user' });
    expect(parseClick(body(payload({ team: undefined, user: { id: 'U1' } })))).toEqual({ refusal: 'the payload has no team' });
    expect(parseClick(body(payload({ channel: undefined, container: {} })))).toEqual({ refusal: 'the payload has no channel' });
    expect(parseClick(body(payload({ user: undefined, team: undefined })))).toEqual({ refusal: 'the payload has no user' });
    expect(parseClick(body(payload({ channel: undefined, container: undefined })))).toEqual({ refusal: 'the payload has no channel' });
    expect(parseClick(body(payload({ message: undefined, container: undefined })))).toEqual({ refusal: 'the payload has no message' });
    expect(parseClick(body(payload({ message: undefined, container: { channel_id: 'C1' } })))).toEqual({ refusal: 'the payload has no message' });
  });

  test('a person of the workspace with a confirmed address maps by that address, normalized', () => {
    expect(verifiedEmail(person, 'T1')).toEqual({ email: 'bob@example.com' });
  });

  test('bots, apps, deactivated users, other workspaces and unconfirmed or missing addresses are refused', () => {
    expect(verifiedEmail(undefined, 'T1')).toEqual({ refusal: 'Slack did not return the user' });
    expect(verifiedEmail({ ...person, deleted: true }, 'T1')).toEqual({ refusal: 'Slack user U1 is deactivated' });
    expect(verifiedEmail({ ...person, is_bot: true }, 'T1')).toEqual({ refusal: 'Slack user U1 is not a person' });
    expect(verifiedEmail({ ...person, is_bot: undefined }, 'T1')).toEqual({ refusal: 'Slack user U1 is not a person' });
    expect(verifiedEmail({ ...person, is_app_user: true }, 'T1')).toEqual({ refusal: 'Slack user U1 is not a person' });
    expect(verifiedEmail({ ...person, deleted: undefined }, 'T1')).toEqual({ email: 'bob@example.com' });
    expect(verifiedEmail(person, 'T2')).toEqual({ refusal: 'Slack user U1 belongs to workspace T1, not T2' });
    expect(verifiedEmail({ ...person, is_email_confirmed: false }, 'T1')).toEqual({ refusal: 'Slack user U1 has no confirmed e-mail address' });
    expect(verifiedEmail({ ...person, is_email_confirmed: undefined }, 'T1')).toEqual({ refusal: 'Slack user U1 has no confirmed e-mail address' });
    expect(verifiedEmail({ ...person, profile: {} }, 'T1')).toEqual({ refusal: 'Slack user U1 has no e-mail address' });
    expect(verifiedEmail({ ...person, profile: undefined }, 'T1')).toEqual({ refusal: 'Slack user U1 has no e-mail address' });
    expect(verifiedEmail({ ...person, profile: { email: 'bob at example' } }, 'T1')).toEqual({ refusal: 'Slack user U1 has no e-mail address' });
    expect(verifiedEmail({ ...person, profile: { email: 'bob@' } }, 'T1')).toEqual({ refusal: 'Slack user U1 has no e-mail address' });
    expect(verifiedEmail({ ...person, profile: { email: '@example.com' } }, 'T1')).toEqual({ refusal: 'Slack user U1 has no e-mail address' });
    expect(verifiedEmail({ ...person, profile: { email: 'a b@example.com' } }, 'T1')).toEqual({ refusal: 'Slack user U1 has no e-mail address' });
    expect(verifiedEmail({ ...person, profile: { email: 'bob@exa mple.com' } }, 'T1')).toEqual({ refusal: 'Slack user U1 has no e-mail address' });
  });
});
