import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PermissionLevel } from '../src';

describe('PermissionLevel', () => {
  test('presets map to AWS managed policies and a role-name convention', () => {
    expect(PermissionLevel.admin().awsManagedPolicyNames).toEqual(['AdministratorAccess']);
    expect(PermissionLevel.admin().isAdministrator).toBe(true);
    expect(PermissionLevel.readOnly().roleName()).toBe('lz-read-only');
    expect(PermissionLevel.powerAndIam().roleName('vendor')).toBe('vendor-power-and-iam');
    expect(PermissionLevel.powerAndIam().grantsIamWrite).toBe(true);
    expect(PermissionLevel.power().grantsIamWrite).toBe(false);
  });

  test('ssm() grants Session Manager only', () => {
    const stack = new Stack();
    const doc = stack.resolve(PermissionLevel.ssm().inlinePolicy!.toJSON());
    const actions = doc.Statement.flatMap((s: any) => [].concat(s.Action));
    expect(actions).toContain('ssm:StartSession');
    expect(actions.every((a: string) => a.startsWith('ssm:') || a === 'ec2:DescribeInstances')).toBe(true);
    expect(PermissionLevel.ssm().awsManagedPolicyNames).toEqual([]);
  });

  test('ssm() starts sessions only on instances with its tag, configurable, and on the shell document', () => {
    const stack = new Stack();
    const statements = (level: PermissionLevel) => stack.resolve(level.inlinePolicy!.toJSON()).Statement;
    const byDefault = statements(PermissionLevel.ssm());
    expect(byDefault.find((s: any) => s.Sid === 'StartSessionsOnTaggedInstances').Condition).toEqual({ StringEquals: { 'ssm:resourceTag/ssm-session-access': 'true' } });
    expect(byDefault.find((s: any) => s.Sid === 'StartShellSessions').Resource).toBe('arn:*:ssm:*:*:document/SSM-SessionManagerRunShell');
    expect(byDefault.find((s: any) => s.Sid === 'ManageOwnSessions').Condition).toEqual({ StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } });
    const team = statements(PermissionLevel.ssm({ tagKey: 'team', tagValue: 'payments' }));
    expect(team.find((s: any) => s.Sid === 'StartSessionsOnTaggedInstances').Condition).toEqual({ StringEquals: { 'ssm:resourceTag/team': 'payments' } });
    expect(PermissionLevel.ssm().roleName()).toBe('lz-ssm');
  });

  test('fails when the ssm() tag is not a valid tag or is reserved by AWS', () => {
    expect(() => PermissionLevel.ssm({ tagKey: 'bad"key' })).toThrow(/PermissionLevel.ssm: tagKey 'bad"key' must be 1-128 of letters/);
    expect(() => PermissionLevel.ssm({ tagKey: 'aws:ec2' })).toThrow(/tagKey 'aws:ec2' must not start with 'aws:'/);
    expect(() => PermissionLevel.ssm({ tagValue: 'x'.repeat(257) })).toThrow(/tagValue 'x+' must be 0-256/);
  });

  test('custom() carries managed policies and a document', () => {
    const stack = new Stack();
    const level = PermissionLevel.custom({
      name: 'Billing',
      awsManagedPolicyNames: ['job-function/Billing'],
      managedPolicyArns: ['arn:aws:iam::123456789012:policy/extra'],
      policyDocument: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['ce:Get*'], resources: ['*'] })] }),
    });
    const arns = level.managedPolicies(stack).map((p) => stack.resolve(p.managedPolicyArn));
    expect(arns).toHaveLength(2);
    expect(arns[1]).toBe('arn:aws:iam::123456789012:policy/extra');
    expect(level.managedPolicies(stack)).toHaveLength(2); // imported once, reused
  });

  test('fails when a custom level has a bad name or no policies', () => {
    expect(() => PermissionLevel.custom({ name: 'has space' })).toThrow(/name 'has space' must be 1-24[\s\S]*at least one managed policy/);
  });
});
