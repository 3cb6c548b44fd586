// The API for jump-account IAM users (access-api.lambda.ts): the real handler on the DynamoDB-compatible server,
// IAM (the group reader) and STS mocked with aws-sdk-client-mock. The caller is the SigV4 signer API Gateway hands
// over (`requestContext.identity.userArn`); groups are read from IAM at the call.
import './env';
import { ListGroupsForUserCommand } from '@aws-sdk/client-iam';
import { HOST_ACCOUNT } from './ids';
import { CONFIG, DELETED_USER, DEV, JUMP, jumpWorld, JumpWorld, JUSTIFICATION, PROD, PS } from './jump-world';
import { callApi, USERS } from './world';
import { getRequest } from '../../src/elevated-access/handlers/store';

let jw: JumpWorld;
beforeAll(async () => {
  jw = await jumpWorld();
});
afterAll(() => jw.restore());

const jumpUser = (name: string, account = JUMP) => `arn:aws:iam::${account}:user/vendors/${name}`;
const icUser = (name: string) => `arn:aws:sts::${HOST_ACCOUNT}:assumed-role/AWSReservedSSO_lz-access-approver_0123456789abcdef/${name}`;
const ask = { accountId: PROD, permissionLevel: 'Power', durationMinutes: 120, justification: JUSTIFICATION };

async function requestAsAlice(): Promise<string> {
  const res = await callApi(jumpUser('acme-alice'), 'POST', '/requests', { body: ask });
  expect(res.status).toBe(201);
  return res.body.requestId;
}

describe('ElevatedAccessWorkflow API for jump-account users', () => {
  test('a jump user requests a permission level: the signer is the requester, never the body', async () => {
    // WHEN: acme-alice signs; the body claims to be globex-bob asking for another role
    const res = await callApi(jumpUser('acme-alice'), 'POST', '/requests', {
      body: { ...ask, requesterId: 'jump:globex-bob', requesterName: 'globex-bob', elevatedRoleName: 'lz-elevated-admin', grantKind: 'IDENTITY_CENTER' },
    });
    // THEN: the request is alice's, for the Power role of that account, decided by the jump rule
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ requiredApprovals: 2, maxDurationSeconds: 7200, matchedRules: ['vendors-power'], elevatedRoleName: 'lz-elevated-power' });
    expect(await getRequest(res.body.requestId)).toMatchObject({
      status: 'PENDING_APPROVAL',
      grantKind: 'JUMP',
      requesterId: 'jump:acme-alice',
      requesterName: 'acme-alice',
      requesterArn: jumpUser('acme-alice'),
      groupIds: ['vendors'],
      accountId: PROD,
      elevatedRoleName: 'lz-elevated-power',
      permissionSetArn: `arn:aws:iam::${PROD}:role/lz-elevated-power`,
      durationSeconds: 7200,
      requiredApprovals: 2,
    });
    // the execution is started as for Identity Center requests, and the groups were read from IAM for alice
    expect(jw.started).toContain(res.body.requestId);
    expect(jw.iam.commandCalls(ListGroupsForUserCommand).map((c) => c.args[0].input.UserName)).toContain('acme-alice');
  });

  test('fails for a level, an account or a duration no jump rule gives, and for a user no rule names', async () => {
    const before = jw.started.length;
    const alice = jumpUser('acme-alice');
    const admin = await callApi(alice, 'POST', '/requests', { body: { ...ask, permissionLevel: 'Admin' } });
    expect(admin).toMatchObject({ status: 400, body: { message: "permission level 'Admin' (role lz-elevated-admin) is granted by no jump rule; levels: power" } });
    const dev = await callApi(alice, 'POST', '/requests', { body: { ...ask, accountId: DEV } });
    expect(dev).toMatchObject({ status: 400, body: { message: `no eligibility rule allows jump user 'acme-alice' role 'lz-elevated-power' on account '${DEV}'` } });
    expect((await callApi(alice, 'POST', '/requests', { body: { ...ask, durationMinutes: 180 } })).body.message).toMatch(/exceeds the maximum of 7200s/);
    expect((await callApi(alice, 'POST', '/requests', { body: { ...ask, permissionSet: 'Admin' } })).status).toBe(400);
    expect((await callApi(jumpUser('acme-carol'), 'POST', '/requests', { body: ask })).body.message).toMatch(/no eligibility rule allows jump user 'acme-carol'/);
    // all or nothing: one refused account refuses the call
    expect((await callApi(alice, 'POST', '/requests', { body: { ...ask, accountId: undefined, accountIds: [PROD, DEV] } })).body.message).toMatch(/^account 555555555502: /);
    expect(jw.started.length).toBe(before);
  });

  test('approvers are jump users and Identity Center users of the jump approver rules, never the requester, each once', async () => {
    const id = await requestAsAlice();
    // the requester, a jump user no approver rule names, and an Identity Center user outside the leads cannot approve
    expect(await callApi(jumpUser('acme-alice'), 'POST', '/requests/{requestId}/approve', { requestId: id })).toMatchObject({ status: 403, body: { message: 'requesters cannot approve their own request' } });
    expect((await callApi(jumpUser('mallory'), 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(403);
    expect((await callApi(icUser('alice'), 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(403);
    // a jump lead approves once; a second approval by the same lead is not counted
    expect(await callApi(jumpUser('globex-bob'), 'POST', '/requests/{requestId}/approve', { requestId: id })).toMatchObject({ status: 200, body: { approvals: 1, requiredApprovals: 2 } });
    expect((await callApi(jumpUser('globex-bob'), 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(409);
    // an Identity Center lead completes the quorum
    expect(await callApi(icUser('bob'), 'POST', '/requests/{requestId}/approve', { requestId: id })).toMatchObject({ status: 200, body: { approvals: 2 } });
    const r = await getRequest(id);
    expect(r?.status).toBe('APPROVED');
    expect([...(r?.approvals ?? [])].sort()).toEqual(['jump:globex-bob', USERS.bob.id].sort());
  });

  test('a jump user lists, reads and cancels their own requests; others may not', async () => {
    const id = await requestAsAlice();
    const mine = await callApi(jumpUser('acme-alice'), 'GET', '/requests', { query: { view: 'mine' } });
    expect(mine.body.requests.map((r: any) => r.requestId)).toContain(id);
    expect((await callApi(jumpUser('globex-bob'), 'GET', '/requests', { query: { view: 'approvable' } })).body.requests.map((r: any) => r.requestId)).toContain(id);
    expect((await callApi(jumpUser('acme-alice'), 'GET', '/requests/{requestId}', { requestId: id })).body).toMatchObject({ requestId: id, elevatedRoleName: 'lz-elevated-power' });
    expect((await callApi(jumpUser('acme-dave'), 'GET', '/requests/{requestId}', { requestId: id })).status).toBe(403);
    expect((await callApi(jumpUser('globex-bob'), 'POST', '/requests/{requestId}/cancel', { requestId: id })).status).toBe(403);
    expect(await callApi(jumpUser('acme-alice'), 'POST', '/requests/{requestId}/cancel', { requestId: id })).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
  });

  test('a jump user never approves an Identity Center request, even with a group named like an approver group id', async () => {
    const requestId = '00000000-0000-4000-8000-000000000001';
    await jw.world.put('requests', {
      requestId,
      status: 'PENDING_APPROVAL',
      requesterId: USERS.alice.id,
      requesterName: 'alice',
      requesterArn: icUser('alice'),
      accountId: PROD,
      permissionSetArn: PS,
      instanceArn: 'arn:aws:sso:::instance/ssoins-1',
      durationSeconds: 600,
      requiredApprovals: 1,
      createdAt: new Date().toISOString(),
      pendingExpiresAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect((await callApi(jumpUser('mallory'), 'POST', '/requests/{requestId}/approve', { requestId })).status).toBe(403);
    // while an Identity Center lead may
    expect((await callApi(icUser('carol'), 'POST', '/requests/{requestId}/approve', { requestId })).status).toBe(200);
  });

  test('fails with a clear 403 for a jump caller without jump rules or from another account', async () => {
    const other = await callApi(jumpUser('acme-alice', '999999999999'), 'POST', '/requests', { body: ask });
    expect(other).toMatchObject({ status: 403, body: { message: `iam user ${jumpUser('acme-alice', '999999999999')} is not in the jump account ${JUMP}` } });
    const gone = await callApi(jumpUser(DELETED_USER), 'GET', '/requests');
    expect(gone).toMatchObject({ status: 403, body: { message: `iam user ${jumpUser(DELETED_USER)} no longer exists in the jump account` } });
    await jw.useConfig({ ...CONFIG, jump: undefined });
    try {
      const none = await callApi(jumpUser('acme-alice'), 'POST', '/requests', { body: ask });
      expect(none).toMatchObject({ status: 403, body: { message: expect.stringMatching(/gives jump-account users no elevated access \(no jump rules\)/) } });
    } finally {
      await jw.useConfig(CONFIG);
    }
  });

  test('Identity Center users keep naming permission sets: a permission level is refused', async () => {
    const res = await callApi(icUser('alice'), 'POST', '/requests', { body: ask });
    expect(res).toMatchObject({ status: 400, body: { message: 'permissionLevel is for jump-account users; Identity Center users request a permissionSet' } });
  });
});
