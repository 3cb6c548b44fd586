// Forged callbacks and approvals, run on the synthesized definition with the real handlers. states:SendTaskSuccess
// names no resource (Service Authorization Reference), so whoever reads a task token from the requests table can
// resume the approval wait: that must grant nothing. The Recheck before the grant counts only the approvals the API
// recorded in the table, by people who are approvers now, never the requester.
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { Stack } from 'aws-cdk-lib';
import { workflowStack } from './fixture';
import { storedRequest, USERS, World } from './world';

jest.setTimeout(120_000);

const PROD_SHOP = '555555555501';
const readOnlyBody = { accountId: PROD_SHOP, permissionSet: 'ProdReadOnly', durationMinutes: 60, justification: 'investigate INC-1 latency' };
const adminBody = { accountId: PROD_SHOP, permissionSet: 'ProdAdmin', durationMinutes: 30, ticketId: 'INC-42', justification: 'restart the payment workers' };

describe('forged approvals grant nothing', () => {
  let stack: Stack;
  let world: World;
  beforeAll(() => {
    stack = workflowStack().stack;
  });
  beforeEach(async () => {
    world = await World.create(stack);
  });
  afterEach(() => world.restore());

  /** What an attacker in the host account does: read the token off the request item, resume the wait. */
  async function forgeApproval(requestId: string): Promise<void> {
    let taskToken: string | undefined;
    for (let i = 0; i < 100 && !taskToken; i++) {
      taskToken = (await world.request(requestId)).taskToken;
      if (!taskToken) await new Promise((r) => setTimeout(r, 20));
    }
    expect(taskToken).toBeDefined();
    await new SFNClient({}).send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ approvedBy: USERS.bob.id }) }));
  }

  async function expectRefusedBeforeTheGrant(requestId: string): Promise<void> {
    await expect(world.executions.get(requestId)).rejects.toThrow(/approvals needed are by people who are still approvers/);
    expect((await world.request(requestId)).status).toBe('REJECTED');
    // refused at the Recheck, before Acquire, so nothing was granted and nothing was even claimed
    expect(world.calls('Recheck', requestId)).toBe(1);
    expect(world.calls('Acquire', requestId)).toBe(0);
    expect(world.assignments.size).toBe(0);
    expect(world.transitions(requestId)).not.toContain('GRANTED');
  }

  test('attack: resume the approval wait of a request nobody approved (forged SendTaskSuccess)', async () => {
    // GIVEN
    const created = await world.call('alice', 'POST', '/requests', { body: readOnlyBody });
    const id = created.body.requestId;
    await world.waiting(id, 'APPROVAL');

    // WHEN
    await forgeApproval(id);

    // THEN
    await expectRefusedBeforeTheGrant(id);
  });

  test('attack: one real approval of a quorum of two, then a forged SendTaskSuccess', async () => {
    // GIVEN
    const created = await world.call('alice', 'POST', '/requests', { body: adminBody });
    const id = created.body.requestId;
    await world.waiting(id, 'APPROVAL');
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).body).toMatchObject({ approvals: 1, requiredApprovals: 2 });

    // WHEN
    await forgeApproval(id);

    // THEN
    await expectRefusedBeforeTheGrant(id);
  });

  test('attack: approvals written into the request item by the requester and a non-approver, marked approved', async () => {
    // GIVEN: the item as a forged table write would leave it (the tables' resource policies and the boundary stop
    // that write; the Recheck does not rely on it)
    const { execution } = await world.startDirect(storedRequest('forged-approvals', {
      status: 'APPROVED', approvals: new Set([USERS.alice.id, USERS.mallory.id]),
    }));

    // THEN
    await expect(execution).rejects.toThrow(/0 of the 1 approvals needed/);
    expect(world.calls('Acquire', 'forged-approvals')).toBe(0);
    expect(world.assignments.size).toBe(0);
  });

  test('control: an approval recorded by the API still grants after the same callback', async () => {
    // GIVEN
    const created = await world.call('alice', 'POST', '/requests', { body: readOnlyBody });
    const id = created.body.requestId;
    await world.waiting(id, 'APPROVAL');

    // WHEN
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(200);
    await world.waiting(id, 'END');

    // THEN
    expect((await world.request(id)).status).toBe('ACTIVE');
    expect(world.assignments.size).toBe(1);
    world.timeOut(id);
    await world.executions.get(id);
    expect(world.assignments.size).toBe(0);
  });
});
