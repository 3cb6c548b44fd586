import { Organization } from '../../src';

/** A small organization with a delegated security tooling account. */
export function securityOrganization(overrides: { organizationId?: string | null; securityToolingAccount?: string } = {}): Organization {
  return new Organization({
    rootId: 'r-ab12',
    ...(overrides.organizationId === null ? {} : { organizationId: overrides.organizationId ?? 'o-ab12cd34ef' }),
    managementAccount: { accountId: '000000000000', name: 'management' },
    securityToolingAccount: overrides.securityToolingAccount ?? 'audit',
    organizationalUnits: [
      { path: 'Security', ouId: 'ou-ab12-security' },
      { path: 'Workloads', ouId: 'ou-ab12-workload' },
      { path: 'Workloads/Prod', ouId: 'ou-ab12-prod0001' },
      { path: 'Sandbox', ouId: 'ou-ab12-sandbox1' },
    ],
    accounts: [
      { accountId: '222222222202', name: 'audit', organizationalUnit: 'Security' },
      { accountId: '555555555501', name: 'shop-prod', organizationalUnit: 'Workloads/Prod' },
      { accountId: '333333333301', name: 'sandbox', organizationalUnit: 'Sandbox' },
    ],
    externalAccounts: [
      { accountId: '888888888801', name: 'partner-org' },
      { accountId: '999999999901', name: 'vendor-build' },
    ],
  });
}
