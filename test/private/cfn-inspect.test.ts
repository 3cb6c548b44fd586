import { deniesRootUser, enforcesMfa, flatten, principalFacts, requiresMfa, SELF_ACCOUNT } from '../../src/private/cfn-inspect';

describe('cfn-inspect', () => {
  test('flatten joins literals and pseudo parameters, and refuses anything else', () => {
    expect(flatten({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] })).toBe('arn:aws:iam::111111111111:root');
    expect(flatten({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' })).toBe(`arn:aws:iam::${SELF_ACCOUNT}:root`);
    expect(flatten({ 'Fn::Sub': 'arn:aws:iam::${Param}:root' })).toBeUndefined();
    expect(flatten({ 'Fn::ImportValue': 'x' })).toBeUndefined();
  });

  test('principalFacts tells own account, other accounts, whole accounts and any', () => {
    expect(principalFacts('*', '111111111111')).toMatchObject({ kind: 'any', wholeAccount: true });
    expect(principalFacts('111111111111', '111111111111')).toMatchObject({ kind: 'self', wholeAccount: true });
    expect(principalFacts('arn:aws:iam::222222222222:role/x', '111111111111')).toMatchObject({ kind: 'account', account: '222222222222', wholeAccount: false });
    expect(principalFacts('arn:aws:iam::222222222222:root', undefined)).toMatchObject({ kind: 'account', wholeAccount: true });
    expect(principalFacts({ 'Fn::GetAtt': ['Role', 'Arn'] }, undefined, () => true)).toMatchObject({ kind: 'self' });
    expect(principalFacts({ 'Fn::ImportValue': 'x' }, undefined)).toMatchObject({ kind: 'unknown' });
  });

  test('requiresMfa accepts Bool true and an age bound, not BoolIfExists', () => {
    expect(requiresMfa({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })).toBe(true);
    expect(requiresMfa({ Condition: { Bool: { 'aws:multifactorauthpresent': true } } })).toBe(true);
    expect(requiresMfa({ Condition: { NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' } } })).toBe(true);
    expect(requiresMfa({ Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } } })).toBe(false);
    expect(requiresMfa({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })).toBe(false);
    expect(requiresMfa({})).toBe(false);
  });

  test('enforcesMfa needs the deny to cover everything but self-service, under BoolIfExists false alone', () => {
    const deny = (extra: Record<string, unknown> = {}) => ({
      Statement: [{
        Effect: 'Deny',
        NotAction: ['iam:EnableMFADevice', 'sts:GetSessionToken'],
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        ...extra,
      }],
    });
    expect(enforcesMfa(deny())).toBe(true);
    expect(enforcesMfa(JSON.stringify(deny()))).toBe(true);
    expect(enforcesMfa(deny({ NotAction: ['iam:*'] }))).toBe(false);
    expect(enforcesMfa(deny({ Resource: 'arn:aws:s3:::bucket' }))).toBe(false);
    expect(enforcesMfa(deny({ Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }))).toBe(false);
  });

  test('deniesRootUser needs a deny of everything conditioned on the root principal', () => {
    const scp = (stmt: Record<string, unknown>) => ({
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } }, ...stmt }],
    });
    expect(deniesRootUser(scp({}))).toBe(true);
    expect(deniesRootUser(scp({ Condition: { StringLike: { 'aws:PrincipalArn': ['arn:*:iam::*:root'] } } }))).toBe(true);
    expect(deniesRootUser(scp({ Action: 's3:*' }))).toBe(false);
    expect(deniesRootUser(scp({ Effect: 'Allow' }))).toBe(false);
    expect(deniesRootUser(scp({ Condition: {} }))).toBe(false);
  });
});
