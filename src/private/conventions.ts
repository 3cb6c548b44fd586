// Names the landing zone gives its own resources, shared by the boundary, the guardrail SCPs and the rule pack,
// so that "the landing zone's own roles" means the same thing everywhere.

/** Prefix of every role name the landing zone creates for people (`lz-admin`, `lz-read-only`, ...). */
export const LZ_ROLE_NAME_PREFIX = 'lz-';

/** Prefix of the elevated roles, reached only through a grant of the elevated-access workflow (`lz-elevated-power`). */
export const LZ_ELEVATED_ROLE_PREFIX = 'lz-elevated-';

/**
 * Name of the role (under `/landing-zone/`) in each target account through which the elevated-access workflow writes
 * and removes session denies on the `lz-elevated-*` roles: the one principal the guardrail SCP lets change their inline
 * policies besides the deployment roles.
 */
export const LZ_ELEVATED_REVOKER_ROLE_NAME = 'lz-elevated-revoker';

/**
 * The resource metadata key under which a jump account declares, on a group, the roles of administrator level
 * (`AdministratorAccess`) its members may switch into at any time: `{ roles: string[] }`. The level is not in the
 * template (a role ARN names no level), so the group says it, and the rule pack's LZ-EA2 reads it.
 */
export const STANDING_ADMIN_METADATA = 'cdk-iam-landing-zone:standingAdministrator';

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

/**
 * ARN patterns of the landing zone's own resources whose ARN carries their name: functions, state machines and their
 * executions, tables, rules, topics, queues, buckets (with their objects) and log groups named `lz-*`, and the state
 * machines' log groups under `/aws/vendedlogs/states/`. The `lz-` prefix is the landing zone's: the boundary and
 * `Guardrail.protectLandingZoneResources()` keep everyone else to reading them. (IAM has its own statements.)
 */
export function landingZoneResourceArns(): string[] {
  const name = `${LZ_ROLE_NAME_PREFIX}*`;
  return [
    `arn:*:lambda:*:*:function:${name}`, `arn:*:states:*:*:stateMachine:${name}`, `arn:*:states:*:*:execution:${name}`,
    `arn:*:dynamodb:*:*:table/${name}`, `arn:*:events:*:*:rule/${name}`, `arn:*:sns:*:*:${name}`, `arn:*:sqs:*:*:${name}`,
    `arn:*:s3:::${name}`, `arn:*:logs:*:*:log-group:${name}`, `arn:*:logs:*:*:log-group:/aws/vendedlogs/states/${name}`,
  ];
}

/**
 * What anyone may still do with those resources: read them (and, for log groups, what services that log into them
 * need). Everything else (changing code, definitions, tables, their resource policies and backups, rule targets,
 * topic settings and subscriptions, bucket policies, retention and objects, log retention; and invoking the handlers,
 * starting or stopping executions, writing items, publishing notices) is for the landing zone's own roles under
 * `/landing-zone/` and the deployment roles. A deny on everything but reads also covers actions AWS adds later.
 */
export const LZ_RESOURCE_READ_ACTIONS = [
  'lambda:Get*', 'lambda:List*',
  'states:Describe*', 'states:List*', 'states:Get*',
  'dynamodb:Get*', 'dynamodb:BatchGet*', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:Describe*', 'dynamodb:List*',
  'dynamodb:ConditionCheckItem', 'dynamodb:PartiQLSelect',
  'events:Describe*', 'events:List*',
  'sns:Get*', 'sns:List*', 'sqs:Get*', 'sqs:List*',
  's3:Get*', 's3:List*',
  'logs:Get*', 'logs:Describe*', 'logs:List*', 'logs:FilterLogEvents', 'logs:StartQuery', 'logs:StartLiveTail',
  'logs:CreateLogStream', 'logs:PutLogEvents',
];

/**
 * What changes the landing zone's resources whose ARN is an id (KMS keys, REST APIs and everything under them, which
 * inherit the API's tags for access control): they carry `landing-zone:managed` instead of an `lz-*` name.
 */
export const LZ_TAGGED_RESOURCE_CHANGE_ACTIONS = [
  'kms:ScheduleKeyDeletion', 'kms:Disable*', 'kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:Update*', 'kms:*Alias',
  'kms:*KeyMaterial', 'kms:ReplicateKey',
  'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE', 'apigateway:Update*',
];

/** ARN pattern of the landing zone's machine roles, the only ones besides the deployment roles that change or use its resources. */
export const LZ_SERVICE_ROLE_ARN = `arn:*:iam::*:role${LZ_SERVICE_ROLE_PATH}*`;

/** Tag put on every principal the landing zone creates, so rules, SCPs and the boundary can recognise them. */
export const LZ_MANAGED_TAG_KEY = 'landing-zone:managed';

/** Tag keys of the landing zone (`landing-zone:*`): only the deployment roles set or remove them. */
export const LZ_TAG_KEY_PATTERN = 'landing-zone:*';

/** An OU path as it appears in construct ids and resource names: `Workloads/Prod` -> `Workloads-Prod`. */
export function ouSlug(path: string): string {
  return path.replace(/\//g, '-');
}

/** The context key that makes the jump account's app rewrite its stale manifest instead of failing. */
export const WRITE_JUMP_ACCOUNT_MANIFEST_CONTEXT = 'lz:writeJumpAccountManifest';
