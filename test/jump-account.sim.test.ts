// Semantic tests: the synthesized jump-account and target-role policies, evaluated by an IAM policy simulator.
import { PolicyJson, simulate, withMfa } from './helpers/iam-sim';
import { ACQUIRED, buildJumpFixture, JUMP, JumpFixture, OUTSIDER } from './helpers/jump-fixture';

const ROLE_NAMES = ['lz-power', 'lz-read-only', 'lz-admin'];
const VENDOR_IP = '203.0.113.10';

// Trust that accepts anything from the jump account: isolates what the user's own policies allow.
const OPEN_TRUST: PolicyJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${JUMP}:root` }, Action: 'sts:AssumeRole' }],
};

function userArn(name: string): string {
  return `arn:aws:iam::${JUMP}:user/${name}`;
}

function roleArn(account: string, role: string): string {
  return `arn:aws:iam::${account}:role/${role}`;
}

let fx: JumpFixture;
beforeAll(() => {
  fx = buildJumpFixture();
});

function allAccounts(): string[] {
  return [...fx.org.accounts.map((a) => a.accountId), ACQUIRED, OUTSIDER];
}

/** What each user may reach, written from the fixture's description, not from the code under test. */
function expectedRoles(user: string): Set<string> {
  const nonProd = fx.org.accountsIn('Workloads/NonProd').map((a) => a.accountId);
  const prod = fx.org.accountsIn('Workloads/Prod').map((a) => a.accountId);
  const workloads = fx.org.accountsIn('Workloads').map((a) => a.accountId);
  const acme = [...nonProd.map((a) => `${a}/lz-power`), ...prod.map((a) => `${a}/lz-read-only`)];
  const auditors = [...workloads, ACQUIRED].map((a) => `${a}/lz-read-only`);
  switch (user) {
    case 'alice': return new Set(acme);
    case 'bob': return new Set(auditors);
    case 'carol': return new Set([...acme, ...auditors]);
    default: return new Set();
  }
}

describe('JumpAccount (simulated)', () => {
  test('a jump user without MFA can do nothing but set up MFA and change the password', async () => {
    // GIVEN
    const bob = fx.jumpPolicies.forUser('bob');
    const noMfa = { 'aws:MultiFactorAuthPresent': 'false' };
    const may = [
      { action: 'iam:CreateVirtualMFADevice', resource: `arn:aws:iam::${JUMP}:mfa/bob` },
      { action: 'iam:EnableMFADevice', resource: userArn('bob') },
      { action: 'iam:ChangePassword', resource: userArn('bob') },
      { action: 'iam:GetAccountPasswordPolicy', resource: '*' },
    ];
    const mayNot = [
      { action: 'sts:AssumeRole', resource: roleArn('555555555501', 'lz-read-only') },
      { action: 'iam:CreateAccessKey', resource: userArn('bob') },
      { action: 'iam:DeactivateMFADevice', resource: userArn('bob') },
      { action: 'iam:ListUsers', resource: '*' },
      { action: 's3:ListAllMyBuckets', resource: '*' },
    ];

    // WHEN
    const allowed = await Promise.all(may.map((r) => simulate(
      { identityPolicies: bob.identityPolicies }, { principal: bob.arn, ...r, context: noMfa })));
    const denied = await Promise.all(mayNot.map((r) => simulate(
      { identityPolicies: bob.identityPolicies, resourcePolicy: r.action === 'sts:AssumeRole' ? OPEN_TRUST : undefined },
      { principal: bob.arn, ...r, context: noMfa })));
    // access keys without an MFA session carry no MFA key at all
    const keyOnly = await simulate({ identityPolicies: bob.identityPolicies, resourcePolicy: OPEN_TRUST },
      { principal: bob.arn, action: 'sts:AssumeRole', resource: roleArn('555555555501', 'lz-read-only') });

    // THEN
    expect(allowed.map((r) => r.decision)).toEqual(may.map(() => 'Allowed'));
    expect(denied.map((r) => r.decision)).toEqual(mayNot.map(() => expect.stringMatching(/Denied$/)));
    expect(denied[0].decision).toBe('ExplicitlyDenied');
    expect(denied[0].reason).toMatch(/DenyAllExceptMfaSetupWithoutMfa/);
    expect(keyOnly.decision).toBe('ExplicitlyDenied');
  });

  test.each(['alice', 'bob', 'carol'])('with MFA, %s can assume exactly its groups\' roles, no other', async (user) => {
    // GIVEN
    const p = fx.jumpPolicies.forUser(user);
    const expected = expectedRoles(user);
    const context = withMfa(60, { 'aws:SourceIp': VENDOR_IP });

    // WHEN: every account x role name, against a trust policy that accepts anything from the jump account
    const got = new Set<string>();
    for (const account of allAccounts()) {
      for (const role of ROLE_NAMES) {
        const r = await simulate({ identityPolicies: p.identityPolicies, resourcePolicy: OPEN_TRUST },
          { principal: p.arn, action: 'sts:AssumeRole', resource: roleArn(account, role), context });
        if (r.allowed) got.add(`${account}/${role}`);
      }
    }

    // THEN
    expect(expected.size).toBeGreaterThan(0);
    expect([...got].sort()).toEqual([...expected].sort());
  });

  test('end to end, a user with MFA gets in through the real trust policy of each role it may reach', async () => {
    // GIVEN
    const alice = fx.jumpPolicies.forUser('alice');
    const context = withMfa(60, { 'aws:SourceIp': VENDOR_IP, 'sts:RoleSessionName': 'alice' });

    // WHEN
    const results = await Promise.all([...expectedRoles('alice')].map(async (k) => {
      const [account, role] = k.split('/');
      const trust = fx.targetPolicies(account).forRole(role).trustPolicy;
      return simulate({ identityPolicies: alice.identityPolicies, resourcePolicy: trust },
        { principal: alice.arn, action: 'sts:AssumeRole', resource: roleArn(account, role), context });
    }));

    // THEN
    expect(results.map((r) => r.decision)).toEqual(results.map(() => 'Allowed'));
  });

  test('from a disallowed address a restricted user can do nothing, even with MFA', async () => {
    // GIVEN
    const alice = fx.jumpPolicies.forUser('alice');
    const from = (ip: string, extra: Record<string, string> = {}) => withMfa(60, { 'aws:SourceIp': ip, ...extra });
    const requests = [
      { action: 'sts:AssumeRole', resource: roleArn('444444444401', 'lz-power') },
      { action: 'iam:ChangePassword', resource: userArn('alice') },
      { action: 'iam:CreateAccessKey', resource: userArn('alice') },
      { action: 'iam:CreateVirtualMFADevice', resource: `arn:aws:iam::${JUMP}:mfa/alice` },
    ];
    const run = (ctx: Record<string, string | string[]>) => Promise.all(requests.map((r) => simulate(
      { identityPolicies: alice.identityPolicies, resourcePolicy: r.action === 'sts:AssumeRole' ? OPEN_TRUST : undefined },
      { principal: alice.arn, ...r, context: ctx })));

    // WHEN
    const outside = await run(from('198.51.100.7'));
    const inside = await run(from(VENDOR_IP));
    const viaService = await run(from('198.51.100.7', { 'aws:ViaAWSService': 'true' }));

    // THEN
    expect(outside.map((r) => r.decision)).toEqual(requests.map(() => 'ExplicitlyDenied'));
    expect(outside[0].reason).toMatch(/DenyOutsideGroupSourceAddresses/);
    expect(inside.map((r) => r.decision)).toEqual(requests.map(() => 'Allowed'));
    expect(viaService.map((r) => r.decision)).toEqual(requests.map(() => 'Allowed'));
  });

  test('a group restriction applies to everything its members do, also through their other groups', async () => {
    // GIVEN: carol is in vendor-acme (restricted) and auditors (not restricted)
    const carol = fx.jumpPolicies.forUser('carol');
    const bob = fx.jumpPolicies.forUser('bob');
    const req = { action: 'sts:AssumeRole', resource: roleArn('555555555502', 'lz-read-only'), context: withMfa(60, { 'aws:SourceIp': '198.51.100.7' }) };

    // WHEN
    const c = await simulate({ identityPolicies: carol.identityPolicies, resourcePolicy: OPEN_TRUST }, { principal: carol.arn, ...req });
    const b = await simulate({ identityPolicies: bob.identityPolicies, resourcePolicy: OPEN_TRUST }, { principal: bob.arn, ...req });

    // THEN
    expect(c.decision).toBe('ExplicitlyDenied');
    expect(b.decision).toBe('Allowed');
  });

  test('the account-wide source addresses apply to every user', async () => {
    // GIVEN
    const restricted = buildJumpFixture({ allowedSourceCidrs: ['192.0.2.0/24', '2001:db8::/32'] });
    const bob = restricted.jumpPolicies.forUser('bob');
    const ask = (ip: string) => simulate({ identityPolicies: bob.identityPolicies, resourcePolicy: OPEN_TRUST },
      { principal: bob.arn, action: 'sts:AssumeRole', resource: roleArn('555555555502', 'lz-read-only'), context: withMfa(60, { 'aws:SourceIp': ip }) });

    // WHEN
    const [outside, v4, v6] = await Promise.all([ask('198.51.100.7'), ask('192.0.2.44'), ask('2001:db8::1')]);

    // THEN
    expect(outside.decision).toBe('ExplicitlyDenied');
    expect(outside.reason).toMatch(/DenyOutsideAllowedSourceAddresses/);
    expect(v4.decision).toBe('Allowed');
    expect(v6.decision).toBe('Allowed');
  });
});
