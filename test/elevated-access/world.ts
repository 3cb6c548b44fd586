// A local world for the elevated-access workflow: the state machine definition taken FROM THE SYNTHESIZED TEMPLATE and
// run with aws-local-stepfunctions; its Lambda Task states run the real step handler; the AWS APIs behind the
// handlers are aws-sdk-client-mock mocks backed by an in-memory DynamoDB and a fake Identity Center.
import './env';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetUserIdCommand, IdentitystoreClient, ListGroupMembershipsForMemberCommand } from '@aws-sdk/client-identitystore';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteAccountAssignmentCommand, ListAccountAssignmentsCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import {
  DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeDynamoDb } from './fake-dynamodb';
import { GROUP_LEADS, GROUP_ONCALL } from './fixture';

// aws-local-stepfunctions ships ESM types; jest loads its CommonJS build
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as { StateMachine: new (definition: unknown, options?: unknown) => LocalMachine };
interface LocalMachine {
  run(input: unknown, options?: unknown): { result: Promise<unknown>; abort(): void };
}
import { handler as apiHandler } from '../../src/elevated-access/handlers/access-api.lambda';
import { handler as stepHandler } from '../../src/elevated-access/handlers/access-step.lambda';
import { resetConfigCache } from '../../src/elevated-access/handlers/store';

/** Replaces CloudFormation intrinsics by stable placeholders: `Ref X` -> `X`, `GetAtt X.Arn` -> an ARN naming X. */
export function resolveIntrinsics(value: any): any {
  if (Array.isArray(value)) return value.map(resolveIntrinsics);
  if (value && typeof value === 'object') {
    if ('Ref' in value) return value.Ref === 'AWS::Partition' ? 'aws' : value.Ref === 'AWS::Region' ? 'eu-west-1' : value.Ref === 'AWS::AccountId' ? '000000000000' : value.Ref;
    if ('Fn::GetAtt' in value) return `arn:aws:lambda:eu-west-1:000000000000:function:${value['Fn::GetAtt'][0]}`;
    if ('Fn::Join' in value) return (value['Fn::Join'][1] as any[]).map(resolveIntrinsics).join(value['Fn::Join'][0]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIntrinsics(v)]));
  }
  return value;
}

/** The state machine definition of a stack, as deployed. */
const templates = new WeakMap<Stack, Template>();
function templateOf(stack: Stack): Template {
  if (!templates.has(stack)) templates.set(stack, Template.fromStack(stack));
  return templates.get(stack)!;
}

export function definitionFromTemplate(stack: Stack): any {
  const sm = Object.values(templateOf(stack).findResources('AWS::StepFunctions::StateMachine'))[0] as any;
  return JSON.parse(resolveIntrinsics(sm.Properties.DefinitionString));
}

/** The compiled rule configuration, as the custom resource writes it at deploy time. */
export function configFromTemplate(stack: Stack): { table: string; key: string; config: string } {
  const res = Object.values(templateOf(stack).findResources('Custom::AWS'))[0] as any;
  const create = JSON.parse(resolveIntrinsics(res.Properties.Create));
  return { table: create.parameters.TableName, key: create.parameters.Item.requestId.S, config: create.parameters.Item.config.S };
}

interface Waiter {
  readonly stage: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

function named(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export interface UserDef {
  readonly id: string;
  readonly groups: string[];
}

export const USERS: Record<string, UserDef> = {
  alice: { id: '33333333-3333-3333-3333-333333333301', groups: [GROUP_ONCALL] },
  bob: { id: '33333333-3333-3333-3333-333333333302', groups: [GROUP_LEADS] },
  carol: { id: '33333333-3333-3333-3333-333333333303', groups: [GROUP_LEADS] },
  dave: { id: '33333333-3333-3333-3333-333333333304', groups: [GROUP_LEADS] },
  erin: { id: '33333333-3333-3333-3333-333333333305', groups: [GROUP_ONCALL, GROUP_LEADS] },
  mallory: { id: '33333333-3333-3333-3333-333333333306', groups: [] },
};

const TABLES = { requests: 'RequestsTable', grants: 'GrantsTable', audit: 'AuditTable' };

/** Scripted behaviour of the fake Identity Center for the state machine's aws-sdk Task states. */
export interface SsoScript {
  /** Statuses DescribeAccountAssignmentCreationStatus returns, in order (the last repeats). */
  creation: string[];
  /** Statuses DescribeAccountAssignmentDeletionStatus returns, in order (the last repeats). */
  deletion: string[];
  /** Errors thrown by the next DeleteAccountAssignment calls, in order (names such as 'SsoAdmin.ThrottlingException'). */
  deleteErrors: string[];
  /** Errors thrown by the next CreateAccountAssignment calls. */
  createErrors: string[];
}

export class World {
  public readonly ddb = new FakeDynamoDb();
  /** Assignments that exist in the fake Identity Center: `principal|permissionSet|account`. */
  public readonly assignments = new Set<string>();
  public readonly events: Array<{ detailType: string; detail: any }> = [];
  public readonly notices: any[] = [];
  /** Every Task state entered, in order, with the request id. */
  public readonly trace: Array<{ state: string; requestId: string }> = [];
  public readonly sso: SsoScript = { creation: ['IN_PROGRESS', 'SUCCEEDED'], deletion: ['IN_PROGRESS', 'SUCCEEDED'], deleteErrors: [], createErrors: [] };
  public readonly executions = new Map<string, Promise<unknown>>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly waitingFor = new Map<string, Array<() => void>>();
  private readonly machine: LocalMachine;
  private readonly definition: any;
  private creationCalls = 0;
  private deletionCalls = 0;
  private readonly mocks: Array<{ restore(): void }> = [];
  private readonly aborts: Array<() => void> = [];
  private readonly operations = new Map<string, string>();

  /** A hook run before every Task state (e.g. to let the reconciler act at a given moment). */
  public beforeTask?: (state: string, requestId: string) => Promise<void>;

  constructor(stack: Stack) {
    process.env.AWS_REGION = 'eu-west-1';
    Object.assign(process.env, {
      REQUESTS_TABLE: TABLES.requests,
      GRANTS_TABLE: TABLES.grants,
      AUDIT_TABLE: TABLES.audit,
      CONFIG_KEY: '#config',
      STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:000000000000:stateMachine:access',
      IDENTITY_STORE_ID: 'd-1234567890',
      CALLER_ACCOUNT: '000000000000',
      TOPIC_ARN: 'arn:aws:sns:eu-west-1:000000000000:notices',
      EVENT_BUS_NAME: 'default',
      TRAIL_LOG_GROUP: 'org-trail',
    });
    resetConfigCache();
    this.ddb.table(TABLES.requests, ['requestId']);
    this.ddb.table(TABLES.grants, ['grantKey']);
    this.ddb.table(TABLES.audit, ['requestId', 'eventKey']);
    const cfg = configFromTemplate(stack);
    this.ddb.send(new PutCommand({ TableName: TABLES.requests, Item: { requestId: cfg.key, config: cfg.config } }));
    this.definition = definitionFromTemplate(stack);
    // aws-local-stepfunctions resolves TimeoutSecondsPath against the task's Parameters output, AWS against the state
    // input; locally the callback timeouts are fired by timeOut() instead (the paths are asserted on the template)
    for (const state of Object.values<any>(this.definition.States)) {
      if (state.TimeoutSecondsPath) {
        delete state.TimeoutSecondsPath;
        state.TimeoutSeconds = 2_000_000; // fits the 32-bit millisecond timer
      }
    }
    this.machine = new StateMachine(this.definition, { validationOptions: { checkArn: false, checkPaths: false } });
    this.installMocks();
  }

  /** Ends the test: aborts executions still waiting (their task timers would keep jest alive) and restores the mocks. */
  public restore(): void {
    for (const abort of this.aborts) abort();
    // settle the callbacks still waiting, so the library clears their task timers
    for (const w of this.waiters.values()) w.reject(named('TestEnded'));
    this.waiters.clear();
    for (const m of this.mocks) m.restore();
  }


  private installMocks(): void {
    const ddb = mockClient(DynamoDBDocumentClient);
    for (const C of [GetCommand, PutCommand, UpdateCommand, QueryCommand, ScanCommand, DeleteCommand] as any[]) {
      ddb.on(C).callsFake(async (input: any) => this.ddb.send(new C(input)));
    }
    const sso = mockClient(SSOAdminClient);
    sso.on(ListAccountAssignmentsCommand).callsFake(async (input: any) => ({
      AccountAssignments: [...this.assignments]
        .map((a) => a.split('|'))
        .filter(([, ps, acct]) => ps === input.PermissionSetArn && acct === input.AccountId)
        .map(([p, ps, acct]) => ({ PrincipalId: p, PrincipalType: 'USER', PermissionSetArn: ps, AccountId: acct })),
    }));
    sso.on(DeleteAccountAssignmentCommand).callsFake(async (input: any) => {
      this.assignments.delete(`${input.PrincipalId}|${input.PermissionSetArn}|${input.TargetId}`);
      return { AccountAssignmentDeletionStatus: { RequestId: 'reconciler-deletion', Status: 'IN_PROGRESS' } };
    });
    const sfnMock = mockClient(SFNClient);
    sfnMock.on(SendTaskSuccessCommand).callsFake(async (input: any) => this.settle(input.taskToken, undefined, JSON.parse(input.output)));
    sfnMock.on(SendTaskFailureCommand).callsFake(async (input: any) => this.settle(input.taskToken, named(input.error, input.cause ?? input.error)));
    sfnMock.on(StartExecutionCommand).callsFake(async (input: any) => {
      this.executions.set(input.name, this.run(JSON.parse(input.input)));
      return { executionArn: `arn:aws:states:eu-west-1:000000000000:execution:access:${input.name}` };
    });
    const eb = mockClient(EventBridgeClient);
    eb.on(PutEventsCommand).callsFake(async (input: any) => {
      for (const e of input.Entries) this.events.push({ detailType: e.DetailType, detail: JSON.parse(e.Detail) });
      return { FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'e' })) };
    });
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).callsFake(async (input: any) => {
      this.notices.push(input);
      return { MessageId: 'm' };
    });
    const iam = mockClient(IAMClient);
    iam.on(GetRoleCommand).callsFake(async (input: any) => ({
      Role: { RoleName: input.RoleName, Path: input.RoleName.includes('LookAlike') ? '/' : '/aws-reserved/sso.amazonaws.com/' },
    }));
    const ids = mockClient(IdentitystoreClient);
    ids.on(GetUserIdCommand).callsFake(async (input: any) => {
      const u = USERS[input.AlternateIdentifier.UniqueAttribute.AttributeValue];
      if (!u) throw named('ResourceNotFoundException');
      return { UserId: u.id, IdentityStoreId: input.IdentityStoreId };
    });
    ids.on(ListGroupMembershipsForMemberCommand).callsFake(async (input: any) => {
      const u = Object.values(USERS).find((x) => x.id === input.MemberId.UserId)!;
      return { GroupMemberships: u.groups.map((g) => ({ GroupId: g, MemberId: { UserId: u.id } })) };
    });
    this.mocks.push(ddb, sso, sfnMock, eb, sns, iam, ids);
  }

  /** Calls the API as an Identity Center user (the SigV4 identity API Gateway hands to the handler). */
  public async call(
    user: string, method: string, resource: string,
    opts: { requestId?: string; body?: unknown; query?: Record<string, string>; roleName?: string } = {},
  ) {
    const role = opts.roleName ?? 'AWSReservedSSO_Requester_0123456789abcdef';
    const res = await apiHandler({
      httpMethod: method,
      resource,
      path: resource,
      pathParameters: opts.requestId ? { requestId: opts.requestId } : null,
      queryStringParameters: opts.query ?? null,
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      requestContext: { identity: { userArn: `arn:aws:sts::000000000000:assumed-role/${role}/${user}` } },
    } as any);
    return { status: res.statusCode, body: JSON.parse(res.body) };
  }

  /** Runs one execution of the synthesized definition for a request. */
  public run(input: { requestId: string }): Promise<unknown> {
    const token = `token-${input.requestId}`;
    const handlers: Record<string, (i: any) => Promise<any>> = {};
    const retryIntervals: Record<string, number> = {};
    const waits: Record<string, number> = {};
    for (const [name, state] of Object.entries<any>(this.definition.States)) {
      if (state.Type === 'Wait') waits[name] = 0;
      if (state.Retry) retryIntervals[name] = 0;
      if (state.Type !== 'Task') continue;
      const resource: string = state.Resource;
      handlers[name] = async (i: any) => {
        this.trace.push({ state: name, requestId: input.requestId });
        if (this.beforeTask) await this.beforeTask(name, input.requestId);
        if (resource.includes(':aws-sdk:ssoadmin:')) return this.ssoCall(resource.split(':').pop()!, i);
        if (resource.includes('waitForTaskToken')) return this.callback(name, i.Payload);
        return stepHandler(i);
      };
    }
    const exec = this.machine.run(input, {
      overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waits, retryIntervalOverrides: retryIntervals },
      context: { Task: { Token: token } } as any,
      noThrowOnAbort: true,
    });
    this.aborts.push(exec.abort);
    return exec.result;
  }

  private async callback(_state: string, payload: any): Promise<unknown> {
    const token = payload.taskToken;
    const done = new Promise((resolve, reject) => this.waiters.set(token, { stage: payload.stage, resolve, reject }));
    try {
      await stepHandler(payload);
    } catch (e) {
      this.waiters.delete(token);
      throw e;
    }
    if (this.waiters.has(token)) {
      for (const f of this.waitingFor.get(`${payload.requestId}:${payload.stage}`) ?? []) f();
      this.waitingFor.delete(`${payload.requestId}:${payload.stage}`);
    }
    return done;
  }

  private settle(token: string, error?: Error, output?: unknown): object {
    const w = this.waiters.get(token);
    if (!w) throw named('TaskTimedOut', 'task is no longer waiting');
    this.waiters.delete(token);
    if (error) w.reject(error);
    else w.resolve(output ?? {});
    return {};
  }

  /** Resolves once the execution of `requestId` waits in `stage` (APPROVAL or END). */
  public waiting(requestId: string, stage: 'APPROVAL' | 'END'): Promise<void> {
    const w = this.waiters.get(`token-${requestId}`);
    if (w && w.stage === stage) return Promise.resolve();
    const reached = new Promise<void>((resolve) => {
      const k = `${requestId}:${stage}`;
      this.waitingFor.set(k, [...(this.waitingFor.get(k) ?? []), resolve]);
    });
    const exec = this.executions.get(requestId);
    if (!exec) return reached;
    const ended = exec.then(
      (out) => { throw new Error(`execution ended before ${stage}: ${JSON.stringify(out)}`); },
      (e) => { throw new Error(`execution failed before ${stage}: ${(e as Error).message}`); });
    return Promise.race([reached, ended]);
  }

  /** The callback task's timeout fires (pending expiry, or the end of the grant). */
  public timeOut(requestId: string): void {
    this.settle(`token-${requestId}`, named('States.Timeout'));
  }

  private async ssoCall(action: string, i: any): Promise<unknown> {
    const key = `${i.PrincipalId}|${i.PermissionSetArn}|${i.TargetId}`;
    switch (action) {
      case 'createAccountAssignment': {
        const err = this.sso.createErrors.shift();
        if (err) throw named(err);
        this.creationCalls++;
        this.operations.set(`create-${this.creationCalls}`, key);
        return { AccountAssignmentCreationStatus: { RequestId: `create-${this.creationCalls}`, Status: 'IN_PROGRESS' } };
      }
      case 'describeAccountAssignmentCreationStatus': {
        const status = this.sso.creation.length > 1 ? this.sso.creation.shift()! : this.sso.creation[0];
        if (status === 'SUCCEEDED') this.assignments.add(this.operations.get(i.AccountAssignmentCreationRequestId)!);
        const failure = status === 'FAILED' ? { FailureReason: 'permission set not provisioned' } : {};
        return { AccountAssignmentCreationStatus: { RequestId: i.AccountAssignmentCreationRequestId, Status: status, ...failure } };
      }
      case 'deleteAccountAssignment': {
        const err = this.sso.deleteErrors.shift();
        if (err) throw named(err);
        this.deletionCalls++;
        this.operations.set(`delete-${this.deletionCalls}`, key);
        return { AccountAssignmentDeletionStatus: { RequestId: `delete-${this.deletionCalls}`, Status: 'IN_PROGRESS' } };
      }
      case 'describeAccountAssignmentDeletionStatus': {
        const status = this.sso.deletion.length > 1 ? this.sso.deletion.shift()! : this.sso.deletion[0];
        if (status === 'SUCCEEDED') this.assignments.delete(this.operations.get(i.AccountAssignmentDeletionRequestId)!);
        return { AccountAssignmentDeletionStatus: { RequestId: i.AccountAssignmentDeletionRequestId, Status: status } };
      }
    }
    throw new Error(`unexpected sso action ${action}`);
  }


  /** Stores a request as-is and starts its execution, bypassing the API (the backend must still refuse it). */
  public startDirect(item: Record<string, unknown>): Promise<unknown> {
    this.ddb.send(new PutCommand({ TableName: TABLES.requests, Item: item }));
    const p = this.run({ requestId: item.requestId as string });
    this.executions.set(item.requestId as string, p);
    return p;
  }

  /** Changes a grant record, e.g. to age a deletion claim. */
  public patchGrant(grantKey: string, patch: Record<string, unknown>): void {
    const g = this.ddb.get(TABLES.grants, { grantKey })!;
    this.ddb.send(new PutCommand({ TableName: TABLES.grants, Item: { ...g, ...patch } }));
  }

  /** Calls of a Task state, optionally for one request. */
  public calls(state: string, requestId?: string): number {
    return this.trace.filter((t) => t.state === state && (!requestId || t.requestId === requestId)).length;
  }

  public request(requestId: string): any {
    return this.ddb.get(TABLES.requests, { requestId });
  }

  public audit(requestId: string): any[] {
    return this.ddb.items(TABLES.audit).filter((a) => a.requestId === requestId);
  }

  public grants(): any[] {
    return this.ddb.items(TABLES.grants);
  }

  public transitions(requestId: string): string[] {
    return this.events.filter((e) => e.detail.requestId === requestId).map((e) => e.detail.transition);
  }
}
