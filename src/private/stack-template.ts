import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';

/**
 * Synthesizes a throw-away, environment-agnostic stack built by `build` and returns its template, for StackSets
 * (which take a template body, not a stack). Validation errors of the inner app surface as exceptions.
 */
export function renderStackTemplate(build: (stack: Stack) => void): Record<string, any> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-stackset-'));
  try {
    const app = new App({ outdir, analyticsReporting: false });
    const stack = new Stack(app, 'StackSetTemplate', {
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      analyticsReporting: false,
    });
    build(stack);
    const assembly = app.synth();
    return assembly.getStackByName(stack.stackName).template;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
