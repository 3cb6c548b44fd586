// The one home of the identifier patterns the constructs check input against (messages stay with the callers).

/**
 * An IAM Identity Center instance ARN. Every partition's name starts with `aws` (`aws`, `aws-cn`, `aws-us-gov`,
 * `aws-iso*`, `aws-eusc`), so any is accepted rather than a list that a new partition would outdate.
 */
export const INSTANCE_ARN_PATTERN = /^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;

/** An identity store id: `d-` and 10 hex digits, or a UUID. */
export const IDENTITY_STORE_ID_PATTERN = /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Characters IAM accepts in names of users, roles, groups and policies. */
export const IAM_NAME_PATTERN = /^[\w+=,.@-]+$/;
/** IAM paths: '/' or '/segment/.../'. */
export const IAM_PATH_PATTERN = /^\/([\x21-\x7e]+\/)?$/;
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const OU_ID_PATTERN = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
export const ROOT_ID_PATTERN = /^r-[0-9a-z]{4,32}$/;
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/** Region codes such as `eu-central-1`, `us-gov-west-1`, `cn-north-1`. */
export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/; // eusc-de-east-1 has a 4-letter prefix

/** An IAM action such as `ec2:RunInstances`, `s3:Get*` or `*`. */
export const ACTION_PATTERN = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;

/** A principal ARN or ARN pattern, as `aws:PrincipalArn` conditions take it. */
export const PRINCIPAL_ARN_PATTERN = /^arn:[a-z*-]*:(iam|sts)::(\d{12}|\*):[\x21-\x7e]+$/;
