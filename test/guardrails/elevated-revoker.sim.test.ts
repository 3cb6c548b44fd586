// The elevated-access revoker under the example's synthesized root guardrails (protectLandingZoneResources): it may
// write and remove session denies on the lz-elevated-* roles and nothing else, nobody else may, and the SCPs still fit.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ElevatedRoles, JumpAccount, LandingZoneBoundary, PermissionLevel } from '../../src';
import { revokePolicyDocument } from '../../src/elevated-access/handlers/jump-grants';
import { LIMITS } from '../../src/private/limits';
import { exampleLandingZone } from '../helpers/example';
import { simulate, SimResult, TemplatePolicies } from '../helpers/iam-sim';
import { ADMIN_IDENTITY, scpLevelsForAccount, synthesizedScps } from '../helpers/scp-sim';

const SHOP_PROD = '555555555501';
const WORKFLOW_ROLE = 'arn:aws:iam::222222222202:role/landing-zone/lz-access-states-0123abcd';
const role = (name: string) => `arn:aws:iam::${SHOP_PROD}:role/${name}`;
const REVOKER = role('landing-zone/lz-elevated-revoker');
const ELEVATED = role('lz-elevated-power');
const MANAGED = { 'iam:ResourceTag/landing-zone:managed': 'true' };

const ex = exampleLandingZone();
const scps = synthesizedScps(...ex.stacks.map((s) => ex.template(s.stackName).toJSON()));
const levels = scpLevelsForAccount(ex.lz.organization, 'shop-prod', scps);

// the revoker's own identity policy, as ElevatedRoles synthesizes it
const target = new Stack(new App(), 'Target', { env: { account: SHOP_PROD, region: 'eu-central-1' } });
new ElevatedRoles(target, 'Elevated', {
  jumpAccount: JumpAccount.fromAccountId(target, 'Jump', '111111111111'),
  permissionLevels: [PermissionLevel.power()],
  workflowRoleArn: WORKFLOW_ROLE,
  permissionsBoundary: LandingZoneBoundary.fromAccount(target, 'Boundary', SHOP_PROD),
});
const revokerPolicies = new TemplatePolicies(Template.fromStack(target).toJSON(), { accountId: SHOP_PROD }).forRole('lz-elevated-revoker');

const ask = (principal: string, action: string, resource: string, context: Record<string, string> = MANAGED, identity = [ADMIN_IDENTITY]) =>
  simulate({ identityPolicies: identity, scpLevels: levels }, {
    principal,
    action,
    resource,
    context: { 'iam:PolicyDocument': JSON.stringify(revokePolicyDocument('acme-alice', new Date('2026-12-02T11:30:00Z'))), ...context },
  });
const decisions = (rs: SimResult[]) => rs.map((r) => r.decision);

describe('protectLandingZoneResources and the elevated-access revoker (simulated on the example\'s root SCPs)', () => {
  test('the revoker writes and removes a session deny on lz-elevated-power, with its own identity policy', async () => {
    // WHEN
    const results = await Promise.all([
      ask(REVOKER, 'iam:PutRolePolicy', ELEVATED),
      ask(REVOKER, 'iam:DeleteRolePolicy', ELEVATED),
      ask(REVOKER, 'iam:PutRolePolicy', ELEVATED, MANAGED, revokerPolicies.identityPolicies),
      ask(REVOKER, 'iam:DeleteRolePolicy', ELEVATED, MANAGED, revokerPolicies.identityPolicies),
    ]);

    // THEN
    expect(decisions(results)).toEqual(['Allowed', 'Allowed', 'Allowed', 'Allowed']);
  });

  test('attack: a compromised revoker writes on lz-admin, on itself, on an application role, or changes an elevated role otherwise', async () => {
    // WHEN: an administrator's identity policy, so only the SCP can stop it
    const results = await Promise.all([
      ask(REVOKER, 'iam:PutRolePolicy', role('lz-admin')),
      ask(REVOKER, 'iam:DeleteRolePolicy', role('lz-admin')),
      ask(REVOKER, 'iam:PutRolePolicy', REVOKER),
      ask(REVOKER, 'iam:PutRolePolicy', role('app-deployer'), {}),
      ask(REVOKER, 'iam:AttachRolePolicy', ELEVATED, { ...MANAGED, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' }),
      ask(REVOKER, 'iam:UpdateAssumeRolePolicy', ELEVATED),
      ask(REVOKER, 'iam:PutRolePermissionsBoundary', ELEVATED),
      ask(REVOKER, 'iam:CreateRole', role('lz-elevated-admin2')),
      ask(REVOKER, 's3:GetObject', 'arn:aws:s3:::payments-data/cards.csv', {}),
    ]);

    // THEN
    expect(decisions(results)).toEqual(results.map(() => 'ExplicitlyDenied'));
  });

  test('attack: another principal, or a role of the revoker\'s name at another path, writes on an elevated role', async () => {
    // WHEN
    const results = await Promise.all([
      ask(role('lz-admin'), 'iam:PutRolePolicy', ELEVATED),
      ask(role('lz-elevated-revoker'), 'iam:PutRolePolicy', ELEVATED),
      ask(role('team/lz-elevated-revoker'), 'iam:DeleteRolePolicy', ELEVATED),
      ask(role('landing-zone/lz-access-states-0123abcd'), 'iam:PutRolePolicy', ELEVATED),
    ]);

    // THEN
    expect(decisions(results)).toEqual(results.map(() => 'ExplicitlyDenied'));
  });

  test('control: the deployment roles still change every landing zone role', async () => {
    // WHEN
    const deployer = role(`cdk-hnb659fds-cfn-exec-role-${SHOP_PROD}-eu-central-1`);
    const results = await Promise.all([
      ask(deployer, 'iam:PutRolePolicy', role('lz-admin')),
      ask(deployer, 'iam:AttachRolePolicy', ELEVATED, { ...MANAGED, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/PowerUserAccess' }),
      ask(deployer, 'iam:PutRolePolicy', REVOKER),
    ]);

    // THEN
    expect(decisions(results)).toEqual(['Allowed', 'Allowed', 'Allowed']);
  });

  test('the example\'s root SCPs with the revoker statements stay within the SCP size and the quota', () => {
    // WHEN
    const root = scps.filter((s) => s.targetIds.includes(ex.lz.organization.rootId));

    // THEN
    for (const s of root) expect(s.content.length).toBeLessThanOrEqual(LIMITS.SCP_DOCUMENT_CHARS);
    expect(root.length).toBeLessThanOrEqual(LIMITS.SCPS_PER_TARGET - 1); // FullAWSAccess takes one
    expect(root.flatMap((s) => (s.policy.Statement as any[]).map((st) => st.Sid))).toEqual(expect.arrayContaining([
      expect.stringMatching(/ConfineElevatedRevoker$/), expect.stringMatching(/ConfineElevatedRevokerToElevatedRoles$/),
    ]));
  });
});
