import * as fs from 'fs';
import * as path from 'path';
import { fakeFromModel } from './fake-organization';
import { lzOrg, SRC, tempDir } from './run-cli';
import { exampleOrganization, exampleRetailOrganization } from '../../../examples/landing-zone/organization';
import { AccountSelection, Organization } from '../../../src';

// A second organization is imported exactly like the first, and the model of the jump account's organization holds it.
describe('a second organization from its own import', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('other-org');
    const retail = fakeFromModel(exampleRetailOrganization()).install();
    try {
      expect((await lzOrg(['import', '--ts', path.join(dir, 'retail.generated.ts'), '--json-file', path.join(dir, 'retail.json'),
        '--module', SRC])).code).toBe(0);
    } finally {
      retail.restore();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('round-trips: the model built from the import equals the mocked organization, in TypeScript and JSON', () => {
    // GIVEN
    const expected = exampleRetailOrganization();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fromTs: Organization = require(path.join(dir, 'retail.generated.ts')).organization();
    const fromJson = Organization.fromJson(fs.readFileSync(path.join(dir, 'retail.json'), 'utf8'));
    // THEN the ids the policies need (organization, root, OU ids) and every account, OU and tag
    for (const imported of [fromTs, fromJson]) {
      expect([imported.organizationId, imported.rootId, imported.managementAccount])
        .toEqual([expected.organizationId, expected.rootId, expected.managementAccount]);
      expect(imported.organizationalUnits).toEqual(expected.organizationalUnits);
      expect(imported.accounts).toEqual(expected.accounts);
      expect(imported.entityPath('Workloads/Prod')).toBe('o-ex02retail0/r-ex02/ou-ex02-workload/ou-ex02-prod0001/');
    }
  });

  test('the imported organization joins the jump account\'s model and is selected by OU and tag', () => {
    // GIVEN the company's model with the imported retail organization (TypeScript module and JSON alike)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, 'retail.generated.ts'));
    const company = exampleOrganization();
    const withTs = new Organization({ ...companyProps(company), otherOrganizations: [{ name: 'retail', organization: mod.organization() }] });
    const withJson = new Organization({
      ...companyProps(company),
      otherOrganizations: [{ name: 'retail', organization: Organization.fromJson(fs.readFileSync(path.join(dir, 'retail.json'), 'utf8')) }],
    });
    for (const org of [withTs, withJson]) {
      // WHEN
      const byOu = AccountSelection.organizationalUnits(['Workloads'], { organization: 'retail' })._resolveOrReport(org, fail, true);
      const byTag = AccountSelection.tagged('env', 'prod', { organization: 'o-ex02retail0' })._resolveOrReport(org, fail, true);
      // THEN
      expect(byOu.map((a) => a.name)).toEqual(['pos-dev', 'pos-prod']);
      expect(byTag.map((a) => a.accountId)).toEqual(['121212121203']);
      expect(org.qualifiedName('121212121203')).toBe('retail:pos-prod');
      expect(org.organizationOf('121212121203')?.organizationId).toBe('o-ex02retail0');
    }
  });
});

function fail(message: string): never {
  throw new Error(message);
}

// the props of the company's model without its other organizations (rebuilt around an imported one)
function companyProps(org: Organization) {
  return {
    rootId: org.rootId,
    organizationId: org.organizationId,
    managementAccount: org.managementAccount,
    organizationalUnits: org.organizationalUnits,
    accounts: org.accounts.filter((a) => a.accountId !== org.managementAccount.accountId),
    externalAccounts: org.externalAccounts,
  };
}
