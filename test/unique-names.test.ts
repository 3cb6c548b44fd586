import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { defaultProps } from './elevated-access/fixture';
import { exampleOrganization } from '../examples/landing-zone/organization';
import {
  AccountSelection, CrossAccountRole, ElevatedAccessWorkflow, JumpAccount, LandingZone, LandingZoneBoundary, PermissionLevel,
  TargetRoleDeploymentMode,
} from '../src';

// Fixed IAM names are unique per account (case-insensitive): every second declaration for one account fails the synth.
function landingZone(app: App): LandingZone {
  return new LandingZone(app, 'Lz', {
    organization: exampleOrganization(),
    jumpAccount: {
      groups: [{
        groupName: 'vendor-acme',
        targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [PermissionLevel.readOnly()] }],
      }],
    },
  });
}

function userStack(app: App, id: string, account: string): Stack {
  return new Stack(app, id, { env: { account, region: 'us-east-1' } });
}

describe('fixed names per account', () => {
  test('fails when an ElevatedAccessWorkflow without permissionsBoundary sits in a management-account stack beside the LandingZone', () => {
    // GIVEN
    const app = new App();
    landingZone(app);
    const stack = userStack(app, 'Access', '000000000000');
    // WHEN
    new ElevatedAccessWorkflow(stack, 'Workflow', defaultProps({
      allowManagementAccountHost: true,
      organizationTrailLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Trail', 'org-trail'),
    }));
    // THEN: reported once, at the second boundary, naming the first, the workflow and the fix
    expect(() => app.synth()).toThrow(/\[Access\/LandingZoneBoundary\] managed policy name 'lz-permissions-boundary' is declared for account 000000000000 also by 'Lz\/Management\/LandingZoneBoundary', and iam names are unique per account: set permissionsBoundary of 'Access\/Workflow', which took this stack's boundary by default, to LandingZoneBoundary\.fromAccount\(scope, id, '000000000000'\), or landingZone\.managementAccountBoundary\(scope\) in the management account/);
  });

  test('works when the workflow takes the management account boundary', () => {
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads/Prod', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const stack = userStack(app, 'Access', '000000000000');
    new ElevatedAccessWorkflow(stack, 'Workflow', defaultProps({
      allowManagementAccountHost: true,
      organizationTrailLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Trail', 'org-trail'),
      permissionsBoundary: lz.managementAccountBoundary(stack),
    }));
    expect(() => app.synth()).not.toThrow();
  });

  test('fails when a CrossAccountRole without boundary is in an account whose OU baseline StackSet deploys one', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads/Prod', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const stack = userStack(app, 'Mine', '555555555501');
    // WHEN
    new CrossAccountRole(stack, 'Deployer', {
      jumpAccount: JumpAccount.fromAccountId(stack, 'Jump', '111111111111'),
      permissionLevel: PermissionLevel.power(),
    });
    // THEN
    expect(() => app.synth()).toThrow(/\[Mine\/LandingZoneBoundary\] managed policy name 'lz-permissions-boundary' is declared for account 555555555501 also by 'Lz\/Ou-Workloads-Prod', and iam names are unique per account: set permissionsBoundary of 'Mine\/Deployer'/);
  });

  test('fails when a role of the user has the name of a role the OU baseline deploys in that account (any case)', () => {
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads/Prod', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const stack = userStack(app, 'Mine', '555555555502');
    new CrossAccountRole(stack, 'ReadOnly', {
      jumpAccount: JumpAccount.fromAccountId(stack, 'Jump', '111111111111'),
      permissionLevel: PermissionLevel.readOnly(),
      roleName: 'LZ-READ-ONLY',
      permissionsBoundary: LandingZoneBoundary.fromAccount(stack, 'Boundary', '555555555502'),
    });
    expect(() => app.synth()).toThrow(/\[Mine\/ReadOnly\] role name 'LZ-READ-ONLY' is declared for account 555555555502 also by 'Lz\/Ou-Workloads-Prod', and iam names are unique per account: give this role a roleName no other role of account 555555555502 has/);
  });

  test('fails when a raw iam.Role of the user takes a baseline role name: the OU reports it, naming the role to rename', () => {
    const app = new App();
    const lz = landingZone(app);
    lz.addOrganizationalUnit('Workloads/Prod', {
      targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }],
      deploymentMode: TargetRoleDeploymentMode.PER_ACCOUNT_STACKS,
    });
    const stack = userStack(app, 'Mine', '555555555503');
    new iam.Role(stack, 'Raw', { roleName: 'lz-read-only', assumedBy: new iam.AccountPrincipal('555555555503') });
    expect(() => app.synth()).toThrow(/\[Lz\/Ou-Workloads-Prod\/Stack-Baseline-payments-prod\/lz-read-only\] role name 'lz-read-only' is declared for account 555555555503 also by 'Mine\/Raw', and iam names are unique per account: rename or remove 'Mine\/Raw': the landing zone deploys this name there/);
  });

  test('fails across two JumpAccount.fromAccountId stacks of one account, without a LandingZone', () => {
    const app = new App();
    for (const id of ['TeamA', 'TeamB']) {
      const stack = userStack(app, id, '444444444401');
      new CrossAccountRole(stack, 'Power', {
        jumpAccount: JumpAccount.fromAccountId(stack, 'Jump', '111111111111'),
        permissionLevel: PermissionLevel.power(),
      });
    }
    let error = '';
    try {
      app.synth();
    } catch (e) {
      error = String(e);
    }
    // both the boundaries and the roles clash; each is reported once, at TeamB's declaration
    expect(error).toMatch(/\[TeamB\/LandingZoneBoundary\] managed policy name 'lz-permissions-boundary' is declared for account 444444444401 also by 'TeamA\/LandingZoneBoundary'/);
    expect(error).toMatch(/\[TeamB\/Power\] role name 'lz-power' is declared for account 444444444401 also by 'TeamA\/Power'/);
    expect(error.match(/is declared for account/g)).toHaveLength(2);
  });

  test('works for the same names in different accounts, and in env-agnostic stacks', () => {
    const app = new App();
    for (const [id, account] of [['A', '444444444401'], ['B', '444444444402']]) {
      const stack = userStack(app, id, account);
      new CrossAccountRole(stack, 'Power', { jumpAccount: JumpAccount.fromAccountId(stack, 'Jump', '111111111111'), permissionLevel: PermissionLevel.power() });
    }
    for (const id of ['C', 'D']) {
      const stack = new Stack(app, id);
      new CrossAccountRole(stack, 'Power', { jumpAccount: JumpAccount.fromAccountId(stack, 'Jump', '111111111111'), permissionLevel: PermissionLevel.power() });
    }
    expect(() => app.synth()).not.toThrow();
  });
});
