// Bundled into the Lambda assets by esbuild (like the *.lambda.ts entry points); the construct never imports it.
/* eslint-disable import/no-extraneous-dependencies */
// Reference-counted grants: one record per (principal, permission set, account) holding the set of active requests.
// The assignment is deleted only when the set becomes empty AND the workflow created it (never standing access).
import { ListAccountAssignmentsCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { grantKey } from './policy';
import { AccessRequest, ddb, env } from './store';

export const ssoAdmin = new SSOAdminClient({});

/** Thrown while a previous grant's assignment is being deleted; the state machine retries with backoff. */
export class AssignmentBusy extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssignmentBusy';
  }
}

/** Whether the user holds a user-level assignment of this permission set on the account right now. */
export async function userAssignmentExists(instanceArn: string, accountId: string, permissionSetArn: string, userId: string): Promise<boolean> {
  let token: string | undefined;
  do {
    const out = await ssoAdmin.send(new ListAccountAssignmentsCommand({
      InstanceArn: instanceArn, AccountId: accountId, PermissionSetArn: permissionSetArn, NextToken: token,
    }));
    if ((out.AccountAssignments ?? []).some((a) => a.PrincipalType === 'USER' && a.PrincipalId === userId)) return true;
    token = out.NextToken;
  } while (token);
  return false;
}

function keyOf(r: AccessRequest): string {
  return grantKey(r.requesterId, r.permissionSetArn, r.accountId);
}

/**
 * Adds the request to the grant's active set. Returns whether the workflow must create the assignment (false when the
 * user had standing access before the first grant). Throws AssignmentBusy while a deletion is in flight.
 */
export async function acquire(r: AccessRequest): Promise<{ createAssignment: boolean; standing: boolean }> {
  let old: Record<string, any> | undefined;
  try {
    const out = await ddb.send(new UpdateCommand({
      TableName: env('GRANTS_TABLE'),
      Key: { grantKey: keyOf(r) },
      UpdateExpression: 'ADD activeRequests :r SET principalId = :p, accountId = :a, permissionSetArn = :ps, instanceArn = :i',
      ConditionExpression: 'attribute_not_exists(deletingBy)',
      ExpressionAttributeValues: {
        ':r': new Set([r.requestId]), ':p': r.requesterId, ':a': r.accountId, ':ps': r.permissionSetArn, ':i': r.instanceArn,
      },
      ReturnValues: 'ALL_OLD',
    }));
    old = out.Attributes;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') {
      throw new AssignmentBusy(`the assignment of ${keyOf(r)} is being deleted by an earlier grant`);
    }
    throw e;
  }
  const othersActive = [...((old?.activeRequests as Set<string> | undefined) ?? [])].filter((x) => x !== r.requestId);
  if (othersActive.length > 0 || old?.ownedByWorkflow === true) {
    // an earlier grant already decided; creating again is idempotent and confirms the assignment for this grant
    const standing = old?.standing === true;
    return { createAssignment: !standing, standing };
  }
  const standing = await userAssignmentExists(r.instanceArn, r.accountId, r.permissionSetArn, r.requesterId);
  await ddb.send(new UpdateCommand({
    TableName: env('GRANTS_TABLE'),
    Key: { grantKey: keyOf(r) },
    UpdateExpression: 'SET standing = :s, ownedByWorkflow = :o',
    ExpressionAttributeValues: { ':s': standing, ':o': !standing },
  }));
  return { createAssignment: !standing, standing };
}

/**
 * Removes the request from the active set. Returns whether this grant must delete the assignment: only when no other
 * grant is active and the workflow created it. The deletion is claimed (deletingBy) so new grants wait for it.
 */
export async function release(r: AccessRequest): Promise<{ deleteAssignment: boolean }> {
  const out = await ddb.send(new UpdateCommand({
    TableName: env('GRANTS_TABLE'),
    Key: { grantKey: keyOf(r) },
    UpdateExpression: 'DELETE activeRequests :r',
    ExpressionAttributeValues: { ':r': new Set([r.requestId]) },
    ReturnValues: 'ALL_NEW',
  }));
  const item = out.Attributes ?? {};
  const remaining = (item.activeRequests as Set<string> | undefined)?.size ?? 0;
  if (remaining > 0 || item.ownedByWorkflow !== true) return { deleteAssignment: false };
  if (item.deletingBy === r.requestId) return { deleteAssignment: true }; // retried step
  try {
    await ddb.send(new UpdateCommand({
      TableName: env('GRANTS_TABLE'),
      Key: { grantKey: keyOf(r) },
      UpdateExpression: 'SET deletingBy = :r, deletingSince = :now',
      ConditionExpression: 'attribute_not_exists(activeRequests) AND attribute_not_exists(deletingBy) AND ownedByWorkflow = :t',
      ExpressionAttributeValues: { ':r': r.requestId, ':now': new Date().toISOString(), ':t': true },
    }));
    return { deleteAssignment: true };
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return { deleteAssignment: false }; // a new grant started
    throw e;
  }
}

/** After the deletion succeeded (or was taken over by the reconciler): the assignment is no longer the workflow's. */
export async function releaseConfirmed(r: AccessRequest): Promise<void> {
  try {
    await ddb.send(new UpdateCommand({
      TableName: env('GRANTS_TABLE'),
      Key: { grantKey: keyOf(r) },
      UpdateExpression: 'REMOVE deletingBy, deletingSince, ownedByWorkflow',
      ConditionExpression: 'deletingBy = :r',
      ExpressionAttributeValues: { ':r': r.requestId },
    }));
  } catch (e) {
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
  }
}

export async function getGrant(r: AccessRequest): Promise<Record<string, any> | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: env('GRANTS_TABLE'), Key: { grantKey: keyOf(r) }, ConsistentRead: true }));
  return out.Item;
}
