import { App } from 'aws-cdk-lib';
import { exampleOrganization } from '../examples/landing-zone/organization';
import { AccountSelection, IdentityCenterPrincipal, LandingZone, LandingZoneIdentityCenterOptions, OrganizationalUnitLandingZone, PermissionLevel } from '../src';

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

describe('an OU landing zone created directly (not with addOrganizationalUnit)', () => {
  function direct(assignments: boolean): App {
    const app = new App();
    const lz = new LandingZone(app, 'Lz', { organization: exampleOrganization(), identityCenter: { instanceArn: INSTANCE } });
    const readOnly = lz.permissionSetCatalog!.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
    new OrganizationalUnitLandingZone(lz, 'Direct', {
      context: lz.organizationalUnitContext,
      organizationalUnit: 'Sandbox',
      deployBaseline: false,
      assignments: assignments ? [{ principal: IdentityCenterPrincipal.group('a1b2c3d4-1111-2222-3333-444455556666'), permissionSet: readOnly }] : [],
    });
    return app;
  }

  test('attack on the review: its assignments are not dropped in silence; the synth names the OU, the field and the fix', () => {
    expect(() => direct(true).synth()).toThrow(
      '[Lz/Direct] assignments: the OU\'s 1 assignment reaches no permission-set catalog, so it would never be deployed: add the OU with LandingZone.addOrganizationalUnit, which hands its assignments to the catalog');
  });

  test('without assignments it synthesizes', () => {
    expect(() => direct(false).synth()).not.toThrow();
  });
});
