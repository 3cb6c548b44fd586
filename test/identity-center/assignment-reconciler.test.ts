import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  ConflictException,
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ListAccountAssignmentsCommand,
  SSOAdminClient,
  ThrottlingException,
} from '@aws-sdk/client-sso-admin';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { accountOf, handler, reconcile, ReconcileOptions, ReconcilerConfig } from '../../src/identity-center/assignment-reconciler.lambda';

const ssoMock = mockClient(SSOAdminClient);
const orgMock = mockClient(OrganizationsClient);
const ddbMock = mockClient(DynamoDBDocumentClient);
const snsMock = mockClient(SNSClient);

const INSTANCE = 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d';
const PS_ADMIN = 'arn:aws:sso:::permissionSet/ssoins-72230f3a2b8c1e9d/ps-admin000000001';
const PS_READ = 'arn:aws:sso:::permissionSet/ssoins-72230f3a2b8c1e9d/ps-read0000000001';
const PS_POWER = 'arn:aws:sso:::permissionSet/ssoins-72230f3a2b8c1e9d/ps-power000000001';
const ADMINS = 'group-admins';
const DEVS = 'group-devs';
const NEW_ACCOUNT = '999900000001';

// Rules as the catalog generates them: admins everywhere in Workloads (nested), developers Power in NonProd and
// ReadOnly in Prod, except account 555555555503 in Prod.
const CONFIG: ReconcilerConfig = {
  instanceArn: INSTANCE,
  rules: [
    { p: PS_ADMIN, t: 'GROUP', i: ADMINS },
    { p: PS_POWER, t: 'GROUP', i: DEVS },
    { p: PS_READ, t: 'GROUP', i: DEVS, x: ['555555555503'] },
  ],
  parents: {
    'ou-ex01-workload': [0],
    'ou-ex01-nonprod1': [0, 1],
    'ou-ex01-prod0001': [0, 2],
  },
};

const OPTIONS: ReconcileOptions = {
  config: CONFIG,
  ledgerTable: 'ledger',
  failureTopicArn: 'arn:aws:sns:us-east-1:000000000000:failures',
  maxTps: 19,
  pollIntervalMs: 1,
  backoffBaseMs: 1,
};

let requestCounter = 0;
function inProgress(): { AccountAssignmentCreationStatus: { Status: 'IN_PROGRESS'; RequestId: string } } {
  return { AccountAssignmentCreationStatus: { Status: 'IN_PROGRESS', RequestId: `req-${++requestCounter}` } };
}

beforeEach(() => {
  ssoMock.reset();
  orgMock.reset();
  ddbMock.reset();
  snsMock.reset();
  requestCounter = 0;
  ssoMock.on(ListAccountAssignmentsCommand).resolves({ AccountAssignments: [] });
  ssoMock.on(CreateAccountAssignmentCommand).callsFake(async () => inProgress());
  ssoMock.on(DescribeAccountAssignmentCreationStatusCommand).resolves({ AccountAssignmentCreationStatus: { Status: 'SUCCEEDED' } });
  ddbMock.on(QueryCommand).resolves({ Items: [] });
  ddbMock.on(PutCommand).resolves({});
  ddbMock.on(DeleteCommand).resolves({});
  snsMock.on(PublishCommand).resolves({});
});

function createdAssignments(): Array<[string, string, string]> {
  return ssoMock.commandCalls(CreateAccountAssignmentCommand)
    .map((c) => [c.args[0].input.PermissionSetArn!, c.args[0].input.PrincipalId!, c.args[0].input.TargetId!] as [string, string, string])
    .sort();
}

describe('assignment reconciler', () => {
  test('creates the ou-targeted assignments of a new account in a nested ou and records them as its own', async () => {
    // GIVEN a new account placed in Workloads/Prod
    orgMock.on(ListParentsCommand, { ChildId: NEW_ACCOUNT }).resolves({ Parents: [{ Id: 'ou-ex01-prod0001', Type: 'ORGANIZATIONAL_UNIT' }] });

    // WHEN
    const result = await reconcile(NEW_ACCOUNT, OPTIONS);

    // THEN the rules of the Prod OU apply (admin from Workloads recursively, developers read-only), nothing from NonProd
    expect(createdAssignments()).toEqual([
      [PS_ADMIN, ADMINS, NEW_ACCOUNT],
      [PS_READ, DEVS, NEW_ACCOUNT],
    ].sort());
    expect(ssoMock.commandCalls(CreateAccountAssignmentCommand)[0].args[0].input).toMatchObject({
      InstanceArn: INSTANCE, TargetType: 'AWS_ACCOUNT', PrincipalType: 'GROUP',
    });
    expect(result.failed).toEqual([]);
    expect(result.created).toHaveLength(2);
    const recorded = ddbMock.commandCalls(PutCommand).map((c) => c.args[0].input.Item!.permissionSetArn).sort();
    expect(recorded).toEqual([PS_ADMIN, PS_READ].sort());
  });

  test('skips assignments that already exist and honours rule exclusions', async () => {
    // GIVEN the excluded account 555555555503 in Prod, which already holds the admin assignment (from CloudFormation)
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'ou-ex01-prod0001', Type: 'ORGANIZATIONAL_UNIT' }] });
    ssoMock.on(ListAccountAssignmentsCommand, { PermissionSetArn: PS_ADMIN }).resolves({
      AccountAssignments: [{ AccountId: '555555555503', PermissionSetArn: PS_ADMIN, PrincipalType: 'GROUP', PrincipalId: ADMINS }],
    });

    // WHEN
    const result = await reconcile('555555555503', OPTIONS);

    // THEN nothing is created: admin exists, read-only excludes this account
    expect(ssoMock.commandCalls(CreateAccountAssignmentCommand)).toHaveLength(0);
    expect(result.alreadyPresent).toEqual([`${PS_ADMIN}|GROUP|${ADMINS}`]);
    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(0);
  });

  test('retries ThrottlingException and ConflictException with backoff until the creation succeeds', async () => {
    // GIVEN identity center throttles, then reports a conflicting operation, then accepts
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'ou-ex01-workload', Type: 'ORGANIZATIONAL_UNIT' }] });
    ssoMock.on(CreateAccountAssignmentCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
      .rejectsOnce(new ConflictException({ message: 'operation in progress', $metadata: {} }))
      .callsFake(async () => inProgress());

    // WHEN
    const result = await reconcile(NEW_ACCOUNT, OPTIONS);

    // THEN three attempts, one assignment created, nothing failed
    expect(ssoMock.commandCalls(CreateAccountAssignmentCommand)).toHaveLength(3);
    expect(result.created).toEqual([`${PS_ADMIN}|GROUP|${ADMINS}`]);
    expect(result.failed).toEqual([]);
  });

  test('gives up after the retry budget and reports the throttled assignment as failed', async () => {
    // GIVEN identity center throttles every call
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'ou-ex01-workload', Type: 'ORGANIZATIONAL_UNIT' }] });
    ssoMock.on(CreateAccountAssignmentCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

    // WHEN
    const result = await reconcile(NEW_ACCOUNT, { ...OPTIONS, maxAttempts: 3 });

    // THEN
    expect(ssoMock.commandCalls(CreateAccountAssignmentCommand)).toHaveLength(3);
    expect(result.failed).toEqual([{ assignment: `${PS_ADMIN}|GROUP|${ADMINS}`, reason: expect.stringMatching(/ThrottlingException/) }]);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
  });

  test('keeps at most 10 creation operations outstanding and paces calls under 20 per second', async () => {
    // GIVEN 30 rules for the account's OU
    const rules = Array.from({ length: 30 }, (_, i) => ({ p: `${PS_READ}-${i}`, t: 'GROUP', i: `group-${i}` }));
    const config: ReconcilerConfig = { instanceArn: INSTANCE, rules, parents: { 'ou-big': rules.map((_, i) => i) } };
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'ou-big', Type: 'ORGANIZATIONAL_UNIT' }] });
    let outstanding = 0;
    let maxOutstanding = 0;
    const pending = new Map<string, number>();
    ssoMock.on(CreateAccountAssignmentCommand).callsFake(async () => {
      outstanding++;
      maxOutstanding = Math.max(maxOutstanding, outstanding);
      const r = inProgress();
      pending.set(r.AccountAssignmentCreationStatus.RequestId, 2);
      return r;
    });
    ssoMock.on(DescribeAccountAssignmentCreationStatusCommand).callsFake(async (input) => {
      const left = pending.get(input.AccountAssignmentCreationRequestId)! - 1;
      pending.set(input.AccountAssignmentCreationRequestId, left);
      if (left > 0) return { AccountAssignmentCreationStatus: { Status: 'IN_PROGRESS' } };
      outstanding--;
      return { AccountAssignmentCreationStatus: { Status: 'SUCCEEDED' } };
    });
    const calls: number[] = [];
    ssoMock.on(ListAccountAssignmentsCommand).callsFake(async () => {
      calls.push(Date.now());
      return { AccountAssignments: [] };
    });

    // WHEN
    const started = Date.now();
    const result = await reconcile(NEW_ACCOUNT, { ...OPTIONS, config });
    const elapsed = Date.now() - started;

    // THEN all 30 created, never more than 10 outstanding, and 120 calls took at least 119/19 s
    expect(result.created).toHaveLength(30);
    expect(maxOutstanding).toBe(10);
    const total = ssoMock.calls().length;
    expect(total).toBe(30 + 30 + 60);
    expect(elapsed).toBeGreaterThanOrEqual(((total - 1) / 19) * 1000 - 50);
  });

  test('polls IN_PROGRESS until FAILED, then reports the failure: error result, sns message, no ledger entry', async () => {
    // GIVEN a creation that stays in progress twice and then fails
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'ou-ex01-workload', Type: 'ORGANIZATIONAL_UNIT' }] });
    ssoMock.on(DescribeAccountAssignmentCreationStatusCommand)
      .resolvesOnce({ AccountAssignmentCreationStatus: { Status: 'IN_PROGRESS' } })
      .resolvesOnce({ AccountAssignmentCreationStatus: { Status: 'IN_PROGRESS' } })
      .resolves({ AccountAssignmentCreationStatus: { Status: 'FAILED', FailureReason: 'Received a 404 status error: No policy lz-permissions-boundary' } });

    // WHEN
    const result = await reconcile(NEW_ACCOUNT, OPTIONS);

    // THEN
    expect(ssoMock.commandCalls(DescribeAccountAssignmentCreationStatusCommand)).toHaveLength(3);
    expect(result.failed).toEqual([{ assignment: `${PS_ADMIN}|GROUP|${ADMINS}`, reason: expect.stringMatching(/No policy lz-permissions-boundary/) }]);
    expect(result.created).toEqual([]);
    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(0);
    const published = snsMock.commandCalls(PublishCommand);
    expect(published).toHaveLength(1);
    expect(published[0].args[0].input.TopicArn).toBe(OPTIONS.failureTopicArn);
    expect(published[0].args[0].input.Message).toMatch(/No policy lz-permissions-boundary/);
  });

  test('the handler fails the invocation when an assignment failed, so the errors alarm fires', async () => {
    // GIVEN
    process.env.RECONCILER_CONFIG = JSON.stringify(CONFIG);
    process.env.LEDGER_TABLE = 'ledger';
    process.env.MAX_TPS = '19';
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'ou-ex01-workload', Type: 'ORGANIZATIONAL_UNIT' }] });
    ssoMock.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: { Status: 'FAILED', FailureReason: 'boom' } });

    // WHEN / THEN
    await expect(handler({ accountId: NEW_ACCOUNT })).rejects.toThrow(/1 assignment\(s\) failed for account 999900000001: .*\(boom\)/);
  });

  test('a moved account gets the new ou assignments; of the old ou only the reconciler\'s own are removed', async () => {
    // GIVEN an account moved from NonProd to Prod. It holds admin (still desired), power for developers created by the
    // reconciler (in its ledger) and power for a group created by CloudFormation (not in the ledger).
    const moved = '444444444409';
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'ou-ex01-prod0001', Type: 'ORGANIZATIONAL_UNIT' }] });
    ddbMock.on(QueryCommand).resolves({
      Items: [
        { accountId: moved, assignment: `${PS_ADMIN}|GROUP|${ADMINS}`, permissionSetArn: PS_ADMIN, principalType: 'GROUP', principalId: ADMINS },
        { accountId: moved, assignment: `${PS_POWER}|GROUP|${DEVS}`, permissionSetArn: PS_POWER, principalType: 'GROUP', principalId: DEVS },
      ],
    });
    ssoMock.on(ListAccountAssignmentsCommand, { PermissionSetArn: PS_ADMIN }).resolves({
      AccountAssignments: [{ AccountId: moved, PermissionSetArn: PS_ADMIN, PrincipalType: 'GROUP', PrincipalId: ADMINS }],
    });
    ssoMock.on(ListAccountAssignmentsCommand, { PermissionSetArn: PS_POWER }).resolves({
      AccountAssignments: [
        { AccountId: moved, PermissionSetArn: PS_POWER, PrincipalType: 'GROUP', PrincipalId: DEVS },
        { AccountId: moved, PermissionSetArn: PS_POWER, PrincipalType: 'GROUP', PrincipalId: 'group-from-cloudformation' },
      ],
    });
    ssoMock.on(DeleteAccountAssignmentCommand).resolves({ AccountAssignmentDeletionStatus: { Status: 'IN_PROGRESS', RequestId: 'del-1' } });
    ssoMock.on(DescribeAccountAssignmentDeletionStatusCommand).resolves({ AccountAssignmentDeletionStatus: { Status: 'SUCCEEDED' } });

    // WHEN the MoveAccount event arrives
    const result = await handler({
      'detail-type': 'AWS API Call via CloudTrail',
      'source': 'aws.organizations',
      'detail': {
        eventName: 'MoveAccount',
        requestParameters: { accountId: moved, sourceParentId: 'ou-ex01-nonprod1', destinationParentId: 'ou-ex01-prod0001' },
      },
    });

    // THEN read-only of Prod is created, admin is kept, only the reconciler's own power assignment is deleted
    expect(createdAssignments()).toEqual([[PS_READ, DEVS, moved]]);
    const deletions = ssoMock.commandCalls(DeleteAccountAssignmentCommand).map((c) => c.args[0].input);
    expect(deletions).toEqual([expect.objectContaining({ PermissionSetArn: PS_POWER, PrincipalId: DEVS, TargetId: moved })]);
    expect(ddbMock.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key)).toEqual([{ accountId: moved, assignment: `${PS_POWER}|GROUP|${DEVS}` }]);
    expect(result!.deleted).toEqual([`${PS_POWER}|GROUP|${DEVS}`]);
  });

  test('reconciles the organizations event in an sqs record\'s body, and fails the batch when an assignment failed', async () => {
    // GIVEN a CreateAccountResult event as EventBridge puts it on the catalog's queue
    process.env.RECONCILER_CONFIG = JSON.stringify(CONFIG);
    process.env.LEDGER_TABLE = 'ledger';
    process.env.MAX_TPS = '19';
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'ou-ex01-prod0001', Type: 'ORGANIZATIONAL_UNIT' }] });
    const created = '555555555501';
    const record = (account: string) => ({
      messageId: `m-${account}`,
      eventSource: 'aws:sqs',
      attributes: { MessageGroupId: 'reconcile' },
      body: JSON.stringify({
        'detail-type': 'AWS Service Event via CloudTrail',
        'source': 'aws.organizations',
        'detail': { eventName: 'CreateAccountResult', serviceEventDetails: { createAccountStatus: { state: 'SUCCEEDED', accountId: account } } },
      }),
    });

    // WHEN
    const result = await handler({ Records: [record(created)] });

    // THEN the account of the body is reconciled
    expect(result!.accountId).toBe(created);
    expect(createdAssignments()).toEqual(expect.arrayContaining([[PS_READ, DEVS, created]]));
    expect(ddbMock.commandCalls(PutCommand).length).toBeGreaterThan(0);

    // AND a failed assignment throws, so SQS keeps the message for a retry and the Errors alarm fires
    ssoMock.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: { Status: 'FAILED', FailureReason: 'boom' } });
    await expect(handler({ Records: [record(created)] })).rejects.toThrow(/failed for account 555555555501: .*\(boom\)/);
    await expect(handler({ Records: [{ eventSource: 'aws:kinesis', body: '{}' }] })).rejects.toThrow(/SQS records only, got eventSource 'aws:kinesis'/);
  });

  test('reads the account from CreateAccountResult and MoveAccount events, ignores failed creations', () => {
    expect(accountOf({ detail: { eventName: 'CreateAccountResult', serviceEventDetails: { createAccountStatus: { state: 'SUCCEEDED', accountId: '123456789012' } } } })).toBe('123456789012');
    expect(accountOf({ detail: { eventName: 'CreateAccountResult', serviceEventDetails: { createAccountStatus: { state: 'FAILED' } } } })).toBeUndefined();
    expect(accountOf({ detail: { eventName: 'MoveAccount', requestParameters: { accountId: '210987654321' } } })).toBe('210987654321');
    expect(accountOf({ detail: { eventName: 'TagResource' } })).toBeUndefined();
  });
});
