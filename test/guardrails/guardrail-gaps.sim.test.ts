// Gaps in the guardrail SCPs, each tried with the simulator: the synthesized SCPs of each level (root, OUs, account)
// beside FullAWSAccess, and an administrator identity, so that any denial comes from the guardrails.
import { Template } from 'aws-cdk-lib/assertions';
import { managementStack, testOrganization } from './fixture';
import { Guardrail, GuardrailPolicies, GuardrailTarget } from '../../src';
import { exampleLandingZone } from '../helpers/example';
import { simulate, SimResult } from '../helpers/iam-sim';
import { ADMIN_IDENTITY, scpLevelsForAccount, synthesizedScps } from '../helpers/scp-sim';

const decisions = (results: SimResult[]) => results.map((r) => r.decision);
const denied = (results: SimResult[]) => results.map(() => 'ExplicitlyDenied');
const allowed = (results: SimResult[]) => results.map(() => 'Allowed');

describe('Guardrail.denyIamUsers: the exemption tag cannot be self-granted (simulated)', () => {
  const org = testOrganization();
  const stack = managementStack();
  new GuardrailPolicies(stack, 'Baseline', {
    organization: org,
    targets: [GuardrailTarget.organizationRoot()],
    guardrails: [Guardrail.denyIamUsers({
      adminPrincipalArns: ['arn:aws:iam::*:role/break-glass'],
      exemptPrincipalTag: { key: 'landing-zone:iam-admin', value: 'true' },
    })],
  });
  const scps = synthesizedScps(Template.fromStack(stack).toJSON());
  const ask = (principal: string, action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    simulate({ identityPolicies: [ADMIN_IDENTITY], scpLevels: scpLevelsForAccount(org, 'app-dev', scps) }, { principal, action, resource, context });
  const admin = 'arn:aws:iam::222222222222:role/lz-admin';
  const breakGlass = 'arn:aws:iam::222222222222:role/break-glass';
  const role = 'arn:aws:iam::222222222222:role/ops';
  const tagged = { 'aws:TagKeys': ['landing-zone:iam-admin'], 'aws:RequestTag/landing-zone:iam-admin': 'true' };

  test('escape: create a role that carries the exemption tag, tag an existing one, or put it on a session', async () => {
    const results = await Promise.all([
      ask(admin, 'iam:CreateRole', role, tagged),
      ask(admin, 'iam:TagRole', role, tagged),
      ask(admin, 'iam:TagUser', 'arn:aws:iam::222222222222:user/ops', tagged),
      ask(admin, 'iam:CreateUser', 'arn:aws:iam::222222222222:user/ops', tagged),
      ask(admin, 'sts:TagSession', role, tagged),
    ]);
    expect(decisions(results)).toEqual(denied(results));
  });

  test('escape: remove the exemption tag (e.g. from the break-glass role)', async () => {
    const results = await Promise.all([
      ask(admin, 'iam:UntagRole', breakGlass, { 'aws:TagKeys': ['landing-zone:iam-admin'] }),
      ask(admin, 'iam:UntagUser', 'arn:aws:iam::222222222222:user/ops', { 'aws:TagKeys': ['landing-zone:iam-admin'] }),
    ]);
    expect(decisions(results)).toEqual(denied(results));
  });

  test('control: the exempt administrators grant and remove the tag; others tag with other keys', async () => {
    const results = await Promise.all([
      ask(breakGlass, 'iam:TagRole', role, tagged),
      ask(breakGlass, 'iam:UntagRole', role, { 'aws:TagKeys': ['landing-zone:iam-admin'] }),
      ask(admin, 'iam:TagRole', role, { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'ops' }),
      ask(admin, 'sts:TagSession', role, { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'ops' }),
    ]);
    expect(decisions(results)).toEqual(allowed(results));
  });

  test('control: a principal that carries the tag still creates users', async () => {
    const r = await ask(role, 'iam:CreateUser', 'arn:aws:iam::222222222222:user/bob', { 'aws:PrincipalTag/landing-zone:iam-admin': 'true' });
    expect(r.decision).toBe('Allowed');
  });
});

describe('the example\'s guardrails close the listed gaps (simulated)', () => {
  const ex = exampleLandingZone();
  const org = ex.lz.organization;
  const scps = synthesizedScps(...ex.stacks.map((s) => ex.template(s.stackName).toJSON()));
  const ask = (account: string, principal: string, action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    simulate({ identityPolicies: [ADMIN_IDENTITY], scpLevels: scpLevelsForAccount(org, account, scps) }, { principal, action, resource, context });
  const shopDev = '444444444401';
  const admin = `arn:aws:iam::${shopDev}:role/lz-admin`;
  const deployer = `arn:aws:iam::${shopDev}:role/cdk-hnb659fds-cfn-exec-role-${shopDev}-eu-central-1`;
  const region = { 'aws:RequestedRegion': 'eu-central-1' };

  test('escape: credentials for an IAM user outside the jump account (denyIamUsers)', async () => {
    const user = `arn:aws:iam::${shopDev}:user/legacy-deployer`;
    const results = await Promise.all([
      'iam:UpdateLoginProfile', 'iam:UpdateAccessKey', 'iam:CreateServiceSpecificCredential', 'iam:ResetServiceSpecificCredential',
      'iam:UpdateServiceSpecificCredential', 'iam:UploadSSHPublicKey', 'iam:UpdateSSHPublicKey', 'iam:UploadSigningCertificate',
      'iam:UpdateSigningCertificate', 'iam:CreateAccessKey', 'iam:CreateLoginProfile',
    ].map((a) => ask('shop-dev', admin, a, user)));
    expect(decisions(results)).toEqual(denied(results));
  });

  test('control: the jump account still issues credentials to its users', async () => {
    const jumpDeployer = 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1';
    const results = await Promise.all(['iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:CreateAccessKey', 'iam:UpdateAccessKey']
      .map((a) => ask('jump', jumpDeployer, a, 'arn:aws:iam::111111111111:user/acme-alice')));
    expect(decisions(results)).toEqual(allowed(results));
  });

  const blinding: Array<[string, string]> = [
    ['guardduty:CreateFilter', `arn:aws:guardduty:eu-central-1:${shopDev}:detector/d1/filter/mute`],
    ['guardduty:UpdateFilter', `arn:aws:guardduty:eu-central-1:${shopDev}:detector/d1/filter/mute`],
    ['guardduty:CreateIPSet', '*'],
    ['guardduty:UpdateIPSet', `arn:aws:guardduty:eu-central-1:${shopDev}:detector/d1/ipset/trusted`],
    ['config:PutConfigurationRecorder', '*'],
    ['config:PutDeliveryChannel', '*'],
    ['cloudtrail:DeleteEventDataStore', `arn:aws:cloudtrail:eu-central-1:${shopDev}:eventdatastore/eds1`],
    ['cloudtrail:PutEventSelectors', `arn:aws:cloudtrail:eu-central-1:${shopDev}:trail/org`],
    ['cloudtrail:UpdateTrail', `arn:aws:cloudtrail:eu-central-1:${shopDev}:trail/org`],
    ['access-analyzer:CreateArchiveRule', `arn:aws:access-analyzer:eu-central-1:${shopDev}:analyzer/org/archive-rule/mute`],
    ['securityhub:DisableSecurityHub', `arn:aws:securityhub:eu-central-1:${shopDev}:hub/default`],
  ];
  test.each(blinding)('escape: blind the security team with %s (protectSecurityServices); the deployment role still may', async (action, resource) => {
    expect((await ask('shop-dev', admin, action, resource, region)).decision).toBe('ExplicitlyDenied');
    expect((await ask('shop-dev', deployer, action, resource, region)).decision).toBe('Allowed');
  });

  test('escape: change a landing zone role given a path, or one tagged landing-zone:managed (protectLandingZoneResources)', async () => {
    const results = await Promise.all([
      ask('shop-dev', admin, 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${shopDev}:role/team/lz-admin`),
      ask('shop-dev', admin, 'iam:AttachRolePolicy', `arn:aws:iam::${shopDev}:role/team/lz-admin`),
      ask('shop-dev', admin, 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${shopDev}:role/vendor-ops`, { 'iam:ResourceTag/landing-zone:managed': 'true' }),
      ask('shop-dev', admin, 'iam:UntagRole', `arn:aws:iam::${shopDev}:role/vendor-ops`, { 'aws:TagKeys': ['landing-zone:managed'] }),
    ]);
    expect(decisions(results)).toEqual(denied(results));
    expect((await ask('shop-dev', deployer, 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${shopDev}:role/team/lz-admin`)).decision).toBe('Allowed');
  });

  test('escape: an unbounded principal under the delegated path, which bounded principals may pass and assume', async () => {
    const boundary = { 'iam:PermissionsBoundary': `arn:aws:iam::${shopDev}:policy/lz-permissions-boundary` };
    const results = await Promise.all([
      ask('shop-dev', deployer, 'iam:CreateRole', `arn:aws:iam::${shopDev}:role/delegated/app`),
      ask('shop-dev', admin, 'iam:CreateRole', `arn:aws:iam::${shopDev}:role/delegated/app`, { 'iam:PermissionsBoundary': `arn:aws:iam::${shopDev}:policy/loose` }),
      ask('shop-dev', deployer, 'iam:DeleteRolePermissionsBoundary', `arn:aws:iam::${shopDev}:role/delegated/app`, boundary),
      ask('shop-dev', deployer, 'iam:AttachRolePolicy', `arn:aws:iam::${shopDev}:role/legacy-admin`, { 'iam:PolicyARN': `arn:aws:iam::${shopDev}:policy/delegated/app-access` }),
    ]);
    expect(decisions(results)).toEqual(denied(results));
    const control = await Promise.all([
      ask('shop-dev', deployer, 'iam:CreateRole', `arn:aws:iam::${shopDev}:role/delegated/app`, boundary),
      ask('shop-dev', admin, 'iam:AttachRolePolicy', `arn:aws:iam::${shopDev}:role/delegated/app`, { ...boundary, 'iam:PolicyARN': `arn:aws:iam::${shopDev}:policy/delegated/app-access` }),
      ask('shop-dev', admin, 'iam:CreateRole', `arn:aws:iam::${shopDev}:role/app`),
    ]);
    expect(decisions(control)).toEqual(allowed(control));
  });
});
