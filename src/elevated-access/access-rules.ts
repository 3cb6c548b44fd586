import { Duration } from 'aws-cdk-lib';
import { AccountSelection } from '../account-selection';
import { ApprovalRequirement } from './approval-requirement';
import { BreakGlassOptions } from './break-glass';
import { IPermissionSet } from '../identity-center/permission-set';
import { IdentityCenterPrincipal } from '../identity-center/principal';
import { PermissionLevel } from '../permission-level';
import { JumpPrincipal } from './jump-principal';

/**
 * Who may request which permission sets on which accounts, and under which conditions.
 *
 * A request is decided only by the rules that match its principal, account AND permission set; between several
 * matching rules the stricter wins per attribute (most approvals, shortest duration, every ticket pattern,
 * justification if any rule requires it).
 */
export interface EligibilityRule {
  /**
   * A name for messages, audit records and reviews.
   *
   * @default - `eligibility[<index>]`
   */
  readonly name?: string;

  /** Identity Center groups or users (by id) who may request. */
  readonly principals: IdentityCenterPrincipal[];

  /** The accounts; OUs are expanded recursively against the organization model at synth time. */
  readonly targets: AccountSelection;

  /** The permission sets that may be requested. */
  readonly permissionSets: IPermissionSet[];

  /** The longest access a request may ask for; also capped by each permission set's session duration. */
  readonly maxDuration: Duration;

  /**
   * Approvals needed.
   *
   * @default ApprovalRequirement.anyOne() - one approval by an eligible approver who is not the requester
   */
  readonly approval?: ApprovalRequirement;

  /**
   * A regular expression the request's ticket id must match (checked by the backend, e.g. `^(INC|CHG)-\d+$`).
   *
   * @default - no ticket id required
   */
  readonly ticketPattern?: string;

  /**
   * Whether a justification (at least 10 characters) is required. Turning it off is an explicit loosening.
   *
   * @default true
   */
  readonly justificationRequired?: boolean;

  /**
   * Lets the rule's principals approve their own request in an incident, for a capped duration with a mandatory
   * reason, loudly and with a review afterwards. An explicit loosening.
   *
   * @default - no break-glass: every request needs the rule's approvals
   */
  readonly breakGlass?: BreakGlassOptions;
}

/**
 * Who may approve requests for which accounts and permission sets.
 */
export interface ApproverRule {
  /**
   * A name for messages and reviews.
   *
   * @default - `approvers[<index>]`
   */
  readonly name?: string;

  /** Identity Center groups or users (by id) who may approve. A requester never approves their own request. */
  readonly approvers: IdentityCenterPrincipal[];

  /** The accounts; OUs are expanded recursively at synth time. */
  readonly targets: AccountSelection;

  /** The permission sets these approvers decide on. */
  readonly permissionSets: IPermissionSet[];
}

/**
 * Who of the jump account may request an elevated role (`lz-elevated-<level>`) on which accounts, and under which
 * conditions: the same approval, duration, ticket and justification rules as an `EligibilityRule`, granted through
 * IAM (a self-expiring inline policy on the jump user) instead of Identity Center.
 */
export interface JumpEligibilityRule {
  /**
   * A name for messages, audit records and reviews.
   *
   * @default - `jumpEligibility[<index>]`
   */
  readonly name?: string;

  /** Jump-account groups or users (by IAM name) who may request. */
  readonly principals: JumpPrincipal[];

  /** The accounts; OUs are expanded recursively against the organization model at synth time. */
  readonly targets: AccountSelection;

  /** The levels that may be requested; each is an elevated role `lz-elevated-<level>` in every target account. */
  readonly permissionLevels: PermissionLevel[];

  /** The longest access a request may ask for (1 minute to 12 hours). Each session within it lasts at most 1 hour. */
  readonly maxDuration: Duration;

  /**
   * Approvals needed.
   *
   * @default ApprovalRequirement.anyOne() - one approval by an eligible approver who is not the requester
   */
  readonly approval?: ApprovalRequirement;

  /**
   * A regular expression the request's ticket id must match (checked by the backend).
   *
   * @default - no ticket id required
   */
  readonly ticketPattern?: string;

  /**
   * Whether a justification (at least 10 characters) is required. Turning it off is an explicit loosening.
   *
   * @default true
   */
  readonly justificationRequired?: boolean;
}

/**
 * Who may approve jump users' requests for which accounts and levels: jump users or groups, Identity Center users or
 * groups (by id), or both. A requester never approves their own request.
 */
export interface JumpApproverRule {
  /**
   * A name for messages and reviews.
   *
   * @default - `jumpApprovers[<index>]`
   */
  readonly name?: string;

  /**
   * Jump-account groups or users who may approve.
   *
   * @default - none; `approvers` must then name some
   */
  readonly jumpApprovers?: JumpPrincipal[];

  /**
   * Identity Center groups or users (by id) who may approve.
   *
   * @default - none; `jumpApprovers` must then name some
   */
  readonly approvers?: IdentityCenterPrincipal[];

  /** The accounts; OUs are expanded recursively at synth time. */
  readonly targets: AccountSelection;

  /** The levels these approvers decide on. */
  readonly permissionLevels: PermissionLevel[];
}
