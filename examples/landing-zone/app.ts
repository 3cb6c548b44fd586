import { App } from 'aws-cdk-lib';
import { IdentityCenterPrincipal, LandingZone } from '../../src';
import { exampleRegionGuardrail, exampleRootGuardrails, exampleSuspendedGuardrail } from './guardrails';
import {
  EXAMPLE_IDENTITY_STORE_ID, EXAMPLE_INSTANCE_ARN, examplePermissionSets, exampleStandingAssignments,
} from './identity-center';
import { exampleJumpAccount, SANDBOX_ROLES, WORKLOAD_ROLES } from './jump';
import { exampleOrganization } from './organization';

/**
 * Builds the example landing zone into `app`, from the one organization model: the jump account, the root
 * guardrails, Identity Center, and one landing zone per OU.
 */
export function buildLandingZone(app: App): LandingZone {
  const organization = exampleOrganization();
  const lz = new LandingZone(app, 'LandingZone', {
    organization,
    jumpAccount: exampleJumpAccount(),
    rootGuardrails: exampleRootGuardrails(),
    identityCenter: {
      instanceArn: EXAMPLE_INSTANCE_ARN,
      identityStoreId: EXAMPLE_IDENTITY_STORE_ID,
      dynamicAssignments: true,
    },
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
  // LANDING-ZONE-PARTS (each part adds its stacks here)
  return lz;
}

// `npx cdk synth` (cdk.json) runs this file directly.
if (require.main === module) {
  const app = new App();
  buildLandingZone(app);
  app.synth();
}
