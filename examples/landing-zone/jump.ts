import { App, Duration, Stack } from 'aws-cdk-lib';
import { AccountSelection, CrossAccountRole, JumpAccount, Organization, PermissionLevel } from '../../src';

/**
 * The jump account and the roles its users switch into:
 * - `vendor-acme`: Power in Workloads/NonProd, ReadOnly in Workloads/Prod, from the vendor's office only;
 * - `vendor-globex`: Session Manager in Workloads/Prod, PowerAndIam in the sandboxes;
 * - `auditors`: ReadOnly in every Workloads account and in the acquired company's account (another organization,
 *   whose own pipeline deploys the role);
 * - `break-glass`: Admin in every Workloads account, with a fresh MFA sign-in.
 * One `LzTargetRoles-<account>` stack per target account deploys exactly the roles the groups point at.
 */
export function addJumpAccount(app: App, org: Organization): JumpAccount {
  const jumpAccount = org.jumpAccount!;
  const stack = new Stack(app, 'LzJumpAccount', {
    env: { account: jumpAccount.accountId, region: 'us-east-1' },
    description: 'Jump account: IAM users for vendors, auditors and break-glass admins',
  });
  const levels = [
    PermissionLevel.admin(), PermissionLevel.power(), PermissionLevel.readOnly(),
    PermissionLevel.powerAndIam(), PermissionLevel.ssm(),
  ];
  const [admin, power, readOnly, powerAndIam, ssm] = levels;
  const workloads = AccountSelection.organizationalUnits(['Workloads']);

  const jump = new JumpAccount(stack, 'JumpAccount', {
    organization: org,
    groups: [
      {
        groupName: 'vendor-acme',
        targets: [
          { accounts: AccountSelection.organizationalUnits(['Workloads/NonProd']), permissionLevels: [power] },
          { accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [readOnly] },
        ],
        allowedSourceCidrs: ['203.0.113.0/24'],
      },
      {
        groupName: 'vendor-globex',
        targets: [
          { accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [ssm] },
          { accounts: AccountSelection.organizationalUnits(['Sandbox']), permissionLevels: [powerAndIam] },
        ],
        allowedSourceCidrs: ['198.51.100.0/24', '2001:db8:1234::/48'],
      },
      {
        groupName: 'auditors',
        targets: [{ accounts: AccountSelection.union([workloads, AccountSelection.accounts(['acquired-co-prod'])]), permissionLevels: [readOnly] }],
      },
      { groupName: 'break-glass', targets: [{ accounts: workloads, permissionLevels: [admin] }] },
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
    externallyManagedRoles: [{ accounts: AccountSelection.accounts(['acquired-co-prod']), permissionLevels: [readOnly] }],
  });

  // Deploy, per member account, exactly the roles the groups point at.
  const rolesByAccount = new Map<string, Set<string>>();
  for (const link of jump.switchRoleLinks) {
    if (!org.isMember(link.accountId)) continue;
    rolesByAccount.set(link.accountId, (rolesByAccount.get(link.accountId) ?? new Set()).add(link.roleName));
  }
  for (const [accountId, roleNames] of [...rolesByAccount].sort(([a], [b]) => a.localeCompare(b))) {
    const account = org.findAccount(accountId);
    const target = new Stack(app, `LzTargetRoles-${account.name}`, {
      env: { account: accountId, region: 'us-east-1' },
      description: `Roles the jump account's users switch into in ${account.name}`,
    });
    for (const level of levels.filter((l) => roleNames.has(l.roleName()))) {
      new CrossAccountRole(target, level.name, {
        jumpAccount: jump,
        permissionLevel: level,
        // administrators must have signed in with MFA within the last hour
        maxMfaAge: level.isAdministrator ? Duration.hours(1) : undefined,
      });
    }
  }
  return jump;
}
