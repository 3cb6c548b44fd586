import { Stack } from 'aws-cdk-lib';
import { ADMIN, READ_ONLY, workflowStack } from './fixture';
import { storedRequest, USERS, World } from './world';

const PROD_SHOP = '555555555501';
const NONPROD_SHOP = '444444444401';
const keyOf = (user: string, ps: string, account = PROD_SHOP) => `${USERS[user].id}|${ps}|${account}`;
const readOnlyBody = (extra: Record<string, unknown> = {}) => ({
  accountId: PROD_SHOP, permissionSet: 'ProdReadOnly', durationMinutes: 60, justification: 'investigate INC-1 latency', ...extra,
});
const adminBody = (extra: Record<string, unknown> = {}) => ({
  accountId: PROD_SHOP, permissionSet: 'ProdAdmin', durationMinutes: 30, ticketId: 'INC-42', justification: 'restart the payment workers', ...extra,
});


describe('ElevatedAccessWorkflow state machine (synthesized definition, run locally)', () => {
  let stack: Stack;
  let world: World;
  beforeAll(() => {
    stack = workflowStack().stack;
  });
  beforeEach(async () => {
    world = await World.create(stack);
  });
  afterEach(() => world.restore());

  async function request(user: string, body: Record<string, unknown>): Promise<string> {
    const created = await world.call(user, 'POST', '/requests', { body });
    expect(created.status).toBe(201);
    return created.body.requestId;
  }

  async function activeGrant(body = readOnlyBody()): Promise<string> {
    const id = await request('alice', body);
    await world.waiting(id, 'APPROVAL');
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(200);
    await world.waiting(id, 'END');
    return id;
  }

  test('approve -> grant -> revoke', async () => {
    // GIVEN
    const id = await request('alice', readOnlyBody());
    await world.waiting(id, 'APPROVAL');
    expect(world.assignments.size).toBe(0);

    // WHEN
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(200);
    await world.waiting(id, 'END');

    // THEN: granted only once Identity Center confirmed it, then revoked at the end and the deletion confirmed
    expect(world.assignments.has(keyOf('alice', READ_ONLY.permissionSetArn))).toBe(true);
    expect((await world.request(id))).toMatchObject({ status: 'ACTIVE', assignmentRequestId: 'create-1' });
    world.timeOut(id);
    await world.executions.get(id);
    expect(world.assignments.size).toBe(0);
    expect((await world.request(id)).status).toBe('REVOKED');
    expect(world.transitions(id)).toEqual(['REQUESTED', 'APPROVAL_RECORDED', 'APPROVED', 'GRANTED', 'REVOKED']);
    expect(world.calls('DescribeCreation', id)).toBe(2);
    expect(world.calls('DescribeDeletion', id)).toBe(2);
    // one audit record per transition, with actor, time and the assignment request id
    const audit = (await world.audit(id));
    expect(audit.map((a) => a.transition).sort()).toEqual(['APPROVAL_RECORDED', 'APPROVED', 'GRANTED', 'REQUESTED', 'REVOKED']);
    expect(audit.find((a) => a.transition === 'GRANTED')).toMatchObject({
      actor: 'workflow',
      assignmentRequestId: 'create-1',
      sessionQuery: { logGroupName: 'org-trail', roleNamePattern: 'AWSReservedSSO_ProdReadOnly_*' },
    });
    expect(audit.find((a) => a.transition === 'APPROVED')!.actor).toMatch(/assumed-role\/.*\/bob$/);
    expect(audit.find((a) => a.transition === 'REVOKED')).toMatchObject({ assignmentRequestId: 'delete-1', reason: 'duration ended' });
  });

  test('reject', async () => {
    // GIVEN
    const id = await request('alice', readOnlyBody());
    await world.waiting(id, 'APPROVAL');

    // WHEN
    const res = await world.call('bob', 'POST', '/requests/{requestId}/reject', { requestId: id, body: { reason: 'not during the freeze' } });
    await world.executions.get(id);

    // THEN
    expect(res.status).toBe(200);
    expect((await world.request(id)).status).toBe('REJECTED');
    expect(world.calls('CreateAssignment', id)).toBe(0);
    expect(world.transitions(id)).toEqual(['REQUESTED', 'REJECTED']);
    expect((await world.audit(id)).find((a) => a.transition === 'REJECTED')).toMatchObject({ reason: 'not during the freeze', actor: expect.stringMatching(/\/bob$/) });
  });

  test('pending expiry', async () => {
    // GIVEN
    const id = await request('alice', readOnlyBody());
    await world.waiting(id, 'APPROVAL');

    // WHEN: nobody decides before the pending expiry
    world.timeOut(id);
    await world.executions.get(id);

    // THEN
    expect((await world.request(id)).status).toBe('EXPIRED');
    expect(world.calls('CreateAssignment', id)).toBe(0);
    expect(world.transitions(id)).toEqual(['REQUESTED', 'EXPIRED']);
    // a late approval changes nothing
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(409);
  });

  test('grant FAILED: request failed, requester told, alarm metric', async () => {
    // GIVEN
    world.sso.creation = ['IN_PROGRESS', 'FAILED'];
    const out = jest.spyOn(process.stdout, 'write');
    const id = await request('alice', readOnlyBody());
    await world.waiting(id, 'APPROVAL');

    // WHEN
    await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id });

    // THEN: the execution fails (ExecutionsFailed alarm), the request is FAILED, nobody holds a reference
    await expect(world.executions.get(id)).rejects.toThrow(/Identity Center did not confirm the assignment/);
    expect((await world.request(id)).status).toBe('FAILED');
    expect(world.calls('Activate', id)).toBe(0);
    expect(world.transitions(id)).toContain('GRANT_FAILED');
    expect(world.transitions(id)).not.toContain('GRANTED');
    expect((await world.grants())[0].activeRequests).toBeUndefined();
    const audiences = world.notices.map((n) => n.MessageAttributes.audience.StringValue);
    expect(audiences).toEqual(expect.arrayContaining(['requester', 'operators']));
    expect(out.mock.calls.some(([s]) => String(s).includes('"GrantFailures":1'))).toBe(true);
    out.mockRestore();
  });

  test('revoke throttled then succeeding', async () => {
    // GIVEN
    const id = await activeGrant();
    world.sso.deleteErrors = ['SsoAdmin.ThrottlingException', 'SsoAdmin.ThrottlingException', 'SsoAdmin.ConflictException'];

    // WHEN
    world.timeOut(id);
    await world.executions.get(id);

    // THEN: retried with backoff, no failure recorded
    expect(world.calls('DeleteAssignment', id)).toBe(4);
    expect(world.calls('RevokeFailed', id)).toBe(0);
    expect(world.assignments.size).toBe(0);
    expect((await world.request(id)).status).toBe('REVOKED');
  });

  test('revoke failing repeatedly -> alarm each round, retried until it succeeds', async () => {
    // GIVEN: every delete is refused for two rounds of retries
    const id = await activeGrant();
    world.sso.deleteErrors = Array(12).fill('SsoAdmin.AccessDeniedException');
    const out = jest.spyOn(process.stdout, 'write');

    // WHEN
    world.timeOut(id);
    await world.executions.get(id);

    // THEN: each exhausted round raised the alarm metric and an event; the revoke never gave up
    expect(world.calls('DeleteAssignment', id)).toBe(13);
    expect(world.calls('RevokeFailed', id)).toBe(2);
    expect(world.transitions(id).filter((t) => t === 'REVOKE_FAILED')).toHaveLength(2);
    expect(out.mock.calls.filter(([s]) => String(s).includes('"RevokeFailures":1'))).toHaveLength(2);
    out.mockRestore();
    expect(world.assignments.size).toBe(0);
    expect((await world.request(id)).status).toBe('REVOKED');
  });

  test('an execution stopped after the grant: the reconciler tells it is dead, deletes and confirms, fails the request', async () => {
    // GIVEN: the execution is stopped while it waits for the end of the grant
    const id = await activeGrant();
    expect(world.assignments.size).toBe(1);
    world.abortAt = 'ReleaseOwner';
    world.timeOut(id);
    await world.executions.get(id);
    expect(world.status.get(id)).toBe('ABORTED');
    expect(world.assignments.size).toBe(1);

    // WHEN
    const result = await world.reconcile();

    // THEN
    const key = `${USERS.alice.id}#${READ_ONLY.permissionSetArn}#${PROD_SHOP}`;
    expect(result).toMatchObject({ failedRequests: [id], takenOver: [key], removed: [key] });
    expect(world.assignments.size).toBe(0);
    expect((await world.request(id))).toMatchObject({ status: 'FAILED', failureReason: expect.stringMatching(/execution ended/) });
    expect(world.events.some((e) => e.detail.transition === 'ORPHAN_REMOVED')).toBe(true);
    expect((await world.grants())[0].ownerRequestId).toBeUndefined();
    // a live execution is left alone
    const live = await activeGrant(readOnlyBody({ justification: 'second look at INC-1 latency' }));
    expect((await world.reconcile()).removed).toEqual([]);
    expect(world.assignments.size).toBe(1);
    world.timeOut(live);
    await world.executions.get(live);
    expect(world.assignments.size).toBe(0);
  });

  test('two overlapping grants keep the assignment until the last one ends', async () => {
    // GIVEN
    const first = await activeGrant();
    const second = await activeGrant(readOnlyBody({ justification: 'second look at INC-1 latency' }));
    const key = keyOf('alice', READ_ONLY.permissionSetArn);
    expect(world.assignments.has(key)).toBe(true);
    expect(world.calls('CreateAssignment', second)).toBe(0); // joined the first grant's assignment

    // WHEN: the first (the owner) ends
    world.timeOut(first);
    while (world.calls('ReleaseOwner', first) < 2) await new Promise((r) => setTimeout(r, 5));

    // THEN: the second still has access; the owner waits for it
    expect(world.calls('DeleteAssignment', first)).toBe(0);
    expect(world.assignments.has(key)).toBe(true);
    expect((await world.request(first)).status).toBe('REVOKING');

    // WHEN: the second ends
    world.timeOut(second);
    await world.executions.get(second);
    await world.executions.get(first);

    // THEN: the owner deleted it, once
    expect(world.calls('DeleteAssignment', first)).toBe(1);
    expect(world.calls('DeleteAssignment', second)).toBe(0);
    expect(world.assignments.has(key)).toBe(false);
    expect((await world.request(first)).status).toBe('REVOKED');
    expect((await world.request(second)).status).toBe('REVOKED');

    // a consecutive grant creates it again
    const third = await activeGrant(readOnlyBody({ justification: 'third look at INC-1 latency' }));
    expect(world.assignments.has(key)).toBe(true);
    world.timeOut(third);
    await world.executions.get(third);
    expect(world.assignments.has(key)).toBe(false);
  });

  test('standing access is never deleted by the workflow', async () => {
    // GIVEN: alice already holds the assignment
    const key = keyOf('alice', READ_ONLY.permissionSetArn);
    world.assignments.add(key);

    // WHEN
    const id = await activeGrant();
    world.timeOut(id);
    await world.executions.get(id);

    // THEN
    expect(world.calls('CreateAssignment', id)).toBe(0);
    expect(world.calls('DeleteAssignment', id)).toBe(0);
    expect(world.assignments.has(key)).toBe(true);
    expect((await world.reconcile()).removed).toEqual([]);
    expect(world.assignments.has(key)).toBe(true);
  });

  test('early revoke ends the timer so nothing revokes twice', async () => {
    // GIVEN
    const id = await activeGrant();

    // WHEN
    const res = await world.call('alice', 'POST', '/requests/{requestId}/revoke', { requestId: id, body: { reason: 'done' } });
    await world.executions.get(id);

    // THEN
    expect(res.status).toBe(202);
    expect(world.assignments.size).toBe(0);
    expect(world.calls('DeleteAssignment', id)).toBe(1);
    expect(world.transitions(id).filter((t) => t === 'REVOKED')).toHaveLength(1);
    expect((await world.audit(id)).find((a) => a.transition === 'REVOKED')!.reason).toBe('revoked early');
    // the original timer is gone: its timeout can no longer fire
    expect(() => world.timeOut(id)).toThrow(/no longer waiting/);
    expect((await world.call('alice', 'POST', '/requests/{requestId}/revoke', { requestId: id })).status).toBe(409);
  });

  test('self-approval refused', async () => {
    // GIVEN: erin is both on call and a lead
    const id = await request('erin', readOnlyBody());
    await world.waiting(id, 'APPROVAL');

    // WHEN
    const res = await world.call('erin', 'POST', '/requests/{requestId}/approve', { requestId: id });

    // THEN
    expect(res).toMatchObject({ status: 403, body: { message: expect.stringMatching(/cannot approve their own request/) } });
    expect((await world.request(id)).status).toBe('PENDING_APPROVAL');
    expect((await world.request(id)).approvals).toBeUndefined();
    expect(world.calls('Acquire', id)).toBe(0);
    // another lead can
    await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id });
    await world.waiting(id, 'END');
  });

  test('2-of-3 quorum', async () => {
    // GIVEN
    const id = await request('alice', adminBody());
    await world.waiting(id, 'APPROVAL');

    // WHEN: one approval, then the same approver again
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).body).toMatchObject({ approvals: 1, requiredApprovals: 2 });
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(409);

    // THEN: still pending, nothing granted
    expect((await world.request(id)).status).toBe('PENDING_APPROVAL');
    expect(world.calls('Acquire', id)).toBe(0);

    // WHEN: a second, distinct approver
    await world.call('carol', 'POST', '/requests/{requestId}/approve', { requestId: id });
    await world.waiting(id, 'END');

    // THEN
    expect(world.assignments.has(keyOf('alice', ADMIN.permissionSetArn))).toBe(true);
    expect(world.transitions(id)).toEqual(['REQUESTED', 'APPROVAL_RECORDED', 'APPROVAL_RECORDED', 'APPROVED', 'GRANTED']);
    expect([...(await world.request(id)).approvals].sort()).toEqual([USERS.bob.id, USERS.carol.id].sort());
  });

  test('duration over the maximum refused', async () => {
    // WHEN: through the API
    const res = await world.call('alice', 'POST', '/requests', { body: readOnlyBody({ durationMinutes: 241 }) });
    // THEN
    expect(res).toMatchObject({ status: 400, body: { message: expect.stringMatching(/duration 14460s exceeds the maximum of 14400s/) } });

    // WHEN: a request stored without the API still meets the backend check in the execution
    const { execution: direct } = await world.startDirect(storedRequest('direct-duration', { durationSeconds: 5 * 3600 }));
    // THEN
    await expect(direct).rejects.toThrow(/duration 18000s exceeds the maximum of 14400s/);
    expect(world.calls('RecordRefused', 'direct-duration')).toBe(1);
    expect(world.calls('Acquire', 'direct-duration')).toBe(0);
    expect((await world.request('direct-duration')).status).toBe('REJECTED');
  });

  test('missing ticket refused by the backend', async () => {
    // WHEN
    const res = await world.call('alice', 'POST', '/requests', { body: adminBody({ ticketId: undefined }) });
    const bad = await world.call('alice', 'POST', '/requests', { body: adminBody({ ticketId: 'JIRA-1' }) });
    // THEN
    expect(res).toMatchObject({ status: 400, body: { message: expect.stringMatching(/a ticket id matching .* is required/) } });
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringMatching(/ticket id 'JIRA-1' does not match/) } });

    // WHEN: stored without the API
    const { execution: direct } = await world.startDirect(storedRequest('direct-ticket', { permissionSetArn: ADMIN.permissionSetArn, durationSeconds: 1800, requiredApprovals: 0 }));
    // THEN: refused before any approval or grant
    await expect(direct).rejects.toThrow(/a ticket id matching .* is required/);
    expect(world.calls('AwaitApproval', 'direct-ticket')).toBe(0);
    expect(world.calls('Acquire', 'direct-ticket')).toBe(0);
  });

  test('a request for an account outside the matched rule refused', async () => {
    // WHEN: alice is eligible on Prod only
    const res = await world.call('alice', 'POST', '/requests', { body: readOnlyBody({ accountId: NONPROD_SHOP }) });
    // THEN
    expect(res).toMatchObject({ status: 400, body: { message: expect.stringMatching(/no eligibility rule allows .* on account '444444444401'/) } });

    // WHEN: stored without the API
    const { execution: direct } = await world.startDirect(storedRequest('direct-account', { accountId: NONPROD_SHOP }));
    // THEN
    await expect(direct).rejects.toThrow(/no eligibility rule allows .* on account '444444444401'/);
    expect(world.calls('CreateAssignment', 'direct-account')).toBe(0);
  });

  test('one call may ask for several accounts: one request each, all checked before any is created', async () => {
    // WHEN
    const both = await world.call('alice', 'POST', '/requests', { body: readOnlyBody({ accountId: undefined, accountIds: [PROD_SHOP, '555555555502'] }) });
    const mixed = await world.call('alice', 'POST', '/requests', { body: readOnlyBody({ accountId: undefined, accountIds: ['555555555503', NONPROD_SHOP] }) });

    // THEN
    expect(both.status).toBe(201);
    expect(both.body.requests.map((r: any) => r.accountId)).toEqual([PROD_SHOP, '555555555502']);
    for (const r of both.body.requests) await world.waiting(r.requestId, 'APPROVAL');
    expect(mixed).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^account 444444444401: no eligibility rule allows/) } });
    expect((await world.items('requests')).filter((r) => r.accountId === '555555555503')).toHaveLength(0);
  });

  test('cancel while pending', async () => {
    // GIVEN
    const id = await request('alice', readOnlyBody());
    await world.waiting(id, 'APPROVAL');
    // WHEN
    expect((await world.call('bob', 'POST', '/requests/{requestId}/cancel', { requestId: id })).status).toBe(403);
    expect((await world.call('alice', 'POST', '/requests/{requestId}/cancel', { requestId: id })).status).toBe(200);
    await world.executions.get(id);
    // THEN
    expect((await world.request(id)).status).toBe('CANCELLED');
    expect(world.transitions(id)).toEqual(['REQUESTED', 'CANCELLED']);
  });

  test('scheduled start waits, and a cancel before the start grants nothing', async () => {
    // GIVEN
    const startAt = new Date(Date.now() + 3600_000).toISOString();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    world.beforeTask = async (state) => {
      if (state === 'Acquire') await gate; // the execution is past WaitForStart
    };
    const id = await request('alice', readOnlyBody({ startAt }));
    await world.waiting(id, 'APPROVAL');
    await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id });

    // WHEN
    expect((await world.call('alice', 'POST', '/requests/{requestId}/cancel', { requestId: id })).status).toBe(200);
    release();
    await world.executions.get(id);

    // THEN
    expect(world.calls('CreateAssignment', id)).toBe(0);
    expect((await world.request(id)).status).toBe('CANCELLED');
  });
});
