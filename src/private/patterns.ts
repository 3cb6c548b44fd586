// The one home of the identifier patterns the constructs check input against (messages stay with the callers).

/**
 * An IAM Identity Center instance ARN. Every partition's name starts with `aws` (`aws`, `aws-cn`, `aws-us-gov`,
 * `aws-iso*`, `aws-eusc`), so any is accepted rather than a list that a new partition would outdate.
 */
export const INSTANCE_ARN_PATTERN = /^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;

/** An identity store id: `d-` and 10 hex digits, or a UUID. */
export const IDENTITY_STORE_ID_PATTERN = /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
