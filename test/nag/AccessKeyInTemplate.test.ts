import * as iam from 'aws-cdk-lib/aws-iam';
import { findingsOf, JUMP, stackIn } from './harness';

const RULE = 'LZ-IAM7';

describe('AccessKeyInTemplate (LZ-IAM7)', () => {
  test('Noncompliance 1: an L2 access key', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.AccessKey(stack, 'Key', { user: new iam.User(stack, 'User') });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM7']);
  });

  test('Noncompliance 2: an L1 access key for a user of another template', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.CfnAccessKey(stack, 'Key', { userName: 'someone', status: 'Inactive' });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM7']);
  });

  test('Compliance', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.User(stack, 'User');
    // THEN
    expect(findingsOf(RULE, app)).toEqual([]);
  });
});
