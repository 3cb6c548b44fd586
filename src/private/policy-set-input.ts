// The input that a set of organization policies (GuardrailPolicies' SCPs, ResourceControlPolicies' RCPs) is given,
// checked in one place: the base policy name and description, the attachment points, the statements of its parts.
import { Stack, Token } from 'aws-cdk-lib';
import { GuardrailContext } from './guardrail-context';
import { PackableStatement } from './scp-packing';
import { duplicates, Problems } from './validation';
import type { GuardrailTarget, ResolvedGuardrailTarget } from '../guardrails/guardrail-target';
import type { Organization } from '../organization';

/** A part of a policy set (a guardrail, a resource control): a name and the statements it contributes. */
export interface PolicySetPart {
  readonly name: string;
  _statements(ctx: GuardrailContext): Array<Record<string, unknown>>;
}

/** How the set's parts are called in its props and messages, e.g. `guardrails` / `guardrail`. */
export interface PartNames {
  readonly field: string;
  readonly noun: string;
}

/** The base policy name (`policyName`, or `lz-<id in kebab case>`), with the name's and the description's checks. */
export function policySetBaseName(problems: Problems, id: string, policyName?: string, description?: string): string {
  const baseName = policyName ?? `lz-${kebab(id)}`;
  if (!Token.isUnresolved(baseName) && !/^[\w+=,.@-]{1,124}$/.test(baseName)) {
    problems.add('policyName', `policy name '${baseName}' must be 1-124 of letters, digits and +=,.@_- (policies after the first of a split set get a suffix '-n')`);
  }
  if (description !== undefined && description.length > 512) {
    problems.add('description', `description must be at most 512 characters, got ${description.length}`);
  }
  return baseName;
}

/** The attachment points, each once; `policyKind` names the policies in the targets' messages. */
export function resolvePolicySetTargets(problems: Problems, organization: Organization, targets: GuardrailTarget[],
  policyKind = 'service control policies'): ResolvedGuardrailTarget[] {
  if (targets.length === 0) problems.add('targets', 'at least one target is needed, got none');
  const resolved: ResolvedGuardrailTarget[] = [];
  targets.forEach((t, i) => {
    const msgs: string[] = [];
    resolved.push(...t._resolve(organization, msgs));
    msgs.forEach((m) => problems.add(`targets[${i}]`, m.replace('service control policies', policyKind)));
  });
  for (const dup of duplicates(resolved.map((t) => t.targetId), false)) problems.add('targets', `target '${dup}' is given more than once`);
  return uniqueBy(resolved, (t) => t.targetId);
}

/** Every part's statements, resolved in `stack`, with the field that names each part. */
export function collectPolicySetStatements(problems: Problems, stack: Stack, organization: Organization,
  parts: PolicySetPart[], names: PartNames): { statements: PackableStatement[]; fieldOf: Map<string, string> } {
  if (parts.length === 0) problems.add(names.field, `at least one ${names.noun} is needed, got none`);
  const statements: PackableStatement[] = [];
  const fieldOf = new Map<string, string>();
  parts.forEach((part, i) => {
    fieldOf.set(part.name, `${names.field}[${i}]`);
    const ctx: GuardrailContext = { organization, field: `${names.field}[${i}]`, problems: [] };
    const raw = part._statements(ctx);
    ctx.problems.forEach(([f, m]) => problems.add(f, m));
    for (const s of raw) statements.push({ guardrail: part.name, json: stack.resolve(s) });
  });
  for (const dup of duplicates(parts.map((p) => p.name), false)) problems.add(names.field, `${names.noun} '${dup}' is given more than once`);
  for (const dup of duplicates(statements.map((s) => String(s.json.Sid)), false)) {
    problems.add(names.field, `statement id '${dup}' is used by more than one statement`);
  }
  return { statements, fieldOf };
}

/** `s`, cut to `max` characters with an ellipsis. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 3)}...`;
}

/** The items with the first of each key. */
export function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function kebab(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9+=,.@_-]+/g, '-').toLowerCase();
}
