// Fault injection over the synthesized state machine, run locally with the real handlers on a DynamoDB-compatible
// server: for every Task state in turn, each failure class (throttling, internal error, access denied, timeout, the
// execution stopped at that state before or after its task ran), then the reconciler; afterwards no assignment may be
// left that no standing rule or live grant explains, nor a jump grant policy, nor (once the sessions ended) a session
// deny. Plus concurrent grants of one user x account x permission set, started and ended in shuffled orders. The workflow has jump rules too, so the jump branch's IAM tasks (grant policy,
// its revoke, the session deny and its removal) and its Lambda steps are faulted like every other task.
import { Stack } from 'aws-cdk-lib';
import { breakGlassStack, READ_ONLY } from './fixture';
import { storedJumpRequest, jumpSetup, USERS, World } from './world';

jest.setTimeout(600_000);

// with a break-glass rule and jump rules, so the self-approval state and the jump branch are faulted like every other
const STACK = breakGlassStack({}, true);

const PROD_SHOP = '555555555501';
const TERMINAL = ['REVOKED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'];
const body = (n: number) => ({ accountId: PROD_SHOP, permissionSet: 'ProdReadOnly', durationMinutes: 60, justification: `investigate INC-${n} latency` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A way through the workflow; `run` returns the request ids it made. */
interface Scenario {
  readonly name: string;
  setup?(world: World): void;
  run(world: World): Promise<string[]>;
}

/** A jump user's request, started as the API would start it. */
async function jumpRequest(world: World, n: number): Promise<string> {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  await world.startDirect(storedJumpRequest(id));
  return id;
}

const isJump = async (world: World, id: string) => (await world.request(id))?.grantKind === 'JUMP';

async function approve(world: World, id: string): Promise<void> {
  if (await isJump(world, id)) await world.approveJump(id);
  else await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id });
}

async function request(world: World, n: number): Promise<string> {
  const res = await world.call('alice', 'POST', '/requests', { body: body(n) });
  if (res.status !== 201) throw new Error(`request refused: ${JSON.stringify(res.body)}`);
  return res.body.requestId;
}

/** Reaches the end-wait of a grant, or the end of its execution. */
async function active(world: World, id: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(world.waitingStage(id) === 'END' || world.ended(id))) {
    if (Date.now() > deadline) throw new Error(`request ${id} neither active nor ended`);
    if (world.waitingStage(id) === 'APPROVAL') await approve(world, id);
    await sleep(2);
  }
}

async function endAll(world: World, ids: string[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  let abnormal = 0;
  while (!ids.every((id) => world.ended(id))) {
    if (Date.now() > deadline) throw new Error(`requests did not end: ${ids.map((id) => `${id}=${world.status.get(id)}/${world.waitingStage(id) ?? '-'}`).join(', ')}`);
    for (const id of ids) {
      const stage = world.waitingStage(id);
      if (stage === 'APPROVAL') await approve(world, id);
      else if (stage === 'END') world.timeOut(id);
    }
    const failed = [...world.status.values()].filter((s) => s === 'FAILED' || s === 'ABORTED').length;
    if (failed > abnormal) {
      abnormal = failed;
      await world.reconcile();
    }
    await sleep(2);
  }
}

const SCENARIOS: Scenario[] = [
  {
    // the owner grants, a second grant joins its assignment, both end
    name: 'overlapping grants',
    async run(world) {
      const a = await request(world, 1);
      await active(world, a);
      const b = await request(world, 2);
      await active(world, b);
      await endAll(world, [a, b]);
      return [a, b];
    },
  },
  {
    name: 'grant not confirmed',
    setup: (world) => { world.sso.creation = ['IN_PROGRESS', 'FAILED']; },
    async run(world) {
      const a = await request(world, 1);
      await endAll(world, [a]);
      return [a];
    },
  },
  {
    name: 'revoke refused for a while',
    async run(world) {
      const a = await request(world, 1);
      await active(world, a);
      world.sso.deleteErrors = Array(8).fill('SsoAdmin.AccessDeniedException');
      await endAll(world, [a]);
      return [a];
    },
  },
  {
    name: 'rejected',
    async run(world) {
      const a = await request(world, 1);
      await world.waiting(a, 'APPROVAL').catch(() => undefined);
      await world.call('carol', 'POST', '/requests/{requestId}/reject', { requestId: a, body: { reason: 'not now' } });
      await endAll(world, [a]);
      return [a];
    },
  },
  {
    name: 'expired',
    async run(world) {
      const a = await request(world, 1);
      await world.waiting(a, 'APPROVAL').catch(() => undefined);
      if (world.waitingStage(a) === 'APPROVAL') world.timeOut(a);
      await endAll(world, [a]);
      return [a];
    },
  },
  {
    name: 'cancelled',
    async run(world) {
      const a = await request(world, 1);
      await world.waiting(a, 'APPROVAL').catch(() => undefined);
      await world.call('alice', 'POST', '/requests/{requestId}/cancel', { requestId: a });
      await endAll(world, [a]);
      return [a];
    },
  },
  {
    name: 'refused by the backend',
    async run(world) {
      const now = Date.now();
      await world.startDirect({
        requestId: 'direct-refused',
        status: 'PENDING_APPROVAL',
        requesterId: USERS.alice.id,
        requesterName: 'alice',
        requesterArn: 'arn',
        groupIds: [],
        accountId: PROD_SHOP,
        permissionSetArn: READ_ONLY.permissionSetArn,
        instanceArn: READ_ONLY.instanceArn,
        durationSeconds: 24 * 3600,
        requiredApprovals: 1,
        justification: 'a long enough reason',
        createdAt: new Date(now).toISOString(),
        pendingExpiresAt: new Date(now + 3600_000).toISOString(),
      });
      await endAll(world, ['direct-refused']);
      return ['direct-refused'];
    },
  },
  {
    name: 'validation keeps failing',
    setup: (world) => { world.faults.push({ state: 'Validate', error: 'AccessDeniedException', times: 7, hits: 0 }); },
    async run(world) {
      const a = await request(world, 1);
      await endAll(world, [a]);
      return [a];
    },
  },
  {
    // self-approved under the break-glass rule, then granted and ended like any other
    name: 'break-glass',
    async run(world) {
      const res = await world.call('alice', 'POST', '/requests', {
        body: { accountId: PROD_SHOP, permissionSet: 'ProdAdmin', durationMinutes: 30, ticketId: 'INC-1', justification: 'payments down, nobody answers', breakGlass: true },
      });
      if (res.status !== 201) throw new Error(`request refused: ${JSON.stringify(res.body)}`);
      await active(world, res.body.requestId);
      await endAll(world, [res.body.requestId]);
      return [res.body.requestId];
    },
  },
  {
    name: 'jump grant, expired',
    setup: (world) => jumpSetup(world, STACK),
    async run(world) {
      const a = await jumpRequest(world, 1);
      await active(world, a);
      await endAll(world, [a]);
      return [a];
    },
  },
  {
    name: 'jump grant, revoked early',
    setup: (world) => jumpSetup(world, STACK),
    async run(world) {
      const a = await jumpRequest(world, 1);
      await active(world, a);
      if (world.waitingStage(a) === 'END') await world.revokeJump(a);
      await endAll(world, [a]);
      return [a];
    },
  },
  {
    name: 'jump grant refused by IAM',
    setup: (world) => {
      jumpSetup(world, STACK);
      world.faults.push({ state: 'PutGrantPolicy', error: 'Iam.AccessDeniedException', times: 1, hits: 0 });
    },
    async run(world) {
      const a = await jumpRequest(world, 1);
      await endAll(world, [a]);
      return [a];
    },
  },
  {
    name: 'jump revoke and session cut refused for a while',
    setup: (world) => {
      jumpSetup(world, STACK);
      for (const state of ['DeleteGrantPolicy', 'PutSessionDeny', 'DeleteSessionDeny']) world.faults.push({ state, error: 'Iam.AccessDeniedException', times: 7, hits: 0 });
    },
    async run(world) {
      const a = await jumpRequest(world, 1);
      await active(world, a);
      await endAll(world, [a]);
      return [a];
    },
  },
  {
    name: 'acquire keeps failing',
    setup: (world) => { world.faults.push({ state: 'Acquire', error: 'AccessDeniedException', times: 7, hits: 0 }); },
    async run(world) {
      const a = await request(world, 1);
      await endAll(world, [a]);
      return [a];
    },
  },
];

type FaultClass = 'throttling' | 'internal error' | 'access denied' | 'timeout' | 'stopped before the task' | 'stopped after the task';
const FAULTS: FaultClass[] = ['throttling', 'internal error', 'access denied', 'timeout', 'stopped before the task', 'stopped after the task'];

function errorName(fault: FaultClass, sdk: string | undefined): string {
  const iam = sdk === 'iam';
  switch (fault) {
    case 'throttling': return iam ? 'Iam.ThrottlingException' : sdk ? 'SsoAdmin.ThrottlingException' : 'Lambda.TooManyRequestsException';
    case 'internal error': return iam ? 'Iam.ServiceFailureException' : sdk ? 'SsoAdmin.InternalServerException' : 'Lambda.ServiceException';
    case 'access denied': return iam ? 'Iam.AccessDeniedException' : sdk ? 'SsoAdmin.AccessDeniedException' : 'AccessDeniedException';
    default: return 'States.Timeout';
  }
}

/** Grant policies and session denies left on jump users and elevated roles by requests whose execution ended. */
async function jumpLeftByEnded(world: World): Promise<string[]> {
  const liveJump = new Set<string>();
  for (const r of await world.items('requests')) if (!world.ended(r.requestId)) liveJump.add(r.requestId);
  return world.jumpPoliciesLeft().filter((p) => !liveJump.has(p.replace(/^.*\/lz-elevated-(grant|revoke)-/, '')));
}

/**
 * Assignments no standing rule and no live grant explains (this world has no standing access), and grant policies
 * left on jump users by requests whose execution ended: the reconciler's run removes both. Session denies such
 * requests left must stay while a session they cut may last; `deniesLeftAfterSessions` checks they go after that.
 */
async function orphans(world: World): Promise<string[]> {
  const live = new Set<string>();
  for (const r of await world.items('requests')) {
    if (r.status === 'ACTIVE' && !world.ended(r.requestId)) live.add(`${r.requesterId}|${r.permissionSetArn}|${r.accountId}`);
  }
  const jumpLeft = await jumpLeftByEnded(world);
  const grantsLeft = jumpLeft.filter((p) => p.includes('/lz-elevated-grant-'));
  deniesWaiting.push(...jumpLeft.filter((p) => !grantsLeft.includes(p)));
  return [...[...world.assignments].filter((a) => !live.has(a)), ...grantsLeft];
}

/** Session denies of stopped executions, still needed at the first run (their sessions may last), for the record. */
const deniesWaiting: string[] = [];

/** The reconciler runs again once every session a stopped execution's deny cuts has ended: no deny may be left. */
async function deniesLeftAfterSessions(world: World): Promise<string[]> {
  await world.reconcile(Date.now() + 2 * 3600_000);
  return jumpLeftByEnded(world);
}

describe('ElevatedAccessWorkflow fault injection (synthesized definition, real handlers)', () => {
  let stack: Stack;
  let tasks: Array<{ name: string; sdk?: string }>;
  const coverage = new Map<string, Scenario>();
  beforeAll(async () => {
    stack = STACK;
    // which scenario enters which task: each scenario once, without faults
    const probe = await World.create(stack);
    const definition = (probe as any).definition;
    probe.restore();
    tasks = Object.entries<any>(definition.States).filter(([, s]) => s.Type === 'Task')
      .map(([name, s]) => ({ name, sdk: /:aws-sdk:(\w+):/.exec(String(s.Resource))?.[1] }));
    for (const scenario of SCENARIOS) {
      const world = await World.create(stack);
      try {
        scenario.setup?.(world);
        await scenario.run(world);
        for (const t of world.trace) if (!coverage.has(t.state)) coverage.set(t.state, scenario);
      } finally {
        world.restore();
      }
    }
  });

  test('every task x every fault class: zero orphaned assignments after the reconciler', async () => {
    // every task is entered by some scenario, so no case is vacuous
    expect(tasks.filter((t) => !coverage.has(t.name)).map((t) => t.name)).toEqual([]);
    const failures: string[] = [];
    let cases = 0;
    for (const task of tasks) {
      const scenario = coverage.get(task.name)!;
      for (const fault of FAULTS) {
        cases++;
        const label = `${task.name} x ${fault} (${scenario.name})`;
        const world = await World.create(stack);
        try {
          scenario.setup?.(world);
          const injected = { state: task.name, error: errorName(fault, task.sdk), times: 12, hits: 0 };
          if (fault.startsWith('stopped')) {
            world.abortAt = task.name;
            world.abortWhen = fault === 'stopped after the task' ? 'after' : 'before';
          } else {
            world.faults.push(injected);
          }
          const ids = await scenario.run(world);
          // the next scheduled run of the reconciler
          await world.reconcile();
          const hit = fault.startsWith('stopped') ? world.aborted !== undefined : injected.hits > 0;
          const left = await orphans(world);
          const open = (await Promise.all(ids.map((id) => world.request(id)))).filter((r) => !TERMINAL.includes(r.status));
          if (!hit) failures.push(`${label}: the fault was never injected`);
          if (left.length > 0) failures.push(`${label}: ${left.length} orphaned assignment(s) or grant policies: ${left.join(', ')}`);
          const denies = await deniesLeftAfterSessions(world);
          if (denies.length > 0) failures.push(`${label}: jump policies left after the sessions ended: ${denies.join(', ')}`);
          if (open.length > 0) failures.push(`${label}: requests left open: ${open.map((r) => r.status).join(', ')}`);
        } catch (e) {
          failures.push(`${label}: ${(e as Error).message}`);
        } finally {
          world.restore();
        }
      }
    }
    // the number of cases, for the record
    process.stdout.write(`fault injection: ${cases} cases (${tasks.length} tasks x ${FAULTS.length} fault classes), ${failures.length} failed; `
      + `${deniesWaiting.length} session denies of stopped executions kept at the first run (sessions may last), removed by a later run\n`);
    expect(failures).toEqual([]);
    expect(cases).toBe(tasks.length * FAULTS.length);
  });

  test.each([1, 2, 3, 4, 5, 6])('concurrent grants of one user x account x permission set, shuffled (seed %i)', async (seed) => {
    // GIVEN
    const world = await World.create(stack);
    const random = seeded(seed);
    const key = `${USERS.alice.id}|${READ_ONLY.permissionSetArn}|${PROD_SHOP}`;
    try {
      // WHEN: four requests are made, approved, ended or revoked early in a shuffled order
      const ids = await Promise.all([1, 2, 3, 4].map((n) => request(world, n)));
      const approvals = shuffle([...ids], random);
      const approved: string[] = [];
      const steps: Array<{ id: string; kind: string }> = [];
      while (approvals.length > 0 || approved.length > 0) {
        if (approvals.length > 0 && (approved.length === 0 || random() < 0.5)) {
          const id = approvals.shift()!;
          approved.push(id);
          steps.push({ id, kind: 'approve' });
        } else {
          const id = approved.splice(Math.floor(random() * approved.length), 1)[0];
          steps.push({ id, kind: random() < 0.5 ? 'end' : 'revoke' });
        }
      }
      for (const step of steps) {
        if (step.kind === 'approve') {
          await world.waiting(step.id, 'APPROVAL').catch(() => undefined);
          await world.call(random() < 0.5 ? 'bob' : 'carol', 'POST', '/requests/{requestId}/approve', { requestId: step.id });
          await active(world, step.id);
        } else if (step.kind === 'end') {
          if (world.waitingStage(step.id) === 'END') world.timeOut(step.id);
        } else {
          await world.call('alice', 'POST', '/requests/{requestId}/revoke', { requestId: step.id, body: { reason: 'done' } });
        }
        // THEN, at every step: a grant that is active has its assignment
        const activeNow = (await world.items('requests')).filter((r) => r.status === 'ACTIVE' && !r.revokeRequested);
        if (activeNow.length > 0) expect(world.assignments.has(key)).toBe(true);
      }
      await endAll(world, ids);
      await world.reconcile();
      // THEN: every request revoked, the assignment gone, created and deleted by owners only
      for (const id of ids) expect((await world.request(id)).status).toBe('REVOKED');
      expect(world.assignments.size).toBe(0);
      expect(world.calls('CreateAssignment')).toBe(world.calls('ReleasedOwner'));
      expect(await orphans(world)).toEqual([]);
    } finally {
      world.restore();
    }
  });
});

/** A small seeded generator (a linear congruential one), so a failing order can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
