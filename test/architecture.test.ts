// The structure docs/architecture.md promises, checked on the source: data flows one way, so no module needs itself
// at load time through others, and every constructor is short enough to read at once.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');
const MAX_CONSTRUCTOR_LINES = 80;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const f = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(f) : f.endsWith('.ts') && !f.endsWith('.d.ts') ? [f] : [];
  });
}

/** Relative imports that load a module at run time (type-only imports and `import type` specifiers excluded). */
function runtimeImports(file: string, source: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const st of source.statements) {
    if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) || !st.moduleSpecifier) continue;
    const spec = (st.moduleSpecifier as ts.StringLiteral).text;
    if (!spec.startsWith('.')) continue;
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      if (clause && !clause.name && named && named.every((n) => n.isTypeOnly)) continue;
    } else if (st.isTypeOnly) {
      continue;
    }
    const base = path.join(path.dirname(file), spec);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c));
    if (target) out.push(target);
  }
  return out;
}

function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(path.relative(SRC, w));
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

// The tree reads docs/architecture.md names: checks of what a stack or a user's app holds that no plan knows
// (fixed-name claims, output and resource counts, the nag packs' inspection, rendered-template validation, a
// builder's acknowledgements over its own scope). A construct never finds another construct to write into it.
const TREE_READERS = [
  'elevated-access/builders/inherent-findings.ts',
  'identity-center/permission-set-catalog.ts',
  'jump-account.ts',
  'landing-zone-boundary.ts',
  'nag/pack.ts',
  'private/cfn-inspect.ts',
  'private/stack-template.ts',
  'unique-names.ts',
];

/** The files (relative to src/) that call a method of this name. */
function filesCalling(sources: Map<string, ts.SourceFile>, method: string): string[] {
  const out = new Set<string>();
  for (const [file, source] of sources) {
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === method) {
        out.add(path.relative(SRC, file));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...out];
}

/** The constructors (file, class, length) longer than MAX_CONSTRUCTOR_LINES, counted from `constructor(` to `}`. */
function longConstructors(sources: Map<string, ts.SourceFile>): string[] {
  const long: string[] = [];
  for (const [file, source] of sources) {
    const visit = (node: ts.Node) => {
      if (ts.isConstructorDeclaration(node) && node.body) {
        const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const last = source.getLineAndCharacterOfPosition(node.end).line;
        const cls = ts.isClassDeclaration(node.parent) ? node.parent.name?.text : '?';
        if (last - first + 1 > MAX_CONSTRUCTOR_LINES) long.push(`${path.relative(SRC, file)} ${cls}: ${last - first + 1} lines`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return long;
}

const files = sourceFiles(SRC);
const parsed = new Map(files.map((f) => [f, ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true)]));

describe('architecture of src/', () => {
  test('no module imports itself at run time through others (no import cycle)', () => {
    const graph = new Map(files.map((f) => [f, runtimeImports(f, parsed.get(f)!)]));
    expect(cycles(graph)).toEqual([]);
  });

  test(`no constructor is longer than ${MAX_CONSTRUCTOR_LINES} lines`, () => {
    expect(longConstructors(parsed)).toEqual([]);
  });

  test('the constructor measure finds a long constructor (so the test above can fail)', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `    this.x${i} = ${i};`).join('\n');
    const code = `class Long {\n  constructor() {\n${body(MAX_CONSTRUCTOR_LINES - 1)}\n  }\n}\nclass Short {\n  constructor() {\n${body(MAX_CONSTRUCTOR_LINES - 2)}\n  }\n}\n`;
    const probe = ts.createSourceFile(path.join(SRC, 'x.ts'), code, ts.ScriptTarget.Latest, true);
    expect(longConstructors(new Map([[probe.fileName, probe]]))).toEqual([`x.ts Long: ${MAX_CONSTRUCTOR_LINES + 1} lines`]);
  });

  test('no construct scans the construct tree outside the documented places (findAll)', () => {
    expect(filesCalling(parsed, 'findAll').sort()).toEqual(TREE_READERS);
  });

  test('the findAll finder finds a call (so the test above can fail)', () => {
    const probe = ts.createSourceFile(path.join(SRC, 'x.ts'), 'const a = b.node.findAll().length;', ts.ScriptTarget.Latest, true);
    expect(filesCalling(new Map([[probe.fileName, probe]]), 'findAll')).toEqual(['x.ts']);
  });

  test('the cycle finder finds a cycle (so the first test can fail)', () => {
    expect(cycles(new Map([[path.join(SRC, 'a.ts'), [path.join(SRC, 'b.ts')]], [path.join(SRC, 'b.ts'), [path.join(SRC, 'a.ts')]]]))).toEqual([['a.ts', 'b.ts']]);
  });
});
