// Break-glass decisions. Pure code, like policy.ts: who may approve their own request in an incident, for how long,
// and who may close the review afterwards.
import { AccessAsk, AccessConfig, EffectivePolicy, evaluateRequest, isEligibleApprover, PolicyError } from './policy';

/** A break-glass reason must say what is happening: longer than an ordinary justification. */
export const MIN_BREAK_GLASS_REASON = 20;
/** A review comment must say what was checked. */
export const MIN_REVIEW_COMMENT = 10;

/** The effective policy of a break-glass request: no approvals, a shorter cap, and when the review is due. */
export interface BreakGlassPolicy extends EffectivePolicy {
  readonly breakGlassRules: string[];
  readonly reviewWithinSeconds: number;
}

/**
 * Checks a break-glass request: everything an ordinary request must meet (eligibility, tickets, the rules' duration),
 * plus a rule of the principal that enables break-glass on this account and permission set, a duration within the
 * shortest break-glass cap of those rules, and a reason of at least `MIN_BREAK_GLASS_REASON` characters whatever
 * `justificationRequired` says. Throws `PolicyError` with every problem.
 */
export function evaluateBreakGlass(config: AccessConfig, ask: AccessAsk): BreakGlassPolicy {
  const policy = evaluateRequest(config, ask);
  const rules = config.eligibility.filter((r) => r.breakGlass
    && policy.matchedRules.includes(r.name)
    && r.breakGlass.accounts.includes(ask.accountId)
    && r.breakGlass.permissionSets.includes(ask.permissionSetArn));
  if (rules.length === 0) {
    throw new PolicyError(`no break-glass rule allows principal '${ask.principalId}' permission set '${ask.permissionSetArn}' on account '${ask.accountId}'`);
  }
  const cap = Math.min(policy.maxDurationSeconds, ...rules.map((r) => r.breakGlass!.maxDurationSeconds));
  const problems: string[] = [];
  if (ask.durationSeconds > cap) problems.push(`break-glass duration ${ask.durationSeconds}s exceeds the break-glass maximum of ${cap}s`);
  if ((ask.justification ?? '').trim().length < MIN_BREAK_GLASS_REASON) {
    problems.push(`a break-glass reason of at least ${MIN_BREAK_GLASS_REASON} characters is required`);
  }
  if (problems.length > 0) throw new PolicyError(problems.join('; '));
  return {
    ...policy,
    approvals: 0,
    maxDurationSeconds: cap,
    breakGlassRules: rules.map((r) => r.name),
    reviewWithinSeconds: Math.min(...rules.map((r) => r.breakGlass!.reviewWithinSeconds)),
  };
}

/** Why `reviewerId` may not close the review of a break-glass request, or undefined when they may. */
export function reviewRefusal(
  config: AccessConfig, reviewerId: string, reviewerGroupIds: string[], request: { requesterId: string; accountId: string; permissionSetArn: string },
  comment: string | undefined,
): string | undefined {
  if (reviewerId === request.requesterId) return 'the requester cannot review their own break-glass access';
  if (!isEligibleApprover(config, reviewerId, reviewerGroupIds, request.accountId, request.permissionSetArn)) {
    return 'only an approver for this account and permission set may close the review';
  }
  if (!comment || comment.trim().length < MIN_REVIEW_COMMENT) return `a review comment of at least ${MIN_REVIEW_COMMENT} characters is required`;
  return undefined;
}

/**
 * When the next reminder of an open review is due: a quarter of the review window after the last one while the
 * review is not due, then on every run (`now`) once it is overdue. `overdue` tells whether operators are reminded too.
 */
export function nextReminder(now: number, dueAt: number, reviewWithinSeconds: number): { at: number; overdue: boolean } {
  const overdue = now >= dueAt;
  return { at: overdue ? now : Math.min(dueAt, now + Math.floor(reviewWithinSeconds / 4) * 1000), overdue };
}
