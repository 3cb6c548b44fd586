// The IAM-authorized API: request, approve, reject, cancel, revoke early, get and list.
import { randomUUID } from 'crypto';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { closeReview } from './break-glass';
import { evaluateBreakGlass } from './break-glass-policy';
import { Caller, CallerError, isIamUserArn, resolveCaller, resolveJumpCaller } from './identity';
import { ELEVATED_ROLE_PREFIX, elevatedRoleArn, evaluateJumpRequest, isJumpApprover, JumpPolicyError } from './jump-grants';
import { configForAccounts, configForRequests } from './organization-parents';
import { AccessConfig, evaluateRequest, isEligibleApprover, PolicyError } from './policy';
import { AccessRequest, ddb, env, getRequest, loadConfig, logger, notify, recordTransition } from './store';

const sfn = new SFNClient({});

/** A refusal with its HTTP status (also what the chat approval endpoint reports). */
export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

function reply(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function publicView(config: AccessConfig, r: AccessRequest): Record<string, unknown> {
  const { taskToken, taskStage, groupIds, ...rest } = r as AccessRequest & Record<string, unknown>;
  void taskToken; void taskStage; void groupIds;
  const permissionSetName = config.permissionSets[r.permissionSetArn]?.name;
  const portal = process.env.ACCESS_PORTAL_URL;
  // the access portal's shortcut link opens the console for this account and permission set
  const accessPortalLink = portal && permissionSetName
    ? `${portal.replace(/\/+$/, '')}/#/console?account_id=${r.accountId}&role_name=${encodeURIComponent(permissionSetName)}`
    : undefined;
  return { ...rest, permissionSetName, approvals: [...(r.approvals ?? [])], ...(accessPortalLink ? { accessPortalLink } : {}) };
}

function parseBody(event: APIGatewayProxyEvent): Record<string, unknown> {
  if (!event.body) return {};
  try {
    const b = JSON.parse(event.body);
    if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new Error('not an object');
    return b;
  } catch {
    throw new HttpError(400, 'body must be a JSON object');
  }
}

function optionalString(body: Record<string, unknown>, key: string, max: number): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) throw new HttpError(400, `${key} must be a string of at most ${max} characters`);
  return v;
}

function findPermissionSet(config: AccessConfig, ref: string): string {
  if (config.permissionSets[ref]) return ref;
  const byName = Object.entries(config.permissionSets).find(([, ps]) => ps.name === ref);
  if (!byName) throw new HttpError(400, `permission set '${ref}' is not managed by this workflow`);
  return byName[0];
}

/** Most accounts one POST may ask for; each becomes its own request, decided and audited on its own. */
const MAX_ACCOUNTS_PER_CALL = 10;

function accountsOf(body: Record<string, unknown>): string[] {
  const raw = body.accountIds ?? (body.accountId === undefined ? undefined : [body.accountId]);
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_ACCOUNTS_PER_CALL) {
    throw new HttpError(400, `accountId, or accountIds with 1-${MAX_ACCOUNTS_PER_CALL} account ids, is required`);
  }
  for (const a of raw) {
    if (typeof a !== 'string' || !/^\d{12}$/.test(a)) throw new HttpError(400, `account id '${String(a)}' must be 12 digits`);
  }
  return [...new Set(raw as string[])];
}

/** What one account of a new request grants, and the rules' verdict on it. */
interface AccountGrant {
  readonly fields: Pick<AccessRequest, 'permissionSetArn' | 'instanceArn' | 'grantKind' | 'elevatedRoleName'>;
  readonly policy: { readonly approvals: number; readonly maxDurationSeconds: number; readonly matchedRules: string[] };
}

interface Ask {
  readonly durationSeconds: number;
  readonly ticketId?: string;
  readonly justification?: string;
}

/** Every account is checked before any request is created (all or nothing); a refusal names its account when several were asked for. */
function eachAccount(accounts: string[], grant: (accountId: string) => AccountGrant): AccountGrant[] {
  return accounts.map((accountId) => {
    try {
      return grant(accountId);
    } catch (e) {
      if ((e instanceof PolicyError || e instanceof JumpPolicyError) && accounts.length > 1) throw new PolicyError(`account ${accountId}: ${e.message}`);
      throw e;
    }
  });
}

/** An Identity Center user asks for a permission set (or breaks glass). */
function permissionSetGrants(config: AccessConfig, caller: Caller, body: Record<string, unknown>, accounts: string[], ask: Ask): AccountGrant[] {
  const psRef = optionalString(body, 'permissionSet', 2048);
  if (!psRef) throw new HttpError(400, 'permissionSet (name or ARN) is required');
  const permissionSetArn = findPermissionSet(config, psRef);
  const evaluate = body.breakGlass === true ? evaluateBreakGlass : evaluateRequest;
  const instanceArn = config.permissionSets[permissionSetArn].instanceArn;
  return eachAccount(accounts, (accountId) => ({
    fields: { permissionSetArn, instanceArn },
    policy: evaluate(config, { principalId: caller.userId, groupIds: caller.groupIds, accountId, permissionSetArn, ...ask }),
  }));
}

/** `Power` -> `lz-elevated-power`, `PowerAndIam` -> `lz-elevated-power-and-iam` (the level's role-name convention). */
export function elevatedRoleOf(level: string): string {
  if (level.startsWith(ELEVATED_ROLE_PREFIX)) return level;
  return `${ELEVATED_ROLE_PREFIX}${level.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

/** A jump-account user asks for a permission level: its elevated role in each account, decided by the jump rules. */
function jumpGrants(config: AccessConfig, caller: Caller, body: Record<string, unknown>, accounts: string[], ask: Ask): AccountGrant[] {
  const jump = config.jump!;
  if (body.permissionSet !== undefined) throw new HttpError(400, 'jump-account users request a permissionLevel (e.g. Power), not a permissionSet');
  if (body.breakGlass !== undefined) throw new HttpError(400, 'jump-account users have no break-glass access');
  const level = optionalString(body, 'permissionLevel', 64);
  if (!level || !/^[\w+=,.@-]+$/.test(level)) throw new HttpError(400, 'permissionLevel (a level name such as Power) is required');
  const roleName = elevatedRoleOf(level);
  const known = [...new Set(jump.eligibility.flatMap((r) => r.roles))];
  if (!known.includes(roleName)) {
    throw new HttpError(400, `permission level '${level}' (role ${roleName}) is granted by no jump rule; levels: ${known.map((k) => k.slice(ELEVATED_ROLE_PREFIX.length)).join(', ') || 'none'}`);
  }
  return eachAccount(accounts, (accountId) => ({
    fields: { permissionSetArn: elevatedRoleArn(jump.partition, accountId, roleName), instanceArn: '', grantKind: 'JUMP', elevatedRoleName: roleName },
    policy: evaluateJumpRequest(jump, { userName: caller.userName, groups: caller.groupIds, accountId, roleName, ...ask }),
  }));
}

async function createRequest(rules: AccessConfig, caller: Caller, body: Record<string, unknown>): Promise<APIGatewayProxyResult> {
  const accounts = accountsOf(body);
  // the rules as they apply to these accounts where Organizations places them now, for jump users as for the others
  const config = await configForAccounts(rules, accounts);
  const minutes = body.durationMinutes;
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1) {
    throw new HttpError(400, 'durationMinutes must be a positive whole number');
  }
  const ask: Ask = { durationSeconds: minutes * 60, ticketId: optionalString(body, 'ticketId', 128), justification: optionalString(body, 'justification', 2000) };
  const startAtRaw = optionalString(body, 'startAt', 40);
  if (body.breakGlass !== undefined && typeof body.breakGlass !== 'boolean') throw new HttpError(400, 'breakGlass must be true or false');
  const breakGlass = body.breakGlass === true;
  if (breakGlass && startAtRaw) throw new HttpError(400, 'a break-glass request cannot be scheduled: it starts now');
  if (caller.kind !== 'JUMP' && body.permissionLevel !== undefined) {
    throw new HttpError(400, 'permissionLevel is for jump-account users; Identity Center users request a permissionSet');
  }
  const grants = caller.kind === 'JUMP' ? jumpGrants(config, caller, body, accounts, ask) : permissionSetGrants(config, caller, body, accounts, ask);
  const now = Date.now();
  let startAt: string | undefined;
  if (startAtRaw) {
    const t = Date.parse(startAtRaw);
    if (Number.isNaN(t)) throw new HttpError(400, `startAt '${startAtRaw}' must be an ISO-8601 timestamp`);
    if (t > now + config.maxScheduleAheadSeconds * 1000) {
      throw new HttpError(400, `startAt must be at most ${config.maxScheduleAheadSeconds}s ahead`);
    }
    if (t > now) startAt = new Date(t).toISOString();
  }
  const created = [];
  for (const [i, accountId] of accounts.entries()) {
    const { policy, fields } = grants[i];
    const request: AccessRequest = {
      requestId: randomUUID(),
      status: 'PENDING_APPROVAL',
      requesterId: caller.userId,
      requesterName: caller.userName,
      requesterArn: caller.arn,
      groupIds: caller.groupIds,
      accountId,
      ...fields,
      durationSeconds: ask.durationSeconds,
      requiredApprovals: policy.approvals,
      ticketId: ask.ticketId,
      justification: ask.justification,
      startAt,
      createdAt: new Date(now).toISOString(),
      pendingExpiresAt: new Date(now + config.pendingExpirySeconds * 1000).toISOString(),
      matchedRules: policy.matchedRules,
      ...(breakGlass ? { breakGlass } : {}),
    };
    await ddb.send(new PutCommand({ TableName: env('REQUESTS_TABLE'), Item: request, ConditionExpression: 'attribute_not_exists(requestId)' }));
    await recordTransition({ request, transition: 'REQUESTED', actor: caller.arn });
    const exec = await sfn.send(new StartExecutionCommand({
      stateMachineArn: env('STATE_MACHINE_ARN'), name: request.requestId, input: JSON.stringify({ requestId: request.requestId }),
    }));
    await ddb.send(new UpdateCommand({
      TableName: env('REQUESTS_TABLE'),
      Key: { requestId: request.requestId },
      UpdateExpression: 'SET executionArn = :e',
      ExpressionAttributeValues: { ':e': exec.executionArn },
    }));
    created.push({
      requestId: request.requestId,
      accountId,
      status: request.status,
      requiredApprovals: policy.approvals,
      maxDurationSeconds: policy.maxDurationSeconds,
      matchedRules: policy.matchedRules,
      ...(fields.elevatedRoleName ? { elevatedRoleName: fields.elevatedRoleName } : {}),
    });
  }
  return reply(201, { ...created[0], requests: created });
}

/**
 * Jump requests follow the jump approver rules (jump users by IAM name, Identity Center principals by id); Identity
 * Center requests the Identity Center ones, which a jump user never satisfies (an IAM group name could be made to
 * look like an identity store group id).
 */
function isApprover(config: AccessConfig, caller: Caller, r: AccessRequest): boolean {
  if (r.grantKind === 'JUMP') {
    if (!config.jump || !r.elevatedRoleName) return false;
    const approver = caller.kind === 'JUMP'
      ? { kind: 'JUMP' as const, id: caller.userName, groups: caller.groupIds }
      : { kind: 'IDENTITY_CENTER' as const, id: caller.userId, groups: caller.groupIds };
    return isJumpApprover(config.jump, approver, r.accountId, r.elevatedRoleName);
  }
  if (caller.kind === 'JUMP') return false;
  return isEligibleApprover(config, caller.userId, caller.groupIds, r.accountId, r.permissionSetArn);
}

/** What a request grants, for notices: the permission set's name or the elevated role's. */
function grantLabel(config: AccessConfig, r: AccessRequest): string {
  return r.elevatedRoleName ?? config.permissionSets[r.permissionSetArn]?.name ?? r.permissionSetArn;
}

/**
 * Records one approval: eligible approver, never the requester, distinct approvers counted atomically while pending,
 * approved once the quorum is reached. The one approval path, for the API and for chat.
 */
export async function approve(config: AccessConfig, caller: Caller, r: AccessRequest): Promise<APIGatewayProxyResult> {
  if (caller.userId === r.requesterId) throw new HttpError(403, 'requesters cannot approve their own request');
  if (!isApprover(config, caller, r)) throw new HttpError(403, `${caller.userName} is not an approver for this account and permission set`);
  if (r.status !== 'PENDING_APPROVAL') throw new HttpError(409, `request is ${r.status}, not PENDING_APPROVAL`);
  let updated: AccessRequest;
  try {
    // counted atomically: distinct approvers (a set), never the requester, only while pending
    const out = await ddb.send(new UpdateCommand({
      TableName: env('REQUESTS_TABLE'),
      Key: { requestId: r.requestId },
      UpdateExpression: 'ADD approvals :me',
      ConditionExpression: '#s = :pending AND requesterId <> :id AND NOT contains(approvals, :id)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':me': new Set([caller.userId]), ':id': caller.userId, ':pending': 'PENDING_APPROVAL' },
      ReturnValues: 'ALL_NEW',
    }));
    updated = out.Attributes as AccessRequest;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') {
      throw new HttpError(409, 'approval not recorded: already approved by you, or the request is no longer pending');
    }
    throw e;
  }
  const count = [...(updated.approvals ?? [])].length;
  await recordTransition({ request: updated, transition: 'APPROVAL_RECORDED', actor: caller.arn, repeatKey: caller.userId });
  if (count >= r.requiredApprovals) {
    try {
      await ddb.send(new UpdateCommand({
        TableName: env('REQUESTS_TABLE'),
        Key: { requestId: r.requestId },
        UpdateExpression: 'SET #s = :approved',
        ConditionExpression: '#s = :pending AND size(approvals) >= :n',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':approved': 'APPROVED', ':pending': 'PENDING_APPROVAL', ':n': r.requiredApprovals },
      }));
      await recordTransition({ request: updated, transition: 'APPROVED', actor: caller.arn });
      await notify('requester', updated, {
        title: `Request approved: ${grantLabel(config, r)} on ${r.accountId}`,
        text: `Approved by ${[...(updated.approvals ?? [])].length} approver(s); the grant follows${r.startAt ? ` at ${r.startAt}` : ''}.`,
        nextSteps: [`lz-access show ${r.requestId} --wait`],
      });
      if (updated.taskToken && updated.taskStage === 'APPROVAL') {
        await sfn.send(new SendTaskSuccessCommand({ taskToken: updated.taskToken, output: JSON.stringify({ approvedBy: caller.userId }) }));
      }
    } catch (e) {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    }
  }
  return reply(200, { requestId: r.requestId, approvals: count, requiredApprovals: r.requiredApprovals });
}

/** Rejects or cancels a pending request and ends its wait for approval. */
export async function close(r: AccessRequest, caller: Caller, status: 'REJECTED' | 'CANCELLED', from: string[], reason: string | undefined): Promise<APIGatewayProxyResult> {
  try {
    const out = await ddb.send(new UpdateCommand({
      TableName: env('REQUESTS_TABLE'),
      Key: { requestId: r.requestId },
      UpdateExpression: 'SET #s = :s, closedBy = :by, closeReason = :why',
      ConditionExpression: `#s IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':s': status,
        ':by': caller.arn,
        ':why': reason ?? (status === 'REJECTED' ? 'rejected' : 'cancelled'),
        ...Object.fromEntries(from.map((f, i) => [`:f${i}`, f])),
      },
      ReturnValues: 'ALL_OLD',
    }));
    const old = out.Attributes as AccessRequest;
    if (old.taskToken && old.taskStage === 'APPROVAL') {
      await sfn.send(new SendTaskFailureCommand({
        taskToken: old.taskToken, error: status === 'REJECTED' ? 'Rejected' : 'Cancelled', cause: reason?.slice(0, 256),
      })).catch((e) => logger.warn('task already ended', { error: (e as Error).name }));
    }
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') throw new HttpError(409, `request is ${r.status}, cannot be ${status.toLowerCase()}`);
    throw e;
  }
  return reply(200, { requestId: r.requestId, status });
}

/** An eligible approver other than the requester rejects a pending request. */
export async function reject(config: AccessConfig, caller: Caller, r: AccessRequest, reason: string | undefined): Promise<APIGatewayProxyResult> {
  if (caller.userId === r.requesterId) throw new HttpError(403, 'requesters cannot reject their own request; cancel it');
  if (!isApprover(config, caller, r)) throw new HttpError(403, `${caller.userName} is not an approver for this account and permission set`);
  return close(r, caller, 'REJECTED', ['PENDING_APPROVAL'], reason);
}

/** The requester or an approver ends access early (or cancels a request not granted yet). */
export async function revoke(config: AccessConfig, caller: Caller, r: AccessRequest, reason: string | undefined): Promise<APIGatewayProxyResult> {
  if (caller.userId !== r.requesterId && !isApprover(config, caller, r)) throw new HttpError(403, 'only the requester or an approver may revoke');
  if (r.status === 'PENDING_APPROVAL' || r.status === 'APPROVED') return close(r, caller, 'CANCELLED', ['PENDING_APPROVAL', 'APPROVED'], reason);
  let old: AccessRequest;
  try {
    const out = await ddb.send(new UpdateCommand({
      TableName: env('REQUESTS_TABLE'),
      Key: { requestId: r.requestId },
      UpdateExpression: 'SET revokeRequested = :t, revokedBy = :by',
      ConditionExpression: '#s IN (:g, :a) AND attribute_not_exists(revokeRequested)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':t': true, ':by': caller.arn, ':g': 'GRANTING', ':a': 'ACTIVE' },
      ReturnValues: 'ALL_OLD',
    }));
    old = out.Attributes as AccessRequest;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') throw new HttpError(409, `request is ${r.status} or already being revoked`);
    throw e;
  }
  await recordTransition({ request: old, transition: 'REVOKE_REQUESTED', actor: caller.arn, reason });
  // ends the single timer of the execution: the execution then revokes once, nothing else does
  if (old.taskToken && old.taskStage === 'END') {
    await sfn.send(new SendTaskSuccessCommand({ taskToken: old.taskToken, output: JSON.stringify({ revokedBy: caller.userId }) }))
      .catch((e) => logger.warn('timer already ended', { error: (e as Error).name }));
  }
  return reply(202, { requestId: r.requestId, status: 'REVOKING' });
}

async function auditOf(r: AccessRequest): Promise<APIGatewayProxyResult> {
  const records: Record<string, unknown>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const out = await ddb.send(new QueryCommand({
      TableName: env('AUDIT_TABLE'),
      KeyConditionExpression: 'requestId = :r',
      ExpressionAttributeValues: { ':r': r.requestId },
      ExclusiveStartKey: start,
    }));
    records.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  records.sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return reply(200, { requestId: r.requestId, records });
}

async function list(config: AccessConfig, caller: Caller, view: string): Promise<APIGatewayProxyResult> {
  if (!['mine', 'approvable', 'active'].includes(view)) throw new HttpError(400, `view must be mine, approvable or active, got '${view}'`);
  if (view === 'approvable') {
    const out = await ddb.send(new QueryCommand({
      TableName: env('REQUESTS_TABLE'),
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :p',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':p': 'PENDING_APPROVAL' },
    }));
    const items = ((out.Items ?? []) as AccessRequest[]).filter((r) => r.requesterId !== caller.userId);
    const rules = await configForRequests(config, items);
    const approvable = items.filter((r) => isApprover(rules, caller, r));
    return reply(200, { requests: approvable.map((r) => publicView(config, r)) });
  }
  const out = await ddb.send(new QueryCommand({
    TableName: env('REQUESTS_TABLE'),
    IndexName: 'byRequester',
    KeyConditionExpression: 'requesterId = :me',
    ExpressionAttributeValues: { ':me': caller.userId },
    ScanIndexForward: false,
    Limit: 100,
  }));
  const mine = (out.Items ?? []) as AccessRequest[];
  return reply(200, { requests: mine.filter((r) => view !== 'active' || r.status === 'ACTIVE').map((r) => publicView(config, r)) });
}

/**
 * The signer: an Identity Center session of this account, or, when the workflow has jump rules, an IAM user of the
 * jump account (the API's resource policy admits those only in an MFA session).
 */
async function callerOf(config: AccessConfig, userArn: string | null | undefined): Promise<Caller> {
  if (!userArn || !isIamUserArn(userArn)) return resolveCaller(userArn);
  if (!config.jump) throw new CallerError(`iam user ${userArn}: this workflow gives jump-account users no elevated access (no jump rules)`);
  if (userArn.split(':')[4] !== config.jump.jumpAccountId) {
    throw new CallerError(`iam user ${userArn} is not in the jump account ${config.jump.jumpAccountId}`);
  }
  const caller = await resolveJumpCaller(userArn).catch((e: Error) => {
    // signed a moment ago, deleted since: no groups, no access
    if (e.name === 'NoSuchEntityException' || e.name === 'NoSuchEntity') throw new CallerError(`iam user ${userArn} no longer exists in the jump account`);
    throw e;
  });
  if (!caller) throw new CallerError(`iam user ${userArn}: the API is not configured for jump-account callers (JUMP_ACCOUNT_ID)`);
  return caller;
}

/** What a requester may do with their own request whatever the rules say. */
const OWN_ROUTES = new Set(['GET /requests/{requestId}', 'GET /requests/{requestId}/audit', 'POST /requests/{requestId}/cancel', 'POST /requests/{requestId}/revoke']);

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  try {
    // the caller comes from the SigV4 signature that API Gateway verified, never from the body
    const rules = await loadConfig();
    const caller = await callerOf(rules, event.requestContext?.identity?.userArn);
    logger.appendKeys({ caller: caller.arn, route: `${event.httpMethod} ${event.resource}` });
    const body = parseBody(event);
    const route = `${event.httpMethod} ${event.resource}`;
    if (route === 'POST /requests') return await createRequest(rules, caller, body);
    if (route === 'GET /requests') return await list(rules, caller, event.queryStringParameters?.view ?? 'mine');
    const id = event.pathParameters?.requestId;
    const r = id ? await getRequest(id) : undefined;
    if (!r || r.requestId.startsWith('#')) throw new HttpError(404, `request '${id}' does not exist`);
    // who approves, revokes or reviews it: the rules as they apply to its account now. The requester reading, cancelling
    // or ending their own request needs no rule, so never waits on Organizations
    const config = caller.userId === r.requesterId && OWN_ROUTES.has(route) ? rules : await configForRequests(rules, [r]);
    const reason = optionalString(body, 'reason', 1000);
    switch (route) {
      case 'GET /requests/{requestId}':
        if (caller.userId !== r.requesterId && !isApprover(config, caller, r)) throw new HttpError(403, 'only the requester or an approver may read this request');
        return reply(200, publicView(config, r));
      case 'GET /requests/{requestId}/audit':
        if (caller.userId !== r.requesterId && !isApprover(config, caller, r)) throw new HttpError(403, 'only the requester or an approver may read the audit of this request');
        return await auditOf(r);
      case 'POST /requests/{requestId}/approve':
        return await approve(config, caller, r);
      case 'POST /requests/{requestId}/reject':
        return await reject(config, caller, r, reason);
      case 'POST /requests/{requestId}/cancel':
        if (caller.userId !== r.requesterId) throw new HttpError(403, 'only the requester may cancel a request');
        return await close(r, caller, 'CANCELLED', ['PENDING_APPROVAL', 'APPROVED'], reason);
      case 'POST /requests/{requestId}/revoke':
        return await revoke(config, caller, r, reason);
      case 'POST /requests/{requestId}/review': {
        const closed = await closeReview(config, caller, r, optionalString(body, 'comment', 2000));
        if (!closed) throw new HttpError(409, 'the review is already closed');
        return reply(200, { requestId: r.requestId, review: 'CLOSED' });
      }
    }
    throw new HttpError(404, `no route ${route}`);
  } catch (e) {
    if (e instanceof HttpError) return reply(e.statusCode, { message: e.message });
    if (e instanceof PolicyError || e instanceof JumpPolicyError) return reply(400, { message: e.message });
    if (e instanceof CallerError) return reply(403, { message: e.message });
    logger.error('request failed', e as Error);
    return reply(500, { message: 'internal error' });
  }
}
