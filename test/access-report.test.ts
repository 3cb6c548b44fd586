import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AccessPath, AccessReport } from '../src';

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
    AccessReport.of(b).addEntry({
      path: AccessPath.ELEVATED_ACCESS,
      principal: 'sre',
      principalType: 'sso-group',
      accountId: '555555555501',
      access: 'Admin',
      mfaEnforced: false,
      boundary: false,
      elevatedOnly: true,
      conditions: '2 of [sec-leads]',
      source: 'B/Flow',
    });
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
    AccessReport.of(app).addEntry({
      path: AccessPath.ELEVATED_ACCESS,
      principal: 'sre',
      principalType: 'sso-group',
      accountId: '555555555501',
      access: 'Admin',
      mfaEnforced: false,
      boundary: false,
      elevatedOnly: true,
      conditions: 'ticket matching ^(INC|CHG)-\\d+$\nand a second line',
      source: 'Flow',
    });
    // THEN: ten cells, the pattern whole in the last one
    const row = AccessReport.of(app).renderMarkdown().split('\n').find((l) => l.startsWith('| 555555555501'))!;
    expect(row).toBe('| 555555555501 (555555555501) | Admin | custom | elevated-access | no | any | no | yes | - | '
      + 'ticket matching ^(INC\\|CHG)-\\\\d+$ and a second line |');
    expect(row.split(/(?<!\\)\|/)).toHaveLength(12);
  });
});
