import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { simulate } from './helpers/iam-sim';
import { ADMIN_IDENTITY, scpLevelsForAccount, synthesizedScps } from './helpers/scp-sim';
import { buildLandingZone } from '../examples/landing-zone/app';
import { JUMP_ACCOUNT_MANIFEST } from '../examples/landing-zone/jump';
import { exampleOrganization, exampleRetailOrganization } from '../examples/landing-zone/organization';
import { buildRetailLandingZone } from '../examples/landing-zone/retail';
import {
  AccountSelection, DataPerimeter, JumpAccount, JumpAccountManifest, LandingZone, Organization, PermissionLevel,
} from '../src';

const RETAIL_POS_PROD = '121212121203';

// resolves as a jump target does (other organizations allowed) or as any other consumer
function select(selection: AccountSelection, org: Organization, acrossOrganizations = true): string[] {
  return selection._resolveOrReport(org, (m) => {
    throw new Error(m);
  }, acrossOrganizations).map((a) => a.accountId);
}

type RetailAccount = { accountId: string; name: string; organizationalUnit?: string };

function retail(props: { organizationId?: string; accounts?: RetailAccount[] } = {}) {
  const base = exampleRetailOrganization();
  return new Organization({
    rootId: base.rootId,
    organizationId: 'organizationId' in props ? props.organizationId : base.organizationId,
    managementAccount: base.managementAccount,
    organizationalUnits: base.organizationalUnits,
    accounts: props.accounts ?? base.accounts.filter((a) => a.accountId !== base.managementAccount.accountId),
  });
}

function company(others: Array<{ name: string; organization: Organization }>): Organization {
  return new Organization({
    rootId: 'r-ex01',
    organizationId: 'o-ex01abcdef',
    managementAccount: { accountId: '000000000000', name: 'management' },
    jumpAccount: { accountId: '111111111111', name: 'jump' },
    organizationalUnits: [{ path: 'Workloads', ouId: 'ou-ex01-workload' }],
    accounts: [{ accountId: '444444444401', name: 'shop-dev', organizationalUnit: 'Workloads', tags: { env: 'dev' } }],
    otherOrganizations: others,
  });
}

describe('the model with other organizations', () => {
  const org = exampleOrganization();

  test('holds each organization\'s id, root and OU ids, for entity paths (aws:ResourceOrgPaths)', () => {
    const [other] = org.otherOrganizations;
    expect(other.name).toBe('retail');
    expect(other.organization.entityPath('Workloads/Prod')).toBe('o-ex02retail0/r-ex02/ou-ex02-workload/ou-ex02-prod0001/');
    expect(org.entityPath('Workloads/Prod')).toBe('o-ex01abcdef/r-ex01/ou-ex01-workload/ou-ex01-prod0001/');
    expect(org.entityPath('')).toBe('o-ex01abcdef/r-ex01/');
    expect(org.tryFindOrganization('retail')).toBe(other.organization);
    expect(org.tryFindOrganization('o-ex02retail0')).toBe(other.organization);
    expect(org.tryFindOrganization('o-ex01abcdef')).toBe(org);
  });

  test('keeps other organizations\' accounts out of this one: names, members, all-member selections', () => {
    expect(org.isMember(RETAIL_POS_PROD)).toBe(false);
    expect(org.tryFindAccount('pos-prod')).toBeUndefined();
    expect(org.findAccount('audit').accountId).toBe('222222222202'); // this organization's audit, not retail's
    expect(select(AccountSelection.allMemberAccounts(), org)).not.toContain(RETAIL_POS_PROD);
  });

  test('refuses another organization without an id, a repeated name or id, and an account in two organizations', () => {
    expect(() => company([{ name: 'retail', organization: retail({ organizationId: undefined }) }]))
      .toThrow(/otherOrganizations\[0\]\.organization\.organizationId: organization 'retail' needs its organizationId/);
    expect(() => company([{ name: 'retail', organization: retail() }, { name: 'retail', organization: retail({ organizationId: 'o-ex03other00' }) }]))
      .toThrow(/otherOrganizations\[1\]\.name: name 'retail' is used by another organization/);
    expect(() => company([{ name: 'retail', organization: retail() }, { name: 'pos', organization: retail() }]))
      .toThrow(/organization id 'o-ex02retail0' of 'pos' is also organization 'retail''s/);
    expect(() => company([{ name: 'Retail Co', organization: retail() }])).toThrow(/name 'Retail Co' must be 1-32 lowercase letters/);
    expect(() => company([{ name: 'retail', organization: retail({ accounts: [{ accountId: '444444444401', name: 'pos-dev', organizationalUnit: 'Workloads' }] }) }]))
      .toThrow(/account 444444444401 \('pos-dev'\) of organization 'retail' is also in this organization/);
  });
});

describe('selections across organizations', () => {
  const org = exampleOrganization();

  test('select by OU, tag, name and all members in the named organization, with its own exclusions', () => {
    expect(select(AccountSelection.organizationalUnits(['Workloads'], { organization: 'retail' }), org)).toEqual(['121212121202', RETAIL_POS_PROD]);
    expect(select(AccountSelection.organizationalUnits(['Workloads'], { organization: 'retail', recursive: false }), org)).toEqual(['121212121202']);
    expect(select(AccountSelection.tagged('app', 'pos', { organization: 'retail', excludeAccounts: ['pos-dev'] }), org)).toEqual([RETAIL_POS_PROD]);
    expect(select(AccountSelection.accounts(['audit'], { organization: 'retail' }), org)).toEqual(['121212121201']);
    expect(select(AccountSelection.allMemberAccounts({ organization: 'retail' }), org)).toEqual(['121212121201', '121212121202', RETAIL_POS_PROD]);
    // an unqualified path is this organization's, even where the retail organization has the same one
    expect(select(AccountSelection.organizationalUnits(['Workloads/Prod']), org)).toEqual(['555555555501', '555555555502', '555555555503']);
  });

  test('an OU or account only another organization has names the organization to qualify it with', () => {
    const onlyRetail = new Organization({
      ...propsOf(exampleRetailOrganization()),
      organizationalUnits: [...exampleRetailOrganization().organizationalUnits, { path: 'Stores', ouId: 'ou-ex02-stores01' }],
    });
    const twoOthers = company([
      { name: 'retail', organization: onlyRetail },
      { name: 'outlet', organization: new Organization({ ...propsOf(onlyRetail), organizationId: 'o-ex03outlet0', managementAccount: { accountId: '131313131300', name: 'management' }, accounts: [] }) },
    ]);
    expect(() => select(AccountSelection.organizationalUnits(['Stores']), company([{ name: 'retail', organization: onlyRetail }])))
      .toThrow("ou 'Stores' is not defined in the organization (organization 'retail' has it: select there with { organization: 'retail' })");
    expect(() => select(AccountSelection.organizationalUnits(['Stores']), twoOthers))
      .toThrow(/ou 'Stores' is not defined in the organization \(organizations 'retail', 'outlet' have it: qualify the selection with \{ organization: '<one of them>' \}/);
    expect(() => select(AccountSelection.accounts(['pos-prod']), org)).toThrow(/account 'pos-prod' is not defined in the organization \(organization 'retail' has it/);
    expect(() => select(AccountSelection.tagged('app', 'pos'), org)).toThrow(/carries tag 'app' = 'pos' \(organization 'retail' has it/);
  });

  test('an unknown organization, and another organization outside jump targets, are refused with the fix', () => {
    expect(() => select(AccountSelection.organizationalUnits(['Workloads'], { organization: 'retial' }), org))
      .toThrow(/organization 'retial' is not in the model \(known: 'o-ex01abcdef' \(this organization\), 'retail' \(o-ex02retail0\)\)/);
    // permission sets, guardrails, baselines: resolve() is not a jump target
    expect(() => AccountSelection.organizationalUnits(['Workloads'], { organization: 'retail' }).resolve(org))
      .toThrow(/selects in organization 'retail', outside this organization: only jump-account targets reach other organizations/);
    expect(select(AccountSelection.tagged('env', 'shared', { organization: 'o-ex01abcdef' }), org, false)).toEqual(['777777777701']);
  });

  test('the resource perimeter trusts the named other organizations, and only those', async () => {
    // GIVEN the example's root SCPs (the perimeter trusts 'retail'), evaluated for the jump account's user
    const app = new App();
    const lz = buildLandingZone(app);
    const scps = synthesizedScps(Template.fromStack(lz.managementStack).toJSON());
    // the role trusts the jump account, so only the SCPs can deny
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }] };
    const assume = (orgId: string, account: string) => simulate({ identityPolicies: [ADMIN_IDENTITY], resourcePolicy: trust, scpLevels: scpLevelsForAccount(org, 'jump', scps) }, {
      principal: 'arn:aws:iam::111111111111:user/acme-alice',
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${account}:role/lz-read-only`,
      context: { 'aws:ResourceOrgID': orgId, 'aws:ResourceAccount': account },
    });
    // THEN a role of the retail organization may be assumed, one of an organization outside the model may not
    expect((await assume('o-ex02retail0', RETAIL_POS_PROD)).decision).toBe('Allowed');
    const outside = await assume('o-ex09unknown', '131313131301');
    expect(outside.decision).toBe('ExplicitlyDenied');
    expect(outside.reason).toMatch(/guardrails/);
    expect(() => DataPerimeter.resourcePerimeter(org, { trustedOrganizations: ['o-ex01abcdef'] }))
      .toThrow(/options.trustedOrganizations\[0\]: 'o-ex01abcdef' is not one of the model's other organizations \('retail'\)/);
  });
});

describe('one jump account, one app per organization', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-manifest-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  // the company's app with its manifest in a temporary file (a copy of the committed one, unless `text` is given)
  function companyApp(text: string | undefined = fs.readFileSync(JUMP_ACCOUNT_MANIFEST, 'utf8'), context: Record<string, string> = {}) {
    const file = path.join(dir, 'manifest.json');
    if (text !== undefined) fs.writeFileSync(file, text);
    const app = new App({ context });
    const lz = buildLandingZone(app, exampleOrganization(), { manifestFile: file });
    return { app, lz, file };
  }

  test('the committed manifest is the company app\'s: its synth passes', () => {
    expect(() => companyApp().app.synth()).not.toThrow();
  });

  test('a stale manifest fails the company\'s synth with what changed and the fix; the context rewrites it', () => {
    // GIVEN a manifest from before vendor-acme reached the retail organization
    const committed = JSON.parse(fs.readFileSync(JUMP_ACCOUNT_MANIFEST, 'utf8'));
    committed.organizations[0].roles = committed.organizations[0].roles.filter((r: any) => r.accountName !== 'pos-prod');
    const stale = JSON.stringify(committed, undefined, 2) + '\n';
    // THEN
    expect(() => companyApp(stale).app.synth()).toThrow(/manifestFile: .*manifest.json is stale \(\+ retail:pos-prod\/lz-read-only\): synthesize with -c lz:writeJumpAccountManifest=true/);
    expect(() => companyApp(undefined).app.synth()).not.toThrow(); // the committed copy
    // WHEN asked to write
    const { app, file } = companyApp(stale, { 'lz:writeJumpAccountManifest': 'true' });
    app.synth();
    // THEN the file is the committed one again
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(JUMP_ACCOUNT_MANIFEST, 'utf8'));
  });

  test('a missing manifest fails the company\'s synth', () => {
    const app = new App();
    buildLandingZone(app, exampleOrganization(), { manifestFile: path.join(dir, 'absent.json') });
    expect(() => app.synth()).toThrow(/manifestFile: .*absent.json does not exist: synthesize with -c lz:writeJumpAccountManifest=true/);
  });

  test('without a manifest, a target in another organization must be externally managed', () => {
    const app = new App();
    buildLandingZone(app, exampleOrganization(), { manifestFile: undefined });
    expect(() => app.synth()).toThrow(/group 'vendor-acme' points at role 'lz-read-only' in 121212121203 \(retail:pos-prod\) of another organization, which this app cannot deploy: set manifestFile/);
  });

  test('the retail app synthesizes its own baseline, trusting the company\'s jump account, with the vendor\'s source addresses', () => {
    // WHEN
    const app = new App();
    const lz = buildRetailLandingZone(app);
    app.synth();
    // THEN
    const stacks = app.node.findAll().filter(Stack.isStack).filter((s) => !s.nested);
    expect(stacks.map((s) => [s.stackName, s.account])).toEqual([
      ['Retail-Management', '121212121200'], ['Retail-Ou-Workloads', '121212121200'], ['Retail-Ou-Security', '121212121200'],
    ]);
    const [stackSet] = Object.values(Template.fromStack(lz.organizationalUnits[0].stack!).findResources('AWS::CloudFormation::StackSet')) as any[];
    expect(stackSet.Properties.StackInstancesGroup[0].DeploymentTargets.OrganizationalUnitIds).toEqual(['ou-ex02-workload']);
    const body = JSON.parse(stackSet.Properties.TemplateBody);
    const [role] = Object.values(body.Resources).filter((r: any) => r.Type === 'AWS::IAM::Role') as any[];
    expect(role.Properties.RoleName).toBe('lz-read-only');
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(':iam::111111111111:root');
    expect(JSON.stringify(body)).toContain('203.0.113.0/24'); // acme's office binds acme's sessions here too
  });

  test('the retail app fails when it does not deploy a role the jump account\'s groups expect', () => {
    const app = new App();
    const lz = new LandingZone(app, 'Retail', { organization: exampleRetailOrganization(), jumpAccountManifest: JumpAccountManifest.fromFile(JUMP_ACCOUNT_MANIFEST) });
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.power() }] });
    expect(() => app.synth()).toThrow(/groups 'auditors', 'vendor-acme' of jump account 111111111111 expect role 'lz-read-only' in account 121212121203 \(pos-prod\), which no OU of this app deploys/);
  });

  test('the retail app fails on a manifest that is stale against its model, or names another organization', () => {
    // GIVEN pos-prod closed since the jump app last imported the retail organization
    const closed = new Organization({
      ...propsOf(exampleRetailOrganization()),
      accounts: exampleRetailOrganization().accounts
        .filter((a) => a.name !== 'management').map((a) => (a.name === 'pos-prod' ? { ...a, status: 'CLOSED' as any } : a)),
    });
    const app = new App();
    buildRetailLandingZone(app, closed);
    expect(() => app.synth()).toThrow(/expects role 'lz-read-only' in account 121212121203 \('pos-prod'\), which is not an active member account of this organization: the jump app's copy of this organization's model is stale/);
    const other = new App();
    const lz = new LandingZone(other, 'Company', { organization: new Organization({ ...propsOf(exampleRetailOrganization()), organizationId: 'o-ex09unknown' }), jumpAccountManifest: JumpAccountManifest.fromFile(JUMP_ACCOUNT_MANIFEST) });
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    expect(() => other.synth()).toThrow(/the manifest of jump account 111111111111 expects no role in organization o-ex09unknown \(it serves: retail \(o-ex02retail0\)\)/);
  });

  test('a landing zone takes its own jump account or another app\'s manifest, not both; a manifest must be one the jump app writes', () => {
    expect(() => new LandingZone(new App(), 'Both', {
      organization: exampleOrganization(),
      jumpAccount: { groups: [] },
      jumpAccountManifest: JumpAccountManifest.fromFile(JUMP_ACCOUNT_MANIFEST),
    })).toThrow(/jumpAccountManifest: the landing zone has its own jump account/);
    expect(() => JumpAccountManifest.fromJson('{"jumpAccountId": "1"}', 'm.json'))
      .toThrow(/m.json: the manifest is not one the jump account's app writes \(jumpAccountId: expected a 12-digit account id; organizations: expected a list\)/);
    expect(() => JumpAccountManifest.fromFile(path.join(dir, 'none.json'))).toThrow(/none.json does not exist: synthesize the jump account's app with -c lz:writeJumpAccountManifest=true/);
  });
});

function propsOf(org: Organization) {
  return {
    rootId: org.rootId,
    organizationId: org.organizationId,
    managementAccount: org.managementAccount,
    organizationalUnits: org.organizationalUnits,
    accounts: org.accounts.filter((a) => a.accountId !== org.managementAccount.accountId),
  };
}

describe('organization paths and other organizations', () => {
  test('byOrganizationPath over an OU of another organization fails: its paths are built from this organization\'s ids, and retail has an OU of the same name', () => {
    // GIVEN the company's model, whose retail organization also has Workloads/Prod
    const org = exampleOrganization();
    const stack = new Stack(new App(), 'Jump', { env: { account: org.jumpAccount!.accountId, region: 'eu-west-1' } });
    // WHEN / THEN
    expect(() => {
      new JumpAccount(stack, 'JumpAccount', {
        organization: org,
        groups: [{
          groupName: 'vendor',
          targets: [{
            accounts: AccountSelection.organizationalUnits(['Workloads/Prod'], { organization: 'retail' }),
            permissionLevels: [PermissionLevel.readOnly()],
            byOrganizationPath: true,
          }],
        }],
        externallyManagedRoles: [{ accounts: AccountSelection.allMemberAccounts({ organization: 'retail' }), roleNames: ['lz-read-only'] }],
        switchRoleOutputs: false,
      });
      Template.fromStack(stack);
    }).toThrow(/groups\[0\]\.targets\[0\]\.byOrganizationPath: selection '.*' reaches accounts of another organization, which byOrganizationPath does not cover/);
  });
});
