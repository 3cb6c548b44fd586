// A local world for the elevated-access workflow: the state machine definition taken FROM THE SYNTHESIZED TEMPLATE and
// run with aws-local-stepfunctions; its Lambda Task states run the real step handler; the handlers talk to a real
// DynamoDB-compatible server (dynalite, started for each test file by test/dynamodb-server.ts) with fresh tables per world, and to
// aws-sdk-client-mock mocks for Identity Center, Step Functions, EventBridge, SNS, S3 and the audit writer's Lambda.
import './env';
import { randomUUID } from 'crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DeleteRolePolicyCommand, DeleteUserPolicyCommand, GetRolePolicyCommand, GetRoleCommand, GetUserPolicyCommand, IAMClient, ListGroupsForUserCommand,
  ListRolePoliciesCommand, ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeUserCommand, GetUserIdCommand, IdentitystoreClient, ListGroupMembershipsForMemberCommand,
} from '@aws-sdk/client-identitystore';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DeleteAccountAssignmentCommand, DescribeAccountAssignmentDeletionStatusCommand, ListAccountAssignmentsCommand, SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { READ_ONLY } from './fixture';
import { GROUP_LEADS, GROUP_ONCALL, HOST_ACCOUNT } from './ids';

// loaded only by worlds with a state machine, so the handler-only tests stay fast to start
type LocalMachineClass = new (definition: unknown, options?: unknown) => LocalMachine;
interface LocalMachine {
  run(input: unknown, options?: unknown): { result: Promise<unknown>; abort(): void };
}
import { handler as apiHandler } from '../../src/elevated-access/handlers/access-api.lambda';
import { handler as stepHandler } from '../../src/elevated-access/handlers/access-step.lambda';
import { handler as auditWriter } from '../../src/elevated-access/handlers/audit-writer.lambda';
import { reconcile, ReconcileResult } from '../../src/elevated-access/handlers/reconcile';
import { resetConfigCache } from '../../src/elevated-access/handlers/store';

/** Replaces CloudFormation intrinsics by stable placeholders: `Ref X` -> `X`, `GetAtt X.Arn` -> an ARN naming X. */
export function resolveIntrinsics(value: any): any {
  if (Array.isArray(value)) return value.map(resolveIntrinsics);
  if (value && typeof value === 'object') {
    if ('Ref' in value) return value.Ref === 'AWS::Partition' ? 'aws' : value.Ref === 'AWS::Region' ? 'eu-west-1' : value.Ref === 'AWS::AccountId' ? HOST_ACCOUNT : value.Ref;
    if ('Fn::GetAtt' in value) return `arn:aws:lambda:eu-west-1:${HOST_ACCOUNT}:function:${value['Fn::GetAtt'][0]}`;
    if ('Fn::Join' in value) return (value['Fn::Join'][1] as any[]).map(resolveIntrinsics).join(value['Fn::Join'][0]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIntrinsics(v)]));
  }
  return value;
}

const templates = new WeakMap<Stack, Template>();
function templateOf(stack: Stack): Template {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!templates.has(stack)) templates.set(stack, (require('aws-cdk-lib/assertions') as typeof import('aws-cdk-lib/assertions')).Template.fromStack(stack));
  return templates.get(stack)!;
}

/** The state machine definition of a stack, as deployed. */
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

export function named(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export interface UserDef {
  readonly id: string;
  groups: string[];
}

export const USERS: Record<string, UserDef> = {
  alice: { id: '33333333-3333-3333-3333-333333333301', groups: [GROUP_ONCALL] },
  bob: { id: '33333333-3333-3333-3333-333333333302', groups: [GROUP_LEADS] },
  carol: { id: '33333333-3333-3333-3333-333333333303', groups: [GROUP_LEADS] },
  dave: { id: '33333333-3333-3333-3333-333333333304', groups: [GROUP_LEADS] },
  erin: { id: '33333333-3333-3333-3333-333333333305', groups: [GROUP_ONCALL, GROUP_LEADS] },
  mallory: { id: '33333333-3333-3333-3333-333333333306', groups: [] },
};
const INITIAL_GROUPS = Object.fromEntries(Object.entries(USERS).map(([k, u]) => [k, [...u.groups]]));

/** Scripted behaviour of the fake Identity Center for the state machine's aws-sdk Task states. */
export interface SsoScript {
  /** Statuses DescribeAccountAssignmentCreationStatus returns, in order (the last repeats). */
  creation: string[];
  /** Statuses DescribeAccountAssignmentDeletionStatus returns, in order (the last repeats). */
  deletion: string[];
  /** Errors thrown by the next DeleteAccountAssignment calls of the state machine, in order. */
  deleteErrors: string[];
  /** Errors thrown by the next CreateAccountAssignment calls. */
  createErrors: string[];
}

/** A fault injected into a Task state: its next `times` entries fail with `error`. */
export interface Fault {
  readonly state: string;
  readonly error: string;
  times: number;
  hits: number;
}

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export class World {
  /** Creates the tables of a new world on the DynamoDB-compatible server and writes the compiled configuration. */
  public static async create(stack?: Stack): Promise<World> {
    const world = new World(stack);
    await world.init(stack);
    return world;
  }

  /** Assignments that exist in the fake Identity Center: `principal|permissionSet|account`. */
  public readonly assignments = new Set<string>();
  public readonly events: Array<{ detailType: string; detail: any }> = [];
  public readonly notices: any[] = [];
  /** Audit records archived to the (mock) Object Lock bucket, by key. */
  public readonly archive = new Map<string, any>();
  /** Every Task state entered, in order, with the request id. */
  public readonly trace: Array<{ state: string; requestId: string }> = [];
  public readonly sso: SsoScript = { creation: ['IN_PROGRESS', 'SUCCEEDED'], deletion: ['IN_PROGRESS', 'SUCCEEDED'], deleteErrors: [], createErrors: [] };
  public readonly executions = new Map<string, Promise<unknown>>();
  public readonly status = new Map<string, ExecutionStatus>();
  public readonly faults: Fault[] = [];
  /** Stop the execution that enters this state (once): before its task runs, or after it ran but before it returns. */
  public abortAt?: string;
  public abortWhen: 'before' | 'after' = 'before';
  public aborted?: { state: string; requestId: string };
  public readonly tables: { requests: string; grants: string; audit: string };
  private readonly waiters = new Map<string, Waiter>();
  private readonly waitingFor = new Map<string, Array<() => void>>();
  private readonly machine?: LocalMachine;
  private readonly definition: any;
  private creationCalls = 0;
  private deletionCalls = 0;
  private readonly mocks: Array<{ restore(): void }> = [];
  private readonly abortOf = new Map<string, () => void>();
  private readonly operations = new Map<string, string>();
  private readonly doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });

  /** Jump users' IAM groups (ListGroupsForUser through the group reader), by user name. */
  public readonly jumpGroups: Record<string, string[]> = {};
  /** Inline policies the jump branch's SDK tasks wrote: users' by user name, roles' by `<role name>`. */
  public readonly userPolicies = new Map<string, Map<string, any>>();
  public readonly rolePolicies = new Map<string, Map<string, any>>();
  /** Roles the handlers assumed (sts:AssumeRole), in order. */
  public readonly assumedRoles: string[] = [];
  /** When each Task state was entered (ms), with the trace. */
  public readonly enteredAt: Array<{ state: string; requestId: string; at: number }> = [];

  /** Answers ListAccountAssignments instead of the fake Identity Center when it returns something. */
  public listHook?: (input: any) => Promise<unknown>;
  /** What DescribeAccountAssignmentDeletionStatus tells the reconciler. */
  public reconcilerDeletion = 'SUCCEEDED';
  /** The reconciler's DeleteAccountAssignment inputs and how often it polled their status. */
  public readonly reconcilerDeletes: any[] = [];
  public reconcilerPolls = 0;
  /** Executions the reconciler asked about, and a hook run before each answer (may throw). */
  public readonly describedExecutions: string[] = [];
  public describeHook?: (name: string) => Promise<void>;

  /** A hook run before every Task state (e.g. to let the reconciler act at a given moment). */
  public beforeTask?: (state: string, requestId: string) => Promise<void>;

  /** Without a stack: the tables and the mocks only, for the handler modules on their own (no state machine). */
  private constructor(stack?: Stack) {
    const id = randomUUID().slice(0, 8);
    this.tables = { requests: `Requests-${id}`, grants: `Grants-${id}`, audit: `Audit-${id}` };
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      REQUESTS_TABLE: this.tables.requests,
      GRANTS_TABLE: this.tables.grants,
      AUDIT_TABLE: this.tables.audit,
      AUDIT_ARCHIVE_BUCKET: 'audit-archive',
      AUDIT_WRITER_FUNCTION: 'audit-writer',
      CONFIG_KEY: '#config',
      STATE_MACHINE_ARN: `arn:aws:states:eu-west-1:${HOST_ACCOUNT}:stateMachine:access`,
      IDENTITY_STORE_ID: 'd-1234567890',
      CALLER_ACCOUNT: HOST_ACCOUNT,
      TOPIC_ARN: `arn:aws:sns:eu-west-1:${HOST_ACCOUNT}:notices`,
      EVENT_BUS_NAME: 'default',
      TRAIL_LOG_GROUP: 'org-trail',
      ACCESS_PORTAL_URL: 'https://d-1234567890.awsapps.com/start',
    });
    resetConfigCache();
    for (const [k, groups] of Object.entries(INITIAL_GROUPS)) USERS[k].groups = [...groups];
    this.definition = stack ? definitionFromTemplate(stack) : { States: {} };
    // aws-local-stepfunctions resolves TimeoutSecondsPath against the task's Parameters output, AWS against the state
    // input; locally the callback timeouts are fired by timeOut() instead (the paths are asserted on the template)
    for (const state of Object.values<any>(this.definition.States)) {
      if (state.TimeoutSecondsPath) {
        delete state.TimeoutSecondsPath;
        state.TimeoutSeconds = 2_000_000; // fits the 32-bit millisecond timer
      }
    }
    // aws-local-stepfunctions ships ESM types; jest loads its CommonJS build
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const StateMachine = stack ? (require('aws-local-stepfunctions') as { StateMachine: LocalMachineClass }).StateMachine : undefined;
    this.machine = StateMachine ? new StateMachine(this.definition, { validationOptions: { checkArn: false, checkPaths: false } }) : undefined;
    this.installMocks();
  }

  private async init(stack?: Stack): Promise<void> {
    const client = new DynamoDBClient({});
    const S = 'S' as const;
    const table = (name: string, keys: string[], indexes: Array<[string, string, string]> = []) => client.send(new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...new Set([...keys, ...indexes.flatMap(([, h, r]) => [h, r])])].map((a) => ({ AttributeName: a, AttributeType: S })),
      KeySchema: keys.map((k, i) => ({ AttributeName: k, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
      GlobalSecondaryIndexes: indexes.length === 0 ? undefined : indexes.map(([n, h, r]) => ({
        IndexName: n,
        KeySchema: [{ AttributeName: h, KeyType: 'HASH' }, { AttributeName: r, KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      })),
    }));
    await table(this.tables.requests, ['requestId'], [['byRequester', 'requesterId', 'createdAt'], ['byStatus', 'status', 'createdAt']]);
    await table(this.tables.grants, ['grantKey']);
    await table(this.tables.audit, ['requestId', 'eventKey']);
    if (!stack) return;
    const cfg = configFromTemplate(stack);
    await this.doc.send(new PutCommand({ TableName: this.tables.requests, Item: { requestId: cfg.key, config: cfg.config } }));
  }

  /** Ends the test: aborts executions still waiting (their task timers would keep jest alive) and restores the mocks. */
  public restore(): void {
    for (const abort of this.abortOf.values()) abort();
    for (const w of this.waiters.values()) w.reject(named('TestEnded'));
    this.waiters.clear();
    for (const m of this.mocks) m.restore();
  }

  private installMocks(): void {
    const sso = mockClient(SSOAdminClient);
    sso.on(ListAccountAssignmentsCommand).callsFake(async (input: any) => (this.listHook ? await this.listHook(input) : undefined) ?? ({
      AccountAssignments: [...this.assignments]
        .map((a) => a.split('|'))
        .filter(([, ps, acct]) => ps === input.PermissionSetArn && acct === input.AccountId)
        .map(([p, ps, acct]) => ({ PrincipalId: p, PrincipalType: 'USER', PermissionSetArn: ps, AccountId: acct })),
    }));
    // the reconciler's own deletions: confirmed by polling, as the state machine's
    sso.on(DeleteAccountAssignmentCommand).callsFake(async (input: any) => {
      this.reconcilerDeletes.push(input);
      this.deletionCalls++;
      const id = `reconciler-delete-${this.deletionCalls}`;
      this.operations.set(id, `${input.PrincipalId}|${input.PermissionSetArn}|${input.TargetId}`);
      return { AccountAssignmentDeletionStatus: { RequestId: id, Status: 'IN_PROGRESS' } };
    });
    sso.on(DescribeAccountAssignmentDeletionStatusCommand).callsFake(async (input: any) => {
      this.reconcilerPolls++;
      if (this.reconcilerDeletion === 'SUCCEEDED') this.assignments.delete(this.operations.get(input.AccountAssignmentDeletionRequestId)!);
      return { AccountAssignmentDeletionStatus: { RequestId: input.AccountAssignmentDeletionRequestId, Status: this.reconcilerDeletion } };
    });
    const sfnMock = mockClient(SFNClient);
    sfnMock.on(SendTaskSuccessCommand).callsFake(async (input: any) => this.settle(input.taskToken, undefined, JSON.parse(input.output)));
    sfnMock.on(SendTaskFailureCommand).callsFake(async (input: any) => this.settle(input.taskToken, named(input.error, input.cause ?? input.error)));
    sfnMock.on(StartExecutionCommand).callsFake(async (input: any) => {
      void this.start(input.name);
      return { executionArn: `arn:aws:states:eu-west-1:${HOST_ACCOUNT}:execution:access:${input.name}` };
    });
    sfnMock.on(DescribeExecutionCommand).callsFake(async (input: any) => {
      const name = input.executionArn.split(':').pop();
      this.describedExecutions.push(name);
      if (this.describeHook) await this.describeHook(name);
      const status = this.status.get(name);
      if (!status) throw named('ExecutionDoesNotExist', `execution ${input.executionArn} does not exist`);
      return { executionArn: input.executionArn, status };
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
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).callsFake(async (input: any) => {
      this.archive.set(input.Key, JSON.parse(input.Body));
      return { VersionId: 'v' };
    });
    // the audit writer, invoked as the other handlers invoke it
    const lambda = mockClient(LambdaClient);
    lambda.on(InvokeCommand).callsFake(async (input: any) => {
      const out = await auditWriter(JSON.parse(Buffer.from(input.Payload).toString('utf8')));
      return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(out)) };
    });
    const iam = mockClient(IAMClient);
    iam.on(GetRoleCommand).callsFake(async (input: any) => ({
      Role: { RoleName: input.RoleName, Path: input.RoleName.includes('LookAlike') ? '/' : '/aws-reserved/sso.amazonaws.com/' },
    }));
    const ids = mockClient(IdentitystoreClient);
    ids.on(GetUserIdCommand).callsFake(async (input: any) => {
      const { AttributePath: path, AttributeValue: value } = input.AlternateIdentifier.UniqueAttribute;
      // every user's e-mail address is <name>@example.com
      const name = path === 'emails.value' ? /^([a-z]+)@example\.com$/.exec(String(value))?.[1] : String(value);
      const u = name ? USERS[name] : undefined;
      if (!u) throw named('ResourceNotFoundException');
      return { UserId: u.id, IdentityStoreId: input.IdentityStoreId };
    });
    ids.on(DescribeUserCommand).callsFake(async (input: any) => {
      const name = Object.keys(USERS).find((k) => USERS[k].id === input.UserId);
      if (!name) throw named('ResourceNotFoundException');
      return { UserId: input.UserId, UserName: name, Emails: [{ Value: `${name}@example.com`, Primary: true }], IdentityStoreId: input.IdentityStoreId };
    });
    ids.on(ListGroupMembershipsForMemberCommand).callsFake(async (input: any) => {
      const u = Object.values(USERS).find((x) => x.id === input.MemberId.UserId);
      return { GroupMemberships: (u?.groups ?? []).map((g) => ({ GroupId: g, MemberId: { UserId: input.MemberId.UserId } })) };
    });
    iam.on(ListGroupsForUserCommand).callsFake(async (input: any) => {
      const groups = this.jumpGroups[input.UserName];
      if (!groups) throw named('NoSuchEntityException', `user ${input.UserName} does not exist`);
      return { Groups: groups.map((g) => ({ GroupName: g })), IsTruncated: false };
    });
    // the reconciler's sweep, through the grant writer and the revokers: the same policies the SDK tasks wrote
    const inline = (m: Map<string, Map<string, any>>, owner: string) => m.get(owner) ?? new Map<string, any>();
    const noPolicy = (name: string) => named('NoSuchEntityException', `The policy ${name} cannot be found.`);
    const names = (m: Map<string, Map<string, any>>, owner: string) => ({ PolicyNames: [...inline(m, owner).keys()], IsTruncated: false });
    iam.on(ListUserPoliciesCommand).callsFake(async (i: any) => names(this.userPolicies, i.UserName));
    iam.on(ListRolePoliciesCommand).callsFake(async (i: any) => names(this.rolePolicies, i.RoleName));
    iam.on(GetUserPolicyCommand).callsFake(async (i: any) => {
      const doc = inline(this.userPolicies, i.UserName).get(i.PolicyName);
      if (doc === undefined) throw noPolicy(i.PolicyName);
      return { UserName: i.UserName, PolicyName: i.PolicyName, PolicyDocument: encodeURIComponent(typeof doc === 'string' ? doc : JSON.stringify(doc)) };
    });
    iam.on(GetRolePolicyCommand).callsFake(async (i: any) => {
      const doc = inline(this.rolePolicies, i.RoleName).get(i.PolicyName);
      if (doc === undefined) throw noPolicy(i.PolicyName);
      return { RoleName: i.RoleName, PolicyName: i.PolicyName, PolicyDocument: encodeURIComponent(typeof doc === 'string' ? doc : JSON.stringify(doc)) };
    });
    iam.on(DeleteUserPolicyCommand).callsFake(async (i: any) => {
      if (!this.userPolicies.get(i.UserName)?.delete(i.PolicyName)) throw noPolicy(i.PolicyName);
      return {};
    });
    iam.on(DeleteRolePolicyCommand).callsFake(async (i: any) => {
      if (!this.rolePolicies.get(i.RoleName)?.delete(i.PolicyName)) throw noPolicy(i.PolicyName);
      return {};
    });
    const sts = mockClient(STSClient);
    sts.on(AssumeRoleCommand).callsFake(async (input: any) => {
      this.assumedRoles.push(input.RoleArn);
      return { Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3600_000) } };
    });
    this.mocks.push(sso, sfnMock, eb, sns, s3, lambda, iam, ids, sts);
  }

  /** Calls the API as an Identity Center user (the SigV4 identity API Gateway hands to the handler). */
  public async call(
    user: string, method: string, resource: string,
    opts: { requestId?: string; body?: unknown; query?: Record<string, string>; roleName?: string } = {},
  ) {
    const role = opts.roleName ?? 'AWSReservedSSO_lz-access-requester_0123456789abcdef';
    return callApi(`arn:aws:sts::${HOST_ACCOUNT}:assumed-role/${role}/${user}`, method, resource, opts);
  }

  private start(requestId: string): Promise<unknown> {
    const p = this.run({ requestId });
    p.catch(() => undefined); // a failed execution is an outcome tests inspect, not an unhandled rejection
    this.executions.set(requestId, p);
    return p;
  }

  /** Runs one execution of the synthesized definition for a request. */
  public run(input: { requestId: string }): Promise<unknown> {
    const id = input.requestId;
    const token = `token-${id}`;
    const handlers: Record<string, (i: any) => Promise<any>> = {};
    const retryIntervals: Record<string, number> = {};
    const waits: Record<string, number> = {};
    for (const [name, state] of Object.entries<any>(this.definition.States)) {
      // the owner polls while other grants hold its assignment: a short pause keeps the loop from spinning
      if (state.Type === 'Wait') waits[name] = name === 'WaitForOtherGrants' ? 5 : 0;
      if (state.Retry) retryIntervals[name] = 0;
      if (state.Type !== 'Task') continue;
      const resource: string = state.Resource;
      handlers[name] = async (i: any) => {
        this.trace.push({ state: name, requestId: id });
        this.enteredAt.push({ state: name, requestId: id, at: Date.now() });
        const stop = () => {
          this.aborted = { state: name, requestId: id };
          this.status.set(id, 'ABORTED');
          this.abortOf.get(id)?.();
          return new Promise(() => undefined); // the execution is gone; this task never returns
        };
        const stopHere = this.abortAt === name && !this.aborted;
        if (stopHere && this.abortWhen === 'before') return stop();
        const fault = this.faults.find((f) => f.state === name && f.times > 0);
        if (fault) {
          fault.times--;
          fault.hits++;
          throw named(fault.error, `injected ${fault.error} in ${name}`);
        }
        if (this.beforeTask) await this.beforeTask(name, id);
        if (resource.includes('waitForTaskToken')) {
          const waited = this.callback(name, i.Payload, stopHere ? stop : undefined);
          return waited;
        }
        const out = resource.includes(':aws-sdk:ssoadmin:') ? await this.ssoCall(resource.split(':').pop()!, i)
          : resource.includes(':aws-sdk:iam:') ? this.iamCall(resource.split(':').pop()!, i) : await stepHandler(i);
        return stopHere ? stop() : out;
      };
    }
    this.status.set(id, 'RUNNING');
    if (!this.machine) throw new Error('this world has no state machine: create it with a stack');
    const exec = this.machine.run(input, {
      overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waits, retryIntervalOverrides: retryIntervals },
      context: { Task: { Token: token } } as any,
      noThrowOnAbort: true,
    });
    this.abortOf.set(id, exec.abort);
    return exec.result.then(
      (out) => {
        if (this.status.get(id) === 'RUNNING') this.status.set(id, 'SUCCEEDED');
        return out;
      },
      (e) => {
        if (this.status.get(id) === 'RUNNING') this.status.set(id, 'FAILED');
        throw e;
      });
  }

  private async callback(_state: string, payload: any, stopAfter?: () => Promise<unknown>): Promise<unknown> {
    const token = payload.taskToken;
    const done = new Promise((resolve, reject) => this.waiters.set(token, { stage: payload.stage, resolve, reject }));
    done.catch(() => undefined); // a stopped execution no longer awaits its callback
    try {
      await stepHandler(payload);
    } catch (e) {
      this.waiters.delete(token);
      throw e;
    }
    if (stopAfter) {
      this.waiters.delete(token);
      return stopAfter();
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

  /** The stage the execution of `requestId` waits in, if it waits in a callback. */
  public waitingStage(requestId: string): string | undefined {
    return this.waiters.get(`token-${requestId}`)?.stage;
  }

  /** Resolves once the execution of `requestId` waits in `stage` (APPROVAL or END). */
  public waiting(requestId: string, stage: 'APPROVAL' | 'END'): Promise<void> {
    if (this.waitingStage(requestId) === stage) return Promise.resolve();
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

  /** Whether the execution of the request has ended (any way). */
  public ended(requestId: string): boolean {
    const s = this.status.get(requestId);
    return s !== undefined && s !== 'RUNNING';
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
        // adversarial: Identity Center may have created it already when the status poll is still to come
        this.assignments.add(key);
        return { AccountAssignmentCreationStatus: { RequestId: `create-${this.creationCalls}`, Status: 'IN_PROGRESS' } };
      }
      case 'describeAccountAssignmentCreationStatus': {
        const status = this.sso.creation.length > 1 ? this.sso.creation.shift()! : this.sso.creation[0];
        if (status === 'FAILED') this.assignments.delete(this.operations.get(i.AccountAssignmentCreationRequestId)!);
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

  /** The jump branch's SDK tasks on a fake IAM: inline policies of users and roles. */
  private iamCall(action: string, i: any): object {
    const bag = (m: Map<string, Map<string, any>>, k: string) => m.get(k) ?? m.set(k, new Map()).get(k)!;
    const gone = () => named('Iam.NoSuchEntityException', 'The policy does not exist');
    switch (action) {
      case 'putUserPolicy': bag(this.userPolicies, i.UserName).set(i.PolicyName, JSON.parse(i.PolicyDocument)); return {};
      case 'deleteUserPolicy': if (!this.userPolicies.get(i.UserName)?.delete(i.PolicyName)) throw gone(); return {};
      case 'putRolePolicy': bag(this.rolePolicies, i.RoleName).set(i.PolicyName, JSON.parse(i.PolicyDocument)); return {};
      case 'deleteRolePolicy': if (!this.rolePolicies.get(i.RoleName)?.delete(i.PolicyName)) throw gone(); return {};
    }
    throw new Error(`unexpected iam action ${action}`);
  }

  /** Grant policies written on jump users and session denies on elevated roles that are still there. */
  public jumpPoliciesLeft(): string[] {
    const names = (m: Map<string, Map<string, any>>) => [...m.entries()].flatMap(([k, ps]) => [...ps.keys()].map((p) => `${k}/${p}`));
    return [...names(this.userPolicies), ...names(this.rolePolicies)];
  }

  /** Stores a request as-is and starts its execution, bypassing the API (the backend must still refuse it). */
  public async startDirect(item: Record<string, unknown>): Promise<{ execution: Promise<unknown> }> {
    await this.doc.send(new PutCommand({ TableName: this.tables.requests, Item: item }));
    return { execution: this.start(item.requestId as string) };
  }

  /** Writes an item as-is (tests that set up a state directly). */
  public async put(table: keyof World['tables'], item: Record<string, unknown>): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tables[table], Item: item }));
  }

  /** An Identity Center lead (bob) approves a jump user's request as the API records it: a string set, then the callback. */
  public async approveJump(requestId: string): Promise<void> {
    await this.put('requests', { ...(await this.request(requestId)), status: 'APPROVED', approvals: new Set([USERS.bob.id]) });
    await new SFNClient({}).send(new SendTaskSuccessCommand({ taskToken: `token-${requestId}`, output: '{}' }));
  }

  /** The jump requester revokes early, as the API does it: the request marked, then the end callback. */
  public async revokeJump(requestId: string): Promise<void> {
    await this.put('requests', { ...(await this.request(requestId)), revokeRequested: true, revokedBy: 'jump:acme-alice' });
    await new SFNClient({}).send(new SendTaskSuccessCommand({ taskToken: `token-${requestId}`, output: '{}' }));
  }

  /** Runs the reconciler against this world (no pauses between deletion polls). */
  public reconcile(now?: number, pageSize?: number): Promise<ReconcileResult> {
    return reconcile({ pollMs: 0, maxPolls: 5, now, pageSize });
  }

  /** Changes a grant record, e.g. to age a deletion claim. */
  public async patchGrant(grantKey: string, patch: Record<string, unknown>): Promise<void> {
    const names = Object.fromEntries(Object.keys(patch).map((k, i) => [`#k${i}`, k]));
    const values = Object.fromEntries(Object.values(patch).map((v, i) => [`:v${i}`, v]));
    await this.doc.send(new UpdateCommand({
      TableName: this.tables.grants,
      Key: { grantKey },
      UpdateExpression: `SET ${Object.keys(patch).map((_, i) => `#k${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }));
  }

  /** Calls of a Task state, optionally for one request. */
  public calls(state: string, requestId?: string): number {
    return this.trace.filter((t) => t.state === state && (!requestId || t.requestId === requestId)).length;
  }

  public async request(requestId: string): Promise<any> {
    return (await this.doc.send(new GetCommand({ TableName: this.tables.requests, Key: { requestId }, ConsistentRead: true }))).Item;
  }

  public async items(table: keyof World['tables']): Promise<any[]> {
    const out: any[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = await this.doc.send(new ScanCommand({ TableName: this.tables[table], ExclusiveStartKey: start, ConsistentRead: true }));
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  public async audit(requestId: string): Promise<any[]> {
    return (await this.items('audit')).filter((a) => a.requestId === requestId);
  }

  public async grants(): Promise<any[]> {
    return this.items('grants');
  }

  public transitions(requestId: string): string[] {
    return this.events.filter((e) => e.detail.requestId === requestId).map((e) => e.detail.transition);
  }
}

/** A jump user's request (acme-alice, Power on shop-prod) as the API stores it. */
export function storedJumpRequest(requestId: string, extra: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    requestId,
    status: 'PENDING_APPROVAL',
    grantKind: 'JUMP',
    requesterId: 'jump:acme-alice',
    requesterName: 'acme-alice',
    requesterArn: 'arn:aws:iam::111111111111:user/acme-alice',
    groupIds: ['vendor-acme'],
    accountId: '555555555501',
    elevatedRoleName: 'lz-elevated-power',
    permissionSetArn: 'arn:aws:iam::555555555501:role/lz-elevated-power',
    instanceArn: '',
    durationSeconds: 3600,
    requiredApprovals: 1,
    justification: 'deploy the payment fix CHG-7',
    createdAt: new Date(now).toISOString(),
    pendingExpiresAt: new Date(now + 3600_000).toISOString(),
    ...extra,
  };
}

/** The jump users' groups and the handlers' jump environment as the template synthesizes it. */
export function jumpSetup(world: World, stack: Stack): void {
  const fn = Object.entries<any>(templateOf(stack).findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('WorkflowStepHandler'))![1];
  for (const [k, v] of Object.entries<any>(fn.Properties.Environment.Variables)) if (k.startsWith('JUMP_')) process.env[k] = v;
  Object.assign(world.jumpGroups, { 'acme-alice': ['vendor-acme'], 'globex-bob': ['vendor-globex'], 'lead-lee': ['jump-leads'] });
}

/** A request item as the API would store it, for executions started without the API. */
export function storedRequest(requestId: string, extra: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    requestId,
    status: 'PENDING_APPROVAL',
    requesterId: USERS.alice.id,
    requesterName: 'alice',
    requesterArn: 'arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_Requester_0123456789abcdef/alice',
    groupIds: USERS.alice.groups,
    accountId: '555555555501',
    permissionSetArn: READ_ONLY.permissionSetArn,
    instanceArn: READ_ONLY.instanceArn,
    durationSeconds: 3600,
    requiredApprovals: 1,
    justification: 'investigate INC-1 latency',
    createdAt: new Date(now).toISOString(),
    pendingExpiresAt: new Date(now + 3 * 3600_000).toISOString(),
    ...extra,
  };
}

/** The options of a call through the API. */
export interface ApiCallOptions { readonly requestId?: string; readonly body?: unknown; readonly query?: Record<string, string> }

/** Calls the real API handler as API Gateway does, signed by `userArn` (the SigV4 signer it verified). */
export async function callApi(userArn: string, method: string, resource: string, opts: ApiCallOptions = {}) {
  const res = await apiHandler({
    httpMethod: method,
    resource,
    path: resource,
    pathParameters: opts.requestId ? { requestId: opts.requestId } : null,
    queryStringParameters: opts.query ?? null,
    body: opts.body === undefined ? null : JSON.stringify(opts.body),
    requestContext: { identity: { userArn } },
  } as any);
  return { status: res.statusCode, body: JSON.parse(res.body) };
}
