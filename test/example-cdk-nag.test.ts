// The example landing zone under cdk-nag's own packs (AwsSolutions, HIPAA Security, NIST 800-53 R5): what the library
// creates is fixed or acknowledged, with a reason, on the one construct the finding concerns.
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { buildLandingZone } from '../examples/landing-zone/app';
import { ElevatedAccessWorkflow } from '../src';

jest.setTimeout(300_000);

function findings(app: App, under?: string): string[] {
  const out: string[] = [];
  for (const pack of [new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app)]) {
    for (const v of pack.validateScope(app).violations) {
      for (const r of v.violatingResources) {
        const path = r.constructPath ?? r.resourceLogicalId ?? '';
        if (!under || path.includes(under)) out.push(`${v.ruleName} at ${path}`);
      }
    }
  }
  return out.sort();
}

/** A function and a role of the consumer's, with the problems the library acknowledges on its own. */
function consumersOwn(scope: Stack | ElevatedAccessWorkflow, id: string): void {
  const fn = new lambda.Function(scope, `${id}Fn`, {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    logGroup: new logs.LogGroup(scope, `${id}Logs`),
  });
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }));
}

describe('the example under cdk-nag\'s AwsSolutions, HIPAA Security and NIST 800-53 R5 packs', () => {
  test('the example has no open finding', () => {
    const app = new App();
    buildLandingZone(app);
    app.synth();
    expect(findings(app)).toEqual([]);

    // and no function reserves concurrency: a new account's quota of 10 leaves nothing to reserve
    const reserving = app.node.findAll().filter((c): c is lambda.CfnFunction => c instanceof lambda.CfnFunction)
      .filter((f) => f.reservedConcurrentExecutions !== undefined).map((f) => f.node.path);
    expect(reserving).toEqual([]);
    expect(app.node.findAll().some((c) => c instanceof lambda.CfnEventSourceMapping && c.node.path.includes('Reconciler'))).toBe(true);
  });

  test('an acknowledgement covers the library\'s construct and finding only, not the consumer\'s resource with the same problem', () => {
    // GIVEN: the consumer's own function and role, beside the workflow and even inside its scope
    const app = new App();
    buildLandingZone(app);
    const workflow = app.node.findAll().find((c): c is ElevatedAccessWorkflow => c instanceof ElevatedAccessWorkflow)!;
    consumersOwn(Stack.of(workflow), 'Beside');
    consumersOwn(workflow, 'Inside');
    app.synth();

    // WHEN
    const found = findings(app, '/ElevatedAccess/');

    // THEN: each of the consumer's own is reported, for exactly the rules the library acknowledged on its own functions
    for (const where of ['ElevatedAccess/BesideFn', 'ElevatedAccess/ProdAccess/InsideFn']) {
      expect(found.filter((f) => f.includes(where)).map((f) => f.replace(/ at .*/, ''))).toEqual(expect.arrayContaining([
        'AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-L1', 'HIPAA.Security-IAMNoInlinePolicy', 'HIPAA.Security-LambdaDLQ',
        'HIPAA.Security-LambdaInsideVPC', 'HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ', 'NIST.800.53.R5-IAMNoInlinePolicy',
      ]));
    }
    // and nothing of the library's reopened
    expect(found.filter((f) => !/(Beside|Inside)(Fn|Logs)/.test(f))).toEqual([]);
  });
});
