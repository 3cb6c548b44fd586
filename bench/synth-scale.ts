// Synthesis at scale: the PermissionSetCatalog against the same CloudFormation written with raw L1 constructs.
// Prints numbers only (never asserts on time). Run: npx projen bench
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import {
  AccountDefinition, AccountSelection, IdentityCenterPrincipal, Organization, PermissionLevel, PermissionSetBoundary,
  PermissionSetCatalog,
} from '../src';
import { shardOf } from '../src/identity-center/sharding';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d';
const SHARDS = 40;
const LEVELS = [PermissionLevel.admin(), PermissionLevel.power(), PermissionLevel.readOnly(), PermissionLevel.powerAndIam(), PermissionLevel.ssm()];
const GROUPS = ['906720aa1c-5d1e3b2f-0000-0000-0000-00000000000a', '906720aa1c-5d1e3b2f-0000-0000-0000-00000000000b'];

/** `n` accounts in three OU levels: Workloads/BU<b>/<Prod|NonProd|Dev>. */
function fixture(n: number): Organization {
  const units = 20;
  const envs = ['Prod', 'NonProd', 'Dev'];
  const ous = [{ path: 'Workloads', ouId: 'ou-be01-root0000' }];
  for (let b = 0; b < units; b++) {
    ous.push({ path: `Workloads/BU${b}`, ouId: `ou-be01-b${String(b).padStart(7, '0')}` });
    envs.forEach((e, k) => ous.push({ path: `Workloads/BU${b}/${e}`, ouId: `ou-be01-${k}${String(b).padStart(7, '0')}` }));
  }
  const accounts: AccountDefinition[] = Array.from({ length: n }, (_, i) => ({
    accountId: String(100_000_000_000 + i * 7919),
    name: `acct-${i}`,
    organizationalUnit: `Workloads/BU${i % units}/${envs[i % 3]}`,
    tags: { env: envs[i % 3].toLowerCase() },
  }));
  return new Organization({
    rootId: 'r-be01',
    managementAccount: { accountId: '000000000000', name: 'management' },
    organizationalUnits: ous,
    accounts,
  });
}

function withLibrary(org: Organization, outdir: string): number {
  const app = new App({ outdir });
  const stack = new Stack(app, 'IdentityCenter', { env: { account: '000000000000', region: 'us-east-1' } });
  const catalog = new PermissionSetCatalog(stack, 'Catalog', {
    organization: org,
    instanceArn: INSTANCE,
    assignmentShards: SHARDS,
  });
  for (const level of LEVELS) {
    const ps = catalog.addPermissionSet(level.name, { permissionLevel: level, permissionsBoundary: PermissionSetBoundary.none() });
    for (const g of GROUPS) {
      catalog.assign({ principal: IdentityCenterPrincipal.group(g), permissionSet: ps, accounts: AccountSelection.organizationalUnits(['Workloads']) });
    }
  }
  app.synth();
  return catalog.assignmentCount;
}

/** The same templates by hand: L1 permission sets, L1 assignments in nested stacks split the same way. */
function withRawL1(org: Organization, outdir: string): number {
  const app = new App({ outdir });
  const stack = new Stack(app, 'IdentityCenter', { env: { account: '000000000000', region: 'us-east-1' } });
  const shards = new Map<number, NestedStack>();
  let count = 0;
  for (const level of LEVELS) {
    const ps = new sso.CfnPermissionSet(stack, level.name, {
      instanceArn: INSTANCE,
      name: level.name,
      description: level.description,
      sessionDuration: 'PT1H',
      managedPolicies: level.awsManagedPolicyNames.map((n) => iam.ManagedPolicy.fromAwsManagedPolicyName(n).managedPolicyArn),
      inlinePolicy: level.inlinePolicy,
    });
    for (const g of GROUPS) {
      for (const account of org.accountsIn('Workloads')) {
        const shard = shardOf(account.accountId, SHARDS);
        let nested = shards.get(shard);
        if (!nested) {
          nested = new NestedStack(stack, `Assignments${String(shard).padStart(2, '0')}`);
          shards.set(shard, nested);
        }
        new sso.CfnAssignment(nested, `${level.name}-G${GROUPS.indexOf(g)}-${account.accountId}`, {
          instanceArn: INSTANCE,
          permissionSetArn: ps.attrPermissionSetArn,
          principalType: 'GROUP',
          principalId: g,
          targetType: 'AWS_ACCOUNT',
          targetId: account.accountId,
        });
        count++;
      }
    }
  }
  app.synth();
  return count;
}

function largestStack(outdir: string): number {
  let max = 0;
  for (const f of fs.readdirSync(outdir).filter((x) => x.endsWith('.template.json'))) {
    const t = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf-8'));
    max = Math.max(max, Object.keys(t.Resources ?? {}).length);
  }
  return max;
}

function timed(fn: () => number): { ms: number; result: number; heapMiB: number } {
  (global as any).gc?.();
  const start = process.hrtime.bigint();
  const result = fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  (global as any).gc?.();
  return { ms, result, heapMiB };
}

function main(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-scale-'));
  const run = (label: string, n: number, fn: (org: Organization, outdir: string) => number) => {
    const org = fixture(n);
    const outdir = path.join(root, `${label}-${n}`);
    const r = timed(() => fn(org, outdir));
    const largest = largestStack(outdir);
    fs.rmSync(outdir, { recursive: true, force: true });
    return { ...r, largest };
  };

  // warm up module loading and the JIT
  run('warmup-lib', 50, withLibrary);
  run('warmup-raw', 50, withRawL1);

  console.log('accounts  assignments  library ms   raw L1 ms   ratio  largest stack  heap after synth MiB');
  let maxHeap = 0;
  for (const n of [250, 500, 1000]) {
    const lib = run('lib', n, withLibrary);
    const raw = run('raw', n, withRawL1);
    maxHeap = Math.max(maxHeap, lib.heapMiB, raw.heapMiB);
    console.log(
      `${String(n).padStart(8)}  ${String(lib.result).padStart(11)}  ${lib.ms.toFixed(0).padStart(10)}  ${raw.ms.toFixed(0).padStart(10)}  `
      + `${(lib.ms / raw.ms).toFixed(2).padStart(5)}  ${String(lib.largest).padStart(13)}  ${lib.heapMiB.toFixed(0).padStart(20)}`,
    );
    if (lib.result !== raw.result) console.log(`  note: library ${lib.result} vs raw ${raw.result} assignments`);
  }
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`peak RSS ${peakRssMiB.toFixed(0)} MiB, max heap after synth ${maxHeap.toFixed(0)} MiB (target < 2048 MiB)`);
  fs.rmSync(root, { recursive: true, force: true });
}

main();
