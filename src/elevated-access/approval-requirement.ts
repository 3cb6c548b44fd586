/**
 * How many distinct approvers a request needs before access is granted. The requester never counts.
 *
 * Between several matching eligibility rules the stricter requirement wins: `quorum(n)` > `anyOne()` > `none()`.
 *
 * Obtained from the static factories only: the constructor is private, so no language can subclass it.
 */
export class ApprovalRequirement {
  /** No approval: access is granted as soon as the request passes the rule's checks. An explicit loosening. */
  public static none(): ApprovalRequirement {
    return new ApprovalRequirement(0, 'none', false);
  }

  /** One approval by any eligible approver other than the requester. */
  public static anyOne(): ApprovalRequirement {
    return new ApprovalRequirement(1, 'any one approver', false);
  }

  /**
   * `count` approvals by distinct eligible approvers, none of them the requester (2-10).
   *
   * @param count number of distinct approvers required
   */
  public static quorum(count: number): ApprovalRequirement {
    return new ApprovalRequirement(count, `${count} distinct approvers`, true);
  }

  /** Number of distinct approvals required (0 = none). */
  public readonly approvals: number;

  /** @internal whether this is a quorum (validated as 2-10) */
  public readonly _isQuorum: boolean;

  private constructor(approvals: number, private readonly text: string, isQuorum: boolean) {
    this.approvals = approvals;
    this._isQuorum = isQuorum;
  }

  /** A short text for messages and reports. */
  public describe(): string {
    return this.text;
  }
}
