import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildLandingZone } from '../examples/landing-zone/app';
import { ElevatedAccessWorkflow } from '../src';

describe('example: ElevatedAccessWorkflow for Workloads/Prod', () => {
  // GIVEN / WHEN
  const app = new App();
  buildLandingZone(app);
  const workflow = app.node.findAll().find((c): c is ElevatedAccessWorkflow => c instanceof ElevatedAccessWorkflow)!;
  const stack = Stack.of(workflow);

  test('runs in the delegated Identity Center administrator account (audit) and covers exactly the Prod accounts', () => {
    // THEN: not the management account
    expect(stack.account).toBe('222222222202');
    const config = JSON.parse(workflow.configurationJson);
    for (const rule of config.eligibility) expect(rule.accounts).toEqual(['555555555501', '555555555502', '555555555503']);
    expect(config.eligibility.map((r: any) => r.approvals)).toEqual([1, 2]);
    // the PCI account has the security officers as approvers besides the leads
    expect(config.approverRules[1].accounts).toEqual(['555555555503']);
  });

  test('synthesizes the API, the state machine and the reconciler', () => {
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    template.resourceCountIs('AWS::Logs::QueryDefinition', 2);
    expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(450);
  });

  test('roles under /landing-zone/, tables with resource policies, an Object Lock archive, chat notices', () => {
    const template = Template.fromStack(stack);
    const roles = Object.values<any>(template.findResources('AWS::IAM::Role')).filter((r) => r.Properties.RoleName?.startsWith('lz-access-'));
    expect(roles.length).toBe(7);
    for (const r of roles) expect(r.Properties.Path).toBe('/landing-zone/');
    for (const t of Object.values<any>(template.findResources('AWS::DynamoDB::GlobalTable'))) {
      expect(t.Properties.Replicas[0].ResourcePolicy.PolicyDocument.Statement[0]).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    }
    template.hasResourceProperties('AWS::S3::Bucket', { ObjectLockEnabled: true });
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 1);
    template.resourceCountIs('AWS::SSO::PermissionSet', 2);
  });
});
