import { exampleOrganization } from '../examples/landing-zone/organization';
import { AccountSelection } from '../src';

// the example: Workloads holds shared-network, NonProd (shop-dev, shop-test, data-dev) and Prod (shop-prod,
// data-prod, payments-prod); legacy-closed in Suspended is not active
const org = exampleOrganization();
const names = (s: AccountSelection) => s.resolve(org).map((a) => a.name);

describe('AccountSelection refuses selections that select nothing or exclude nothing', () => {
  test('fails when a list of accounts, of OUs or of selections is empty', () => {
    expect(() => AccountSelection.accounts([]).resolve(org)).toThrow(/^accounts:: selects no account: give at least one account id or name$/);
    expect(() => AccountSelection.organizationalUnits([]).resolve(org)).toThrow(/selects no ou: give at least one ou path$/);
    expect(() => AccountSelection.union([]).resolve(org)).toThrow(/a union of no selections selects nothing: give at least one selection$/);
  });

  test('fails when no account carries the tag, listing the values the key has', () => {
    expect(() => AccountSelection.tagged('env', 'prd').resolve(org))
      .toThrow(/no active member account carries tag 'env' = 'prd' \(values of 'env' in the model: 'dev', 'prod', 'sandbox', 'shared', 'test'\): fix the key or value/);
    expect(() => AccountSelection.tagged('enviroment', 'prod').resolve(org)).toThrow(/no account has the key 'enviroment'/);
  });

  test('fails when an excluded account is not among the selected ones, naming where it is', () => {
    // a typo of the intended account (payments-prod) that names another, existing account outside the OU
    expect(() => AccountSelection.organizationalUnits(['Workloads/Prod'], { excludeAccounts: ['shop-dev'] }).resolve(org))
      .toThrow(/excluded account 'shop-dev' is not among the accounts this selection picks \(it is in ou 'Workloads\/NonProd'\), so excluding it changes nothing: remove it, or name the account meant/);
    expect(() => AccountSelection.tagged('env', 'prod', { excludeAccounts: ['sandbox-bob'] }).resolve(org)).toThrow(/excluded account 'sandbox-bob' is not among/);
  });

  test('valid selections still resolve: nested OUs, exclusions of selected or inactive accounts, tags, unions', () => {
    expect(names(AccountSelection.organizationalUnits(['Workloads/Prod'], { excludeAccounts: ['payments-prod'] }))).toEqual(['shop-prod', 'data-prod']);
    // legacy-closed is not active, so excluding it is harmless (and stays so when it is reactivated)
    expect(names(AccountSelection.allMemberAccounts({ excludeAccounts: ['legacy-closed', 'jump'] }))).not.toContain('jump');
    expect(names(AccountSelection.tagged('pci', 'true'))).toEqual(['payments-prod']);
    expect(names(AccountSelection.union([AccountSelection.accounts(['shop-dev']), AccountSelection.tagged('app', 'data')])))
      .toEqual(['data-dev', 'shop-dev', 'data-prod'].sort((a, b) => org.findAccount(a).accountId.localeCompare(org.findAccount(b).accountId)));
  });
});
