import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ADMIN, defaultProps, GROUP_LEADS, GROUP_ONCALL, HOST_ACCOUNT, PROD, READ_ONLY, USER_ALICE, USER_BOB, USER_CAROL, workflowStack } from './fixture';
import { definitionFromTemplate } from './world';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import { AccountSelection, ApprovalRequirement, AuditRetentionMode, ElevatedAccessWorkflow, IdentityCenterPrincipal, NoticeAudience, NoticeChannel } from '../../src';
import { simulate, TemplatePolicies } from '../helpers/iam-sim';

describe('ElevatedAccessWorkflow', () => {
  describe('resources', () => {
    const { stack, workflow } = workflowStack();
    const requester = new iam.Role(stack, 'Requester', { assumedBy: new iam.AccountPrincipal(HOST_ACCOUNT) });
    const approver = new iam.Role(stack, 'Approver', { assumedBy: new iam.AccountPrincipal(HOST_ACCOUNT) });
    const auditor = new iam.Role(stack, 'Auditor', { assumedBy: new iam.AccountPrincipal(HOST_ACCOUNT) });
    workflow.grantRequest(requester);
    workflow.grantApprove(approver);
    workflow.grantAudit(auditor);
    const template = Template.fromStack(stack);
    // the simulator needs real ARNs: give the tables theirs (the helper leaves GetAtt of non-IAM resources opaque)
    let raw = JSON.stringify(template.toJSON());
    for (const [id, r] of Object.entries<any>(template.toJSON().Resources)) {
      if (r.Type === 'AWS::DynamoDB::GlobalTable') raw = raw.split(JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })).join(JSON.stringify(`arn:aws:dynamodb:eu-west-1:${HOST_ACCOUNT}:table/${id}`));
      if (r.Type === 'AWS::S3::Bucket') raw = raw.split(JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })).join(JSON.stringify(`arn:aws:s3:::${id.toLowerCase()}`));
    }
    const json = JSON.parse(raw);
    const tp = new TemplatePolicies(json, {
      accountId: HOST_ACCOUNT,
      region: 'eu-west-1',
      managedPolicies: {
        AWSLambdaBasicExecutionRole: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
        },
      },
    });

    test('every API method requires IAM authorization', () => {
      // THEN
      const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
      expect(methods.length).toBe(9);
      for (const m of methods) expect((m as any).Properties.AuthorizationType).toBe('AWS_IAM');
    });

    test('one Standard state machine with the callback timeouts and the grant/revoke polling', () => {
      // THEN
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });
      const def = definitionFromTemplate(stack);
      expect(def.States.AwaitApproval).toMatchObject({ TimeoutSecondsPath: '$.request.pendingExpirySeconds', Resource: expect.stringMatching(/waitForTaskToken$/) });
      expect(def.States.AwaitEndOwner).toMatchObject({ TimeoutSecondsPath: '$.timer.seconds' });
      expect(def.States.AwaitEndJoined).toMatchObject({ TimeoutSecondsPath: '$.timer.seconds' });
      expect(def.States.WaitForStart).toMatchObject({ TimestampPath: '$.request.startAt' });
      expect(def.States.CreateAssignment.Resource).toMatch(/aws-sdk:ssoadmin:createAccountAssignment$/);
      expect(def.States.CreationDone.Choices.map((c: any) => c.StringEquals)).toEqual(['SUCCEEDED', 'FAILED']);
      expect(def.States.DeleteAssignment.Retry).toEqual(expect.arrayContaining([
        expect.objectContaining({ ErrorEquals: ['SsoAdmin.ThrottlingException', 'SsoAdmin.ConflictException', 'SsoAdmin.InternalServerException'] }),
      ]));
      expect(def.States.RetryRevokeLater.Next).toBe('DeleteAssignment');
    });

    test('tables keep point-in-time recovery and are retained', () => {
      // THEN
      const tables = template.findResources('AWS::DynamoDB::GlobalTable');
      expect(Object.keys(tables)).toHaveLength(3);
      for (const t of Object.values<any>(tables)) {
        expect(t.DeletionPolicy).toBe('Retain');
        expect(t.Properties.Replicas[0]).toMatchObject({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true,
        });
      }
    });

    test('every role lives under /landing-zone/ with a fixed lz-access-* name and carries the landing zone boundary', () => {
      // THEN: what the boundary and protectLandingZoneResources protect (role/lz-* and role/landing-zone/*)
      const roles = Object.entries<any>(template.findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith('Workflow')).map(([, r]) => r);
      expect(roles.map((r) => r.Properties.RoleName.replace(/-[0-9a-f]{8}$/, '')).sort()).toEqual([
        'lz-access-api', 'lz-access-audit', 'lz-access-config', 'lz-access-reconciler', 'lz-access-states', 'lz-access-step',
      ]);
      for (const r of roles) expect(r.Properties).toMatchObject({ Path: '/landing-zone/', PermissionsBoundary: expect.anything() });
      // no other role-creating resource slipped in (e.g. a provider's own role)
      expect(Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => !id.startsWith('Workflow')).sort()).toEqual(['Approver04C9F6ED', 'AuditorB9A7BEA8', 'RequesterC5D85B6B']);
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'lz-permissions-boundary' });
    });

    test('the audit archive is an Object Lock bucket only the audit writer may write', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
        VersioningConfiguration: { Status: 'Enabled' },
      });
      const policy = JSON.stringify(Object.values<any>(template.findResources('AWS::S3::BucketPolicy'))[0].Properties.PolicyDocument);
      expect(policy).toMatch(/OnlyTheAuditWriterWrites/);
      expect(policy).toMatch(/role\/landing-zone\/lz-access-audit-[0-9a-f]{8}/);
    });

    test('lz-access-requester and lz-access-approver: only their routes and the endpoint parameter, assigned in the host account', () => {
      const sets = Object.values<any>(template.findResources('AWS::SSO::PermissionSet')).map((r) => r.Properties);
      expect(sets.map((p) => p.Name).sort()).toEqual(['lz-access-approver', 'lz-access-requester']);
      for (const p of sets) {
        expect(p.SessionDuration).toBe('PT1H');
        const actions = p.InlinePolicy.Statement.flatMap((st: any) => [st.Action].flat());
        expect(actions.sort()).toEqual(['execute-api:Invoke', 'ssm:GetParameter']);
      }
      const assignments = Object.values<any>(template.findResources('AWS::SSO::Assignment')).map((r) => r.Properties);
      // on-call (eligible) gets the requester set, the leads (approvers) the approver set, in the host account only
      expect(assignments.map((a) => `${a.PrincipalType}:${a.PrincipalId}`).sort()).toEqual([`GROUP:${GROUP_ONCALL}`, `GROUP:${GROUP_LEADS}`].sort());
      for (const a of assignments) expect(a).toMatchObject({ TargetId: HOST_ACCOUNT, TargetType: 'AWS_ACCOUNT' });
    });

    test('publishes the endpoint as an SSM parameter and a stack output', () => {
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/landing-zone/elevated-access/endpoint' });
      expect(Object.keys(template.toJSON().Outputs).some((k) => k.includes('ApiEndpoint'))).toBe(true);
    });

    test('the notifications key lets only this account\'s CloudWatch alarms use it', () => {
      const key = Object.values<any>(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy;
      const cw = key.Statement.find((st: any) => st.Principal?.Service === 'cloudwatch.amazonaws.com');
      expect(cw.Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': HOST_ACCOUNT },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:eu-west-1:${HOST_ACCOUNT}:alarm:*`]] } },
      });
    });

    test('an execution that fails, times out or is stopped triggers the reconciler at once', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'source': ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'], 'detail': { status: ['FAILED', 'TIMED_OUT', 'ABORTED'] } },
      });
    });

    test('the compiled rules expand the OU recursively and are written by a custom resource', () => {
      // THEN
      const config = JSON.parse(workflow.configurationJson);
      expect(config.eligibility[0]).toMatchObject({ name: 'oncall-read-only', accounts: ['555555555501', '555555555502', '555555555503'], approvals: 1, justificationRequired: true });
      expect(config.eligibility[1]).toMatchObject({ name: 'oncall-admin', approvals: 2, maxDurationSeconds: 3600, ticketPattern: '^(INC|CHG)-\\d+$' });
      expect(config.permissionSets[ADMIN.permissionSetArn]).toMatchObject({ name: 'ProdAdmin', sessionSeconds: 7200 });
      template.hasResourceProperties('Custom::AWS', { Create: Match.anyValue(), InstallLatestAwsSdk: false });
    });

    test('alarms on grant failures, revoke failures, orphans and failed executions; reconciler on a schedule', () => {
      // THEN
      for (const metric of ['GrantFailures', 'RevokeFailures', 'OrphanedAssignmentsRemoved']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metric, Namespace: 'LandingZone/ElevatedAccess', Threshold: 1 });
      }
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsFailed' });
      template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    });

    test('a session query definition per permission set over the organization trail', () => {
      // THEN
      template.resourceCountIs('AWS::Logs::QueryDefinition', 2);
      template.hasResourceProperties('AWS::Logs::QueryDefinition', {
        LogGroupNames: ['org-trail'],
        QueryString: Match.stringLikeRegexp('AWSReservedSSO_ProdAdmin_'),
      });
    });

    function apiArn(method: string, path: string): string {
      const res = JSON.stringify(tp.forRole(logical('Requester')).identityPolicies);
      const prefix = /arn:aws:execute-api:[^"]*?\/(?=POST\/requests")/.exec(res)![0];
      return `${prefix}${method}${path}`;
    }
    function logical(prefix: string): string {
      return Object.keys(json.Resources).find((k) => k.startsWith(prefix) && json.Resources[k].Type === 'AWS::IAM::Role')!;
    }
    async function allowed(role: string, action: string, resource: string): Promise<boolean> {
      const p = tp.forRole(logical(role));
      const r = await simulate({ identityPolicies: p.identityPolicies, boundary: p.boundary }, { principal: p.arn, action, resource });
      if (process.env.DEBUG_SIM) console.log(role, action, resource, r.reason, JSON.stringify(p.identityPolicies).slice(0, 1500));
      return r.allowed;
    }

    test('grantRequest: request, read, cancel and revoke; never approve', async () => {
      expect(await allowed('Requester', 'execute-api:Invoke', apiArn('POST', '/requests'))).toBe(true);
      expect(await allowed('Requester', 'execute-api:Invoke', apiArn('POST', '/requests/abc/cancel'))).toBe(true);
      expect(await allowed('Requester', 'execute-api:Invoke', apiArn('POST', '/requests/abc/approve'))).toBe(false);
    });

    test('grantApprove: approve and reject; never create a request', async () => {
      expect(await allowed('Approver', 'execute-api:Invoke', apiArn('POST', '/requests/abc/approve'))).toBe(true);
      expect(await allowed('Approver', 'execute-api:Invoke', apiArn('POST', '/requests/abc/reject'))).toBe(true);
      expect(await allowed('Approver', 'execute-api:Invoke', apiArn('POST', '/requests'))).toBe(false);
    });

    test('grantAudit reads every request and the audit trail, and changes nothing', async () => {
      const tables = Object.keys(json.Resources).filter((k) => json.Resources[k].Type === 'AWS::DynamoDB::GlobalTable')
        .map((k) => `arn:aws:dynamodb:eu-west-1:${HOST_ACCOUNT}:table/${k}`);
      expect(tables).toHaveLength(3);
      for (const t of tables) {
        expect(await allowed('Auditor', 'dynamodb:Query', t)).toBe(true);
        expect(await allowed('Auditor', 'dynamodb:GetItem', t)).toBe(true);
        for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
          expect(await allowed('Auditor', write, t)).toBe(false);
        }
      }
    });

    /** The resource policy of a table, resolved like the identity policies. */
    function tablePolicy(prefix: string): { arn: string; policy: any } {
      const id = Object.keys(json.Resources).find((k) => k.startsWith(prefix) && json.Resources[k].Type === 'AWS::DynamoDB::GlobalTable')!;
      return { arn: `arn:aws:dynamodb:eu-west-1:${HOST_ACCOUNT}:table/${id}`, policy: tp.resolve(json.Resources[id].Properties.Replicas[0].ResourcePolicy.PolicyDocument) };
    }
    async function allowedOn(role: string, action: string, table: { arn: string; policy: any }): Promise<boolean> {
      const p = tp.forRole(logical(role));
      const policies = { identityPolicies: p.identityPolicies, boundary: p.boundary, resourcePolicy: table.policy };
      return (await simulate(policies, { principal: p.arn, action, resource: table.arn })).allowed;
    }
    /** A bounded administrator of the host account: allowed everything by its own policies. */
    async function adminAllowedOn(action: string, table: { arn: string; policy: any }): Promise<boolean> {
      const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
      return (await simulate({ identityPolicies: [admin], resourcePolicy: table.policy }, { principal: `arn:aws:iam::${HOST_ACCOUNT}:role/lz-admin`, action, resource: table.arn })).allowed;
    }

    test('attack: an administrator of the host account writes the requests, grants or audit table directly', async () => {
      for (const prefix of ['WorkflowRequests', 'WorkflowGrants', 'WorkflowAudit']) {
        const table = tablePolicy(prefix);
        for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate']) {
          expect({ prefix, write, allowed: await adminAllowedOn(write, table) }).toEqual({ prefix, write, allowed: false });
        }
        // reading stays possible
        expect(await adminAllowedOn('dynamodb:GetItem', table)).toBe(true);
      }
    });

    test('the audit table is append-only, written by the audit writer alone', async () => {
      const audit = tablePolicy('WorkflowAudit');
      expect(await allowedOn('WorkflowAuditRole', 'dynamodb:PutItem', audit)).toBe(true);
      for (const role of ['WorkflowAuditRole', 'WorkflowApiRole', 'WorkflowStepRole', 'WorkflowReconcilerRole']) {
        expect(await allowedOn(role, 'dynamodb:UpdateItem', audit)).toBe(false);
        expect(await allowedOn(role, 'dynamodb:DeleteItem', audit)).toBe(false);
      }
      for (const role of ['WorkflowApiRole', 'WorkflowStepRole', 'WorkflowReconcilerRole']) expect(await allowedOn(role, 'dynamodb:PutItem', audit)).toBe(false);
    });

    test('the writer roles write their tables', async () => {
      expect(await allowedOn('WorkflowStepRole', 'dynamodb:UpdateItem', tablePolicy('WorkflowGrants'))).toBe(true);
      expect(await allowedOn('WorkflowApiRole', 'dynamodb:PutItem', tablePolicy('WorkflowRequests'))).toBe(true);
      expect(await allowedOn('WorkflowApiRole', 'dynamodb:UpdateItem', tablePolicy('WorkflowGrants'))).toBe(false);
    });
  });

  describe('validation', () => {
    test('fails when the eligible accounts do not fit one managed policy; assignmentsInAnyAccount grants account/* and warns', () => {
      // GIVEN: 200 more production accounts (their ARNs alone are about 8,800 characters)
      const many = Array.from({ length: 200 }, (_, i) => ({ accountId: `7777770${String(i).padStart(5, '0')}`, name: `prod-${i}`, organizationalUnit: 'Workloads/Prod' }));
      const withAccounts = (assignmentsInAnyAccount?: boolean) => workflowStack({ organization: exampleOrganization(many), assignmentsInAnyAccount });

      // WHEN
      const widened = withAccounts(true);

      // THEN
      expect(() => withAccounts()).toThrow(/assignmentsInAnyAccount: the 203 eligible accounts make the workflow's assignment grant about \d+ characters, over the 6144 of one IAM managed policy, so it cannot deploy: set assignmentsInAnyAccount: true/);
      const statements = Object.values<any>(Template.fromStack(widened.stack).findResources('AWS::IAM::Policy'))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((st: any) => [st.Action].flat().includes('sso:CreateAccountAssignment'));
      expect(statements).toHaveLength(1);
      expect(JSON.stringify(statements[0].Resource)).toContain(':sso:::account/*');
      expect(JSON.stringify(statements[0].Resource)).not.toMatch(/account\/\d{12}/);
      Annotations.fromStack(widened.stack).hasWarning('*', Match.stringLikeRegexp('assignmentsInAnyAccount: the workflow\'s roles may create and delete assignments'));
    });

    function build(overrides: Parameters<typeof workflowStack>[0]) {
      return () => workflowStack(overrides);
    }

    test('fails when the identity store id is malformed', () => {
      expect(build({ identityStoreId: 'store-1' })).toThrow(/identityStoreId: identity store id 'store-1' must look like 'd-1234567890'/);
    });

    test('fails when there is no eligibility rule', () => {
      expect(build({ eligibility: [] })).toThrow(/eligibility: at least one eligibility rule is required, got none/);
    });

    test('fails when a rule names no principal', () => {
      const rule = { ...defaultProps().eligibility[0], principals: [] };
      expect(build({ eligibility: [rule] })).toThrow(/eligibility\['oncall-read-only'\]\.principals: at least one group or user is required, got none/);
      expect(build({ eligibility: [{ ...rule, name: undefined }] })).toThrow(/eligibility\[0\]\.principals: at least one group or user is required, got none/);
    });

    test('fails when a target is the management account or unknown', () => {
      const mgmt = { ...defaultProps().eligibility[0], targets: AccountSelection.accounts(['management', '555555555501']) };
      expect(build({ eligibility: [mgmt] })).toThrow(/eligibility\['oncall-read-only'\]\.targets: .* includes the management account 000000000000/);
      const unknown = { ...defaultProps().eligibility[0], targets: AccountSelection.organizationalUnits(['Workloads/Staging']) };
      expect(build({ eligibility: [unknown] })).toThrow(/eligibility\['oncall-read-only'\]\.targets: .*ou 'Workloads\/Staging' is not defined/);
    });

    test('fails when a rule has no permission set', () => {
      const rule = { ...defaultProps().eligibility[0], permissionSets: [] };
      expect(build({ eligibility: [rule] })).toThrow(/eligibility\['oncall-read-only'\]\.permissionSets: at least one permission set is required, got none/);
    });

    test('fails when a quorum is out of range', () => {
      const one = { ...defaultProps().eligibility[1], approval: ApprovalRequirement.quorum(1) };
      expect(build({ eligibility: [one] })).toThrow(/eligibility\['oncall-admin'\]\.approval: quorum must be a whole number of 2-10 distinct approvers, got 1/);
      const many = { ...defaultProps().eligibility[1], approval: ApprovalRequirement.quorum(11) };
      expect(build({ eligibility: [many] })).toThrow(/got 11/);
    });

    test('fails when the max duration is outside 1 minute - 12 hours', () => {
      const rule = { ...defaultProps().eligibility[0], maxDuration: Duration.hours(13) };
      expect(build({ eligibility: [rule] })).toThrow(/eligibility\['oncall-read-only'\]\.maxDuration: max duration must be between 1 minute and 12 hours .*got 13 hours/);
    });

    test('fails when the ticket pattern is not a regular expression', () => {
      const rule = { ...defaultProps().eligibility[0], ticketPattern: '^(INC' };
      expect(build({ eligibility: [rule] })).toThrow(/eligibility\['oncall-read-only'\]\.ticketPattern: ticket pattern '\^\(INC' is not a valid regular expression/);
    });

    test('fails when a rule needs approval and no approver rule covers it', () => {
      expect(build({ approvers: [] })).toThrow(/eligibility\['oncall-read-only'\]\.approval: 1 approval\(s\) required but no approver rule covers 555555555501\/ProdReadOnly/);
    });

    test('fails when a quorum cannot be reached by the listed approver users', () => {
      const users = [IdentityCenterPrincipal.user(USER_ALICE), IdentityCenterPrincipal.user(USER_BOB)];
      const approvers = [{ approvers: users, targets: PROD, permissionSets: [READ_ONLY, ADMIN] }];
      expect(build({ approvers })).toThrow(/eligibility\['oncall-admin'\]\.approval: a quorum of 2 distinct approvers besides the requester cannot be reached/);
    });

    test('accepts named approvers that exclude the named requester', () => {
      // U1 requests; U2 approves one; U2 and U3 reach a quorum of 2 (the requester is neither of them)
      const requester = [IdentityCenterPrincipal.user(USER_ALICE)];
      const one = { ...defaultProps().eligibility[0], principals: requester };
      const two = { ...defaultProps().eligibility[1], principals: requester };
      expect(build({
        eligibility: [one],
        approvers: [{ approvers: [IdentityCenterPrincipal.user(USER_BOB)], targets: PROD, permissionSets: [READ_ONLY] }],
      })).not.toThrow();
      expect(build({
        eligibility: [two],
        approvers: [{
          approvers: [IdentityCenterPrincipal.user(USER_BOB), IdentityCenterPrincipal.user(USER_CAROL)], targets: PROD, permissionSets: [ADMIN],
        }],
      })).not.toThrow();
    });

    test('fails when a named requester is one of too few named approvers', () => {
      const requester = [IdentityCenterPrincipal.user(USER_ALICE)];
      const two = { ...defaultProps().eligibility[1], principals: requester };
      const approvers = [{
        approvers: [IdentityCenterPrincipal.user(USER_ALICE), IdentityCenterPrincipal.user(USER_BOB)], targets: PROD, permissionSets: [ADMIN],
      }];
      expect(build({ eligibility: [two], approvers })).toThrow(/eligibility\['oncall-admin'\]\.approval: a quorum of 2 distinct approvers besides the requester cannot be reached for 555555555501\/ProdAdmin \(2 approver users, one of whom may be the requester\)/);
    });

    test('fails when the requesting group is its own only approver', () => {
      const approvers = [{ approvers: [IdentityCenterPrincipal.group(GROUP_ONCALL)], targets: PROD, permissionSets: [READ_ONLY, ADMIN] }];
      expect(build({ approvers })).toThrow(/eligibility\['oncall-read-only'\]\.approval: the only approvers of 555555555501\/ProdReadOnly.* are the requesting groups themselves, so requesters approve each other; add an approver rule with another group/);
    });

    test('fails when intervals are out of range', () => {
      expect(build({ pendingExpiry: Duration.minutes(1) })).toThrow(/pendingExpiry: pending expiry must be between 5 minutes and 7 days, got 1 minute/);
      expect(build({ reconcileInterval: Duration.minutes(5) })).toThrow(/reconcileInterval: reconcile interval must be between 15 minutes and 1 day, got 5 minutes/);
    });

    test('reports every problem of the construct at once, naming its path', () => {
      const rule = { ...defaultProps().eligibility[0], principals: [], permissionSets: [], maxDuration: Duration.hours(24) };
      expect(build({ eligibility: [rule] })).toThrow(/Access\/Workflow: 3 problems:[\s\S]*principals[\s\S]*permissionSets[\s\S]*maxDuration/);
    });

    function inAccount(account: string, overrides: Parameters<typeof workflowStack>[0] = {}) {
      return () => {
        const app = new App();
        const stack = new Stack(app, 'Host', { env: { account, region: 'eu-west-1' } });
        new ElevatedAccessWorkflow(stack, 'Workflow', defaultProps(overrides));
        return stack;
      };
    }

    test('fails when hosted in the management account without the explicit opt-in, and warns with it', () => {
      expect(inAccount('000000000000')).toThrow(/allowManagementAccountHost: the workflow's stack is in the management account 000000000000; host it in the delegated Identity Center administrator account 'audit'/);
      const stack = inAccount('000000000000', { allowManagementAccountHost: true })();
      Annotations.fromStack(stack).hasWarning('/Host/Workflow', Match.stringLikeRegexp('hosted in the management account'));
    });

    test('fails when hosted in an account that cannot call Identity Center', () => {
      expect(inAccount('111111111111')).toThrow(/the workflow's stack is in account 111111111111, which cannot call Identity Center's admin APIs: use the delegated Identity Center administrator account 'audit' \(222222222202\)/);
    });

    test('fails when a target is the host account', () => {
      const rule = { ...defaultProps().eligibility[0], targets: AccountSelection.accounts(['audit', '555555555501']) };
      expect(build({ eligibility: [rule] })).toThrow(/eligibility\['oncall-read-only'\]\.targets: .* includes audit 222222222202, which hosts the workflow: elevated access to it is refused/);
    });

    test('warns when a permission set of the workflow has a session over 1 hour (access outlives a revoke by that much)', () => {
      const { stack } = workflowStack();
      Annotations.fromStack(stack).hasWarning('/Access/Workflow', Match.stringLikeRegexp('permission set ProdReadOnly has session duration 8 hours: a session opened just before a revoke keeps working up to 8 hours after it'));
      Annotations.fromStack(stack).hasWarning('/Access/Workflow', Match.stringLikeRegexp('permission set ProdAdmin has session duration 2 hours'));
    });

    test('fails when a notice address or a chat channel is malformed', () => {
      expect(build({ noticeEmails: [{ address: 'leads', audience: NoticeAudience.APPROVERS }] })).toThrow(/noticeEmails\[0\]\.address: 'leads' is not an e-mail address/);
      expect(build({ chatChannels: [NoticeChannel.slack({ slackWorkspaceId: 'T1', slackChannelId: 'C1', audiences: [] })] })).toThrow(/chatChannels\[0\]\.audiences: slack channel C1 has no audience/);
    });

    test('fails when a chat channel id is not what Slack or Teams shows (a channel name, a team name)', () => {
      expect(build({ chatChannels: [NoticeChannel.slack({ slackWorkspaceId: 'T0123ABC', slackChannelId: '#prod-access', audiences: [NoticeAudience.OPERATORS] })] }))
        .toThrow(/chatChannels\[0\]\.slackChannelId: slack channel id '#prod-access' must be 1-255 letters and digits/);
      expect(build({ chatChannels: [NoticeChannel.microsoftTeams({ teamId: 'Platform Team', tenantId: 't', channelId: '19:abc@thread.tacv2', audiences: [NoticeAudience.OPERATORS] })] }))
        .toThrow(/chatChannels\[0\]\.teamId: microsoft teams team id 'Platform Team' must be a GUID/);
    });

    test('warns when the max duration exceeds a permission set session duration (the session caps it)', () => {
      // GIVEN
      const rule = {
        name: 'long',
        principals: [IdentityCenterPrincipal.group(GROUP_ONCALL)],
        targets: PROD,
        permissionSets: [ADMIN],
        maxDuration: Duration.hours(4),
        approval: ApprovalRequirement.anyOne(),
      };
      // WHEN
      const leads = { approvers: [IdentityCenterPrincipal.group(GROUP_LEADS)], targets: PROD, permissionSets: [ADMIN] };
      const { stack } = workflowStack({ eligibility: [rule], approvers: [leads] });
      // THEN
      Annotations.fromStack(stack).hasWarning('/Access/Workflow', Match.stringLikeRegexp('max duration 4 hours exceeds the session duration 2 hours of permission set ProdAdmin'));
    });
  });

  test('is usable with a plain IPermissionSet and no approvers when no rule needs approval', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
    // WHEN
    const wf = new ElevatedAccessWorkflow(stack, 'W', {
      ...defaultProps(),
      eligibility: [{
        principals: [IdentityCenterPrincipal.group(GROUP_ONCALL)],
        targets: PROD,
        permissionSets: [READ_ONLY],
        maxDuration: Duration.hours(1),
        approval: ApprovalRequirement.none(),
      }],
      approvers: undefined,
    });
    // THEN
    expect(JSON.parse(wf.configurationJson).eligibility[0]).toMatchObject({ name: 'eligibility[0]', approvals: 0 });
  });

  describe('notices', () => {
    const { stack } = workflowStack({
      noticeEmails: [
        { address: 'leads@example.com', audience: NoticeAudience.APPROVERS },
        { address: 'alice@example.com', audience: NoticeAudience.REQUESTER, requesterName: 'alice' },
      ],
      chatChannels: [
        NoticeChannel.slack({ slackWorkspaceId: 'T0123ABC', slackChannelId: 'C0123ABC', audiences: [NoticeAudience.APPROVERS, NoticeAudience.OPERATORS] }),
        NoticeChannel.microsoftTeams({ teamId: '01234567-89ab-cdef-0123-456789abcdef', tenantId: '3c4d', channelId: '19:abc@thread.tacv2', audiences: [NoticeAudience.REQUESTER] }),
      ],
      auditRetention: Duration.days(2555),
      auditRetentionMode: AuditRetentionMode.COMPLIANCE,
    });
    const template = Template.fromStack(stack);

    test('e-mail subscriptions are filtered by audience (and requester)', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'leads@example.com', FilterPolicy: { audience: ['approvers'] } });
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'alice@example.com', FilterPolicy: { audience: ['requester'], requester: ['alice'] } });
    });

    test('chat channels receive their audiences through AWS Chatbot, with a role that can do nothing', () => {
      template.resourceCountIs('AWS::SNS::Topic', 4); // notices + one chat topic per audience
      template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
        SlackWorkspaceId: 'T0123ABC', SlackChannelId: 'C0123ABC',
      });
      const slack = Object.values<any>(template.findResources('AWS::Chatbot::SlackChannelConfiguration'))[0].Properties;
      expect(slack.SnsTopicArns).toHaveLength(2);
      expect(JSON.stringify(slack.GuardrailPolicies)).toMatch(/:iam::aws:policy\/AWSDenyAll/);
      template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', { TeamId: '01234567-89ab-cdef-0123-456789abcdef', TeamsTenantId: '3c4d' });
      const chat = Object.values<any>(template.findResources('AWS::IAM::Role')).find((r) => /^lz-access-chatbot-/.test(r.Properties.RoleName));
      expect(chat.Properties).toMatchObject({ Path: '/landing-zone/' });
      expect(chat.Properties.ManagedPolicyArns ?? []).toEqual([]);
      expect(Object.values<any>(template.findResources('AWS::IAM::Policy')).some((p) => JSON.stringify(p.Properties.Roles).includes('ChatbotRole'))).toBe(false);
    });

    test('the audit archive retention is configurable, compliance mode available', () => {
      template.hasResourceProperties('AWS::S3::Bucket', { ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } } });
    });
  });

  test('the organization model marks the audit account as the Identity Center administrator in the example', () => {
    expect(exampleOrganization().identityCenterAccount.name).toBe('audit');
  });
});
