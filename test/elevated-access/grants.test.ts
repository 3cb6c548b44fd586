// The grant records (grants.ts) and the reconciler (reconcile.ts) on their own, against the DynamoDB-compatible
// server: who owns an assignment, who joins it, when it may be deleted, and how dead executions are cleaned up.
import { randomUUID } from 'crypto';
import { HOST_ACCOUNT, INSTANCE_ARN, READ_ONLY_ARN } from './ids';
import { named, World } from './world';
import {
  abandon, acquire, activateOwner, AssignmentBusy, getGrant, keyOf, MAX_MEMBER_WAIT_SECONDS, releasedOwner, releaseJoined, releaseOwner,
  userAssignmentExists,
} from '../../src/elevated-access/handlers/grants';
import { executionArnOf, RECONCILER } from '../../src/elevated-access/handlers/reconcile';
import { AccessRequest } from '../../src/elevated-access/handlers/store';

const ACCOUNT = '555555555501';
let world: World;

beforeAll(async () => {
  // no stack: the tables and the mocks only, so each run stays fast (mutation testing runs it once per mutant)
  world = await World.create();
});
afterAll(() => world.restore());

/** A request of a fresh principal (so tests never share a grant record). */
function req(principal: string = randomUUID(), extra: Partial<AccessRequest> = {}): AccessRequest {
  return {
    requestId: randomUUID(),
    status: 'GRANTING',
    requesterId: principal,
    requesterName: 'p',
    requesterArn: 'arn',
    accountId: ACCOUNT,
    permissionSetArn: READ_ONLY_ARN,
    instanceArn: INSTANCE_ARN,
    durationSeconds: 3600,
    requiredApprovals: 1,
    createdAt: new Date().toISOString(),
    pendingExpiresAt: new Date().toISOString(),
    ...extra,
  };
}
const assignment = (r: AccessRequest) => `${r.requesterId}|${r.permissionSetArn}|${r.accountId}`;
async function stored(r: AccessRequest): Promise<AccessRequest> {
  await world.put('requests', r as any);
  return r;
}

describe('grant records (grants.ts)', () => {
  test('the first grant owns the assignment; a retry keeps it; others wait while it is created', async () => {
    const r = req();
    expect(await acquire(r)).toEqual({ createAssignment: true, standing: false });
    expect(await getGrant(keyOf(r))).toEqual({
      grantKey: keyOf(r),
      principalId: r.requesterId,
      accountId: ACCOUNT,
      permissionSetArn: r.permissionSetArn,
      instanceArn: r.instanceArn,
      ownerRequestId: r.requestId,
      ownerStage: 'CREATING',
      standing: false,
      heldBy: new Set([r.requestId]),
    });
    expect(await acquire(r)).toEqual({ createAssignment: true, standing: false });
    const other = req(r.requesterId);
    await expect(acquire(other)).rejects.toThrow(new AssignmentBusy(`the assignment of ${keyOf(r)} is being created by ${r.requestId}`));
    await expect(acquire(other)).rejects.toMatchObject({ name: 'AssignmentBusy' });
  });

  test('once confirmed, other grants join; a joined retry stays joined', async () => {
    const owner = req();
    await acquire(owner);
    await activateOwner(owner);
    await activateOwner(owner); // retried step
    expect((await getGrant(keyOf(owner)))!.ownerStage).toBe('ACTIVE');
    const joined = req(owner.requesterId);
    expect(await acquire(joined)).toEqual({ createAssignment: false, standing: false });
    expect(await acquire(joined)).toEqual({ createAssignment: false, standing: false });
    expect((await getGrant(keyOf(owner)))!.heldBy).toEqual(new Set([owner.requestId, joined.requestId]));
  });

  test('activating fails for a request that does not own the assignment', async () => {
    const owner = req();
    await acquire(owner);
    await expect(activateOwner(req(owner.requesterId))).rejects.toThrow(/no longer owns the assignment of/);
  });

  test('an assignment that exists with no owner is standing access: joined, never owned', async () => {
    const r = req();
    world.assignments.add(assignment(r));
    expect(await acquire(r)).toEqual({ createAssignment: false, standing: true });
    expect(await acquire(r)).toEqual({ createAssignment: false, standing: true });
    const g = (await getGrant(keyOf(r)))!;
    expect(g).toMatchObject({ standing: true, heldBy: new Set([r.requestId]) });
    expect(g.ownerRequestId).toBeUndefined();
    world.assignments.delete(assignment(r));
  });

  test('a grant that started at the same time makes the other wait', async () => {
    const r = req();
    world.listHook = async () => {
      // another grant claims the record between the read and the write
      await world.put('grants', { grantKey: keyOf(r), ownerRequestId: 'someone-else', ownerStage: 'CREATING' });
      return { AccountAssignments: [] };
    };
    try {
      await expect(acquire(r)).rejects.toThrow(`another grant of ${keyOf(r)} started at the same time`);
    } finally {
      world.listHook = undefined;
    }
  });

  test('while the owner deletes, new grants wait', async () => {
    const owner = req();
    await acquire(owner);
    await activateOwner(owner);
    expect(await releaseOwner(owner)).toEqual({ deleteAssignment: true, waitSeconds: 0 });
    await expect(acquire(req(owner.requesterId))).rejects.toThrow(/is being deleted by/);
  });

  test('abandon drops a claim only while nothing was created', async () => {
    const r = req();
    await acquire(r);
    await abandon(r);
    const g = (await getGrant(keyOf(r)))!;
    expect(g.ownerRequestId).toBeUndefined();
    expect(g.ownerStage).toBeUndefined();
    expect(g.heldBy).toBeUndefined();
    // an active owner is not dropped by a stray abandon
    const active = req();
    await acquire(active);
    await activateOwner(active);
    await abandon(active);
    expect((await getGrant(keyOf(active)))!).toMatchObject({ ownerRequestId: active.requestId, ownerStage: 'ACTIVE' });
  });

  test('the owner waits while a live grant holds the assignment, as long as that grant lasts (at most a minute per ask)', async () => {
    const owner = req();
    await acquire(owner);
    await activateOwner(owner);
    const now = Date.now();
    const joined = await stored(req(owner.requesterId, { status: 'ACTIVE', endAt: new Date(now + 30_000).toISOString() }));
    await acquire(joined);
    expect(await releaseOwner(owner, now)).toEqual({ deleteAssignment: false, waitSeconds: 30 });
    await stored({ ...joined, endAt: new Date(now + 3600_000).toISOString() });
    expect(await releaseOwner(owner, now)).toEqual({ deleteAssignment: false, waitSeconds: MAX_MEMBER_WAIT_SECONDS });
    await stored({ ...joined, status: 'GRANTING', endAt: undefined });
    expect(await releaseOwner(owner, now)).toEqual({ deleteAssignment: false, waitSeconds: MAX_MEMBER_WAIT_SECONDS });
    await stored({ ...joined, endAt: new Date(now + 200).toISOString() });
    expect(await releaseOwner(owner, now)).toEqual({ deleteAssignment: false, waitSeconds: 1 });
    expect((await getGrant(keyOf(owner)))!.ownerStage).toBe('ACTIVE');
    // the joined grant ends: the owner deletes
    await releaseJoined(joined);
    expect((await getGrant(keyOf(owner)))!.heldBy).toBeUndefined();
    expect(await releaseOwner(owner, now)).toEqual({ deleteAssignment: true, waitSeconds: 0 });
    const g = (await getGrant(keyOf(owner)))!;
    expect(g).toMatchObject({ ownerRequestId: owner.requestId, ownerStage: 'DELETING', deletingSince: new Date(now).toISOString() });
    // a retried release keeps the claim
    expect(await releaseOwner(owner, now + 1000)).toEqual({ deleteAssignment: true, waitSeconds: 0 });
    expect((await getGrant(keyOf(owner)))!.deletingSince).toBe(new Date(now).toISOString());
  });

  test('holders whose grants ended do not keep the assignment, and leave with the claim', async () => {
    const owner = req();
    await acquire(owner);
    await activateOwner(owner);
    const now = Date.now();
    const ended = await stored(req(owner.requesterId, { status: 'REVOKED' }));
    const overdue = await stored(req(owner.requesterId, { status: 'ACTIVE', endAt: new Date(now - 1).toISOString() }));
    const exact = await stored(req(owner.requesterId, { status: 'ACTIVE', endAt: new Date(now).toISOString() }));
    const missing = req(owner.requesterId); // never stored
    for (const r of [ended, overdue, exact, missing]) await acquire(r);
    expect(await releaseOwner(owner, now)).toEqual({ deleteAssignment: true, waitSeconds: 0 });
    expect((await getGrant(keyOf(owner)))!.heldBy).toBeUndefined();
  });

  test('an execution that is not the owner deletes only what nobody holds and what is not standing', async () => {
    const standing = req();
    world.assignments.add(assignment(standing));
    await acquire(standing);
    world.assignments.delete(assignment(standing));
    expect(await releaseOwner(req(standing.requesterId))).toEqual({ deleteAssignment: false, waitSeconds: MAX_MEMBER_WAIT_SECONDS });
    // no record at all, or another owner's record without holders: deleting is safe
    expect(await releaseOwner(req())).toEqual({ deleteAssignment: true, waitSeconds: 0 });
    const owner = req();
    await acquire(owner);
    await releaseJoined(owner);
    expect(await releaseOwner(req(owner.requesterId))).toEqual({ deleteAssignment: true, waitSeconds: 0 });
    expect((await getGrant(keyOf(owner)))!.ownerStage).toBe('CREATING');
  });

  test('ownership ends only with the confirmed deletion, and only for the owner', async () => {
    const owner = req();
    await acquire(owner);
    await activateOwner(owner);
    await releaseOwner(owner);
    await releasedOwner(req(owner.requesterId));
    expect((await getGrant(keyOf(owner)))!.ownerRequestId).toBe(owner.requestId);
    await releasedOwner(owner);
    const g = (await getGrant(keyOf(owner)))!;
    expect([g.ownerRequestId, g.ownerStage, g.deletingSince]).toEqual([undefined, undefined, undefined]);
  });

  test('userAssignmentExists reads every page and counts only the user', async () => {
    const pages = [
      { AccountAssignments: [{ PrincipalType: 'GROUP', PrincipalId: 'u1' }, { PrincipalType: 'USER', PrincipalId: 'u2' }], NextToken: 'n' },
      { AccountAssignments: [{ PrincipalType: 'USER', PrincipalId: 'u1' }] },
      { AccountAssignments: [{ PrincipalType: 'GROUP', PrincipalId: 'u1' }] },
    ];
    const inputs: any[] = [];
    world.listHook = async (input) => {
      inputs.push(input);
      return pages.shift();
    };
    try {
      expect(await userAssignmentExists('i', 'a', 'p', 'u1')).toBe(true);
      expect(inputs[0]).toMatchObject({ InstanceArn: 'i', AccountId: 'a', PermissionSetArn: 'p' });
      expect(inputs[1]).toMatchObject({ NextToken: 'n', InstanceArn: 'i', AccountId: 'a', PermissionSetArn: 'p' });
      expect(await userAssignmentExists('i', 'a', 'p', 'u1')).toBe(false);
    } finally {
      world.listHook = undefined;
    }
  });
});

describe('reconciler (reconcile.ts)', () => {
  test('the execution of a request is named by the request id', () => {
    expect(executionArnOf('r-1')).toBe(`arn:aws:states:eu-west-1:${HOST_ACCOUNT}:execution:access:r-1`);
  });

  test('fails the open requests whose executions ended, leaves live and just-created ones', async () => {
    const dead = await stored(req(undefined, { status: 'GRANTING' }));
    world.status.set(dead.requestId, 'ABORTED');
    const live = await stored(req(undefined, { status: 'ACTIVE' }));
    world.status.set(live.requestId, 'RUNNING');
    const starting = await stored(req(undefined, { status: 'PENDING_APPROVAL' })); // no execution yet
    const lost = await stored(req(undefined, { status: 'APPROVED', createdAt: new Date(Date.now() - 600_000).toISOString() }));
    const revoking = await stored(req(undefined, { status: 'REVOKING' }));
    world.status.set(revoking.requestId, 'FAILED');
    const done = await stored(req(undefined, { status: 'REVOKED' }));
    world.status.set(done.requestId, 'SUCCEEDED');
    const result = await world.reconcile(undefined, 1);
    expect(result.failedRequests.sort()).toEqual([dead.requestId, lost.requestId, revoking.requestId].sort());
    expect(await world.request(dead.requestId)).toMatchObject({ status: 'FAILED', failureReason: 'its execution ended while the request was GRANTING' });
    expect((await world.request(live.requestId)).status).toBe('ACTIVE');
    expect((await world.request(starting.requestId)).status).toBe('PENDING_APPROVAL');
    expect((await world.request(done.requestId)).status).toBe('REVOKED');
    expect(world.transitions(dead.requestId)).toEqual(['FAILED']);
    expect((await world.audit(dead.requestId))[0]).toMatchObject({ actor: RECONCILER, transition: 'FAILED' });
    // a second run finds nothing more
    expect((await world.reconcile()).failedRequests).toEqual([]);
  });

  test('takes over the assignment of a dead owner, deletes it once nobody holds it, and confirms the deletion', async () => {
    const owner = await stored(req());
    await acquire(owner);
    await activateOwner(owner);
    world.assignments.add(assignment(owner));
    const joined = await stored(req(owner.requesterId, { status: 'ACTIVE' }));
    await acquire(joined);
    world.status.set(owner.requestId, 'ABORTED');
    world.status.set(joined.requestId, 'RUNNING');
    // WHEN: the joined grant still runs
    const first = await world.reconcile();
    // THEN: taken over, kept for it
    expect(first.takenOver).toContain(keyOf(owner));
    expect(first.removed).not.toContain(keyOf(owner));
    expect(world.assignments.has(assignment(owner))).toBe(true);
    expect((await getGrant(keyOf(owner)))!).toMatchObject({
      ownerRequestId: RECONCILER, takenOverFrom: owner.requestId, heldBy: new Set([joined.requestId]),
    });
    // WHEN: the joined grant's execution dies too
    world.status.set(joined.requestId, 'FAILED');
    const out = jest.spyOn(process.stdout, 'write');
    const second = await world.reconcile();
    // THEN
    expect(second.staleReferences).toContain(joined.requestId);
    expect(second.removed).toContain(keyOf(owner));
    expect(second.takenOver).not.toContain(keyOf(owner));
    expect(world.assignments.has(assignment(owner))).toBe(false);
    expect(out.mock.calls.some(([s]) => String(s).includes('"OrphanedAssignmentsRemoved":1'))).toBe(true);
    out.mockRestore();
    const removed = world.events.filter((e) => e.detail.transition === 'ORPHAN_REMOVED' && e.detail.requestId === `${RECONCILER}#${keyOf(owner)}`);
    expect(removed).toHaveLength(1);
    expect(removed[0].detail).toMatchObject({ actor: RECONCILER, assignmentRequestId: expect.stringMatching(/^reconciler-delete-/), reason: expect.stringContaining(owner.requestId) });
    const g = (await getGrant(keyOf(owner)))!;
    expect([g.ownerRequestId, g.ownerStage, g.takenOverAt, g.takenOverFrom, g.heldBy]).toEqual(Array(5).fill(undefined));
  });

  test('never touches a live owner, nor standing access', async () => {
    const owner = await stored(req());
    await acquire(owner);
    world.assignments.add(assignment(owner));
    world.status.set(owner.requestId, 'RUNNING');
    const standing = req();
    world.assignments.add(assignment(standing));
    await acquire(standing);
    const result = await world.reconcile();
    expect(result.takenOver).not.toContain(keyOf(owner));
    expect(result.removed).not.toContain(keyOf(standing));
    expect(world.assignments.has(assignment(owner))).toBe(true);
    expect(world.assignments.has(assignment(standing))).toBe(true);
    expect((await getGrant(keyOf(owner)))!.ownerRequestId).toBe(owner.requestId);
    world.assignments.delete(assignment(owner));
    world.assignments.delete(assignment(standing));
  });

  test('an owner that died while creating: nothing there yet, looked at again later before letting go', async () => {
    const owner = await stored(req());
    await acquire(owner);
    world.status.set(owner.requestId, 'ABORTED');
    const now = Date.now();
    await world.reconcile(now);
    expect((await getGrant(keyOf(owner)))!).toMatchObject({ ownerRequestId: RECONCILER, ownerStage: 'CREATING' });
    await world.reconcile(now + 9 * 60_000);
    expect((await getGrant(keyOf(owner)))!.ownerRequestId).toBe(RECONCILER);
    // the creation that was in flight appears, and is deleted
    world.assignments.add(assignment(owner));
    const later = await world.reconcile(now + 11 * 60_000);
    expect(later.removed).toContain(keyOf(owner));
    expect(world.assignments.has(assignment(owner))).toBe(false);
    expect((await getGrant(keyOf(owner)))!.ownerRequestId).toBeUndefined();
  });

  test('a deletion not confirmed in time is left for the next run; a broken record does not stop the sweep', async () => {
    const stuck = await stored(req());
    await acquire(stuck);
    await activateOwner(stuck);
    world.status.set(stuck.requestId, 'FAILED');
    world.assignments.add(assignment(stuck));
    const broken = await stored(req());
    await acquire(broken);
    world.status.set(broken.requestId, 'FAILED');
    world.assignments.add(assignment(broken));
    let broke = false;
    world.listHook = async () => {
      if (broke) return undefined;
      broke = true;
      throw named('ThrottlingException');
    };
    const out = jest.spyOn(process.stdout, 'write');
    try {
      const result = await world.reconcile();
      // one of the two failed on the throttled read (alarm metric); the other was still deleted
      expect(result.removed.filter((k) => k === keyOf(stuck) || k === keyOf(broken))).toHaveLength(1);
      expect(out.mock.calls.some(([s]) => String(s).includes('"RevokeFailures":1'))).toBe(true);
    } finally {
      world.listHook = undefined;
      out.mockRestore();
    }
    // Identity Center does not confirm the next deletion in time: kept, counted, tried again
    world.reconcilerDeletion = 'IN_PROGRESS';
    const pending = await world.reconcile();
    expect(pending.removed.filter((k) => k === keyOf(stuck) || k === keyOf(broken))).toEqual([]);
    world.reconcilerDeletion = 'SUCCEEDED';
    const again = await world.reconcile();
    expect(again.removed.filter((k) => k === keyOf(stuck) || k === keyOf(broken))).toHaveLength(1);
    expect(world.assignments.has(assignment(stuck))).toBe(false);
    expect(world.assignments.has(assignment(broken))).toBe(false);
  });
});

describe('reconciler (reconcile.ts), edge cases', () => {
  let fresh: World;
  beforeEach(async () => {
    fresh = await World.create();
  });
  afterEach(() => fresh.restore());
  const put = async (r: AccessRequest) => {
    await fresh.put('requests', r as any);
    return r;
  };

  test('with nothing to do it reports nothing and emits no failure', async () => {
    const out = jest.spyOn(process.stdout, 'write');
    try {
      const standing = await put(req(undefined, { status: 'ACTIVE' }));
      fresh.status.set(standing.requestId, 'RUNNING');
      fresh.assignments.add(assignment(standing));
      await acquire(standing);
      expect(await fresh.reconcile()).toEqual({ removed: [], failedRequests: [], staleReferences: [], takenOver: [], jumpPoliciesRemoved: [] });
      expect(fresh.assignments.has(assignment(standing))).toBe(true);
      expect(fresh.reconcilerDeletes).toEqual([]);
      expect(out.mock.calls.some(([s]) => String(s).includes('RevokeFailures'))).toBe(false);
    } finally {
      out.mockRestore();
    }
  });

  test('dead requests in every open status are failed, page by page; live ones (RUNNING, PENDING_REDRIVE) are not', async () => {
    const dead: string[] = [];
    for (const status of ['PENDING_APPROVAL', 'APPROVED', 'GRANTING', 'GRANTING', 'ACTIVE', 'ACTIVE', 'REVOKING'] as const) {
      const r = await put(req(undefined, { status }));
      fresh.status.set(r.requestId, 'FAILED');
      dead.push(r.requestId);
    }
    const running = await put(req(undefined, { status: 'ACTIVE' }));
    fresh.status.set(running.requestId, 'RUNNING');
    const redrive = await put(req(undefined, { status: 'ACTIVE' }));
    fresh.status.set(redrive.requestId, 'PENDING_REDRIVE' as any);
    const result = await fresh.reconcile(undefined, 1);
    expect(result.failedRequests.sort()).toEqual(dead.sort());
    expect((await fresh.request(running.requestId)).status).toBe('ACTIVE');
    expect((await fresh.request(redrive.requestId)).status).toBe('ACTIVE');
    // each execution is asked about once per run
    expect(fresh.describedExecutions.filter((n) => n === running.requestId)).toHaveLength(1);
  });

  test('a request without an execution counts as starting for five minutes, not longer', async () => {
    const now = Date.now();
    const young = await put(req(undefined, { status: 'PENDING_APPROVAL', createdAt: new Date(now - 5 * 60_000 + 1).toISOString() }));
    const old = await put(req(undefined, { status: 'PENDING_APPROVAL', createdAt: new Date(now - 5 * 60_000).toISOString() }));
    const result = await fresh.reconcile(now);
    expect(result.failedRequests).toEqual([old.requestId]);
    expect((await fresh.request(young.requestId)).status).toBe('PENDING_APPROVAL');
  });

  test('an error asking about an execution is an error, not a dead execution', async () => {
    const r = await put(req(undefined, { status: 'ACTIVE' }));
    fresh.status.set(r.requestId, 'RUNNING');
    fresh.describeHook = async () => { throw named('AccessDeniedException'); };
    await expect(fresh.reconcile()).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect((await fresh.request(r.requestId)).status).toBe('ACTIVE');
  });

  test('a request that moved on while the reconciler looked is left alone', async () => {
    const r = await put(req(undefined, { status: 'GRANTING' }));
    fresh.status.set(r.requestId, 'SUCCEEDED');
    fresh.describeHook = async (name) => {
      if (name === r.requestId) await fresh.put('requests', { ...r, status: 'REVOKED' } as any);
    };
    expect((await fresh.reconcile()).failedRequests).toEqual([]);
    expect(fresh.transitions(r.requestId)).toEqual([]);
    expect((await fresh.request(r.requestId)).status).toBe('REVOKED');
  });

  test('holders are stale when their request ended or their execution is gone, whichever', async () => {
    const owner = await put(req());
    await acquire(owner);
    await activateOwner(owner);
    fresh.status.set(owner.requestId, 'RUNNING');
    const endedButRunning = await put(req(owner.requesterId, { status: 'REVOKED' }));
    const openButDead = await put(req(owner.requesterId, { status: 'ACTIVE' }));
    const live = await put(req(owner.requesterId, { status: 'ACTIVE' }));
    for (const r of [endedButRunning, openButDead, live]) await acquire(r);
    fresh.status.set(endedButRunning.requestId, 'RUNNING');
    fresh.status.set(openButDead.requestId, 'ABORTED');
    fresh.status.set(live.requestId, 'RUNNING');
    const result = await fresh.reconcile();
    expect(result.staleReferences.sort()).toEqual([endedButRunning.requestId, openButDead.requestId].sort());
    expect((await getGrant(keyOf(owner)))!.heldBy).toEqual(new Set([owner.requestId, live.requestId]));
  });

  test('a dead owner whose assignment is already gone: nothing deleted, nothing reported, ownership cleared', async () => {
    const owner = await put(req());
    await acquire(owner);
    await activateOwner(owner);
    await releaseJoined(owner);
    fresh.status.set(owner.requestId, 'FAILED');
    const result = await fresh.reconcile();
    expect(result).toMatchObject({ takenOver: [keyOf(owner)], removed: [] });
    expect(fresh.reconcilerDeletes).toEqual([]);
    expect(fresh.events.filter((e) => e.detail.transition === 'ORPHAN_REMOVED')).toEqual([]);
    expect((await getGrant(keyOf(owner)))!.ownerRequestId).toBeUndefined();
  });

  test('takes over and deletes in one run, naming the owner; the deletion is the user assignment of that account', async () => {
    const owner = await put(req());
    await acquire(owner);
    await activateOwner(owner);
    await releaseJoined(owner);
    fresh.assignments.add(assignment(owner));
    fresh.status.set(owner.requestId, 'ABORTED');
    const result = await fresh.reconcile(undefined, 1);
    expect(result).toMatchObject({ takenOver: [keyOf(owner)], removed: [keyOf(owner)] });
    expect(fresh.reconcilerDeletes).toEqual([{
      InstanceArn: INSTANCE_ARN, TargetId: ACCOUNT, TargetType: 'AWS_ACCOUNT', PermissionSetArn: READ_ONLY_ARN, PrincipalType: 'USER', PrincipalId: owner.requesterId,
    }]);
    expect(fresh.reconcilerPolls).toBe(1);
    const event = fresh.events.find((e) => e.detail.transition === 'ORPHAN_REMOVED')!;
    expect(event.detail.requestId).toBe(`reconciler#${keyOf(owner)}`);
    expect(event.detail.reason).toContain(owner.requestId);
  });

  test('polls a deletion at most maxPolls times, stops at FAILED, and counts it as a revoke failure', async () => {
    const owner = await put(req());
    await acquire(owner);
    await activateOwner(owner);
    await releaseJoined(owner);
    fresh.assignments.add(assignment(owner));
    fresh.status.set(owner.requestId, 'ABORTED');
    fresh.reconcilerDeletion = 'IN_PROGRESS';
    const out = jest.spyOn(process.stdout, 'write');
    try {
      expect((await fresh.reconcile()).removed).toEqual([]);
      expect(fresh.reconcilerPolls).toBe(5);
      expect(out.mock.calls.some(([s]) => String(s).includes('"RevokeFailures":1'))).toBe(true);
      fresh.reconcilerDeletion = 'FAILED';
      expect((await fresh.reconcile()).removed).toEqual([]);
      expect(fresh.reconcilerPolls).toBe(6);
    } finally {
      out.mockRestore();
    }
    expect((await getGrant(keyOf(owner)))!.ownerRequestId).toBe('reconciler');
    expect(fresh.assignments.has(assignment(owner))).toBe(true);
  });

  test('the creation settle window is ten minutes from the takeover', async () => {
    const owner = await put(req());
    await acquire(owner);
    fresh.status.set(owner.requestId, 'ABORTED');
    const now = Date.now();
    await fresh.reconcile(now);
    await fresh.reconcile(now + 10 * 60_000 - 1);
    expect((await getGrant(keyOf(owner)))!.ownerRequestId).toBe('reconciler');
    await fresh.reconcile(now + 10 * 60_000);
    expect((await getGrant(keyOf(owner)))!.ownerRequestId).toBeUndefined();
  });

  test('a failing DynamoDB call is an error, not a lost race', async () => {
    const saved = process.env.GRANTS_TABLE;
    process.env.GRANTS_TABLE = 'no-such-table';
    try {
      await expect(acquire(req())).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      await expect(releaseJoined(req())).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      process.env.GRANTS_TABLE = saved;
    }
  });
});
