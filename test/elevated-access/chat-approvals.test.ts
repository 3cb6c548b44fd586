import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { ADMIN, defaultProps, EXAMPLE_PLACES, HOST_ACCOUNT, READ_ONLY } from './fixture';
import { GROUP_LEADS } from './ids';
import { OrganizationMock } from './organization-mock';
import { blockActions, CHANNEL, FakeSlack, interaction, SIGNING_SECRET, TEAM } from './slack';
import { storedJumpRequest, USERS, World } from './world';
import { ChatApprovals, ElevatedAccessWorkflow, ElevatedAccessWorkflowProps, NoticeAudience, NoticeChannel } from '../../src';
import { handler as chatHandler, resetSlackSecrets } from '../../src/elevated-access/handlers/chat-approvals.lambda';
import type { JumpAccessConfig } from '../../src/elevated-access/handlers/jump-grants';
import { resetParentsCache } from '../../src/elevated-access/handlers/organization-parents';
import { remindPending } from '../../src/elevated-access/handlers/reminders';
import { loadConfig, resetConfigCache } from '../../src/elevated-access/handlers/store';
import { simulate, TemplatePolicies } from '../helpers/iam-sim';

const PROD_SHOP = '555555555501';
const SIGNING_ARN = `arn:aws:secretsmanager:eu-west-1:${HOST_ACCOUNT}:secret:slack/signing-AbCdEf`;
const TOKEN_ARN = `arn:aws:secretsmanager:eu-west-1:${HOST_ACCOUNT}:secret:slack/bot-token-AbCdEf`;

function chatStack(channelId = CHANNEL, overrides: Partial<ElevatedAccessWorkflowProps> = {}): { stack: Stack; workflow: ElevatedAccessWorkflow } {
  const app = new App();
  const stack = new Stack(app, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
  const approvals = ChatApprovals.slack({
    signingSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'SigningSecret', SIGNING_ARN),
    botToken: secretsmanager.Secret.fromSecretCompleteArn(stack, 'BotToken', TOKEN_ARN),
    channelId,
  });
  const trail = logs.LogGroup.fromLogGroupName(stack, 'OrgTrail', 'org-trail');
  return { stack, workflow: new ElevatedAccessWorkflow(stack, 'Workflow', defaultProps({ approvals, organizationTrailLogGroup: trail, ...overrides })) };
}

/** The Slack secrets answer, the fake Slack forgets what it was sent, the handler reads the environment of the endpoint. */
function resetChat(secrets: ReturnType<typeof mockClient>, slack: FakeSlack): void {
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SIGNING_ARN }).resolves({ SecretString: SIGNING_SECRET });
  secrets.on(GetSecretValueCommand, { SecretId: TOKEN_ARN }).resolves({ SecretString: 'xoxb-0000-test' });
  resetSlackSecrets();
  slack.reset();
  Object.assign(process.env, {
    SLACK_SIGNING_SECRET_ARN: SIGNING_ARN, SLACK_BOT_TOKEN_ARN: TOKEN_ARN, SLACK_CHANNEL_ID: CHANNEL, SLACK_API_URL: slack.url,
  });
}

/**
 * A local world for Slack approvals of an account Organizations places under Workloads/Prod after the synth (the
 * model never lists it): the hooks of a describe block, the world and Slack read through the getters.
 */
function followingChat(makeStack: () => Stack, prepare: (world: World) => Promise<void> = async () => undefined) {
  const { root, workloads, prod } = EXAMPLE_PLACES;
  let stack: Stack;
  let world: World;
  let slack: FakeSlack;
  const secrets = mockClient(SecretsManagerClient);
  const organizations = new OrganizationMock();
  beforeAll(async () => {
    stack = makeStack();
    slack = await FakeSlack.start();
  });
  afterAll(() => {
    organizations.restore();
    return slack.stop();
  });
  beforeEach(async () => {
    world = await World.create(stack);
    resetChat(secrets, slack);
    resetParentsCache();
    organizations.reset();
    organizations.placement.set(EXAMPLE_PLACES.later, [prod, workloads, root]);
    await prepare(world);
  });
  afterEach(() => world.restore());
  return { organizations, get world() { return world; }, get slack() { return slack; } };
}

describe('ElevatedAccessWorkflow approvals from Slack (synth)', () => {
  const { stack, workflow } = chatStack();
  const template = Template.fromStack(stack);

  test('a public function URL, secrets by ARN only, a role under /landing-zone/ named lz-access-chat-*', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.stringLikeRegexp('^lz-access-chat-'),
      Environment: {
        Variables: Match.objectLike({ SLACK_SIGNING_SECRET_ARN: SIGNING_ARN, SLACK_BOT_TOKEN_ARN: TOKEN_ARN, SLACK_CHANNEL_ID: CHANNEL }),
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: Match.stringLikeRegexp('^lz-access-chat-'), Path: '/landing-zone/' });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/xoxb-|8f742231b10e/);
    expect(workflow.chatApprovalsFunction).toBeDefined();
  });

  test('the endpoint\'s role reads only its two secrets and writes only the requests table', () => {
    const role = Object.entries(template.findResources('AWS::IAM::Role'))
      .find(([, r]: [string, any]) => String(r.Properties.RoleName).startsWith('lz-access-chat-'))![0];
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy')).filter((p) => p.Properties.Roles.some((r: any) => r.Ref === role));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const secretReads = statements.filter((s: any) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(secretReads.flatMap((s: any) => [s.Resource].flat()).sort()).toEqual([SIGNING_ARN, TOKEN_ARN].sort());
    const writes = statements.filter((s: any) => [s.Action].flat().some((a: string) => /dynamodb:(Put|Update|Delete)/.test(a)));
    expect(writes.flatMap((s: any) => [s.Resource].flat()).map((r: any) => JSON.stringify(r))).toEqual([expect.stringMatching(/WorkflowRequests/)]);
    // the requests table lets it write (its resource policy denies every other principal)
    const table = Object.values<any>(template.findResources('AWS::DynamoDB::GlobalTable')).find((t) => JSON.stringify(t).includes('byRequester'));
    expect(JSON.stringify(table.Properties.Replicas[0].ResourcePolicy)).toMatch(/lz-access-chat-/);
  });

  test('the endpoint\'s role may resume the approval wait (simulator): SendTaskSuccess names no resource type, so only * matches', async () => {
    const tp = new TemplatePolicies(template.toJSON(), { accountId: HOST_ACCOUNT, region: 'eu-west-1' });
    const role = tp.logicalId('AWS::IAM::Role', { Path: '/landing-zone/', Description: 'elevated access: approvals from chat' });
    const p = tp.forRole(role);
    // the Service Authorization Reference lists no resource type for these actions: the request carries '*'
    for (const action of ['states:SendTaskSuccess', 'states:SendTaskFailure']) {
      const r = await simulate({ identityPolicies: p.identityPolicies, boundary: p.boundary }, { principal: p.arn, action, resource: '*' });
      expect([action, r.reason]).toEqual([action, expect.stringMatching(/^Allowed/)]);
    }
  });

  test('fails when the channel id is not a Slack channel id', () => {
    expect(() => chatStack('#approvals')).toThrow(/approvals\.channelId: '#approvals' is not a Slack channel id/);
  });
});

test('approvals from chat and chat notice channels together: two roles with their own names', () => {
  const app = new App();
  const stack = new Stack(app, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
  const approvals = ChatApprovals.slack({
    signingSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'SigningSecret', SIGNING_ARN),
    botToken: secretsmanager.Secret.fromSecretCompleteArn(stack, 'BotToken', TOKEN_ARN),
    channelId: CHANNEL,
  });
  const chatChannels = [NoticeChannel.slack({ slackWorkspaceId: 'T0123ABC', slackChannelId: 'C0123ABC', audiences: [NoticeAudience.APPROVERS] })];
  new ElevatedAccessWorkflow(stack, 'Workflow', defaultProps({ approvals, chatChannels }));
  const names = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Role')).map((r) => String(r.Properties.RoleName));
  expect(names.filter((n) => /^lz-access-chat-/.test(n))).toHaveLength(1); // the Slack endpoint
  expect(names.filter((n) => /^lz-access-chatbot-/.test(n))).toHaveLength(1); // AWS Chatbot's channel role
});

describe('ElevatedAccessWorkflow approvals from Slack (interaction handler, state machine run locally)', () => {
  let stack: Stack;
  let world: World;
  let slack: FakeSlack;
  const secrets = mockClient(SecretsManagerClient);
  beforeAll(async () => {
    stack = chatStack().stack;
    slack = await FakeSlack.start();
  });
  afterAll(() => slack.stop());
  beforeEach(async () => {
    world = await World.create(stack);
    resetChat(secrets, slack);
  });
  afterEach(() => world.restore());

  /** Delivers the workflow's transition events of a request to the handler, as the EventBridge rule does. */
  async function deliver(requestId: string, from = 0): Promise<number> {
    const mine = world.events.filter((e) => e.detail.requestId === requestId);
    for (const e of mine.slice(from)) {
      await chatHandler({ 'version': '0', 'detail-type': e.detailType, 'source': 'cdk-iam-landing-zone.elevated-access', 'detail': e.detail } as any);
    }
    return mine.length;
  }

  async function adminRequest(): Promise<string> {
    const created = await world.call('alice', 'POST', '/requests', {
      body: { accountId: PROD_SHOP, permissionSet: 'ProdAdmin', durationMinutes: 30, ticketId: 'INC-42', justification: 'restart the payment workers' },
    });
    expect(created.status).toBe(201);
    await world.waiting(created.body.requestId, 'APPROVAL');
    return created.body.requestId;
  }

  const click = (user: string, action: string, id: string, opts = {}) => chatHandler(interaction(blockActions(user, action, id), opts));

  test('quorum from two different Slack users grants once; the message is updated in place; "I\'m done" revokes', async () => {
    // GIVEN: the request is posted to the approvers' channel with the buttons
    const id = await adminRequest();
    let seen = await deliver(id);
    const [posted] = slack.of('chat.postMessage');
    expect(posted).toMatchObject({ channel: CHANNEL, text: expect.stringMatching(/alice asks for ProdAdmin on 555555555501 for 30 min/) });
    expect(posted.blocks.at(-1).elements.map((e: any) => e.action_id)).toEqual(['lz-access:approve', 'lz-access:reject']);
    expect(JSON.stringify(posted.blocks)).toMatch(/restart the payment workers.*INC-42/);
    expect((await world.request(id)).chatMessage).toEqual({ channel: CHANNEL, ts: '1700000000.000101' });

    // WHEN: bob approves, twice
    expect(await click('U0BOB', 'approve', id)).toEqual({ statusCode: 200, body: '' });
    expect(await click('U0BOB', 'approve', id, { base64: false })).toEqual({ statusCode: 200, body: '' });

    // THEN: one approval; the message shows it; the second click is refused to bob alone
    expect([...(await world.request(id)).approvals]).toEqual([USERS.bob.id]);
    expect((await world.request(id)).status).toBe('PENDING_APPROVAL');
    expect(slack.of('chat.update')[0]).toMatchObject({ channel: CHANNEL, ts: '1700000000.000101', text: expect.stringMatching(/PENDING_APPROVAL/) });
    expect(JSON.stringify(slack.of('chat.update')[0].blocks)).toMatch(/waiting for approval \(1 of 2\).*approved by <@U0BOB>/);
    expect(slack.of('chat.postEphemeral')).toEqual([expect.objectContaining({ user: 'U0BOB', text: expect.stringMatching(/^Not approved: approval not recorded: already approved by you/) })]);
    expect(world.calls('Acquire', id)).toBe(0);

    // WHEN: carol (another lead) approves
    await click('U0CAROL', 'approve', id);
    await world.waiting(id, 'END');

    // THEN: granted once
    expect(world.assignments.has(`${USERS.alice.id}|${ADMIN.permissionSetArn}|${PROD_SHOP}`)).toBe(true);
    expect(world.calls('CreateAssignment', id)).toBe(1);
    expect(world.transitions(id)).toEqual(['REQUESTED', 'APPROVAL_RECORDED', 'APPROVAL_RECORDED', 'APPROVED', 'GRANTED']);
    expect((await world.audit(id)).find((a) => a.transition === 'APPROVED')!.actor).toBe(`slack:${TEAM}:U0CAROL:carol@example.com`);
    expect(JSON.stringify(slack.of('chat.update').at(-1)!.blocks)).toMatch(/approved by <@U0CAROL>/);

    // WHEN: the transitions reach the handler: the message follows the request, alice hears of it by DM
    seen = await deliver(id, seen);
    const dms = slack.of('chat.postMessage').filter((m) => m.channel === 'U0ALICE');
    expect(dms.map((m) => m.text)).toEqual([expect.stringMatching(/^Your request approved/), expect.stringMatching(/^Your request granted/)]);
    const granted = dms[1].blocks.at(-1).elements;
    expect(granted.map((e: any) => e.action_id)).toEqual(['lz-access:revoke']);

    // WHEN: alice is done early, from the DM
    await chatHandler(interaction(blockActions('U0ALICE', 'revoke', id, { channel: 'DU0ALICE', ts: '1700000000.000104' })));
    await world.executions.get(id);

    // THEN: revoked like any early revoke
    expect(world.assignments.size).toBe(0);
    expect((await world.request(id)).status).toBe('REVOKED');
    expect((await world.audit(id)).find((a) => a.transition === 'REVOKE_REQUESTED')).toMatchObject({ actor: `slack:${TEAM}:U0ALICE:alice@example.com`, reason: 'ended in Slack by alice@example.com' });
    await deliver(id, seen);
    expect(slack.of('chat.postMessage').filter((m) => m.channel === 'U0ALICE').at(-1)!.text).toMatch(/^Your request revoked/);
  });

  test('a bad signature, an old timestamp, an ineligible user, the requester, an unconfirmed e-mail and a second click are refused and change nothing', async () => {
    // GIVEN
    const id = await adminRequest();
    await click('U0BOB', 'approve', id);
    const before = await world.request(id);
    const auditBefore = await world.audit(id);
    slack.calls.length = 0;

    // WHEN / THEN: not signed by Slack: 401, and not even Slack is asked who clicked
    expect(await click('U0CAROL', 'approve', id, { secret: 'not-the-signing-secret' })).toMatchObject({ statusCode: 401 });
    expect(await click('U0CAROL', 'approve', id, { signature: 'v0=' + '0'.repeat(64) })).toMatchObject({ statusCode: 401 });
    // a replay: correctly signed, six minutes old
    expect(await click('U0CAROL', 'approve', id, { timestamp: Math.floor(Date.now() / 1000) - 360 })).toMatchObject({ statusCode: 401 });
    expect(slack.calls).toEqual([]);

    // WHEN / THEN: signed, but refused by the approval path, told to the clicker alone
    await click('U0MALLORY', 'approve', id);
    await click('U0ALICE', 'approve', id);
    await click('U0DAVE', 'approve', id);
    await click('U0BOB', 'approve', id);
    await click('U0ALICE', 'reject', id);
    expect(slack.of('chat.postEphemeral').map((m) => [m.user, m.text])).toEqual([
      ['U0MALLORY', 'Not approved: mallory@example.com is not an approver for this account and permission set'],
      ['U0ALICE', 'Not approved: requesters cannot approve their own request'],
      ['U0DAVE', 'Not approved: Slack user U0DAVE has no confirmed e-mail address'],
      ['U0BOB', expect.stringMatching(/^Not approved: approval not recorded: already approved by you/)],
      ['U0ALICE', 'Not rejected: requesters cannot reject their own request; cancel it'],
    ]);
    expect(slack.of('chat.update')).toEqual([]);

    // THEN: the request and its audit trail are exactly as before
    expect(await world.request(id)).toEqual(before);
    expect(await world.audit(id)).toEqual(auditBefore);
    expect(world.calls('Acquire', id)).toBe(0);
  });

  test('a user of another workspace (Slack Connect) is refused, whatever e-mail address they confirmed', async () => {
    const id = await adminRequest();
    await chatHandler(interaction(blockActions('U0EXTERNAL', 'approve', id, { userTeam: 'T0OTHER' })));
    expect(slack.of('chat.postEphemeral')[0].text).toBe(`Not approved: Slack user U0EXTERNAL belongs to workspace T0OTHER, not ${TEAM}`);
    expect((await world.request(id)).approvals).toBeUndefined();
  });

  test('waiting approvers are reminded with backoff, by notice and in the request\'s thread', async () => {
    // GIVEN: a posted request
    const id = await adminRequest();
    await deliver(id);
    const created = Date.parse((await world.request(id)).createdAt);
    const notices = () => world.notices.filter((n) => /^Still waiting/.test(n.Subject)).length;

    // WHEN / THEN: 15 minutes, then 30 more, then 60 more; never in between
    expect(await remindPending(await loadConfig(), created + 14 * 60_000)).toEqual([]);
    expect(await remindPending(await loadConfig(), created + 15 * 60_000)).toEqual([id]);
    expect(await remindPending(await loadConfig(), created + 44 * 60_000)).toEqual([]);
    expect(await remindPending(await loadConfig(), created + 45 * 60_000)).toEqual([id]);
    expect(await remindPending(await loadConfig(), created + 104 * 60_000)).toEqual([]);
    expect(await remindPending(await loadConfig(), created + 105 * 60_000)).toEqual([id]);
    expect(notices()).toBe(3);
    expect(world.transitions(id).filter((t) => t === 'APPROVAL_REMINDED')).toHaveLength(3);
    await deliver(id, 1);
    const replies = slack.of('chat.postMessage').filter((m) => m.thread_ts);
    expect(replies).toHaveLength(3);
    expect(replies[0]).toMatchObject({ channel: CHANNEL, thread_ts: '1700000000.000101', reply_broadcast: 'true', text: expect.stringMatching(/^Still waiting for approval/) });

    // WHEN: approved: no more reminders
    await click('U0BOB', 'approve', id);
    await click('U0CAROL', 'approve', id);
    await world.waiting(id, 'END');
    expect(await remindPending(await loadConfig(), created + 6 * 3600_000)).toEqual([]);
  });

  test('reject from Slack ends the request', async () => {
    const id = await adminRequest();
    await click('U0BOB', 'reject', id);
    await world.executions.get(id);
    expect((await world.request(id))).toMatchObject({ status: 'REJECTED', closeReason: 'rejected in Slack by bob@example.com' });
    expect(world.calls('CreateAssignment', id)).toBe(0);
  });
});

describe('approvals from Slack for an account that follows Workloads/Prod in AWS Organizations (run locally)', () => {
  // the account joined Workloads/Prod after the synth: no model the workflow saw lists it
  const { root: ROOT, workloads: WORKLOADS, prod: PROD_OU, nonProd: NONPROD_OU, later: LATER } = EXAMPLE_PLACES;
  const chat = followingChat(() => chatStack(CHANNEL, { followOrganizationalUnits: true, assignmentsInAnyAccount: true }).stack);
  const { organizations } = chat;

  async function readOnlyRequest(): Promise<string> {
    const created = await chat.world.call('alice', 'POST', '/requests', {
      body: { accountId: LATER, permissionSet: 'ProdReadOnly', durationMinutes: 60, justification: 'investigate INC-7 in the new account' },
    });
    expect(created.status).toBe(201);
    const id = created.body.requestId;
    await chat.world.waiting(id, 'APPROVAL');
    // the harness counts the wait from the state's start; the step handler stores its task token a little later
    while ((await chat.world.request(id)).taskToken === undefined) await new Promise((r) => setTimeout(r, 5));
    return id;
  }
  const approve = (user: string, id: string) => chatHandler(interaction(blockActions(user, 'approve', id)));
  const granted = () => chat.world.assignments.has(`${USERS.alice.id}|${READ_ONLY.permissionSetArn}|${LATER}`);

  test('a lead approves in Slack: granted, the lead\'s eligibility read from where Organizations places the account', async () => {
    const id = await readOnlyRequest();
    organizations.calls.length = 0;
    resetParentsCache();
    expect(await approve('U0BOB', id)).toEqual({ statusCode: 200, body: '' });
    expect(organizations.calls.slice(0, 3)).toEqual([LATER, PROD_OU, WORKLOADS]);
    await chat.world.waiting(id, 'END');
    expect(granted()).toBe(true);
    expect((await chat.world.audit(id)).find((a) => a.transition === 'APPROVED')!.actor).toBe(`slack:${TEAM}:U0BOB:bob@example.com`);
    expect(chat.slack.of('chat.postEphemeral')).toEqual([]);
  });

  test('attack: the account moved out of Workloads/Prod before the click: the lead is refused, nothing is granted', async () => {
    const id = await readOnlyRequest();
    organizations.placement.set(LATER, [NONPROD_OU, WORKLOADS, ROOT]);
    resetParentsCache(); // a minute later: the handlers keep what they read for a minute
    const before = await chat.world.request(id);
    await approve('U0BOB', id);
    expect(chat.slack.of('chat.postEphemeral').map((m) => [m.user, m.text])).toEqual([
      ['U0BOB', 'Not approved: bob@example.com is not an approver for this account and permission set'],
    ]);
    expect(await chat.world.request(id)).toEqual(before);
    expect(chat.world.calls('Acquire', id)).toBe(0);
    expect(granted()).toBe(false);
  });

  test('attack: Organizations failing at the click records no approval (the click fails instead of guessing)', async () => {
    const id = await readOnlyRequest();
    const before = await chat.world.request(id);
    organizations.fail();
    resetParentsCache();
    await expect(approve('U0BOB', id)).rejects.toThrow(/Rate exceeded/);
    expect(await chat.world.request(id)).toEqual(before);
    expect(chat.slack.of('chat.update')).toEqual([]);
    expect(granted()).toBe(false);
  });
});

describe('approvals from Slack of a jump user\'s request whose jump rules follow Workloads/Prod (run locally)', () => {
  const { root: ROOT, workloads: WORKLOADS, prod: PROD_OU, nonProd: NONPROD_OU, later: LATER } = EXAMPLE_PLACES;
  const ROLE = 'lz-elevated-power';
  // stored as the construct stores rules that follow OUs: no accounts, decided from Organizations alone
  const scope = { accounts: [], organizationalUnits: [{ id: PROD_OU, recursive: true }], excludedAccounts: [] };
  const jump: JumpAccessConfig = {
    jumpAccountId: '111111111111',
    partition: 'aws',
    elevatedSessionSeconds: 3600,
    eligibility: [{ name: 'vendors', principals: [{ type: 'GROUP', name: 'vendors' }], roles: [ROLE], maxDurationSeconds: 3600, approvals: 1, justificationRequired: false, ...scope }],
    approverRules: [{ name: 'leads', jumpApprovers: [], identityCenterApprovers: [{ type: 'GROUP', id: GROUP_LEADS }], roles: [ROLE], ...scope }],
  };
  const chat = followingChat(() => chatStack().stack, async (world) => {
    const config = await loadConfig();
    await world.put('requests', { requestId: '#config', config: JSON.stringify({ ...config, jump }) });
    resetConfigCache();
  });
  const { organizations } = chat;

  async function jumpRequest(): Promise<string> {
    const requestId = '00000000-0000-4000-8000-000000000042';
    await chat.world.put('requests', storedJumpRequest(requestId, {
      groupIds: ['vendors'], accountId: LATER, permissionSetArn: `arn:aws:iam::${LATER}:role/${ROLE}`, durationSeconds: 600, justification: undefined,
    }));
    return requestId;
  }
  const approve = (user: string, id: string) => chatHandler(interaction(blockActions(user, 'approve', id)));

  test('an Identity Center lead approves in Slack while Organizations places the account under the OU', async () => {
    const id = await jumpRequest();
    expect(await approve('U0BOB', id)).toEqual({ statusCode: 200, body: '' });
    expect(organizations.calls.slice(0, 3)).toEqual([LATER, PROD_OU, WORKLOADS]);
    expect(await chat.world.request(id)).toMatchObject({ status: 'APPROVED', approvals: new Set([USERS.bob.id]) });
    expect(chat.slack.of('chat.postEphemeral')).toEqual([]);
  });

  test('attack: the account moved out of the OU before the click: the lead is refused, nothing recorded', async () => {
    const id = await jumpRequest();
    organizations.placement.set(LATER, [NONPROD_OU, WORKLOADS, ROOT]);
    const before = await chat.world.request(id);
    await approve('U0BOB', id);
    expect(chat.slack.of('chat.postEphemeral').map((m) => [m.user, m.text])).toEqual([
      ['U0BOB', 'Not approved: bob@example.com is not an approver for this account and permission set'],
    ]);
    expect(await chat.world.request(id)).toEqual(before);
  });
});

describe('ElevatedAccessWorkflow approvals from Slack under cdk-nag\'s packs', () => {
  test('the Slack endpoint adds no open AwsSolutions, HIPAA Security or NIST 800-53 R5 finding', () => {
    const { stack } = chatStack();
    const app = stack.node.root as App;
    app.synth();
    const open = [new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app)]
      .flatMap((pack) => pack.validateScope(app).violations)
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}`))
      .filter((f) => /ChatApprovals/.test(f));
    expect(open).toEqual([]);
  });
});
