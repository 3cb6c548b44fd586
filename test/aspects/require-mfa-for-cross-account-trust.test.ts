import { App, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RequireMfaForCrossAccountTrust } from '../../src/aspects/require-mfa-for-cross-account-trust';
import { LandingZoneChecks } from '../../src/nag/pack';
import { simulate, TemplatePolicies, withMfa } from '../helpers/iam-sim';

const ACCOUNT = '555555555501';
const JUMP = '111111111111';
const MFA = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
const jumpRoot = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${JUMP}:root`]] };

function stack(): Stack {
  return new Stack(new App(), 'Workload', { env: { account: ACCOUNT, region: 'eu-west-1' } });
}

function trustOf(s: Stack, logicalIdPrefix: string): any {
  const roles = Template.fromStack(s).findResources('AWS::IAM::Role');
  const id = Object.keys(roles).find((k) => k.startsWith(logicalIdPrefix))!;
  return roles[id].Properties.AssumeRolePolicyDocument;
}

describe('RequireMfaForCrossAccountTrust', () => {
  test('adds the MFA condition to an L2 role trusting another account', () => {
    // GIVEN
    const s = stack();
    new iam.Role(s, 'Admin', { assumedBy: new iam.AccountPrincipal(JUMP) });
    // WHEN
    Aspects.of(s).add(new RequireMfaForCrossAccountTrust());
    // THEN
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: jumpRoot }, Condition: MFA }],
      },
    });
  });

  test('works on a raw CfnResource whose trust policy is a JSON string, keeping existing conditions', () => {
    // GIVEN
    const s = stack();
    new CfnResource(s, 'Raw', {
      type: 'AWS::IAM::Role',
      properties: {
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Sid: 'Jump',
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: `arn:aws:iam::${JUMP}:role/lz-admin` },
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
          }],
        }),
      },
    });
    // WHEN
    Aspects.of(s).add(new RequireMfaForCrossAccountTrust());
    // THEN
    expect(trustOf(s, 'Raw')).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'JumpRequireMfa',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: `arn:aws:iam::${JUMP}:role/lz-admin` },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' }, ...MFA },
      }],
    });
  });

  test('splits a statement so service and same-account principals stay without MFA', () => {
    // GIVEN
    const s = stack();
    new iam.CfnRole(s, 'Mixed', {
      assumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: {
            Service: 'lambda.amazonaws.com',
            AWS: [`arn:aws:iam::${ACCOUNT}:role/local`, `arn:aws:iam::${JUMP}:role/lz-admin`],
          },
        }],
      },
    });
    // WHEN
    Aspects.of(s).add(new RequireMfaForCrossAccountTrust());
    // THEN
    expect(trustOf(s, 'Mixed').Statement).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com', AWS: `arn:aws:iam::${ACCOUNT}:role/local` } },
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${JUMP}:role/lz-admin` }, Condition: MFA },
    ]);
  });

  test('leaves service, same-account, federated, already-MFA and exempt trusts unchanged', () => {
    // GIVEN
    const s = stack();
    new iam.Role(s, 'Service', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new iam.Role(s, 'Same', { assumedBy: new iam.AccountRootPrincipal() });
    new iam.Role(s, 'Saml', { assumedBy: new iam.SamlConsolePrincipal(iam.SamlProvider.fromSamlProviderArn(s, 'Idp', `arn:aws:iam::${ACCOUNT}:saml-provider/okta`)) });
    new iam.Role(s, 'Aged', { assumedBy: new iam.AccountPrincipal(JUMP).withConditions({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }) });
    new iam.Role(s, 'Vendor', { assumedBy: new iam.AccountPrincipal('888888888801').withConditions({ StringEquals: { 'sts:ExternalId': 'x-123' } }) });
    // WHEN
    Aspects.of(s).add(new RequireMfaForCrossAccountTrust({ exemptAccounts: ['888888888801'] }));
    // THEN
    const roles = Template.fromStack(s).findResources('AWS::IAM::Role');
    for (const role of Object.values(roles)) {
      for (const st of role.Properties.AssumeRolePolicyDocument.Statement) {
        expect(st.Condition?.Bool).toBeUndefined();
      }
    }
    expect(Object.keys(roles)).toHaveLength(5);
  });

  test('fails when an exempt account id is not 12 digits', () => {
    expect(() => new RequireMfaForCrossAccountTrust({ exemptAccounts: ['888888888801', '1234'] }))
      .toThrow(/RequireMfaForCrossAccountTrust: 1 problem:\n {2}- exemptAccounts\[1\]: account id '1234' must be 12 digits/);
  });

  test('reports an error instead of guessing when the trust policy is patched by a partial override', () => {
    // GIVEN
    const s = stack();
    const role = new iam.Role(s, 'Patched', { assumedBy: new iam.AccountPrincipal(JUMP) });
    (role.node.defaultChild as iam.CfnRole).addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Sid', 'Patched');
    // WHEN
    Aspects.of(s).add(new RequireMfaForCrossAccountTrust());
    // THEN
    Annotations.fromStack(s).hasError('/Workload/Patched/Resource', Match.stringLikeRegexp('AssumeRolePolicyDocument: cannot add the MFA condition to a trust policy patched by a partial raw override'));
  });

  test('after the aspect, the pack finds no cross-account trust without MFA', () => {
    // GIVEN
    const s = stack();
    new iam.Role(s, 'Admin', { assumedBy: new iam.AccountPrincipal(JUMP) });
    Aspects.of(s).add(new RequireMfaForCrossAccountTrust());
    // WHEN
    const app = s.node.root as App;
    app.synth();
    const violations = new LandingZoneChecks(app, { jumpAccountId: JUMP }).validateScope(app).violations.map((v) => v.ruleName);
    // THEN
    expect(violations.filter((v) => v.startsWith('LZ-IAM1'))).toEqual([]);
  });

  // Semantics: a caller of the jump account without MFA may assume the third-party role before the aspect runs,
  // and is refused after it; with MFA it is still allowed.
  test('semantics: a caller without MFA is allowed before the aspect and refused after it', async () => {
    const trust = (withAspect: boolean) => {
      const s = stack();
      new iam.Role(s, 'ThirdParty', { roleName: 'third-party', assumedBy: new iam.AccountPrincipal(JUMP) });
      if (withAspect) Aspects.of(s).add(new RequireMfaForCrossAccountTrust());
      return new TemplatePolicies(Template.fromStack(s).toJSON(), { accountId: ACCOUNT }).forRole('third-party');
    };
    const caller = `arn:aws:iam::${JUMP}:role/lz-admin`;
    const callerPolicy = { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };
    const assume = (role: ReturnType<typeof trust>, context?: Record<string, string>) => simulate(
      { identityPolicies: [callerPolicy], resourcePolicy: role.trustPolicy },
      { principal: caller, action: 'sts:AssumeRole', resource: role.arn, context });

    const before = trust(false);
    const after = trust(true);
    expect((await assume(before)).allowed).toBe(true);
    expect((await assume(after)).allowed).toBe(false);
    expect((await assume(after, { 'aws:MultiFactorAuthPresent': 'false' })).allowed).toBe(false);
    expect((await assume(after, withMfa() as Record<string, string>)).allowed).toBe(true);
  });
});
