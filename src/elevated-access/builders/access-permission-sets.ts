import { createHash } from 'crypto';
import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sso from 'aws-cdk-lib/aws-sso';
import { APPROVER_ROUTES, REQUESTER_ROUTES, routeArns } from './api';
import { WorkflowScope } from './workflow-scope';
import { resolvedPrincipalKey } from '../../identity-center/principal-resolver';
import type { PrincipalRef } from '../handlers/policy';

/**
 * `lz-access-requester` and `lz-access-approver` in the host account, assigned to every eligible principal and
 * approver: only the API routes of the persona, and the endpoint parameter.
 */
export function createAccessPermissionSets(ws: WorkflowScope, api: apigw.RestApi,
  endpointParameter: ssm.StringParameter): [sso.CfnPermissionSet, sso.CfnPermissionSet] {
  const config = ws.compiled.config;
  return [
    accessPermissionSet(ws, 'requester', routeArns(api, REQUESTER_ROUTES), endpointParameter, config.eligibility.flatMap((r) => r.principals)),
    accessPermissionSet(ws, 'approver', routeArns(api, APPROVER_ROUTES), endpointParameter, config.approverRules.flatMap((r) => r.approvers)),
  ];
}

function accessPermissionSet(ws: WorkflowScope, name: string, routes: string[], endpointParameter: ssm.StringParameter,
  principals: PrincipalRef[]): sso.CfnPermissionSet {
  const ps = new sso.CfnPermissionSet(ws.scope, `${name === 'requester' ? 'Requester' : 'Approver'}PermissionSet`, {
    instanceArn: ws.compiled.instanceArn,
    name: `lz-access-${name}`,
    description: `elevated access: ${name === 'requester' ? 'request, follow and revoke your own access' : 'approve or reject requests'} (the lz-access CLI)`,
    sessionDuration: 'PT1H',
    inlinePolicy: new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({ sid: 'Routes', actions: ['execute-api:Invoke'], resources: routes }),
        new iam.PolicyStatement({ sid: 'FindTheApi', actions: ['ssm:GetParameter'], resources: [endpointParameter.parameterArn] }),
      ],
    }),
  });
  // one assignment per principal, named by a hash of it (stable when rules are reordered)
  const seen = new Set<string>();
  for (const p of principals) {
    // a principal given by name has a token for id: its key, not the token's text, names the assignment
    const k = resolvedPrincipalKey(p.id) ?? `${p.type}:${p.id}`;
    if (seen.has(k)) continue;
    seen.add(k);
    new sso.CfnAssignment(ws.scope, `${name}-${p.type === 'GROUP' ? 'G' : 'U'}${createHash('sha256').update(k).digest('hex').slice(0, 10)}`, {
      instanceArn: ws.compiled.instanceArn,
      permissionSetArn: ps.attrPermissionSetArn,
      principalId: p.id,
      principalType: p.type,
      targetId: Stack.of(ws.scope).account,
      targetType: 'AWS_ACCOUNT',
    });
  }
  return ps;
}
