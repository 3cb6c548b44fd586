// Fixed physical names per account. IAM role, user, group and policy names are unique within an account and not
// distinguished by case (IAM API reference, CreateRole / CreatePolicy), so two declarations of one name for one
// account fail only at deployment, in whichever stack deploys second. Pure: claims in, clashes out.

/** The kinds of IAM names that must be unique per account. */
export type PhysicalNameKind = 'role' | 'managed policy' | 'user' | 'group';

/** One declaration of a fixed name in one account. */
export interface NameClaim {
  readonly accountId: string;
  readonly kind: PhysicalNameKind;
  readonly name: string;
  /** The construct path that declares it. */
  readonly owner: string;
  /** Whether the owner can report a clash (a construct of this library, which knows the fix). */
  readonly reports: boolean;
  /** Whether the landing zone composes it (an OU baseline, the management account's boundary). */
  readonly composed: boolean;
  /** Whether it is an OU baseline (baseline overlaps between OUs are `checkBaselineOverlaps`'). */
  readonly baseline: boolean;
  /** What to do instead of declaring the name a second time, for a user's own declaration. */
  readonly fix: string;
}

/** A name declared more than once for one account, reported at one of its owners. */
export interface NameClash {
  /** The owner that reports the clash. */
  readonly reporter: string;
  readonly message: string;
}

/**
 * The clashes among `claims` (in construct-tree order). Each is reported once, at the last declaration a user wrote
 * (else the last the landing zone composes), and names the other declarations and the fix.
 */
export function findNameClashes(claims: readonly NameClaim[]): NameClash[] {
  const groups = new Map<string, NameClaim[]>();
  for (const c of claims) {
    const key = JSON.stringify([c.accountId, c.kind, c.name.toLowerCase()]);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: NameClash[] = [];
  for (const group of groups.values()) {
    const owners = [...new Set(group.map((c) => c.owner))];
    if (owners.length < 2 || group.every((c) => c.baseline)) continue;
    const reporting = group.filter((c) => c.reports);
    const reporter = [...reporting].reverse().find((c) => !c.composed) ?? reporting[reporting.length - 1];
    if (reporter === undefined) continue;
    const others = owners.filter((o) => o !== reporter.owner).map((o) => `'${o}'`).join(', ');
    // a composed declaration reports only when no user's declaration can: the fix is then the user's
    const fix = reporter.composed
      ? `rename or remove ${others}: the landing zone deploys this name there`
      : reporter.fix;
    out.push({
      reporter: reporter.owner,
      message: `${reporter.kind} name '${reporter.name}' is declared for account ${reporter.accountId} also by ${others}, `
        + `and iam names are unique per account: ${fix}`,
    });
  }
  return out;
}
