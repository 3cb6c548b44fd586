import { exampleOrganization } from '../examples/landing-zone/organization';
import { AccountSelection, Organization } from '../src';

function org(overrides: Record<string, unknown> = {}): Organization {
  return new Organization({
    rootId: 'r-ab12',
    managementAccount: { accountId: '000000000000', name: 'management' },
    jumpAccount: { accountId: '111111111111', name: 'jump', organizationalUnit: 'Security' },
    organizationalUnits: [
      { path: 'Security', ouId: 'ou-ab12-00000001' },
      { path: 'Workloads', ouId: 'ou-ab12-00000002' },
      { path: 'Workloads/Prod', ouId: 'ou-ab12-00000003' },
      { path: 'Workloads/Prod/Pci', ouId: 'ou-ab12-00000004' },
    ],
    accounts: [
      { accountId: '200000000001', name: 'shared', organizationalUnit: 'Workloads', tags: { env: 'shared' } },
      { accountId: '300000000001', name: 'prod-a', organizationalUnit: 'Workloads/Prod', tags: { env: 'prod' } },
      { accountId: '400000000001', name: 'pci-a', organizationalUnit: 'Workloads/Prod/Pci', tags: { env: 'prod' } },
    ],
    ...overrides,
  });
}

describe('Organization', () => {
  test('expands OUs recursively through three levels by default', () => {
    // GIVEN
    const o = org();
    // THEN
    expect(o.accountsIn('Workloads').map((a) => a.name).sort()).toEqual(['pci-a', 'prod-a', 'shared']);
    expect(o.accountsIn('Workloads', false).map((a) => a.name)).toEqual(['shared']);
    expect(o.descendantsOf('Workloads')).toEqual(['Workloads/Prod', 'Workloads/Prod/Pci']);
  });

  test('finds accounts by id or case-insensitive name', () => {
    const o = org();
    expect(o.findAccount('PROD-A').accountId).toBe('300000000001');
    expect(o.findAccount('400000000001').name).toBe('pci-a');
    expect(o.identityCenterAccount.name).toBe('management');
    expect(o.identityCenterDelegated).toBe(false);
  });

  test('fails when account ids, OU ids or OU parents are invalid, reporting all at once', () => {
    expect(() => org({
      rootId: 'root',
      organizationalUnits: [{ path: 'A/B', ouId: 'bad' }],
      accounts: [
        { accountId: '12345', name: 'short', organizationalUnit: 'Nope' },
        { accountId: '000000000000', name: 'dup' },
      ],
    })).toThrow(/rootId: root id 'root'[\s\S]*ou id 'bad'[\s\S]*parent 'A', which is not defined[\s\S]*account id '12345' must be 12 digits[\s\S]*ou 'Nope' of account 'short' is not defined[\s\S]*account id '000000000000' is defined twice/);
  });

  test('fails when an OU path is given twice, with or without a trailing slash, naming both entries', () => {
    const base = [{ path: 'Sandbox', ouId: 'ou-ab12-sandbox1' }];
    expect(() => org({ organizationalUnits: [...base, { path: 'Sandbox/', ouId: 'ou-ab12-sandbox2' }] }))
      .toThrow(/organizationalUnits\[1\]\.path: ou path 'Sandbox\/' names the same OU as 'Sandbox' \(organizationalUnits\[0\]\); paths ignore leading and trailing '\/', define each OU once/);
    expect(() => org({ organizationalUnits: [...base, { path: 'Sandbox', ouId: 'ou-ab12-sandbox2' }] }))
      .toThrow(/organizationalUnits\[1\]\.path: ou 'Sandbox' is defined twice \(also organizationalUnits\[0\]\); define each OU once/);
  });

  test('fails when the delegated Identity Center account is unknown', () => {
    expect(() => org({ identityCenterAdminAccount: 'ghost' })).toThrow(/identityCenterAdminAccount: account 'ghost' is not defined/);
  });

  test('the example organization has nested workload OUs and a jump account', () => {
    const o = exampleOrganization();
    expect(o.jumpAccount?.accountId).toBe('111111111111');
    expect(o.accountsIn('Workloads').length).toBe(7);
    expect(o.accounts.length).toBeGreaterThanOrEqual(12);
  });
});

describe('AccountSelection', () => {
  test('selects by OU with exclusions, by tag and by union, sorted and without duplicates', () => {
    const o = org();
    const ou = AccountSelection.organizationalUnits(['Workloads'], { excludeAccounts: ['pci-a'] }).resolve(o);
    expect(ou.map((a) => a.name)).toEqual(['shared', 'prod-a']);
    expect(AccountSelection.tagged('env', 'prod').resolve(o).map((a) => a.name)).toEqual(['prod-a', 'pci-a']);
    const union = AccountSelection.union([
      AccountSelection.accounts(['prod-a']),
      AccountSelection.organizationalUnits(['Workloads/Prod']),
    ]).resolve(o);
    expect(union.map((a) => a.name)).toEqual(['prod-a', 'pci-a']);
  });

  test('all member accounts leaves out the management account', () => {
    const ids = AccountSelection.allMemberAccounts().resolve(org()).map((a) => a.accountId);
    expect(ids).not.toContain('000000000000');
    expect(ids).toContain('111111111111');
  });

  test('fails when a selection names an unknown OU or account', () => {
    expect(() => AccountSelection.organizationalUnits(['Ghost']).resolve(org())).toThrow(/ou 'Ghost' is not defined/);
    expect(() => AccountSelection.accounts(['999999999999']).resolve(org())).toThrow(/account '999999999999' is not defined/);
    expect(() => AccountSelection.tagged('env', 'prod', { excludeAccounts: ['nope'] }).resolve(org()))
      .toThrow(/excluded account 'nope' is not defined/);
  });
});
