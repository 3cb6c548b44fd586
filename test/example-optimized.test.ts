// The example landing zone turns on the optimized IAM phase: analyzers in the audit account, the data perimeter on
// the root, denied-action alerts. Checked on its synthesized templates, the perimeter with the IAM simulator.
import { exampleLandingZone } from './helpers/example';
import { FULL_AWS_ACCESS, NamedPolicy } from './helpers/iam-sim';
import { levelsFor, simulateAcrossOrg, synthesizedPolicies } from './helpers/rcp-sim';

const example = exampleLandingZone();
const org = example.lz.organization;
const ADMIN: NamedPolicy = { name: 'admin', policy: FULL_AWS_ACCESS.policy };

describe('example: optimized phase', () => {
  test('the audit account holds both organization analyzers, the denied-action rule, its Contributor Insights rule and alarm', () => {
    const tooling = example.template('Lz-SecurityTooling');
    expect(example.stack('Lz-SecurityTooling').account).toBe('222222222202');
    tooling.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 2);
    tooling.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ORGANIZATION_UNUSED_ACCESS', AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 90 } } });
    tooling.hasResourceProperties('AWS::Events::Rule', { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' });
    tooling.resourceCountIs('AWS::CloudWatch::InsightRule', 1);
    tooling.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 20 });
    example.template('Lz-DeniedActionForwarding').hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['r-ex01'] }, Regions: ['eu-central-1', 'eu-west-1', 'us-east-1'] }],
    });
  });

  test('the RCPs stay within their limits: size, and RCPs per target next to RCPFullAWSAccess', () => {
    const rcps = synthesizedPolicies('RESOURCE_CONTROL_POLICY', example.template('Lz-Management').toJSON());
    expect(rcps.length).toBeGreaterThan(0);
    for (const p of rcps) expect(JSON.stringify(p.policy).length).toBeLessThanOrEqual(5120);
    const perTarget = new Map<string, number>();
    for (const p of rcps) for (const t of p.targetIds) perTarget.set(t, (perTarget.get(t) ?? 0) + 1);
    for (const n of perTarget.values()) expect(n + 1).toBeLessThanOrEqual(5);
  });

  describe('the perimeter, simulated on the example\'s policies', () => {
    const management = example.template('Lz-Management').toJSON();
    const rcps = synthesizedPolicies('RESOURCE_CONTROL_POLICY', management);
    const scps = synthesizedPolicies('SERVICE_CONTROL_POLICY', management,
      ...example.stacks.filter((s) => s.stackName.startsWith('Lz-Ou-')).map((s) => example.template(s.stackName).toJSON()));
    const bucket = 'arn:aws:s3:::shop-prod-releases';
    const bucketPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucket}/*` }] };
    const read = (account: string, orgId?: string) => simulateAcrossOrg(
      { identityPolicies: [ADMIN], resourcePolicy: bucketPolicy, rcpLevels: levelsFor(org, 'shop-prod', rcps) },
      { principal: `arn:aws:iam::${account}:role/reader`, action: 's3:GetObject', resource: `${bucket}/v1.zip`, resourceAccount: '555555555501', context: orgId ? { 'aws:PrincipalOrgID': orgId } : {} },
    );

    test('attack: a stranger is refused the release bucket even though its policy allows everyone', async () => {
      expect(await read('123456789012', 'o-zz99yy88xx')).toBe('ExplicitlyDenied');
    });

    test('Acme\'s build account, declared and trusted, still reads it', async () => {
      expect(await read('999999999901')).toBe('Allowed');
    });

    test('auditors of the jump account still switch into the acquired company\'s account, and nowhere else outside', async () => {
      const auditor = 'arn:aws:iam::111111111111:user/audit-carol';
      const assume = (account: string) => simulateAcrossOrg(
        {
          identityPolicies: [ADMIN],
          resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: auditor }, Action: 'sts:AssumeRole' }] },
          scpLevels: levelsFor(org, 'jump', scps, [FULL_AWS_ACCESS]),
        },
        {
          principal: auditor,
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${account}:role/lz-read-only`,
          resourceAccount: account,
          context: { 'aws:PrincipalOrgID': 'o-ex01abcdef', 'aws:ResourceAccount': account, 'aws:ResourceOrgID': 'o-acquired00' },
        },
      );
      expect(await assume('888888888801')).toBe('Allowed');
      expect(await assume('123456789012')).toBe('ExplicitlyDenied');
    });
  });
});
