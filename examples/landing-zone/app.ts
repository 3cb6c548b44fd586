import { App, Duration, Validations } from 'aws-cdk-lib';
import { exampleElevatedAccess } from './elevated-access';
import { exampleRegionGuardrail, exampleRootGuardrails, exampleSuspendedGuardrail } from './guardrails';
import {
  EXAMPLE_IDENTITY_STORE_ID, EXAMPLE_INSTANCE_ARN, examplePermissionSets, exampleStandingAssignments,
} from './identity-center';
import { exampleJumpAccount, SANDBOX_ROLES, WORKLOAD_ROLES } from './jump';
import { exampleAccessAnalysis, exampleDataPerimeter, exampleDeniedActionAlerts } from './optimized';
import { exampleOrganization } from './organization';
import { IdentityCenterPrincipal, LandingZone, LandingZoneChecks, LandingZoneJumpAccountOptions, Organization } from '../../src';

/**
 * Builds the example landing zone into `app`, from the one organization model: the jump account, the root
 * guardrails, Identity Center, and one landing zone per OU. `organization` may come from `lz-org import`; `jumpAccount`
 * replaces some of the jump account's options (e.g. where its manifest is).
 */
export function buildLandingZone(app: App, organization: Organization = exampleOrganization(),
  jumpAccount: Partial<LandingZoneJumpAccountOptions> = {}): LandingZone {
  const lz = new LandingZone(app, 'LandingZone', {
    organization,
    jumpAccount: { ...exampleJumpAccount(), ...jumpAccount },
    rootGuardrails: exampleRootGuardrails(),
    identityCenter: {
      instanceArn: EXAMPLE_INSTANCE_ARN,
      identityStoreId: EXAMPLE_IDENTITY_STORE_ID,
      dynamicAssignments: true,
    },
    accessAnalysis: exampleAccessAnalysis(),
    dataPerimeter: exampleDataPerimeter(),
    deniedActionAlerts: exampleDeniedActionAlerts(),
  });
  const catalog = lz.permissionSetCatalog!;
  const sets = examplePermissionSets(catalog);
  exampleStandingAssignments(catalog, sets);

  // Security holds the jump account: the boundary only, no target roles
  lz.addOrganizationalUnit('Security');
  lz.addOrganizationalUnit('Sandbox', { targetRoles: SANDBOX_ROLES, guardrails: [exampleRegionGuardrail()] });
  // one baseline StackSet for Workloads reaches NonProd and Prod too, including accounts created there later
  lz.addOrganizationalUnit('Workloads', { targetRoles: WORKLOAD_ROLES, guardrails: [exampleRegionGuardrail()] });
  lz.addOrganizationalUnit('Workloads/Prod', {
    deployBaseline: false, // the Workloads baseline reaches it
    assignments: [{
      principal: IdentityCenterPrincipal.groupNamed('Developers'),
      permissionSet: sets.readOnly,
      excludeAccounts: ['payments-prod'],
    }],
  });
  lz.addOrganizationalUnit('Suspended', { deployBaseline: false, guardrails: [exampleSuspendedGuardrail()] });
  exampleElevatedAccess(lz, sets);
  // break-glass keeps standing Admin: it is the way in when the workflow itself is down (LZ-EA2)
  Validations.of(lz.jumpAccount!.group('break-glass')).acknowledge({
    id: 'LZ-EA2[Group::break-glass]',
    reason: 'break-glass must work when the elevated-access workflow does not',
  });

  // the rule pack gates every synth: findings are errors
  Validations.of(app).addPlugins(examplePack(organization));
  return lz;
}

/**
 * The rule pack as the example configures it (ReadOnly sessions may last 8 hours by design; an OU outside the data
 * perimeter is an error, not a warning, since the example attaches it to the root).
 */
export function examplePack(organization: Organization): LandingZoneChecks {
  return new LandingZoneChecks(undefined, { organization, maxSessionDuration: Duration.hours(8), requireDataPerimeter: true });
}

// `npx cdk synth` (cdk.json) runs this file directly.
if (require.main === module) {
  const app = new App();
  buildLandingZone(app);
  app.synth();
}
