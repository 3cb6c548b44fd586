import { Organization, OrganizationProps } from '../src';

const base: OrganizationProps = {
  rootId: 'r-ab12',
  managementAccount: { accountId: '000000000000', name: 'management' },
  organizationalUnits: [{ path: 'Security', ouId: 'ou-ab12-security' }],
  accounts: [{ accountId: '222222222202', name: 'audit', organizationalUnit: 'Security' }],
  externalAccounts: [{ accountId: '999999999901', name: 'vendor' }],
};

describe('Organization: organization id and security tooling account', () => {
  test('security tooling runs in the management account unless delegated, by name or id', () => {
    expect(new Organization(base).securityToolingAccount.name).toBe('management');
    expect(new Organization(base).securityToolingDelegated).toBe(false);
    const delegated = new Organization({ ...base, securityToolingAccount: '222222222202', organizationId: 'o-ab12cd34ef' });
    expect(delegated.securityToolingAccount.name).toBe('audit');
    expect(delegated.securityToolingDelegated).toBe(true);
    expect(delegated.organizationId).toBe('o-ab12cd34ef');
  });

  test('fails for a malformed organization id and a tooling account that is unknown or external, naming both', () => {
    expect(() => new Organization({ ...base, organizationId: 'o-ABC', securityToolingAccount: 'vendor' })).toThrow(new RegExp([
      "organizationId: organization id 'o-ABC' must look like 'o-'",
      "securityToolingAccount: account 'vendor' is not a member account of the organization",
    ].join('[\\s\\S]*')));
    expect(() => new Organization({ ...base, securityToolingAccount: 'nobody' })).toThrow(/securityToolingAccount: account 'nobody'/);
  });
});
