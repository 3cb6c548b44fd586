// A walker over Amazon States Language: the graph of a definition, with the edges a reviewer must consider - Next,
// Choice branches and Default, Catch targets, the implicit failure of a task without a catch-all, a Choice without a
// Default - and Parallel / Map branches flattened into it (a branch's end continues at its state's Next).

export interface Graph {
  /** state -> successor states; '#end' is the end of the execution (success or failure). */
  readonly edges: Map<string, Set<string>>;
  /** state -> its ASL definition. */
  readonly states: Map<string, any>;
}

export const END = '#end';

function catchesAll(state: any): boolean {
  return (state.Catch ?? []).some((c: any) => (c.ErrorEquals ?? []).includes('States.ALL'));
}

/** Builds the flattened graph of a definition (`{ StartAt, States }`). */
export function graphOf(definition: any): Graph {
  const edges = new Map<string, Set<string>>();
  const states = new Map<string, any>();
  const add = (from: string, to: string) => {
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
  };
  // `onEnd`: where a state that ends this (sub)machine continues; `onFail`: where an uncaught failure goes
  const walk = (machine: any, prefix: string, onEnd: string, onFail: string[]) => {
    const name = (s: string) => `${prefix}${s}`;
    for (const [id, state] of Object.entries<any>(machine.States)) {
      const n = name(id);
      states.set(n, state);
      edges.set(n, edges.get(n) ?? new Set());
      if (state.Next) add(n, name(state.Next));
      if (state.End) add(n, onEnd);
      if (state.Type === 'Succeed') add(n, onEnd);
      if (state.Type === 'Fail') for (const f of onFail) add(n, f);
      if (state.Type === 'Choice') {
        for (const c of state.Choices ?? []) add(n, name(c.Next));
        if (state.Default) add(n, name(state.Default));
        else for (const f of onFail) add(n, f); // States.NoChoiceMatched
      }
      for (const c of state.Catch ?? []) add(n, name(c.Next));
      const canFail = state.Type === 'Task' || state.Type === 'Parallel' || state.Type === 'Map';
      if (canFail && !catchesAll(state)) for (const f of onFail) add(n, f);
      // branches: entered from the state, ending where the state would continue; their failures are the state's
      const after = state.Next ? name(state.Next) : onEnd;
      const failTargets = [...(state.Catch ?? []).map((c: any) => name(c.Next)), ...(catchesAll(state) ? [] : onFail)];
      const subs = state.Type === 'Parallel' ? state.Branches : state.Type === 'Map' ? [state.ItemProcessor ?? state.Iterator] : [];
      subs.forEach((sub: any, i: number) => {
        const p = `${n}/${i}/`;
        add(n, `${p}${sub.StartAt}`);
        walk(sub, p, after, failTargets);
      });
    }
  };
  walk(definition, '', END, [END]);
  return { edges, states };
}

/**
 * A path from `start` to the end of the execution that passes none of `through`, or undefined when every path to the
 * end passes one of them (cycles are fine: a loop that never reaches the end without them is not a way out).
 */
export function escapeRoute(g: Graph, start: string, through: Set<string>): string[] | undefined {
  const seen = new Set<string>();
  const stack: Array<{ node: string; path: string[] }> = [];
  for (const next of g.edges.get(start) ?? []) stack.push({ node: next, path: [start, next] });
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (through.has(node) || seen.has(node)) continue;
    if (node === END) return path;
    seen.add(node);
    for (const next of g.edges.get(node) ?? []) stack.push({ node: next, path: [...path, next] });
  }
  return undefined;
}

/** States whose Resource is the given Step Functions SDK integration (e.g. `ssoadmin:deleteAccountAssignment`). */
export function sdkStates(g: Graph, serviceAction: string): string[] {
  return [...g.states].filter(([, s]) => s.Type === 'Task' && typeof s.Resource === 'string'
    && s.Resource.endsWith(`:aws-sdk:${serviceAction}`)).map(([n]) => n);
}
