// Scale benchmark: the whole-organization shape (bench/org-shape.ts) against a typed-L1 floor emitting the same
// CloudFormation (bench/org-scale-run.ts), in both deployment modes, with and without the rule pack. Prints numbers
// and writes them to JSON; never asserts on time.
//
//   npx projen bench                                   # 100, 250, 1000 accounts, 3 pairs
//   npx projen bench -- --sizes 100,250,500,1000,2000,5000,10000 --pairs 3 --modes stackset,per-account
//   npx projen bench -- --no-validator                 # without aws-cdk-lib's CloudFormation validator, both sides
//   npx projen bench -- --library src                  # the library's src/ through ts-node instead of compiled lib/
//   npx projen bench -- --max-old-space 2560           # every process's V8 heap limit in MiB (default 8192)
//   npx projen bench -- --jump-elevated                # the shape with jump users' elevated access too
//
// Every measurement runs in a fresh process and takes CPU seconds (user + system) of build + synth, so other load on
// the machine does not count. A point's measurements are interleaved: pair i runs library, library with the pack
// and the floor in an order rotated by i.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareAssemblies } from './org-scale-shape';

interface Run {
  readonly side: string;
  readonly cpu: number;
  readonly wall: number;
  readonly rssMiB: number;
  readonly stacks: number;
  readonly largest: number;
  readonly largestStack: string;
  readonly templateBytes: number;
}

interface Point {
  readonly accounts: number;
  readonly mode: string;
  readonly validator: boolean;
  readonly pairs: number;
  readonly error?: string;
  readonly library?: Run[];
  readonly libraryWithPack?: Run[];
  readonly floor?: Run[];
  readonly ratio?: Stat;
  readonly ratioWithPack?: Stat;
  readonly packOverhead?: Stat;
  readonly floorMatches?: { structure: string[]; properties: number };
}

interface Stat { readonly median: number; readonly min: number; readonly max: number }

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const sizes = option('sizes', '100,250,1000').split(',').map(Number);
const modes = option('modes', 'stackset,per-account').split(',');
const pairs = Number(option('pairs', '3'));
const withPack = option('pack', 'both') !== 'off';
const validator = !process.argv.includes('--no-validator');
const jsonFile = option('json', path.join('bench', 'results', `org-scale${validator ? '' : '-no-validator'}${process.argv.includes('--jump-elevated') ? '-jump-elevated' : ''}.json`));
const heapMiB = option('max-old-space', '8192');
const librarySource = option('library', 'lib');
const jumpElevated = process.argv.includes('--jump-elevated');

/**
 * The library side loads the compiled `lib/` (as the package's users do; the floor compiles nothing either): refuse
 * a `lib/` older than any source, which would measure other code.
 */
function checkCompiled(): void {
  if (librarySource === 'src') return;
  const root = path.join(__dirname, '..');
  const built = path.join(root, 'lib', 'index.js');
  if (!fs.existsSync(built)) throw new Error('bench: lib/index.js is missing; run `npx projen compile` first (or pass --library src)');
  const builtAt = fs.statSync(built).mtimeMs;
  const newer = (dir: string): string | undefined => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const hit = e.isDirectory() ? newer(p) : (e.name.endsWith('.ts') && fs.statSync(p).mtimeMs > builtAt ? p : undefined);
      if (hit) return hit;
    }
    return undefined;
  };
  const stale = newer(path.join(root, 'src'));
  if (stale) throw new Error(`bench: lib/ is older than ${path.relative(root, stale)}; run \`npx projen compile\` first (or pass --library src)`);
}

function child(args: string[]): Run {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'org-scale-run.ts'), ...args], {
    env: { ...process.env, CDK_VALIDATION: validator ? 'true' : 'false', LZ_BENCH_LIBRARY: librarySource, LZ_BENCH_JUMP_ELEVATED: jumpElevated ? '1' : '0' },
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{"side"'));
  if (r.status !== 0 || line === undefined) {
    const text = `${r.stderr ?? ''}\n${r.stdout ?? ''}`;
    const reason = text.split('\n').find((l) => /Error|error|\[/.test(l) && !/^\s+at /.test(l)) ?? `exit ${r.status}`;
    throw new Error(reason.trim().slice(0, 400));
  }
  return JSON.parse(line);
}

function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], max: s[s.length - 1] };
}

/** One size and mode; `onPair` gets the point so far after each complete pair (written out, so a stopped run keeps them). */
function point(root: string, accounts: number, mode: string, onPair: (sofar: Point) => void = () => undefined): Point {
  const ref = path.join(root, `ref-${accounts}-${mode}`);
  const library: Run[] = [];
  const libraryWithPack: Run[] = [];
  const floor: Run[] = [];
  let floorMatches: Point['floorMatches'];
  const sides: Array<() => void> = [
    () => library.push(child(['library', String(accounts), mode, '0', library.length === 0 ? ref : path.join(root, 'lib')])),
    () => {
      const out = path.join(root, 'floor');
      floor.push(child(['floor', ref, out]));
      floorMatches ??= compareAssemblies(ref, out);
    },
    ...(withPack ? [() => libraryWithPack.push(child(['library', String(accounts), mode, '1', path.join(root, 'pack')]))] : []),
  ];
  try {
    for (let i = 0; i < pairs; i++) {
      // the first library run writes the floor's input; later pairs rotate the order
      const order = i === 0 ? sides : sides.map((_, k) => sides[(k + i) % sides.length]);
      for (const run of order) {
        run();
        for (const d of ['lib', 'floor', 'pack']) fs.rmSync(path.join(root, d), { recursive: true, force: true });
      }
      process.stderr.write('.');
      onPair(summary(accounts, mode, i + 1, { library, libraryWithPack, floor }, floorMatches));
    }
  } catch (e) {
    return { accounts, mode, validator, pairs, error: (e as Error).message };
  } finally {
    fs.rmSync(ref, { recursive: true, force: true });
  }
  return summary(accounts, mode, pairs, { library, libraryWithPack, floor }, floorMatches);
}

interface Runs { readonly library: Run[]; readonly libraryWithPack: Run[]; readonly floor: Run[] }

function summary(accounts: number, mode: string, done: number, runs: Runs, floorMatches: Point['floorMatches']): Point {
  const { library, libraryWithPack, floor } = runs;
  const ratios = (lib: Run[]) => stat(lib.map((r, k) => r.cpu / floor[k].cpu));
  return {
    accounts,
    mode,
    validator,
    pairs: done,
    library,
    libraryWithPack,
    floor,
    floorMatches,
    ratio: ratios(library),
    ratioWithPack: withPack ? ratios(libraryWithPack) : undefined,
    packOverhead: withPack ? stat(libraryWithPack.map((r, k) => r.cpu / library[k].cpu - 1)) : undefined,
  };
}

const f2 = (x: number) => x.toFixed(2);
const range = (s: Stat) => `${f2(s.median)} (${f2(s.min)}-${f2(s.max)})`;
const pct = (s: Stat) => `${s.median >= 0 ? '+' : ''}${(s.median * 100).toFixed(0)}% (${(s.min * 100).toFixed(0)} to ${(s.max * 100).toFixed(0)})`;
const median = (runs: Run[], f: (r: Run) => number) => stat(runs.map(f)).median;
const peak = (runs: Run[] | undefined) => (runs ?? []).reduce((m, r) => Math.max(m, r.rssMiB), 0);

function row(p: Point): string {
  if (p.error) return `| ${p.accounts} | ${p.mode} | failed: ${p.error.replace(/\|/g, '/')} |`;
  const lib = p.library!;
  const shape = lib[0];
  const cells = [
    p.accounts, p.mode, shape.stacks, `${shape.largest} (${shape.largestStack})`, (shape.templateBytes / 2 ** 20).toFixed(1),
    f2(median(lib, (r) => r.cpu)), f2(median(p.floor!, (r) => r.cpu)), range(p.ratio!),
    p.ratioWithPack ? range(p.ratioWithPack) : '-', p.packOverhead ? pct(p.packOverhead) : '-',
    `${peak(lib).toFixed(0)} / ${p.libraryWithPack?.length ? peak(p.libraryWithPack).toFixed(0) : '-'} / ${peak(p.floor).toFixed(0)}`,
    p.floorMatches!.structure.length === 0 ? `yes${p.floorMatches!.properties ? ` (${p.floorMatches!.properties} property diffs)` : ''}` : `NO: ${p.floorMatches!.structure.slice(0, 2).join('; ')}`,
  ];
  return `| ${cells.join(' | ')} |`;
}

function main(): void {
  checkCompiled();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-org-scale-'));
  const points: Point[] = [];
  const write = (sofar: Point[] = points) => {
    fs.mkdirSync(path.dirname(jsonFile), { recursive: true });
    fs.writeFileSync(jsonFile, JSON.stringify({ node: process.version, cpus: os.cpus().length, validator, library: librarySource, maxOldSpaceMiB: Number(heapMiB), jumpElevated, pairs, points: sofar }, null, 2) + '\n');
  };
  console.log(`Whole-organization shape, ${pairs} interleaved pairs per point, CDK validator ${validator ? 'on' : 'off'}, library from ${librarySource}/, every process --max-old-space-size=${heapMiB}${jumpElevated ? ', with jump elevated access' : ''}; CPU seconds of build + synth`);
  console.log('| accounts | mode | stacks | largest stack (resources) | templates MiB | library s | floor s | ratio median (min-max) | ratio with pack | pack overhead | peak RSS MiB lib / lib+pack / floor | floor = library |');
  console.log('|---:|---|---:|---|---:|---:|---:|---|---|---|---|---|');
  try {
    for (const accounts of sizes) {
      for (const mode of modes) {
        // a point in progress is written with the pairs it has so far
        const p = point(root, accounts, mode, (sofar) => write([...points, sofar]));
        points.push(p);
        write();
        process.stderr.write('\n');
        console.log(row(p));
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    write();
    console.log(`written to ${jsonFile}`);
  }
}

main();
