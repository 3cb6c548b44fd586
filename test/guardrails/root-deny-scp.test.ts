import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { managementStack, testOrganization } from './fixture';
import { GuardrailTarget, RootDenyScp } from '../../src';

describe('RootDenyScp', () => {
  const organization = testOrganization();

  test('denies every action by member account root users, attached to the organization root by default', () => {
    // GIVEN
    const stack = managementStack();
    // WHEN
    const scp = new RootDenyScp(stack, 'DenyRoot', { organization });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'lz-deny-root',
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['r-ab12'],
      Content: {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'DenyRootUser',
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:*:iam::*:root' } },
        }],
      },
      Tags: [{ Key: 'landing-zone:managed', Value: 'true' }],
    });
    Template.fromStack(stack).resourceCountIs('AWS::Organizations::Policy', 1);
    expect(scp.policy).toBe(scp.policies[0]);
    expect(scp.policyInfo[0].size).toBeLessThan(5120);
  });

  test('attaches to ous by path and accounts by name', () => {
    // GIVEN
    const stack = managementStack();
    // WHEN
    new RootDenyScp(stack, 'DenyRoot', {
      organization,
      targets: [GuardrailTarget.organizationalUnits(['Workloads/Prod']), GuardrailTarget.accounts(['app-dev'])],
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      TargetIds: ['ou-ab12-22222222', '222222222222'],
    });
  });

  test('opt-in exceptions: centralized root sessions and listed actions', () => {
    // GIVEN
    const stack = managementStack();
    // WHEN
    new RootDenyScp(stack, 'DenyRoot', {
      organization,
      allowCentralizedRootSessions: true,
      allowedActions: ['s3:DeleteBucketPolicy', 'iam:DeactivateMFADevice'],
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Content: {
        Statement: [Match.objectLike({
          NotAction: ['iam:DeactivateMFADevice', 's3:DeleteBucketPolicy'],
          Condition: {
            ArnLike: { 'aws:PrincipalArn': 'arn:*:iam::*:root' },
            Null: { 'aws:AssumedRoot': 'true' },
          },
        })],
      },
    });
  });

  test('warns when a target is the management account', () => {
    // GIVEN
    const stack = managementStack();
    // WHEN
    new RootDenyScp(stack, 'DenyRoot', { organization, targets: [GuardrailTarget.accounts(['management', 'app-dev'])] });
    // THEN
    Annotations.fromStack(stack).hasWarning('/Guardrails/DenyRoot',
      Match.stringLikeRegexp('management \\(000000000000\\) is the management account: service control policies do not apply there'));
  });

  test('no warning when the management account is not a target', () => {
    const stack = managementStack();
    new RootDenyScp(stack, 'DenyRoot', { organization });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('management account'));
  });

  test('fails when allowedActions are malformed or allow everything', () => {
    const stack = managementStack();
    expect(() => new RootDenyScp(stack, 'DenyRoot', { organization, allowedActions: ['ec2 RunInstances', '*'] }))
      .toThrow(/Guardrails\/DenyRoot: 2 problems:[\s\S]*guardrails\[0\]\.allowedActions\[0\]: action 'ec2 RunInstances' must look like 'service:Action'[\s\S]*guardrails\[0\]\.allowedActions: '\*' would let root do everything/);
  });

  test('fails when a target is unknown or outside the organization', () => {
    const stack = managementStack();
    expect(() => new RootDenyScp(stack, 'DenyRoot', {
      organization,
      targets: [GuardrailTarget.organizationalUnits(['Workload']), GuardrailTarget.accounts(['partner', 'nobody'])],
    })).toThrow(/targets\[0\]: ou 'Workload' is not defined in the organization \(known: Security, Workloads, Workloads\/Prod\)[\s\S]*targets\[1\]: account 'partner' is outside the organization[\s\S]*targets\[1\]: account 'nobody' is not defined/);
  });

  test('fails when a target names no ou or account', () => {
    const stack = managementStack();
    expect(() => new RootDenyScp(stack, 'DenyRoot', {
      organization, targets: [GuardrailTarget.organizationalUnits([]), GuardrailTarget.accounts([])],
    })).toThrow(/targets\[0\]: organizationalUnits\(\) needs at least one ou path, got none[\s\S]*targets\[1\]: accounts\(\) needs at least one account name or id, got none/);
  });

  test('fails when no target is given', () => {
    const stack = managementStack();
    expect(() => new RootDenyScp(stack, 'DenyRoot', { organization, targets: [] })).toThrow(/targets: at least one target is needed, got none/);
  });
});
