// The jump rules as the handlers enforce them (jump-grants.ts): which rules decide, the strictest wins, what a request
// must carry, who may approve, which approvals still count, the exact documents a grant and a revoke write, and the
// reconciler's decisions on the policies it finds: what it may remove and, above all, what it must never remove.
import {
  CompiledJumpRule, elevatedRoleArn, evaluateJumpRequest, GRANT_POLICY_PREFIX, grantPolicyDocument, grantPolicyName, isJumpApprover,
  JumpAccessConfig, jumpApprovalsStillValid, JumpAsk, JumpPolicyError, requestIdOfPolicyName, REVOKE_POLICY_PREFIX, revokePolicyDocument,
  revokePolicyName, sweepGrantPolicy, sweepSessionDeny,
} from '../../src/elevated-access/handlers/jump-grants';

const A1 = '555555555501';
const A2 = '555555555502';
const POWER = 'lz-elevated-power';
const ADMIN = 'lz-elevated-admin';

function config(eligibility: Partial<CompiledJumpRule>[], approverRules: JumpAccessConfig['approverRules'] = []): JumpAccessConfig {
  return {
    jumpAccountId: '111111111111',
    partition: 'aws',
    elevatedSessionSeconds: 3600,
    eligibility: eligibility.map((e, i) => ({
      name: `r${i}`,
      principals: [{ type: 'GROUP', name: 'vendor-acme' }],
      accounts: [A1],
      roles: [POWER],
      maxDurationSeconds: 7200,
      approvals: 0,
      justificationRequired: false,
      ...e,
    })),
    approverRules,
  };
}
const ask: JumpAsk = { userName: 'acme-alice', groups: ['vendor-acme'], accountId: A1, roleName: POWER, durationSeconds: 3600 };
const refusal = (c: JumpAccessConfig, a: Partial<JumpAsk>): string => {
  try {
    evaluateJumpRequest(c, { ...ask, ...a });
  } catch (e) {
    expect(e).toBeInstanceOf(JumpPolicyError);
    expect((e as Error).name).toBe('PolicyError');
    return (e as Error).message;
  }
  throw new Error('not refused');
};

describe('jump rules (jump-grants.ts)', () => {
  test('a rule decides only when user or group, account and role all match; IAM names match case-insensitively', () => {
    // GIVEN
    const byGroup = config([{}]);
    const byUser = config([{ principals: [{ type: 'USER', name: 'Acme-Alice' }] }]);

    // THEN
    expect(evaluateJumpRequest(byGroup, { ...ask, groups: ['VENDOR-ACME'] }).matchedRules).toEqual(['r0']);
    expect(evaluateJumpRequest(byUser, { ...ask, groups: [] }).matchedRules).toEqual(['r0']);
    expect(refusal(byGroup, { accountId: A2 })).toBe(`no eligibility rule allows jump user 'acme-alice' role '${POWER}' on account '${A2}'`);
    expect(refusal(byGroup, { roleName: ADMIN })).toMatch(/^no eligibility rule/);
    expect(refusal(byGroup, { groups: ['vendor-globex'] })).toMatch(/^no eligibility rule/);
    // a user rule names the user, not a group of that name; a group rule names a group, not a user of that name
    expect(refusal(byUser, { userName: 'globex-bob', groups: ['acme-alice'] })).toMatch(/^no eligibility rule/);
    expect(refusal(byGroup, { userName: 'vendor-acme', groups: [] })).toMatch(/^no eligibility rule/);
  });

  test('between matching rules the strictest wins: most approvals, shortest duration, every ticket pattern, any justification', () => {
    // GIVEN
    const c = config([
      { approvals: 1, maxDurationSeconds: 7200, ticketPattern: '^CHG-' },
      { approvals: 2, maxDurationSeconds: 3600, ticketPattern: '^CHG-', justificationRequired: true },
      { approvals: 0, maxDurationSeconds: 5400, ticketPattern: '[0-9]$' },
      { accounts: [A2], approvals: 5, maxDurationSeconds: 60 },
    ]);

    // WHEN
    const policy = evaluateJumpRequest(c, { ...ask, ticketId: 'CHG-42', justification: 'deploy the fix' });

    // THEN
    expect(policy).toEqual({
      matchedRules: ['r0', 'r1', 'r2'], approvals: 2, maxDurationSeconds: 3600, ticketPatterns: ['^CHG-', '[0-9]$'], justificationRequired: true,
    });
    expect(evaluateJumpRequest(config([{}]), ask)).toEqual({
      matchedRules: ['r0'], approvals: 0, maxDurationSeconds: 7200, ticketPatterns: [], justificationRequired: false,
    });
  });

  test('a request carries a whole duration of 60s up to the maximum, a matching ticket, a justification of 10 characters', () => {
    // GIVEN
    const c = config([{ maxDurationSeconds: 3600, ticketPattern: '^CHG-[0-9]+$', justificationRequired: true }]);
    const ok = { ticketId: 'CHG-42', justification: '0123456789' };

    // THEN
    expect(evaluateJumpRequest(c, { ...ask, ...ok, durationSeconds: 60 }).matchedRules).toEqual(['r0']);
    expect(evaluateJumpRequest(c, { ...ask, ...ok, durationSeconds: 3600 }).matchedRules).toEqual(['r0']);
    expect(refusal(c, { ...ok, durationSeconds: 59 })).toBe('duration must be a whole number of seconds of at least 60, got 59');
    expect(refusal(c, { ...ok, durationSeconds: 90.5 })).toBe('duration must be a whole number of seconds of at least 60, got 90.5');
    expect(refusal(c, { ...ok, durationSeconds: 3601 })).toBe('duration 3601s exceeds the maximum of 3600s');
    expect(refusal(c, { ...ok, ticketId: undefined })).toBe('a ticket id matching /^CHG-[0-9]+$/ is required');
    expect(refusal(c, { ...ok, ticketId: 'CHG-4x' })).toBe("ticket id 'CHG-4x' does not match /^CHG-[0-9]+$/");
    expect(refusal(c, { ...ok, justification: ' 012345678 ' })).toBe('a justification of at least 10 characters is required');
    expect(refusal(c, { ...ok, justification: undefined })).toBe('a justification of at least 10 characters is required');
    // every problem at once, so the requester fixes them in one go
    expect(refusal(c, { durationSeconds: 3601 })).toBe(
      'duration 3601s exceeds the maximum of 3600s; a ticket id matching /^CHG-[0-9]+$/ is required; a justification of at least 10 characters is required');
    // without the rules asking for them, neither ticket nor justification is needed
    expect(evaluateJumpRequest(config([{}]), { ...ask, justification: '' }).matchedRules).toEqual(['r0']);
  });

  test('approvers: jump users by name or group, Identity Center users by id or group, only for their accounts and roles', () => {
    // GIVEN
    const c = config([{}], [
      { name: 'leads', jumpApprovers: [{ type: 'GROUP', name: 'Jump-Leads' }, { type: 'USER', name: 'Boss' }], identityCenterApprovers: [], accounts: [A1], roles: [POWER] },
      { name: 'ic', jumpApprovers: [], identityCenterApprovers: [{ type: 'GROUP', id: 'g-ops' }, { type: 'USER', id: 'u-1' }], accounts: [A1], roles: [POWER] },
    ]);
    const may = (kind: 'JUMP' | 'IDENTITY_CENTER', id: string, groups: string[], accountId = A1, roleName = POWER) =>
      isJumpApprover(c, { kind, id, groups }, accountId, roleName);

    // THEN
    expect(may('JUMP', 'lead-lee', ['jump-leads'])).toBe(true);
    expect(may('JUMP', 'boss', [])).toBe(true);
    expect(may('IDENTITY_CENTER', 'u-2', ['g-ops'])).toBe(true);
    expect(may('IDENTITY_CENTER', 'u-1', [])).toBe(true);
    expect(may('JUMP', 'lead-lee', ['jump-leads'], A2)).toBe(false);
    expect(may('JUMP', 'lead-lee', ['jump-leads'], A1, ADMIN)).toBe(false);
    expect(may('IDENTITY_CENTER', 'u-1', [], A2)).toBe(false);
    // the kinds do not mix: an Identity Center id is no jump user, a jump user name is no identity store id
    expect(may('JUMP', 'u-1', ['g-ops'])).toBe(false);
    expect(may('IDENTITY_CENTER', 'boss', ['jump-leads'])).toBe(false);
    // Identity Center ids are compared exactly, a user id is not a group id
    expect(may('IDENTITY_CENTER', 'U-1', [])).toBe(false);
    expect(may('IDENTITY_CENTER', 'g-ops', [])).toBe(false);
    expect(may('IDENTITY_CENTER', 'u-3', ['u-1'])).toBe(false);
  });

  test('approvals still valid: eligible now, never the requester (whatever the case), each person once', () => {
    // GIVEN
    const c = config([{}], [
      { name: 'all', jumpApprovers: [{ type: 'GROUP', name: 'vendor-acme' }], identityCenterApprovers: [{ type: 'GROUP', id: 'g-ops' }], accounts: [A1], roles: [POWER] },
    ]);

    // WHEN
    const valid = jumpApprovalsStillValid(c, 'Acme-Alice', A1, POWER, [
      { kind: 'JUMP', id: 'acme-alice', groups: ['vendor-acme'] },
      { kind: 'JUMP', id: 'Acme-Bob', groups: ['vendor-acme'] },
      { kind: 'JUMP', id: 'acme-bob', groups: ['vendor-acme'] },
      { kind: 'IDENTITY_CENTER', id: 'acme-alice', groups: ['g-ops'] },
      { kind: 'IDENTITY_CENTER', id: 'U-7', groups: ['g-ops'] },
      { kind: 'JUMP', id: 'left-the-group', groups: [] },
    ]);

    // THEN
    expect(valid).toEqual(['JUMP:acme-bob', 'IDENTITY_CENTER:acme-alice', 'IDENTITY_CENTER:U-7']);
    expect(jumpApprovalsStillValid(c, 'acme-alice', A2, POWER, [{ kind: 'JUMP', id: 'acme-bob', groups: ['vendor-acme'] }])).toEqual([]);
  });

  test('names and ARNs: the grant and revoke policies carry their prefixes, the elevated role its account and partition', () => {
    // THEN
    expect(grantPolicyName('req-1')).toBe('lz-elevated-grant-req-1');
    expect(revokePolicyName('req-1')).toBe('lz-elevated-revoke-req-1');
    expect(elevatedRoleArn('aws-us-gov', A1, POWER)).toBe(`arn:aws-us-gov:iam::${A1}:role/${POWER}`);
  });

  test('the grant document: assume exactly this role, with MFA, before the end (to the second)', () => {
    // WHEN
    const doc = grantPolicyDocument('aws', A1, POWER, new Date('2026-12-02T12:00:00.999Z'));

    // THEN
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'ElevatedUntilEnd',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: `arn:aws:iam::${A1}:role/${POWER}`,
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, DateLessThan: { 'aws:CurrentTime': '2026-12-02T12:00:00Z' } },
      }],
    });
  });

  test('the revoke document: deny everything to this user\'s sessions issued before the revoke, rounded up to the second', () => {
    // WHEN
    const doc = revokePolicyDocument('acme-alice', new Date('2026-12-02T11:30:00.250Z'));
    const onTheSecond = revokePolicyDocument('acme-alice', new Date('2026-12-02T11:30:00.000Z'));

    // THEN
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'EndSessionsIssuedBeforeRevoke',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringLike: { 'aws:userid': '*:acme-alice' }, DateLessThan: { 'aws:TokenIssueTime': '2026-12-02T11:30:01Z' } },
      }],
    });
    expect((onTheSecond as any).Statement[0].Condition.DateLessThan).toEqual({ 'aws:TokenIssueTime': '2026-12-02T11:30:00Z' });
  });
});

const ID = '0a1b2c3d-0000-4000-8000-00000000beef';
const NOW = Date.parse('2026-12-02T12:00:00Z');
const grant = (endMs: number) => grantPolicyDocument('aws', A1, POWER, new Date(endMs));
const deny = (revokedMs: number) => revokePolicyDocument('acme-alice', new Date(revokedMs));

describe('jump sweep decisions (jump-grants.ts)', () => {
  test('a grant whose end has passed is removed, even while its grant is live (it no longer works)', () => {
    expect(sweepGrantPolicy(grantPolicyName(ID), grant(NOW - 1000), NOW, new Set([ID])))
      .toEqual({ remove: true, reason: 'its end 2026-12-02T11:59:59.000Z has passed', requestId: ID });
    expect(sweepGrantPolicy(grantPolicyName(ID), grant(NOW), NOW, new Set([ID])).remove).toBe(true);
  });

  test('a grant before its end is kept while its request holds a live grant, removed when none does', () => {
    expect(sweepGrantPolicy(grantPolicyName(ID), grant(NOW + 1000), NOW, new Set([ID]))).toEqual({ remove: false, reason: 'a live grant holds it', requestId: ID });
    expect(sweepGrantPolicy(grantPolicyName(ID), grant(NOW + 1000), NOW, new Set(['0a1b2c3d-0000-4000-8000-000000000001'])))
      .toEqual({ remove: true, reason: 'no live grant holds it', requestId: ID });
  });

  test('attack: a policy named like a grant but not written by the workflow is never removed', () => {
    const ended = grant(NOW - 3600_000);
    const names = [
      'lz-elevated-grant', `lz-elevated-grant-${ID}-extra`, `LZ-ELEVATED-GRANT-${ID}`, `x-lz-elevated-grant-${ID}`, 'lz-elevated-grant-admin',
      `lz-elevated-grant-${ID.toUpperCase()}`, `lz-elevated-revoke-${ID}`, `${GRANT_POLICY_PREFIX} ${ID}`,
    ];
    for (const name of names) expect([name, sweepGrantPolicy(name, ended, NOW, new Set())]).toEqual([name, { remove: false, reason: 'not a grant policy name of the workflow' }]);
    expect(requestIdOfPolicyName(GRANT_POLICY_PREFIX, `lz-elevated-grant-${ID}-extra`)).toBeUndefined();
  });

  test('attack: a grant name over a document the workflow did not write (or cannot parse) is never removed', () => {
    const base = grant(NOW - 1000) as any;
    const st = base.Statement[0];
    const documents: unknown[] = [
      undefined, null, 'not json', {}, { Statement: [] },
      { ...base, Statement: [st, st] }, // a second statement someone added
      { ...base, Statement: [{ ...st, Effect: 'Deny' }] },
      { ...base, Statement: [{ ...st, Action: 'iam:*' }] },
      { ...base, Statement: [{ ...st, Condition: { Bool: st.Condition.Bool } }] }, // no end: standing
      { ...base, Statement: [{ ...st, Condition: { DateLessThan: { 'aws:CurrentTime': 'soon' } } }] },
    ];
    documents.push(
      { ...base, Statement: [null] },
      { ...base, Statement: [{ ...st, Condition: undefined }] },
      { ...base, Statement: [{ ...st, Condition: { DateLessThan: { 'aws:CurrentTime': 0 } } }] }, // Date.parse(0) is a date: not IAM's
    );
    for (const [i, d] of documents.entries()) {
      expect([i, sweepGrantPolicy(grantPolicyName(ID), d, NOW, new Set())]).toEqual([i, { remove: false, reason: 'not a grant document of the workflow', requestId: ID }]);
    }
    // a single statement (not in a list) is the grant's shape too
    expect(sweepGrantPolicy(grantPolicyName(ID), { Statement: st }, NOW, new Set()).remove).toBe(true);
  });

  test('a session deny stays until the longest session plus a minute has passed since the revoke, then goes', () => {
    const revoked = NOW - (3600 + 60) * 1000;
    // the document rounds the revoke up to the second: a revoke on the second is exact
    expect(sweepSessionDeny(revokePolicyName(ID), deny(revoked), NOW, 3600))
      .toEqual({ remove: true, reason: 'every session it cuts ended by 2026-12-02T12:00:00.000Z', requestId: ID });
    expect(sweepSessionDeny(revokePolicyName(ID), deny(revoked + 1000), NOW, 3600))
      .toEqual({ remove: false, reason: 'sessions it cuts may last until 2026-12-02T12:00:01.000Z', requestId: ID });
    expect(sweepSessionDeny(revokePolicyName(ID), deny(NOW - 10_000), NOW, 3600).remove).toBe(false);
    expect(sweepSessionDeny(revokePolicyName(ID), deny(NOW - 10_000), NOW, 0).remove).toBe(false);
    expect(sweepSessionDeny(revokePolicyName(ID), deny(NOW - 61_000), NOW, 0).remove).toBe(true);
  });

  test('attack: a session deny name or document the workflow did not write is never removed', () => {
    const old = deny(NOW - 24 * 3600_000) as any;
    const st = old.Statement[0];
    for (const name of [`lz-elevated-revoke-${ID}x`, `lz-elevated-grant-${ID}`, 'lz-elevated-revoke-', `Lz-elevated-revoke-${ID}`]) {
      expect([name, sweepSessionDeny(name, old, NOW, 3600)]).toEqual([name, { remove: false, reason: 'not a session deny name of the workflow' }]);
    }
    const documents = [undefined, { Statement: [{ ...st, Effect: 'Allow' }] }, { Statement: [st, st] }, { Statement: [{ ...st, Condition: {} }] },
      { Statement: [{ ...st, Condition: undefined }] }];
    for (const [i, d] of documents.entries()) {
      expect([i, sweepSessionDeny(revokePolicyName(ID), d, NOW, 3600)]).toEqual([i, { remove: false, reason: 'not a session deny document of the workflow', requestId: ID }]);
    }
    expect(requestIdOfPolicyName(REVOKE_POLICY_PREFIX, revokePolicyName(ID))).toBe(ID);
  });
});
