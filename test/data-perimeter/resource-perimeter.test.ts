import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataPerimeter, GuardrailPolicies, GuardrailTarget, LandingZone } from '../../src';
import { securityOrganization } from '../denied-actions/fixture';

describe('DataPerimeter.resourcePerimeter', () => {
  test('is an SCP guardrail packed with the others: a deny of the core services outside the organization', () => {
    // GIVEN
    const org = securityOrganization();
    const stack = new Stack(new App(), 'Mgmt', { env: { account: '000000000000', region: 'us-east-1' } });
    // WHEN
    const g = new GuardrailPolicies(stack, 'Root', {
      organization: org,
      targets: [GuardrailTarget.organizationRoot()],
      guardrails: [...LandingZone.defaultRootGuardrails(), DataPerimeter.resourcePerimeter(org, {
        trustedAccounts: ['partner-org'],
        awsOwnedResources: ['arn:aws:s3:::jumpstart-cache-prod-eu-central-1/*'],
        additionalActions: ['dynamodb:*'],
        exemptPrincipalArns: ['arn:aws:iam::*:role/data-exchange-importer'],
      })],
    });
    // THEN: the perimeter is packed with the root guardrails, into as few SCPs as fit (two, since the landing zone
    // protections grew), and its statement is in exactly one of them
    expect(g.policyInfo).toHaveLength(2);
    expect(g.policyInfo.filter((p) => p.guardrails.includes('ResourcePerimeter'))).toHaveLength(1);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::Organizations::Policy')).flatMap((p) => p.Properties.Content.Statement);
    expect(statements.filter((s: any) => s.Sid === 'EnforceResourcePerimeter')).toHaveLength(1);
    expect(statements.find((s: any) => s.Sid === 'EnforceResourcePerimeter')).toEqual({
      Sid: 'EnforceResourcePerimeter',
      Effect: 'Deny',
      Action: ['dynamodb:*', 'kms:*', 's3:*', 'secretsmanager:*', 'sqs:*', 'sts:AssumeRole'],
      NotResource: 'arn:aws:s3:::jumpstart-cache-prod-eu-central-1/*',
      Condition: {
        StringNotEqualsIfExists: { 'aws:ResourceOrgID': 'o-ab12cd34ef', 'aws:ResourceAccount': ['888888888801'] },
        ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/data-exchange-importer'] },
      },
    });
  });

  test('fails at once, naming every problem, for an unknown organization id, bad accounts, bucket wildcards and bad actions', () => {
    expect(() => DataPerimeter.resourcePerimeter(securityOrganization({ organizationId: null }))).toThrow(/organization: the organization model has no organizationId/);
    expect(() => DataPerimeter.resourcePerimeter(securityOrganization(), {
      trustedAccounts: ['audit'],
      awsOwnedResources: ['arn:aws:s3:::elasticbeanstalk-*/*', 'not-an-arn'],
      additionalActions: ['dynamodb'],
      exemptPrincipalArns: ['role/x'],
    })).toThrow(new RegExp([
      'DataPerimeter.resourcePerimeter: 5 problems',
      "options.trustedAccounts\\[0\\]: account 'audit' is a member",
      'options.awsOwnedResources\\[0\\]: .* has a wildcard in the bucket name',
      "options.awsOwnedResources\\[1\\]: 'not-an-arn' must be an ARN pattern",
      "options.additionalActions\\[0\\]: action 'dynamodb' must look like 'service:Action'",
      "options.exemptPrincipalArns\\[0\\]: principal arn 'role/x'",
    ].join('[\\s\\S]*')));
  });
});
