// Packing of service control policy statements (measured by policy-size.ts). Pure functions: no construct is
// imported, so the same logic serves every guardrail construct and the tests.
import { minifiedLength } from './policy-size';

/** A statement to pack, already resolved to JSON, with the guardrail it came from (for messages). */
export interface PackableStatement {
  readonly guardrail: string;
  readonly json: Record<string, unknown>;
}

/** One packed policy: the statements in it and its minified size. */
export interface PackedPolicy {
  readonly statements: PackableStatement[];
  readonly size: number;
}

export interface PackResult {
  readonly policies: PackedPolicy[];
  /** Statements that alone do not fit in one policy: refused, never dropped silently. */
  readonly oversize: Array<{ statement: PackableStatement; size: number }>;
}

const POLICY_VERSION = '2012-10-17';

/** The policy document AWS stores for these statements. */
export function scpDocument(statements: Array<Record<string, unknown>>): Record<string, unknown> {
  return { Version: POLICY_VERSION, Statement: statements };
}

/** Size of a whole policy holding these statements. */
export function documentLength(statements: PackableStatement[]): number {
  return minifiedLength(scpDocument(statements.map((s) => s.json)));
}

/**
 * Packs statements into as few policies of at most `limit` characters as first-fit decreasing finds. Deterministic:
 * statements are ordered by size, then by their position in the input (which follows the order the guardrails were
 * given), so the same input always gives the same policies and adding a small guardrail at the end does not move
 * the large ones. Inside each policy, statements keep their input order so the document reads like the props.
 */
export function packStatements(statements: PackableStatement[], limit: number): PackResult {
  const empty = documentLength([]);
  const sized = statements.map((statement, index) => ({ statement, index, size: minifiedLength(statement.json) }));
  const oversize = sized.filter((s) => empty + s.size > limit).map((s) => ({ statement: s.statement, size: empty + s.size }));
  const fitting = sized.filter((s) => empty + s.size <= limit).sort((a, b) => b.size - a.size || a.index - b.index);

  const bins: Array<{ items: typeof fitting; size: number }> = [];
  for (const item of fitting) {
    // a statement after the first in a policy costs one extra comma
    const bin = bins.find((b) => b.size + item.size + 1 <= limit);
    if (bin) {
      bin.items.push(item);
      bin.size += item.size + 1;
    } else {
      bins.push({ items: [item], size: empty + item.size });
    }
  }
  const policies = bins.map((b) => {
    const ordered = [...b.items].sort((x, y) => x.index - y.index).map((i) => i.statement);
    return { statements: ordered, size: documentLength(ordered) };
  });
  return { policies, oversize };
}


// ---------------------------------------------------------------------------------------------------------------
// Per-type limits and per-target counts. SCPs and RCPs have their own quotas and are counted separately: an RCP
// never takes an SCP's slot on a root, OU or account, and the reverse.

/** The authorization policy types of AWS Organizations the library creates. */
export type AuthorizationPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

/** What AWS allows for one policy type (the defaults of adjustable quotas). */
export interface PolicyTypeLimits {
  /** The largest document, in characters of minified JSON. */
  readonly documentChars: number;
  /** The most policies of the type on one root, OU or account (adjustable for SCPs). */
  readonly perTarget: number;
  /** The AWS managed policy attached to every target once the type is enabled, which counts against the quota. */
  readonly fullAccessPolicy: string;
  /** Plural name for messages. */
  readonly label: string;
}

export const POLICY_TYPE_LIMITS: Record<AuthorizationPolicyType, PolicyTypeLimits> = {
  SERVICE_CONTROL_POLICY: { documentChars: 5_120, perTarget: 5, fullAccessPolicy: 'FullAWSAccess', label: 'service control policies' },
  RESOURCE_CONTROL_POLICY: { documentChars: 5_120, perTarget: 5, fullAccessPolicy: 'RCPFullAWSAccess', label: 'resource control policies' },
};

/** The policies one construct attaches to one target. */
export interface TargetAttachment {
  readonly policyType: AuthorizationPolicyType;
  readonly targetId: string;
  /** A readable name of the target for messages. */
  readonly description: string;
  readonly policyNames: string[];
  /** The quota the construct was configured with. */
  readonly maxPerTarget: number;
  /** Policies of this type attached outside the library. */
  readonly external: number;
}

/**
 * Every target whose policies of one type exceed the quota, one message each. Attachments of different types never
 * add up; attachments of the same type and target do, with the smallest quota and the largest external count among
 * them.
 */
export function perTargetOverruns(attachments: TargetAttachment[]): string[] {
  const groups = new Map<string, TargetAttachment[]>();
  for (const a of attachments) {
    const key = `${a.policyType} ${a.targetId}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(a);
  }
  const out: string[] = [];
  for (const group of groups.values()) {
    const max = Math.min(...group.map((a) => a.maxPerTarget));
    const external = Math.max(...group.map((a) => a.external));
    const names = group.flatMap((a) => a.policyNames);
    const label = POLICY_TYPE_LIMITS[group[0].policyType].label;
    if (names.length + external > max) {
      out.push(`${group[0].description}: ${names.length} ${label} (${names.join(', ')}) plus ${external} attached outside the library make ${names.length + external}, over the limit of ${max} ${label} per target: give fewer controls, attach some to a parent ou, or, if your quota allows, raise maxPoliciesPerTarget`);
    }
  }
  return out;
}

/**
 * Logical id and name of the i-th (0-based) policy a packing produced. The first keeps the unsuffixed id and name
 * whether or not the set is split, so that a set growing from one policy to two adds a policy instead of replacing
 * the one already attached (a replacement attaches before it detaches, which fails on a target at its quota).
 */
export function packedPolicyId(index: number): string {
  return index === 0 ? 'Policy' : `Policy${index + 1}`;
}

/** See `packedPolicyId`: `<base>`, then `<base>-2`, `<base>-3`, ... */
export function packedPolicyName(baseName: string, index: number): string {
  return index === 0 ? baseName : `${baseName}-${index + 1}`;
}
