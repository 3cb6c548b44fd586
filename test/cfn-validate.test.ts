import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, CloudFormationValidatePlugin, Stack } from 'aws-cdk-lib';
import { ASSET_RESOURCE_METADATA_ENABLED_CONTEXT, CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { buildLandingZone } from '../examples/landing-zone/app';

// AWS's offline CloudFormation validator (@aws/cloudformation-validate, shipped inside aws-cdk-lib and exposed as
// CloudFormationValidatePlugin) must find no error in any template of the example. During a normal synth CDK runs
// it too but downgrades its errors to warnings; here every error or fatal diagnostic fails the test.

const plugin = new CloudFormationValidatePlugin();

// this file runs the validator itself, on every template; CDK's own run during synth would only repeat it
const previousValidation = process.env.CDK_VALIDATION;
process.env.CDK_VALIDATION = 'false';
afterAll(() => {
  if (previousValidation === undefined) delete process.env.CDK_VALIDATION;
  else process.env.CDK_VALIDATION = previousValidation;
});

function newApp(): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'lz-cfn-validate-')),
    // nested stack templates are found through this metadata
    context: { [ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true },
  });
}

interface Problem {
  readonly stack: string;
  readonly rule: string;
  readonly severity: string;
  readonly resource?: string;
  readonly message: string;
}

function errorsOf(app: App, assembly: CloudAssembly): Problem[] {
  const stacks: CloudFormationStackArtifact[] = assembly.stacksRecursively;
  const problems: Problem[] = [];
  for (const stack of stacks) {
    const templates = [stack.templateFullPath, ...nestedTemplates(stack)];
    const report = plugin.validate({
      templatePaths: templates,
      stackTemplates: templates.map((templatePath) => ({
        stackConstructPath: stack.hierarchicalId,
        templatePath,
        accountId: stack.environment.account,
        region: stack.environment.region,
      })),
      appConstruct: app,
    });
    for (const v of report.violations) {
      if (v.severity !== 'error' && v.severity !== 'fatal') continue;
      for (const r of v.violatingResources) {
        problems.push({
          stack: path.basename(r.templatePath ?? stack.templateFile),
          rule: v.ruleName,
          severity: v.severity,
          resource: r.resourceLogicalId,
          message: v.description,
        });
      }
    }
  }
  return problems;
}

// Nested stack templates are file assets of their parent, named by the `aws:asset:path` metadata of each
// AWS::CloudFormation::Stack resource; followed recursively.
function nestedTemplates(stack: CloudFormationStackArtifact): string[] {
  const out: string[] = [];
  const visit = (templatePath: string) => {
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
    for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
      if (r.Type !== 'AWS::CloudFormation::Stack') continue;
      const asset = r.Metadata?.['aws:asset:path'];
      if (typeof asset !== 'string') throw new Error(`nested stack ${id} of ${stack.hierarchicalId} has no aws:asset:path metadata`);
      const nested = path.join(stack.assembly.directory, asset);
      out.push(nested);
      visit(nested);
    }
  };
  visit(stack.templateFullPath);
  return out;
}

describe('CloudFormation validator on the example landing zone', () => {
  test('every template of the example has no validator errors', () => {
    // GIVEN
    const app = newApp();
    buildLandingZone(app);
    // WHEN
    const assembly = app.synth();
    // THEN
    expect(assembly.stacksRecursively.length).toBeGreaterThan(0);
    expect(errorsOf(app, assembly)).toEqual([]);
    // nested stacks are validated too, not only their parents
    const nested = assembly.stacksRecursively.flatMap(nestedTemplates);
    const parentsWithNested = assembly.stacksRecursively.filter((s) =>
      Object.values<any>(s.template.Resources ?? {}).some((r) => r.Type === 'AWS::CloudFormation::Stack'));
    expect(nested.length > 0).toBe(parentsWithNested.length > 0);
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });

  // The check above can fail: the same helper reports a template CloudFormation would reject.
  test('reports a template CloudFormation would reject', () => {
    // GIVEN
    const app = newApp();
    const stack = new Stack(app, 'Broken', { env: { account: '111111111111', region: 'eu-west-1' } });
    // a role without its required trust policy, with a session longer than IAM allows
    new CfnResource(stack, 'Role', { type: 'AWS::IAM::Role', properties: { MaxSessionDuration: 86_400 } });
    // WHEN
    const problems = errorsOf(app, app.synth());
    // THEN
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ stack: 'Broken.template.json', resource: 'Role' })]));
    expect(problems.map((p) => p.message).join('\n')).toMatch(/AssumeRolePolicyDocument/);
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });
});
