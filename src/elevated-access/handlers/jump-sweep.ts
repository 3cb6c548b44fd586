// Bundled into the Lambda assets by esbuild (like the *.lambda.ts entry points); the construct never imports it.
/* eslint-disable import/no-extraneous-dependencies */
// The reconciler's sweep of jump grants over IAM: what an execution stopped at a jump task leaves behind. The jump
// users and elevated roles to look at are those of the grants table's `JUMP#` reference counts, which the step
// handler writes (jumpAcquire) before the state machine writes any policy, so every policy the workflow wrote is on
// a user or role named there. Stale holders (ended requests, dead executions) are dropped from the counts; grant
// policies and session denies are then removed as the pure `sweepGrantPolicy` / `sweepSessionDeny` decide, through
// the same roles the state machine writes with (the jump account's grant writer, each account's revoker).
import {
  DeleteRolePolicyCommand, DeleteUserPolicyCommand, GetRolePolicyCommand, GetUserPolicyCommand, IAMClient, ListRolePoliciesCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  GRANT_POLICY_PREFIX, JUMP_HOLDERS_PREFIX, JumpAccessConfig, REVOKE_POLICY_PREFIX, revokerRoleArn, SweepDecision, sweepGrantPolicy,
  sweepSessionDeny,
} from './jump-grants';
import { AccessRequest, ddb, emitMetric, env, getRequest, isTerminal, logger, RECONCILER, recordTransition } from './store';

const sts = new STSClient({});

/** One reference count of jump grants as the grants table holds it. */
export interface JumpHolders {
  readonly grantKey: string;
  readonly holders?: Set<string>;
  readonly jumpUserName?: string;
  readonly accountId?: string;
  readonly elevatedRoleName?: string;
}

export function isJumpHolders(item: { grantKey: string }): boolean {
  return item.grantKey.startsWith(JUMP_HOLDERS_PREFIX);
}

export interface JumpSweepContext {
  readonly now: number;
  readonly jump: JumpAccessConfig;
  /** Whether the request's execution is still running (the reconciler's DescribeExecution, cached). */
  isLive(requestId: string): Promise<boolean>;
}

/** Policies removed (`user/<name>/<policy>`, `role/<account>/<role>/<policy>`) and stale holders dropped. */
export interface JumpSweepResult {
  readonly policiesRemoved: string[];
  readonly staleHolders: string[];
}

async function iamAs(roleArn: string): Promise<IAMClient> {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'lz-access-reconciler' }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`assuming ${roleArn} returned no credentials`);
  return new IAMClient({ credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } });
}

/** IAM returns inline policy documents URL-encoded; a document that does not parse is left alone. */
function parsed(document: string | undefined): unknown {
  try {
    return document ? JSON.parse(decodeURIComponent(document)) : undefined;
  } catch {
    return undefined;
  }
}

const gone = (e: unknown) => (e as Error).name === 'NoSuchEntityException';

/** Drops the holders whose requests ended or whose executions are gone; returns the live ones. */
async function liveHoldersOf(item: JumpHolders, ctx: JumpSweepContext, result: JumpSweepResult): Promise<string[]> {
  const live: string[] = [];
  const stale: string[] = [];
  for (const id of item.holders ?? []) {
    const r = await getRequest(id);
    if (!r || isTerminal(r.status) || !(await ctx.isLive(id))) stale.push(id);
    else live.push(id);
  }
  if (stale.length > 0) {
    await ddb.send(new UpdateCommand({
      TableName: env('GRANTS_TABLE'), Key: { grantKey: item.grantKey }, UpdateExpression: 'DELETE holders :s', ExpressionAttributeValues: { ':s': new Set(stale) },
    }));
    result.staleHolders.push(...stale);
  }
  return live;
}

/** Each inline policy with `prefix`, with its document; removes those `decide` says to, and records each removal. */
async function sweepPolicies(where: string, names: () => AsyncGenerator<string>, get: (name: string) => Promise<string | undefined>,
  remove: (name: string) => Promise<void>, decide: (name: string, document: unknown) => SweepDecision, prefix: string,
  about: Partial<AccessRequest>, ctx: JumpSweepContext, result: JumpSweepResult): Promise<void> {
  for await (const name of names()) {
    if (!name.startsWith(prefix)) continue;
    let document: string | undefined;
    try {
      document = await get(name);
    } catch (e) {
      if (gone(e)) continue; // removed meanwhile (the state machine's own revoke)
      throw e;
    }
    const d = decide(name, parsed(document));
    if (!d.remove) continue;
    try {
      await remove(name);
    } catch (e) {
      if (!gone(e)) throw e;
    }
    result.policiesRemoved.push(`${where}/${name}`);
    emitMetric('OrphanedAssignmentsRemoved');
    const pseudo = { requestId: d.requestId!, ...about } as AccessRequest;
    await recordTransition({
      request: pseudo,
      transition: 'ORPHAN_REMOVED',
      actor: RECONCILER,
      repeatKey: `${name}#${new Date(ctx.now).toISOString()}`,
      reason: `${where.startsWith('user/') ? 'grant policy' : 'session deny'} ${name} removed: ${d.reason}`,
    });
  }
}

type PolicyNamesPage = { PolicyNames?: string[]; IsTruncated?: boolean; Marker?: string };

async function* pages(list: (marker?: string) => Promise<PolicyNamesPage>): AsyncGenerator<string> {
  let marker: string | undefined;
  do {
    const out = await list(marker);
    yield* out.PolicyNames ?? [];
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
}

/** Sweeps the grant policies of every jump user and the session denies of every elevated role the counts name. */
export async function sweepJumpGrants(items: JumpHolders[], ctx: JumpSweepContext): Promise<JumpSweepResult> {
  const result: JumpSweepResult = { policiesRemoved: [], staleHolders: [] };
  const liveHolders = new Set<string>();
  const users = new Map<string, JumpHolders>();
  const roles = new Map<string, JumpHolders>();
  for (const item of items) {
    for (const id of await liveHoldersOf(item, ctx, result)) liveHolders.add(id);
    // items from before the names were stored: the key's user name is lowercased, which IAM also finds
    const [, user, account, role] = item.grantKey.split('#');
    const named = {
      ...item, jumpUserName: item.jumpUserName ?? user, accountId: item.accountId ?? account, elevatedRoleName: item.elevatedRoleName ?? role,
    };
    users.set(named.jumpUserName.toLowerCase(), named);
    roles.set(`${named.accountId}/${named.elevatedRoleName}`, named);
  }
  const { now, jump } = ctx;
  const attempt = async (what: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      // one user or account failing must not stop the others; the alarm and the next run follow up
      logger.error('sweeping jump policies failed', { what, error: (e as Error).message });
      emitMetric('RevokeFailures');
    }
  };
  if (users.size > 0) {
    await attempt('grant writer', async () => {
      const writer = await iamAs(env('JUMP_GRANT_WRITER_ROLE_ARN'));
      for (const u of users.values()) {
        const UserName = u.jumpUserName!;
        await attempt(`user ${UserName}`, () => sweepPolicies(`user/${UserName}`,
          () => pages((Marker) => writer.send(new ListUserPoliciesCommand({ UserName, Marker }))),
          async (PolicyName) => (await writer.send(new GetUserPolicyCommand({ UserName, PolicyName }))).PolicyDocument,
          async (PolicyName) => { await writer.send(new DeleteUserPolicyCommand({ UserName, PolicyName })); },
          (name, doc) => sweepGrantPolicy(name, doc, now, liveHolders), GRANT_POLICY_PREFIX,
          { requesterId: `jump:${UserName}`, requesterName: UserName }, ctx, result));
      }
    });
  }
  const revokers = new Map<string, Promise<IAMClient>>();
  for (const r of roles.values()) {
    const RoleName = r.elevatedRoleName!;
    const accountId = r.accountId!;
    await attempt(`role ${accountId}/${RoleName}`, async () => {
      if (!revokers.has(accountId)) revokers.set(accountId, iamAs(revokerRoleArn(jump.partition, accountId)));
      const revoker = await revokers.get(accountId)!;
      await sweepPolicies(`role/${accountId}/${RoleName}`,
        () => pages((Marker) => revoker.send(new ListRolePoliciesCommand({ RoleName, Marker }))),
        async (PolicyName) => (await revoker.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument,
        async (PolicyName) => { await revoker.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })); },
        (name, doc) => sweepSessionDeny(name, doc, now, jump.elevatedSessionSeconds), REVOKE_POLICY_PREFIX,
        { requesterId: RECONCILER, requesterName: RECONCILER, accountId, elevatedRoleName: RoleName }, ctx, result);
    });
  }
  return result;
}
