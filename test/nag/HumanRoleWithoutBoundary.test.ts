import * as iam from 'aws-cdk-lib/aws-iam';
import { findingsOf, JUMP, OTHER, stackIn } from './harness';

const RULE = 'LZ-IAM3';

describe('HumanRoleWithoutBoundary (LZ-IAM3)', () => {
  test('Noncompliance 1: a role trusting an account', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.Role(stack, 'Role', { assumedBy: new iam.AccountPrincipal(OTHER) });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM3']);
  });

  test('Noncompliance 2: a role trusting a SAML provider', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.Role(stack, 'Role', {
      assumedBy: new iam.FederatedPrincipal(`arn:aws:iam::${JUMP}:saml-provider/okta`, {
        StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' },
      }, 'sts:AssumeRoleWithSAML'),
    });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM3']);
  });

  test('Noncompliance 3: a role trusting an Identity Center role', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.Role(stack, 'Role', {
      assumedBy: new iam.ArnPrincipal(`arn:aws:iam::${OTHER}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`),
    });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM3']);
  });

  test('Noncompliance 4: a role trusting an IAM user', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.CfnRole(stack, 'Role', {
      assumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${JUMP}:user/alice` }, Action: 'sts:AssumeRole' }],
      },
    });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM3']);
  });

  test('Compliance', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    const boundary = iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'lz-permissions-boundary');
    // WHEN
    new iam.Role(stack, 'Bounded', { assumedBy: new iam.AccountPrincipal(OTHER), permissionsBoundary: boundary });
    // machines are not people: no boundary required
    new iam.Role(stack, 'Service', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new iam.Role(stack, 'Pipeline', {
      assumedBy: new iam.WebIdentityPrincipal(`arn:aws:iam::${JUMP}:oidc-provider/token.actions.githubusercontent.com`),
    });
    new iam.Role(stack, 'MachineRole', { assumedBy: new iam.ArnPrincipal(`arn:aws:iam::${OTHER}:role/deployer`) });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([]);
  });
});
