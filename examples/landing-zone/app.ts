import { App } from 'aws-cdk-lib';
import { addGuardrails } from './guardrails';
import { addIdentityCenter } from './identity-center';
import { addJumpAccount } from './jump';
import { exampleOrganization } from './organization';

/**
 * Builds the example landing zone into `app`. Every construct of the library is exercised here; each capability adds
 * its stacks below.
 */
export function buildLandingZone(app: App): void {
  const org = exampleOrganization();
  void org;
  void app;
  // LANDING-ZONE-PARTS (each part adds its stacks here)
  addJumpAccount(app, org);
  addGuardrails(app, org);
  addIdentityCenter(app, org);
}

// `npx cdk synth` (cdk.json) runs this file directly.
if (require.main === module) {
  const app = new App();
  buildLandingZone(app);
  app.synth();
}
