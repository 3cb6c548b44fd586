// Jump-account users' elevated access with rules that follow OUs (`jumpAccess.followOrganizationalUnits`): the jump
// eligibility and approver rules cover the accounts AWS Organizations places under Workloads/Prod at each decision,
// accounts no list names included, and nothing when the lookup fails. The real API and step handlers on the
// DynamoDB-compatible server, IAM, STS and Organizations mocked. Named after what must not happen.
import './env';
import { EXAMPLE_PLACES, GROUP_LEADS, HOST_ACCOUNT } from './ids';
import { CONFIG, JUMP, jumpWorld, JumpWorld, JUSTIFICATION } from './jump-world';
import { OrganizationMock } from './organization-mock';
import { callApi } from './world';
import { handler as stepHandler } from '../../src/elevated-access/handlers/access-step.lambda';
import type { JumpAccessConfig } from '../../src/elevated-access/handlers/jump-grants';
import { resetParentsCache } from '../../src/elevated-access/handlers/organization-parents';
import type { AccessConfig } from '../../src/elevated-access/handlers/policy';
import { getRequest } from '../../src/elevated-access/handlers/store';

const { root: ROOT, workloads: WORKLOADS, prod: PROD_OU, nonProd: NONPROD_OU, management: MANAGEMENT } = EXAMPLE_PLACES;
const { paymentsProd: PAYMENTS, later: LATER } = EXAMPLE_PLACES;
/** Joined a team OU under Workloads/Prod after the synth. */
const NESTED = '555555555598';
const TEAM_OU = 'ou-ex01-team0001';
const UNDER_PROD = [PROD_OU, WORKLOADS, ROOT];
const ELSEWHERE = [NONPROD_OU, WORKLOADS, ROOT];

/** As the construct stores rules that follow OUs: the OU and the accounts the selection leaves out, no accounts. */
function following(recursive = true): JumpAccessConfig {
  const scope = { accounts: [], organizationalUnits: [{ id: PROD_OU, recursive }], excludedAccounts: [PAYMENTS] };
  return {
    ...CONFIG.jump!,
    eligibility: [{
      name: 'vendors-prod',
      principals: [{ type: 'GROUP', name: 'vendors' }],
      roles: ['lz-elevated-power'],
      maxDurationSeconds: 7200,
      approvals: 1,
      justificationRequired: true,
      ...scope,
    }],
    approverRules: [{
      name: 'leads-prod',
      jumpApprovers: [{ type: 'GROUP', name: 'vendor-leads' }],
      identityCenterApprovers: [{ type: 'GROUP', id: GROUP_LEADS }],
      roles: ['lz-elevated-power'],
      ...scope,
    }],
  };
}
const FOLLOWING: AccessConfig = { ...CONFIG, approverRules: [], refusedAccounts: [MANAGEMENT, HOST_ACCOUNT], jump: following() };

const jumpUser = (name: string) => `arn:aws:iam::${JUMP}:user/vendors/${name}`;
const icUser = (name: string) => `arn:aws:sts::${HOST_ACCOUNT}:assumed-role/AWSReservedSSO_lz-access-approver_0123456789abcdef/${name}`;
const ALICE = jumpUser('acme-alice');
const ask = (accountId: string) => ({ accountId, permissionLevel: 'Power', durationMinutes: 60, justification: JUSTIFICATION });
const refusedFor = (accountId: string) => `no eligibility rule allows jump user 'acme-alice' role 'lz-elevated-power' on account '${accountId}'`;

let jw: JumpWorld;
const organizations = new OrganizationMock();
const { placement, calls } = organizations;
beforeAll(async () => {
  jw = await jumpWorld();
});
beforeEach(async () => {
  await jw.useConfig(FOLLOWING);
  resetParentsCache();
  organizations.reset();
  placement.set(LATER, UNDER_PROD);
  placement.set(NESTED, [TEAM_OU, ...UNDER_PROD]);
});
afterAll(() => {
  organizations.restore();
  jw.restore();
});

async function request(accountId: string = LATER): Promise<string> {
  const res = await callApi(ALICE, 'POST', '/requests', { body: ask(accountId) });
  expect(res.status).toBe(201);
  return res.body.requestId;
}

/** Organizations places the account elsewhere a minute later (the handlers keep what they read for a minute). */
function moveOut(accountId: string = LATER): void {
  placement.set(accountId, ELSEWHERE);
  resetParentsCache();
}

/** The call is refused: nothing stored, no execution started. */
async function expectRefused(call: () => Promise<{ status: number; body: any }>, status = 400, message?: string): Promise<void> {
  const stored = (await jw.world.items('requests')).length;
  const started = jw.started.length;
  const res = await call();
  expect(res.status).toBe(status);
  if (message) expect(res.body.message).toBe(message);
  expect((await jw.world.items('requests')).length).toBe(stored);
  expect(jw.started.length).toBe(started);
}

describe('jump rules that follow Workloads/Prod: requests', () => {
  test('a jump user\'s request for an account no list names is accepted where Organizations places it under the OU', async () => {
    const res = await callApi(ALICE, 'POST', '/requests', { body: ask(LATER) });
    expect(res).toMatchObject({ status: 201, body: { accountId: LATER, matchedRules: ['vendors-prod'], requiredApprovals: 1, elevatedRoleName: 'lz-elevated-power' } });
    expect(await getRequest(res.body.requestId)).toMatchObject({ grantKind: 'JUMP', accountId: LATER, status: 'PENDING_APPROVAL' });
    expect(jw.started).toContain(res.body.requestId);
    // the parents read up to the root
    expect(calls).toEqual([LATER, PROD_OU, WORKLOADS]);
  });

  test('an account in an OU nested under a recursive OU is accepted', async () => {
    const res = await callApi(ALICE, 'POST', '/requests', { body: ask(NESTED) });
    expect(res).toMatchObject({ status: 201, body: { accountId: NESTED, matchedRules: ['vendors-prod'] } });
  });

  test('attack: an account nested under an OU that is not recursive is refused', async () => {
    await jw.useConfig({ ...FOLLOWING, jump: following(false) });
    await expectRefused(() => callApi(ALICE, 'POST', '/requests', { body: ask(NESTED) }), 400, refusedFor(NESTED));
    // while the OU's own accounts are covered
    expect((await callApi(ALICE, 'POST', '/requests', { body: ask(LATER) })).status).toBe(201);
  });

  test('attack: an account Organizations places elsewhere, or does not know, is refused', async () => {
    placement.set('444444444499', ELSEWHERE);
    for (const account of ['444444444499', '123456789012']) {
      await expectRefused(() => callApi(ALICE, 'POST', '/requests', { body: ask(account) }), 400, refusedFor(account));
    }
  });

  test('attack: an account moved out of the OU is refused once the minute the parents are kept has passed', async () => {
    await request(LATER);
    moveOut();
    await expectRefused(() => callApi(ALICE, 'POST', '/requests', { body: ask(LATER) }), 400, refusedFor(LATER));
  });

  test('attack: an account the selection excluded, placed under the OU, is refused', async () => {
    placement.set(PAYMENTS, UNDER_PROD);
    await expectRefused(() => callApi(ALICE, 'POST', '/requests', { body: ask(PAYMENTS) }), 400, refusedFor(PAYMENTS));
  });

  test('attack: the jump account placed under the OU is refused (no elevated role is ever granted there)', async () => {
    placement.set(JUMP, UNDER_PROD);
    await expectRefused(() => callApi(ALICE, 'POST', '/requests', { body: ask(JUMP) }), 400, refusedFor(JUMP));
  });

  test('attack: the management and the host account placed under the OU are refused', async () => {
    for (const account of [MANAGEMENT, HOST_ACCOUNT]) {
      placement.set(account, UNDER_PROD);
      await expectRefused(() => callApi(ALICE, 'POST', '/requests', { body: ask(account) }), 400, refusedFor(account));
    }
  });

  test('attack: the host account is refused even when the configuration does not name it (CALLER_ACCOUNT)', async () => {
    await jw.useConfig({ ...FOLLOWING, refusedAccounts: [MANAGEMENT] });
    placement.set(HOST_ACCOUNT, UNDER_PROD);
    await expectRefused(() => callApi(ALICE, 'POST', '/requests', { body: ask(HOST_ACCOUNT) }), 400, refusedFor(HOST_ACCOUNT));
  });

  test('attack: several accounts, one of them elsewhere, are refused all together', async () => {
    placement.set('444444444499', ELSEWHERE);
    await expectRefused(() => callApi(ALICE, 'POST', '/requests', { body: { ...ask(LATER), accountId: undefined, accountIds: [LATER, '444444444499'] } }),
      400, `account 444444444499: ${refusedFor('444444444499')}`);
  });

  test('attack: Organizations failing refuses the request: nothing stored, no execution started', async () => {
    organizations.fail();
    await expectRefused(() => callApi(ALICE, 'POST', '/requests', { body: ask(LATER) }), 500, 'internal error');
  });
});

describe('jump rules that follow Workloads/Prod: approvers', () => {
  test('a jump lead and an Identity Center lead approve while the account is under the OU', async () => {
    for (const approver of [jumpUser('globex-bob'), icUser('bob')]) {
      const id = await request();
      resetParentsCache();
      calls.length = 0;
      expect(await callApi(approver, 'POST', '/requests/{requestId}/approve', { requestId: id })).toMatchObject({ status: 200, body: { approvals: 1, requiredApprovals: 1 } });
      // the approver's eligibility was read from where Organizations places the account now
      expect(calls).toEqual([LATER, PROD_OU, WORKLOADS]);
      expect((await getRequest(id))?.status).toBe('APPROVED');
    }
  });

  test('attack: the account moved out of the OU before the approval: neither lead may approve or reject, nothing recorded', async () => {
    const id = await request();
    moveOut();
    for (const approver of [jumpUser('globex-bob'), icUser('bob')]) {
      expect(await callApi(approver, 'POST', '/requests/{requestId}/approve', { requestId: id })).toMatchObject({ status: 403, body: { message: expect.stringMatching(/is not an approver for this account/) } });
      expect((await callApi(approver, 'POST', '/requests/{requestId}/reject', { requestId: id })).status).toBe(403);
    }
    expect(await getRequest(id)).toMatchObject({ status: 'PENDING_APPROVAL' });
    expect((await getRequest(id))?.approvals).toBeUndefined();
  });

  test('the approvable list shows the request while the account is under the OU, and not after it moved out', async () => {
    const id = await request();
    const approvable = async (approver: string) => (await callApi(approver, 'GET', '/requests', { query: { view: 'approvable' } })).body.requests.map((r: any) => r.requestId);
    expect(await approvable(jumpUser('globex-bob'))).toContain(id);
    expect(await approvable(icUser('bob'))).toContain(id);
    moveOut();
    expect(await approvable(jumpUser('globex-bob'))).not.toContain(id);
    expect(await approvable(icUser('bob'))).not.toContain(id);
  });

  test('attack: Organizations failing at the approval records no approval', async () => {
    const id = await request();
    organizations.fail();
    resetParentsCache();
    expect((await callApi(jumpUser('globex-bob'), 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(500);
    expect(await getRequest(id)).toMatchObject({ status: 'PENDING_APPROVAL' });
    expect((await getRequest(id))?.approvals).toBeUndefined();
  });

  test('the requester reads and cancels their own request without calling Organizations', async () => {
    const id = await request();
    resetParentsCache();
    calls.length = 0;
    expect(await callApi(ALICE, 'GET', '/requests/{requestId}', { requestId: id })).toMatchObject({ status: 200, body: { requestId: id } });
    expect(calls).toEqual([]);
    // even while Organizations fails
    organizations.fail();
    expect(await callApi(ALICE, 'POST', '/requests/{requestId}/cancel', { requestId: id })).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    // while an approver's read is a decision: it fails instead of guessing
    expect((await callApi(jumpUser('globex-bob'), 'GET', '/requests/{requestId}', { requestId: id })).status).toBe(500);
  });
});

describe('jump rules that follow Workloads/Prod: the steps of the execution', () => {
  async function approved(): Promise<string> {
    const id = await request();
    expect((await callApi(jumpUser('globex-bob'), 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(200);
    resetParentsCache();
    return id;
  }

  test('the validation and the recheck before the grant pass while the account is under the OU', async () => {
    const id = await request();
    resetParentsCache();
    await expect(stepHandler({ action: 'validate', requestId: id })).resolves.toMatchObject({ approvalRequired: true, grantKind: 'JUMP', accountId: LATER });
    expect((await callApi(jumpUser('globex-bob'), 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(200);
    resetParentsCache();
    calls.length = 0;
    await expect(stepHandler({ action: 'recheck', requestId: id })).resolves.toEqual({});
    expect(calls).toEqual([LATER, PROD_OU, WORKLOADS]);
  });

  test('attack: the account moved out after the approval is refused at the recheck before the grant', async () => {
    const id = await approved();
    moveOut();
    const outcome = stepHandler({ action: 'recheck', requestId: id });
    await expect(outcome).rejects.toThrow(refusedFor(LATER));
    await expect(outcome).rejects.toHaveProperty('name', 'PolicyError');
  });

  test('attack: the approver rule no longer covering the account (excluded now) fails the quorum at the recheck', async () => {
    const id = await approved();
    // eligibility still follows the OU, but the approvers' rule now leaves the account out
    const jump = following();
    await jw.useConfig({ ...FOLLOWING, jump: { ...jump, approverRules: [{ ...jump.approverRules[0], excludedAccounts: [PAYMENTS, LATER] }] } });
    await expect(stepHandler({ action: 'recheck', requestId: id })).rejects.toThrow('0 of the 1 approvals needed are by people who are still approvers for this account and role');
  });

  test('attack: the validation refuses an account moved out before the execution started', async () => {
    const id = await request();
    moveOut();
    await expect(stepHandler({ action: 'validate', requestId: id })).rejects.toThrow(refusedFor(LATER));
    expect((await getRequest(id))?.status).toBe('PENDING_APPROVAL');
  });

  test('the jump decisions invoked by their own names read Organizations too', async () => {
    const id = await approved();
    await expect(stepHandler({ action: 'jumpRecheck', requestId: id })).resolves.toEqual({});
    moveOut();
    await expect(stepHandler({ action: 'jumpRecheck', requestId: id })).rejects.toThrow(refusedFor(LATER));
    await expect(stepHandler({ action: 'jumpValidate', requestId: id })).rejects.toThrow(refusedFor(LATER));
  });

  test('attack: Organizations failing at the recheck fails the step instead of granting', async () => {
    const id = await approved();
    organizations.fail();
    await expect(stepHandler({ action: 'recheck', requestId: id })).rejects.toThrow(/Rate exceeded/);
  });

  test('the steps after the grant never wait on Organizations', async () => {
    const id = await approved();
    calls.length = 0;
    await expect(stepHandler({ action: 'jumpReleased', requestId: id })).resolves.toEqual({ failed: false });
    expect(calls).toEqual([]);
  });
});
