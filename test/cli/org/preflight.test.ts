import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as sso from 'aws-cdk-lib/aws-sso';
import { FakeOrganization, fakeFromModel } from './fake-organization';
import { lzOrg, tempDir } from './run-cli';
import { buildLandingZone } from '../../../examples/landing-zone/app';
import { EXAMPLE_IDENTITY_STORE_ID, EXAMPLE_INSTANCE_ARN } from '../../../examples/landing-zone/identity-center';
import { exampleOrganization } from '../../../examples/landing-zone/organization';
import { readCloudAssembly } from '../../../src/cli/org/assembly';

interface Check { id: string; title: string; status: string; detail: string; fix?: string }

let dir: string;
let exampleOut: string;
let craftedOut: string;

beforeAll(() => {
  dir = tempDir('preflight');
  exampleOut = path.join(dir, 'example');
  const example = new App({ outdir: exampleOut });
  buildLandingZone(example);
  example.synth();
  craftedOut = path.join(dir, 'crafted');
  craftedApp(craftedOut);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// the example organization as AWS shows it, with every prerequisite met
function prepared(out: string): FakeOrganization {
  const fake = fakeFromModel(exampleOrganization(), { instanceArn: EXAMPLE_INSTANCE_ARN, identityStoreId: EXAMPLE_IDENTITY_STORE_ID }).install();
  for (const s of readCloudAssembly(out).stacks) if (s.account && s.region) fake.bootstrap[`${s.account}/${s.region}`] = 30;
  fake.attached['r-ex01'] = { SERVICE_CONTROL_POLICY: [{ Id: 'p-FullAWSAccess', Name: 'FullAWSAccess' }] };
  // the example's data perimeter and organization analyzers
  fake.policyTypes = [...fake.policyTypes, 'RESOURCE_CONTROL_POLICY'];
  fake.trusted = [...fake.trusted, 'access-analyzer.amazonaws.com'];
  return fake;
}

async function preflight(out: string, ...args: string[]): Promise<{ code: number; checks: Check[]; text: string; err: string }> {
  const json = await lzOrg(['--json', 'preflight', '--app', out, ...args]);
  const text = await lzOrg(['preflight', '--app', out, ...args]);
  expect(text.code).toBe(json.code);
  return { code: json.code, checks: json.code === 2 ? [] : JSON.parse(json.out).checks, text: text.out, err: json.err };
}

function check(checks: Check[], id: string): Check {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}; got ${checks.map((x) => x.id).join(', ')}`);
  return c;
}

describe('lz-org preflight on the example landing zone', () => {
  let fake: FakeOrganization;
  beforeEach(() => {
    fake = prepared(exampleOut);
  });
  afterEach(() => fake.restore());

  test('every check passes when the organization meets the prerequisites, with read-only calls', async () => {
    // WHEN
    const run = await preflight(exampleOut);
    // THEN
    expect(run.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.checks.map((c) => c.id)).toEqual(expect.arrayContaining([
      'organization.all-features',
      'organization.matches-app.LandingZone',
      'policy-type.SERVICE_CONTROL_POLICY',
      'trusted-access.stacksets.us-east-1',
      'trusted-access.identity-center',
      'deployer.policies.000000000000',
      'deployer.stacksets.000000000000',
      'deployer.identity-center.Lz-IdentityCenter',
      'deployer.identity-center.Lz-ElevatedAccess',
      'policies.targets',
      'policies.quota.SERVICE_CONTROL_POLICY.r-ex01',
      'policies.quota.SERVICE_CONTROL_POLICY.ou-ex01-workload',
      'stacksets.targets',
      'account.000000000000',
      'account.111111111111',
      'identity-center.assignment-accounts',
      'identity-center.instance.ssoins-72230f3a2b8c1e9d',
      'identity-center.identity-store.d-9067a1b2c3',
      'bootstrap.000000000000.us-east-1',
      'bootstrap.111111111111.us-east-1',
    ]));
    expect(check(run.checks, 'policies.quota.SERVICE_CONTROL_POLICY.r-ex01').detail)
      .toBe('1 attached outside the landing zone (FullAWSAccess) + 2 from it = 3 of 5');
    expect(check(run.checks, 'account.111111111111').detail).toBe('jump (jump account, trusted by the baseline roles)');
    expect(run.text).toMatch(/^PASS\s+all features enabled\s+organization o-ex01abcdef uses all features$/m);
    expect(run.text).toMatch(/\d+ passed, 0 failed, 0 skipped \(\d+ stacks in .*\)\n$/);
    expect(fake.commandNames.every((c) => /^(Describe|List|Get)/.test(c) || c === 'AssumeRole')).toBe(true);
  });

  // one prerequisite broken at a time: the check fails, names what it found, and gives the fix
  test.each<[string, (f: FakeOrganization) => void, string, RegExp, RegExp]>([
    ['all features are not enabled', (f) => { f.featureSet = 'CONSOLIDATED_BILLING'; },
      'organization.all-features', /has only consolidated billing/, /^aws organizations enable-all-features/],
    ['the app was built for another organization', (f) => { f.managementAccountId = '999999999999'; },
      'organization.matches-app.LandingZone', /management account 000000000000 \(this organization's is 999999999999\)/, /re-import the model/],
    ['SCPs are not enabled on the root', (f) => { f.policyTypes = []; },
      'policy-type.SERVICE_CONTROL_POLICY', /SERVICE_CONTROL_POLICY is not enabled on r-ex01; the landing zone has 5 such policies/,
      /^aws organizations enable-policy-type --root-id r-ex01 --policy-type SERVICE_CONTROL_POLICY$/],
    ['StackSets have no trusted access', (f) => { f.stackSetsAccess['us-east-1'] = 'DISABLED'; },
      'trusted-access.stacksets.us-east-1', /trusted access is DISABLED/, /^aws cloudformation activate-organizations-access --region us-east-1/],
    ['Identity Center has no trusted access', (f) => { f.trusted = ['member.org.stacksets.cloudformation.amazonaws.com']; },
      'trusted-access.identity-center', /sso.amazonaws.com has no trusted access/, /IAM Identity Center console of the management account/],
    ['an OU with guardrails no longer exists', (f) => { f.ous = f.ous.filter((o) => o.id !== 'ou-ex01-sandbox1'); },
      'policies.targets', /not in the organization: ou ou-ex01-sandbox1/, /lz-org import/],
    ['a baseline OU no longer exists', (f) => { f.ous = f.ous.filter((o) => o.id !== 'ou-ex01-sandbox1'); },
      'stacksets.targets', /not in the organization: ou-ex01-sandbox1/, /lz-org import/],
    ['an OU already has five policies from elsewhere', (f) => { f.attached['ou-ex01-workload'] = { SERVICE_CONTROL_POLICY: ['a', 'b', 'c', 'd', 'e'].map((x) => ({ Id: `p-${x}`, Name: `ct-${x}` })) }; },
      'policies.quota.SERVICE_CONTROL_POLICY.ou-ex01-workload', /^5 attached outside the landing zone \(ct-a, ct-b, ct-c, ct-d, ct-e\) \+ 1 from it = 6 of 5$/,
      /^detach 1 of the policies attached outside the landing zone from ou-ex01-workload/],
    ['the jump account is suspended', (f) => { f.account('111111111111').state = 'SUSPENDED'; },
      'account.111111111111', /^jump \(jump account, trusted by the baseline roles\) is SUSPENDED$/, /lz-org import/],
    ['the jump account is not in the organization', (f) => { f.accounts = f.accounts.filter((a) => a.id !== '111111111111'); },
      'account.111111111111', /is not an account of this organization/, /--skip account.111111111111$/],
    ['an account that receives assignments is suspended', (f) => { f.account('444444444401').state = 'SUSPENDED'; },
      'identity-center.assignment-accounts', /not active: 444444444401 \(SUSPENDED\)/, /selections then skip accounts that are not active/],
    ['Identity Center runs another instance', (f) => { f.instances['us-east-1'] = [{ InstanceArn: 'arn:aws:sso:::instance/ssoins-1111222233334444', IdentityStoreId: 'd-1111111111', OwnerAccountId: '000000000000' }]; },
      'identity-center.instance.ssoins-72230f3a2b8c1e9d', /use ssoins-72230f3a2b8c1e9d; us-east-1 has arn:aws:sso:::instance\/ssoins-1111222233334444 \(identity store d-1111111111\)/,
      /^set identityCenter.instanceArn to arn:aws:sso:::instance\/ssoins-1111222233334444/],
    ['the identity store is another one', (f) => { f.instances['us-east-1'] = [{ InstanceArn: EXAMPLE_INSTANCE_ARN, IdentityStoreId: 'd-1111111111', OwnerAccountId: '000000000000' }]; },
      'identity-center.identity-store.d-9067a1b2c3', /the instance's identity store is d-1111111111/, /^set identityStoreId to d-1111111111/],
    ['Identity Center is not enabled in the region', (f) => { f.instances = {}; },
      'identity-center.instance.ssoins-72230f3a2b8c1e9d', /us-east-1 has none/, /deploy the Identity Center stacks to the region where Identity Center is enabled/],
    // the example administers Identity Center from audit (222222222202); the instance is the management account's
    ['Identity Center is not delegated to the account that administers it', (f) => {
      for (const id of Object.keys(f.delegated)) f.delegated[id] = f.delegated[id].filter((s) => s !== 'sso.amazonaws.com');
    },
    'deployer.identity-center.Lz-IdentityCenter', /from 222222222202, which is neither the instance's account 000000000000 nor the registered delegated administrator \(none\)/,
    /Settings > Management > Register account/],
    ['the jump account is not bootstrapped', (f) => { delete f.bootstrap['111111111111/us-east-1']; },
      'bootstrap.111111111111.us-east-1', /not bootstrapped \(\/cdk-bootstrap\/hnb659fds\/version not found\); Lz-JumpAccount deploys there/,
      /^npx cdk bootstrap aws:\/\/111111111111\/us-east-1 --trust 000000000000 --cloudformation-execution-policies arn:aws:iam::aws:policy\/AdministratorAccess \(with credentials of 111111111111\)$/],
    ['the bootstrap is too old', (f) => { f.bootstrap['111111111111/us-east-1'] = 5; },
      'bootstrap.111111111111.us-east-1', /bootstrap version 5, the stacks need 6/, /^npx cdk bootstrap aws:\/\/111111111111\/us-east-1/],
    ['the lookup role does not trust the caller', (f) => { f.denyAssume.add('arn:aws:iam::111111111111:role/cdk-hnb659fds-lookup-role-111111111111-us-east-1'); },
      'bootstrap.111111111111.us-east-1', /cannot assume arn:aws:iam::111111111111:role\/cdk-hnb659fds-lookup-role-111111111111-us-east-1 \(AccessDenied: /, /--role-name/],
    ['the root cannot be read', (f) => { f.deny.add('ListRoots'); },
      'policy-type.SERVICE_CONTROL_POLICY', /^could not read: AccessDeniedException: /, /allow organizations:ListRoots$/],
  ])('fails when %s', async (_name, breakIt, id, detail, fix) => {
    // GIVEN
    breakIt(fake);
    // WHEN
    const run = await preflight(exampleOut);
    // THEN
    expect(run.code).toBe(1);
    const c = check(run.checks, id);
    expect(c.status).toBe('fail');
    expect(c.detail).toMatch(detail);
    expect(c.fix).toMatch(fix);
    expect(run.text).toContain(`fix ${id}: ${c.fix}`);
  });

  test('policies of the landing zone already attached are not counted twice, and the quota can be raised', async () => {
    const names = readCloudAssembly(exampleOut).policies.filter((p) => p.targetIds.includes('ou-ex01-workload')).map((p) => p.name!);
    fake.attached['ou-ex01-workload'] = { SERVICE_CONTROL_POLICY: [...['a', 'b', 'c', 'd'].map((x) => ({ Id: `p-${x}`, Name: `ct-${x}` })), ...names.map((n) => ({ Id: 'p-lz', Name: n }))] };
    let run = await preflight(exampleOut);
    expect(check(run.checks, 'policies.quota.SERVICE_CONTROL_POLICY.ou-ex01-workload')).toMatchObject({ status: 'pass', detail: '4 attached outside the landing zone (ct-a, ct-b, ct-c, ct-d) + 1 from it = 5 of 5' });
    fake.attached['ou-ex01-workload'].SERVICE_CONTROL_POLICY.push({ Id: 'p-x', Name: 'ct-x' });
    run = await preflight(exampleOut, '--max-policies-per-target', '10');
    expect(check(run.checks, 'policies.quota.SERVICE_CONTROL_POLICY.ou-ex01-workload')).toMatchObject({ status: 'pass', detail: '5 attached outside the landing zone (ct-a, ct-b, ct-c, ct-d, ct-x) + 1 from it = 6 of 10' });
  });

  test('reads bootstrap versions through a role given with --role-name', async () => {
    const run = await preflight(exampleOut, '--role-name', 'OrganizationAccountAccessRole');
    expect(check(run.checks, 'bootstrap.111111111111.us-east-1').status).toBe('pass');
    expect(fake.assumed).toContain('arn:aws:iam::111111111111:role/OrganizationAccountAccessRole');
    expect(fake.assumed.every((a) => a.endsWith('/OrganizationAccountAccessRole'))).toBe(true);
  });

  test('--skip reports checks as skipped, and a run with only skipped failures passes', async () => {
    delete fake.bootstrap['111111111111/us-east-1'];
    const run = await preflight(exampleOut, '--skip', 'bootstrap');
    expect(run.code).toBe(0);
    expect(check(run.checks, 'bootstrap.111111111111.us-east-1')).toMatchObject({ status: 'skip' });
    expect(run.text).toMatch(/^SKIP\s+CDK bootstrap in 111111111111\/us-east-1/m);
  });

  test('fails with one line when there is no cloud assembly', async () => {
    const run = await lzOrg(['preflight', '--app', path.join(dir, 'nothing')]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^error: .*nothing\/manifest.json not found: synthesize the app first \(npx cdk synth\), or pass --app <cdk.out directory>\n$/);
    const bad = await lzOrg(['preflight', '--app', exampleOut, '--max-policies-per-target', 'five']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('error: --max-policies-per-target must be a positive integer, got NaN\n');
  });
});

// StackSets from a delegated administrator, Identity Center from a delegated account, an organization analyzer and
// RCPs, written as plain resources, as another app (or a later version of the library) might deploy them.
function craftedApp(outdir: string): void {
  const app = new App({ outdir });
  const audit = new Stack(app, 'Audit', { stackName: 'Crafted-Audit', env: { account: '222222222202', region: 'us-east-1' } });
  new cloudformation.CfnStackSet(audit, 'Baseline', {
    stackSetName: 'crafted-baseline',
    permissionModel: 'SERVICE_MANAGED',
    callAs: 'DELEGATED_ADMIN',
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
    stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: ['ou-ex01-workload'] }, regions: ['us-east-1'] }],
    templateBody: JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic' } } }),
  });
  new sso.CfnPermissionSet(audit, 'ReadOnly', { instanceArn: EXAMPLE_INSTANCE_ARN, name: 'CraftedReadOnly' });
  new accessanalyzer.CfnAnalyzer(audit, 'Analyzer', { type: 'ORGANIZATION' });
  new organizations.CfnPolicy(audit, 'Rcp', {
    name: 'crafted-rcp',
    type: 'RESOURCE_CONTROL_POLICY',
    targetIds: ['r-ex01'],
    content: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
  });
  const logs = new Stack(app, 'Logs', { stackName: 'Crafted-Logs', env: { account: '222222222201', region: 'us-east-1' } });
  new cloudformation.CfnStackSet(logs, 'Baseline', {
    stackSetName: 'crafted-self',
    permissionModel: 'SERVICE_MANAGED',
    callAs: 'SELF',
    stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: ['ou-ex01-sandbox1'] }, regions: ['us-east-1'] }],
    templateBody: JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic' } } }),
  });
  const agnostic = new Stack(app, 'Agnostic', { stackName: 'Crafted-Agnostic' });
  new CfnResource(agnostic, 'Topic', { type: 'AWS::SNS::Topic' });
  app.synth();
}

describe('lz-org preflight on delegated administrators, analyzers and RCPs', () => {
  let fake: FakeOrganization;
  beforeEach(() => {
    fake = prepared(craftedOut);
    // nothing registered, trusted or enabled beyond SCPs and StackSets: each test sets up what it needs
    fake.delegated = {};
    fake.trusted = ['member.org.stacksets.cloudformation.amazonaws.com', 'sso.amazonaws.com'];
    fake.policyTypes = ['SERVICE_CONTROL_POLICY'];
    fake.bootstrap['222222222202/us-east-1'] = 30;
    fake.bootstrap['222222222201/us-east-1'] = 30;
  });
  afterEach(() => fake.restore());

  test('fail when nothing is registered, each with its fix', async () => {
    const run = await preflight(craftedOut);
    expect(run.code).toBe(1);
    expect(check(run.checks, 'deployer.stacksets.222222222202')).toMatchObject({
      status: 'fail',
      detail: '222222222202 is not a registered delegated administrator for member.org.stacksets.cloudformation.amazonaws.com',
      fix: 'aws organizations register-delegated-administrator --account-id 222222222202 --service-principal member.org.stacksets.cloudformation.amazonaws.com',
    });
    expect(check(run.checks, 'deployer.stacksets.222222222201')).toMatchObject({
      status: 'fail', detail: 'callAs SELF from 222222222201, which is not the management account 000000000000',
    });
    expect(check(run.checks, 'deployer.identity-center.Crafted-Audit')).toMatchObject({ status: 'fail' });
    expect(check(run.checks, 'deployer.identity-center.Crafted-Audit').fix).toMatch(/^register 222222222202 in the IAM Identity Center console/);
    expect(check(run.checks, 'trusted-access.access-analyzer')).toMatchObject({
      status: 'fail', fix: 'aws organizations enable-aws-service-access --service-principal access-analyzer.amazonaws.com',
    });
    expect(check(run.checks, 'deployer.access-analyzer.222222222202')).toMatchObject({
      status: 'fail', fix: 'aws organizations register-delegated-administrator --account-id 222222222202 --service-principal access-analyzer.amazonaws.com',
    });
    expect(check(run.checks, 'policy-type.RESOURCE_CONTROL_POLICY')).toMatchObject({
      status: 'fail', fix: 'aws organizations enable-policy-type --root-id r-ex01 --policy-type RESOURCE_CONTROL_POLICY',
    });
    expect(check(run.checks, 'deployer.policies.222222222202')).toMatchObject({ status: 'fail', detail: 'Crafted-Audit deploys to 222222222202, not the management account 000000000000' });
    expect(check(run.checks, 'stacks.environment')).toMatchObject({ status: 'fail', detail: 'Crafted-Agnostic is environment-agnostic, so preflight cannot check where it deploys' });
  });

  test('pass once the delegated administrators, trusted access and policy types are in place', async () => {
    fake.delegated['222222222202'] = ['access-analyzer.amazonaws.com', 'member.org.stacksets.cloudformation.amazonaws.com', 'sso.amazonaws.com'];
    fake.trusted.push('access-analyzer.amazonaws.com');
    fake.policyTypes.push('RESOURCE_CONTROL_POLICY');
    const run = await preflight(craftedOut);
    for (const id of ['deployer.stacksets.222222222202', 'deployer.identity-center.Crafted-Audit', 'trusted-access.access-analyzer',
      'deployer.access-analyzer.222222222202', 'policy-type.RESOURCE_CONTROL_POLICY']) {
      expect(check(run.checks, id)).toMatchObject({ status: 'pass' });
    }
    expect(check(run.checks, 'account.222222222202').detail).toBe('audit (identity center administration, organization access analyzer, organization policies, stacksets)');
  });
});
