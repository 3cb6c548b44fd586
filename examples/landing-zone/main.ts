import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildLandingZone } from './app';

// The main job: synthesize the example landing zone to ./cdk.out and print a short summary.
const outdir = path.resolve(process.cwd(), 'cdk.out');
const app = new App({ outdir });
buildLandingZone(app);
const assembly = app.synth();

console.log(`Synthesized ${assembly.stacks.length} stack(s) to ${path.relative(process.cwd(), outdir) || '.'}`);
for (const stack of assembly.stacks) {
  const resources = Object.keys((stack.template as any).Resources ?? {}).length;
  console.log(`  ${stack.stackName.padEnd(48)} ${String(resources).padStart(4)} resources`);
}
