// The reconciler's decisions on the inline policies it finds on jump users and elevated roles (jump-grants.ts, pure):
// what it may remove and, above all, what it must never remove.
import {
  grantPolicyDocument, grantPolicyName, requestIdOfPolicyName, revokePolicyDocument, revokePolicyName, sweepGrantPolicy, sweepSessionDeny,
  GRANT_POLICY_PREFIX, REVOKE_POLICY_PREFIX,
} from '../../src/elevated-access/handlers/jump-grants';

const ID = '0a1b2c3d-0000-4000-8000-00000000beef';
const NOW = Date.parse('2026-12-02T12:00:00Z');
const ROLE = 'lz-elevated-power';
const grant = (endMs: number) => grantPolicyDocument('aws', '555555555501', ROLE, new Date(endMs));
const deny = (revokedMs: number) => revokePolicyDocument('acme-alice', new Date(revokedMs));

describe('jump sweep decisions (jump-grants.ts)', () => {
  test('a grant whose end has passed is removed, even while its grant is live (it no longer works)', () => {
    expect(sweepGrantPolicy(grantPolicyName(ID), grant(NOW - 1000), NOW, new Set([ID]))).toMatchObject({ remove: true, requestId: ID });
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
    for (const name of names) expect([name, sweepGrantPolicy(name, ended, NOW, new Set()).remove]).toEqual([name, false]);
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
    for (const [i, d] of documents.entries()) expect([i, sweepGrantPolicy(grantPolicyName(ID), d, NOW, new Set()).remove]).toEqual([i, false]);
    // a single statement (not in a list) is the grant's shape too
    expect(sweepGrantPolicy(grantPolicyName(ID), { Statement: st }, NOW, new Set()).remove).toBe(true);
  });

  test('a session deny stays until the longest session plus a minute has passed since the revoke, then goes', () => {
    const revoked = NOW - (3600 + 60) * 1000;
    // the document rounds the revoke up to the second: a revoke on the second is exact
    expect(sweepSessionDeny(revokePolicyName(ID), deny(revoked), NOW, 3600)).toMatchObject({ remove: true, requestId: ID });
    expect(sweepSessionDeny(revokePolicyName(ID), deny(revoked + 1000), NOW, 3600).remove).toBe(false);
    expect(sweepSessionDeny(revokePolicyName(ID), deny(NOW - 10_000), NOW, 3600).remove).toBe(false);
    expect(sweepSessionDeny(revokePolicyName(ID), deny(NOW - 10_000), NOW, 0).remove).toBe(false);
    expect(sweepSessionDeny(revokePolicyName(ID), deny(NOW - 61_000), NOW, 0).remove).toBe(true);
  });

  test('attack: a session deny name or document the workflow did not write is never removed', () => {
    const old = deny(NOW - 24 * 3600_000) as any;
    const st = old.Statement[0];
    for (const name of [`lz-elevated-revoke-${ID}x`, `lz-elevated-grant-${ID}`, 'lz-elevated-revoke-', `Lz-elevated-revoke-${ID}`]) {
      expect([name, sweepSessionDeny(name, old, NOW, 3600).remove]).toEqual([name, false]);
    }
    for (const d of [undefined, { Statement: [{ ...st, Effect: 'Allow' }] }, { Statement: [st, st] }, { Statement: [{ ...st, Condition: {} }] }]) {
      expect(sweepSessionDeny(revokePolicyName(ID), d, NOW, 3600).remove).toBe(false);
    }
    expect(requestIdOfPolicyName(REVOKE_POLICY_PREFIX, revokePolicyName(ID))).toBe(ID);
  });
});
