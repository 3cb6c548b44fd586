// The shape of a synthesized cloud assembly, to size it and to check that the floor emits what the library does.
import * as fs from 'fs';
import * as path from 'path';

/** One template of the assembly: a stack (by artifact id) or a nested stack (parent key / logical id). */
export interface TemplateShape {
  readonly key: string;
  readonly bytes: number;
  readonly resources: Record<string, string>;
  readonly parameters: string[];
  readonly outputs: Record<string, string>;
  /** Resource properties (TemplateURL and CDK metadata aside), to count differences. */
  readonly properties: Record<string, string>;
}

export function templates(dir: string): TemplateShape[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const out: TemplateShape[] = [];
  const visit = (key: string, file: string) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const t = JSON.parse(text);
    const resources: Record<string, string> = {};
    const properties: Record<string, string> = {};
    for (const [id, r] of Object.entries<any>(t.Resources ?? {})) {
      resources[id] = r.Type;
      const { TemplateURL: _url, ...props } = r.Properties ?? {};
      properties[id] = JSON.stringify(props);
      if (r.Type === 'AWS::CloudFormation::Stack' && r.Metadata?.['aws:asset:path']) visit(`${key}/${id}`, r.Metadata['aws:asset:path']);
    }
    const outputs: Record<string, string> = {};
    for (const [id, o] of Object.entries<any>(t.Outputs ?? {})) outputs[id] = JSON.stringify(o.Export?.Name ?? null);
    out.push({ key, bytes: Buffer.byteLength(text), resources, parameters: Object.keys(t.Parameters ?? {}).sort(), outputs, properties });
  };
  for (const [id, a] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (a.type === 'aws:cloudformation:stack') visit(id, a.properties.templateFile);
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** Stacks (nested included), the largest one's resource count and key, and the bytes of all templates. */
export function assemblyShape(dir: string): { stacks: number; largest: number; largestStack: string; templateBytes: number } {
  const all = templates(dir);
  const largest = all.reduce((m, t) => (Object.keys(t.resources).length > Object.keys(m.resources).length ? t : m), all[0]);
  return {
    stacks: all.length,
    largest: Object.keys(largest.resources).length,
    largestStack: largest.key,
    templateBytes: all.reduce((s, t) => s + t.bytes, 0),
  };
}

/**
 * Differences between two assemblies: stacks, nested stacks, resource logical ids and types, parameters, outputs
 * and export names must be equal (`structure`); resource properties other than nested templates' URLs are counted
 * (`properties`).
 */
export function compareAssemblies(a: string, b: string): { structure: string[]; properties: number } {
  const left = new Map(templates(a).map((t) => [t.key, t]));
  const right = new Map(templates(b).map((t) => [t.key, t]));
  const structure: string[] = [];
  let properties = 0;
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const l = left.get(key);
    const r = right.get(key);
    if (!l || !r) {
      structure.push(`${key}: only in ${l ? 'library' : 'floor'}`);
      continue;
    }
    for (const part of ['resources', 'parameters', 'outputs'] as const) {
      if (JSON.stringify(sorted(l[part])) !== JSON.stringify(sorted(r[part]))) structure.push(`${key}: ${part} differ`);
    }
    for (const id of Object.keys(l.properties)) if (l.properties[id] !== r.properties[id]) properties++;
  }
  return { structure, properties };
}

function sorted(v: any): any {
  return Array.isArray(v) ? [...v].sort() : Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)));
}
