import { Aws, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { WorkflowHandlers } from './handlers';
import { WorkflowTables, requestsArns } from './tables';
import { WorkflowScope } from './workflow-scope';
import type { Organization } from '../../organization';

/** Least privilege per handler: each reads and writes what its steps need, and nothing else. */
export function grantHandlers(ws: WorkflowScope, handlers: WorkflowHandlers, tables: WorkflowTables,
  eventBus: events.IEventBus, notificationTopic: sns.ITopic): void {
  const { api, step, reconciler } = handlers;
  const stack = Stack.of(ws.scope);
  const allow = (fn: lambda.Function, actions: string[], resources: string[]) =>
    fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources }));
  const requests = requestsArns(tables.requests);
  for (const fn of [api, step, reconciler]) {
    // the function itself, never a version or alias
    allow(fn, ['lambda:InvokeFunction'], [handlers.auditWriter.functionArn]);
    eventBus.grantPutEventsTo(fn);
    notificationTopic.grantPublish(fn);
  }
  allow(api, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], requests);
  allow(api, ['dynamodb:Query'], [tables.audit.tableArn]);
  allow(api, ['states:StartExecution'], [ws.stateMachineArn]);
  const identityStore = ws.identityStoreArns();
  if (identityStore.length > 0) { // none in a jump-only workflow: its callers are jump users, read from IAM
    allow(api, ['identitystore:GetUserId', 'identitystore:ListGroupMembershipsForMember'], identityStore);
    allow(step, ['identitystore:ListGroupMembershipsForMember'], identityStore);
    // only Identity Center roles can be read: a look-alike role elsewhere is refused by IAM itself
    allow(api, ['iam:GetRole'], [`arn:${Aws.PARTITION}:iam::${stack.account}:role/aws-reserved/sso.amazonaws.com/*`]);
  }
  allow(step, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [tables.requests.tableArn, tables.grants.tableArn]);
  allow(reconciler, ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], requests);
  allow(reconciler, ['dynamodb:Scan', 'dynamodb:UpdateItem'], [tables.grants.tableArn]);
  allow(reconciler, ['states:DescribeExecution'], [`${ws.stateMachineArn.replace(':stateMachine:', ':execution:')}:*`]);
  // task-token calls name no resource (Service Authorization Reference): a forged token is harmless, since the
  // Recheck counts only the approvals the API recorded in the requests table
  for (const fn of [api, step]) allow(fn, ['states:SendTaskSuccess', 'states:SendTaskFailure'], ['*']);
  if (!ws.identityCenter) return; // jump-only: no assignment to list or delete
  const assignment = ws.assignmentResources();
  for (const fn of [step, reconciler]) allow(fn, ['sso:ListAccountAssignments'], assignment);
  allow(reconciler, ['sso:DeleteAccountAssignment'], assignment);
  allow(reconciler, ['sso:DescribeAccountAssignmentDeletionStatus'], [ws.compiled.instanceArn]);
}

/**
 * Rules that follow OUs: these handlers read where Organizations places an account (its parents, up to the root), in
 * the model's organization only. The resources are the management account's, which owns the organization.
 */
export function grantOrganizationLookup(org: Organization, functions: lambda.Function[]): void {
  if (org.organizationId === undefined) return; // refused at compile
  const base = `arn:${Aws.PARTITION}:organizations::${org.managementAccount.accountId}`;
  for (const fn of functions) {
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['organizations:ListParents'],
      resources: [`${base}:account/${org.organizationId}/*`, `${base}:ou/${org.organizationId}/*`],
    }));
  }
}
