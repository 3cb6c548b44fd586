import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { AccountSelection, LandingZoneJumpAccountOptions, PermissionLevel, TargetRoleOptions } from '../../src';

/**
 * The roles jump-account users switch into, deployed by the OU baselines (a group may assume only the roles named
 * for it, so deploying a role to an OU grants nobody anything by itself).
 */
export const WORKLOAD_ROLES: TargetRoleOptions[] = [
  { permissionLevel: PermissionLevel.readOnly() },
  { permissionLevel: PermissionLevel.power() },
  { permissionLevel: PermissionLevel.ssm() },
  // administrators must have signed in with MFA within the last hour
  { permissionLevel: PermissionLevel.admin(), maxMfaAge: Duration.hours(1) },
];
export const SANDBOX_ROLES: TargetRoleOptions[] = [
  { permissionLevel: PermissionLevel.powerAndIam() },
  { permissionLevel: PermissionLevel.readOnly() },
];

/**
 * The roles the jump account's groups expect in the retail organization, committed beside the apps: the company's app
 * writes it (`-c lz:writeJumpAccountManifest=true`), the retail app deploys and checks them (retail.ts).
 */
export const JUMP_ACCOUNT_MANIFEST = path.join(__dirname, 'jump-account-manifest.json');

/**
 * The jump account's people:
 * - `vendor-acme`: Power in Workloads/NonProd, ReadOnly in Workloads/Prod and in the retail organization's
 *   Workloads/Prod, from the vendor's office only;
 * - `vendor-globex`: Session Manager in Workloads/Prod, PowerAndIam in the sandboxes;
 * - `auditors`: ReadOnly in every Workloads account, the retail organization's included, and in the acquired
 *   company's account (whose own pipeline deploys the role);
 * - `break-glass`: Admin in every Workloads account.
 */
export function exampleJumpAccount(): LandingZoneJumpAccountOptions {
  const workloads = AccountSelection.organizationalUnits(['Workloads']);
  return {
    groups: [
      {
        groupName: 'vendor-acme',
        targets: [
          { accounts: AccountSelection.organizationalUnits(['Workloads/NonProd']), permissionLevels: [PermissionLevel.power()] },
          { accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [PermissionLevel.readOnly()] },
          // the same path in the retail organization: qualified, since each organization has its own
          { accounts: AccountSelection.organizationalUnits(['Workloads/Prod'], { organization: 'retail' }), permissionLevels: [PermissionLevel.readOnly()] },
        ],
        allowedSourceCidrs: ['203.0.113.0/24'],
      },
      {
        groupName: 'vendor-globex',
        targets: [
          { accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [PermissionLevel.ssm()] },
          { accounts: AccountSelection.organizationalUnits(['Sandbox']), permissionLevels: [PermissionLevel.powerAndIam()] },
        ],
        allowedSourceCidrs: ['198.51.100.0/24', '2001:db8:1234::/48'],
      },
      {
        groupName: 'auditors',
        targets: [{
          accounts: AccountSelection.union([
            workloads,
            AccountSelection.organizationalUnits(['Workloads'], { organization: 'retail' }),
            AccountSelection.accounts(['acquired-co-prod']),
          ]),
          permissionLevels: [PermissionLevel.readOnly()],
        }],
      },
      { groupName: 'break-glass', targets: [{ accounts: workloads, permissionLevels: [PermissionLevel.admin()] }] },
    ],
    users: [
      { userName: 'acme-alice', groups: ['vendor-acme'] },
      { userName: 'acme-ci', groups: ['vendor-acme'], consoleAccess: false },
      { userName: 'globex-gary', groups: ['vendor-globex'] },
      { userName: 'audit-carol', groups: ['auditors'] },
      { userName: 'breakglass-dave', groups: ['break-glass'] },
      { userName: 'breakglass-erin', groups: ['break-glass'] },
    ],
    // the acquired company's own pipeline deploys its roles
    externallyManagedRoles: [{ accounts: AccountSelection.accounts(['acquired-co-prod']), permissionLevels: [PermissionLevel.readOnly()] }],
    // the retail organization's roles: its own app deploys them and fails when one the groups expect is missing
    manifestFile: JUMP_ACCOUNT_MANIFEST,
  };
}
