// One measurement of the scale benchmark, in a fresh process (bench/org-scale.ts starts it):
//   library <accounts> <stackset|per-account> <pack 0|1> <outdir>
//   floor   <library outdir> <outdir>
// Prints one JSON line: CPU and wall seconds of build + synth, peak RSS, and the assembly's shape.
//
// The floor is the same CloudFormation as typed L1 constructs: every template of the library's assembly is read and
// instantiated with `CfnInclude` (typed L1 classes of aws-cdk-lib, e.g. `CfnRole`, `CfnAssignment`), nested stacks as
// `NestedStack`s with their parameters, outputs and exports, in stacks of the same names and environments, and then
// synthesized. Reading and parsing the templates is inside the timer: it stands for the program computing them.
import * as fs from 'fs';
import * as path from 'path';
import { App, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { CfnInclude, CfnIncludeProps } from 'aws-cdk-lib/cloudformation-include';
import { assemblyShape } from './org-scale-shape';

// as under the CDK CLI: nested-stack resources name their template file (aws:asset:path), which the floor follows
const ASSET_METADATA = { 'aws:cdk:enable-asset-metadata': true };

interface Timed { readonly cpu: number; readonly wall: number }

function timed(fn: () => void): Timed {
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  fn();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall: Number(process.hrtime.bigint() - w0) / 1e9 };
}

function library(accounts: number, mode: string, pack: boolean, outdir: string): Timed {
  // loaded before the timer, like the floor's aws-cdk-lib modules, and only on this side (the floor's RSS stays its own)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const shape: typeof import('./org-shape') = require('./org-shape');
  const org = shape.organization(accounts);
  return timed(() => {
    const app = new App({ outdir, analyticsReporting: false, context: ASSET_METADATA });
    shape.buildLibrary(app, org, mode as any, pack, process.env.LZ_BENCH_JUMP_ELEVATED === '1');
    app.synth();
  });
}

interface StackArtifact { readonly id: string; readonly stackName: string; readonly env: string; readonly templateFile: string }

function stacksOf(assemblyDir: string): StackArtifact[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]) => ({ id, stackName: a.properties?.stackName ?? id, env: a.environment, templateFile: a.properties.templateFile }));
}

/** Which nested template each nested-stack resource loads (the structure, known to the program before it runs). */
function nestedOf(dir: string, file: string): CfnIncludeProps['loadNestedStacks'] {
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nested: Record<string, CfnIncludeProps> = {};
  for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
    if (r.Type !== 'AWS::CloudFormation::Stack' || !r.Metadata?.['aws:asset:path']) continue;
    const child = path.join(dir, r.Metadata['aws:asset:path']);
    nested[id] = { templateFile: child, loadNestedStacks: nestedOf(dir, child) };
  }
  return nested;
}

function floor(from: string, outdir: string): Timed {
  const dir = path.resolve(from);
  const stacks = stacksOf(dir).map((s) => {
    const templateFile = path.join(dir, s.templateFile);
    return { ...s, templateFile, nested: nestedOf(dir, templateFile) };
  });
  return timed(() => {
    const app = new App({ outdir, analyticsReporting: false, context: ASSET_METADATA });
    for (const s of stacks) {
      const [account, region] = s.env.replace('aws://', '').split('/');
      const stack = new Stack(app, s.id, {
        stackName: s.stackName,
        env: account === 'unknown-account' ? undefined : { account, region },
        // the included template brings the library's BootstrapVersion parameter and rule
        synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      });
      new CfnInclude(stack, 'Template', { templateFile: s.templateFile, loadNestedStacks: s.nested });
    }
    app.synth();
  });
}

function main(): void {
  const [side, ...args] = process.argv.slice(2);
  const t = side === 'library'
    ? library(Number(args[0]), args[1], args[2] === '1', args[3])
    : floor(args[0], args[1]);
  const outdir = side === 'library' ? args[3] : args[1];
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ side, ...t, rssMiB, ...assemblyShape(outdir) }) + '\n');
}

main();
