import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LandingZoneBoundary, LandingZoneBoundaryProps } from '../src';
import { simulate, TemplatePolicies } from './helpers/iam-sim';

const ACCOUNT = '444444444401';

function make(props?: LandingZoneBoundaryProps) {
  const app = new App();
  const stack = new Stack(app, 'Target', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const boundary = new LandingZoneBoundary(stack, 'Boundary', props);
  return { app, stack, boundary };
}

describe('LandingZoneBoundary', () => {
  test('creates the customer-managed policy lz-permissions-boundary: allow everything, then deny', () => {
    // WHEN
    const { stack } = make();

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'lz-permissions-boundary',
      PolicyDocument: {
        Statement: [
          { Sid: 'AllowAllWithinBoundary', Effect: 'Allow', Action: '*', Resource: '*' },
          Match.objectLike({
            Sid: 'DenyPrincipalsWithoutThisBoundary',
            Effect: 'Deny',
            Action: Match.arrayWith(['iam:CreateRole', 'iam:CreateUser', 'iam:PutRolePermissionsBoundary', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole']),
            Condition: { StringNotEquals: { 'iam:PermissionsBoundary': Match.anyValue() } },
          }),
          Match.objectLike({ Sid: 'DenyBoundaryRemoval', Effect: 'Deny', Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'] }),
          Match.objectLike({
            Sid: 'DenyOutsideDelegatedPath',
            Effect: 'Deny',
            Action: Match.arrayWith(['sts:AssumeRole', 'iam:PassRole', 'iam:UpdateLoginProfile', 'iam:CreatePolicyVersion']),
            NotResource: ['arn:*:iam::*:role/delegated/*', 'arn:*:iam::*:user/delegated/*', 'arn:*:iam::*:policy/delegated/*'],
          }),
          Match.objectLike({ Sid: 'DenyGroupsProvidersAndRoot', Action: Match.arrayWith(['iam:AttachGroupPolicy', 'iam:UpdateSAMLProvider', 'sts:AssumeRoot']) }),
          Match.objectLike({ Sid: 'DenyLandingZoneTags', Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'landing-zone:*' } } }),
          Match.objectLike({ Sid: 'DenyBoundaryPolicyChanges', Effect: 'Deny', Action: Match.arrayWith(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion']) }),
          Match.objectLike({
            Sid: 'DenyLandingZoneRoles',
            Effect: 'Deny',
            Action: Match.arrayWith(['iam:PassRole', 'sts:*']),
            Resource: Match.arrayWith(['arn:*:iam::*:role/lz-*', 'arn:*:iam::*:role/*/lz-*', 'arn:*:iam::*:role/landing-zone/*', 'arn:*:iam::*:role/cdk-*-cfn-exec-role-*']),
          }),
          Match.objectLike({ Sid: 'DenyLandingZonePrincipals', Condition: { StringEquals: { 'iam:ResourceTag/landing-zone:managed': 'true' } } }),
          Match.objectLike({
            Sid: 'DenyLandingZoneResources',
            Effect: 'Deny',
            NotAction: Match.arrayWith(['lambda:Get*', 'dynamodb:Query', 'sso:List*']),
            Resource: Match.arrayWith(['arn:*:lambda:*:*:function:lz-*', 'arn:*:dynamodb:*:*:table/lz-*', 'arn:*:sso:::*']),
            Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:*:iam::*:role/landing-zone/*' } },
          }),
          Match.objectLike({
            Sid: 'DenyLandingZoneTaggedResources',
            Action: Match.arrayWith(['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'apigateway:PATCH']),
            Condition: { StringEquals: { 'aws:ResourceTag/landing-zone:managed': 'true' } },
          }),
        ],
      },
    });
  });

  test('ofStack creates one boundary per stack and returns it afterwards', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const a = LandingZoneBoundary.ofStack(stack);
    const b = LandingZoneBoundary.ofStack(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }));
    expect(a).toBe(b);
    expect(LandingZoneBoundary.isLandingZoneBoundary(a)).toBe(true);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 1);
  });

  test('ofStack finds a boundary created explicitly', () => {
    const { stack, boundary } = make();
    expect(LandingZoneBoundary.ofStack(stack)).toBe(boundary);
  });

  test('arnForAccount and fromAccount name the same policy in another account', () => {
    const stack = new Stack(undefined, 'S', { env: { account: ACCOUNT } });
    expect(stack.resolve(LandingZoneBoundary.arnForAccount('555555555501'))).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::555555555501:policy/lz-permissions-boundary']],
    });
    const imported = LandingZoneBoundary.fromAccount(stack, 'B', '555555555501');
    expect(stack.resolve(imported.managedPolicyArn)).toEqual(stack.resolve(LandingZoneBoundary.arnForAccount('555555555501')));
  });

  test('additional deny statements and protected role patterns are added', async () => {
    // WHEN
    const { stack, boundary } = make({
      additionalDenyStatements: [new iam.PolicyStatement({ sid: 'NoRedshift', effect: iam.Effect.DENY, actions: ['redshift:*'], resources: ['*'] })],
      protectedRoleNamePatterns: ['platform-*'],
    });

    // THEN
    const doc = stack.resolve(boundary.document.toJSON());
    expect(doc.Statement.map((s: any) => s.Sid)).toContain('NoRedshift');
    expect(JSON.stringify(doc)).toMatch(/role\/platform-\*/);
  });

  test('(simulated) protectDeploymentRoles: false opens the cdk bootstrap roles, never the execution roles or landing zone roles, and warns', async () => {
    // GIVEN
    const simulateWith = (props?: LandingZoneBoundaryProps) => {
      const { stack } = make(props);
      const doc = new TemplatePolicies(Template.fromStack(stack).toJSON(), { accountId: ACCOUNT }).managedPolicy('lz-permissions-boundary').policy;
      const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
      return {
        stack,
        ask: (action: string, role: string) => simulate({ identityPolicies: [admin], boundary: doc },
          { principal: `arn:aws:iam::${ACCOUNT}:role/developer`, action, resource: `arn:aws:iam::${ACCOUNT}:role/${role}` }),
      };
    };
    const strict = simulateWith();
    const open = simulateWith({ protectDeploymentRoles: false });
    const deployRole = `cdk-hnb659fds-deploy-role-${ACCOUNT}-eu-west-1`;
    const execRole = `cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-eu-west-1`;

    // THEN
    expect((await strict.ask('sts:AssumeRole', deployRole)).decision).toBe('ExplicitlyDenied');
    expect((await open.ask('sts:AssumeRole', deployRole)).decision).toBe('Allowed');
    expect((await open.ask('sts:AssumeRole', execRole)).decision).toBe('ExplicitlyDenied');
    expect((await open.ask('iam:PassRole', execRole)).decision).toBe('ExplicitlyDenied');
    expect((await open.ask('sts:AssumeRole', 'lz-admin')).decision).toBe('ExplicitlyDenied');
    expect((await open.ask('sts:AssumeRole', 'legacy-admin')).decision).toBe('ExplicitlyDenied');
    Annotations.fromStack(open.stack).hasWarning('/Target/Boundary', Match.stringLikeRegexp('protectDeploymentRoles is false'));
    Annotations.fromStack(strict.stack).hasNoWarning('*', Match.anyValue());
  });

  test('(simulated) protected role name patterns hold at any path', async () => {
    const { stack } = make({ protectedRoleNamePatterns: ['platform-*'] });
    const doc = new TemplatePolicies(Template.fromStack(stack).toJSON(), { accountId: ACCOUNT }).managedPolicy('lz-permissions-boundary').policy;
    const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const ask = (role: string) => simulate({ identityPolicies: [admin], boundary: doc }, {
      principal: `arn:aws:iam::${ACCOUNT}:role/developer`,
      action: 'iam:PutRolePolicy',
      resource: `arn:aws:iam::${ACCOUNT}:role/${role}`,
      context: { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/lz-permissions-boundary` },
    });
    expect((await ask('platform-ci')).reason).toMatch(/DenyLandingZoneRoles/);
    expect((await ask('delegated/platform-ci')).reason).toMatch(/DenyLandingZoneRoles/);
    expect((await ask('delegated/app')).decision).toBe('Allowed');
  });

  test('the boundary stays under 6,144 characters with its own statements, leaving room for additional denies', () => {
    const { stack, boundary } = make();
    const json = JSON.stringify(stack.resolve(boundary.document.toJSON()));
    expect(json.length).toBeLessThan(5600);
  });

  test('(simulated) as a boundary it lets through what the identity policy grants, except what it denies', async () => {
    // GIVEN
    const { stack } = make();
    const doc = new TemplatePolicies(Template.fromStack(stack).toJSON(), { accountId: ACCOUNT }).managedPolicy('lz-permissions-boundary').policy;
    const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const principal = `arn:aws:iam::${ACCOUNT}:role/app`;

    // WHEN
    const ec2 = await simulate({ identityPolicies: [admin], boundary: doc },
      { principal, action: 'ec2:RunInstances', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1` });
    const detach = await simulate({ identityPolicies: [admin], boundary: doc },
      { principal, action: 'iam:DeleteRolePermissionsBoundary', resource: principal });
    const nothingGranted = await simulate({ identityPolicies: [], boundary: doc },
      { principal, action: 'ec2:RunInstances', resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1` });

    // THEN
    expect(ec2.decision).toBe('Allowed');
    expect(detach.decision).toBe('ExplicitlyDenied');
    expect(nothingGranted.decision).toBe('ImplicitlyDenied');
  });

  describe('validation', () => {
    test('fails when a stack gets a second boundary', () => {
      const { stack } = make();
      expect(() => new LandingZoneBoundary(stack, 'Second'))
        .toThrow(/Target\/Second: 1 problem:\n {2}- id: stack already has a landing zone boundary at 'Target\/Boundary': the policy name 'lz-permissions-boundary' is fixed/);
    });

    test('fails when an additional statement is an Allow', () => {
      expect(() => make({ additionalDenyStatements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] })] }))
        .toThrow(/additionalDenyStatements\[0\]: effect must be Deny, got Allow: the boundary allows everything it does not deny/);
    });

    test('fails when a protected role pattern is invalid or matches every role', () => {
      expect(() => make({ protectedRoleNamePatterns: ['*'] })).toThrow(/protectedRoleNamePatterns\[0\]: pattern '\*' must be 1-64 of/);
      expect(() => make({ protectedRoleNamePatterns: ['a/b'] })).toThrow(/protectedRoleNamePatterns\[0\]: pattern 'a\/b'/);
    });

    test('fails when the boundary document is longer than 6,144 characters', () => {
      const many = Array.from({ length: 80 }, (_, i) => new iam.PolicyStatement({
        effect: iam.Effect.DENY, actions: [`service${i}:SomeLongActionName*`], resources: [`arn:aws:s3:::bucket-${i}-long-name/*`],
      }));
      const { app } = make({ additionalDenyStatements: many });
      expect(() => app.synth()).toThrow(/\[Target\/Boundary\] additionalDenyStatements: boundary document is \d+ characters, more than the 6144 iam allows for a managed policy/);
    });
  });
});
