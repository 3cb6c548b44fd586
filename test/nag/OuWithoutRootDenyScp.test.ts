import { CfnResource, Validations } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { findingsOf, stackIn } from './harness';
import { Organization } from '../../src/organization';
import { FULL_AWS_ACCESS, simulate } from '../helpers/iam-sim';

const RULE = 'LZ-SCP1';

const org = new Organization({
  rootId: 'r-ab12',
  managementAccount: { accountId: '000000000000', name: 'management' },
  organizationalUnits: [
    { path: 'Sandbox', ouId: 'ou-ab12-sandbox1' },
    { path: 'Workloads', ouId: 'ou-ab12-workload' },
    { path: 'Workloads/Prod', ouId: 'ou-ab12-prod0001' },
  ],
  accounts: [{ accountId: '555555555501', name: 'prod', organizationalUnit: 'Workloads/Prod' }],
});

const DENY_ROOT = {
  Version: '2012-10-17',
  Statement: [{
    Sid: 'DenyRootUser',
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
  }],
};

function scp(scope: Construct, id: string, content: any, targetIds: string[]): organizations.CfnPolicy {
  return new organizations.CfnPolicy(scope, id, { name: id, type: 'SERVICE_CONTROL_POLICY', content, targetIds });
}

describe('OuWithoutRootDenyScp (LZ-SCP1)', () => {
  test('Noncompliance 1: no SCP at all reports every OU', () => {
    // GIVEN
    const { app, stack } = stackIn('000000000000');
    // WHEN
    new organizations.CfnPolicy(stack, 'Tagging', { name: 'tags', type: 'TAG_POLICY', content: { tags: {} }, targetIds: ['r-ab12'] });
    // THEN
    expect(findingsOf(RULE, app, { organization: org })).toEqual([
      'LZ-SCP1[OU::ou-ab12-prod0001]', 'LZ-SCP1[OU::ou-ab12-sandbox1]', 'LZ-SCP1[OU::ou-ab12-workload]',
    ]);
  });

  test('Noncompliance 2: attached to Workloads covers Workloads/Prod but not Sandbox', () => {
    // GIVEN
    const { app, stack } = stackIn('000000000000');
    // WHEN
    scp(stack, 'DenyRoot', DENY_ROOT, ['ou-ab12-workload']);
    // THEN
    expect(findingsOf(RULE, app, { organization: org })).toEqual(['LZ-SCP1[OU::ou-ab12-sandbox1]']);
  });

  test('Noncompliance 3: an SCP that denies the root user only some actions does not count', () => {
    // GIVEN
    const { app, stack } = stackIn('000000000000');
    // WHEN
    scp(stack, 'DenyRootIam', { ...DENY_ROOT, Statement: [{ ...DENY_ROOT.Statement[0], Action: 'iam:*' }] }, ['r-ab12']);
    new organizations.CfnPolicy(stack, 'Tagging', { name: 'tags', type: 'TAG_POLICY', content: DENY_ROOT, targetIds: ['r-ab12'] });
    // THEN
    expect(findingsOf(RULE, app, { organization: org })).toHaveLength(3);
  });

  test('Compliance: attached to the root, given as a JSON string', () => {
    // GIVEN
    const { app, stack } = stackIn('000000000000');
    // WHEN
    new CfnResource(stack, 'DenyRoot', {
      type: 'AWS::Organizations::Policy',
      properties: { Name: 'deny-root', Type: 'SERVICE_CONTROL_POLICY', Content: JSON.stringify(DENY_ROOT), TargetIds: ['r-ab12'] },
    });
    // THEN
    expect(findingsOf(RULE, app, { organization: org })).toEqual([]);
  });

  test('Compliance: not evaluated without an organization model', () => {
    // GIVEN
    const { app, stack } = stackIn('000000000000');
    new organizations.CfnPolicy(stack, 'Tagging', { name: 'tags', type: 'TAG_POLICY', content: { tags: {} }, targetIds: ['r-ab12'] });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([]);
  });

  test('an OU finding is acknowledged on the app', () => {
    // GIVEN
    const { app, stack } = stackIn('000000000000');
    scp(stack, 'DenyRoot', DENY_ROOT, ['ou-ab12-workload']);
    // WHEN
    Validations.of(app).acknowledge({ id: 'LZ-SCP1[OU::ou-ab12-sandbox1]', reason: 'sandbox accounts are closed nightly' });
    // THEN
    expect(findingsOf(RULE, app, { organization: org })).toEqual([]);
  });

  // The policy shape the rule accepts does what it claims: it refuses the root user and nobody else.
  test('semantics: the accepted SCP denies the root user of a member account and allows its roles', async () => {
    const levels = (account: string) => [
      { target: 'r-ab12', policies: [FULL_AWS_ACCESS, { name: 'DenyRoot', policy: DENY_ROOT }] },
      { target: 'ou-ab12-workload', policies: [FULL_AWS_ACCESS] },
      { target: account, policies: [FULL_AWS_ACCESS] },
    ];
    const root = await simulate({ scpLevels: levels('555555555501'), identityPolicies: [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }] },
      { principal: 'arn:aws:iam::555555555501:root', action: 's3:ListAllMyBuckets', resource: '*' });
    const role = await simulate({ scpLevels: levels('555555555501'), identityPolicies: [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }] },
      { principal: 'arn:aws:iam::555555555501:role/lz-admin', action: 's3:ListAllMyBuckets', resource: '*' });
    expect(root.decision).toBe('ExplicitlyDenied');
    expect(role.allowed).toBe(true);
  });
});
