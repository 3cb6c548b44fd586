import { Duration } from 'aws-cdk-lib';
import { AccountSelection } from '../account-selection';
import { ApprovalRequirement } from './approval-requirement';
import { BreakGlassOptions } from './break-glass';
import { IPermissionSet } from '../identity-center/permission-set';
import { IdentityCenterPrincipal } from '../identity-center/principal';

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
