import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  AccountSelection, AccountStatus, IdentityCenterPrincipal, LandingZone, Organization, OrganizationProps, PermissionLevel,
} from '../src';

const PROPS: OrganizationProps = {
  rootId: 'r-ab12',
  managementAccount: { accountId: '000000000000', name: 'management' },
  jumpAccount: { accountId: '111111111111', name: 'jump', organizationalUnit: 'Security' },
  organizationalUnits: [
    { path: 'Security', ouId: 'ou-ab12-00000001' },
    { path: 'Workloads', ouId: 'ou-ab12-00000002' },
  ],
  accounts: [
    { accountId: '200000000001', name: 'app-a', organizationalUnit: 'Workloads', tags: { env: 'prod' } },
    { accountId: '200000000002', name: 'app-b', organizationalUnit: 'Workloads', tags: { env: 'prod' }, status: AccountStatus.SUSPENDED },
    { accountId: '200000000003', name: 'app-c', organizationalUnit: 'Workloads', tags: { env: 'prod' }, status: AccountStatus.CLOSED },
    { accountId: '200000000004', name: 'app-d', organizationalUnit: 'Workloads', status: AccountStatus.ACTIVE },
  ],
};

describe('Organization account status', () => {
  test('selections by OU, tag and all members leave out accounts that are not active', () => {
    const org = new Organization(PROPS);
    expect(AccountSelection.organizationalUnits(['Workloads']).resolve(org).map((a) => a.name)).toEqual(['app-a', 'app-d']);
    expect(AccountSelection.tagged('env', 'prod').resolve(org).map((a) => a.name)).toEqual(['app-a']);
    expect(AccountSelection.allMemberAccounts().resolve(org).map((a) => a.name)).toEqual(['jump', 'app-a', 'app-d']);
    // the accounts stay in the model: they can be found and excluded
    expect(org.findAccount('app-b').status).toBe(AccountStatus.SUSPENDED);
    expect(org.accounts).toHaveLength(6);
    expect(AccountSelection.organizationalUnits(['Workloads'], { excludeAccounts: ['app-b', 'app-d'] }).resolve(org).map((a) => a.name)).toEqual(['app-a']);
    expect(org.isActive(org.findAccount('app-d'))).toBe(true);
    expect(org.isActive(org.findAccount('app-c'))).toBe(false);
  });

  test('fails when a selection names an account that is not active', () => {
    const org = new Organization(PROPS);
    expect(() => AccountSelection.accounts(['app-a', 'app-b']).resolve(org))
      .toThrow(/account 'app-b' is SUSPENDED: nothing may be given in an account that is not active; remove it from the selection/);
  });

  test('fails when a status is not an AccountStatus', () => {
    expect(() => new Organization({ ...PROPS, accounts: [{ accountId: '200000000009', name: 'x', status: 'GONE' as AccountStatus }] }))
      .toThrow(/accounts\[0\]\.status: status 'GONE' of account 'x' must be one of ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION/);
  });

  test('a suspended account receives no permission-set assignment and no switch-role link', () => {
    // GIVEN
    const app = new App();
    const lz = new LandingZone(app, 'Lz', {
      organization: new Organization(PROPS),
      jumpAccount: { groups: [{ groupName: 'ops', targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads']), permissionLevels: [PermissionLevel.readOnly()] }] }] },
      identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', assignmentShards: 1 },
    });
    const readOnly = lz.permissionSetCatalog!.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
    // WHEN
    lz.permissionSetCatalog!.assign({
      principal: IdentityCenterPrincipal.group('9067a1b2c3-11111111-2222-3333-4444-555555555555'),
      permissionSet: readOnly,
      accounts: AccountSelection.organizationalUnits(['Workloads']),
    });
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const assembly = app.synth();
    // THEN
    // (assignments live in nested stacks: read every template of the assembly)
    const targets = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.template.json'))
      .flatMap((f) => Object.values(JSON.parse(fs.readFileSync(path.join(assembly.directory, f), 'utf8')).Resources ?? {}) as any[])
      .filter((r) => r.Type === 'AWS::SSO::Assignment').map((r) => r.Properties.TargetId).sort();
    expect(targets).toEqual(['200000000001', '200000000004']);
    expect(lz.jumpAccount!.switchRoleLinks.map((l) => l.accountName)).toEqual(['app-a', 'app-d']);
    const policy = JSON.stringify(Template.fromStack(lz.jumpAccountStack!).findResources('AWS::IAM::ManagedPolicy'));
    expect(policy).toContain('200000000001:role/lz-read-only');
    expect(policy).not.toContain('200000000002');
  });
});

describe('Organization.fromJson', () => {
  test('reads the model lz-org import writes, ignoring its import record, and adds external accounts', () => {
    // GIVEN
    const json = JSON.stringify({ ...PROPS, imported: { version: 1, organizationId: 'o-x' } });
    // WHEN
    const org = Organization.fromJson(json, { externalAccounts: [{ accountId: '888888888801', name: 'acquired' }] });
    // THEN
    expect(org.accounts).toEqual(new Organization(PROPS).accounts);
    expect(org.findAccount('app-c').status).toBe(AccountStatus.CLOSED);
    expect(org.externalAccounts).toEqual([{ accountId: '888888888801', name: 'acquired' }]);
    expect(org.jumpAccount?.name).toBe('jump');
  });

  test('fails naming every malformed field at once', () => {
    const bad = JSON.stringify({ rootId: 7, managementAccount: { accountId: '000000000000' }, organizationalUnits: {}, accounts: [{ accountId: 1, name: 'x', tags: { a: 1 } }], extra: true });
    expect(() => Organization.fromJson(bad)).toThrow(new RegExp([
      'Organization.fromJson: 6 problems:',
      '  - extra: unknown field \\(expected rootId, managementAccount, jumpAccount, identityCenterAdminAccount, organizationalUnits, accounts, externalAccounts, organizationId, securityToolingAccount, policyAdministratorAccount\\)',
      '  - rootId: expected a string, got 7',
      '  - managementAccount.name: expected a string, got nothing',
      '  - organizationalUnits: expected a list, got \\{\\}',
      '  - accounts\\[0\\].tags: expected an object of string values',
      '  - accounts\\[0\\].accountId: expected a string, got 1',
    ].join('\n')));
  });

  test('fails when the text is not JSON or not an object', () => {
    expect(() => Organization.fromJson('{ nope')).toThrow(/^Organization.fromJson: the text is not JSON/);
    expect(() => Organization.fromJson('[]')).toThrow(/expected an object with rootId, managementAccount, organizationalUnits and accounts/);
  });

  test('the model values are still checked by the constructor', () => {
    expect(() => Organization.fromJson(JSON.stringify({ ...PROPS, rootId: 'root' }))).toThrow(/rootId: root id 'root' must look like 'r-xxxx'/);
  });
});

describe('landing-zone.json', () => {
  test('records at synth what the landing zone assumes about the organization', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-record-'));
    const app = new App({ outdir });
    new LandingZone(app, 'Lz', { organization: new Organization(PROPS), maxPoliciesPerTarget: 10, stackNamePrefix: 'Corp' });
    app.synth();
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'landing-zone.json'), 'utf8'))).toEqual({
      version: 1,
      landingZones: [{
        path: 'Lz',
        stackNamePrefix: 'Corp',
        region: 'us-east-1',
        rootId: 'r-ab12',
        managementAccountId: '000000000000',
        maxPoliciesPerTarget: 10,
      }],
    });
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});
