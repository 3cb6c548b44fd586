// Bundled into the Lambda assets by esbuild (like the *.lambda.ts entry points); the construct never imports it.
/* eslint-disable import/no-extraneous-dependencies */
// Who is calling: derived from the SigV4-signed request (API Gateway's requestContext), never from the body.
import { GetRoleCommand, IAMClient, ListGroupsForUserCommand } from '@aws-sdk/client-iam';
import { GetUserIdCommand, IdentitystoreClient, ListGroupMembershipsForMemberCommand } from '@aws-sdk/client-identitystore';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { env } from './store';

const identityStore = new IdentitystoreClient({});
const iam = new IAMClient({});
const sts = new STSClient({});

/** The Identity Center user behind an `AWSReservedSSO_*` role session. */
export interface Caller {
  readonly arn: string;
  readonly userName: string;
  readonly userId: string;
  readonly groupIds: string[];
  /** `JUMP` for a jump-account IAM user: `userId` is then `jump:<user name>` and `groupIds` the IAM group names. */
  readonly kind?: 'JUMP';
}

export class CallerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallerError';
  }
}

const SSO_SESSION = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/(AWSReservedSSO_[\w+=,.@-]+)\/(.+)$/;
// Identity Center creates its roles under this path; IAM does not let customers create roles there
const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

/**
 * Resolves the caller: the session must be an Identity Center role session in this account (role path checked with
 * iam:GetRole, so a look-alike role name is refused); the session name is the user name, mapped to the identity
 * store user id with identitystore:GetUserId; the groups come from identitystore:ListGroupMembershipsForMember.
 */
export async function resolveCaller(userArn: string | null | undefined): Promise<Caller> {
  const m = userArn ? SSO_SESSION.exec(userArn) : null;
  if (!userArn || !m) {
    throw new CallerError(`caller '${userArn ?? 'anonymous'}' must be an IAM Identity Center session (assumed-role/AWSReservedSSO_*)`);
  }
  const [, account, roleName, userName] = m;
  // a jump-only workflow: no identity store, and no permission to read Identity Center roles or users
  if (!process.env.IDENTITY_STORE_ID) throw new CallerError(`caller '${userArn}': this workflow serves jump-account users only (no Identity Center)`);
  if (account !== env('CALLER_ACCOUNT')) {
    throw new CallerError(`caller account ${account} is not the account of this workflow (${env('CALLER_ACCOUNT')})`);
  }
  const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  if (role.Role?.Path !== SSO_ROLE_PATH) {
    throw new CallerError(`role ${roleName} is not an Identity Center role (path ${role.Role?.Path})`);
  }
  const identityStoreId = env('IDENTITY_STORE_ID');
  const user = await identityStore.send(new GetUserIdCommand({
    IdentityStoreId: identityStoreId,
    AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName } },
  }));
  if (!user.UserId) throw new CallerError(`user '${userName}' is not in the identity store`);
  return { arn: userArn, userName, userId: user.UserId, groupIds: await currentGroups(user.UserId) };
}

/** The user's groups as the identity store holds them now (every check re-reads them: removed means removed). */
export async function currentGroups(userId: string): Promise<string[]> {
  const groupIds: string[] = [];
  let token: string | undefined;
  do {
    const out = await identityStore.send(new ListGroupMembershipsForMemberCommand({
      IdentityStoreId: env('IDENTITY_STORE_ID'), MemberId: { UserId: userId }, NextToken: token,
    }));
    for (const g of out.GroupMemberships ?? []) if (g.GroupId) groupIds.push(g.GroupId);
    token = out.NextToken;
  } while (token);
  return groupIds;
}

/** The id a jump user has in requests and approvals: never equal to an identity store id. */
export function jumpUserId(userName: string): string {
  return `jump:${userName}`;
}

const JUMP_USER = /^arn:aws[a-z-]*:iam::(\d{12}):user\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]+)$/;

/** Whether the signer is an IAM user (of any account), as opposed to a role session. */
export function isIamUserArn(userArn: string): boolean {
  return JUMP_USER.test(userArn);
}

/**
 * A jump-account IAM user signing with an MFA session (the API's resource policy requires MFA for the jump account;
 * the user's own policies refuse everything without it). The signer is the caller; the groups are read from IAM
 * now, through the jump account's group reader role.
 */
export async function resolveJumpCaller(userArn: string | null | undefined): Promise<Caller | undefined> {
  const m = userArn ? JUMP_USER.exec(userArn) : null;
  const jumpAccount = process.env.JUMP_ACCOUNT_ID;
  if (!userArn || !m || !jumpAccount) return undefined;
  if (m[1] !== jumpAccount) throw new CallerError(`iam user ${userArn} is not in the jump account ${jumpAccount}`);
  return { arn: userArn, userName: m[2], userId: jumpUserId(m[2]), groupIds: await currentJumpGroups(m[2]), kind: 'JUMP' };
}

/** The jump user's IAM groups now (every check re-reads them); throws when the user no longer exists. */
export async function currentJumpGroups(userName: string): Promise<string[]> {
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: env('JUMP_READER_ROLE_ARN'), RoleSessionName: 'lz-access-groups' }));
  const c = assumed.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('the jump account group reader returned no credentials');
  const reader = new IAMClient({ credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } });
  const groups: string[] = [];
  let marker: string | undefined;
  do {
    const out = await reader.send(new ListGroupsForUserCommand({ UserName: userName, Marker: marker }));
    for (const g of out.Groups ?? []) if (g.GroupName) groups.push(g.GroupName);
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return groups;
}
