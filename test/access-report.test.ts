import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { exampleOrganization } from '../examples/landing-zone/organization';
import {
  AccessPath, AccessReport, AccessReportEntry, AccountSelection, CrossAccountRole, IdentityCenterPrincipal, JumpAccount,
  PermissionLevel, PermissionSetCatalog,
} from '../src';
import { JUMP } from './helpers/jump-fixture';

const entry = (principal: string): AccessReportEntry => ({
  path: AccessPath.ELEVATED_ACCESS,
  principal,
  principalType: 'sso-group',
  accountId: '555555555501',
  access: 'Admin',
  mfaEnforced: false,
  boundary: false,
  elevatedOnly: true,
  source: 'Flow',
});

describe('AccessReport', () => {
  test('is one per app and writes JSON and Markdown into the cloud assembly', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-report-'));
    const app = new App({ outdir });
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    // WHEN
    AccessReport.of(a).addEntry({
      path: AccessPath.JUMP_ACCOUNT_ROLE,
      principal: 'vendor-acme',
      principalType: 'iam-group',
      accountId: '555555555501',
      accountName: 'shop-prod',
      access: 'lz-read-only',
      level: 'ReadOnly',
      mfaEnforced: true,
      sourceCidrs: ['203.0.113.0/24'],
      boundary: true,
      elevatedOnly: false,
      maxSessionSeconds: 3600,
      source: 'A/Jump',
    });
    AccessReport.of(b).addEntry({ ...entry('sre'), conditions: '2 of [sec-leads]', source: 'B/Flow' });
    app.synth();
    // THEN
    expect(AccessReport.of(a)).toBe(AccessReport.of(b));
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'access-report.json'), 'utf8'));
    expect(json.entries.map((e: any) => e.principal)).toEqual(['sre', 'vendor-acme']);
    const md = fs.readFileSync(path.join(outdir, 'access-report.md'), 'utf8');
    expect(md).toMatch(/## iam-group vendor-acme/);
    expect(md).toMatch(/\| shop-prod \(555555555501\) \| lz-read-only \| ReadOnly \| jump-account-role \| yes \| 203\.0\.113\.0\/24 \| yes \| no \| 1 h \|/);
    expect(md).toMatch(/\| 555555555501 \(555555555501\) \| Admin \| custom \| elevated-access \| no \| any \| no \| yes \| - \| 2 of \[sec-leads\] \|/);
  });

  test('escapes what would break a Markdown table: a | in a cell, a backslash, a line break', () => {
    // GIVEN
    const app = new App();
    // WHEN
    AccessReport.of(app).addEntry({ ...entry('sre'), conditions: 'ticket matching ^(INC|CHG)-\\d+$\nand a second line' });
    // THEN: ten cells, the pattern whole in the last one
    const row = AccessReport.of(app).renderMarkdown().split('\n').find((l) => l.startsWith('| 555555555501'))!;
    expect(row).toBe('| 555555555501 (555555555501) | Admin | custom | elevated-access | no | any | no | yes | - | '
      + 'ticket matching ^(INC\\|CHG)-\\\\d+$ and a second line |');
    expect(row.split(/(?<!\\)\|/)).toHaveLength(12);
  });

  describe('sources', () => {
    test('reads a source when the report is written, and a source given twice once', () => {
      // GIVEN a source whose rows are complete only after it is given
      const app = new App();
      const rows = [entry('sre')];
      const source = { accessReportEntries: () => [...rows] };
      // WHEN
      AccessReport.of(app).addSource(source);
      AccessReport.of(app).addSource(source);
      rows.push(entry('dba'));
      // THEN
      expect(AccessReport.of(app).entries.map((e) => e.principal)).toEqual(['dba', 'sre']);
    });

    test('a jump account lists a role deployed after it as the library\'s, in the report it is given', () => {
      // GIVEN a jump account in a stage, reporting to the app's report
      const app = new App();
      const stage = new Stage(app, 'Dev');
      const org = exampleOrganization();
      const jump = new JumpAccount(new Stack(stage, 'Jump', { env: { account: JUMP } }), 'JumpAccount', {
        organization: org,
        groups: [{ groupName: 'auditors', targets: [{ accounts: AccountSelection.accounts(['shop-dev']), permissionLevels: [PermissionLevel.readOnly()] }] }],
        accessReport: AccessReport.of(app),
      });
      const before = jump.accessReportEntries().map((e) => e.boundary);
      // WHEN the role is deployed afterwards
      new CrossAccountRole(new Stack(stage, 'Dev', { env: { account: '444444444401' } }), 'Role', { jumpAccount: jump, permissionLevel: PermissionLevel.readOnly() });
      // THEN
      expect(before).toEqual([false]);
      expect(AccessReport.of(app).entries.map((e) => [e.principal, e.accountId, e.access, e.boundary, e.conditions]))
        .toEqual([['auditors', '444444444401', 'lz-read-only', true, undefined]]);
      expect(AccessReport.of(jump).entries).toEqual([]);
      expect(AccessReport.of(jump)).not.toBe(AccessReport.of(app));
    });

    test('a catalog lists the assignments made after its construction', () => {
      // GIVEN
      const app = new App();
      const org = exampleOrganization();
      const stack = new Stack(app, 'IdentityCenter', { env: { account: org.identityCenterAccount.accountId, region: 'us-east-1' } });
      const catalog = new PermissionSetCatalog(stack, 'Catalog', {
        organization: org,
        instanceArn: 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d',
        existingCustomerManagedPolicies: [{ name: 'lz-permissions-boundary', accounts: AccountSelection.allMemberAccounts() }],
      });
      const readOnly = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
      // WHEN
      catalog.assign({ principal: IdentityCenterPrincipal.group('11111111-2222-3333-4444-555555555555'), permissionSet: readOnly, accounts: AccountSelection.accounts(['shop-dev']) });
      // THEN
      expect(AccessReport.of(app).entries.map((e) => [e.path, e.accountId, e.access, e.level, e.source]))
        .toEqual([[AccessPath.PERMISSION_SET_ASSIGNMENT, '444444444401', 'ReadOnly', 'ReadOnly', 'IdentityCenter/Catalog']]);
      expect(catalog.accessReportEntries()).toEqual(AccessReport.of(app).entries);
    });
  });
});
