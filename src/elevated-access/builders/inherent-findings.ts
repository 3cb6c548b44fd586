import { Aws, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { WorkflowScope } from './workflow-scope';

/** The workflow's resources the acknowledgements name. */
export interface AcknowledgedResources {
  readonly api: apigw.RestApi;
  readonly stateMachine: sfn.StateMachine;
  readonly requestsTable: dynamodb.TableV2;
  readonly auditArchive: s3.Bucket;
  readonly apiFunction: lambda.Function;
  readonly stepFunction: lambda.Function;
  readonly reconcilerFunction: lambda.Function;
  readonly auditWriterFunction: lambda.Function;
  readonly chatApprovalsFunction?: lambda.Function;
}

/**
 * What cdk-nag's AwsSolutions, HIPAA Security and NIST 800-53 R5 packs report on the workflow that is inherent to it,
 * acknowledged on the one construct it concerns, finding by finding, with the reason. Nothing here covers a resource
 * the workflow did not create.
 */
export function acknowledgeInherentFindings(ws: WorkflowScope, r: AcknowledgedResources): void {
  const stack = Stack.of(ws.scope);
  const ref = (c: IConstruct, att = 'Arn') => `<${stack.resolve(stack.getLogicalId(c.node.defaultChild as CfnElement))}.${att}>`;
  const ack = (c: IConstruct, reason: string, ...ids: string[]) => {
    for (const id of ids) Validations.of(c).acknowledge({ id, reason });
  };
  const both = (rule: string) => [`HIPAA.Security-${rule}`, `NIST.800.53.R5-${rule}`];
  const chat = r.chatApprovalsFunction ? [r.chatApprovalsFunction] : [];
  const fns = [r.apiFunction, r.stepFunction, r.reconcilerFunction, r.auditWriterFunction, ...chat];
  const crFunction = stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
  for (const fn of [...fns, ...(crFunction ? [crFunction] : [])]) {
    ack(fn, 'the handlers call only AWS APIs (IAM-authorized, TLS): a VPC would add NAT or endpoints and no protection', ...both('LambdaInsideVPC'));
    ack(fn, 'invoked synchronously (API Gateway, Step Functions, the handlers) or by EventBridge with retries; a failed run is retried by the state machine or the next reconcile, and fires an alarm', ...both('LambdaDLQ'));
    ack(fn, 'reserved concurrency would take from the account\'s unreserved pool (a new account has 10) and could block revokes; API Gateway throttles the API', ...both('LambdaConcurrency'));
  }
  for (const role of ws.scope.node.findAll().filter((c): c is iam.Role => c instanceof iam.Role)) {
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy) ack(policy, 'least-privilege statements generated per role by the grants, bound to that role and deleted with it', ...both('IAMNoInlinePolicy'));
  }
  const config = ws.scope.node.tryFindChild('Configuration')?.node.tryFindChild('CustomResourcePolicy');
  if (config) ack(config, 'the custom resource writes the one configuration item (dynamodb:PutItem on the requests table), nothing else', ...both('IAMNoInlinePolicy'));
  const iam5 = (c: IConstruct, reason: string, ...findings: string[]) => ack(c.node.tryFindChild('DefaultPolicy') ?? c, reason, ...findings.map((f) => `AwsSolutions-IAM5[${f}]`));
  const identityStore = ['user', 'group', 'membership'].map((t) => `Resource::arn:<AWS::Partition>:identitystore:::${t}/*`);
  for (const fn of [r.apiFunction, r.stepFunction, r.reconcilerFunction, ...chat]) {
    iam5(fn.role!, 'publishing to the workflow\'s KMS-encrypted topics needs kms:GenerateDataKey* (aws-cdk-lib grantPublish)', 'Action::kms:GenerateDataKey*');
  }
  for (const fn of [r.apiFunction, r.stepFunction, ...chat]) {
    if (ws.identityStoreId !== undefined) {
      iam5(fn.role!, 'identity store users, groups and memberships have only wildcard ARNs (Service Authorization Reference); the identity store itself is named', ...identityStore);
    }
    iam5(fn.role!, 'states:SendTaskSuccess and SendTaskFailure name no resource (Service Authorization Reference); a forged token cannot grant, the Recheck counts only recorded approvals', 'Resource::*');
  }
  iam5(r.apiFunction.role!, 'the requests table\'s indexes', `Resource::${ref(r.requestsTable)}/index/*`);
  iam5(r.reconcilerFunction.role!, 'the requests table\'s indexes', `Resource::${ref(r.requestsTable)}/index/*`);
  if (ws.identityStoreId !== undefined) {
    iam5(r.apiFunction.role!, 'only Identity Center roles of the host account can be read: a look-alike role elsewhere is refused by IAM', `Resource::arn:<AWS::Partition>:iam::${stack.account}:role/aws-reserved/sso.amazonaws.com/*`);
  }
  iam5(r.reconcilerFunction.role!, 'executions are named by request id: any execution of this state machine', `Resource::${ws.stateMachineArn.replace(':stateMachine:', ':execution:').replace(Aws.PARTITION, '<AWS::Partition>')}:*`);
  iam5(r.auditWriterFunction.role!, 'audit records are objects under audit/ named by request and transition', `Resource::${ref(r.auditArchive)}/audit/*`);
  iam5(r.stateMachine.role, 'aws-cdk-lib\'s Lambda task grants the step handler and its versions', `Resource::${ref(r.stepFunction)}:*`);
  iam5(r.stateMachine.role, 'X-Ray tracing and CloudWatch Logs delivery name no resource (Service Authorization Reference)', 'Resource::*');
  const stage = r.api.deploymentStage;
  ack(stage, 'IAM authorization (SigV4) on every method, throttled per stage; associate a WAF web ACL for your network policy', 'AwsSolutions-APIG3', ...both('APIGWAssociatedWithWAF'));
  ack(stage, 'execution logging needs the account-wide API Gateway CloudWatch role, an account setting the library does not own; access logs are on, encrypted', 'AwsSolutions-APIG6', ...both('APIGWExecutionLoggingEnabled'));
  ack(stage, 'responses are per caller and per moment (approvals, grants): caching them would serve stale or someone else\'s answers', ...both('APIGWCacheEnabledAndEncrypted'));
  ack(stage, 'the backend is a Lambda proxy integration, not an HTTP endpoint that could check a client certificate', ...both('APIGWSSLEnabled'));
  const callers = ws.identityStoreId === undefined ? 'jump-account IAM users in MFA sessions' : 'Identity Center sessions of the host account';
  for (const m of r.api.methods) ack(m, `IAM authorization: callers are ${callers}, not Cognito users`, 'AwsSolutions-COG4');
  ack(r.auditArchive, 'reads and writes of the archive are recorded by CloudTrail data events of the organization trail; an access-log bucket would be one more bucket to protect', 'AwsSolutions-S1', ...both('S3BucketLoggingEnabled'));
  ack(r.auditArchive, 'Object Lock keeps every record for the retention; replicate it to another region with your own bucket if you need to', ...both('S3BucketReplicationEnabled'));
}
