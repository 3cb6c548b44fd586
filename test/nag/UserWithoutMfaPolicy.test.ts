import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { findingsOf, JUMP, pathsOf, stackIn } from './harness';
import { simulate, TemplatePolicies } from '../helpers/iam-sim';

const RULE = 'LZ-IAM6';

// Deny everything but MFA / password self-service while the caller has not signed in with MFA.
function mfaStatement(overrides: Record<string, unknown> = {}): iam.PolicyStatement {
  return iam.PolicyStatement.fromJson({
    Sid: 'DenyWithoutMfa',
    Effect: 'Deny',
    NotAction: [
      'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice',
      'iam:ChangePassword', 'iam:GetUser', 'sts:GetSessionToken',
    ],
    Resource: '*',
    Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    ...overrides,
  });
}

describe('UserWithoutMfaPolicy (LZ-IAM6)', () => {
  test('Noncompliance 1: a user with no policy at all', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    // WHEN
    new iam.User(stack, 'User');
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM6']);
  });

  test('Noncompliance 2: the deny exempts far more than MFA self-service (iam:*)', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    const group = new iam.Group(stack, 'Group');
    // WHEN
    group.addToPolicy(mfaStatement({ NotAction: ['iam:*', 'sts:GetSessionToken'] }));
    new iam.User(stack, 'User', { groups: [group] });
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM6']);
  });

  test('Noncompliance 3: Bool instead of BoolIfExists lets access-key calls through', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    const user = new iam.User(stack, 'User', { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')] });
    // WHEN
    user.addToPolicy(mfaStatement({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }));
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM6']);
  });

  test('Noncompliance 4: the MFA policy is attached to another user', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    const other = new iam.User(stack, 'Other');
    // WHEN
    new iam.Policy(stack, 'Mfa', { statements: [mfaStatement()], users: [other] });
    new iam.User(stack, 'User');
    // THEN
    expect(findingsOf(RULE, app)).toEqual(['LZ-IAM6']);
  });

  test('Compliance 1: a managed policy on an L2 group', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    const group = new iam.Group(stack, 'Group');
    // WHEN
    group.addManagedPolicy(new iam.ManagedPolicy(stack, 'Mfa', { statements: [mfaStatement()] }));
    new iam.User(stack, 'User', { groups: [group] });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([]);
  });

  test('Compliance 2: an iam.Policy attached to the user, and a managed policy attached to a group by the policy', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    const alice = new iam.User(stack, 'Alice');
    const group = new iam.Group(stack, 'Group');
    // WHEN
    new iam.Policy(stack, 'Mfa', { statements: [mfaStatement()], users: [alice] });
    new iam.ManagedPolicy(stack, 'GroupMfa', { statements: [mfaStatement()], groups: [group] });
    new iam.User(stack, 'Bob', { groups: [group] });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([]);
  });

  test('Compliance 3: raw L1 resources joined by literal names and a UserToGroupAddition', () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    const doc = { Version: '2012-10-17', Statement: [mfaStatement().toStatementJson()] };
    // WHEN
    new iam.CfnGroup(stack, 'Group', { groupName: 'humans', policies: [{ policyName: 'mfa', policyDocument: doc }] });
    new iam.CfnUser(stack, 'Alice', { userName: 'alice', groups: ['humans'] });
    new iam.CfnUser(stack, 'Bob', { userName: 'bob' });
    new iam.CfnUserToGroupAddition(stack, 'BobInHumans', { groupName: 'humans', users: ['bob'] });
    // THEN
    expect(findingsOf(RULE, app)).toEqual([]);
  });

  // Why the rule insists on BoolIfExists: with Bool, a call signed by an access key (no MFA key in the request)
  // is not denied. The IAM simulator evaluates both policies the rule distinguishes.
  test('semantics: the policy the rule accepts denies key-only calls; the one it rejects does not', async () => {
    // GIVEN
    const { app, stack } = stackIn(JUMP);
    const admin = iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess');
    const good = new iam.User(stack, 'Good', { userName: 'good', managedPolicies: [admin] });
    good.addToPolicy(mfaStatement());
    const weak = new iam.User(stack, 'Weak', { userName: 'weak', managedPolicies: [admin] });
    weak.addToPolicy(mfaStatement({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }));
    // WHEN
    const tp = new TemplatePolicies(Template.fromStack(stack).toJSON(), { accountId: JUMP });
    const call = (user: string, context: Record<string, string> = {}) => simulate(
      { identityPolicies: tp.forUser(user).identityPolicies },
      { principal: `arn:aws:iam::${JUMP}:user/${user}`, action: 's3:ListAllMyBuckets', resource: '*', context });
    // THEN
    expect(pathsOf(RULE, app)).toEqual(['Stack/Weak/Resource']);
    expect((await call('good')).decision).toBe('ExplicitlyDenied');
    expect((await call('good', { 'aws:MultiFactorAuthPresent': 'true' })).allowed).toBe(true);
    expect((await call('weak')).allowed).toBe(true);
    const selfService = await simulate({ identityPolicies: tp.forUser('good').identityPolicies }, {
      principal: `arn:aws:iam::${JUMP}:user/good`, action: 'iam:EnableMFADevice', resource: `arn:aws:iam::${JUMP}:user/good`,
    });
    expect(selfService.allowed).toBe(true);
  });
});
