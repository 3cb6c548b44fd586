// The assignment reconciler's decisions (assignment-reconciler-policy.ts): what an account should hold, what to
// create, which of the reconciler's own assignments to delete, pacing, retries and the failure texts.
import {
  accountOf,
  assignmentKey,
  callIntervalMs,
  changesFor,
  creationFailure,
  deletionFailure,
  desiredAssignments,
  errorReason,
  failureMessage,
  failureSubject,
  ledgerAssignment,
  ledgerItem,
  listedKeys,
  MAX_OUTSTANDING,
  MAX_TPS,
  outcomeOf,
  permissionSetsToRead,
  ReconcilerConfig,
  retryDelayMs,
  workerCount,
} from '../../src/identity-center/assignment-reconciler-policy';

const PS_ADMIN = 'arn:aws:sso:::permissionSet/ssoins-72230f3a2b8c1e9d/ps-admin000000001';
const PS_READ = 'arn:aws:sso:::permissionSet/ssoins-72230f3a2b8c1e9d/ps-read0000000001';
const PS_POWER = 'arn:aws:sso:::permissionSet/ssoins-72230f3a2b8c1e9d/ps-power000000001';
const ADMIN = { permissionSetArn: PS_ADMIN, principalType: 'GROUP', principalId: 'group-admins' };
const READ = { permissionSetArn: PS_READ, principalType: 'GROUP', principalId: 'group-devs' };
const POWER = { permissionSetArn: PS_POWER, principalType: 'USER', principalId: 'user-jane' };
const key = assignmentKey;

const CONFIG: ReconcilerConfig = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d',
  rules: [
    { p: PS_ADMIN, t: 'GROUP', i: 'group-admins' },
    { p: PS_POWER, t: 'USER', i: 'user-jane' },
    { p: PS_READ, t: 'GROUP', i: 'group-devs', x: ['555555555503'] },
  ],
  parents: { 'ou-ex01-workload': [0], 'ou-ex01-prod0001': [0, 2], 'ou-ex01-empty001': [] },
};

describe('assignment reconciler decisions (assignment-reconciler-policy.ts)', () => {
  test('an assignment is keyed by permission set, principal type and principal id, as Identity Center lists it', () => {
    expect(key(ADMIN)).toBe(`${PS_ADMIN}|GROUP|group-admins`);
    expect(listedKeys([{ PermissionSetArn: PS_POWER, PrincipalType: 'USER', PrincipalId: 'user-jane' }])).toEqual([key(POWER)]);
    expect(listedKeys([])).toEqual([]);
  });

  test('an account receives the rules of its parent, except those that exclude it', () => {
    expect(desiredAssignments(CONFIG, 'ou-ex01-prod0001', '999900000001')).toEqual({ desired: [ADMIN, READ], knownParent: true });
    expect(desiredAssignments(CONFIG, 'ou-ex01-prod0001', '555555555503')).toEqual({ desired: [ADMIN], knownParent: true });
    expect(desiredAssignments(CONFIG, 'ou-ex01-workload', '555555555503')).toEqual({ desired: [ADMIN], knownParent: true });
  });

  test('an account in a parent the model does not know receives nothing, and the parent is reported unknown', () => {
    expect(desiredAssignments(CONFIG, 'ou-ex01-unknown1', '999900000001')).toEqual({ desired: [], knownParent: false });
    expect(desiredAssignments(CONFIG, 'ou-ex01-empty001', '999900000001')).toEqual({ desired: [], knownParent: true });
    expect(desiredAssignments(CONFIG, undefined, '999900000001')).toEqual({ desired: [], knownParent: true });
  });

  test('the permission sets read are the desired and the ledger\'s, each once, desired first', () => {
    expect(permissionSetsToRead([ADMIN, READ], [POWER, ADMIN])).toEqual([PS_ADMIN, PS_READ, PS_POWER]);
    expect(permissionSetsToRead([], [])).toEqual([]);
  });

  test('creates the desired assignments the account lacks and reports the ones it holds', () => {
    const changes = changesFor([ADMIN, READ], new Set([key(ADMIN)]), []);
    expect(changes).toEqual({ toCreate: [READ], alreadyPresent: [key(ADMIN)], toRemove: [] });
  });

  test('deletes only the reconciler\'s own (ledger) assignments that are no longer desired', () => {
    // POWER: the reconciler's and still assigned; READ: the reconciler's, already gone from Identity Center (only the
    // stale ledger entry goes); ADMIN: the reconciler's and still desired; the CloudFormation one is in no ledger
    const cloudFormations = { ...POWER, principalId: 'group-from-cloudformation' };
    const present = new Set([key(ADMIN), key(POWER), key(cloudFormations)]);
    const changes = changesFor([ADMIN], present, [ADMIN, POWER, READ]);
    expect(changes).toEqual({
      toCreate: [],
      alreadyPresent: [key(ADMIN)],
      toRemove: [{ assignment: POWER, assigned: true }, { assignment: READ, assigned: false }],
    });
  });

  test('the ledger records the account, the key and the assignment with its creation time, and reads them back', () => {
    const item = ledgerItem('999900000001', POWER, '2026-12-03T06:00:00.000Z');
    expect(item).toStrictEqual({
      accountId: '999900000001',
      assignment: key(POWER),
      permissionSetArn: PS_POWER,
      principalType: 'USER',
      principalId: 'user-jane',
      createdAt: '2026-12-03T06:00:00.000Z',
    });
    expect(ledgerAssignment(item)).toStrictEqual(POWER);
  });

  test('paces Identity Center calls at maxTps (default 10), never above 19 per second', () => {
    expect(MAX_TPS).toBe(19);
    expect(callIntervalMs(undefined)).toBe(100);
    expect(callIntervalMs(5)).toBe(200);
    expect(callIntervalMs(19)).toBeCloseTo(1000 / 19);
    expect(callIntervalMs(50)).toBeCloseTo(1000 / 19);
  });

  test('runs maxOutstanding (default 10) operations at once, within 1..10, no more than there is work', () => {
    expect(MAX_OUTSTANDING).toBe(10);
    expect(workerCount(undefined, 30)).toBe(10);
    expect(workerCount(3, 30)).toBe(3);
    expect(workerCount(50, 30)).toBe(10);
    expect(workerCount(0, 30)).toBe(1);
    expect(workerCount(-2, 30)).toBe(1);
    expect(workerCount(undefined, 4)).toBe(4);
    expect(workerCount(3, 2)).toBe(2);
    expect(workerCount(undefined, 0)).toBe(0);
  });

  test('retries throttling, conflicts and internal errors with jittered exponential backoff', () => {
    for (const name of ['ThrottlingException', 'ConflictException', 'TooManyRequestsException', 'InternalServerException']) {
      expect(retryDelayMs(name, 1, 8, 200, 1)).toBe(200);
    }
    expect(retryDelayMs('ThrottlingException', 1, 8, 200, 0)).toBe(100);
    expect(retryDelayMs('ThrottlingException', 2, 8, 200, 1)).toBe(400);
    expect(retryDelayMs('ThrottlingException', 3, 8, 200, 0.5)).toBe(600);
    expect(retryDelayMs('ThrottlingException', 1, 8, 3, 0)).toBe(2); // rounded: 1.5
  });

  test('gives up on other errors and after maxAttempts attempts', () => {
    expect(retryDelayMs('AccessDeniedException', 1, 8, 200, 1)).toBeUndefined();
    expect(retryDelayMs('ValidationException', 1, 8, 200, 1)).toBeUndefined();
    expect(retryDelayMs('', 1, 8, 200, 1)).toBeUndefined();
    expect(retryDelayMs('ThrottlingException', 7, 8, 200, 1)).toBe(200 * 64);
    expect(retryDelayMs('ThrottlingException', 8, 8, 200, 1)).toBeUndefined();
    expect(retryDelayMs('ThrottlingException', 9, 8, 200, 1)).toBeUndefined();
  });

  test('an operation ends SUCCEEDED or FAILED; still running, it fails only after the poll timeout', () => {
    expect(outcomeOf('SUCCEEDED', undefined, false)).toStrictEqual({ status: 'SUCCEEDED', reason: undefined });
    expect(outcomeOf('SUCCEEDED', undefined, true)).toStrictEqual({ status: 'SUCCEEDED', reason: undefined });
    expect(outcomeOf('FAILED', 'No policy lz-permissions-boundary', false)).toStrictEqual({ status: 'FAILED', reason: 'No policy lz-permissions-boundary' });
    expect(outcomeOf('IN_PROGRESS', undefined, false)).toBeUndefined();
    expect(outcomeOf(undefined, undefined, false)).toBeUndefined();
    expect(outcomeOf('IN_PROGRESS', undefined, true)).toStrictEqual({ status: 'FAILED', reason: 'still IN_PROGRESS after the poll timeout' });
    expect(outcomeOf(undefined, undefined, true)).toStrictEqual({ status: 'FAILED', reason: 'still UNKNOWN after the poll timeout' });
  });

  test('failure reasons name Identity Center\'s reason, deletions as such, thrown errors by name and message', () => {
    expect(creationFailure('boom')).toBe('boom');
    expect(creationFailure(undefined)).toBe('creation failed');
    expect(deletionFailure('boom')).toBe('deletion: boom');
    expect(deletionFailure(undefined)).toBe('deletion: failed');
    const err = new Error('Rate exceeded');
    err.name = 'ThrottlingException';
    expect(errorReason(err)).toBe('ThrottlingException: Rate exceeded');
  });

  test('the failure notice\'s subject names the account within SNS\'s 100 characters; the error lists every failure', () => {
    expect(failureSubject('999900000001')).toBe('Identity Center assignments failed for account 999900000001');
    expect(failureSubject('9'.repeat(80))).toBe(`Identity Center assignments failed for account ${'9'.repeat(53)}`);
    expect(failureMessage('999900000001', [{ assignment: 'a|GROUP|g', reason: 'boom' }, { assignment: 'b|USER|u', reason: 'deletion: failed' }]))
      .toBe('2 assignment(s) failed for account 999900000001: a|GROUP|g (boom); b|USER|u (deletion: failed)');
  });

  test('reads the account of a manual invocation, a MoveAccount event and a succeeded CreateAccountResult event', () => {
    expect(accountOf({ accountId: '123456789012' })).toBe('123456789012');
    expect(accountOf({ accountId: 123456789012, detail: { eventName: 'MoveAccount', requestParameters: { accountId: '210987654321' } } })).toBe('210987654321');
    expect(accountOf({ detail: { eventName: 'MoveAccount', requestParameters: { accountId: '210987654321' } } })).toBe('210987654321');
    expect(accountOf({ detail: { eventName: 'MoveAccount' } })).toBeUndefined();
    const created = (state: string) => ({ detail: { eventName: 'CreateAccountResult', serviceEventDetails: { createAccountStatus: { state, accountId: '123456789012' } } } });
    expect(accountOf(created('SUCCEEDED'))).toBe('123456789012');
    expect(accountOf(created('FAILED'))).toBeUndefined();
    expect(accountOf(created('IN_PROGRESS'))).toBeUndefined();
    expect(accountOf({ detail: { eventName: 'CreateAccountResult' } })).toBeUndefined();
    // only the result event names a created account (not another event that carries a status)
    expect(accountOf({ ...created('SUCCEEDED'), detail: { ...created('SUCCEEDED').detail, eventName: 'CreateAccount' } })).toBeUndefined();
    expect(accountOf({ detail: { eventName: 'TagResource', requestParameters: { accountId: '210987654321' } } })).toBeUndefined();
    expect(accountOf({})).toBeUndefined();
    expect(accountOf(undefined)).toBeUndefined();
    expect(accountOf(null)).toBeUndefined();
  });
});
