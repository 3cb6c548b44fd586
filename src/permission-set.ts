import { Duration } from 'aws-cdk-lib';

/**
 * An IAM Identity Center permission set, as other constructs (the elevated-access workflow, reports) refer to it.
 */
export interface IPermissionSet {
  /** The permission set ARN. @attribute */
  readonly permissionSetArn: string;

  /** The permission set name (1-32 characters). */
  readonly permissionSetName: string;

  /** The ARN of the Identity Center instance that holds it. */
  readonly instanceArn: string;

  /** The session duration of the permission set (1-12 hours). */
  readonly sessionDuration: Duration;
}
