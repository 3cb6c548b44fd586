// Builds the Slack endpoint of the workflow: the function (role under /landing-zone/, lz-access-chat-*), its
// secrets (read at run time, only their ARNs in the template), its scoped permissions, the public function URL and
// the rule that feeds it the workflow's transitions. Not exported from the library.
import { Aws, CfnOutput, Token, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { SlackApprovalsOptions } from './chat-approvals';
import { ChatApprovalsFunction } from './handlers/chat-approvals-function';
import { Problems } from '../private/validation';

/** What the workflow hands the builder: its function defaults (role under /landing-zone/, logs) and what it may use. */
export interface ChatApprovalsContext {
  readonly functionOptions: lambda.FunctionOptions;
  readonly requestsTable: dynamodb.ITableV2;
  readonly eventBus: events.IEventBus;
  readonly eventSource: string;
  readonly notificationTopic: sns.ITopic;
  readonly auditWriter: lambda.IFunction;
  readonly identityStoreArns: string[];
}

export function buildSlackEndpoint(scope: Construct, o: SlackApprovalsOptions, ctx: ChatApprovalsContext): lambda.Function {
  if (!Token.isUnresolved(o.channelId) && !/^[CG][A-Z0-9]{8,}$/.test(o.channelId)) {
    const problems = Problems.of(scope);
    problems.add('approvals.channelId', `'${o.channelId}' is not a Slack channel id, expected one like 'C0123456789' (channel details > About)`);
    problems.throwIfAny();
  }
  const fn = new ChatApprovalsFunction(scope, 'ChatApprovals', {
    ...ctx.functionOptions,
    environment: {
      ...ctx.functionOptions.environment,
      SLACK_SIGNING_SECRET_ARN: o.signingSecret.secretArn,
      SLACK_BOT_TOKEN_ARN: o.botToken.secretArn,
      SLACK_CHANNEL_ID: o.channelId,
    },
  });
  o.signingSecret.grantRead(fn);
  o.botToken.grantRead(fn);
  // the API's approval path: the request, the audit writer, events, notices and the wait of the execution
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [ctx.requestsTable.tableArn] }));
  // these actions name no resource type (Service Authorization Reference), so a grant on the state machine never
  // matches; a forged token grants nothing, since the Recheck counts only the approvals recorded in the table
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: ['*'] }));
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: ['identitystore:GetUserId', 'identitystore:DescribeUser', 'identitystore:ListGroupMembershipsForMember'],
    resources: ctx.identityStoreArns,
  }));
  ctx.auditWriter.grantInvoke(fn);
  ctx.eventBus.grantPutEventsTo(fn);
  ctx.notificationTopic.grantPublish(fn);

  // a function URL, not a route of the IAM-authorized API: that API keeps IAM on every method, and floods of
  // unsigned requests here cannot use up its throttle; the signature check is the authentication
  const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  for (const id of ['invoke-function-url', 'invoke-function']) {
    for (const rule of ['HIPAA.Security-LambdaFunctionPublicAccessProhibited', 'NIST.800.53.R5-LambdaFunctionPublicAccessProhibited']) {
      Validations.of(fn.node.findChild(id)).acknowledge({ id: rule, reason: 'Slack calls the interactivity URL from the internet; the handler refuses every request without a valid Slack signature from the last 5 minutes' });
    }
  }
  new CfnOutput(scope, 'SlackInteractivityUrl', { value: url.url, description: 'elevated access: the Slack app\'s interactivity request URL' });

  new events.Rule(scope, 'ChatApprovalsTransitions', {
    description: 'elevated access: post and update the Slack messages of requests',
    eventBus: ctx.eventBus,
    eventPattern: { source: [ctx.eventSource], account: [Aws.ACCOUNT_ID] },
    targets: [new targets.LambdaFunction(fn, { retryAttempts: 2 })],
  });
  return fn;
}
