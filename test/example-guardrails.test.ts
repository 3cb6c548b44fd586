import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { simulate } from './helpers/iam-sim';
import { ADMIN_IDENTITY, scpLevelsForAccount, synthesizedScps } from './helpers/scp-sim';
import { buildLandingZone } from '../examples/landing-zone/app';
import { addGuardrails } from '../examples/landing-zone/guardrails';
import { exampleOrganization } from '../examples/landing-zone/organization';

describe('example landing zone: guardrails', () => {
  const org = exampleOrganization();
  const app = new App();
  const stack = addGuardrails(app, org);
  const template = Template.fromStack(stack);
  const scps = synthesizedScps(template.toJSON());

  const evaluate = (account: string, principal: string, action: string, resource: string, context: Record<string, string> = {}) =>
    simulate({ identityPolicies: [ADMIN_IDENTITY], scpLevels: scpLevelsForAccount(org, account, scps) }, { principal, action, resource, context });

  test('deploys to the management account', () => {
    expect(stack.account).toBe('000000000000');
  });

  test('attaches the root deny to the root, the others per ou', () => {
    template.hasResourceProperties('AWS::Organizations::Policy', { Name: 'lz-deny-root', TargetIds: ['r-ex01'] });
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'lz-baseline', TargetIds: ['ou-ex01-securit1', 'ou-ex01-sandbox1', 'ou-ex01-workload'],
    });
    template.hasResourceProperties('AWS::Organizations::Policy', { Name: 'lz-regions', TargetIds: ['ou-ex01-workload', 'ou-ex01-sandbox1'] });
    template.hasResourceProperties('AWS::Organizations::Policy', { Name: 'lz-suspended', TargetIds: ['ou-ex01-suspend1'] });
    expect(scps.map((s) => s.name).sort()).toEqual(['lz-baseline', 'lz-deny-root', 'lz-regions', 'lz-suspended']);
  });

  test('every scp of the example is under 5,120 minified characters', () => {
    expect(scps.length).toBeGreaterThan(0);
    for (const s of scps) {
      expect(s.content).toBe(JSON.stringify(s.policy)); // minified, as AWS counts it
      expect(s.content.length).toBeLessThanOrEqual(5120);
    }
  });

  test('every scp the whole example app synthesizes is under 5,120 minified characters', () => {
    const whole = new App();
    buildLandingZone(whole);
    const all = whole.node.findAll().filter(Stack.isStack).flatMap((s) => synthesizedScps(Template.fromStack(s).toJSON()));
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const s of all) expect(s.content.length).toBeLessThanOrEqual(5120);
  });

  test('no target is the management account', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('management account'));
  });

  test('the root user of a production account is denied, its admin role is not', async () => {
    const runInstances = ['ec2:RunInstances', 'arn:aws:ec2:eu-central-1:555555555501:instance/*'] as const;
    const ctx = { 'aws:RequestedRegion': 'eu-central-1' };
    expect((await evaluate('shop-prod', 'arn:aws:iam::555555555501:root', ...runInstances, ctx)).decision).toBe('ExplicitlyDenied');
    expect((await evaluate('shop-prod', 'arn:aws:iam::555555555501:role/lz-admin', ...runInstances, ctx)).decision).toBe('Allowed');
  });

  test('iam users only in the jump account', async () => {
    const jump = await evaluate('jump', 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1', 'iam:CreateUser', 'arn:aws:iam::111111111111:user/alice');
    const audit = await evaluate('audit', 'arn:aws:iam::222222222202:role/lz-admin', 'iam:CreateUser', 'arn:aws:iam::222222222202:user/alice');
    expect(jump.decision).toBe('Allowed');
    expect(audit.decision).toBe('ExplicitlyDenied');
  });

  test('sandbox accounts are held to the allowed regions, security accounts are not', async () => {
    const far = ['ec2:RunInstances', 'arn:aws:ec2:ap-southeast-2:333333333301:instance/*'] as const;
    const sandbox = await evaluate('sandbox-alice', 'arn:aws:iam::333333333301:role/developer', ...far, { 'aws:RequestedRegion': 'ap-southeast-2' });
    const logArchive = await evaluate('log-archive', 'arn:aws:iam::222222222201:role/developer', 'ec2:RunInstances', 'arn:aws:ec2:ap-southeast-2:222222222201:instance/*', { 'aws:RequestedRegion': 'ap-southeast-2' });
    expect(sandbox.decision).toBe('ExplicitlyDenied');
    expect(logArchive.decision).toBe('Allowed');
  });

  test('suspended accounts can do nothing', async () => {
    const result = await evaluate('legacy-closed', 'arn:aws:iam::666666666601:role/lz-admin', 's3:GetObject', 'arn:aws:s3:::bucket/key');
    expect(result.decision).toBe('ExplicitlyDenied');
  });
});
