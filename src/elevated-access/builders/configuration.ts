import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { resolvePrincipalId } from '../../identity-center/principal-resolver';
import { Problems } from '../../private/validation';
import { Compiled, compileRules } from '../compile-rules';
import type { ElevatedAccessWorkflowProps } from '../elevated-access-workflow';
import { planWorkflowJump } from './jump-access';
import { WorkflowScope, sessionQueryName } from './workflow-scope';

/** Key of the configuration item in the requests table (request ids are UUIDs, so it cannot collide). */
export const CONFIG_KEY = '#config';
/** The compiled rules are written as one DynamoDB item through a custom resource; stay well below the 400 KB item limit. */
const CONFIG_MAX_CHARS = 200_000;

/**
 * The rules compiled at synth into the configuration the handlers read (the jump rules under `jump`), refused when it
 * would not fit its item.
 */
export function compileWorkflowRules(scope: Construct, props: ElevatedAccessWorkflowProps): Compiled {
  const host = Stack.of(scope).account;
  const resolved = new Map<string, string>();
  const ic = compileRules(scope, {
    organization: props.organization,
    eligibility: props.eligibility,
    approvers: props.approvers ?? [],
    pendingExpiry: props.pendingExpiry ?? Duration.hours(3),
    maxScheduleAhead: props.maxScheduleAhead ?? Duration.days(7),
    hostAccount: Token.isUnresolved(host) ? undefined : host,
    queryDefinitionName: props.organizationTrailLogGroup ? (ps) => sessionQueryName(scope, ps) : undefined,
    // names resolve as the permission-set catalog resolves them: one identity store lookup per name
    resolvePrincipalId: (p) => resolvePrincipalId(scope, p, props.identityStoreId, resolved),
  });
  const problems = Problems.of(scope);
  const jump = planWorkflowJump(scope, problems, props);
  problems.throwIfAny();
  const compiled: Compiled = jump ? { ...ic, config: { ...ic.config, jump: jump.config }, jump } : ic;
  const json = JSON.stringify(compiled.config);
  if (json.length > CONFIG_MAX_CHARS) {
    const p = Problems.of(scope);
    p.add('eligibility', `the compiled rules are ${json.length} characters, more than the ${CONFIG_MAX_CHARS} the configuration item holds: split the workflow or use OUs and groups`);
    p.throwIfAny();
  }
  return compiled;
}

/** The compiled rules written where the handlers read them (one item of the requests table); the JSON is visible in the template. */
export function writeConfiguration(ws: WorkflowScope, requestsTable: dynamodb.TableV2): cr.AwsCustomResource {
  const stack = Stack.of(ws.scope);
  const putConfig: cr.AwsSdkCall = {
    service: 'DynamoDB',
    action: 'putItem',
    parameters: {
      TableName: requestsTable.tableName,
      Item: { requestId: { S: CONFIG_KEY }, config: { S: stack.toJsonString(ws.compiled.config) } },
    },
    physicalResourceId: cr.PhysicalResourceId.of(`${Names.uniqueResourceName(ws.scope, { maxLength: 60 })}-config`),
  };
  const role = ws.role('config', 'lambda.amazonaws.com', 'elevated access: writes the compiled rules');
  // its own log group, written by its role only (instead of AWSLambdaBasicExecutionRole on every log group)
  const logGroup = ws.logGroup('ConfigurationLogs', ws.roleName('config'));
  logGroup.grantWrite(role);
  return new cr.AwsCustomResource(ws.scope, 'Configuration', {
    functionName: ws.roleName('config'),
    logGroup,
    onCreate: putConfig,
    onUpdate: putConfig,
    role,
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [requestsTable.tableArn] }),
    ]),
  });
}
