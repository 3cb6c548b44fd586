/**
 * Byte-identity safety net (scripts/template-identity.sh): when LZ_DUMP_TEMPLATES names a directory, every
 * synthesized assembly of a test app is written there, keyed by test file, test name, app number and template file.
 * Loaded with `jest --setupFilesAfterEnv`; without the variable it does nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib';

const root = process.env.LZ_DUMP_TEMPLATES;
if (root) {
  const stageNumbers = new WeakMap<object, number>();
  let currentTest = '';
  let nextStage = 0;
  const original = Stage.prototype.synth;
  Stage.prototype.synth = function synth(this: Stage, ...args: any[]) {
    const assembly = (original as any).apply(this, args);
    const state = expect.getState();
    const testName = state.currentTestName ?? '(file)';
    if (testName !== currentTest) {
      currentTest = testName;
      nextStage = 0;
    }
    if (!stageNumbers.has(this)) stageNumbers.set(this, nextStage++);
    const file = path.relative(process.cwd(), state.testPath ?? 'unknown');
    const dir = path.join(root, safe(file), safe(testName), String(stageNumbers.get(this)));
    fs.mkdirSync(dir, { recursive: true });
    for (const name of fs.readdirSync(assembly.directory)) {
      if (name.endsWith('.template.json') || name.endsWith('.json') && !name.endsWith('.assets.json')
        && name !== 'manifest.json' && name !== 'tree.json') {
        fs.copyFileSync(path.join(assembly.directory, name), path.join(dir, name));
      }
    }
    return assembly;
  };
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 150);
}
