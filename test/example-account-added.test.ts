// What adding one account to one OU changes in the example's templates (README, Deploying): only the stacks that must
// know the account, every other template byte-identical.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildLandingZone } from '../examples/landing-zone/app';
import { exampleOrganization } from '../examples/landing-zone/organization';
import { AccountDefinition } from '../src';

function synthTemplates(moreAccounts: AccountDefinition[]): Map<string, any> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-added-'));
  const app = new App({ outdir });
  buildLandingZone(app, exampleOrganization(moreAccounts));
  app.synth();
  const out = new Map<string, any>();
  for (const f of fs.readdirSync(outdir).filter((n) => n.endsWith('.template.json'))) {
    out.set(f.replace(/[0-9A-F]{8}\.(nested\.)?template\.json$/, ''), JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')));
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return out;
}

function changedResources(before: any, after: any): string[] {
  const ids = new Set([...Object.keys(before.Resources ?? {}), ...Object.keys(after.Resources ?? {})]);
  return [...ids].filter((id) => JSON.stringify(before.Resources?.[id]) !== JSON.stringify(after.Resources?.[id])).sort();
}

describe('adding one account to one OU (Workloads/NonProd, not an elevated-access target)', () => {
  const before = synthTemplates([]);
  const after = synthTemplates([{ accountId: '444444444404', name: 'ml-dev', organizationalUnit: 'Workloads/NonProd', tags: { env: 'dev', app: 'ml' } }]);
  const changed = [...after.keys()].filter((k) => JSON.stringify(before.get(k)) !== JSON.stringify(after.get(k))).sort();

  test('changes three templates: the jump account, one assignment shard and its entry in the Identity Center parent', () => {
    expect([...before.keys()].sort()).toEqual([...after.keys()].sort());
    expect(changed).toEqual([
      'LandingZoneIdentityCenter',
      expect.stringMatching(/^LandingZoneIdentityCenterCatalogAssignments\d\d$/),
      'LandingZoneJumpAccount',
    ]);
  });

  test('the Identity Center parent changes only the shard\'s nested-stack resource (its template URL, the asset hash)', () => {
    const resources = changedResources(before.get('LandingZoneIdentityCenter'), after.get('LandingZoneIdentityCenter'));
    expect(resources).toEqual([expect.stringMatching(/^CatalogAssignments\d\dNestedStackAssignments\d\dNestedStackResource/)]);
  });

  test('the jump account changes only the assume-role policies of groups that reach the OU', () => {
    const resources = changedResources(before.get('LandingZoneJumpAccount'), after.get('LandingZoneJumpAccount'));
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) expect(r).toMatch(/^JumpAccountAssumeRoles/);
  });
});
