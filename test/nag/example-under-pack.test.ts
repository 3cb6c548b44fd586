import { App, Duration } from 'aws-cdk-lib';
import { buildLandingZone } from '../../examples/landing-zone/app';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import { LandingZoneChecks } from '../../src/nag/pack';

describe('LandingZoneChecks on the example landing zone', () => {
  test('the example synthesizes clean under the pack', () => {
    // GIVEN
    const app = new App();
    buildLandingZone(app);
    app.synth();
    // WHEN: the example's longest session is its ReadOnly permission set (8 hours); the pack is told so, visibly
    const pack = new LandingZoneChecks(app, { organization: exampleOrganization(), maxSessionDuration: Duration.hours(8) });
    const report = pack.validateScope(app);
    // THEN
    const found = report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(found).toEqual([]);
  });
});
