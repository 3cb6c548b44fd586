import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { securityOrganization } from './fixture';
import { DeniedActionAlerts, DeniedActionForwarder, DeniedActionForwarding } from '../../src';

function toolingStack(account = '222222222202'): Stack {
  return new Stack(new App(), 'Tooling', { env: { account, region: 'eu-central-1' } });
}

describe('DeniedActionAlerts', () => {
  test('a bus for the organization only, an encrypted log group, a per-principal Contributor Insights rule, an alarm and saved queries', () => {
    // GIVEN
    const stack = toolingStack();
    // WHEN
    const alerts = new DeniedActionAlerts(stack, 'Denied', { organization: securityOrganization(), threshold: 15, period: Duration.minutes(10) });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'lz-denied-actions' });
    t.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Action: 'events:PutEvents',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-ab12cd34ef' } },
      }),
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/lz/denied-actions', RetentionInDays: 365, KmsKeyId: Match.anyValue(),
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.anyValue(),
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: { 'detail-type': ['AWS API Call via CloudTrail'], 'detail': { errorCode: [{ prefix: 'AccessDenied' }, 'UnauthorizedOperation', 'Client.UnauthorizedOperation'] } },
    });
    const logPolicy = (Object.values(t.findResources('AWS::Logs::ResourcePolicy'))[0] as any).Properties.PolicyDocument['Fn::Join'][1]
      .map((p: any) => (typeof p === 'string' ? p : 'LOG_GROUP_ARN')).join('');
    expect(JSON.parse(logPolicy).Statement).toEqual([expect.objectContaining({
      Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      Resource: 'LOG_GROUP_ARN',
      Condition: { StringEquals: { 'aws:SourceAccount': '222222222202' } },
    })]);
    const rule = Object.values(t.findResources('AWS::CloudWatch::InsightRule'))[0] as any;
    expect(JSON.parse(rule.Properties.RuleBody)).toEqual({
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: ['/lz/denied-actions'],
      LogFormat: 'JSON',
      Contribution: { Keys: ['$.detail.recipientAccountId', '$.detail.userIdentity.arn'], Filters: [] },
      AggregateOn: 'Count',
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 15,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: [Match.objectLike({ Expression: "INSIGHT_RULE_METRIC('lz-denied-actions-by-principal', 'MaxContributorValue')", Period: 600 })],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Notifications') }],
    });
    t.resourceCountIs('AWS::Logs::QueryDefinition', 3);
    t.hasResourceProperties('AWS::Logs::QueryDefinition', {
      Name: 'lz/denied-actions/top-principals',
      QueryString: Match.stringLikeRegexp('stats count\\(\\*\\) as denied by detail.recipientAccountId, detail.userIdentity.arn'),
    });
    // no custom resource: the log group's resource policy is a resource of the template
    expect(Object.keys(t.findResources('Custom::CloudwatchLogResourcePolicy'))).toEqual([]);
    expect(alerts.eventBusName).toBe('lz-denied-actions');
  });

  test('uses a given topic instead of creating one', () => {
    // GIVEN
    const stack = toolingStack();
    const topic = new sns.Topic(stack, 'Mine');
    // WHEN
    new DeniedActionAlerts(stack, 'Denied', { organization: securityOrganization(), notificationTopic: topic });
    // THEN
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^Mine') }] });
  });

  test('fails when the organization id is unknown, the account is not the tooling account, or the numbers are off', () => {
    expect(() => new DeniedActionAlerts(toolingStack(), 'Denied', { organization: securityOrganization({ organizationId: null }) }))
      .toThrow(/organization: the organization model has no organizationId/);
    expect(() => new DeniedActionAlerts(toolingStack('555555555501'), 'Denied', { organization: securityOrganization() }))
      .toThrow(/belong in the security tooling account audit \(222222222202\), but the stack deploys to 555555555501/);
    expect(() => new DeniedActionAlerts(toolingStack(), 'Denied', { organization: securityOrganization(), threshold: 0, period: Duration.seconds(30) }))
      .toThrow(/2 problems[\s\S]*threshold: must be a positive integer, got 0[\s\S]*period: must be whole minutes/);
  });
});

describe('DeniedActionForwarder', () => {
  test('a default-bus rule that sees read-only calls too and puts them on the central bus with a role of its own', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Member', { env: { account: '555555555501', region: 'us-east-1' } });
    // WHEN
    new DeniedActionForwarder(stack, 'Fwd', { eventBusArn: 'arn:aws:events:eu-central-1:222222222202:event-bus/lz-denied-actions' });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventBusName: Match.absent(),
      Targets: [{ Id: 'DeniedActionBus', Arn: 'arn:aws:events:eu-central-1:222222222202:event-bus/lz-denied-actions', RoleArn: Match.anyValue() }],
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: Match.absent(),
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '555555555501' } } })] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: 'arn:aws:events:eu-central-1:222222222202:event-bus/lz-denied-actions' }] },
    });
  });
});

describe('DeniedActionForwarding', () => {
  const bus = 'arn:aws:events:eu-central-1:222222222202:event-bus/lz-denied-actions';

  test('a service-managed, auto-deploying StackSet over the root in every region, holding the forwarder', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Mgmt', { env: { account: '000000000000', region: 'eu-central-1' } });
    // WHEN
    new DeniedActionForwarding(stack, 'Fwd', { organization: securityOrganization(), eventBusArn: bus, regions: ['eu-central-1', 'us-east-1'] });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'] }, Regions: ['eu-central-1', 'us-east-1'] }],
    });
    const body = JSON.parse((Object.values(t.findResources('AWS::CloudFormation::StackSet'))[0] as any).Properties.TemplateBody);
    const rules = Object.values(body.Resources).filter((r: any) => r.Type === 'AWS::Events::Rule') as any[];
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(rules[0].Properties.Targets[0].Arn).toBe(bus);
  });

  test('fails without us-east-1, where global services deliver their events, or outside the management account', () => {
    const stack = new Stack(new App(), 'Mgmt', { env: { account: '000000000000', region: 'eu-central-1' } });
    expect(() => new DeniedActionForwarding(stack, 'Fwd', { organization: securityOrganization(), eventBusArn: bus, regions: ['eu-central-1'] }))
      .toThrow(/regions: us-east-1 is missing/);
    const member = new Stack(new App(), 'Member', { env: { account: '555555555501', region: 'eu-central-1' } });
    expect(() => new DeniedActionForwarding(member, 'Fwd', { organization: securityOrganization(), eventBusArn: bus, regions: ['us-east-1'] }))
      .toThrow(/managed from the management account 000000000000/);
  });
});
