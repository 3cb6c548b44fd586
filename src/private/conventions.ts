// Names the landing zone gives its own resources, shared by the boundary, the guardrail SCPs and the rule pack,
// so that "the landing zone's own roles" means the same thing everywhere.

/** Prefix of every role name the landing zone creates for people (`lz-admin`, `lz-read-only`, ...). */
export const LZ_ROLE_NAME_PREFIX = 'lz-';

/** Name of the customer-managed permissions boundary policy deployed in every account. */
export const LZ_BOUNDARY_POLICY_NAME = 'lz-permissions-boundary';

/** IAM path of the landing zone's own machine roles (workflow handlers, reconcilers). */
export const LZ_SERVICE_ROLE_PATH = '/landing-zone/';

/**
 * IAM path of the roles, users, policies and instance profiles that bounded principals own. IAM shows no boundary
 * on `iam:PassRole`, `sts:AssumeRole`, user credentials or policy versions, so the boundary lets bounded principals
 * use those only under this path, where only principals carrying the boundary can be created (the path of a role or
 * policy never changes, and the guardrail SCPs keep unbounded principals out of it).
 */
export const LZ_DELEGATED_PATH = '/delegated/';

/**
 * The roles that deploy the landing zone: the CloudFormation execution roles of the CDK bootstrap and of StackSets
 * (self-managed and service-managed). One list with one meaning: the guardrail SCPs let these (and, by default, only
 * these) change the landing zone's roles, its boundary and the security services; the boundary never lets a bounded
 * principal assume, pass or change them.
 */
export const LZ_DEPLOYMENT_ROLE_PATTERNS = [
  'cdk-*-cfn-exec-role-*',
  'AWSCloudFormationStackSetExecutionRole',
  'stacksets-exec-*',
];

/** The CDK bootstrap roles (deploy, publishing, lookup, execution): `protectDeploymentRoles: false` opens them. */
export const CDK_BOOTSTRAP_ROLE_PATTERN = 'cdk-*';

/**
 * Role-name patterns of the landing zone's own roles, at any path: `lz-*` at the root path and under any path
 * (`/team/lz-admin`), and every role under `/landing-zone/`. IAM wildcards in a resource ARN match across `/`.
 */
export function landingZoneRoleResources(): string[] {
  return [`${LZ_ROLE_NAME_PREFIX}*`, `*/${LZ_ROLE_NAME_PREFIX}*`, `${LZ_SERVICE_ROLE_PATH.slice(1)}*`];
}

/** Tag put on every principal the landing zone creates, so rules, SCPs and the boundary can recognise them. */
export const LZ_MANAGED_TAG_KEY = 'landing-zone:managed';

/** Tag keys of the landing zone (`landing-zone:*`): only the deployment roles set or remove them. */
export const LZ_TAG_KEY_PATTERN = 'landing-zone:*';

/** An OU path as it appears in construct ids and resource names: `Workloads/Prod` -> `Workloads-Prod`. */
export function ouSlug(path: string): string {
  return path.replace(/\//g, '-');
}
