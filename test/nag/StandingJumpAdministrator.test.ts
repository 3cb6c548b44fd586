import { CfnResource, Validations } from 'aws-cdk-lib';
import { findingsOf, stackIn } from './harness';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import { AccountSelection, JumpAccount, PermissionLevel } from '../../src';
import { LandingZoneChecks } from '../../src/nag/pack';
import { STANDING_ADMIN_METADATA } from '../../src/private/conventions';

const RULE = 'LZ-EA2';
const workloads = AccountSelection.organizationalUnits(['Workloads']);

function jumpAccount(levels: PermissionLevel[]) {
  const { app, stack } = stackIn('111111111111');
  const jump = new JumpAccount(stack, 'Jump', {
    organization: exampleOrganization(),
    groups: [
      { groupName: 'break-glass', targets: [{ accounts: workloads, permissionLevels: levels }] },
      { groupName: 'auditors', targets: [{ accounts: workloads, permissionLevels: [PermissionLevel.readOnly()] }] },
    ],
    externallyManagedRoles: [{ accounts: workloads, permissionLevels: [...levels, PermissionLevel.readOnly()] }],
  });
  return { app, stack, jump };
}

function group(metadata?: unknown, type = 'AWS::IAM::Group') {
  const { app, stack } = stackIn();
  const g = new CfnResource(stack, 'Group', { type, properties: { GroupName: 'vendors' } });
  if (metadata !== undefined) g.addMetadata(STANDING_ADMIN_METADATA, metadata);
  return app;
}

describe('StandingJumpAdministrator (LZ-EA2)', () => {
  test('Noncompliance 1: a jump group with standing Admin, reported as a warning naming the group', () => {
    // GIVEN
    const { app } = jumpAccount([PermissionLevel.admin(), PermissionLevel.power()]);
    app.synth();

    // WHEN
    const report = new LandingZoneChecks(app).validateScope(app);

    // THEN
    const found = report.violations.filter((v) => v.ruleName.startsWith(RULE));
    expect(found.map((v) => [v.ruleName, v.severity])).toEqual([[`${RULE}[Group::break-glass]`, 'warning']]);
    expect(report.success).toBe(true);
  });

  test('Noncompliance 2: a custom level with AdministratorAccess counts; a group declared by hand', () => {
    // GIVEN
    const custom = PermissionLevel.custom({ name: 'Operator', awsManagedPolicyNames: ['AdministratorAccess'] });

    // THEN
    expect(findingsOf(RULE, jumpAccount([custom]).app)).toEqual(['LZ-EA2[Group::break-glass]']);
    expect(findingsOf(RULE, group({ roles: ['lz-admin'] }))).toEqual(['LZ-EA2[Group::vendors]']);
  });

  test('acknowledged: a break-glass group that must work when the workflow does not', () => {
    // GIVEN
    const { app, jump } = jumpAccount([PermissionLevel.admin()]);

    // WHEN
    Validations.of(jump.group('break-glass')).acknowledge({ id: 'LZ-EA2[Group::break-glass]', reason: 'the fallback when the workflow is down' });

    // THEN
    expect(findingsOf(RULE, app)).toEqual([]);
  });

  test('Compliance', () => {
    expect(findingsOf(RULE, jumpAccount([PermissionLevel.power(), PermissionLevel.powerAndIam()]).app)).toEqual([]);
    expect(findingsOf(RULE, group())).toEqual([]);
    expect(findingsOf(RULE, group({ roles: [] }))).toEqual([]);
    expect(findingsOf(RULE, group({ roles: 'lz-admin' }))).toEqual([]);
    expect(findingsOf(RULE, group({ roles: ['lz-admin'] }, 'AWS::IAM::Role'))).toEqual([]);
  });
});
