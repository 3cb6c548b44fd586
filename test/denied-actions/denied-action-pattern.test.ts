// The synthesized pattern of the forwarding rule, evaluated with EventBridge's matching semantics against CloudTrail
// events as EventBridge delivers them ("AWS API Call via CloudTrail"), refused and not.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeniedActionForwarder } from '../../src';
import { matchesPattern } from '../helpers/event-pattern';

function synthesizedPattern(): Record<string, any> {
  const stack = new Stack(new App(), 'Member', { env: { account: '555555555501', region: 'us-east-1' } });
  new DeniedActionForwarder(stack, 'Fwd', { eventBusArn: 'arn:aws:events:us-east-1:222222222202:event-bus/lz-denied-actions' });
  const rule = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'))[0] as any;
  return rule.Properties.EventPattern;
}

/** A CloudTrail record as EventBridge delivers it. */
function cloudTrailEvent(source: string, detail: Record<string, unknown>): Record<string, unknown> {
  return {
    'version': '0',
    'id': '6f7e8d9c-0000-4000-8000-000000000001',
    'detail-type': 'AWS API Call via CloudTrail',
    'source': source,
    'account': '555555555501',
    'time': '2026-03-01T10:00:00Z',
    'region': 'eu-central-1',
    'resources': [],
    'detail': {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::555555555501:assumed-role/lz-read-only/alice',
        accountId: '555555555501',
        sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::555555555501:role/lz-read-only' } },
      },
      eventTime: '2026-03-01T10:00:00Z',
      awsRegion: 'eu-central-1',
      sourceIPAddress: '203.0.113.7',
      recipientAccountId: '555555555501',
      eventType: 'AwsApiCall',
      ...detail,
    },
  };
}

const pattern = synthesizedPattern();

describe('denied-action event pattern', () => {
  test.each([
    ['s3 GetObject refused (AccessDenied)', 'aws.s3', { eventSource: 's3.amazonaws.com', eventName: 'GetObject', errorCode: 'AccessDenied', errorMessage: 'Access Denied', readOnly: true }],
    ['kms Decrypt refused (AccessDeniedException)', 'aws.kms', { eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', errorCode: 'AccessDeniedException' }],
    ['iam ListUsers refused, read-only', 'aws.iam', { eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', errorCode: 'AccessDenied', readOnly: true }],
    ['ec2 RunInstances refused (Client.UnauthorizedOperation)', 'aws.ec2', { eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', errorCode: 'Client.UnauthorizedOperation' }],
    ['ec2 DescribeInstances refused (UnauthorizedOperation)', 'aws.ec2', { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', errorCode: 'UnauthorizedOperation' }],
  ])('matches %s', (_name, source, detail) => {
    expect(matchesPattern(pattern, cloudTrailEvent(source, detail))).toBe(true);
  });

  test.each([
    ['a successful call (no errorCode)', 'aws.s3', { eventSource: 's3.amazonaws.com', eventName: 'GetObject' }],
    ['a throttled call', 'aws.dynamodb', { eventSource: 'dynamodb.amazonaws.com', eventName: 'Query', errorCode: 'ThrottlingException' }],
    ['a call on a missing resource', 'aws.s3', { eventSource: 's3.amazonaws.com', eventName: 'GetObject', errorCode: 'NoSuchKey' }],
    ['an error code that only contains the words', 'aws.sso', { eventSource: 'sso.amazonaws.com', eventName: 'GetRoleCredentials', errorCode: 'UnauthorizedException' }],
    ['an error code in another case', 'aws.s3', { eventSource: 's3.amazonaws.com', eventName: 'GetObject', errorCode: 'accessdenied' }],
  ])('does not match %s', (_name, source, detail) => {
    expect(matchesPattern(pattern, cloudTrailEvent(source, detail))).toBe(false);
  });

  test('does not match a refused call that is not a CloudTrail API call event', () => {
    const event = { ...cloudTrailEvent('aws.signin', { errorCode: 'AccessDenied' }), 'detail-type': 'AWS Console Sign In via CloudTrail' };
    expect(matchesPattern(pattern, event)).toBe(false);
  });
});
