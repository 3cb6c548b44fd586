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

  /**
   * Whether the state machine and the reconciler may assume the revoker role (`landing-zone/lz-elevated-revoker`)
   * of any account of the organization (`aws:ResourceOrgID` of the organization model's `organizationId`) instead of
   * each target account's by ARN. Each revoker still trusts only this workflow's state machine and reconciler roles
   * by ARN and may only write session denies on its own account's elevated roles, so only the accounts deployed for
   * the workflow answer. Needed when the target accounts' revoker ARNs do not fit one IAM managed policy (6,144
   * characters, about 90 accounts): the synth refuses such rules without it and names this field. Needs
   * `organizationId` in the model. Warns when set.
   *
   * @default false - the target accounts' revokers by ARN
   */
  readonly revokersByOrganization?: boolean;

  /**
   * Whether jump rules over OUs follow them, as `ElevatedAccessWorkflow.followOrganizationalUnits` does for the
   * Identity Center rules: a rule whose targets select OUs covers the accounts AWS Organizations places under them
   * when each decision is made (request, approval, the recheck before the grant), accounts added later included, and
   * no account it leaves out now; the jump account, the management account and the host are never covered. The
   * landing zone deploys the elevated roles of such OUs with one auto-deploying StackSet per outermost followed OU
   * (after the OU baseline's StackSet, whose boundary they carry) instead of a stack per account. Needs
   * `revokersByOrganization` and the OUs' baselines in StackSet mode; a rule over the whole organization is refused
   * (accounts at the root carry no OU baseline). Warns when set.
   *
   * @default false - jump rules cover the accounts the model lists at synth, one stack per account
   */
  readonly followOrganizationalUnits?: boolean;
}
