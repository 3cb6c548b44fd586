import { App } from 'aws-cdk-lib';
import { exampleOrganization } from '../examples/landing-zone/organization';
import { AccountSelection, IdentityCenterPrincipal, LandingZone, LandingZoneIdentityCenterOptions, PermissionLevel } from '../src';

// The catalog's messages name options a LandingZone user can set: identityCenter offers the catalog's policy options.
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';

function sandboxWithBaselineFromElsewhere(identityCenter: Partial<LandingZoneIdentityCenterOptions>): App {
  const app = new App();
  const lz = new LandingZone(app, 'Lz', {
    organization: exampleOrganization(),
    identityCenter: { instanceArn: INSTANCE, ...identityCenter },
  });
  const readOnly = lz.permissionSetCatalog!.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
  lz.addOrganizationalUnit('Sandbox', {
    deployBaseline: false,
    assignments: [{ principal: IdentityCenterPrincipal.group('a1b2c3d4-1111-2222-3333-444455556666'), permissionSet: readOnly }],
  });
  return app;
}

describe('LandingZone identityCenter options', () => {
  test('fails when a referenced policy exists nowhere, naming the option the landing zone offers', () => {
    expect(() => sandboxWithBaselineFromElsewhere({}).synth())
      .toThrow(/customer-managed policy '\/lz-permissions-boundary', which is missing in sandbox-alice .*declare where it exists with existingCustomerManagedPolicies/);
  });

  test('works when identityCenter.existingCustomerManagedPolicies declares where the policy exists', () => {
    const app = sandboxWithBaselineFromElsewhere({
      existingCustomerManagedPolicies: [{ name: 'lz-permissions-boundary', accounts: AccountSelection.organizationalUnits(['Sandbox']) }],
    });
    expect(() => app.synth()).not.toThrow();
  });
});
