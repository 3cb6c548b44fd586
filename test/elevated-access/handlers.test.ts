import './env';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetUserIdCommand, IdentitystoreClient, ListGroupMembershipsForMemberCommand } from '@aws-sdk/client-identitystore';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { HOST_ACCOUNT, workflowStack } from './fixture';
import { USERS, World } from './world';
import { resolveCaller } from '../../src/elevated-access/handlers/identity';
import { AccessConfig, effectivePolicy, evaluateRequest } from '../../src/elevated-access/handlers/policy';
import { AccessRequest, recordTransition } from '../../src/elevated-access/handlers/store';

const PS = 'arn:aws:sso:::permissionSet/ssoins-1/ps-1';
function config(eligibility: Partial<AccessConfig['eligibility'][number]>[]): AccessConfig {
  return {
    version: 1,
    pendingExpirySeconds: 3600,
    maxScheduleAheadSeconds: 0,
    permissionSets: { [PS]: { name: 'Admin', instanceArn: 'arn:aws:sso:::instance/ssoins-1', sessionSeconds: 7200 } },
    eligibility: eligibility.map((e, i) => ({
      name: `r${i}`,
      principals: [{ type: 'GROUP', id: 'g1' }],
      accounts: ['111111111111'],
      permissionSets: [PS],
      maxDurationSeconds: 3600,
      approvals: 0,
      justificationRequired: false,
      ...e,
    })),
    approverRules: [],
  };
}
const ask = { principalId: 'u1', groupIds: ['g1'], accountId: '111111111111', permissionSetArn: PS };

describe('ElevatedAccessWorkflow handlers', () => {
  describe('precedence (policy)', () => {
    test('between matching rules the stricter wins per attribute', () => {
      // GIVEN: a lenient group rule and a strict user rule both match
      const c = config([
        { approvals: 0, maxDurationSeconds: 7200 },
        { principals: [{ type: 'USER', id: 'u1' }], approvals: 2, maxDurationSeconds: 1800, ticketPattern: '^INC-\\d+$', justificationRequired: true },
      ]);
      // WHEN
      const p = effectivePolicy(c, ask)!;
      // THEN
      expect(p).toEqual({ matchedRules: ['r0', 'r1'], approvals: 2, maxDurationSeconds: 1800, ticketPatterns: ['^INC-\\d+$'], justificationRequired: true });
      expect(() => evaluateRequest(c, { ...ask, durationSeconds: 3600, ticketId: 'INC-1', justification: 'long enough reason' })).toThrow(/exceeds the maximum of 1800s/);
    });

    test('a rule for another account or permission set does not decide', () => {
      // GIVEN: the strict rule is for another account
      const c = config([{ approvals: 0 }, { accounts: ['222222222222'], approvals: 2, ticketPattern: '^INC' }]);
      // THEN
      expect(effectivePolicy(c, ask)).toMatchObject({ matchedRules: ['r0'], approvals: 0, ticketPatterns: [] });
      expect(effectivePolicy(c, { ...ask, groupIds: [] })).toBeUndefined();
    });

    test('the permission set session duration caps the rule', () => {
      const c = config([{ maxDurationSeconds: 12 * 3600 }]);
      expect(effectivePolicy(c, ask)!.maxDurationSeconds).toBe(7200);
      expect(() => evaluateRequest(c, { ...ask, durationSeconds: 3 * 3600 })).toThrow(/duration 10800s exceeds the maximum of 7200s/);
    });

    test('ticket and justification are enforced by the backend', () => {
      const c = config([{ ticketPattern: '^CHG-\\d+$', justificationRequired: true }]);
      expect(() => evaluateRequest(c, { ...ask, durationSeconds: 600 })).toThrow(/a ticket id matching \/\^CHG-\\d\+\$\/ is required; a justification of at least 10 characters is required/);
      expect(evaluateRequest(c, { ...ask, durationSeconds: 600, ticketId: 'CHG-7', justification: 'rotate the keys' }).approvals).toBe(0);
    });
  });

  describe('caller identity (identity.ts, aws-sdk-client-mock)', () => {
    const iam = mockClient(IAMClient);
    const ids = mockClient(IdentitystoreClient);
    beforeEach(() => {
      iam.reset();
      ids.reset();
      process.env.CALLER_ACCOUNT = '000000000000';
      process.env.IDENTITY_STORE_ID = 'd-1234567890';
      iam.on(GetRoleCommand).resolves({ Role: { Path: '/aws-reserved/sso.amazonaws.com/', RoleName: 'x', Arn: 'a', RoleId: 'r', CreateDate: new Date() } });
      ids.on(GetUserIdCommand).resolves({ UserId: USERS.alice.id, IdentityStoreId: 'd-1234567890' });
      ids.on(ListGroupMembershipsForMemberCommand)
        .resolvesOnce({ GroupMemberships: [{ GroupId: 'g1', IdentityStoreId: 'd' }], NextToken: 'n' })
        .resolvesOnce({ GroupMemberships: [{ GroupId: 'g2', IdentityStoreId: 'd' }] });
    });

    test('the Identity Center session name is mapped to the user id and all its groups', async () => {
      const caller = await resolveCaller('arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_Requester_0123/alice');
      expect(caller).toMatchObject({ userName: 'alice', userId: USERS.alice.id, groupIds: ['g1', 'g2'] });
      expect(ids.commandCalls(GetUserIdCommand)[0].args[0].input).toMatchObject({
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'alice' } },
      });
    });

    test('fails when the caller is not an Identity Center session', async () => {
      await expect(resolveCaller('arn:aws:iam::000000000000:user/alice')).rejects.toThrow(/must be an IAM Identity Center session/);
      await expect(resolveCaller('arn:aws:sts::000000000000:assumed-role/Admin/alice')).rejects.toThrow(/must be an IAM Identity Center session/);
    });

    test('fails when a look-alike role outside the Identity Center path is used', async () => {
      iam.on(GetRoleCommand).resolves({ Role: { Path: '/', RoleName: 'x', Arn: 'a', RoleId: 'r', CreateDate: new Date() } });
      await expect(resolveCaller('arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_Fake/bob')).rejects.toThrow(/is not an Identity Center role/);
    });

    test('fails when the session is in another account', async () => {
      await expect(resolveCaller('arn:aws:sts::999999999999:assumed-role/AWSReservedSSO_Requester_0123/alice')).rejects.toThrow(/caller account 999999999999 is not the account of this workflow/);
    });
  });

  describe('API (access-api.lambda.ts)', () => {
    let world: World;
    beforeAll(async () => {
      world = await World.create(workflowStack().stack);
    });
    afterAll(() => world.restore());

    test('the requester is the signer, never the body', async () => {
      // WHEN: mallory signs, the body claims to be alice
      const res = await world.call('alice', 'POST', '/requests', {
        body: { accountId: '555555555501', permissionSet: 'ProdReadOnly', durationMinutes: 30, justification: 'look at the dashboards', requesterId: USERS.bob.id, requesterName: 'bob' },
      });
      // THEN
      expect(res.status).toBe(201);
      expect(await world.request(res.body.requestId)).toMatchObject({ requesterId: USERS.alice.id, requesterName: 'alice' });
    });

    test('fails with 403 for a caller without eligibility or outside Identity Center', async () => {
      const body = { accountId: '555555555501', permissionSet: 'ProdReadOnly', durationMinutes: 30, justification: 'look at the dashboards' };
      expect((await world.call('mallory', 'POST', '/requests', { body })).status).toBe(400);
      expect((await world.call('alice', 'POST', '/requests', { body, roleName: 'AWSReservedSSO_LookAlike' })).status).toBe(403);
    });
  });

  describe('audit trail (store.ts, audit-writer.lambda.ts)', () => {
    test('a transition is written once by the audit writer: a repeat emits no second event', async () => {
      // GIVEN: the audit writer answers "written", then "already there"
      const lambda = mockClient(LambdaClient);
      const eb = mockClient(EventBridgeClient);
      process.env.AUDIT_WRITER_FUNCTION = 'audit-writer';
      eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
      lambda.on(InvokeCommand)
        .resolvesOnce({ StatusCode: 200, Payload: Buffer.from('{"written":true}') as any })
        .resolvesOnce({ StatusCode: 200, Payload: Buffer.from('{"written":false}') as any })
        .resolvesOnce({ StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from('{"errorMessage":"boom"}') as any });
      const request = { requestId: 'r1', requesterId: 'u1', requesterName: 'alice', accountId: '1', permissionSetArn: PS } as AccessRequest;
      // WHEN
      const first = await recordTransition({ request, transition: 'GRANTED', actor: 'workflow', assignmentRequestId: 'a-1' });
      const again = await recordTransition({ request, transition: 'GRANTED', actor: 'workflow', assignmentRequestId: 'a-1' });
      // THEN
      expect([first, again]).toEqual([true, false]);
      const payload = JSON.parse(Buffer.from((lambda.commandCalls(InvokeCommand)[0].args[0].input as any).Payload).toString());
      expect(payload.record).toMatchObject({ requestId: 'r1', eventKey: 'GRANTED', transition: 'GRANTED', actor: 'workflow', assignmentRequestId: 'a-1', at: expect.any(String) });
      expect(eb.commandCalls(PutEventsCommand)).toHaveLength(1);
      expect((eb.commandCalls(PutEventsCommand)[0].args[0].input as any).Entries[0]).toMatchObject({
        Source: 'cdk-iam-landing-zone.elevated-access', DetailType: 'Elevated Access Granted',
      });
      // a writer that failed is an error, never a silent success
      await expect(recordTransition({ request, transition: 'REVOKED', actor: 'workflow' })).rejects.toThrow(/audit writer did not record REVOKED/);
      lambda.restore();
      eb.restore();
    });

    test('the audit writer refuses to overwrite a record (DynamoDB condition) and archives every record', async () => {
      // GIVEN: a world with real tables on the DynamoDB-compatible server
      const world = await World.create(workflowStack().stack);
      try {
        const request = { requestId: 'r2', requesterId: 'u1', requesterName: 'alice', accountId: HOST_ACCOUNT, permissionSetArn: PS } as AccessRequest;
        // WHEN
        expect(await recordTransition({ request, transition: 'REQUESTED', actor: 'a', reason: 'first' })).toBe(true);
        expect(await recordTransition({ request, transition: 'REQUESTED', actor: 'b', reason: 'forged' })).toBe(false);
        // THEN
        const audit = await world.audit('r2');
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({ actor: 'a', reason: 'first' });
        expect(world.archive.get('audit/r2/REQUESTED.json')).toMatchObject({ actor: 'a', reason: 'first' });
      } finally {
        world.restore();
      }
    });
  });
});
