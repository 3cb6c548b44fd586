// Who is calling, the decision every other one rests on: an Identity Center user from the SigV4-signed session ARN
// (an AWSReservedSSO_* role of this account under Identity Center's path, the session name mapped to the identity
// store), or a jump-account IAM user; groups read now, every page. AWS mocked; fast: StrykerJS runs these against
// each mutant. Named after what must not happen.
import { GetRoleCommand, IAMClient, ListGroupsForUserCommand } from '@aws-sdk/client-iam';
import { GetUserIdCommand, IdentitystoreClient, ListGroupMembershipsForMemberCommand } from '@aws-sdk/client-identitystore';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { GROUP_LEADS, GROUP_ONCALL, HOST_ACCOUNT, IDENTITY_STORE_ID, USER_ALICE } from './ids';
import {
  CallerError, currentGroups, currentJumpGroups, isIamUserArn, jumpUserId, resolveCaller, resolveJumpCaller,
} from '../../src/elevated-access/handlers/identity';

const JUMP = '111111111111';
const READER = `arn:aws:iam::${JUMP}:role/landing-zone/lz-elevated-group-reader`;
const SSO_PATH = '/aws-reserved/sso.amazonaws.com/';
const ROLE = 'AWSReservedSSO_lz-access-requester_0123456789abcdef';
const session = (account = HOST_ACCOUNT, role = ROLE, user = 'alice', partition = 'aws') =>
  `arn:${partition}:sts::${account}:assumed-role/${role}/${user}`;

const iam = mockClient(IAMClient);
const identityStore = mockClient(IdentitystoreClient);
const sts = mockClient(STSClient);
const saved = { ...process.env };

beforeEach(() => {
  iam.reset();
  identityStore.reset();
  sts.reset();
  Object.assign(process.env, { IDENTITY_STORE_ID, CALLER_ACCOUNT: HOST_ACCOUNT, JUMP_ACCOUNT_ID: JUMP, JUMP_READER_ROLE_ARN: READER });
  iam.on(GetRoleCommand, { RoleName: ROLE }).resolves({ Role: { Path: SSO_PATH } as any });
  identityStore.on(GetUserIdCommand).callsFake(async (input: any) => (input.AlternateIdentifier.UniqueAttribute.AttributeValue === 'alice' ? { UserId: USER_ALICE } : {}));
  identityStore.on(ListGroupMembershipsForMemberCommand).resolves({ GroupMemberships: [{ GroupId: GROUP_ONCALL }] as any });
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date() } });
  iam.on(ListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'vendor-acme' } as any], IsTruncated: false });
});
afterAll(() => {
  process.env = saved;
  for (const m of [iam, identityStore, sts]) m.restore();
});

const refusal = async (arn: string | null | undefined) => {
  const e = await resolveCaller(arn).then(() => undefined, (x: Error) => x);
  expect(e).toBeInstanceOf(CallerError);
  expect(e!.name).toBe('CallerError'); // what the logs show
  return e!.message;
};

describe('resolveCaller: an Identity Center user', () => {
  test('the session of an AWSReservedSSO_ role of this account: the store user of the session name, with its groups', async () => {
    expect(await resolveCaller(session())).toEqual({ arn: session(), userName: 'alice', userId: USER_ALICE, groupIds: [GROUP_ONCALL] });
    expect(iam.commandCalls(GetRoleCommand)[0].args[0].input).toEqual({ RoleName: ROLE });
    expect(identityStore.commandCalls(GetUserIdCommand)[0].args[0].input).toEqual({
      IdentityStoreId: IDENTITY_STORE_ID,
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'alice' } },
    });
  });

  test('a session name with the characters IAM allows in it is the user name', async () => {
    identityStore.on(GetUserIdCommand).resolves({ UserId: USER_ALICE });
    expect((await resolveCaller(session(HOST_ACCOUNT, ROLE, 'alice.smith+ops@example.com'))).userName).toBe('alice.smith+ops@example.com');
    expect((await resolveCaller(session(HOST_ACCOUNT, ROLE, 'alice', 'aws-us-gov'))).userName).toBe('alice');
  });

  test('attack: no signer, an IAM user, another role or a look-alike ARN is refused before any AWS call', async () => {
    expect(await refusal(undefined)).toBe('caller \'anonymous\' must be an IAM Identity Center session (assumed-role/AWSReservedSSO_*)');
    expect(await refusal(null)).toMatch(/^caller 'anonymous'/);
    expect(await refusal('')).toMatch(/^caller '' must be/);
    for (const arn of [
      `arn:aws:iam::${HOST_ACCOUNT}:user/alice`,
      session(HOST_ACCOUNT, 'lz-admin'),
      session(HOST_ACCOUNT, 'xAWSReservedSSO_admin'),
      `x${session()}`,
      `${session()}\n`,
      session('22222222220'),
      session(HOST_ACCOUNT, ROLE, ''),
      `arn:aws:sts::${HOST_ACCOUNT}:federated-user/alice`,
    ]) {
      expect(await refusal(arn)).toBe(`caller '${arn}' must be an IAM Identity Center session (assumed-role/AWSReservedSSO_*)`);
    }
    expect(iam.calls()).toHaveLength(0);
    expect(identityStore.calls()).toHaveLength(0);
  });

  test('attack: a session of another account is refused', async () => {
    expect(await refusal(session('999999999999'))).toBe(`caller account 999999999999 is not the account of this workflow (${HOST_ACCOUNT})`);
    expect(iam.calls()).toHaveLength(0);
  });

  test('attack: a role named like Identity Center\'s but not under its path (a customer may create that name) is refused', async () => {
    const fake = 'AWSReservedSSO_Admin_0000000000000000';
    iam.on(GetRoleCommand, { RoleName: fake }).resolves({ Role: { Path: '/' } as any });
    expect(await refusal(session(HOST_ACCOUNT, fake))).toBe(`role ${fake} is not an Identity Center role (path /)`);
    iam.on(GetRoleCommand, { RoleName: fake }).resolves({ Role: { Path: `${SSO_PATH}x/` } as any });
    expect(await refusal(session(HOST_ACCOUNT, fake))).toBe(`role ${fake} is not an Identity Center role (path ${SSO_PATH}x/)`);
    iam.on(GetRoleCommand, { RoleName: fake }).resolves({});
    expect(await refusal(session(HOST_ACCOUNT, fake))).toBe(`role ${fake} is not an Identity Center role (path undefined)`);
    expect(identityStore.calls()).toHaveLength(0);
  });

  test('attack: a session name that is no user of the identity store is refused', async () => {
    expect(await refusal(session(HOST_ACCOUNT, ROLE, 'mallory'))).toBe('user \'mallory\' is not in the identity store');
  });

  test('a jump-only workflow (no identity store) refuses every Identity Center session', async () => {
    delete process.env.IDENTITY_STORE_ID;
    expect(await refusal(session())).toBe(`caller '${session()}': this workflow serves jump-account users only (no Identity Center)`);
    expect(iam.calls()).toHaveLength(0);
  });

  test('a workflow without its own account set fails instead of trusting any account', async () => {
    delete process.env.CALLER_ACCOUNT;
    await expect(resolveCaller(session())).rejects.toThrow('environment variable CALLER_ACCOUNT is not set');
  });
});

describe('currentGroups: the groups the identity store holds now', () => {
  test('every page is read; memberships without a group id are skipped', async () => {
    identityStore.on(ListGroupMembershipsForMemberCommand)
      .resolvesOnce({ GroupMemberships: [{ GroupId: GROUP_ONCALL }, {}] as any, NextToken: 'page-2' })
      .resolvesOnce({ GroupMemberships: [{ GroupId: GROUP_LEADS }] as any });
    expect(await currentGroups(USER_ALICE)).toEqual([GROUP_ONCALL, GROUP_LEADS]);
    const inputs = identityStore.commandCalls(ListGroupMembershipsForMemberCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { IdentityStoreId: IDENTITY_STORE_ID, MemberId: { UserId: USER_ALICE }, NextToken: undefined },
      { IdentityStoreId: IDENTITY_STORE_ID, MemberId: { UserId: USER_ALICE }, NextToken: 'page-2' },
    ]);
  });

  test('no memberships: no groups', async () => {
    identityStore.on(ListGroupMembershipsForMemberCommand).resolves({});
    expect(await currentGroups(USER_ALICE)).toEqual([]);
  });
});

describe('jump-account users', () => {
  test('the id of a jump user can never be an identity store id', () => {
    expect(jumpUserId('acme-alice')).toBe('jump:acme-alice');
  });

  test('isIamUserArn: an IAM user, with or without a path, of any partition; never a role session', () => {
    expect(isIamUserArn(`arn:aws:iam::${JUMP}:user/acme-alice`)).toBe(true);
    expect(isIamUserArn(`arn:aws:iam::${JUMP}:user/vendors/acme/acme-alice`)).toBe(true);
    expect(isIamUserArn(`arn:aws-cn:iam::${JUMP}:user/acme-alice`)).toBe(true);
    expect(isIamUserArn(session())).toBe(false);
    expect(isIamUserArn(`arn:aws:iam::${JUMP}:role/acme-alice`)).toBe(false);
    expect(isIamUserArn(`x arn:aws:iam::${JUMP}:user/acme-alice`)).toBe(false);
    expect(isIamUserArn(`arn:aws:iam::${JUMP}:user/acme-alice/`)).toBe(false);
    expect(isIamUserArn('arn:aws:iam::1111111111:user/acme-alice')).toBe(false);
  });

  test('resolveJumpCaller: the signer of the jump account, its IAM groups read through the group reader', async () => {
    const arn = `arn:aws:iam::${JUMP}:user/vendors/acme-alice`;
    expect(await resolveJumpCaller(arn)).toEqual({ arn, userName: 'acme-alice', userId: 'jump:acme-alice', groupIds: ['vendor-acme'], kind: 'JUMP' });
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toEqual({ RoleArn: READER, RoleSessionName: 'lz-access-groups' });
    expect(iam.commandCalls(ListGroupsForUserCommand)[0].args[0].input).toEqual({ UserName: 'acme-alice', Marker: undefined });
  });

  test('not a jump caller: no signer, a role session, or a workflow without a jump account', async () => {
    expect(await resolveJumpCaller(undefined)).toBeUndefined();
    expect(await resolveJumpCaller(null)).toBeUndefined();
    expect(await resolveJumpCaller(session())).toBeUndefined();
    delete process.env.JUMP_ACCOUNT_ID;
    expect(await resolveJumpCaller(`arn:aws:iam::${JUMP}:user/acme-alice`)).toBeUndefined();
    expect(sts.calls()).toHaveLength(0);
  });

  test('attack: an IAM user of another account is refused, and its groups are never read', async () => {
    const arn = 'arn:aws:iam::999999999999:user/acme-alice';
    const e = await resolveJumpCaller(arn).then(() => undefined, (x: Error) => x);
    expect(e).toBeInstanceOf(CallerError);
    expect(e!.message).toBe(`iam user ${arn} is not in the jump account ${JUMP}`);
    expect(sts.calls()).toHaveLength(0);
  });

  test('currentJumpGroups: every page, with the reader\'s credentials; groups without a name skipped', async () => {
    iam.on(ListGroupsForUserCommand)
      .resolvesOnce({ Groups: [{ GroupName: 'vendor-acme' }, {}] as any, IsTruncated: true, Marker: 'm2' })
      .resolvesOnce({ Groups: [{ GroupName: 'jump-leads' }] as any, IsTruncated: true, Marker: 'm3' })
      .resolvesOnce({ Groups: [{ GroupName: 'everyone' }] as any, IsTruncated: false, Marker: 'ignored' });
    expect(await currentJumpGroups('acme-alice')).toEqual(['vendor-acme', 'jump-leads', 'everyone']);
    expect(iam.commandCalls(ListGroupsForUserCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'm2', 'm3']);
    const credentials = await (iam.commandCalls(ListGroupsForUserCommand)[0].thisValue as any).config.credentials();
    expect(credentials).toMatchObject({ accessKeyId: 'AKIA', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  test('the reader returning no credentials fails instead of reading with the function\'s own', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIA' } as any });
    await expect(currentJumpGroups('acme-alice')).rejects.toThrow('the jump account group reader returned no credentials');
    sts.on(AssumeRoleCommand).resolves({});
    await expect(currentJumpGroups('acme-alice')).rejects.toThrow('the jump account group reader returned no credentials');
    expect(iam.calls()).toHaveLength(0);
  });
});
