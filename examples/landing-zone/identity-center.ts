import { App, Duration, Stack } from 'aws-cdk-lib';
import {
  AccountSelection, IdentityCenterPrincipal, Organization, PermissionLevel, PermissionSetBoundary, PermissionSetCatalog,
} from '../../src';

/** The example company's Identity Center instance (in the management account, us-east-1). */
export const EXAMPLE_INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d';
export const EXAMPLE_IDENTITY_STORE_ID = 'd-9067a1b2c3';

/**
 * Permission sets for the company's engineers, who sign in through Entra ID (groups synchronised by SCIM):
 * platform admins everywhere except the suspended OU, developers power users in non-prod and readers in prod,
 * on-call engineers Session Manager shells in prod, auditors read-only everywhere.
 */
export function addIdentityCenter(app: App, org: Organization): PermissionSetCatalog {
  const stack = new Stack(app, 'IdentityCenter', {
    env: { account: org.identityCenterAccount.accountId, region: 'us-east-1' },
    description: 'Identity Center permission sets and assignments',
  });
  const catalog = new PermissionSetCatalog(stack, 'Catalog', {
    organization: org,
    instanceArn: EXAMPLE_INSTANCE_ARN,
    identityStoreId: EXAMPLE_IDENTITY_STORE_ID,
    // the landing zone boundary is deployed in every member account by the boundary StackSet
    existingCustomerManagedPolicies: [{ name: 'lz-permissions-boundary', accounts: AccountSelection.allMemberAccounts() }],
    dynamicAssignments: true,
  });

  const admin = catalog.addPermissionSet('Admin', { permissionLevel: PermissionLevel.admin() });
  const power = catalog.addPermissionSet('Power', { permissionLevel: PermissionLevel.power(), sessionDuration: Duration.hours(4) });
  const readOnly = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly(), sessionDuration: Duration.hours(8) });
  const ssm = catalog.addPermissionSet('Ssm', { permissionLevel: PermissionLevel.ssm() });
  // the management account holds no landing zone boundary: its admins get an explicitly unbounded set
  const orgAdmin = catalog.addPermissionSet('OrgAdmin', {
    permissionLevel: PermissionLevel.admin(),
    permissionSetName: 'OrgAdmin',
    permissionsBoundary: PermissionSetBoundary.none(),
    description: 'Administrator of the management account',
  });

  const platform = IdentityCenterPrincipal.groupNamed('Platform Admins');
  catalog.assign({
    principal: platform,
    permissionSet: admin,
    accounts: AccountSelection.organizationalUnits(['Security', 'Sandbox', 'Workloads']),
  });
  catalog.assign({ principal: platform, permissionSet: orgAdmin, accounts: AccountSelection.accounts(['management']) });
  catalog.assign({
    principal: IdentityCenterPrincipal.groupNamed('Developers'),
    permissionSet: power,
    accounts: AccountSelection.union([
      AccountSelection.organizationalUnits(['Workloads/NonProd', 'Sandbox']),
    ]),
  });
  catalog.assign({
    principal: IdentityCenterPrincipal.groupNamed('Developers'),
    permissionSet: readOnly,
    accounts: AccountSelection.organizationalUnits(['Workloads/Prod'], { excludeAccounts: ['payments-prod'] }),
  });
  catalog.assign({
    principal: IdentityCenterPrincipal.groupNamed('On-Call'),
    permissionSet: ssm,
    accounts: AccountSelection.tagged('env', 'prod'),
  });
  catalog.assign({
    principal: IdentityCenterPrincipal.groupNamed('Auditors'),
    permissionSet: readOnly,
    accounts: AccountSelection.allMemberAccounts({ excludeAccounts: ['legacy-closed'] }),
  });
  return catalog;
}
