import { JumpApproverRule, JumpEligibilityRule } from './access-rules';
import { JumpAccount } from '../jump-account';

/**
 * Elevated access for the jump account's IAM users, granted over IAM by the same workflow (its state machine, API,
 * tables, audit and notices): a self-expiring inline policy on the user that allows assuming `lz-elevated-<level>`
 * in the granted account only, sessions cut on revoke.
 */
export interface JumpElevatedAccessOptions {
  /** The jump account whose groups and users the rules name (its declared group and user names are checked). */
  readonly jumpAccount: JumpAccount;

  /** Who of the jump users may request which level where. At least one rule. */
  readonly eligibility: JumpEligibilityRule[];

  /**
   * Who may approve jump users' requests (jump users or groups, Identity Center users or groups).
   *
   * @default - no approvers: only rules with `ApprovalRequirement.none()` are accepted
   */
  readonly approvers?: JumpApproverRule[];
}
