// Synthesis of a whole landing zone at scale against raw L1 constructs emitting the same CloudFormation.
// Prints numbers only (never asserts on time). Run: npx projen bench
//
// The raw side re-emits every resource, parameter and output the library synthesized, with identical logical ids
// and properties, as `CfnResource` / `CfnParameter` / `CfnOutput` in the same stack and nested-stack layout, and
// synthesizes that app. So both sides produce the same CloudFormation; only the library's modelling, validation and
// policy rendering is the difference.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, CfnParameter, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import {
  AccountDefinition, AccountSelection, Guardrail, IdentityCenterPrincipal, LandingZone, Organization, PermissionLevel,
} from '../src';

const UNITS = 20;
const ENVS = ['Prod', 'NonProd'];

/** `n` accounts: Workloads/BU<b>/<Prod|NonProd>, plus Security holding the jump account. */
function organization(n: number): Organization {
  const ous = [{ path: 'Security', ouId: 'ou-be01-security' }, { path: 'Workloads', ouId: 'ou-be01-workload' }];
  for (let b = 0; b < UNITS; b++) {
    ous.push({ path: `Workloads/BU${b}`, ouId: `ou-be01-b${String(b).padStart(7, '0')}` });
    ENVS.forEach((e, k) => ous.push({ path: `Workloads/BU${b}/${e}`, ouId: `ou-be01-${k}${String(b).padStart(7, '0')}` }));
  }
  const accounts: AccountDefinition[] = Array.from({ length: n }, (_, i) => ({
    accountId: String(100_000_000_000 + i * 7919),
    name: `acct-${i}`,
    organizationalUnit: `Workloads/BU${i % UNITS}/${ENVS[i % ENVS.length]}`,
    tags: { env: ENVS[i % ENVS.length].toLowerCase() },
  }));
  return new Organization({
    rootId: 'r-be01',
    managementAccount: { accountId: '000000000000', name: 'management' },
    jumpAccount: { accountId: '111111111111', name: 'jump', organizationalUnit: 'Security' },
    organizationalUnits: ous,
    accounts,
  });
}

function buildLibrary(app: App, org: Organization): void {
  const lz = new LandingZone(app, 'Lz', {
    organization: org,
    jumpAccount: {
      // vendors reach a few business units each (a group's role list is bounded by IAM's policy sizes)
      groups: [0, 2, 4].map((b) => ({
        groupName: `vendor-${b}`,
        targets: [{ accounts: AccountSelection.organizationalUnits([`Workloads/BU${b}/NonProd`]), permissionLevels: [PermissionLevel.power()] }],
      })),
      users: [0, 2, 4].map((b) => ({ userName: `vendor-user-${b}`, groups: [`vendor-${b}`] })),
    },
    identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d', assignmentShards: 40 },
  });
  const catalog = lz.permissionSetCatalog!;
  const sets = [PermissionLevel.power(), PermissionLevel.readOnly(), PermissionLevel.ssm()]
    .map((level) => catalog.addPermissionSet(level.name, { permissionLevel: level }));
  lz.addOrganizationalUnit('Security');
  for (let b = 0; b < UNITS; b++) {
    lz.addOrganizationalUnit(`Workloads/BU${b}`, {
      // two kinds of business unit, so two distinct baselines
      targetRoles: b % 2 === 0
        ? [{ permissionLevel: PermissionLevel.power() }, { permissionLevel: PermissionLevel.readOnly() }]
        : [{ permissionLevel: PermissionLevel.readOnly() }, { permissionLevel: PermissionLevel.ssm() }],
      guardrails: b % 2 === 0 ? [Guardrail.restrictRegions({ allowedRegions: ['eu-west-1'] })] : undefined,
    });
  }
  for (const [i, ps] of sets.entries()) {
    catalog.assign({
      principal: IdentityCenterPrincipal.group(`906720aa1c-5d1e3b2f-0000-0000-0000-00000000000${i}`),
      permissionSet: ps,
      accounts: AccountSelection.organizationalUnits(['Workloads']),
    });
  }
}

interface StackShape {
  readonly id: string;
  readonly stackName?: string;
  readonly account?: string;
  readonly region?: string;
  readonly template: any;
  readonly nested: StackShape[];
}

/** The library's stack tree with each stack's template (read after the timed synth). */
function shapes(app: App): StackShape[] {
  const of = (s: Stack): StackShape => ({
    id: s.node.id,
    stackName: s.nested ? undefined : s.stackName,
    account: s.nested ? undefined : s.account,
    region: s.nested ? undefined : s.region,
    template: JSON.parse(fs.readFileSync(path.join(app.outdir, s.templateFile), 'utf8')),
    nested: s.node.findAll().filter((c): c is Stack => Stack.isStack(c) && c.nested && c.nestedStackParent === s).map(of),
  });
  return app.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nested).map(of);
}

function emitRaw(scope: Stack, shape: StackShape): void {
  const t = shape.template;
  for (const [id, p] of Object.entries<any>(t.Parameters ?? {})) {
    if (id === 'BootstrapVersion') continue;
    new CfnParameter(scope, id, { type: p.Type, description: p.Description }).overrideLogicalId(id);
  }
  for (const [id, r] of Object.entries<any>(t.Resources ?? {})) {
    // nested stacks are re-created below; the CDK metadata resource is added by the raw app itself
    if (r.Type === 'AWS::CloudFormation::Stack' && shape.nested.length > 0) continue;
    if (r.Type === 'AWS::CDK::Metadata') continue;
    const res = new CfnResource(scope, id, { type: r.Type, properties: r.Properties });
    res.overrideLogicalId(id);
    if (r.DependsOn) for (const d of [].concat(r.DependsOn)) res.addOverride('DependsOn', d);
  }
  for (const [id, o] of Object.entries<any>(t.Outputs ?? {})) {
    new CfnOutput(scope, `Out${id}`, { value: o.Value, description: o.Description }).overrideLogicalId(id);
  }
  for (const n of shape.nested) emitRaw(new NestedStack(scope, n.id), n);
}

function timed(fn: () => void): number {
  (global as any).gc?.();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

interface RunResult {
  readonly library: number;
  readonly raw: number;
  readonly libBuild: number;
  readonly rawBuild: number;
  readonly stacks: number;
  readonly resources: number;
  readonly largest: number;
}

function run(n: number): RunResult {
  const org = organization(n);
  const libDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-bench-lib-'));
  const rawDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-bench-raw-'));
  try {
    const libApp = new App({ outdir: libDir });
    let libBuild = 0;
    const library = timed(() => {
      libBuild = timed(() => buildLibrary(libApp, org));
      libApp.synth();
    });
    const tree = shapes(libApp);
    const all = (list: StackShape[]): StackShape[] => list.flatMap((s) => [s, ...all(s.nested)]);
    const counts = all(tree).map((s) => Object.keys(s.template.Resources ?? {}).length);

    const rawApp = new App({ outdir: rawDir });
    let rawBuild = 0;
    const raw = timed(() => {
      rawBuild = timed(() => {
        for (const s of tree) {
          emitRaw(new Stack(rawApp, s.id, { stackName: s.stackName, env: { account: s.account, region: s.region } }), s);
        }
      });
      rawApp.synth();
    });
    return { library, raw, libBuild, rawBuild, stacks: counts.length, resources: counts.reduce((a, b) => a + b, 0), largest: Math.max(...counts) };
  } finally {
    fs.rmSync(libDir, { recursive: true, force: true });
    fs.rmSync(rawDir, { recursive: true, force: true });
  }
}

function fmt(total: number, build: number): string {
  return `${total.toFixed(2)} (${build.toFixed(2)}+${(total - build).toFixed(2)})`;
}

const sizes = (process.env.BENCH_SIZES ?? '250,500,1000').split(',').map(Number);
run(50); // warm up the module caches of both sides
console.log('LandingZone (jump account, root + OU guardrails, 20 OU baselines of 2 kinds, 3 permission sets over every account)');
console.log('accounts | stacks | resources | largest stack | library s (build+synth) | raw L1 s (build+synth) | ratio');
let peakRss = 0;
for (const n of sizes) {
  const r = run(n);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(`${String(n).padStart(8)} | ${String(r.stacks).padStart(6)} | ${String(r.resources).padStart(9)} | `
    + `${String(r.largest).padStart(13)} | ${fmt(r.library, r.libBuild).padStart(23)} | ${fmt(r.raw, r.rawBuild).padStart(22)} | ${(r.library / r.raw).toFixed(2)}`);
}
console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (target < 2048 MiB); ratio target <= 1.50`);
