import { CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { WorkflowScope } from './workflow-scope';
import { LZ_MANAGED_TAG_KEY } from '../../private/conventions';

/** A route of the API: method and resource path (`*` for a request id). */
export type Route = [string, string];

/** What a requester may call: make, list, read, cancel and revoke their own requests. */
export const REQUESTER_ROUTES: Route[] = [
  ['POST', '/requests'], ['GET', '/requests'], ['GET', '/requests/*'],
  ['POST', '/requests/*/cancel'], ['POST', '/requests/*/revoke'],
];
/** What an approver may call: list, read, approve, reject, revoke and review. */
export const APPROVER_ROUTES: Route[] = [
  ['GET', '/requests'], ['GET', '/requests/*'],
  ['POST', '/requests/*/approve'], ['POST', '/requests/*/reject'], ['POST', '/requests/*/revoke'],
  ['POST', '/requests/*/review'],
];

/** The API and the SSM parameter (and stack output) publishing its endpoint for the CLI. */
export interface WorkflowApi {
  readonly api: apigw.RestApi;
  readonly endpointParameter: ssm.StringParameter;
}

/**
 * The API's resource policy when jump-account users may call it. With IAM authorization API Gateway lets a caller of
 * the API's own account in when either the caller's IAM policies or the resource policy allow and none denies, so
 * Identity Center sessions stay decided by their permission sets' policies; a caller of another account needs both
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html). The policy
 * names the jump account's IAM users only, and only in an MFA session (`sts:GetSessionToken` with MFA); their
 * long-term keys, which carry no MFA, are denied.
 */
export function jumpCallerPolicy(partition: string, jumpAccountId: string): iam.PolicyDocument {
  // `execute-api:/*` is this API's every stage, method and path (the API's own ARN would be a circular reference)
  const everyRoute = 'execute-api:/*';
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'JumpUsersWithMfa',
        principals: [new iam.AccountPrincipal(jumpAccountId)],
        actions: ['execute-api:Invoke'],
        resources: [everyRoute],
        conditions: {
          ArnLike: { 'aws:PrincipalArn': `arn:${partition}:iam::${jumpAccountId}:user/*` },
          Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'NoJumpAccountCallerWithoutMfa',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: [everyRoute],
        conditions: {
          StringEquals: { 'aws:PrincipalAccount': jumpAccountId },
          BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' },
        },
      }),
    ],
  });
}

/**
 * The API: IAM authorization everywhere (the caller is the SigV4 signer), validated requests, access logs. With
 * `jumpAccountId`, a resource policy admits that account's IAM users in an MFA session too.
 */
export function createApi(ws: WorkflowScope, handler: lambda.IFunction, endpointParameterName?: string, jumpAccountId?: string): WorkflowApi {
  const accessLogs = ws.logGroup('ApiAccessLogs', ws.roleName('api-access'));
  const api = new apigw.RestApi(ws.scope, 'Api', {
    description: 'elevated access requests',
    policy: jumpAccountId ? jumpCallerPolicy(Stack.of(ws.scope).partition, jumpAccountId) : undefined,
    endpointTypes: [apigw.EndpointType.REGIONAL],
    cloudWatchRole: false,
    defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
    deployOptions: {
      stageName: 'v1',
      tracingEnabled: true,
      accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      throttlingRateLimit: 20,
      throttlingBurstLimit: 40,
    },
  });
  Tags.of(api).add(LZ_MANAGED_TAG_KEY, 'true');
  addRoutes(api, new apigw.LambdaIntegration(handler));
  const endpointParameter = new ssm.StringParameter(ws.scope, 'Endpoint', {
    parameterName: endpointParameterName ?? '/landing-zone/elevated-access/endpoint',
    stringValue: api.url,
    description: 'elevated access API endpoint (read by the lz-access CLI)',
  });
  new CfnOutput(ws.scope, 'ApiEndpoint', { value: api.url, description: 'elevated access API endpoint (lz-access --endpoint)' });
  return { api, endpointParameter };
}

/**
 * The resources and methods. API Gateway refuses malformed requests before the handler (which checks them again): a
 * new request's body, and the request id on every route that names one.
 */
function addRoutes(api: apigw.RestApi, integration: apigw.Integration): void {
  const requestValidator = api.addRequestValidator('Validator', { validateRequestBody: true, validateRequestParameters: true });
  const S = apigw.JsonSchemaType;
  const accountId = { type: S.STRING, pattern: '^\\d{12}$' };
  const newRequest = api.addModel('NewRequest', {
    contentType: 'application/json',
    schema: {
      type: S.OBJECT,
      required: ['durationMinutes'],
      // Identity Center users name a permission set, jump-account users a permission level (the handler checks which)
      oneOf: [{ required: ['permissionSet'] }, { required: ['permissionLevel'] }],
      properties: {
        accountId,
        accountIds: { type: S.ARRAY, items: accountId, minItems: 1, maxItems: 10 },
        permissionSet: { type: S.STRING, minLength: 1, maxLength: 2048 },
        permissionLevel: { type: S.STRING, minLength: 1, maxLength: 64 },
        durationMinutes: { type: S.INTEGER, minimum: 1 },
        justification: { type: S.STRING, maxLength: 2000 },
        ticketId: { type: S.STRING, maxLength: 128 },
        startAt: { type: S.STRING, maxLength: 40 },
      },
    },
  });
  const byId = { requestValidator, requestParameters: { 'method.request.path.requestId': true } };
  const requests = api.root.addResource('requests');
  requests.addMethod('GET', integration, { requestValidator, requestParameters: { 'method.request.querystring.view': false } });
  requests.addMethod('POST', integration, { requestValidator, requestModels: { 'application/json': newRequest } });
  const one = requests.addResource('{requestId}');
  one.addMethod('GET', integration, byId);
  one.addResource('audit').addMethod('GET', integration, byId);
  for (const action of ['approve', 'reject', 'cancel', 'revoke', 'review']) one.addResource(action).addMethod('POST', integration, byId);
}

/** The execute-api ARNs of routes on the API's stage. */
export function routeArns(api: apigw.RestApi, routes: Route[]): string[] {
  return routes.map(([method, path]) => api.arnForExecuteApi(method, path, api.deploymentStage.stageName));
}

/** Lets `grantee` invoke `routes`. */
export function grantRoutes(api: apigw.RestApi, grantee: iam.IGrantable, routes: Route[]): iam.Grant {
  return iam.Grant.addToPrincipal({ grantee, actions: ['execute-api:Invoke'], resourceArns: routeArns(api, routes) });
}
