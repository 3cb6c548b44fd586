/**
 * EventBridge event-pattern matching, as `TestEventPattern` and the Amazon EventBridge User Guide ("Event patterns",
 * "Content filtering") describe it, for tests. No maintained npm matcher exists (AWS's event-ruler is Java; its
 * Python port is not reachable here), so the semantics are reproduced and tested in event-pattern.test.ts.
 *
 * - Every field of the pattern must match; fields of the event that the pattern does not name are ignored.
 * - A leaf of the pattern is an array of matchers; the leaf matches when any matcher matches.
 * - An array in the event matches when any of its elements matches.
 * - Matchers: a literal (string, number compared numerically, boolean, null), `prefix`, `suffix`,
 *   `equals-ignore-case`, `wildcard`, `anything-but` (a value, a list, or a `prefix` / `suffix` /
 *   `equals-ignore-case`), `numeric`, `exists`; and `$or` between sub-patterns.
 * - A field missing from the event matches only `{ exists: false }`.
 */
export function matchesPattern(pattern: Record<string, any>, event: Record<string, any>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return (expected as any[]).some((p) => matchesPattern(p, event));
    const present = event !== null && typeof event === 'object' && key in event;
    const value = present ? event[key] : undefined;
    if (Array.isArray(expected)) return matchesLeaf(expected, present, value);
    if (expected === null || typeof expected !== 'object') throw new Error(`pattern field '${key}' must be an object or an array`);
    if (!present || value === null || typeof value !== 'object' || Array.isArray(value)) {
      // nested pattern against a missing or non-object value: only all-exists:false sub-patterns match
      return Object.values(expected).every((v) => Array.isArray(v) && v.some((m) => isObject(m) && m.exists === false));
    }
    return matchesPattern(expected, value);
  });
}

function matchesLeaf(matchers: any[], present: boolean, value: any): boolean {
  if (matchers.length === 0) throw new Error('an empty array in a pattern matches nothing and is refused by EventBridge');
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m) return m.exists === (present && value !== undefined);
    if (!present) return false;
    return values.some((v) => matchesOne(m, v));
  });
}

function matchesOne(m: any, v: any): boolean {
  if (!isObject(m)) return literalEquals(m, v);
  if ('prefix' in m) return typeof v === 'string' && prefix(m.prefix, v);
  if ('suffix' in m) return typeof v === 'string' && suffix(m.suffix, v);
  if ('equals-ignore-case' in m) return typeof v === 'string' && v.toLowerCase() === String(m['equals-ignore-case']).toLowerCase();
  if ('wildcard' in m) return typeof v === 'string' && wildcard(m.wildcard, v);
  if ('numeric' in m) return typeof v === 'number' && numeric(m.numeric, v);
  if ('anything-but' in m) return anythingBut(m['anything-but'], v);
  throw new Error(`unsupported matcher ${JSON.stringify(m)}`);
}

function literalEquals(m: any, v: any): boolean {
  if (typeof m === 'number' && typeof v === 'number') return m === v;
  return m === v;
}

function prefix(p: any, v: string): boolean {
  if (isObject(p) && 'equals-ignore-case' in p) return v.toLowerCase().startsWith(String(p['equals-ignore-case']).toLowerCase());
  return v.startsWith(String(p));
}

function suffix(s: any, v: string): boolean {
  if (isObject(s) && 'equals-ignore-case' in s) return v.toLowerCase().endsWith(String(s['equals-ignore-case']).toLowerCase());
  return v.endsWith(String(s));
}

function wildcard(w: string, v: string): boolean {
  const re = new RegExp(`^${w.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(v);
}

function numeric(ops: any[], v: number): boolean {
  for (let i = 0; i < ops.length; i += 2) {
    const [op, n] = [ops[i], Number(ops[i + 1])];
    const ok = op === '=' ? v === n : op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : op === '>=' ? v >= n : undefined;
    if (ok === undefined) throw new Error(`unsupported numeric operator ${op}`);
    if (!ok) return false;
  }
  return true;
}

function anythingBut(spec: any, v: any): boolean {
  if (isObject(spec)) {
    if ('prefix' in spec) return typeof v === 'string' && !prefix(spec.prefix, v);
    if ('suffix' in spec) return typeof v === 'string' && !suffix(spec.suffix, v);
    if ('equals-ignore-case' in spec) {
      const list = Array.isArray(spec['equals-ignore-case']) ? spec['equals-ignore-case'] : [spec['equals-ignore-case']];
      return typeof v === 'string' && !list.some((x: string) => x.toLowerCase() === v.toLowerCase());
    }
    throw new Error(`unsupported anything-but ${JSON.stringify(spec)}`);
  }
  const list = Array.isArray(spec) ? spec : [spec];
  return !list.some((x) => literalEquals(x, v));
}

function isObject(x: any): x is Record<string, any> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
