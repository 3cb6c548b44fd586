// The step just before a jump user's grant (Recheck, access-step.lambda.ts -> jump-steps.ts): the request is held to
// the jump rules deployed now, and the approvals are recounted with the approvers' groups as IAM and the identity
// store list them now.
import './env';
import { USERS, World } from './world';
import { handler as stepHandler } from '../../src/elevated-access/handlers/access-step.lambda';
import * as identity from '../../src/elevated-access/handlers/identity';
import { JumpAccessConfig } from '../../src/elevated-access/handlers/jump-grants';
import { resetConfigCache } from '../../src/elevated-access/handlers/store';

const SHOP_PROD = '555555555501';
const ROLE = 'lz-elevated-power';
const IC_LEADS = 'ic-leads';
const JUMP_CONFIG: JumpAccessConfig = {
  jumpAccountId: '111111111111',
  partition: 'aws',
  elevatedSessionSeconds: 3600,
  eligibility: [{ name: 'vendors', principals: [{ type: 'GROUP', name: 'vendor-acme' }], accounts: [SHOP_PROD], roles: [ROLE], maxDurationSeconds: 7200, approvals: 2, justificationRequired: false }],
  approverRules: [{ name: 'leads', jumpApprovers: [{ type: 'GROUP', name: 'vendor-acme' }, { type: 'GROUP', name: 'jump-leads' }], identityCenterApprovers: [{ type: 'GROUP', id: IC_LEADS }], accounts: [SHOP_PROD], roles: [ROLE] }],
};

let world: World;
let jumpGroups: Record<string, string[]>;
beforeEach(async () => {
  world = await World.create();
  await world.put('requests', { requestId: '#config', config: JSON.stringify({ version: 1, pendingExpirySeconds: 3600, maxScheduleAheadSeconds: 0, permissionSets: {}, eligibility: [], approverRules: [], jump: JUMP_CONFIG }) });
  resetConfigCache();
  jumpGroups = { 'acme-alice': ['vendor-acme'], 'acme-andy': ['vendor-acme'], 'lead-lee': ['jump-leads'] };
  jest.spyOn(identity, 'currentJumpGroups').mockImplementation(async (name) => {
    if (!jumpGroups[name]) throw new Error(`no such user ${name}`);
    return jumpGroups[name];
  });
  USERS.bob.groups = [IC_LEADS];
});
afterEach(() => {
  jest.restoreAllMocks();
  world.restore();
});

async function recheck(approvals: string[]): Promise<unknown> {
  const requestId = `00000000-0000-4000-8000-${String(approvals.length).padStart(12, '0')}`;
  const now = new Date().toISOString();
  const ask = { grantKind: 'JUMP', accountId: SHOP_PROD, elevatedRoleName: ROLE, permissionSetArn: `arn:aws:iam::${SHOP_PROD}:role/${ROLE}`, instanceArn: '', durationSeconds: 3600 };
  const requester = { requesterId: 'jump:acme-alice', requesterName: 'acme-alice' };
  await world.put('requests', { requestId, status: 'APPROVED', ...ask, ...requester, requiredApprovals: 1, approvals, createdAt: now, pendingExpiresAt: now });
  return stepHandler({ action: 'recheck', requestId });
}

describe('jump recheck (local, real step handler)', () => {
  test('two approvers who still are, a jump user and an Identity Center user, reach the quorum the rules ask now', async () => {
    // WHEN / THEN
    await expect(recheck(['jump:lead-lee', USERS.bob.id])).resolves.toEqual({});
  });

  test('the requester\'s own approval, one of someone who left the group, or of a deleted user do not count', async () => {
    // GIVEN lee left jump-leads after approving
    jumpGroups['lead-lee'] = [];

    // WHEN
    const outcome = recheck(['jump:acme-alice', 'jump:lead-lee', 'jump:gone', 'jump:acme-andy']);

    // THEN
    await expect(outcome).rejects.toThrow('1 of the 2 approvals needed are by people who are still approvers for this account and role');
    await expect(outcome).rejects.toHaveProperty('name', 'PolicyError');
  });
});
