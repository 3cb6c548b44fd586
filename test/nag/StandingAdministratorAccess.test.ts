import { NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct } from 'constructs';
import { findingsOf, pathsOf, stackIn } from './harness';

const RULE = 'LZ-SSO1';
const ADMIN = 'LZ-SSO1[PermissionSet::Admin]';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const MANAGEMENT = '000000000000';

function assign(scope: Construct, id: string, permissionSetArn: string): sso.CfnAssignment {
  return new sso.CfnAssignment(scope, id, {
    instanceArn: INSTANCE,
    permissionSetArn,
    principalId: '906745d1-3051-70a6-7f5e-2d8f0a1b2c3d',
    principalType: 'GROUP',
    targetId: '555555555501',
    targetType: 'AWS_ACCOUNT',
  });
}

describe('StandingAdministratorAccess (LZ-SSO1)', () => {
  test('Noncompliance 1: an assignment of a permission set with AdministratorAccess', () => {
    // GIVEN
    const { app, stack } = stackIn(MANAGEMENT);
    const ps = new sso.CfnPermissionSet(stack, 'Admin', {
      instanceArn: INSTANCE, name: 'Admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    });
    // WHEN
    assign(stack, 'Standing', ps.attrPermissionSetArn);
    // THEN
    expect(findingsOf(RULE, app)).toEqual([ADMIN]);
    expect(pathsOf(ADMIN, app)).toEqual(['Stack/Standing']);
  });

  test('Noncompliance 2: the permission set lives in another stack (Fn::ImportValue) with a partition-aware ARN', () => {
    // GIVEN
    const { app, stack } = stackIn(MANAGEMENT, 'PermissionSets');
    const ps = new sso.CfnPermissionSet(stack, 'Admin', {
      instanceArn: INSTANCE,
      name: 'Admin',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess').managedPolicyArn],
    });
    const assignments = new Stack(app, 'Assignments', { env: { account: MANAGEMENT, region: 'eu-west-1' } });
    // WHEN
    assign(assignments, 'Standing', ps.attrPermissionSetArn);
    // THEN
    expect(pathsOf(ADMIN, app)).toEqual(['Assignments/Standing']);
  });

  test('Noncompliance 3: an inline policy allowing everything is administrator access too', () => {
    // GIVEN
    const { app, stack } = stackIn(MANAGEMENT);
    const ps = new sso.CfnPermissionSet(stack, 'Everything', {
      instanceArn: INSTANCE,
      name: 'Everything',
      inlinePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    });
    // WHEN
    assign(stack, 'Standing', ps.attrPermissionSetArn);
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-SSO1[PermissionSet::Everything]']);
  });

  test('Noncompliance 4: the assignment sits in a nested stack and gets the ARN as a parameter', () => {
    // GIVEN
    const { app, stack } = stackIn(MANAGEMENT);
    const ps = new sso.CfnPermissionSet(stack, 'Admin', {
      instanceArn: INSTANCE, name: 'Admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    });
    const nested = new NestedStack(stack, 'Assignments');
    // WHEN
    assign(nested, 'Standing', ps.attrPermissionSetArn);
    // THEN
    expect(pathsOf(ADMIN, app)).toEqual(['Stack/Assignments/Standing']);
  });

  test('Compliance', () => {
    // GIVEN
    const { app, stack } = stackIn(MANAGEMENT);
    const readOnly = new sso.CfnPermissionSet(stack, 'ReadOnly', {
      instanceArn: INSTANCE, name: 'ReadOnly', managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    // an admin permission set only the elevated-access workflow assigns, at run time
    new sso.CfnPermissionSet(stack, 'Admin', {
      instanceArn: INSTANCE, name: 'Admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    });
    // WHEN
    assign(stack, 'ReadOnlyAssignment', readOnly.attrPermissionSetArn);
    // THEN
    expect(findingsOf(RULE, app)).toEqual([]);
  });
});
