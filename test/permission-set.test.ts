import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PermissionLevel, PermissionSet, PermissionSetBoundary, PermissionSetProps } from '../src';
import { simulate } from './helpers/iam-sim';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d';

function build(props: Partial<PermissionSetProps>): { stack: Stack; ps: PermissionSet } {
  const stack = new Stack(new App(), 'Stack');
  const ps = new PermissionSet(stack, 'PS', { instanceArn: INSTANCE, ...props });
  return { stack, ps };
}

describe('PermissionSet', () => {
  test('a preset gets the level\'s name and policies, one hour sessions and the landing zone boundary', () => {
    // GIVEN / WHEN
    const { stack, ps } = build({ permissionLevel: PermissionLevel.powerAndIam() });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSO::PermissionSet', {
      InstanceArn: INSTANCE,
      Name: 'PowerAndIam',
      SessionDuration: 'PT1H',
      ManagedPolicies: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/PowerUserAccess']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/IAMFullAccess']] },
      ],
      PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'lz-permissions-boundary', Path: '/' } },
      Description: PermissionLevel.powerAndIam().description,
    });
    expect(ps.permissionSetName).toBe('PowerAndIam');
    expect(ps.requiredCustomerManagedPolicies).toEqual([{ name: 'lz-permissions-boundary', path: '/' }]);
  });

  test('emits session duration as ISO-8601, relay state, description, customer-managed references and tags', () => {
    // GIVEN / WHEN
    const { stack } = build({
      permissionSetName: 'DataEngineer',
      awsManagedPolicyNames: ['job-function/DataScientist'],
      customerManagedPolicies: [{ name: 'data-lake-access', path: '/lz/' }, { name: 'kms-use' }],
      sessionDuration: Duration.hours(4),
      relayState: 'https://console.aws.amazon.com/athena/home',
      description: 'Data engineering',
      tags: { team: 'data' },
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSO::PermissionSet', {
      Name: 'DataEngineer',
      SessionDuration: 'PT4H',
      RelayStateType: 'https://console.aws.amazon.com/athena/home',
      Description: 'Data engineering',
      CustomerManagedPolicyReferences: [{ Name: 'data-lake-access', Path: '/lz/' }, { Name: 'kms-use', Path: '/' }],
      Tags: [{ Key: 'team', Value: 'data' }],
    });
  });

  test('an AWS managed boundary, or none when loosened explicitly', () => {
    // GIVEN / WHEN
    const aws = build({ permissionLevel: PermissionLevel.readOnly(), permissionsBoundary: PermissionSetBoundary.awsManagedPolicy('ReadOnlyAccess') });
    const none = build({ permissionLevel: PermissionLevel.readOnly(), permissionsBoundary: PermissionSetBoundary.none() });

    // THEN
    Template.fromStack(aws.stack).hasResourceProperties('AWS::SSO::PermissionSet', {
      PermissionsBoundary: { ManagedPolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] } },
    });
    Template.fromStack(none.stack).hasResourceProperties('AWS::SSO::PermissionSet', { PermissionsBoundary: Match.absent() });
    expect(aws.ps.requiredCustomerManagedPolicies).toEqual([]);
  });

  test('warns when more than 10 managed policies need a raised IAM quota', () => {
    // GIVEN / WHEN
    const { stack } = build({ permissionSetName: 'Many', awsManagedPolicyNames: Array.from({ length: 11 }, (_, i) => `Policy${i}`) });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/PS', Match.stringLikeRegexp('11 managed policies exceed IAM\'s default quota of 10'));
  });

  test('the Ssm preset grants Session Manager shells on tagged instances and nothing else (IAM simulator on the synthesized inline policy)', async () => {
    // GIVEN
    const { stack } = build({ permissionLevel: PermissionLevel.ssm() });
    const resource = Object.values(Template.fromStack(stack).findResources('AWS::SSO::PermissionSet'))[0] as any;
    const policy = resource.Properties.InlinePolicy;
    const principal = 'arn:aws:sts::444444444401:assumed-role/AWSReservedSSO_Ssm_0123456789abcdef/alice';

    // WHEN
    const start = await simulate({ identityPolicies: [policy] }, {
      principal,
      action: 'ssm:StartSession',
      resource: 'arn:aws:ec2:eu-west-1:444444444401:instance/i-0123456789abcdef0',
      context: { 'ssm:resourceTag/ssm-session-access': 'true' },
    });
    const untagged = await simulate({ identityPolicies: [policy] }, {
      principal, action: 'ssm:StartSession', resource: 'arn:aws:ec2:eu-west-1:444444444401:instance/i-0123456789abcdef0',
    });
    const sendCommand = await simulate({ identityPolicies: [policy] }, {
      principal, action: 'ssm:SendCommand', resource: 'arn:aws:ec2:eu-west-1:444444444401:instance/i-0123456789abcdef0',
    });
    const otherDocument = await simulate({ identityPolicies: [policy] }, {
      principal, action: 'ssm:StartSession', resource: 'arn:aws:ssm:eu-west-1:444444444401:document/AWS-StartPortForwardingSession',
    });
    const createUser = await simulate({ identityPolicies: [policy] }, {
      principal, action: 'iam:CreateUser', resource: 'arn:aws:iam::444444444401:user/mallory',
    });

    // THEN
    expect(start.allowed).toBe(true);
    expect(untagged.decision).toBe('ImplicitlyDenied');
    expect(sendCommand.decision).toBe('ImplicitlyDenied');
    expect(otherDocument.decision).toBe('ImplicitlyDenied');
    expect(createUser.decision).toBe('ImplicitlyDenied');
  });

  test('merges the level\'s inline policy with an explicit one', () => {
    // GIVEN / WHEN
    const { stack } = build({
      permissionLevel: PermissionLevel.ssm(),
      inlinePolicy: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ sid: 'Logs', actions: ['logs:GetLogEvents'], resources: ['*'] })] }),
    });

    // THEN
    const resource = Object.values(Template.fromStack(stack).findResources('AWS::SSO::PermissionSet'))[0] as any;
    expect(resource.Properties.InlinePolicy.Statement.map((s: any) => s.Sid)).toEqual(['StartSessionsOnTaggedInstances', 'StartShellSessions', 'ManageOwnSessions', 'DescribeTargets', 'Logs']);
  });

  test('fromPermissionSetAttributes refers to an existing permission set', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack');

    // WHEN
    const ps = PermissionSet.fromPermissionSetAttributes(stack, 'Existing', {
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-72230f3a2b8c1e9d/ps-0123456789abcdef',
      permissionSetName: 'Legacy',
      instanceArn: INSTANCE,
    });

    // THEN
    expect(ps.permissionSetName).toBe('Legacy');
    expect(ps.sessionDuration.toHours()).toBe(1);
  });

  describe('validation', () => {
    test('fails when the name is longer than 32 characters', () => {
      expect(() => build({ permissionLevel: PermissionLevel.admin(), permissionSetName: 'A'.repeat(33) }))
        .toThrow(/Stack\/PS: 1 problem:\n {2}- permissionSetName: permission set name 'A{33}' must be 1-32 of letters, digits and \+=,\.@_-, got 33 characters/);
    });

    test('fails when the name has characters outside [\\w+=,.@-]', () => {
      expect(() => build({ permissionLevel: PermissionLevel.admin(), permissionSetName: 'Read Only' }))
        .toThrow(/permissionSetName: permission set name 'Read Only' must be 1-32/);
    });

    test('fails when the inline policy exceeds 10,240 characters', () => {
      const big = new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::bucket-with-a-long-name-${i}/*`) })],
      });
      expect(() => build({ inlinePolicy: big })).toThrow(/inlinePolicy: inline policy is \d{5} characters, more than the 10240 a permission set allows/);
    });

    test('fails when the inline policy names a principal', () => {
      const doc = new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'], principals: [new iam.AnyPrincipal()] })] });
      expect(() => build({ inlinePolicy: doc })).toThrow(/inlinePolicy: .*principal/i);
    });

    test('fails when more than 20 managed and customer-managed policies are attached', () => {
      expect(() => build({
        awsManagedPolicyNames: Array.from({ length: 15 }, (_, i) => `Policy${i}`),
        customerManagedPolicies: Array.from({ length: 6 }, (_, i) => ({ name: `cm-${i}` })),
      })).toThrow(/customerManagedPolicies: a permission set takes at most 20 managed and customer-managed policies together, got 21/);
    });

    test('fails when a policy is listed twice', () => {
      expect(() => build({ permissionLevel: PermissionLevel.readOnly(), awsManagedPolicyNames: ['ReadOnlyAccess'], customerManagedPolicies: [{ name: 'a' }, { name: 'a', path: '/' }] }))
        .toThrow(/awsManagedPolicyNames: aws managed policy 'ReadOnlyAccess' is listed twice[\s\S]*customerManagedPolicies: customer-managed policy '\/a' is listed twice/);
    });

    test('fails when the session is shorter than 1 hour or longer than 12 hours', () => {
      expect(() => build({ permissionLevel: PermissionLevel.admin(), sessionDuration: Duration.minutes(30) }))
        .toThrow(/sessionDuration: session duration 30 minutes must be between 1 and 12 hours/);
      expect(() => build({ permissionLevel: PermissionLevel.admin(), sessionDuration: Duration.hours(13) }))
        .toThrow(/sessionDuration: session duration 13 hours must be between 1 and 12 hours/);
    });

    test('fails when the relay state is longer than 240 characters', () => {
      expect(() => build({ permissionLevel: PermissionLevel.admin(), relayState: `https://x/${'a'.repeat(240)}` }))
        .toThrow(/relayState: relay state must be 1-240 characters, got 250/);
    });

    test('fails when the relay state is not an https:// url', () => {
      for (const bad of ['console.aws.amazon.com/ec2/home', 'http://console.aws.amazon.com/ec2/home', 'https://console.aws.amazon.com/<ec2>']) {
        expect(() => build({ permissionLevel: PermissionLevel.admin(), relayState: bad }))
          .toThrow(new RegExp(`relayState: relay state '${bad.replace(/[.?]/g, '\\$&')}' must be an https:// url of the page users land on after sign-in`));
      }
      expect(() => build({ permissionLevel: PermissionLevel.admin(), relayState: 'https://console.aws.amazon.com/s3/buckets?region=eu-west-1' })).not.toThrow();
    });

    test('fails when the permission set name is an unresolved token', () => {
      const stack = new Stack(new App(), 'Stack');
      const name = new CfnParameter(stack, 'Name').valueAsString;
      expect(() => new PermissionSet(stack, 'PS', { instanceArn: INSTANCE, permissionSetName: name, permissionLevel: PermissionLevel.admin() }))
        .toThrow(/Stack\/PS: 1 problem:\n {2}- permissionSetName: permission set name '\$\{Token\[.*\]\}' is an unresolved token, but the library needs the literal name to check its limits and uniqueness and to name constructs after it: pass a plain string/);
    });

    test('fails when the description is longer than 700 characters', () => {
      expect(() => build({ permissionLevel: PermissionLevel.admin(), description: 'd'.repeat(701) }))
        .toThrow(/description: description must be 1-700 characters, got 701/);
    });

    test('fails when a customer-managed reference or boundary has an invalid name or path', () => {
      expect(() => build({
        permissionLevel: PermissionLevel.admin(),
        customerManagedPolicies: [{ name: 'bad name', path: 'no-slashes' }],
        permissionsBoundary: PermissionSetBoundary.customerManagedPolicy({ name: 'b'.repeat(129) }),
      })).toThrow(/customerManagedPolicies\[0\]\.name: policy name 'bad name' may contain only[\s\S]*customerManagedPolicies\[0\]\.path: path 'no-slashes' must start and end with '\/'[\s\S]*permissionsBoundary\.name: policy name 'b{129}' must be 1-128 characters/);
    });

    test('fails when a custom level brings a customer-managed policy ARN, which permission sets cannot take', () => {
      const level = PermissionLevel.custom({ name: 'Billing', managedPolicyArns: ['arn:aws:iam::444444444401:policy/billing'] });
      expect(() => build({ permissionLevel: level }))
        .toThrow(/permissionLevel\.managedPolicyArns\[0\]: 'arn:aws:iam::444444444401:policy\/billing' is not an aws managed policy arn/);
    });

    test('fails when the instance arn is malformed', () => {
      expect(() => build({ permissionLevel: PermissionLevel.admin(), instanceArn: 'arn:aws:sso:::instance/nope' }))
        .toThrow(/instanceArn: instance arn 'arn:aws:sso:::instance\/nope' must look like/);
    });

    test('fails when the permission set grants nothing', () => {
      expect(() => build({ permissionSetName: 'Empty' })).toThrow(/permissionLevel: the permission set grants nothing/);
    });

    test('fails when neither a name nor a level is given', () => {
      expect(() => build({ awsManagedPolicyNames: ['ReadOnlyAccess'] })).toThrow(/permissionSetName: a permission set without a permissionLevel needs a permissionSetName/);
    });

    test('fails when a tag key is reserved or a value too long', () => {
      expect(() => build({ permissionLevel: PermissionLevel.admin(), tags: { 'aws:owner': 'x', 'team': 'v'.repeat(257) } }))
        .toThrow(/tags\.aws:owner: tag key 'aws:owner' must be 1-128 characters and not start with 'aws:'[\s\S]*tags\.team: tag value must be at most 256 characters, got 257/);
    });

    test('reports every problem at once', () => {
      expect(() => build({ permissionSetName: 'Bad Name', sessionDuration: Duration.hours(24), description: '' }))
        .toThrow(/Stack\/PS: 4 problems:/);
    });
  });
});
