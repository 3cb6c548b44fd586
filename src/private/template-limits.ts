import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { appRootSlot } from './app-root-slot';
import { LIMITS } from './limits';

// Registered once per app, kept on the app's root under a global symbol (as the target-role declarations are), so
// several library constructs and several copies of the library in one app add one plugin.
const REGISTERED = Symbol.for('cdk-iam-landing-zone.TemplateLimits.registered');

/**
 * Fails the synth when a synthesized template cannot be deployed by CloudFormation: over 1 MB (the quota of a
 * template body in an S3 object, which is how the CDK CLI deploys any template over 51,200 bytes), or over 200
 * parameters or 200 outputs (CloudFormation quotas, ../shared/reference/aws-limits.md; aws-cdk-lib checks the 500
 * resources). It checks every stack of the app and the nested stacks beside them in the cloud assembly: such a
 * template deploys nowhere, so no valid app is refused.
 */
export function checkTemplateLimits(scope: IConstruct): void {
  appRootSlot(scope, REGISTERED, () => Validations.of(scope.node.root).addPlugins(new TemplateLimits()));
}

/** The checks, one template at a time. */
export function templateLimitProblems(text: string): string[] {
  const out: string[] = [];
  const bytes = Buffer.byteLength(text);
  if (bytes > LIMITS.TEMPLATE_BYTES) {
    out.push(`its template is ${(bytes / 1e6).toFixed(2)} MB, more than the ${LIMITS.TEMPLATE_BYTES / 1e6} MB CloudFormation deploys`);
  }
  const template = JSON.parse(text);
  const count = (section: string) => Object.keys(template[section] ?? {}).length;
  // aws-cdk-lib itself refuses a stack of more than 500 resources (@aws-cdk/core:stackResourceLimit)
  const counted: Array<[string, number]> = [['Parameters', LIMITS.STACK_PARAMETERS], ['Outputs', LIMITS.STACK_OUTPUTS]];
  for (const [section, limit] of counted) {
    const n = count(section);
    if (n > limit) out.push(`it has ${n} ${section.toLowerCase()}, more than the ${limit} a CloudFormation stack takes`);
  }
  return out;
}

const FIX = 'split what the stack holds over more stacks: for a jump account, grant OU-wide targets with byOrganizationPath (one statement instead of every role ARN); for a catalog, AssignmentPlacement.recordedIn adds assignment shards; otherwise move constructs to another Stack or a NestedStack';

class TemplateLimits implements IPolicyValidationPlugin {
  public readonly name = 'cdk-iam-landing-zone template limits';
  public readonly ruleIds = ['LZ-CFN-LIMITS'];

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    const report = (stackPath: string, templatePath: string, problems: string[]) => {
      if (problems.length === 0) return;
      violations.push({
        ruleName: 'LZ-CFN-LIMITS',
        description: `the stack cannot deploy: ${problems.join('; ')}`,
        fix: FIX,
        severity: 'error',
        violatingResources: [{ constructPath: stackPath, templatePath, locations: [] }],
      });
    };
    const dirs = new Set<string>();
    for (const s of context.stackTemplates) {
      report(s.stackConstructPath, s.templatePath, templateLimitProblems(fs.readFileSync(s.templatePath, 'utf-8')));
      dirs.add(path.dirname(s.templatePath));
    }
    // nested stacks are not artifacts of the assembly: their templates are the *.nested.template.json files beside
    for (const dir of dirs) {
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.nested.template.json')).sort()) {
        const templatePath = path.join(dir, file);
        report(`nested stack ${file.replace(/\.nested\.template\.json$/, '')}`, templatePath, templateLimitProblems(fs.readFileSync(templatePath, 'utf-8')));
      }
    }
    return { success: violations.length === 0, violations };
  }
}
