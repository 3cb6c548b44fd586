import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnResource, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { findingsOf, JUMP, OTHER, pathsOf, stackIn } from './harness';

const RULE = 'LZ-IAM1';

function rawRole(scope: any, id: string, statement: any): iam.CfnRole {
  return new iam.CfnRole(scope, id, { assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [statement] } });
}

describe('CrossAccountTrustWithoutMfa (LZ-IAM1)', () => {
  test('Noncompliance 1: an L2 role trusting another account without a condition', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.Role(stack, 'Role', { assumedBy: new iam.AccountPrincipal(OTHER) });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([`LZ-IAM1[Principal::arn:aws:iam::${OTHER}:root]`]);
    expect(pathsOf(`LZ-IAM1[Principal::arn:aws:iam::${OTHER}:root]`, app)).toEqual(['Stack/Role/Resource']);
  });

  test('Noncompliance 2: BoolIfExists does not count as requiring MFA (any account)', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    rawRole(stack, 'Role', {
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'sts:AssumeRole',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } },
    });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM1[Principal::*]']);
  });

  test('Noncompliance 3: only the cross-account principal of a mixed statement is reported', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new CfnResource(stack, 'Role', {
      type: 'AWS::IAM::Role',
      properties: {
        AssumeRolePolicyDocument: {
          Statement: [{
            Effect: 'Allow',
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Principal: {
              Service: 'lambda.amazonaws.com',
              AWS: [`arn:aws:iam::${JUMP}:role/local`, `arn:aws:iam::${OTHER}:role/vendor`],
            },
          }],
        },
      },
    });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([`LZ-IAM1[Principal::arn:aws:iam::${OTHER}:role/vendor]`]);
  });

  test('Noncompliance 4: an environment-agnostic stack cannot prove a concrete account is its own', () => {
    // GIVEN
    const { app, stack } = stackIn(null);
    // WHEN
    rawRole(stack, 'Role', { Effect: 'Allow', Principal: { AWS: JUMP }, Action: 'sts:AssumeRole' });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([`LZ-IAM1[Principal::${JUMP}]`]);
  });

  test('Noncompliance 5: the trust policy given as a JSON string is read too', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new CfnResource(stack, 'Role', {
      type: 'AWS::IAM::Role',
      properties: {
        AssumeRolePolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'sts:*' }] }),
      },
    });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([`LZ-IAM1[Principal::${OTHER}]`]);
  });

  test('Noncompliance 6: a role of an existing template brought in with CfnInclude', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lz-include-')), 'legacy.json');
    fs.writeFileSync(file, JSON.stringify({
      Resources: {
        LegacyRole: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'sts:AssumeRole' }] },
          },
        },
      },
    }));
    // WHEN
    new CfnInclude(stack, 'Legacy', { templateFile: file });
    // THEN
    expect(pathsOf(`LZ-IAM1[Principal::arn:aws:iam::${OTHER}:root]`, app)).toEqual(['Stack/Legacy/LegacyRole']);
  });

  test('Compliance', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.Role(stack, 'WithMfa', {
      assumedBy: new iam.AccountPrincipal(OTHER).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
    });
    rawRole(stack, 'WithMfaAge', {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
      Action: 'sts:AssumeRole',
      Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
    });
    new iam.Role(stack, 'SameAccount', { assumedBy: new iam.AccountRootPrincipal() });
    new iam.Role(stack, 'Service', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const local = new iam.Role(stack, 'Local', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    new iam.Role(stack, 'TrustsLocalRole', { assumedBy: new iam.ArnPrincipal(local.roleArn) });
    rawRole(stack, 'DenyOnly', { Effect: 'Deny', Principal: { AWS: OTHER }, Action: 'sts:AssumeRole' });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([]);
  });

  test('a finding is acknowledged by its own id only', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    const role = rawRole(stack, 'Role', {
      Effect: 'Allow', Principal: { AWS: [OTHER, '333333333333'] }, Action: 'sts:AssumeRole',
    });
    // WHEN
    Validations.of(role).acknowledge({ id: `LZ-IAM1[Principal::${OTHER}]`, reason: 'vendor with ExternalId' });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM1[Principal::333333333333]']);
  });
});
