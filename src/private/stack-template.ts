import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AspectApplication, Aspects, DefaultStackSynthesizer, Stack, Stage } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct, IConstruct } from 'constructs';

/** CloudFormation's limit for an inline template body (`TemplateBody`); larger templates go by `TemplateURL`. */
export const TEMPLATE_BODY_MAX_BYTES = 51_200;

/**
 * Renders a throw-away, environment-agnostic stack built by `build` and returns its template, for StackSets (which
 * take a template, not a stack). The stack lives in a construct tree of its own, under the feature flags and context
 * of `scope`'s app, and is rendered the way synthesis renders a stack (aspects, construct validation, resolution)
 * without synthesizing an app: no cloud assembly is written and no validation plugin runs a second time (the
 * app's own validation sees the template inside the StackSet). Validation errors surface as exceptions.
 */
export function renderStackTemplate(scope: IConstruct, build: (stack: Stack) => void): Record<string, any> {
  const root = new Construct(undefined as any, '');
  for (const [key, value] of Object.entries(scope.node.root.node.getAllContext())) root.node.setContext(key, value);
  const stack = new Stack(root, 'StackSetTemplate', {
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    analyticsReporting: false,
  });
  build(stack);
  invokeAspects(root, []);
  const errors = root.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  // resolve once through JSON, as a synthesized template file would be read back
  return JSON.parse(JSON.stringify((stack as any)._toCloudFormation()));
}

/**
 * Where a StackSet takes its template from: `TemplateBody` up to CloudFormation's 51,200 bytes, else `TemplateURL` of
 * a file asset of `scope`'s stack (published to the bootstrap bucket of the StackSet's administrator account).
 */
export function stackSetTemplateSource(scope: Construct, id: string, body: string): { templateBody?: string; templateUrl?: string } {
  if (Buffer.byteLength(body) <= TEMPLATE_BODY_MAX_BYTES) return { templateBody: body };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-stackset-'));
  const file = path.join(dir, 'template.json');
  fs.writeFileSync(file, body);
  const asset = new s3assets.Asset(scope, id, { path: file });
  // staging copied the file into the cloud assembly; with staging disabled the asset still points at it, so it stays
  const staged = path.resolve(Stage.of(scope)?.assetOutdir ?? '', asset.assetPath);
  if (!staged.startsWith(dir + path.sep)) fs.rmSync(dir, { recursive: true, force: true });
  return { templateUrl: asset.httpUrl };
}

// Synthesis's aspect pass over a tree that is not an app: every aspect applied to a construct or an ancestor visits
// it once, in priority order (ancestors' first at equal priority), including aspects added while visiting.
function invokeAspects(c: IConstruct, inherited: AspectApplication[]): void {
  const invoked = new Set<object>();
  let applied: AspectApplication[] = [];
  for (;;) {
    applied = [...inherited, ...Aspects.of(c).applied].map((a, i) => [a, i] as const)
      .sort(([a, i], [b, j]) => a.priority - b.priority || i - j).map(([a]) => a);
    const next = applied.find((a) => !invoked.has(a.aspect));
    if (next === undefined) break;
    invoked.add(next.aspect);
    next.aspect.visit(c);
  }
  for (const child of c.node.children) invokeAspects(child, applied);
}
