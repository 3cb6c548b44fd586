// Names the landing zone gives its own resources, shared by the boundary, the guardrail SCPs and the rule pack,
// so that "the landing zone's own roles" means the same thing everywhere.

/** Prefix of every role name the landing zone creates for people (`lz-admin`, `lz-read-only`, ...). */
export const LZ_ROLE_NAME_PREFIX = 'lz-';

/** Name of the customer-managed permissions boundary policy deployed in every account. */
export const LZ_BOUNDARY_POLICY_NAME = 'lz-permissions-boundary';

/** IAM path of the landing zone's own machine roles (workflow handlers, reconcilers). */
export const LZ_SERVICE_ROLE_PATH = '/landing-zone/';

/** Role-name patterns of the deployment pipelines allowed to change landing zone resources. */
export const LZ_DEPLOYMENT_ROLE_PATTERNS = [
  'cdk-*-cfn-exec-role-*',
  'AWSCloudFormationStackSetExecutionRole',
  'stacksets-exec-*',
];

/** Tag put on every principal the landing zone creates, so rules and SCPs can recognise them. */
export const LZ_MANAGED_TAG_KEY = 'landing-zone:managed';

/** An OU path as it appears in construct ids and resource names: `Workloads/Prod` -> `Workloads-Prod`. */
export function ouSlug(path: string): string {
  return path.replace(/\//g, '-');
}
