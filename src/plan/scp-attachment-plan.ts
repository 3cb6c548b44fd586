// The service control policies each guardrail construct attaches, and the app-wide rules over them: the SCP quota of
// every target (counting every construct that attaches to it) and policy names unique in the organization. Pure: the
// constructs hand their plans over; no construct is read here.
import type { ResolvedGuardrailTarget } from '../guardrails/guardrail-target';

/** What one guardrail construct attaches where, with the quota settings it was given. */
export interface ScpAttachmentPlan {
  /** The construct path, for messages and to report each problem once. */
  readonly path: string;
  readonly policyNames: string[];
  readonly targets: ReadonlyArray<Pick<ResolvedGuardrailTarget, 'targetId' | 'description'>>;
  readonly maxPerTarget: number;
  readonly external: number;
}

/**
 * The problems of `own` among every plan of the app (`own` included): each of its targets over the SCP quota, counting
 * every construct attaching there with the strictest settings among them, and each of its policy names used by
 * another construct. A problem shared by several constructs is reported once, by the one whose path sorts first.
 */
export function checkScpAttachments(own: ScpAttachmentPlan, plans: ReadonlyArray<ScpAttachmentPlan>): string[] {
  const all = [...plans].sort((a, b) => a.path.localeCompare(b.path));
  const errors: string[] = [];
  for (const target of own.targets) {
    const sharing = all.filter((a) => a.targets.some((t) => t.targetId === target.targetId));
    if (sharing[0]?.path !== own.path) continue;
    const max = Math.min(...sharing.map((a) => a.maxPerTarget));
    const external = Math.max(...sharing.map((a) => a.external));
    const names = sharing.flatMap((a) => a.policyNames);
    if (names.length + external > max) {
      errors.push(`${target.description}: ${names.length} guardrail policies (${names.join(', ')}) plus ${external} attached outside the library make ${names.length + external}, over the limit of ${max} service control policies per target: merge guardrails into fewer constructs, attach some to a parent ou, or, if your quota allows, raise maxPoliciesPerTarget on every guardrail construct attached to it`);
    }
  }
  const mine = new Set(own.policyNames.map((n) => n.toLowerCase()));
  for (const other of all) {
    if (other.path === own.path) continue;
    for (const n of other.policyNames) {
      if (mine.has(n.toLowerCase()) && own.path < other.path) {
        errors.push(`policy name '${n}' is also used by ${other.path}: service control policy names must be unique in the organization (set policyName)`);
      }
    }
  }
  return errors;
}
