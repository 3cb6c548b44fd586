import { AccountDefinition, Organization } from '../../src';

/**
 * The example company: a management account, Identity Center delegated to the audit account (which also runs the
 * security tooling), a jump account, nested workload OUs, a sandbox and a suspended OU, the retail subsidiary's
 * organization that the same jump account serves, one account of an acquired company, and a vendor's own account
 * that the data perimeter trusts. `moreAccounts` joins the member accounts (the test of what adding one changes).
 */
export function exampleOrganization(moreAccounts: AccountDefinition[] = []): Organization {
  return new Organization({
    rootId: 'r-ex01',
    organizationId: 'o-ex01abcdef',
    managementAccount: { accountId: '000000000000', name: 'management' },
    jumpAccount: { accountId: '111111111111', name: 'jump', organizationalUnit: 'Security' },
    // Identity Center is administered from the audit account, which also hosts the elevated-access workflow
    identityCenterAdminAccount: 'audit',
    organizationalUnits: [
      { path: 'Security', ouId: 'ou-ex01-securit1' },
      { path: 'Sandbox', ouId: 'ou-ex01-sandbox1' },
      { path: 'Workloads', ouId: 'ou-ex01-workload' },
      { path: 'Workloads/NonProd', ouId: 'ou-ex01-nonprod1' },
      { path: 'Workloads/Prod', ouId: 'ou-ex01-prod0001' },
      { path: 'Suspended', ouId: 'ou-ex01-suspend1' },
    ],
    accounts: [
      { accountId: '222222222201', name: 'log-archive', organizationalUnit: 'Security' },
      { accountId: '222222222202', name: 'audit', organizationalUnit: 'Security' },
      { accountId: '333333333301', name: 'sandbox-alice', organizationalUnit: 'Sandbox', tags: { env: 'sandbox' } },
      { accountId: '333333333302', name: 'sandbox-bob', organizationalUnit: 'Sandbox', tags: { env: 'sandbox' } },
      { accountId: '444444444401', name: 'shop-dev', organizationalUnit: 'Workloads/NonProd', tags: { env: 'dev', app: 'shop' } },
      { accountId: '444444444402', name: 'shop-test', organizationalUnit: 'Workloads/NonProd', tags: { env: 'test', app: 'shop' } },
      { accountId: '444444444403', name: 'data-dev', organizationalUnit: 'Workloads/NonProd', tags: { env: 'dev', app: 'data' } },
      { accountId: '555555555501', name: 'shop-prod', organizationalUnit: 'Workloads/Prod', tags: { env: 'prod', app: 'shop' } },
      { accountId: '555555555502', name: 'data-prod', organizationalUnit: 'Workloads/Prod', tags: { env: 'prod', app: 'data' } },
      { accountId: '555555555503', name: 'payments-prod', organizationalUnit: 'Workloads/Prod', tags: { env: 'prod', app: 'payments', pci: 'true' } },
      { accountId: '666666666601', name: 'legacy-closed', organizationalUnit: 'Suspended' },
      { accountId: '777777777701', name: 'shared-network', organizationalUnit: 'Workloads', tags: { env: 'shared' } },
      ...moreAccounts,
    ],
    // the Security OU's audit account runs the security tooling (IAM Access Analyzer, denied-action alerts)
    securityToolingAccount: 'audit',
    externalAccounts: [
      { accountId: '888888888801', name: 'acquired-co-prod' },
      // Acme's own account, whose build pipeline reads the release bucket of shop-prod
      { accountId: '999999999901', name: 'acme-build' },
    ],
    // the retail subsidiary's own organization: its app deploys its baseline (retail.ts); vendors reach it by OU
    otherOrganizations: [{ name: 'retail', organization: exampleRetailOrganization() }],
  });
}

/**
 * The retail subsidiary's organization, as its own `lz-org import` writes it: account names and OU paths repeat the
 * company's ('management', 'audit', 'Workloads/Prod'), since each organization names its own.
 */
export function exampleRetailOrganization(): Organization {
  return new Organization({
    rootId: 'r-ex02',
    organizationId: 'o-ex02retail0',
    managementAccount: { accountId: '121212121200', name: 'management' },
    organizationalUnits: [
      { path: 'Security', ouId: 'ou-ex02-securit1' },
      { path: 'Workloads', ouId: 'ou-ex02-workload' },
      { path: 'Workloads/Prod', ouId: 'ou-ex02-prod0001' },
    ],
    accounts: [
      { accountId: '121212121201', name: 'audit', organizationalUnit: 'Security' },
      { accountId: '121212121202', name: 'pos-dev', organizationalUnit: 'Workloads', tags: { env: 'dev', app: 'pos' } },
      { accountId: '121212121203', name: 'pos-prod', organizationalUnit: 'Workloads/Prod', tags: { env: 'prod', app: 'pos' } },
    ],
  });
}
