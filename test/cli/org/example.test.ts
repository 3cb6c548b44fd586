import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { fakeFromModel, realisticOrganization } from './fake-organization';
import { lzOrg, REPO, SRC, tempDir } from './run-cli';
import { buildLandingZone } from '../../../examples/landing-zone/app';
import { EXAMPLE_IDENTITY_STORE_ID, EXAMPLE_INSTANCE_ARN } from '../../../examples/landing-zone/identity-center';
import { exampleOrganization } from '../../../examples/landing-zone/organization';
import { Organization } from '../../../src';

// The whole path a new user takes: import the organization, compile the generated module with the project's own
// compiler settings, and build the example landing zone from it.
describe('an imported model in an app', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('example');
    const example = fakeFromModel(exampleOrganization(), { instanceArn: EXAMPLE_INSTANCE_ARN, identityStoreId: EXAMPLE_IDENTITY_STORE_ID }).install();
    expect((await lzOrg(['import', '--ts', path.join(dir, 'example.generated.ts'), '--json-file', path.join(dir, 'example.json'),
      '--jump-account', 'jump', '--identity-center-region', 'us-east-1', '--module', SRC])).code).toBe(0);
    example.restore();
    const realistic = realisticOrganization().install();
    expect((await lzOrg(['import', '--ts', path.join(dir, 'realistic.generated.ts'), '--json-file', path.join(dir, 'realistic.json'),
      '--jump-account', 'jump', '--identity-center-region', 'eu-central-1', '--module', SRC])).code).toBe(0);
    realistic.restore();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the generated TypeScript modules compile with the project\'s tsconfig', () => {
    // GIVEN the project's compiler options (strict, noUnusedLocals, ...), only the file list and locations changed
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      extends: path.join(REPO, 'tsconfig.dev.json'),
      compilerOptions: { rootDir: '/', typeRoots: [path.join(REPO, 'node_modules/@types')] },
      include: [path.join(dir, '*.ts')],
    }));
    // WHEN / THEN (tsc exits non-zero, and execFileSync throws, on any error)
    const out = execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json')],
      { encoding: 'utf8' });
    expect(out).toBe('');
  });

  test('the TypeScript module and the JSON build the same organization', () => {
    for (const name of ['example', 'realistic']) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(dir, `${name}.generated.ts`));
      const fromTs: Organization = mod.organization();
      const fromJson = Organization.fromJson(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
      expect(fromTs.accounts).toEqual(fromJson.accounts);
      expect(fromTs.organizationalUnits).toEqual(fromJson.organizationalUnits);
      expect([fromTs.rootId, fromTs.managementAccount, fromTs.jumpAccount, fromTs.identityCenterAccount])
        .toEqual([fromJson.rootId, fromJson.managementAccount, fromJson.jumpAccount, fromJson.identityCenterAccount]);
    }
  });

  test('the example app built from the imported model synthesizes exactly the templates of the hand-written model', () => {
    // GIVEN the imported module; the acquired company's account and the retail organization are outside the import,
    // so the app adds them
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, 'example.generated.ts'));
    expect(mod.identityCenter).toEqual({ instanceArn: EXAMPLE_INSTANCE_ARN, identityStoreId: EXAMPLE_IDENTITY_STORE_ID, region: 'us-east-1' });
    const imported: Organization = mod.organization({
      externalAccounts: exampleOrganization().externalAccounts,
      otherOrganizations: exampleOrganization().otherOrganizations,
    });
    // WHEN
    const fromImport = new App({ outdir: path.join(dir, 'from-import') });
    buildLandingZone(fromImport, imported);
    const a = fromImport.synth();
    const byHand = new App({ outdir: path.join(dir, 'by-hand') });
    buildLandingZone(byHand);
    const b = byHand.synth();
    // THEN
    expect(a.stacks.map((s) => s.stackName)).toEqual(b.stacks.map((s) => s.stackName));
    expect(a.stacks.length).toBeGreaterThan(5);
    for (const s of a.stacks) expect(s.template).toEqual(b.getStackByName(s.stackName).template);
    expect(fs.readFileSync(path.join(dir, 'from-import', 'access-report.json'), 'utf8'))
      .toBe(fs.readFileSync(path.join(dir, 'by-hand', 'access-report.json'), 'utf8'));
  });
});
