import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildLandingZone } from '../examples/landing-zone/app';

// The real aws-cdk CLI on the example app, as a consumer's CI runs it: `cdk synth -q` must succeed and produce
// every stack the example builds (compared with an in-process synth, so the test grows with the example).
const EXAMPLE_DIR = path.join(__dirname, '..', 'examples', 'landing-zone');
const CDK = path.join(__dirname, '..', 'node_modules', '.bin', 'cdk');

describe('cdk synth of the example landing zone (aws-cdk CLI)', () => {
  let outdir: string;
  let output: string;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-cli-synth-'));
    output = execFileSync(CDK, ['synth', '-q', '--no-notices', '--no-version-reporting', '--output', outdir], {
      cwd: EXAMPLE_DIR,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CI: 'true' },
    });
  }, 300_000);

  afterAll(() => {
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('produces exactly the stacks the example builds', () => {
    // GIVEN
    const expected = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'lz-in-process-')) });
    buildLandingZone(expected);
    const inProcess = expected.synth().stacksRecursively.map((s) => s.hierarchicalId).sort();
    // WHEN
    const cli = new CloudAssembly(outdir).stacksRecursively.map((s) => s.hierarchicalId).sort();
    // THEN
    expect(inProcess.length).toBeGreaterThan(0);
    expect(cli).toEqual(inProcess);
    fs.rmSync(expected.outdir, { recursive: true, force: true });
  });

  test('every stack template has resources', () => {
    const empty = new CloudAssembly(outdir).stacksRecursively
      .filter((s) => Object.keys(JSON.parse(fs.readFileSync(s.templateFullPath, 'utf8')).Resources ?? {}).length === 0)
      .map((s) => s.hierarchicalId);
    expect(empty).toEqual([]);
  });

  test('the CLI reported success', () => {
    expect(output).toMatch(/Successfully synthesized to/);
  });
});
