import { Duration } from 'aws-cdk-lib';
import { AccountSelection, IdentityCenterPrincipal, PermissionLevel, PermissionSet, PermissionSetCatalog } from '../../src';

/** The example company's Identity Center instance (in the management account, us-east-1). */
export const EXAMPLE_INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d';
export const EXAMPLE_IDENTITY_STORE_ID = 'd-9067a1b2c3';

/** The permission sets, named after the same levels as the jump-account roles. */
export interface ExamplePermissionSets {
  readonly admin: PermissionSet;
  readonly power: PermissionSet;
  readonly readOnly: PermissionSet;
  readonly ssm: PermissionSet;
}

export function examplePermissionSets(catalog: PermissionSetCatalog): ExamplePermissionSets {
  return {
    // Admin is never assigned as standing access: it is granted through the elevated-access workflow
    admin: catalog.addPermissionSet('Admin', { permissionLevel: PermissionLevel.admin(), sessionDuration: Duration.hours(2) }),
    power: catalog.addPermissionSet('Power', { permissionLevel: PermissionLevel.power(), sessionDuration: Duration.hours(4) }),
    readOnly: catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly(), sessionDuration: Duration.hours(8) }),
    ssm: catalog.addPermissionSet('Ssm', { permissionLevel: PermissionLevel.ssm() }),
  };
}

/**
 * Standing access for the company's engineers, who sign in through Entra ID (groups synchronised by SCIM):
 * platform engineers and developers are power users in non-prod and the sandboxes, on-call engineers get Session
 * Manager shells in every account tagged `env=prod`, auditors read everything. Prod read access for developers is
 * assigned per OU by the landing zone (see app.ts).
 */
export function exampleStandingAssignments(catalog: PermissionSetCatalog, sets: ExamplePermissionSets): void {
  catalog.assign({
    principal: IdentityCenterPrincipal.groupNamed('Platform Engineers'),
    permissionSet: sets.power,
    accounts: AccountSelection.organizationalUnits(['Workloads/NonProd', 'Sandbox']),
  });
  catalog.assign({
    principal: IdentityCenterPrincipal.groupNamed('Developers'),
    permissionSet: sets.power,
    accounts: AccountSelection.organizationalUnits(['Workloads/NonProd', 'Sandbox']),
  });
  catalog.assign({
    principal: IdentityCenterPrincipal.groupNamed('On-Call'),
    permissionSet: sets.ssm,
    accounts: AccountSelection.tagged('env', 'prod'),
  });
  catalog.assign({
    principal: IdentityCenterPrincipal.groupNamed('Auditors'),
    permissionSet: sets.readOnly,
    accounts: AccountSelection.allMemberAccounts({ excludeAccounts: ['legacy-closed'] }),
  });
}
