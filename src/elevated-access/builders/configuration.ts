import { Annotations, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { planWorkflowJump } from './jump-access';
import { WorkflowScope, sessionQueryName } from './workflow-scope';
import type { IdentityCenterPrincipal } from '../../identity-center/principal';
import { resolvePrincipalId } from '../../identity-center/principal-resolver';
import { Compiled, compileRules } from '../../plan/compile-rules';
import { LIMITS } from '../../private/limits';
import { Problems } from '../../private/validation';
import type { ElevatedAccessWorkflowProps } from '../elevated-access-workflow';
import type { JumpAccessConfig } from '../handlers/jump-grants';
import type { AccessConfig } from '../handlers/policy';

/** Key of the configuration item in the requests table (request ids are UUIDs, so it cannot collide). */
export const CONFIG_KEY = '#config';
/** The compiled rules are written as one DynamoDB item through a custom resource; stay well below the 400 KB item limit. */
const CONFIG_MAX_CHARS = 200_000;

/**
 * The rules compiled at synth into the configuration the handlers read (the jump rules under `jump`), refused when it
 * would not fit its item. The Identity Center rules' problems, the jump rules' and `problems` (the props') are thrown
 * together, once.
 */
export function compileWorkflowRules(scope: Construct, props: ElevatedAccessWorkflowProps, problems: Problems): Compiled {
  const host = Stack.of(scope).account;
  const resolved = new Map<string, string>();
  // names resolve as the permission-set catalog resolves them: one identity store lookup per name (without an
  // identity store nothing can be looked up; Identity Center rules are then refused, so the key only stands in)
  const resolve = (p: IdentityCenterPrincipal): string => props.identityStoreId === undefined ? p._id ?? p._key
    : resolvePrincipalId(scope, p, props.identityStoreId, resolved);
  const eligibility = props.eligibility ?? [];
  const { warnings, ...ic } = compileRules(problems, {
    organization: props.organization,
    eligibility,
    approvers: props.approvers ?? [],
    pendingExpiry: props.pendingExpiry ?? Duration.hours(3),
    maxScheduleAhead: props.maxScheduleAhead ?? Duration.days(7),
    hostAccount: Token.isUnresolved(host) ? undefined : host,
    queryDefinitionName: props.organizationTrailLogGroup ? (ps) => sessionQueryName(scope, ps) : undefined,
    resolvePrincipalId: resolve,
    followOrganizationalUnits: props.followOrganizationalUnits,
  });
  for (const w of warnings) Annotations.of(scope).addWarningV2(w.id, w.message);
  const jump = planWorkflowJump(scope, problems, props, props.identityStoreId === undefined ? undefined : resolve);
  checkIdentityCenterUse(scope, props, problems);
  checkAssignmentGrants(scope, props, ic, problems);
  checkFollowedOrganizationalUnits(scope, props, problems);
  problems.throwIfAny();
  const compiled: Compiled = jump ? { ...ic, config: withJump(ic.config, jump.config, props, host), jump } : ic;
  const json = JSON.stringify(compiled.config);
  if (json.length > CONFIG_MAX_CHARS) {
    const p = Problems.of(scope);
    p.add('eligibility', `the compiled rules are ${json.length} characters, more than the ${CONFIG_MAX_CHARS} the configuration item holds: split the workflow or use OUs and groups`);
    p.throwIfAny();
  }
  return compiled;
}

/**
 * Whether the workflow talks to Identity Center at all: with Identity Center rules, with Identity Center approvers of
 * jump rules, or with approvals from chat (which map chat users to identity store users). Only then does it need the
 * identity store, and only then do its handlers get identity store permissions.
 */
export function usesIdentityStore(props: ElevatedAccessWorkflowProps): boolean {
  return (props.eligibility ?? []).length > 0 || props.approvals !== undefined
    || (props.jumpAccess?.approvers ?? []).some((a) => (a.approvers ?? []).length > 0);
}

/** A workflow grants something (Identity Center or jump rules), and has the identity store exactly when it needs it. */
function checkIdentityCenterUse(scope: Construct, props: ElevatedAccessWorkflowProps, problems: Problems): void {
  const icRules = (props.eligibility ?? []).length;
  if (icRules === 0 && !props.jumpAccess) {
    problems.add('eligibility', 'at least one eligibility rule is required, got none (and no jumpAccess): add Identity Center rules to eligibility (with identityStoreId), or jump users\' rules to jumpAccess.eligibility for a jump-only workflow');
  }
  if (props.accessPermissionSets === true && icRules === 0) {
    // as for the identity store: harmless, and a workflow whose Identity Center rules are removed for now synthesizes
    Annotations.of(scope).addWarningV2('cdk-iam-landing-zone:elevatedAccessPermissionSetsUnused',
      'accessPermissionSets: true has no effect: the workflow has no Identity Center rules (eligibility), so no Identity Center instance holds lz-access-requester and lz-access-approver (jump users call the API with their own IAM credentials); remove accessPermissionSets, or add eligibility rules');
  }
  if (props.identityStoreId !== undefined || !usesIdentityStore(props)) {
    if (props.identityStoreId !== undefined && !usesIdentityStore(props)) {
      // harmless (nothing is granted on it, Identity Center callers stay refused), so a warning: a workflow whose
      // Identity Center rules were removed for now keeps synthesizing
      Annotations.of(scope).addWarningV2('cdk-iam-landing-zone:elevatedAccessIdentityStoreUnused',
        `identityStoreId '${props.identityStoreId}' is not used: the workflow has no Identity Center rules (eligibility), no Identity Center approvers of jump rules and no chat approvals, so it runs jump-only, with no identity store permission; remove identityStoreId, or add eligibility rules`);
    }
    return;
  }
  if (icRules > 0) problems.add('identityStoreId', 'Identity Center rules (eligibility) need the identity store id of the instance (d-xxxxxxxxxx), got none: set identityStoreId, or drop the eligibility rules for a jump-only workflow');
  if (props.approvals) problems.add('approvals', 'approvals from chat map chat users to identity store users, and the workflow has no identityStoreId: set identityStoreId, or approve through the API and the lz-access CLI');
  for (const [i, a] of (props.jumpAccess?.approvers ?? []).entries()) {
    if ((a.approvers ?? []).length > 0) {
      problems.add(`jumpAccess.approvers[${i}].approvers`, 'Identity Center approvers need identityStoreId (their groups are read from the identity store), got none: set identityStoreId, or name jump approvers only (jumpApprovers)');
    }
  }
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

// The assignment statement (the instance, the permission sets, the eligible accounts by ARN) must fit one IAM managed
// policy: aws-cdk-lib moves statements of an oversized role policy into managed policies, but cannot split a statement.
function checkAssignmentGrants(scope: Construct, props: ElevatedAccessWorkflowProps, ic: Omit<Compiled, 'jump'>, problems: Problems): void {
  if (props.assignmentsInAnyAccount) {
    Annotations.of(scope).addWarningV2('cdk-iam-landing-zone:elevatedAccessAssignmentsInAnyAccount',
      'assignmentsInAnyAccount: the workflow\'s roles may create and delete assignments of its permission sets in any account; only the API\'s and the Recheck\'s eligibility checks limit them to eligible accounts');
    return;
  }
  if (ic.config.eligibility.length === 0) return;
  // longest standard partition, an ARN per permission set at its longest, the actions and the statement's keys
  const accountChars = ic.accounts.length * '"arn:aws-us-gov:sso:::account/123456789012",'.length;
  const length = accountChars + (ic.permissionSets.length + 1) * 100 + 200;
  if (length > LIMITS.MANAGED_POLICY_CHARS) {
    problems.add('assignmentsInAnyAccount', `the ${ic.accounts.length} eligible accounts make the workflow's assignment grant about ${length} characters, over the ${LIMITS.MANAGED_POLICY_CHARS} of one IAM managed policy, so it cannot deploy: `
      + 'set assignmentsInAnyAccount: true (the API and the Recheck still limit grants to eligible accounts; IAM no longer does), or split the eligibility over several workflows');
  }
}

// Jump rules that follow OUs never cover the management or the host account, wherever Organizations places them (the
// handlers refuse the jump account for jump rules themselves).
function withJump(config: AccessConfig, jump: JumpAccessConfig, props: ElevatedAccessWorkflowProps, host: string): AccessConfig {
  if (!props.jumpAccess?.followOrganizationalUnits) return { ...config, jump };
  const refused = [...(config.refusedAccounts ?? []), props.organization.managementAccount.accountId, ...(Token.isUnresolved(host) ? [] : [host])];
  return { ...config, jump, refusedAccounts: [...new Set(refused)] };
}

// Rules that follow OUs reach accounts no template names: IAM must allow assignments anywhere, and the handlers read
// the organization they are in.
function checkFollowedOrganizationalUnits(scope: Construct, props: ElevatedAccessWorkflowProps, problems: Problems): void {
  if (!props.followOrganizationalUnits) return;
  if ((props.eligibility ?? []).length === 0) {
    problems.add('followOrganizationalUnits', 'only Identity Center rules (eligibility) follow OUs, and the workflow has none: remove followOrganizationalUnits (jump rules follow OUs with jumpAccess.followOrganizationalUnits)');
  }
  if (!props.assignmentsInAnyAccount) {
    problems.add('followOrganizationalUnits', 'rules that follow OUs grant in accounts added later, which no IAM policy can name now: set assignmentsInAnyAccount: true as well (the handlers still decide each account), or remove followOrganizationalUnits');
  }
  if (props.organization.organizationId === undefined) {
    problems.add('followOrganizationalUnits', 'the handlers may read the parents of this organization\'s accounts and OUs only, by its id: set organizationId (o-...) in the organization model');
  }
  Annotations.of(scope).addWarningV2('cdk-iam-landing-zone:elevatedAccessFollowsOrganizationalUnits',
    'followOrganizationalUnits: rules over OUs cover the accounts AWS Organizations places under them at each decision, including accounts added after this synth, which the template does not list');
}
