// Runs the landing zone pack over a finished app and returns what it reports, for the rule tests.
import { App, Stack } from 'aws-cdk-lib';
import { LandingZoneChecks, LandingZoneChecksProps } from '../../src/nag/pack';

// Rule fixtures are deliberately wrong; CDK's default CloudFormation validation would only echo them as warnings
// (test/cfn-validate.test.ts runs that validator on purpose). Plugins registered by a test still run.
process.env.CDK_VALIDATION = 'false';

export const JUMP = '111111111111';
export const OTHER = '222222222222';

/** A new app and one stack deploying to `account` (null: environment-agnostic). */
export function stackIn(account: string | null = JUMP, id = 'Stack'): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, id, account ? { env: { account, region: 'eu-west-1' } } : {});
  return { app, stack };
}

/** Every violation id the pack reports for the app (`LZ-IAM1[Principal::...]`, `LZ-IAM7`, ...), sorted. */
export function findings(app: App, props: LandingZoneChecksProps = {}): string[] {
  app.synth();
  const report = new LandingZoneChecks(app, props).validateScope(app);
  return report.violations.map((v) => v.ruleName).sort();
}

/** The violations of one rule: `LZ-IAM1` matches `LZ-IAM1` and `LZ-IAM1[...]`. */
export function findingsOf(ruleId: string, app: App, props: LandingZoneChecksProps = {}): string[] {
  return findings(app, props).filter((f) => f === ruleId || f.startsWith(`${ruleId}[`));
}

/** Construct paths of the resources reported under one exact violation id. */
export function pathsOf(violationId: string, app: App, props: LandingZoneChecksProps = {}): string[] {
  app.synth();
  const report = new LandingZoneChecks(app, props).validateScope(app);
  return report.violations.filter((v) => v.ruleName === violationId)
    .flatMap((v) => v.violatingResources.map((r) => r.constructPath ?? ''));
}
