import { App } from 'aws-cdk-lib';
import { JUMP_ACCOUNT_MANIFEST } from './jump';
import { exampleRetailOrganization } from './organization';
import { JumpAccountManifest, LandingZone, Organization, PermissionLevel } from '../../src';

/**
 * The retail organization's own app, deployed from its management account: its root guardrails and the Workloads
 * baseline, whose roles trust the company's jump account (`JumpAccount.fromAccountId` with the manifest's account
 * id) under the role names its groups expect. The manifest, written by the company's app, lists those roles: the
 * synth fails when this app does not deploy one of them, or when the manifest names an account this organization
 * no longer has.
 */
export function buildRetailLandingZone(app: App, organization: Organization = exampleRetailOrganization(),
  manifestFile: string = JUMP_ACCOUNT_MANIFEST): LandingZone {
  const lz = new LandingZone(app, 'RetailLandingZone', {
    organization,
    stackNamePrefix: 'Retail',
    jumpAccountManifest: JumpAccountManifest.fromFile(manifestFile),
  });
  // ReadOnly is what the company's vendors and auditors switch into; Workloads/Prod is reached through Workloads
  lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
  lz.addOrganizationalUnit('Security');
  return lz;
}

// `npx cdk synth --app 'npx ts-node --transpile-only --project ../../tsconfig.dev.json retail.ts'` in this folder
if (require.main === module) {
  const app = new App();
  buildRetailLandingZone(app);
  app.synth();
}
