import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { findingsOf, stackIn } from './harness';
import { GuardrailTarget, LandingZoneChecks, Organization, ResourceControl, ResourceControlPolicies } from '../../src';
import { FULL_AWS_ACCESS, NamedPolicy } from '../helpers/iam-sim';
import { simulateAcrossOrg } from '../helpers/rcp-sim';

const RULE = 'LZ-RCP1';

const org = new Organization({
  rootId: 'r-ab12',
  organizationId: 'o-ab12cd34ef',
  managementAccount: { accountId: '000000000000', name: 'management' },
  organizationalUnits: [
    { path: 'Sandbox', ouId: 'ou-ab12-sandbox1' },
    { path: 'Workloads', ouId: 'ou-ab12-workload' },
    { path: 'Workloads/Prod', ouId: 'ou-ab12-prod0001' },
  ],
  accounts: [{ accountId: '555555555501', name: 'prod', organizationalUnit: 'Workloads/Prod' }],
});

const PERIMETER = {
  Version: '2012-10-17',
  Statement: [{
    Sid: 'EnforceOrgIdentities',
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:AssumeRole'],
    Resource: '*',
    Condition: {
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-ab12cd34ef', 'aws:PrincipalAccount': ['999999999901'] },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    },
  }],
};

function withStatement(change: Record<string, unknown>): any {
  return { ...PERIMETER, Statement: [{ ...PERIMETER.Statement[0], ...change }] };
}

function rcp(scope: Construct, id: string, content: any, targetIds: string[], type = 'RESOURCE_CONTROL_POLICY'): organizations.CfnPolicy {
  return new organizations.CfnPolicy(scope, id, { name: id, type, content, targetIds });
}

const ALL = ['LZ-RCP1[OU::ou-ab12-prod0001]', 'LZ-RCP1[OU::ou-ab12-sandbox1]', 'LZ-RCP1[OU::ou-ab12-workload]'];

describe('OuWithoutDataPerimeterRcp (LZ-RCP1)', () => {
  test('Noncompliance 1: no RCP at all reports every OU, as warnings that do not fail', () => {
    // GIVEN
    const { app, stack } = stackIn('000000000000');
    // WHEN: a tag policy with the same content, and the root-deny SCP so that LZ-SCP1 has nothing to report
    rcp(stack, 'Tags', PERIMETER, ['r-ab12'], 'TAG_POLICY');
    rcp(stack, 'DenyRoot', { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } } }] },
      ['r-ab12'], 'SERVICE_CONTROL_POLICY');
    // THEN
    expect(findingsOf(RULE, app, { organization: org })).toEqual(ALL);
    const report = new LandingZoneChecks(app, { organization: org }).validateScope(app);
    expect(report.violations.filter((v) => v.ruleName.startsWith(RULE)).map((v) => v.severity)).toEqual(['warning', 'warning', 'warning']);
    expect(report.success).toBe(true);
  });

  test('Noncompliance 2: an RCP on Workloads covers Workloads/Prod but not Sandbox', () => {
    const { app, stack } = stackIn('000000000000');
    rcp(stack, 'Perimeter', PERIMETER, ['ou-ab12-workload']);
    expect(findingsOf(RULE, app, { organization: org })).toEqual(['LZ-RCP1[OU::ou-ab12-sandbox1]']);
  });

  test.each([
    ['leaves out STS', withStatement({ Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*'] }), 'RESOURCE_CONTROL_POLICY'],
    ['covers only some S3 actions', withStatement({ Action: ['s3:Get*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:AssumeRole'] }), 'RESOURCE_CONTROL_POLICY'],
    ['holds one bucket only', withStatement({ Resource: 'arn:aws:s3:::one/*' }), 'RESOURCE_CONTROL_POLICY'],
    ['narrows the deny to tagged resources', withStatement({ Condition: { ...PERIMETER.Statement[0].Condition, StringEquals: { 'aws:ResourceTag/protect': 'yes' } } }), 'RESOURCE_CONTROL_POLICY'],
    ['names no organization id', withStatement({ Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-*' } } }), 'RESOURCE_CONTROL_POLICY'],
    ['has no organization condition', withStatement({ Condition: { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } }), 'RESOURCE_CONTROL_POLICY'],
    ['allows instead of denying', withStatement({ Effect: 'Allow' }), 'RESOURCE_CONTROL_POLICY'],
    ['denies AWS services only', withStatement({ Condition: { ...PERIMETER.Statement[0].Condition, BoolIfExists: { 'aws:PrincipalIsAWSService': 'true' } } }), 'RESOURCE_CONTROL_POLICY'],
    ['is a service control policy', PERIMETER, 'SERVICE_CONTROL_POLICY'],
  ])('Noncompliance 3: a perimeter that %s does not count', (_name, content, type) => {
    const { app, stack } = stackIn('000000000000');
    rcp(stack, 'Candidate', content, ['r-ab12'], type);
    expect(findingsOf(RULE, app, { organization: org })).toEqual(ALL);
  });

  test('Noncompliance 4: with requireDataPerimeter the findings are errors and fail synth', () => {
    const app = new App();
    new Stack(app, 'Workload', { env: { account: '555555555501', region: 'eu-west-1' } });
    // only LZ-RCP1 may fail this synth
    Validations.of(app).acknowledge(...['ou-ab12-prod0001', 'ou-ab12-sandbox1', 'ou-ab12-workload']
      .map((ou) => ({ id: `LandingZoneChecks::LZ-SCP1[OU::${ou}]`, reason: 'SCPs live in another app' })));
    const pack = new LandingZoneChecks(app, { organization: org, requireDataPerimeter: true });
    expect(pack.validateScope(app).violations.map((v) => [v.ruleName, v.severity])).toEqual(expect.arrayContaining([['LZ-RCP1[OU::ou-ab12-prod0001]', 'error']]));
    Validations.of(app).addPlugins(pack);
    expect(() => app.synth()).toThrow(/LZ-RCP1\[OU::ou-ab12-prod0001\]/);
  });

  test('Compliance: the library\'s identity perimeter on the root covers every OU', () => {
    const { app, stack } = stackIn('000000000000');
    new ResourceControlPolicies(stack, 'DataPerimeter', { organization: org, targets: [GuardrailTarget.organizationRoot()], controls: [ResourceControl.identityPerimeter()] });
    expect(findingsOf(RULE, app, { organization: org })).toEqual([]);
  });

  test('Compliance: services covered by different policies and levels, content as a JSON string', () => {
    const { app, stack } = stackIn('000000000000');
    rcp(stack, 'StorageAtRoot', withStatement({ Action: ['s3:*', 'kms:*', 'secretsmanager:*'] }), ['r-ab12']);
    new CfnResource(stack, 'MessagingAndStsPerOu', {
      type: 'AWS::Organizations::Policy',
      properties: {
        Name: 'rest',
        Type: 'RESOURCE_CONTROL_POLICY',
        TargetIds: ['ou-ab12-workload', 'ou-ab12-sandbox1'],
        Content: JSON.stringify(withStatement({ Action: ['sqs:*', 'sts:*'], Principal: { AWS: '*' } })),
      },
    });
    expect(findingsOf(RULE, app, { organization: org })).toEqual([]);
  });

  test('Compliance: not evaluated without an organization model', () => {
    const { app } = stackIn('000000000000');
    expect(findingsOf(RULE, app)).toEqual([]);
  });

  test('an OU finding is acknowledged on the app or on a stack', () => {
    const { app, stack } = stackIn('000000000000');
    rcp(stack, 'Perimeter', PERIMETER, ['ou-ab12-workload']);
    Validations.of(stack).acknowledge({ id: 'LZ-RCP1[OU::ou-ab12-sandbox1]', reason: 'sandboxes host public demo buckets' });
    expect(findingsOf(RULE, app, { organization: org })).toEqual([]);
  });

  // The statement shape the rule accepts does what it claims: outsiders are refused, the organization is not.
  test('semantics: the accepted RCP denies a principal of another organization and lets the organization in', async () => {
    const bucketPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
    const admin: NamedPolicy = { name: 'admin', policy: FULL_AWS_ACCESS.policy };
    const levels = [{ target: 'r-ab12', policies: [{ name: 'perimeter', policy: PERIMETER }] }];
    const policies = { identityPolicies: [admin], resourcePolicy: bucketPolicy, rcpLevels: levels };
    const get = (principal: string, orgId: string) => simulateAcrossOrg(policies,
      { principal, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: '555555555501', context: { 'aws:PrincipalOrgID': orgId } });
    expect(await get('arn:aws:iam::123456789012:role/x', 'o-zz99yy88xx')).toBe('ExplicitlyDenied');
    expect(await get('arn:aws:iam::555555555501:role/x', 'o-ab12cd34ef')).toBe('Allowed');
  });
});
