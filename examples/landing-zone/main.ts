import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildLandingZone, examplePack } from './app';

// The main job: synthesize the example landing zone to ./cdk.out and print a short summary.
const outdir = path.resolve(process.cwd(), 'cdk.out');
fs.rmSync(outdir, { recursive: true, force: true });
const app = new App({ outdir });
const lz = buildLandingZone(app);
const assembly = app.synth(); // fails, printing the findings, when the rule pack or a construct finds a problem

// the CDK CLI selects stacks by construct path (`npx cdk deploy LandingZone/Management`), not by stack name: print both
console.log(`Synthesized ${assembly.stacks.length} stack(s) to ${path.relative(process.cwd(), outdir) || '.'}`);
const [pw, nw] = [Math.max(...assembly.stacks.map((s) => s.hierarchicalId.length)), Math.max(...assembly.stacks.map((s) => s.stackName.length))];
console.log(`  ${'cdk deploy <path>'.padEnd(pw)}  CloudFormation stack`);
let total = 0;
for (const stack of assembly.stacks) {
  const resources = Object.keys((stack.template as any).Resources ?? {}).length;
  total += resources;
  console.log(`  ${stack.hierarchicalId.padEnd(pw)}  ${stack.stackName.padEnd(nw)} ${String(resources).padStart(4)} resources`);
}
console.log(`  ${'total'.padEnd(pw + nw + 2)} ${String(total).padStart(4)} resources`);

const pack = examplePack(lz.organization);
const findings = pack.validateScope(app).violations;
console.log(`Rule pack ${pack.name}: ${pack.ruleIds?.length} rules, ${findings.length} finding(s)`
  + (findings.length ? `: ${findings.map((v) => v.ruleName).join(', ')}` : ''));

const reportFile = path.join(outdir, 'access-report.json');
if (fs.existsSync(reportFile)) {
  const entries: any[] = JSON.parse(fs.readFileSync(reportFile, 'utf8')).entries;
  const count = (f: (e: any) => boolean) => entries.filter(f).length;
  console.log(`Access report: ${entries.length} access paths (${path.relative(process.cwd(), path.join(outdir, 'access-report.md'))})`);
  console.log(`  jump-account roles ${count((e) => e.path === 'jump-account-role')}, `
    + `standing permission sets ${count((e) => e.path === 'permission-set-assignment')}, `
    + `elevated-only ${count((e) => e.elevatedOnly)}, without MFA enforced by AWS ${count((e) => !e.mfaEnforced)}, `
    + `without boundary ${count((e) => !e.boundary)}`);
}
