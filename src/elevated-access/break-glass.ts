import { Duration } from 'aws-cdk-lib';
import { AccountSelection } from '../account-selection';
import { IPermissionSet } from '../identity-center/permission-set';

/**
 * Break-glass on an eligibility rule: in an incident, when no approver answers, an eligible principal approves their
 * own request, with a mandatory reason, for a short capped duration, on the named accounts and permission sets only.
 *
 * It is loud and reviewed: every approver and the operators audience (the security channel) are told at once, the
 * audit marks the request BREAK_GLASS, and a review item opens that an approver (never the requester) must close
 * with a comment; it is re-notified until closed. The grant ends and is revoked like any other.
 */
export interface BreakGlassOptions {
  /** The longest self-approved access: 1 minute to 4 hours, and at most the rule's `maxDuration`. */
  readonly maxDuration: Duration;

  /**
   * The accounts break-glass may be used for: a subset of the rule's targets.
   *
   * @default - every account of the rule
   */
  readonly targets?: AccountSelection;

  /**
   * The permission sets break-glass may be used for: a subset of the rule's permission sets.
   *
   * @default - every permission set of the rule
   */
  readonly permissionSets?: IPermissionSet[];

  /**
   * How long approvers have to close the review item with a comment (1 hour to 7 days). Until it is closed approvers
   * are reminded; once it is overdue the operators audience is reminded too, on every reconciler run.
   *
   * @default Duration.hours(24)
   */
  readonly reviewWithin?: Duration;
}
