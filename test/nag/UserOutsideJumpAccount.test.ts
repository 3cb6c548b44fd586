import * as iam from 'aws-cdk-lib/aws-iam';
import { findingsOf, JUMP, OTHER, stackIn } from './harness';
import { LandingZoneChecks } from '../../src/nag/pack';
import { Organization } from '../../src/organization';

const RULE = 'LZ-IAM5';

function org(jump?: string): Organization {
  return new Organization({
    rootId: 'r-ab12',
    managementAccount: { accountId: '000000000000', name: 'management' },
    jumpAccount: jump ? { accountId: jump, name: 'jump' } : undefined,
    organizationalUnits: [],
    accounts: [{ accountId: OTHER, name: 'app' }],
  });
}

describe('UserOutsideJumpAccount (LZ-IAM5)', () => {
  test('Noncompliance 1: a user in a workload account', () => {
    // GIVEN
    const { app, stack } = stackIn(OTHER);
    // WHEN
    new iam.User(stack, 'User');
    // THEN
    expect(findingsOf(RULE, app, { jumpAccountId: JUMP })).toEqual(['LZ-IAM5']);
  });

  test('Noncompliance 2: a user in an environment-agnostic stack', () => {
    // GIVEN
    const { app, stack } = stackIn(null);
    // WHEN
    new iam.CfnUser(stack, 'User');
    // THEN
    expect(findingsOf(RULE, app, { jumpAccountId: JUMP })).toEqual(['LZ-IAM5']);
  });

  test('Noncompliance 3: no jump account designated at all', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.User(stack, 'User');
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM5']);
    expect(findingsOf(RULE, app, { organization: org() })).toEqual(['LZ-IAM5']);
  });

  test('Compliance', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.User(stack, 'User');
    // THEN
    expect(findingsOf(RULE, app, { jumpAccountId: JUMP })).toEqual([]);
    expect(findingsOf(RULE, app, { organization: org(JUMP) })).toEqual([]);
  });

  test('fails when the jump account id is not 12 digits or contradicts the organization', () => {
    expect(() => new LandingZoneChecks(undefined, { jumpAccountId: '12345' }))
      .toThrow(/LandingZoneChecks: 1 problem:\n {2}- jumpAccountId: account id '12345' must be 12 digits/);
    expect(() => new LandingZoneChecks(undefined, { jumpAccountId: OTHER, organization: org(JUMP) }))
      .toThrow(/jumpAccountId: jump account '222222222222' differs from the organization's jump account '111111111111'/);
  });
});
