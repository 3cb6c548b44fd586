import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { exampleLandingZone } from './helpers/example';
import { simulate } from './helpers/iam-sim';
import { ADMIN_IDENTITY, scpLevelsForAccount, synthesizedScps } from './helpers/scp-sim';

describe('example landing zone: guardrails', () => {
  const ex = exampleLandingZone();
  const org = ex.lz.organization;
  const scps = synthesizedScps(...ex.stacks.map((s) => ex.template(s.stackName).toJSON()));

  const evaluate = (account: string, principal: string, action: string, resource: string, context: Record<string, string> = {}) =>
    simulate({ identityPolicies: [ADMIN_IDENTITY], scpLevels: scpLevelsForAccount(org, account, scps) }, { principal, action, resource, context });

  test('the root guardrails go to the root from the management account, the others per OU', () => {
    expect(ex.lz.managementStack.account).toBe('000000000000');
    ex.template('Lz-Management').hasResourceProperties('AWS::Organizations::Policy', { Name: 'Lz-root-guardrails', TargetIds: ['r-ex01'] });
    ex.template('Lz-Management').hasResourceProperties('AWS::Organizations::Policy', { Name: 'Lz-root-guardrails-2', TargetIds: ['r-ex01'] });
    ex.template('Lz-Ou-Workloads').hasResourceProperties('AWS::Organizations::Policy', { TargetIds: ['ou-ex01-workload'] });
    ex.template('Lz-Ou-Sandbox').hasResourceProperties('AWS::Organizations::Policy', { TargetIds: ['ou-ex01-sandbox1'] });
    ex.template('Lz-Ou-Suspended').hasResourceProperties('AWS::Organizations::Policy', { TargetIds: ['ou-ex01-suspend1'] });
    expect(scps.map((s) => s.name).sort()).toEqual([
      'Lz-Sandbox-guardrails', 'Lz-Suspended-guardrails', 'Lz-Workloads-guardrails', 'Lz-root-guardrails', 'Lz-root-guardrails-2',
    ]);
  });

  test('every scp the example synthesizes is minified and under 5,120 characters', () => {
    expect(scps.length).toBe(5);
    for (const s of scps) {
      expect(s.content).toBe(JSON.stringify(s.policy));
      expect(s.content.length).toBeLessThanOrEqual(5120);
    }
  });

  test('no target is the management account', () => {
    for (const name of ['Lz-Management', 'Lz-Ou-Workloads']) {
      Annotations.fromStack(ex.stack(name)).hasNoWarning('*', Match.stringLikeRegexp('management account'));
    }
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
    const sandbox = await evaluate('sandbox-alice', 'arn:aws:iam::333333333301:role/developer', 'ec2:RunInstances', 'arn:aws:ec2:ap-southeast-2:333333333301:instance/*', { 'aws:RequestedRegion': 'ap-southeast-2' });
    const logArchive = await evaluate('log-archive', 'arn:aws:iam::222222222201:role/developer', 'ec2:RunInstances', 'arn:aws:ec2:ap-southeast-2:222222222201:instance/*', { 'aws:RequestedRegion': 'ap-southeast-2' });
    expect(sandbox.decision).toBe('ExplicitlyDenied');
    expect(logArchive.decision).toBe('Allowed');
  });

  test('suspended accounts can do nothing', async () => {
    const result = await evaluate('legacy-closed', 'arn:aws:iam::666666666601:role/lz-admin', 's3:GetObject', 'arn:aws:s3:::bucket/key');
    expect(result.decision).toBe('ExplicitlyDenied');
  });
});
