// The landing zone hands its stack factory to the constructs it composes: the OUs and the jump elevated access create
// their stacks through it (and share baseline renderings in it), never by asking the landing zone.
import { App } from 'aws-cdk-lib';
import { exampleOrganization } from '../examples/landing-zone/organization';
import { LandingZone, LandingZoneStacks, OrganizationalUnitLandingZone, TargetRoleDeploymentMode } from '../src';

const landingZone = (app: App) => new LandingZone(app, 'Lz', { organization: exampleOrganization(), stackNamePrefix: 'Acme', region: 'eu-west-1' });

describe('LandingZoneStacks', () => {
  test('the OUs\' stacks come from the factory the landing zone hands them, named, placed and described by it', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    const created = jest.spyOn(lz.stacks, 'newStack');

    // WHEN
    const wl = lz.addOrganizationalUnit('Workloads', { deploymentMode: TargetRoleDeploymentMode.PER_ACCOUNT_STACKS });

    // THEN
    expect(created.mock.calls.map((c) => [c[0], c[1], c[2], c[3]])).toContainEqual([wl, 'Stack-Baseline-shop-prod', 'Baseline-shop-prod', '555555555501']);
    const stack = wl.accountStacks.find((s) => s.account === '555555555501')!;
    expect([stack.node.path, stack.stackName, stack.region, stack.templateOptions.description]).toEqual([
      'Lz/Ou-Workloads/Stack-Baseline-shop-prod', 'Acme-Baseline-shop-prod', 'eu-west-1', 'cdk-iam-landing-zone: landing zone baseline of account shop-prod',
    ]);
    expect(created.mock.calls.length).toBe(wl.accountStacks.length);
  });

  test('an OU given another factory creates its stacks there (the handed-over factory is what it uses)', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    const other = new LandingZoneStacks({ stackNamePrefix: 'Other', region: 'eu-central-1' });

    // WHEN
    const unit = new OrganizationalUnitLandingZone(lz, 'Direct', { landingZone: lz, organizationalUnit: 'Sandbox', stacks: other });

    // THEN
    expect([unit.stack!.stackName, unit.stack!.region]).toEqual(['Other-Ou-Sandbox', 'eu-central-1']);
  });

  test('OUs with the same baseline share one rendering of the StackSet template', () => {
    // GIVEN
    const app = new App();
    const lz = landingZone(app);
    const rendered: string[] = [];
    const renderOnce = lz.stacks._renderOnce.bind(lz.stacks);
    jest.spyOn(lz.stacks, '_renderOnce').mockImplementation((key, render) => renderOnce(key, () => {
      rendered.push(key);
      return render();
    }));

    // WHEN: two OUs whose baseline is the boundary alone
    lz.addOrganizationalUnit('Sandbox');
    lz.addOrganizationalUnit('Security');

    // THEN
    expect(rendered).toHaveLength(1);
  });
});
