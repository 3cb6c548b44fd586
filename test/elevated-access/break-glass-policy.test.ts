// Break-glass decisions (break-glass-policy.ts): which rules allow self-approval, for how long, with what reason,
// who may close the review, and when reminders are due.
import {
  evaluateBreakGlass, MIN_BREAK_GLASS_REASON, MIN_REVIEW_COMMENT, nextReminder, reviewRefusal,
} from '../../src/elevated-access/handlers/break-glass-policy';
import { AccessConfig, CompiledBreakGlass, PolicyError } from '../../src/elevated-access/handlers/policy';

const PS = 'arn:aws:sso:::permissionSet/ssoins-1/ps-1';
const OTHER_PS = 'arn:aws:sso:::permissionSet/ssoins-1/ps-2';
const A1 = '111111111111';
const A2 = '222222222222';
const REASON = 'the payment service is down and nobody answers';
const bg = (extra: Partial<CompiledBreakGlass> = {}): CompiledBreakGlass => ({
  accounts: [A1], permissionSets: [PS], maxDurationSeconds: 1800, reviewWithinSeconds: 7200, ...extra,
});

function config(eligibility: Partial<AccessConfig['eligibility'][number]>[]): AccessConfig {
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
      accounts: [A1, A2],
      permissionSets: [PS, OTHER_PS],
      maxDurationSeconds: 3600,
      approvals: 2,
      justificationRequired: false,
      ...e,
    })),
    approverRules: [{ name: 'leads', approvers: [{ type: 'GROUP', id: 'leads' }], accounts: [A1], permissionSets: [PS] }],
  };
}
const ask = { principalId: 'u1', groupIds: ['g1'], accountId: A1, permissionSetArn: PS, durationSeconds: 1800, justification: REASON };

describe('break-glass policy (break-glass-policy.ts)', () => {
  test('a break-glass rule allows self-approval: no approvals, its cap, its review window', () => {
    const p = evaluateBreakGlass(config([{ breakGlass: bg() }]), ask);
    expect(p).toEqual({
      matchedRules: ['r0'],
      approvals: 0,
      maxDurationSeconds: 1800,
      ticketPatterns: [],
      justificationRequired: false,
      breakGlassRules: ['r0'],
      reviewWithinSeconds: 7200,
    });
  });

  test('only on the accounts and permission sets break-glass names, and only for the rule\'s principals', () => {
    const c = config([{ breakGlass: bg() }]);
    expect(() => evaluateBreakGlass(c, { ...ask, accountId: A2 })).toThrow("no break-glass rule allows principal 'u1' permission set '" + PS + "' on account '222222222222'");
    expect(() => evaluateBreakGlass(c, { ...ask, permissionSetArn: OTHER_PS })).toThrow(/^no break-glass rule allows/);
    expect(() => evaluateBreakGlass(c, { ...ask, groupIds: [] })).toThrow(/^no eligibility rule allows/);
    // a rule without break-glass does not allow it, even when it matches
    expect(() => evaluateBreakGlass(config([{}]), ask)).toThrow(PolicyError);
  });

  test('a break-glass rule of another principal does not lend its break-glass to a matching rule without it', () => {
    const c = config([{}, { principals: [{ type: 'USER', id: 'someone-else' }], breakGlass: bg() }]);
    expect(() => evaluateBreakGlass(c, ask)).toThrow(/^no break-glass rule allows/);
  });

  test('the cap is the shortest of the break-glass rules, the rules and the session; the review window the shortest', () => {
    const c = config([{ breakGlass: bg({ maxDurationSeconds: 1200, reviewWithinSeconds: 3600 }) }, { breakGlass: bg({ maxDurationSeconds: 1800 }) }]);
    const p = evaluateBreakGlass(c, { ...ask, durationSeconds: 1200 });
    expect(p).toMatchObject({ maxDurationSeconds: 1200, reviewWithinSeconds: 3600, breakGlassRules: ['r0', 'r1'] });
    expect(() => evaluateBreakGlass(c, { ...ask, durationSeconds: 1201 })).toThrow('break-glass duration 1201s exceeds the break-glass maximum of 1200s');
    // the ordinary rule cap below the break-glass one wins
    const low = config([{ maxDurationSeconds: 600, breakGlass: bg() }]);
    expect(evaluateBreakGlass(low, { ...ask, durationSeconds: 600 }).maxDurationSeconds).toBe(600);
    expect(() => evaluateBreakGlass(low, { ...ask, durationSeconds: 601 })).toThrow(/exceeds the maximum of 600s/);
  });

  test('a reason is mandatory and must say what is happening, whatever justificationRequired says', () => {
    const c = config([{ breakGlass: bg() }]);
    const short = 'x'.repeat(MIN_BREAK_GLASS_REASON - 1);
    expect(MIN_BREAK_GLASS_REASON).toBe(20);
    expect(() => evaluateBreakGlass(c, { ...ask, justification: undefined })).toThrow('a break-glass reason of at least 20 characters is required');
    expect(() => evaluateBreakGlass(c, { ...ask, justification: `  ${short}   ` })).toThrow(/reason of at least 20/);
    expect(evaluateBreakGlass(c, { ...ask, justification: 'x'.repeat(MIN_BREAK_GLASS_REASON) }).approvals).toBe(0);
    // every problem at once
    expect(() => evaluateBreakGlass(c, { ...ask, justification: short, durationSeconds: 1801 }))
      .toThrow('break-glass duration 1801s exceeds the break-glass maximum of 1800s; a break-glass reason of at least 20 characters is required');
  });

  test('tickets still apply', () => {
    const c = config([{ breakGlass: bg(), ticketPattern: '^INC-\\d+$' }]);
    expect(() => evaluateBreakGlass(c, ask)).toThrow(/a ticket id matching/);
    expect(evaluateBreakGlass(c, { ...ask, ticketId: 'INC-1' }).ticketPatterns).toEqual(['^INC-\\d+$']);
  });

  test('the review is closed by an approver for the account and permission set, never the requester, with a comment', () => {
    const c = config([{ breakGlass: bg() }]);
    const r = { requesterId: 'u1', accountId: A1, permissionSetArn: PS };
    const comment = 'c'.repeat(MIN_REVIEW_COMMENT);
    expect(reviewRefusal(c, 'u2', ['leads'], r, comment)).toBeUndefined();
    expect(reviewRefusal(c, 'u1', ['leads'], r, comment)).toBe('the requester cannot review their own break-glass access');
    expect(reviewRefusal(c, 'u2', ['g1'], r, comment)).toBe('only an approver for this account and permission set may close the review');
    expect(reviewRefusal(c, 'u2', ['leads'], { ...r, accountId: A2 }, comment)).toMatch(/only an approver/);
    expect(reviewRefusal(c, 'u2', ['leads'], r, undefined)).toBe('a review comment of at least 10 characters is required');
    expect(reviewRefusal(c, 'u2', ['leads'], r, ` ${'c'.repeat(MIN_REVIEW_COMMENT - 1)} `)).toMatch(/review comment of at least 10/);
  });

  test('reminders: a quarter of the window apart until due, never past it, then on every run with the operators', () => {
    const now = 1_000_000_000;
    expect(nextReminder(now, now + 7200_000, 7200)).toEqual({ at: now + 1800_000, overdue: false });
    expect(nextReminder(now, now + 1000_000, 7200)).toEqual({ at: now + 1000_000, overdue: false });
    expect(nextReminder(now, now, 7200)).toEqual({ at: now, overdue: true });
    expect(nextReminder(now + 1, now, 7200)).toEqual({ at: now + 1, overdue: true });
    expect(nextReminder(now, now + 7200_000, 7199)).toEqual({ at: now + 1799_000, overdue: false });
  });
});
