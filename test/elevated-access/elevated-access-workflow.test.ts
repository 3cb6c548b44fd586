import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ADMIN, defaultProps, GROUP_LEADS, GROUP_ONCALL, PROD, READ_ONLY, USER_ALICE, USER_BOB, workflowStack } from './fixture';
import { definitionFromTemplate } from './world';
import { AccountSelection, ApprovalRequirement, ElevatedAccessWorkflow, IdentityCenterPrincipal } from '../../src';
import { simulate, TemplatePolicies } from '../helpers/iam-sim';

describe('ElevatedAccessWorkflow', () => {
  describe('resources', () => {
    const { stack, workflow } = workflowStack();
    const requester = new iam.Role(stack, 'Requester', { assumedBy: new iam.AccountPrincipal('000000000000') });
    const approver = new iam.Role(stack, 'Approver', { assumedBy: new iam.AccountPrincipal('000000000000') });
    const auditor = new iam.Role(stack, 'Auditor', { assumedBy: new iam.AccountPrincipal('000000000000') });
    workflow.grantRequest(requester);
    workflow.grantApprove(approver);
    workflow.grantAudit(auditor);
    const template = Template.fromStack(stack);
    // the simulator needs real ARNs: give the tables theirs (the helper leaves GetAtt of non-IAM resources opaque)
    let raw = JSON.stringify(template.toJSON());
    for (const [id, r] of Object.entries<any>(template.toJSON().Resources)) {
      if (r.Type === 'AWS::DynamoDB::GlobalTable') raw = raw.split(JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })).join(JSON.stringify(`arn:aws:dynamodb:eu-west-1:000000000000:table/${id}`));
    }
    const json = JSON.parse(raw);
    const tp = new TemplatePolicies(json, {
      accountId: '000000000000',
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
      expect(methods.length).toBe(7);
      for (const m of methods) expect((m as any).Properties.AuthorizationType).toBe('AWS_IAM');
    });

    test('one Standard state machine with the callback timeouts and the grant/revoke polling', () => {
      // THEN
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });
      const def = definitionFromTemplate(stack);
      expect(def.States.AwaitApproval).toMatchObject({ TimeoutSecondsPath: '$.request.pendingExpirySeconds', Resource: expect.stringMatching(/waitForTaskToken$/) });
      expect(def.States.AwaitEnd).toMatchObject({ TimeoutSecondsPath: '$.timer.seconds' });
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

    test('every role carries the landing zone boundary', () => {
      // THEN
      const roles = Object.entries<any>(template.findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith('Workflow')).map(([, r]) => r);
      expect(roles.length).toBe(5);
      for (const r of roles) expect(r.Properties.PermissionsBoundary).toBeDefined();
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'lz-permissions-boundary' });
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
      return (await simulate({ identityPolicies: p.identityPolicies, boundary: p.boundary }, { principal: p.arn, action, resource })).allowed;
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
        .map((k) => `arn:aws:dynamodb:eu-west-1:000000000000:table/${k}`);
      expect(tables).toHaveLength(3);
      for (const t of tables) {
        expect(await allowed('Auditor', 'dynamodb:Query', t)).toBe(true);
        expect(await allowed('Auditor', 'dynamodb:GetItem', t)).toBe(true);
        for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
          expect(await allowed('Auditor', write, t)).toBe(false);
        }
      }
    });

    test('the audit table is append-only for every handler', async () => {
      const audit = Object.keys(json.Resources).find((k) => k.startsWith('WorkflowAudit') && json.Resources[k].Type === 'AWS::DynamoDB::GlobalTable')!;
      const arn = `arn:aws:dynamodb:eu-west-1:000000000000:table/${audit}`;
      for (const role of ['WorkflowApiHandlerRole', 'WorkflowStepHandlerRole', 'WorkflowReconcilerRole']) {
        expect(await allowed(role, 'dynamodb:PutItem', arn)).toBe(true);
        expect(await allowed(role, 'dynamodb:UpdateItem', arn)).toBe(false);
        expect(await allowed(role, 'dynamodb:DeleteItem', arn)).toBe(false);
      }
    });
  });

  describe('validation', () => {
    function build(overrides: Parameters<typeof workflowStack>[0]) {
      return () => workflowStack(overrides);
    }

    test('fails when the identity store id is malformed', () => {
      expect(build({ identityStoreId: 'store-1' })).toThrow(/identityStoreId: identity store id 'store-1' must look like 'd-1234567890'/);
    });

    test('fails when there is no eligibility rule', () => {
      expect(build({ eligibility: [] })).toThrow(/eligibility: at least one eligibility rule is required, got none/);
    });

    test('fails when a rule names no principal, or a principal by name', () => {
      const rule = { ...defaultProps().eligibility[0], principals: [] };
      expect(build({ eligibility: [rule] })).toThrow(/eligibility\[0\]\.principals: at least one group or user is required, got none/);
      const named = { ...defaultProps().eligibility[0], principals: [IdentityCenterPrincipal.groupNamed('On-Call')] };
      expect(build({ eligibility: [named] })).toThrow(/eligibility\[0\]\.principals\[0\]: group 'On-Call' is given by name/);
    });

    test('fails when a target is the management account or unknown', () => {
      const mgmt = { ...defaultProps().eligibility[0], targets: AccountSelection.accounts(['management', '555555555501']) };
      expect(build({ eligibility: [mgmt] })).toThrow(/eligibility\[0\]\.targets: .* includes the management account 000000000000/);
      const unknown = { ...defaultProps().eligibility[0], targets: AccountSelection.organizationalUnits(['Workloads/Staging']) };
      expect(build({ eligibility: [unknown] })).toThrow(/eligibility\[0\]\.targets: .*ou 'Workloads\/Staging' is not defined/);
    });

    test('fails when a rule has no permission set', () => {
      const rule = { ...defaultProps().eligibility[0], permissionSets: [] };
      expect(build({ eligibility: [rule] })).toThrow(/eligibility\[0\]\.permissionSets: at least one permission set is required, got none/);
    });

    test('fails when a quorum is out of range', () => {
      const one = { ...defaultProps().eligibility[1], approval: ApprovalRequirement.quorum(1) };
      expect(build({ eligibility: [one] })).toThrow(/eligibility\[0\]\.approval: quorum must be a whole number of 2-10 distinct approvers, got 1/);
      const many = { ...defaultProps().eligibility[1], approval: ApprovalRequirement.quorum(11) };
      expect(build({ eligibility: [many] })).toThrow(/got 11/);
    });

    test('fails when the max duration is outside 1 minute - 12 hours', () => {
      const rule = { ...defaultProps().eligibility[0], maxDuration: Duration.hours(13) };
      expect(build({ eligibility: [rule] })).toThrow(/eligibility\[0\]\.maxDuration: max duration must be between 1 minute and 12 hours .*got 13 hours/);
    });

    test('fails when the ticket pattern is not a regular expression', () => {
      const rule = { ...defaultProps().eligibility[0], ticketPattern: '^(INC' };
      expect(build({ eligibility: [rule] })).toThrow(/eligibility\[0\]\.ticketPattern: ticket pattern '\^\(INC' is not a valid regular expression/);
    });

    test('fails when a rule needs approval and no approver rule covers it', () => {
      expect(build({ approvers: [] })).toThrow(/eligibility\[0\]\.approval: 1 approval\(s\) required but no approver rule covers 555555555501\/ProdReadOnly/);
    });

    test('fails when a quorum cannot be reached by the listed approver users', () => {
      const users = [IdentityCenterPrincipal.user(USER_ALICE), IdentityCenterPrincipal.user(USER_BOB)];
      const approvers = [{ approvers: users, targets: PROD, permissionSets: [READ_ONLY, ADMIN] }];
      expect(build({ approvers })).toThrow(/eligibility\[1\]\.approval: a quorum of 2 distinct approvers besides the requester cannot be reached/);
    });

    test('fails when intervals are out of range', () => {
      expect(build({ pendingExpiry: Duration.minutes(1) })).toThrow(/pendingExpiry: pending expiry must be between 5 minutes and 7 days, got 1 minute/);
      expect(build({ reconcileInterval: Duration.minutes(5) })).toThrow(/reconcileInterval: reconcile interval must be between 15 minutes and 1 day, got 5 minutes/);
    });

    test('reports every problem of the construct at once, naming its path', () => {
      const rule = { ...defaultProps().eligibility[0], principals: [], permissionSets: [], maxDuration: Duration.hours(24) };
      expect(build({ eligibility: [rule] })).toThrow(/Access\/Workflow: 3 problems:[\s\S]*principals[\s\S]*permissionSets[\s\S]*maxDuration/);
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
    const stack = new Stack(app, 'S', { env: { account: '000000000000', region: 'eu-west-1' } });
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
});
