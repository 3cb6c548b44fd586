// Escapes from the landing zone boundary, tried by the example's bounded roles in member accounts: the real boundary
// and identity policies of the OU baselines, the real SCPs of the account's OUs beside FullAWSAccess, and probe
// principals that existed in the account before the landing zone (see helpers/probes.ts).
import { Template } from 'aws-cdk-lib/assertions';
import { exampleLandingZone } from './helpers/example';
import { asPrincipal, SimResult, TemplatePolicies } from './helpers/iam-sim';
import { accountProbes, Probe, trustsAccount } from './helpers/probes';
import { scpLevelsForAccount, simOrganization, synthesizedScps } from './helpers/scp-sim';

const ex = exampleLandingZone();
const org = ex.lz.organization;
const scps = synthesizedScps(...ex.stacks.map((s) => ex.template(s.stackName).toJSON()));
const REGION = { 'aws:RequestedRegion': 'eu-central-1' };

/** A bounded role of an OU baseline, deployed in one of the OU's accounts. */
function baselineRole(ouStack: string, accountName: string, roleName: string) {
  const account = org.findAccount(accountName);
  const role = new TemplatePolicies(Template.fromJSON(ex.stackSetBody(ouStack)).toJSON(), { accountId: account.accountId }).forRole(roleName);
  return {
    accountId: account.accountId,
    role,
    ask: asPrincipal({ ...role, scpLevels: scpLevelsForAccount(org, accountName, scps), organization: simOrganization(org) }),
  };
}

const principals = [
  ['lz-power-and-iam in sandbox-alice', baselineRole('Lz-Ou-Sandbox', 'sandbox-alice', 'lz-power-and-iam')],
  ['lz-admin in shop-dev', baselineRole('Lz-Ou-Workloads', 'shop-dev', 'lz-admin')],
] as const;

/** Every request is denied, and the boundary is among the policies that deny it (whatever the SCPs add). */
function expectBoundaryDenies(results: SimResult[]): void {
  expect(results.map((r) => r.reason)).toEqual(results.map(() => expect.stringMatching(/^ExplicitlyDenied by .*pb 'lz-permissions-boundary'/)));
}

describe.each(principals)('boundary escapes tried by %s (simulated with the example OU\'s SCPs)', (_name, p) => {
  const probe = accountProbes(p.accountId);
  const on = (action: string, target: Probe, extra: Record<string, string | string[]> = {}) =>
    p.ask(action, target.arn, { ...target.context, ...extra });

  test('the role carries the landing zone boundary', () => {
    expect(p.role.boundary?.name).toBe('lz-permissions-boundary');
  });

  test('escape: rewrite the trust of an unbounded role (iam:UpdateAssumeRolePolicy, iam:UpdateRole), then assume it', async () => {
    const results = await Promise.all([
      on('iam:UpdateAssumeRolePolicy', probe.legacyAdminRole),
      on('iam:UpdateRole', probe.legacyAdminRole),
      p.ask('sts:AssumeRole', probe.legacyAdminRole.arn, {}, trustsAccount(p.accountId)),
    ]);
    expectBoundaryDenies(results);
  });

  test('escape: assume or pass an unbounded role that trusts the whole account', async () => {
    const results = await Promise.all([
      p.ask('sts:AssumeRole', probe.legacyAdminRole.arn, {}, trustsAccount(p.accountId)),
      on('iam:PassRole', probe.legacyAdminRole, { 'iam:PassedToService': 'lambda.amazonaws.com' }),
      on('iam:PassRole', probe.legacyAdminRole, { 'iam:PassedToService': 'ec2.amazonaws.com' }),
    ]);
    expectBoundaryDenies(results);
  });

  test('escape: a new default version of a customer-managed policy attached to an unbounded role', async () => {
    const results = await Promise.all(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicyVersion']
      .map((a) => on(a, probe.legacyPolicy)));
    expectBoundaryDenies(results);
  });

  test('escape: more permissions for the unbounded users of a group (group policies and membership)', async () => {
    const results = await Promise.all([
      'iam:AttachGroupPolicy', 'iam:PutGroupPolicy', 'iam:DetachGroupPolicy', 'iam:DeleteGroupPolicy',
      'iam:AddUserToGroup', 'iam:RemoveUserFromGroup', 'iam:UpdateGroup',
    ].map((a) => on(a, probe.legacyGroup)));
    expectBoundaryDenies(results);
  });

  test('escape: take over the credentials of an unbounded user', async () => {
    const results = await Promise.all([
      'iam:UpdateLoginProfile', 'iam:CreateLoginProfile', 'iam:UpdateAccessKey', 'iam:CreateAccessKey',
      'iam:CreateServiceSpecificCredential', 'iam:ResetServiceSpecificCredential', 'iam:UploadSSHPublicKey',
      'iam:UploadSigningCertificate', 'iam:EnableMFADevice', 'iam:DeactivateMFADevice', 'iam:UpdateUser',
    ].map((a) => on(a, probe.legacyUser)));
    expectBoundaryDenies(results);
  });

  test('escape: change a landing zone role given a path (role/team/lz-admin)', async () => {
    const results = await Promise.all([
      'iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy',
      'iam:DetachRolePolicy', 'iam:UpdateRole', 'iam:TagRole', 'iam:UntagRole', 'iam:PassRole', 'iam:DeleteRole',
    ].map((a) => on(a, probe.landingZoneRoleWithPath)));
    expectBoundaryDenies(results);
  });

  test('escape: assume the cdk deploy role, pass the CloudFormation execution role, let CloudFormation rewrite the landing zone roles', async () => {
    const results = await Promise.all([
      p.ask('sts:AssumeRole', probe.cdkDeployRole.arn, {}, trustsAccount(p.accountId)),
      on('iam:PassRole', probe.cdkExecutionRole, { 'iam:PassedToService': 'cloudformation.amazonaws.com' }),
      p.ask('sts:AssumeRole', probe.cdkExecutionRole.arn, {}, trustsAccount(p.accountId)),
      p.ask('sts:AssumeRole', probe.organizationAccessRole.arn, {}, trustsAccount(p.accountId)),
      p.ask('sts:AssumeRole', probe.controlTowerRole.arn, {}, trustsAccount(p.accountId)),
      p.ask('sts:AssumeRole', probe.stackSetExecutionRole.arn, {}, trustsAccount(p.accountId)),
    ]);
    expectBoundaryDenies(results);
  });

  test('escape: move an unbounded role into an instance profile an instance of ours uses', async () => {
    // AddRoleToInstanceProfile needs iam:PassRole on the role added (IAM API reference), so the PassRole gate decides
    const results = await Promise.all([
      on('iam:PassRole', probe.legacyAdminRole, { 'iam:PassedToService': 'ec2.amazonaws.com' }),
      on('iam:PassRole', probe.organizationAccessRole, { 'iam:PassedToService': 'ec2.amazonaws.com' }),
    ]);
    expectBoundaryDenies(results);
  });

  test('escape: replace the identity provider that unbounded roles trust', async () => {
    const results = await Promise.all([
      on('iam:UpdateSAMLProvider', probe.samlProvider),
      on('iam:DeleteSAMLProvider', probe.samlProvider),
      on('iam:CreateSAMLProvider', probe.samlProvider),
      on('iam:AddClientIDToOpenIDConnectProvider', probe.oidcProvider),
      on('iam:UpdateOpenIDConnectProviderThumbprint', probe.oidcProvider),
      on('iam:CreateOpenIDConnectProvider', probe.oidcProvider),
    ]);
    expectBoundaryDenies(results);
  });

  test('escape: root credentials of the account (sts:AssumeRoot, the account e-mail address)', async () => {
    const results = await Promise.all([
      p.ask('sts:AssumeRoot', `arn:aws:iam::${p.accountId}:root`),
      p.ask('iam:UpdateAccountEmailAddress', '*'),
      // the primary e-mail address is where the root password is reset
      p.ask('account:StartPrimaryEmailUpdate', `arn:aws:account::000000000000:account/o-ex01example/${p.accountId}`),
      p.ask('account:AcceptPrimaryEmailUpdate', `arn:aws:account::000000000000:account/o-ex01example/${p.accountId}`),
    ]);
    expectBoundaryDenies(results);
  });

  test('escape: set or remove the tags the landing zone relies on (landing-zone:*)', async () => {
    const results = await Promise.all([
      on('iam:TagRole', probe.delegatedRole, { 'aws:TagKeys': ['landing-zone:managed'], 'aws:RequestTag/landing-zone:managed': 'true' }),
      on('iam:UntagRole', probe.landingZoneRole('lz-read-only'), { 'aws:TagKeys': ['landing-zone:managed'] }),
      on('sts:TagSession', probe.delegatedRole, { 'aws:TagKeys': ['landing-zone:managed'], 'aws:RequestTag/landing-zone:managed': 'true' }),
    ]);
    expectBoundaryDenies(results);
  });

  test('escape: remove or replace a boundary, or edit the boundary policy', async () => {
    const results = await Promise.all([
      on('iam:DeleteRolePermissionsBoundary', probe.delegatedRole),
      on('iam:PutRolePermissionsBoundary', probe.delegatedRole, { 'iam:PermissionsBoundary': `arn:aws:iam::${p.accountId}:policy/loose` }),
      on('iam:CreatePolicyVersion', probe.boundaryPolicy),
      on('iam:SetDefaultPolicyVersion', probe.boundaryPolicy),
    ]);
    expectBoundaryDenies(results);
  });

  test('control: it creates a bounded role for its application, gives it policies, passes it to Lambda and assumes it', async () => {
    const role = probe.delegatedRole;
    const results = await Promise.all([
      on('iam:CreateRole', role),
      on('iam:PutRolePolicy', role),
      on('iam:AttachRolePolicy', role, { 'iam:PolicyARN': probe.delegatedPolicy.arn }),
      on('iam:UpdateAssumeRolePolicy', role),
      on('iam:PassRole', role, { 'iam:PassedToService': 'lambda.amazonaws.com' }),
      p.ask('lambda:CreateFunction', `arn:aws:lambda:eu-central-1:${p.accountId}:function:orders`, REGION),
      p.ask('sts:AssumeRole', role.arn, {}, trustsAccount(p.accountId)),
      on('iam:CreatePolicy', probe.delegatedPolicy),
      on('iam:CreatePolicyVersion', probe.delegatedPolicy),
      on('iam:CreateInstanceProfile', probe.delegatedInstanceProfile),
      on('iam:AddRoleToInstanceProfile', probe.delegatedInstanceProfile),
      on('iam:DeleteRole', role),
    ]);
    expect(results.map((r) => `${r.decision}: ${r.reason}`)).toEqual(results.map(() => expect.stringMatching(/^Allowed/)));
  });

  test('control: it tags its own resources', async () => {
    const results = await Promise.all([
      on('iam:TagRole', probe.delegatedRole, { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'orders' }),
      on('iam:TagPolicy', probe.delegatedPolicy, { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'orders' }),
      p.ask('s3:PutBucketTagging', 'arn:aws:s3:::orders-data', { ...REGION, 'aws:TagKeys': ['team'] }),
      p.ask('ec2:CreateTags', `arn:aws:ec2:eu-central-1:${p.accountId}:instance/i-0123456789abcdef0`, { ...REGION, 'aws:TagKeys': ['team'] }),
      p.ask('sts:TagSession', probe.delegatedRole.arn, { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'orders' }, trustsAccount(p.accountId)),
    ]);
    expect(results.map((r) => `${r.decision}: ${r.reason}`)).toEqual(results.map(() => expect.stringMatching(/^Allowed/)));
  });
});
