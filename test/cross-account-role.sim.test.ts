// Semantic tests: trust policies and the boundary of target roles, evaluated by an IAM policy simulator.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CrossAccountRole, CrossAccountRoleProps, JumpAccount, LandingZoneBoundary, PermissionLevel } from '../src';
import { PolicyJson, PrincipalPolicies, simulate, TemplatePolicies, withMfa } from './helpers/iam-sim';

const JUMP = '111111111111';
const TARGET = '444444444401';
const ROLE = `arn:aws:iam::${TARGET}:role/lz-power`;
const BOUNDARY_ARN = `arn:aws:iam::${TARGET}:policy/${LandingZoneBoundary.POLICY_NAME}`;

// Identity policy that lets any caller try: isolates what the trust policy decides.
const MAY_ASSUME_ANYTHING: PolicyJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'], Resource: '*' }],
};

function targetRole(props: Partial<CrossAccountRoleProps> = {}, level = PermissionLevel.power()): PrincipalPolicies {
  const app = new App();
  const stack = new Stack(app, 'Target', { env: { account: TARGET } });
  const jump = JumpAccount.fromAccountId(stack, 'Jump', JUMP);
  const role = new CrossAccountRole(stack, 'Role', { jumpAccount: jump, permissionLevel: level, ...props });
  return new TemplatePolicies(Template.fromStack(stack).toJSON(), { accountId: TARGET }).forRole(role.roleName);
}

// AssumeRole always carries a session name; by default a user's own name (override it in `context`)
async function assume(trust: PolicyJson | undefined, principal: string, context: Record<string, string | string[]> = {}, action = 'sts:AssumeRole') {
  const userName = /:user\/(?:.*\/)?([^/]+)$/.exec(principal)?.[1];
  return simulate({ identityPolicies: [MAY_ASSUME_ANYTHING], resourcePolicy: trust },
    { principal, action, resource: ROLE, context: { 'sts:RoleSessionName': userName ?? 'session', ...context } });
}

describe('CrossAccountRole (simulated trust)', () => {
  let trust: PolicyJson | undefined;
  beforeAll(() => {
    trust = targetRole().trustPolicy;
  });

  test('a jump-account user with MFA may assume the role', async () => {
    const r = await assume(trust, `arn:aws:iam::${JUMP}:user/alice`, withMfa());
    expect(r.decision).toBe('Allowed');
  });

  test('the role refuses callers without MFA', async () => {
    // WHEN
    const noKey = await assume(trust, `arn:aws:iam::${JUMP}:user/alice`);
    const falseKey = await assume(trust, `arn:aws:iam::${JUMP}:user/alice`, { 'aws:MultiFactorAuthPresent': 'false' });
    // THEN
    expect(noKey.decision).toBe('ImplicitlyDenied');
    expect(falseKey.decision).toBe('ImplicitlyDenied');
  });

  test('the role refuses principals of other accounts, even with MFA', async () => {
    // WHEN
    const outsider = await assume(trust, 'arn:aws:iam::999999999999:user/mallory', withMfa());
    const local = await assume(trust, `arn:aws:iam::${TARGET}:user/local-admin`, withMfa());
    // THEN
    expect(outsider.decision).toBe('ImplicitlyDenied');
    expect(local.decision).toBe('ImplicitlyDenied');
  });

  test('by default only users of the jump account are trusted, not its roles', async () => {
    const r = await assume(trust, `arn:aws:iam::${JUMP}:role/some-ci-role`, withMfa());
    expect(r.decision).toBe('ImplicitlyDenied');
  });

  test('allowedPrincipalArns narrows the trust to the named principals', async () => {
    // GIVEN
    const narrowed = targetRole({ allowedPrincipalArns: [`arn:aws:iam::${JUMP}:user/alice`] }).trustPolicy;
    // WHEN
    const alice = await assume(narrowed, `arn:aws:iam::${JUMP}:user/alice`, withMfa());
    const bob = await assume(narrowed, `arn:aws:iam::${JUMP}:user/bob`, withMfa());
    // THEN
    expect(alice.decision).toBe('Allowed');
    expect(bob.decision).toBe('ImplicitlyDenied');
  });

  test('maxMfaAge refuses callers whose MFA sign-in is older', async () => {
    const t = targetRole({ maxMfaAge: Duration.hours(1) }).trustPolicy;
    expect((await assume(t, `arn:aws:iam::${JUMP}:user/alice`, withMfa(600))).decision).toBe('Allowed');
    expect((await assume(t, `arn:aws:iam::${JUMP}:user/alice`, withMfa(7200))).decision).toBe('ImplicitlyDenied');
  });

  test('allowedSourceCidrs refuses callers from other addresses', async () => {
    const t = targetRole({ allowedSourceCidrs: ['203.0.113.0/24'] }).trustPolicy;
    expect((await assume(t, `arn:aws:iam::${JUMP}:user/alice`, withMfa(60, { 'aws:SourceIp': '203.0.113.9' }))).decision).toBe('Allowed');
    expect((await assume(t, `arn:aws:iam::${JUMP}:user/alice`, withMfa(60, { 'aws:SourceIp': '198.51.100.1' }))).decision).toBe('ImplicitlyDenied');
  });

  test('externalId refuses callers without the right external id', async () => {
    const t = targetRole({ externalId: 'vendor-acme-4711' }).trustPolicy;
    expect((await assume(t, `arn:aws:iam::${JUMP}:user/alice`, withMfa(60, { 'sts:ExternalId': 'vendor-acme-4711' }))).decision).toBe('Allowed');
    expect((await assume(t, `arn:aws:iam::${JUMP}:user/alice`, withMfa(60, { 'sts:ExternalId': 'guess' }))).decision).toBe('ImplicitlyDenied');
    expect((await assume(t, `arn:aws:iam::${JUMP}:user/alice`, withMfa())).decision).toBe('ImplicitlyDenied');
  });

  test('requireSourceIdentity makes callers name themselves', async () => {
    const t = targetRole({ requireSourceIdentity: true }).trustPolicy;
    const alice = `arn:aws:iam::${JUMP}:user/alice`;
    expect((await assume(t, alice, withMfa(60, { 'sts:SourceIdentity': 'alice' }))).decision).toBe('Allowed');
    expect((await assume(t, alice, withMfa(60, { 'sts:SourceIdentity': 'alice' }), 'sts:SetSourceIdentity')).decision).toBe('Allowed');
    expect((await assume(t, alice, withMfa(60, { 'sts:SourceIdentity': 'bob' }))).decision).toBe('ImplicitlyDenied');
    expect((await assume(t, alice, withMfa())).decision).toBe('ImplicitlyDenied');
  });

  test('escape: a session named after someone else, so that CloudTrail names them', async () => {
    const alice = `arn:aws:iam::${JUMP}:user/alice`;
    expect((await assume(trust, alice, withMfa(60, { 'sts:RoleSessionName': 'bob' }))).decision).toBe('ImplicitlyDenied');
    expect((await assume(trust, alice, withMfa(60, { 'sts:RoleSessionName': 'alice' }))).decision).toBe('Allowed');
  });

  test('requireUserNameAsSessionName: false lets callers choose the session name, and roles in', async () => {
    const t = targetRole({ requireUserNameAsSessionName: false, allowedPrincipalArns: [`arn:aws:iam::${JUMP}:role/ops`, `arn:aws:iam::${JUMP}:user/alice`] }).trustPolicy;
    expect((await assume(t, `arn:aws:iam::${JUMP}:user/alice`, withMfa(60, { 'sts:RoleSessionName': 'anything' }))).decision).toBe('Allowed');
    expect((await assume(t, `arn:aws:iam::${JUMP}:role/ops`, withMfa(60, { 'sts:RoleSessionName': 'pipeline' }))).decision).toBe('Allowed');
  });

  test('session tags are refused unless allowed', async () => {
    const alice = `arn:aws:iam::${JUMP}:user/alice`;
    expect((await assume(trust, alice, withMfa(), 'sts:TagSession')).decision).toBe('ImplicitlyDenied');
    const t = targetRole({ allowSessionTags: true }).trustPolicy;
    expect((await assume(t, alice, withMfa(), 'sts:TagSession')).decision).toBe('Allowed');
  });
});

describe('CrossAccountRole powerAndIam() held in by the boundary (simulated)', () => {
  let role: PrincipalPolicies;
  beforeAll(() => {
    role = targetRole({}, PermissionLevel.powerAndIam());
  });

  const ask = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    simulate({ identityPolicies: role.identityPolicies, boundary: role.boundary }, { principal: role.arn, action, resource, context });
  const roleArn = (name: string) => `arn:aws:iam::${TARGET}:role/${name}`;
  const withBoundary = (arn: string) => ({ 'iam:PermissionsBoundary': arn });

  test('the role carries the landing zone boundary', () => {
    expect(role.boundary?.name).toBe(LandingZoneBoundary.POLICY_NAME);
  });

  test('it may create a role that carries the same boundary, and still use other services', async () => {
    expect((await ask('iam:CreateRole', roleArn('app-role'), withBoundary(BOUNDARY_ARN))).decision).toBe('Allowed');
    expect((await ask('iam:AttachRolePolicy', roleArn('app-role'), withBoundary(BOUNDARY_ARN))).decision).toBe('Allowed');
    expect((await ask('s3:PutObject', 'arn:aws:s3:::app-bucket/key')).decision).toBe('Allowed');
    expect((await ask('iam:CreatePolicyVersion', `arn:aws:iam::${TARGET}:policy/delegated/app-policy`)).decision).toBe('Allowed');
    // a policy outside the delegated path may be attached to anyone, so its versions are not the role's to change
    expect((await ask('iam:CreatePolicyVersion', `arn:aws:iam::${TARGET}:policy/app-policy`)).decision).toBe('ExplicitlyDenied');
  });

  test('it passes and assumes only roles under the delegated path, which carry the boundary', async () => {
    expect((await ask('iam:PassRole', roleArn('delegated/app-role'))).decision).toBe('Allowed');
    expect((await ask('sts:AssumeRole', roleArn('delegated/app-role'))).decision).toBe('Allowed');
    const outside = await ask('iam:PassRole', roleArn('app-role'));
    expect(outside.decision).toBe('ExplicitlyDenied');
    expect(outside.reason).toMatch(/DenyOutsideDelegatedPath/);
  });

  test('putting this boundary on an unbounded role only narrows it: outside the delegated path it still cannot be passed or assumed', async () => {
    expect((await ask('iam:PutRolePermissionsBoundary', roleArn('legacy-admin'), withBoundary(BOUNDARY_ARN))).decision).toBe('Allowed');
    expect((await ask('iam:PassRole', roleArn('legacy-admin'))).decision).toBe('ExplicitlyDenied');
    expect((await ask('sts:AssumeRole', roleArn('legacy-admin'))).decision).toBe('ExplicitlyDenied');
  });

  test('it cannot create a role or user without the boundary, or with another one', async () => {
    const results = await Promise.all([
      ask('iam:CreateRole', roleArn('escape')),
      ask('iam:CreateRole', roleArn('escape'), withBoundary(`arn:aws:iam::${TARGET}:policy/my-loose-boundary`)),
      ask('iam:CreateUser', `arn:aws:iam::${TARGET}:user/escape`),
    ]);
    expect(results.map((r) => r.decision)).toEqual(['ExplicitlyDenied', 'ExplicitlyDenied', 'ExplicitlyDenied']);
    expect(results[0].reason).toMatch(/DenyPrincipalsWithoutThisBoundary/);
  });

  test('it cannot give more permissions to a role without the boundary', async () => {
    const r = await ask('iam:AttachRolePolicy', roleArn('legacy-admin'));
    expect(r.decision).toBe('ExplicitlyDenied');
    const put = await ask('iam:PutRolePolicy', roleArn('legacy-admin'), withBoundary(`arn:aws:iam::${TARGET}:policy/other`));
    expect(put.decision).toBe('ExplicitlyDenied');
  });

  test('it cannot remove or replace its own boundary, or any other', async () => {
    const results = await Promise.all([
      ask('iam:DeleteRolePermissionsBoundary', role.arn),
      ask('iam:DeleteRolePermissionsBoundary', roleArn('app-role')),
      ask('iam:DeleteUserPermissionsBoundary', `arn:aws:iam::${TARGET}:user/someone`),
      ask('iam:PutRolePermissionsBoundary', roleArn('app-role'), withBoundary(`arn:aws:iam::${TARGET}:policy/other`)),
      ask('iam:PutRolePermissionsBoundary', roleArn('app-role')),
    ]);
    expect(results.map((r) => r.decision)).toEqual(results.map(() => 'ExplicitlyDenied'));
  });

  test('it cannot edit, version or delete the boundary policy', async () => {
    const results = await Promise.all(
      ['iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy']
        .map((a) => ask(a, BOUNDARY_ARN)),
    );
    expect(results.map((r) => r.decision)).toEqual(results.map(() => 'ExplicitlyDenied'));
    expect(results[0].reason).toMatch(/DenyBoundaryPolicyChanges/);
  });

  test('it cannot change, pass or assume landing zone and deployment roles', async () => {
    const results = await Promise.all([
      ask('iam:UpdateAssumeRolePolicy', roleArn('lz-admin')),
      ask('iam:AttachRolePolicy', roleArn('lz-admin'), withBoundary(BOUNDARY_ARN)),
      ask('iam:DeleteRole', roleArn('lz-read-only')),
      ask('iam:UpdateAssumeRolePolicy', `arn:aws:iam::${TARGET}:role/landing-zone/reconciler`),
      ask('iam:PassRole', roleArn('cdk-hnb659fds-cfn-exec-role-444444444401-eu-west-1')),
      ask('sts:AssumeRole', roleArn('cdk-hnb659fds-deploy-role-444444444401-eu-west-1')),
      ask('iam:UpdateAssumeRolePolicy', roleArn('OrganizationAccountAccessRole')),
    ]);
    expect(results.map((r) => r.decision)).toEqual(results.map(() => 'ExplicitlyDenied'));
    expect(results[0].reason).toMatch(/DenyLandingZoneRoles/);
  });
});
