import * as iam from 'aws-cdk-lib/aws-iam';
import { findingsOf, JUMP, OTHER, stackIn } from './harness';

const RULE = 'LZ-IAM2';

describe('OpenTrustWithoutConditions (LZ-IAM2)', () => {
  test('Noncompliance 1: a role anyone may assume', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.Role(stack, 'Role', { assumedBy: new iam.AnyPrincipal() });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM2[Principal::*]']);
  });

  test('Noncompliance 2: a bare account id in a raw trust policy', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: [OTHER] }, Action: 'sts:AssumeRole' }] },
    });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([`LZ-IAM2[Principal::${OTHER}]`]);
  });

  test('Noncompliance 3: the role\'s own account root counts as a whole account too', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([`LZ-IAM2[Principal::arn:aws:iam::${JUMP}:root]`]);
  });

  test('Noncompliance 4: Principal "*" as a string', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] },
    });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM2[Principal::*]']);
  });

  test('Compliance', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.Role(stack, 'OrgOnly', {
      assumedBy: new iam.AccountPrincipal(OTHER).withConditions({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }),
    });
    new iam.Role(stack, 'NamedRole', { assumedBy: new iam.ArnPrincipal(`arn:aws:iam::${OTHER}:role/deployer`) });
    new iam.Role(stack, 'Service', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([]);
  });
});
