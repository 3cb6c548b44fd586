// The API's resource policy for jump-account callers, simulated on the synthesized template: jump-account IAM users
// get in only in an MFA session, other accounts not at all, and same-account Identity Center sessions stay decided
// by their own policies (API Gateway: same account, either policy may allow; another account, both must).
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HOST_ACCOUNT } from './ids';
import { resolveIntrinsics } from './world';
import { createApi, REQUESTER_ROUTES, routeArns } from '../../src/elevated-access/builders/api';
import { WorkflowScope } from '../../src/elevated-access/builders/workflow-scope';
import { PolicyJson, simulate, withMfa } from '../helpers/iam-sim';

const JUMP = '111111111111';
const OTHER = '999999999999';

function synth(jumpAccountId?: string): { policy?: PolicyJson; prefix: string; routes: string[] } {
  const stack = new Stack(new App(), 'Api', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
  const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
  const { api } = createApi(new WorkflowScope(stack, {} as any, 'd-1234567890', RemovalPolicy.DESTROY), fn, undefined, jumpAccountId);
  const template = Template.fromStack(stack);
  const apiId = Object.keys(template.findResources('AWS::ApiGateway::RestApi'))[0];
  const prefix = `arn:aws:execute-api:eu-west-1:${HOST_ACCOUNT}:${apiId}`;
  const raw = template.findResources('AWS::ApiGateway::RestApi')[apiId].Properties.Policy;
  // `execute-api:/...` in a resource policy is this API's own ARN
  const policy = raw && JSON.parse(JSON.stringify(resolveIntrinsics(raw)).replace(/"execute-api:\//g, `"${prefix}/`));
  const routes = (resolveIntrinsics(stack.resolve(routeArns(api, REQUESTER_ROUTES))) as string[]).map((r) => r.replace(/^arn:aws:execute-api:eu-west-1:\d+:[^/]+\/[^/]+/, `${prefix}/v1`));
  return { policy, prefix, routes };
}

const { policy, prefix, routes } = synth(JUMP);
const newRequest = routes[0].replace('*', 'POST').replace(/\/\*$/, '');
const invoke = (resources: string[]): PolicyJson => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources }] });
// what the jump account gives its users, and what the requester permission set gives an Identity Center session
const jumpUserPolicy = invoke([`${prefix}/v1/*`]);
const requesterPolicy = invoke(routes);

async function call(principal: string, context: Record<string, string | string[]> = {}) {
  return simulate({ identityPolicies: [principal.includes(':assumed-role/AWSReservedSSO') ? requesterPolicy : jumpUserPolicy], resourcePolicy: policy },
    { principal, action: 'execute-api:Invoke', resource: newRequest, context });
}

describe('ElevatedAccessWorkflow API resource policy (jump-account callers)', () => {
  test('the new request route is one of the requester routes', () => {
    expect(newRequest).toMatch(/\/v1\/POST\/requests$/);
  });

  test('a jump-account user in an MFA session may call the API', async () => {
    const r = await call(`arn:aws:iam::${JUMP}:user/vendors/acme-alice`, withMfa());
    expect(r.decision).toBe('Allowed');
  });

  test('a jump-account user without MFA (long-term keys, or a session without MFA) is denied explicitly', async () => {
    expect((await call(`arn:aws:iam::${JUMP}:user/acme-alice`)).decision).toBe('ExplicitlyDenied');
    expect((await call(`arn:aws:iam::${JUMP}:user/acme-alice`, { 'aws:MultiFactorAuthPresent': 'false' })).decision).toBe('ExplicitlyDenied');
  });

  test('a role of the jump account, even with MFA, is not a jump user', async () => {
    expect((await call(`arn:aws:sts::${JUMP}:assumed-role/Admin/alice`, withMfa())).allowed).toBe(false);
  });

  test('an IAM user of another account, even with MFA and its own allow, is denied', async () => {
    expect((await call(`arn:aws:iam::${OTHER}:user/acme-alice`, withMfa())).decision).toBe('ImplicitlyDenied');
  });

  test('a same-account Identity Center session is still allowed by its permission set alone, without MFA in the request', async () => {
    const r = await call(`arn:aws:sts::${HOST_ACCOUNT}:assumed-role/AWSReservedSSO_lz-access-requester_0123456789abcdef/alice`);
    expect(r.decision).toBe('Allowed');
  });

  test('without jump access the API has no resource policy', () => {
    expect(synth().policy).toBeUndefined();
  });
});
