// The reconciler's sweep of jump grants (jump-sweep.ts) through the real reconcile(), on the DynamoDB-compatible
// server, with IAM and STS mocked by the world (aws-sdk-client-mock): what a stopped execution left is removed, what
// a live grant holds or the workflow did not write stays, and the `JUMP#` counts are never taken for Identity Center
// grants.
import './env';
import { randomUUID } from 'crypto';
import { storedJumpRequest, World } from './world';
import { grantPolicyDocument, grantPolicyName, JumpAccessConfig, revokePolicyDocument, revokePolicyName } from '../../src/elevated-access/handlers/jump-grants';
import { resetConfigCache } from '../../src/elevated-access/handlers/store';

const USER = 'acme-alice';
const PROD = '555555555501';
const ROLE = 'lz-elevated-power';
const WRITER = 'arn:aws:iam::111111111111:role/landing-zone/lz-elevated-grant-writer';
const REVOKER = `arn:aws:iam::${PROD}:role/landing-zone/lz-elevated-revoker`;
const KEY = `JUMP#${USER}#${PROD}#${ROLE}`;
const JUMP: JumpAccessConfig = { jumpAccountId: '111111111111', partition: 'aws', elevatedSessionSeconds: 3600, eligibility: [], approverRules: [] };

let world: World;
beforeEach(async () => {
  world = await World.create();
  process.env.JUMP_GRANT_WRITER_ROLE_ARN = WRITER;
  await useJump(JUMP);
});
afterEach(() => world.restore());

async function useJump(jump: JumpAccessConfig | undefined): Promise<void> {
  const config = { version: 1, pendingExpirySeconds: 3600, maxScheduleAheadSeconds: 0, permissionSets: {}, eligibility: [], approverRules: [], jump };
  await world.put('requests', { requestId: '#config', config: JSON.stringify(config) });
  resetConfigCache();
}

/** A jump request in `status` whose execution is `execution`, holding the count, with its grant policy on the user. */
async function grant(status: string, execution: string | undefined, endMs = Date.now() + 3600_000): Promise<string> {
  const id = randomUUID();
  await world.put('requests', storedJumpRequest(id, { status, endAt: new Date(endMs).toISOString() }));
  if (execution) world.status.set(id, execution as any);
  const held = (await world.items('grants')).find((g) => g.grantKey === KEY)?.holders ?? new Set<string>();
  await world.put('grants', { grantKey: KEY, holders: new Set([...held, id]), jumpUserName: USER, accountId: PROD, elevatedRoleName: ROLE });
  policies(world.userPolicies, USER).set(grantPolicyName(id), grantPolicyDocument('aws', PROD, ROLE, new Date(endMs)));
  return id;
}

function policies(m: Map<string, Map<string, any>>, owner: string): Map<string, any> {
  return m.get(owner) ?? m.set(owner, new Map()).get(owner)!;
}

const userPolicyNames = () => [...policies(world.userPolicies, USER).keys()].sort();

describe('reconciler: jump grant sweep', () => {
  test('a stopped execution\'s grant policy is removed through the grant writer, its stale holder dropped, the removal audited', async () => {
    // GIVEN: the execution was stopped while the grant was active
    const dead = await grant('ACTIVE', 'ABORTED');

    // WHEN
    const result = await world.reconcile();

    // THEN
    expect(result.jumpPoliciesRemoved).toEqual([`user/${USER}/${grantPolicyName(dead)}`]);
    expect(userPolicyNames()).toEqual([]);
    expect(world.assumedRoles).toEqual([WRITER, REVOKER]);
    expect(result.staleReferences).toEqual([dead]);
    expect((await world.items('grants')).find((g) => g.grantKey === KEY)?.holders).toBeUndefined();
    expect(world.transitions(dead)).toEqual(['FAILED', 'ORPHAN_REMOVED']);
    // a second run finds nothing more
    expect((await world.reconcile()).jumpPoliciesRemoved).toEqual([]);
  });

  test('reference counts: a live grant\'s policy stays while a dead grant of the same user x account x role goes', async () => {
    // GIVEN
    const live = await grant('ACTIVE', 'RUNNING');
    const dead = await grant('ACTIVE', 'ABORTED');

    // WHEN
    const result = await world.reconcile();

    // THEN
    expect(userPolicyNames()).toEqual([grantPolicyName(live)]);
    expect(result.jumpPoliciesRemoved).toEqual([`user/${USER}/${grantPolicyName(dead)}`]);
    expect([...(await world.items('grants')).find((g) => g.grantKey === KEY)!.holders]).toEqual([live]);
  });

  test('a live grant past its end loses its policy (it no longer works); the execution\'s own revoke then finds it gone', async () => {
    const ended = await grant('ACTIVE', 'RUNNING', Date.now() - 1000);
    expect((await world.reconcile()).jumpPoliciesRemoved).toEqual([`user/${USER}/${grantPolicyName(ended)}`]);
    expect((await world.request(ended)).status).toBe('ACTIVE');
  });

  test('attack: a policy named like a grant but not written by the workflow is never deleted', async () => {
    // GIVEN: a stopped execution's holder, so the user is swept, and policies someone else wrote on the user
    const dead = await grant('FAILED', 'ABORTED');
    const mine = policies(world.userPolicies, USER);
    const old = grantPolicyDocument('aws', PROD, ROLE, new Date(Date.now() - 86_400_000));
    mine.set(`${grantPolicyName(dead)}-admin`, old);
    mine.set('lz-elevated-grant-forever', old);
    mine.set(grantPolicyName(randomUUID()), { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    mine.set(grantPolicyName(randomUUID()), '{not json');
    mine.set('vendor-own-policy', old);
    const foreign = [...mine.keys()].filter((n) => n !== grantPolicyName(dead)).sort();

    // WHEN
    await world.reconcile();

    // THEN: only the workflow's own grant is gone
    expect(userPolicyNames()).toEqual(foreign);
    expect(foreign).toHaveLength(5);
  });

  test('session denies: one older than the longest session goes through the account\'s revoker, a younger one stays', async () => {
    // GIVEN
    const old = randomUUID();
    const young = randomUUID();
    await grant('REVOKED', 'SUCCEEDED');
    const denies = policies(world.rolePolicies, ROLE);
    denies.set(revokePolicyName(old), revokePolicyDocument(USER, new Date(Date.now() - (3600 + 61) * 1000)));
    denies.set(revokePolicyName(young), revokePolicyDocument(USER, new Date(Date.now() - 600_000)));
    denies.set('lz-elevated-revoke-by-hand', revokePolicyDocument(USER, new Date(0)));

    // WHEN
    const result = await world.reconcile();

    // THEN
    expect(result.jumpPoliciesRemoved).toContain(`role/${PROD}/${ROLE}/${revokePolicyName(old)}`);
    expect([...denies.keys()].sort()).toEqual([revokePolicyName(young), 'lz-elevated-revoke-by-hand'].sort());
    expect(world.assumedRoles).toContain(REVOKER);
  });

  test('the JUMP# counts are never read as Identity Center grants: no assignment deleted, none taken over', async () => {
    // GIVEN: a count whose holder is dead, carrying fields an Identity Center grant record also has
    const dead = await grant('ACTIVE', 'ABORTED');
    await world.put('grants', { ...(await world.items('grants')).find((g) => g.grantKey === KEY), principalId: `jump:${USER}`, permissionSetArn: `arn:aws:iam::${PROD}:role/${ROLE}` });

    // WHEN
    const result = await world.reconcile();

    // THEN
    expect(world.reconcilerDeletes).toEqual([]);
    expect(result.removed).toEqual([]);
    expect(result.takenOver).toEqual([]);
    expect(result.staleReferences).toEqual([dead]);
    const item = (await world.items('grants')).find((g) => g.grantKey === KEY)!;
    expect(item.ownerRequestId).toBeUndefined();
    expect(item.heldBy).toBeUndefined();
  });

  test('without jump rules in the configuration nothing is assumed or swept (the policies end by themselves)', async () => {
    await grant('ACTIVE', 'ABORTED');
    await useJump(undefined);
    const result = await world.reconcile();
    expect(result.jumpPoliciesRemoved).toEqual([]);
    expect(world.assumedRoles).toEqual([]);
    expect(userPolicyNames()).toHaveLength(1);
  });
});
