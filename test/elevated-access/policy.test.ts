// The rules as the handlers enforce them (policy.ts): which rules decide, the strictest wins, what a request must
// carry, who may approve, and which approvals still count just before the grant.
import {
  AccessConfig, approvalsStillValid, approversFor, effectivePolicy, evaluateRequest, grantKey, isEligibleApprover, PolicyError, requireQuorum,
} from '../../src/elevated-access/handlers/policy';

const PS = 'arn:aws:sso:::permissionSet/ssoins-1/ps-1';
const OTHER_PS = 'arn:aws:sso:::permissionSet/ssoins-1/ps-2';
const A1 = '111111111111';
const A2 = '222222222222';

function config(eligibility: Partial<AccessConfig['eligibility'][number]>[], approverRules: AccessConfig['approverRules'] = []): AccessConfig {
  return {
    version: 1,
    pendingExpirySeconds: 3600,
    maxScheduleAheadSeconds: 0,
    permissionSets: {
      [PS]: { name: 'Admin', instanceArn: 'arn:aws:sso:::instance/ssoins-1', sessionSeconds: 7200 },
      [OTHER_PS]: { name: 'Other', instanceArn: 'arn:aws:sso:::instance/ssoins-1', sessionSeconds: 3600 },
    },
    eligibility: eligibility.map((e, i) => ({
      name: `r${i}`,
      principals: [{ type: 'GROUP', id: 'g1' }],
      accounts: [A1],
      permissionSets: [PS],
      maxDurationSeconds: 3600,
      approvals: 0,
      justificationRequired: false,
      ...e,
    })),
    approverRules,
  };
}
const ask = { principalId: 'u1', groupIds: ['g1'], accountId: A1, permissionSetArn: PS };
const leads = { name: 'leads', approvers: [{ type: 'GROUP' as const, id: 'leads' }, { type: 'USER' as const, id: 'boss' }], accounts: [A1], permissionSets: [PS] };

describe('elevated-access policy (policy.ts)', () => {
  test('a rule decides only when principal, account and permission set all match', () => {
    const c = config([{}]);
    expect(effectivePolicy(c, ask)?.matchedRules).toEqual(['r0']);
    expect(effectivePolicy(c, { ...ask, accountId: A2 })).toBeUndefined();
    expect(effectivePolicy(c, { ...ask, permissionSetArn: OTHER_PS })).toBeUndefined();
    expect(effectivePolicy(c, { ...ask, groupIds: ['g2'] })).toBeUndefined();
    // a user rule matches the user id, not a group of the same id
    const byUser = config([{ principals: [{ type: 'USER', id: 'u1' }] }]);
    expect(effectivePolicy(byUser, ask)?.matchedRules).toEqual(['r0']);
    expect(effectivePolicy(byUser, { ...ask, principalId: 'u2', groupIds: ['u1'] })).toBeUndefined();
    const byGroup = config([{ principals: [{ type: 'GROUP', id: 'u1' }] }]);
    expect(effectivePolicy(byGroup, { ...ask, groupIds: [] })).toBeUndefined();
  });

  test('between matching rules the strictest wins per attribute; the session caps the duration', () => {
    const c = config([
      { approvals: 1, maxDurationSeconds: 7200, ticketPattern: '^A', justificationRequired: false },
      { approvals: 3, maxDurationSeconds: 1800, ticketPattern: '^B', justificationRequired: true },
      { approvals: 0, maxDurationSeconds: 5400, ticketPattern: '^A', justificationRequired: false },
    ]);
    expect(effectivePolicy(c, ask)).toEqual({ matchedRules: ['r0', 'r1', 'r2'], approvals: 3, maxDurationSeconds: 1800, ticketPatterns: ['^A', '^B'], justificationRequired: true });
    const long = config([{ maxDurationSeconds: 12 * 3600 }]);
    expect(effectivePolicy(long, ask)!.maxDurationSeconds).toBe(7200);
    const unknown = { ...long, permissionSets: {} };
    expect(effectivePolicy(unknown, ask)!.maxDurationSeconds).toBe(12 * 3600);
  });

  test('evaluateRequest refuses what the rules do not allow, with every reason at once', () => {
    const c = config([{ ticketPattern: '^CHG-\\d+$', justificationRequired: true, maxDurationSeconds: 1800 }]);
    expect(() => evaluateRequest(c, { ...ask, permissionSetArn: 'arn:x', durationSeconds: 60 })).toThrow(new PolicyError("permission set 'arn:x' is not managed by this workflow"));
    expect(() => evaluateRequest(c, { ...ask, accountId: A2, durationSeconds: 60 })).toThrow(`no eligibility rule allows principal 'u1' permission set '${PS}' on account '${A2}'`);
    expect(() => evaluateRequest(c, { ...ask, durationSeconds: 59, ticketId: 'CHG-1', justification: 'a good reason' })).toThrow('duration must be a whole number of seconds of at least 60, got 59');
    expect(() => evaluateRequest(c, { ...ask, durationSeconds: 90.5, ticketId: 'CHG-1', justification: 'a good reason' })).toThrow('duration must be a whole number of seconds of at least 60, got 90.5');
    expect(() => evaluateRequest(c, { ...ask, durationSeconds: 1801, ticketId: 'CHG-1', justification: 'a good reason' })).toThrow('duration 1801s exceeds the maximum of 1800s');
    expect(() => evaluateRequest(c, { ...ask, durationSeconds: 60, ticketId: 'INC-1', justification: 'a good reason' })).toThrow("ticket id 'INC-1' does not match /^CHG-\\d+$/");
    expect(() => evaluateRequest(c, { ...ask, durationSeconds: 60, ticketId: 'CHG-1', justification: '   short    ' })).toThrow('a justification of at least 10 characters is required');
    try {
      evaluateRequest(c, { ...ask, durationSeconds: 4000 });
      throw new Error('not refused');
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      expect((e as Error).name).toBe('PolicyError');
      expect((e as Error).message).toBe('duration 4000s exceeds the maximum of 1800s; a ticket id matching /^CHG-\\d+$/ is required; a justification of at least 10 characters is required');
    }
    // exactly at the limits passes
    expect(evaluateRequest(c, { ...ask, durationSeconds: 1800, ticketId: 'CHG-1', justification: '0123456789' }).matchedRules).toEqual(['r0']);
    expect(evaluateRequest(config([{}]), { ...ask, durationSeconds: 60 }).approvals).toBe(0);
  });

  test('approvers are scoped per account and permission set, by group or by user', () => {
    const c = config([{}], [leads]);
    expect(isEligibleApprover(c, 'x', ['leads'], A1, PS)).toBe(true);
    expect(isEligibleApprover(c, 'boss', [], A1, PS)).toBe(true);
    expect(isEligibleApprover(c, 'x', ['boss'], A1, PS)).toBe(false);
    expect(isEligibleApprover(c, 'leads', [], A1, PS)).toBe(false);
    expect(isEligibleApprover(c, 'x', ['leads'], A2, PS)).toBe(false);
    expect(isEligibleApprover(c, 'x', ['leads'], A1, OTHER_PS)).toBe(false);
    expect(approversFor(c, A1, PS)).toEqual(leads.approvers);
    expect(approversFor(c, A2, PS)).toEqual([]);
    expect(approversFor(c, A1, OTHER_PS)).toEqual([]);
  });

  test('just before the grant, only approvers who still are count, each once, never the requester', () => {
    const c = config([{}], [leads]);
    const valid = approvalsStillValid(c, 'u1', A1, PS, [
      { userId: 'a', groupIds: ['leads'] },
      { userId: 'a', groupIds: ['leads'] }, // the same person twice
      { userId: 'removed', groupIds: [] }, // left the group since approving
      { userId: 'u1', groupIds: ['leads'] }, // the requester
      { userId: 'boss', groupIds: [] },
    ]);
    expect(valid).toEqual(['a', 'boss']);
    expect(approvalsStillValid(c, 'u1', A2, PS, [{ userId: 'a', groupIds: ['leads'] }])).toEqual([]);
  });

  test('the quorum before the grant: the more of the rules\' approvals now and the request\'s, read only when one is needed', async () => {
    // GIVEN
    const reads: string[] = [];
    const valid = (...ids: string[]) => async () => {
      reads.push('read');
      return ids;
    };
    class Refused extends Error {}

    // THEN
    await expect(requireQuorum(0, 0, valid(), 'account and permission set')).resolves.toBeUndefined();
    expect(reads).toEqual([]);
    await expect(requireQuorum(2, 1, valid('a', 'b'), 'x')).resolves.toBeUndefined();
    await expect(requireQuorum(1, 2, valid('a', 'b'), 'x')).resolves.toBeUndefined();
    await expect(requireQuorum(2, 1, valid('a'), 'account and permission set')).rejects.toThrow(
      new PolicyError('1 of the 2 approvals needed are by people who are still approvers for this account and permission set'));
    await expect(requireQuorum(0, 2, valid('a'), 'account and role')).rejects.toThrow(
      '1 of the 2 approvals needed are by people who are still approvers for this account and role');
    await expect(requireQuorum(1, 0, valid(), 'x')).rejects.toBeInstanceOf(PolicyError);
    await expect(requireQuorum(1, 0, valid(), 'x', Refused)).rejects.toBeInstanceOf(Refused);
    expect(reads).toHaveLength(6);
  });

  test('one grant record per user, permission set and account', () => {
    expect(grantKey('u1', PS, A1)).toBe(`u1#${PS}#${A1}`);
  });
});
