// Gaps of the example's target roles, tried with the simulator on the synthesized templates: sessions used from other
// addresses, Session Manager on any instance, and session names that name someone else.
import { Template } from 'aws-cdk-lib/assertions';
import { PermissionLevel } from '../src';
import { exampleLandingZone } from './helpers/example';
import { asPrincipal, PrincipalPolicies, SimResult, simulate, TemplatePolicies, withMfa } from './helpers/iam-sim';
import { scpLevelsForAccount, simOrganization, synthesizedScps } from './helpers/scp-sim';

const ex = exampleLandingZone();
const org = ex.lz.organization;
const scps = synthesizedScps(...ex.stacks.map((s) => ex.template(s.stackName).toJSON()));
const jump = new TemplatePolicies(ex.template('Lz-JumpAccount').toJSON(), { accountId: '111111111111' });
const REGION = { 'aws:RequestedRegion': 'eu-central-1' };
const SSM_TAG = PermissionLevel.SSM_SESSION_TAG_KEY;

function targetRole(ouStack: string, accountName: string, roleName: string): PrincipalPolicies & { accountId: string } {
  const accountId = org.findAccount(accountName).accountId;
  return { accountId, ...new TemplatePolicies(Template.fromJSON(ex.stackSetBody(ouStack)).toJSON(), { accountId }).forRole(roleName) };
}

/** A session of `role` started by jump user `userName` (session name = user name), calling from `sourceIp`. */
function sessionOf(role: PrincipalPolicies & { accountId: string }, accountName: string, userName: string, sourceIp = '203.0.113.10') {
  const ask = asPrincipal({ ...role, scpLevels: scpLevelsForAccount(org, accountName, scps), organization: simOrganization(org) });
  return (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    ask(action, resource, { 'aws:userid': `AROAEXAMPLEROLEID0001:${userName}`, 'aws:SourceIp': sourceIp, ...REGION, ...context });
}

const decisions = (results: SimResult[]) => results.map((r) => r.decision);

describe('example target roles: sessions from the jump account keep the source-address limits (simulated)', () => {
  const power = targetRole('Lz-Ou-Workloads', 'shop-dev', 'lz-power');
  const readOnly = targetRole('Lz-Ou-Workloads', 'shop-prod', 'lz-read-only');

  test('escape: use a vendor-acme session of lz-power from an address outside the vendor\'s office', async () => {
    const alice = sessionOf(power, 'shop-dev', 'acme-alice');
    const results = await Promise.all([
      alice('s3:GetObject', 'arn:aws:s3:::shop-dev-data/orders.csv', { 'aws:SourceIp': '192.0.2.10' }),
      alice('ec2:RunInstances', 'arn:aws:ec2:eu-central-1:444444444401:instance/*', { 'aws:SourceIp': '2001:db8::1' }),
    ]);
    expect(decisions(results)).toEqual(['ExplicitlyDenied', 'ExplicitlyDenied']);
  });

  test('control: from the office, and through AWS services acting for the session, it works', async () => {
    const alice = sessionOf(power, 'shop-dev', 'acme-alice');
    const results = await Promise.all([
      alice('s3:GetObject', 'arn:aws:s3:::shop-dev-data/orders.csv', { 'aws:SourceIp': '203.0.113.10' }),
      alice('s3:GetObject', 'arn:aws:s3:::shop-dev-data/orders.csv', { 'aws:SourceIp': '192.0.2.10', 'aws:ViaAWSService': 'true' }),
    ]);
    expect(decisions(results)).toEqual(['Allowed', 'Allowed']);
  });

  test('control: an auditor (no address limit) reads with lz-read-only from anywhere; an acme user there is held to its office', async () => {
    const carol = sessionOf(readOnly, 'shop-prod', 'audit-carol');
    const alice = sessionOf(readOnly, 'shop-prod', 'acme-alice');
    expect((await carol('s3:GetObject', 'arn:aws:s3:::shop-prod-data/k', { 'aws:SourceIp': '192.0.2.10' })).decision).toBe('Allowed');
    expect((await alice('s3:GetObject', 'arn:aws:s3:::shop-prod-data/k', { 'aws:SourceIp': '192.0.2.10' })).decision).toBe('ExplicitlyDenied');
  });
});

describe('example target roles: the session is named after the jump user (simulated)', () => {
  const alice = jump.forUser('acme-alice');
  const trust = targetRole('Lz-Ou-Workloads', 'shop-dev', 'lz-power').trustPolicy;
  const assume = (context: Record<string, string | string[]>) => simulate({ identityPolicies: alice.identityPolicies, resourcePolicy: trust },
    { principal: alice.arn, action: 'sts:AssumeRole', resource: 'arn:aws:iam::444444444401:role/lz-power', context: withMfa(60, { 'aws:SourceIp': '203.0.113.10', ...context }) });

  test('escape: switch role under someone else\'s name, so that CloudTrail names them', async () => {
    expect((await assume({ 'sts:RoleSessionName': 'audit-carol' })).decision).toBe('ImplicitlyDenied');
    expect((await assume({})).decision).toBe('ImplicitlyDenied');
  });

  test('control: a jump user still switches role from the allowed address, under their own name', async () => {
    expect((await assume({ 'sts:RoleSessionName': 'acme-alice' })).decision).toBe('Allowed');
  });
});

describe('example target roles: Session Manager only on instances tagged for it (simulated)', () => {
  const ssm = targetRole('Lz-Ou-Workloads', 'shop-prod', 'lz-ssm');
  const gary = sessionOf(ssm, 'shop-prod', 'globex-gary', '198.51.100.20');
  const instance = 'arn:aws:ec2:eu-central-1:555555555501:instance/i-0123456789abcdef0';

  test('escape: start a session on any instance, which hands out its instance-role credentials', async () => {
    expect((await gary('ssm:StartSession', instance)).decision).toBe('ImplicitlyDenied');
    expect((await gary('ssm:StartSession', instance, { [`ssm:resourceTag/${SSM_TAG}`]: 'false' })).decision).toBe('ImplicitlyDenied');
  });

  test('escape: resume or end someone else\'s session', async () => {
    const session = 'arn:aws:ssm:eu-central-1:555555555501:session/acme-alice-0a1b2c3d4e5f';
    const other = { 'ssm:resourceTag/aws:ssmmessages:session-id': 'AROAEXAMPLEROLEID0001:acme-alice' };
    expect((await gary('ssm:ResumeSession', session, other)).decision).toBe('ImplicitlyDenied');
    expect((await gary('ssm:TerminateSession', session, other)).decision).toBe('ImplicitlyDenied');
  });

  test('control: sessions to tagged instances, and to its own sessions, still work', async () => {
    const own = { 'ssm:resourceTag/aws:ssmmessages:session-id': 'AROAEXAMPLEROLEID0001:globex-gary' };
    const results = await Promise.all([
      gary('ssm:StartSession', instance, { [`ssm:resourceTag/${SSM_TAG}`]: 'true' }),
      gary('ssm:StartSession', 'arn:aws:ssm:eu-central-1:555555555501:document/SSM-SessionManagerRunShell'),
      gary('ssm:ResumeSession', 'arn:aws:ssm:eu-central-1:555555555501:session/globex-gary-0a1b2c3d4e5f', own),
      gary('ssm:TerminateSession', 'arn:aws:ssm:eu-central-1:555555555501:session/globex-gary-0a1b2c3d4e5f', own),
      gary('ssm:DescribeInstanceInformation', '*'),
    ]);
    expect(decisions(results)).toEqual(results.map(() => 'Allowed'));
  });
});
