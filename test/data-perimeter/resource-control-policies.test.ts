import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { GuardrailTarget, ResourceControl, ResourceControlPolicies, ResourceControlPoliciesProps } from '../../src';
import { RCP_SUPPORTED_SERVICES, rcpStatementProblems } from '../../src/private/resource-control-syntax';
import { perTargetOverruns } from '../../src/private/scp-packing';
import { securityOrganization } from '../denied-actions/fixture';

function mgmt(): Stack {
  return new Stack(new App(), 'Mgmt', { env: { account: '000000000000', region: 'us-east-1' } });
}

function rcps(stack: Stack, props: Partial<ResourceControlPoliciesProps> = {}): ResourceControlPolicies {
  return new ResourceControlPolicies(stack, 'DataPerimeter', {
    organization: securityOrganization(),
    targets: [GuardrailTarget.organizationRoot()],
    controls: [ResourceControl.identityPerimeter()],
    ...props,
  });
}

const denyBucketDeletion = (name = 'DenyBucketDeletion') => ResourceControl.custom({
  name,
  statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:DeleteBucket'], resources: ['*'] })],
});

describe('ResourceControlPolicies', () => {
  test('creates an RCP with the identity perimeter, attached to the targets after the RCP type is enabled on the root', () => {
    // GIVEN
    const stack = mgmt();
    // WHEN
    const p = rcps(stack, { targets: [GuardrailTarget.organizationalUnits(['Workloads', 'Sandbox'])] });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'lz-data-perimeter',
      Type: 'RESOURCE_CONTROL_POLICY',
      TargetIds: ['ou-ab12-workload', 'ou-ab12-sandbox1'],
      Content: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'EnforceOrgIdentities',
            Effect: 'Deny',
            Principal: '*',
            Action: ['kms:*', 's3:*', 'secretsmanager:*', 'sqs:*', 'sts:AssumeRole', 'sts:DecodeAuthorizationMessage',
              'sts:GetAccessKeyInfo', 'sts:GetFederationToken', 'sts:GetServiceBearerToken', 'sts:GetSessionToken', 'sts:SetContext'],
            Resource: '*',
            Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-ab12cd34ef' }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
          },
          {
            Sid: 'EnforceConfusedDeputyProtection',
            Effect: 'Deny',
            Principal: '*',
            Action: ['kms:*', 's3:*', 'secretsmanager:*', 'sqs:*', 'sts:*'],
            Resource: '*',
            Condition: {
              StringNotEqualsIfExists: { 'aws:SourceOrgID': 'o-ab12cd34ef' },
              Null: { 'aws:SourceAccount': 'false' },
              Bool: { 'aws:PrincipalIsAWSService': 'true' },
            },
          },
        ],
      },
    });
    t.hasResourceProperties('Custom::AWS', {
      Create: Match.serializedJson(Match.objectLike({
        service: 'Organizations',
        action: 'enablePolicyType',
        region: 'us-east-1',
        parameters: { RootId: 'r-ab12', PolicyType: 'RESOURCE_CONTROL_POLICY' },
        ignoreErrorCodesMatching: 'PolicyTypeAlreadyEnabledException',
      })),
    });
    const policy = Object.values(t.findResources('AWS::Organizations::Policy'))[0] as any;
    expect(policy.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DataPerimeterEnablePolicyType/)]));
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: 'organizations:EnablePolicyType',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':organizations::000000000000:root/o-*/r-ab12']] },
          Condition: { StringEquals: { 'organizations:PolicyType': 'RESOURCE_CONTROL_POLICY' } },
        })],
      },
    });
    expect(p.policyInfo).toEqual([{ name: 'lz-data-perimeter', guardrails: ['IdentityPerimeter'], size: expect.any(Number) }]);
    expect(p.policyInfo[0].size).toBeLessThanOrEqual(5120);
  });

  test('trusted accounts, further services and a resource tag join the one not-equals block of both statements', () => {
    // GIVEN
    const stack = mgmt();
    // WHEN
    rcps(stack, {
      controls: [ResourceControl.identityPerimeter({
        trustedAccounts: ['vendor-build', '888888888801'],
        additionalServices: ['dynamodb'],
        exemptResourceTag: { key: 'dp:exclude:identity', value: 'true' },
      })],
    });
    // THEN
    const content = (Object.values(Template.fromStack(stack).findResources('AWS::Organizations::Policy'))[0] as any).Properties.Content;
    expect(content.Statement[0].Action).toContain('dynamodb:*');
    expect(content.Statement[0].Condition.StringNotEqualsIfExists).toEqual({
      'aws:PrincipalOrgID': 'o-ab12cd34ef', 'aws:PrincipalAccount': ['888888888801', '999999999901'], 'aws:ResourceTag/dp:exclude:identity': 'true',
    });
    expect(content.Statement[1].Condition.StringNotEqualsIfExists).toEqual({
      'aws:SourceOrgID': 'o-ab12cd34ef', 'aws:SourceAccount': ['888888888801', '999999999901'], 'aws:ResourceTag/dp:exclude:identity': 'true',
    });
  });

  test('without enablePolicyType, no custom resource', () => {
    const stack = mgmt();
    rcps(stack, { enablePolicyType: false });
    Template.fromStack(stack).resourceCountIs('Custom::AWS', 0);
  });

  test('packs controls into several policies named <name>, <name>-2 when one does not fit, each within the limit', () => {
    // GIVEN: a limit the identity perimeter alone fills
    const alone = rcps(mgmt()).policyInfo[0].size;
    const stack = mgmt();
    // WHEN
    const p = rcps(stack, { controls: [ResourceControl.identityPerimeter(), denyBucketDeletion()], maxPolicyCharacters: alone });
    // THEN
    expect(p.policyInfo.map((i) => [i.name, i.guardrails])).toEqual([
      ['lz-data-perimeter', ['IdentityPerimeter']], ['lz-data-perimeter-2', ['DenyBucketDeletion']],
    ]);
    for (const policy of Object.values(Template.fromStack(stack).findResources('AWS::Organizations::Policy')) as any[]) {
      expect(JSON.stringify(policy.Properties.Content).length).toBeLessThanOrEqual(alone);
    }
  });

  test('a custom control gets Principal "*" and its statements checked against the RCP syntax', () => {
    // GIVEN
    const stack = mgmt();
    // WHEN
    rcps(stack, { controls: [denyBucketDeletion()] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::Policy', {
      Content: { Statement: [{ Sid: 'DenyBucketDeletion0', Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' }] },
    });
  });

  test('fails when a custom control breaks the RCP syntax, naming each statement and reason', () => {
    const bad = ResourceControl.custom({
      name: 'Bad',
      statements: [
        new iam.PolicyStatement({ effect: iam.Effect.ALLOW, actions: ['s3:GetObject'], resources: ['*'] }),
        new iam.PolicyStatement({ effect: iam.Effect.DENY, notActions: ['s3:GetObject'], resources: ['*'] }),
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['ec2:RunInstances'], resources: ['*'], principals: [new iam.AnyPrincipal()] }),
      ],
    });
    expect(() => rcps(mgmt(), { controls: [bad] })).toThrow(new RegExp([
      'controls\\[0\\].statements\\[0\\]: effect must be Deny',
      'controls\\[0\\].statements\\[1\\]: resource control policies do not support the NotAction element',
      'controls\\[0\\].statements\\[2\\]: leave the principal out',
      'controls\\[0\\].statements\\[2\\]: service \'ec2\' of action \'ec2:RunInstances\' does not support resource control policies',
    ].join('[\\s\\S]*')));
  });

  test('fails when the organization id is unknown or a trusted account is unknown or a member', () => {
    expect(() => rcps(mgmt(), { organization: securityOrganization({ organizationId: null }) }))
      .toThrow(/controls\[0\]\.organization: the organization model has no organizationId/);
    expect(() => rcps(mgmt(), { controls: [ResourceControl.identityPerimeter({ trustedAccounts: ['nobody', 'shop-prod'], additionalServices: ['ec2', 's3'] })] }))
      .toThrow(/4 problems[\s\S]*trustedAccounts\[0\]: account 'nobody' is not defined[\s\S]*trustedAccounts\[1\]: account 'shop-prod' is a member[\s\S]*additionalServices\[0\]: service 'ec2' does not support[\s\S]*additionalServices\[1\]: service 's3' is covered already/);
  });

  test('fails, in one message, on no control, a control twice, a target twice, a bad policy name and an account outside the organization', () => {
    // WHEN
    const all = () => rcps(mgmt(), {
      policyName: 'data perimeter',
      targets: [GuardrailTarget.organizationalUnits(['Workloads']), GuardrailTarget.organizationalUnits(['Workloads']), GuardrailTarget.accounts(['partner-org'])],
      controls: [denyBucketDeletion(), denyBucketDeletion()],
    });
    const none = () => rcps(mgmt(), { controls: [], targets: [] });

    // THEN: the target messages name resource control policies, not the SCP wording they share with GuardrailPolicies
    expect(all).toThrow(new RegExp([
      "policyName: policy name 'data perimeter' must be 1-124 of letters",
      "targets\\[2\\]: account 'partner-org' is outside the organization: resource control policies attach only to member accounts",
      "targets: target 'ou-ab12-workload' is given more than once",
      "controls: control 'DenyBucketDeletion' is given more than once",
      "controls: statement id '[^']+' is used by more than one statement",
    ].join('[\\s\\S]*')));
    expect(none).toThrow(/targets: at least one target is needed, got none[\s\S]*controls: at least one control is needed, got none/);
  });

  test('fails when the policies and those attached outside exceed the per-target RCP quota, counted apart from SCPs', () => {
    expect(() => rcps(mgmt(), { maxPoliciesPerTarget: 1 }))
      .toThrow(/root r-ab12: 1 resource control policies \(lz-data-perimeter\) plus 1 attached outside the library make 2, over the limit of 1 resource control policies per target/);
    expect(() => rcps(mgmt(), { externallyAttachedPolicies: 0 })).toThrow(/RCPFullAWSAccess stays attached/);
    // five SCPs on a target leave the RCP count untouched
    expect(perTargetOverruns([
      { policyType: 'SERVICE_CONTROL_POLICY', targetId: 'r-ab12', description: 'root', policyNames: ['a', 'b', 'c', 'd'], maxPerTarget: 5, external: 1 },
      { policyType: 'RESOURCE_CONTROL_POLICY', targetId: 'r-ab12', description: 'root', policyNames: ['p'], maxPerTarget: 5, external: 1 },
    ])).toEqual([]);
    expect(perTargetOverruns([
      { policyType: 'RESOURCE_CONTROL_POLICY', targetId: 'r-ab12', description: 'root', policyNames: ['p', 'q'], maxPerTarget: 5, external: 1 },
      { policyType: 'RESOURCE_CONTROL_POLICY', targetId: 'r-ab12', description: 'root', policyNames: ['r', 's'], maxPerTarget: 4, external: 2 },
    ])).toEqual([expect.stringMatching(/^root: 4 resource control policies \(p, q, r, s\) plus 2 attached outside the library make 6, over the limit of 4/)]);
  });

  test('fails outside the management account, and warns when a target is the management account', () => {
    const member = new Stack(new App(), 'M', { env: { account: '555555555501', region: 'us-east-1' } });
    expect(() => rcps(member)).toThrow(/scope: resource control policies are managed from the management account 000000000000/);
    const stack = mgmt();
    rcps(stack, { targets: [GuardrailTarget.accounts(['management'])] });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('management account: resource control policies do not affect its resources'));
  });

  test('the supported-service list matches the Service Authorization Reference mirror', () => {
    const file = path.join(__dirname, '..', '..', 'node_modules', '@cloud-copilot', 'iam-data', 'data', 'rcpSupportedServices.json');
    const mirror = JSON.parse(fs.readFileSync(file, 'utf8')) as string[];
    expect([...RCP_SUPPORTED_SERVICES].sort()).toEqual([...mirror].sort());
  });

  test('rcpStatementProblems accepts a well-formed deny and refuses a bare "*" action', () => {
    expect(rcpStatementProblems({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' })).toEqual([]);
    expect(rcpStatementProblems({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }))
      .toEqual(["action \"*\" must be 'service:Action': resource control policies take no bare '*'"]);
    expect(rcpStatementProblems({ Effect: 'Deny', Principal: '*', Action: 's3:*' })).toEqual(['a statement needs Resource or NotResource']);
  });
});
