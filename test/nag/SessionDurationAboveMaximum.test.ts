import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { findingsOf, JUMP, pathsOf, stackIn } from './harness';
import { LandingZoneChecks } from '../../src/nag/pack';

const RULE = 'LZ-IAM4';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';

describe('SessionDurationAboveMaximum (LZ-IAM4)', () => {
  test('Noncompliance 1: a role allowing 12 hours under the default maximum of 1 hour', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal(), maxSessionDuration: Duration.hours(12) });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM4']);
  });

  test('Noncompliance 2: a permission set of 4 hours', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new sso.CfnPermissionSet(stack, 'Ps', { instanceArn: INSTANCE, name: 'Ops', sessionDuration: 'PT4H' });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM4']);
  });

  test('Noncompliance 3: minutes count against a configured maximum of 2 hours', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new sso.CfnPermissionSet(stack, 'Ps', { instanceArn: INSTANCE, name: 'Ops', sessionDuration: 'PT2H1M' });
    // THEN
    expect(findingsOf(RULE, app, { maxSessionDuration: Duration.hours(2) })).toEqual(['LZ-IAM4']);
  });

  test('Noncompliance 4: a duration that is not ISO-8601 is reported, not ignored', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new sso.CfnPermissionSet(stack, 'Ps', { instanceArn: INSTANCE, name: 'Ops', sessionDuration: '4 hours' });
    new sso.CfnPermissionSet(stack, 'Empty', { instanceArn: INSTANCE, name: 'Empty', sessionDuration: 'PT' });
    // THEN
    expect(pathsOf(RULE, app)).toEqual(['Stack/Ps', 'Stack/Empty']);
  });

  test('Compliance', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.Role(stack, 'Default', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new iam.Role(stack, 'FourHours', { assumedBy: new iam.AccountRootPrincipal(), maxSessionDuration: Duration.hours(4) });
    new sso.CfnPermissionSet(stack, 'Default1h', { instanceArn: INSTANCE, name: 'ReadOnly' });
    new sso.CfnPermissionSet(stack, 'Explicit', { instanceArn: INSTANCE, name: 'Ops', sessionDuration: 'PT3H59M' });
    // THEN
    expect(findingsOf(RULE, app, { maxSessionDuration: Duration.hours(4) })).toEqual([]);
  });

  test('fails when the maximum session duration is outside 1-12 hours', () => {
    expect(() => new LandingZoneChecks(undefined, { maxSessionDuration: Duration.hours(24) }))
      .toThrow(/maxSessionDuration: maximum session duration must be between 1 and 12 hours, got 86400 seconds/);
    expect(() => new LandingZoneChecks(undefined, { maxSessionDuration: Duration.minutes(30) }))
      .toThrow(/maxSessionDuration: maximum session duration must be between 1 and 12 hours, got 1800 seconds/);
  });
});
