// The whole-organization shape the scale benchmark synthesizes: 50 OUs, 31 jump groups (by organization path, one of
// them over every workload account), 100 users, 20 permission sets, 6 standing assignments per workload account, 2-3
// target roles in every account, root and OU guardrails, the rule pack (optional) and elevated access over the
// production OUs.
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { AccountDefinition, LandingZone, Organization, PermissionSet } from '../src';

/**
 * The library as its users load it: the compiled JavaScript in `lib/` (`npx projen compile`), so neither side of the
 * benchmark compiles TypeScript at run time. `LZ_BENCH_LIBRARY=src` loads `src/` through ts-node instead.
 */
export const LIBRARY_DIR = path.join(__dirname, '..', process.env.LZ_BENCH_LIBRARY === 'src' ? 'src' : 'lib');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib: typeof import('../src') = require(LIBRARY_DIR);
const {
  AccountSelection, ApprovalRequirement, AssignmentPlacement, ElevatedAccessWorkflow, Guardrail, IdentityCenterPrincipal,
  JumpPrincipal, LandingZone: LandingZoneClass, LandingZoneBoundary, LandingZoneChecks, Organization: OrganizationClass,
  PermissionLevel, TargetRoleDeploymentMode,
} = lib;

/** Business units: each is an OU with a Prod and a NonProd OU below it (16 x 3 + Workloads + Security = 50 OUs). */
export const UNITS = 16;
const ENVS = ['Prod', 'NonProd'];
const INSTANCE = 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d';
const STORE = 'd-9067a1b2c3';
const LEVELS = [PermissionLevel.readOnly(), PermissionLevel.power(), PermissionLevel.ssm(), PermissionLevel.powerAndIam()];

export type Mode = 'stackset' | 'per-account';

const groupId = (i: number) => `9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-${String(i).padStart(12, '0')}`;

/** `n` member accounts spread evenly over the 32 leaf OUs, plus the jump and audit accounts in Security. */
export function organization(n: number): Organization {
  const ous = [{ path: 'Security', ouId: 'ou-be01-security' }, { path: 'Workloads', ouId: 'ou-be01-workload' }];
  for (let b = 0; b < UNITS; b++) {
    ous.push({ path: `Workloads/BU${b}`, ouId: `ou-be01-b${String(b).padStart(7, '0')}` });
    ENVS.forEach((e, k) => ous.push({ path: `Workloads/BU${b}/${e}`, ouId: `ou-be01-${k}${String(b).padStart(7, '0')}` }));
  }
  const accounts: AccountDefinition[] = Array.from({ length: n }, (_, i) => {
    const env = ENVS[Math.floor(i / UNITS) % ENVS.length];
    return {
      accountId: String(100_000_000_000 + i * 7919),
      name: `acct-${i}`,
      organizationalUnit: `Workloads/BU${i % UNITS}/${env}`,
      tags: { env: env.toLowerCase() },
    };
  });
  accounts.push({ accountId: '222222222202', name: 'audit', organizationalUnit: 'Security' });
  return new OrganizationClass({
    rootId: 'r-be01',
    organizationId: 'o-be01abcdef',
    managementAccount: { accountId: '000000000000', name: 'management' },
    jumpAccount: { accountId: '111111111111', name: 'jump', organizationalUnit: 'Security' },
    identityCenterAdminAccount: 'audit',
    organizationalUnits: ous,
    accounts,
  });
}

/**
 * Builds the library's landing zone for `org` into `scope`. `jumpElevated`: the elevated-access workflow also gives
 * the 30 team groups Power on every production account by request (`--jump-elevated`): in StackSet mode its rules
 * follow the production OUs (a StackSet per OU), in per-account mode a stack per production account.
 */
export function buildLibrary(scope: App, org: Organization, mode: Mode, pack: boolean, jumpElevated = false): LandingZone {
  const lz = new LandingZoneClass(scope, 'Lz', {
    organization: org,
    rootGuardrails: [Guardrail.denyRootUser(), Guardrail.denyLeavingOrganization(), Guardrail.denyRootAccessKeys(), Guardrail.denyIamUsers()],
    jumpAccount: {
      // 30 groups: each reaches one business unit's NonProd or Prod OU with one level, by organization path (as an
      // organization of thousands of accounts must: by ARN, 30 groups over 10,000 accounts are a 2.3 MB template);
      // and one group reaches every workload account (all but the jump and audit accounts)
      groups: [
        ...Array.from({ length: 30 }, (_, g) => ({
          groupName: `team-${g}`,
          targets: [{
            accounts: AccountSelection.organizationalUnits([`Workloads/BU${g % UNITS}/${ENVS[g % 2]}`]),
            permissionLevels: [g % 2 === 0 ? PermissionLevel.readOnly() : PermissionLevel.power()],
            byOrganizationPath: true,
          }],
        })),
        {
          groupName: 'workload-readers',
          targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads']), permissionLevels: [PermissionLevel.readOnly()], byOrganizationPath: true }],
        },
      ],
      // 30 groups' switch-role links would be thousands of outputs
      switchRoleOutputs: false,
      users: Array.from({ length: 100 }, (_, u) => ({ userName: `user-${u}`, groups: [`team-${u % 30}`] })),
    },
    identityCenter: {
      instanceArn: INSTANCE,
      identityStoreId: STORE,
      // beyond 8 x 450 assignments, shards are added without moving any (the record is rewritten per size)
      assignmentPlacement: AssignmentPlacement.recordedIn(path.join(os.tmpdir(), `lz-bench-placement-${org.accounts.length}.json`)),
    },
  });
  const catalog = lz.permissionSetCatalog!;
  const sets = Array.from({ length: 20 }, (_, i) => catalog.addPermissionSet(`Set${i}`, {
    permissionSetName: `Set${i}`,
    permissionLevel: LEVELS[i % LEVELS.length],
    sessionDuration: Duration.hours(1),
  }));
  const admin = catalog.addPermissionSet('Admin', { permissionLevel: PermissionLevel.admin() });
  // 6 assignments per workload account: 6 groups x permission sets over the whole Workloads OU
  for (let i = 0; i < 6; i++) {
    catalog.assign({
      principal: IdentityCenterPrincipal.group(groupId(i)),
      permissionSet: sets[i],
      accounts: AccountSelection.organizationalUnits(['Workloads']),
    });
  }
  const deploymentMode = mode === 'stackset' ? TargetRoleDeploymentMode.STACK_SET : TargetRoleDeploymentMode.PER_ACCOUNT_STACKS;
  lz.addOrganizationalUnit('Security', { deploymentMode });
  for (let b = 0; b < UNITS; b++) {
    lz.addOrganizationalUnit(`Workloads/BU${b}`, {
      deploymentMode,
      // two kinds of business unit: 2 or 3 target roles in every account
      targetRoles: b % 2 === 0
        ? [{ permissionLevel: PermissionLevel.readOnly() }, { permissionLevel: PermissionLevel.power() }]
        : [{ permissionLevel: PermissionLevel.readOnly() }, { permissionLevel: PermissionLevel.power() }, { permissionLevel: PermissionLevel.ssm() }],
      guardrails: b % 4 === 0 ? [Guardrail.restrictRegions({ allowedRegions: ['eu-west-1', 'eu-central-1'] })] : undefined,
    });
  }
  elevatedAccess(lz, org, admin, jumpElevated ? mode : undefined);
  if (pack) Validations.of(scope).addPlugins(new LandingZoneChecks(undefined, { organization: org }));
  return lz;
}

function elevatedAccess(lz: LandingZone, org: Organization, admin: PermissionSet, jumpMode?: Mode): void {
  const host = org.identityCenterAccount;
  const stack = new Stack(lz, 'ElevatedAccess', { stackName: `${lz.stackNamePrefix}-ElevatedAccess`, env: { account: host.accountId, region: lz.region } });
  const prod = AccountSelection.organizationalUnits(Array.from({ length: UNITS }, (_, b) => `Workloads/BU${b}/Prod`));
  const jumpAccess = jumpMode === undefined ? undefined : {
    jumpAccount: lz.jumpAccount!,
    eligibility: [{
      name: 'teams-power',
      principals: Array.from({ length: 30 }, (_, g) => JumpPrincipal.group(`team-${g}`)),
      targets: prod,
      permissionLevels: [PermissionLevel.power()],
      maxDuration: Duration.hours(1),
    }],
    approvers: [{ name: 'leads', approvers: [IdentityCenterPrincipal.group(groupId(101))], targets: prod, permissionLevels: [PermissionLevel.power()] }],
    // thousands of production accounts: no list of revokers fits a policy
    revokersByOrganization: true,
    followOrganizationalUnits: jumpMode === 'stackset',
  };
  const workflow = new ElevatedAccessWorkflow(stack, 'ProdAccess', {
    organization: org,
    jumpAccess,
    identityStoreId: STORE,
    eligibility: [{
      name: 'on-call-admin',
      principals: [IdentityCenterPrincipal.group(groupId(100))],
      targets: prod,
      permissionSets: [admin],
      maxDuration: Duration.hours(1),
      approval: ApprovalRequirement.anyOne(),
    }],
    approvers: [{ name: 'leads', approvers: [IdentityCenterPrincipal.group(groupId(101))], targets: prod, permissionSets: [admin] }],
    permissionsBoundary: LandingZoneBoundary.fromAccount(stack, 'Boundary', host.accountId),
    // past about 150 production accounts the eligible accounts' ARNs fit no IAM policy: the synth asks for this
    assignmentsInAnyAccount: true,
  });
  if (jumpAccess) lz.addJumpElevatedAccess(workflow.jumpDeployment!);
}
