import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { APPROVER_ROUTES, REQUESTER_ROUTES } from './api';
import { WorkflowScope } from './workflow-scope';
import type { IdentityCenterPrincipal } from '../../identity-center/principal';
import { JumpElevatedPlan, planJumpElevated } from '../../plan/jump-elevated-plan';
import { LZ_ELEVATED_REVOKER_ROLE_NAME, LZ_SERVICE_ROLE_PATH } from '../../private/conventions';
import { LIMITS } from '../../private/limits';
import { Problems } from '../../private/validation';
import type { AccessStateMachineOptions } from '../access-state-machine';
import type { ElevatedAccessWorkflowProps } from '../elevated-access-workflow';
import { JumpElevatedDeployment } from '../jump-elevated-deployment';
import { GRANT_WRITER_ROLE_NAME, GROUP_READER_ROLE_NAME } from '../jump-grant-writer';

/** The plan's field names are its own; the user wrote them under `jumpAccess`. */
class JumpAccessProblems extends Problems {
  constructor(private readonly inner: Problems) {
    super('');
  }

  public add(field: string, message: string): void {
    this.inner.add(`jumpAccess.${field.replace(/^jumpEligibility/, 'eligibility').replace(/^jumpApprovers/, 'approvers')}`, message);
  }
}

/** Where the workflow runs, literal: the jump account and the target accounts trust ARNs, not tokens. */
export interface JumpHost {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/** The jump rules compiled (`planJumpElevated`), or undefined without `jumpAccess`. Problems go to `problems`. */
export function planWorkflowJump(scope: Construct, problems: Problems, props: ElevatedAccessWorkflowProps,
  resolvePrincipalId?: (principal: IdentityCenterPrincipal) => string): JumpElevatedPlan | undefined {
  const jump = props.jumpAccess;
  if (!jump) return undefined;
  const host = jumpHost(scope);
  if (Token.isUnresolved(host.account)) {
    problems.add('jumpAccess', 'jump elevated access needs the account of the workflow\'s stack at synth (the jump account and every target account trust its roles by ARN), got an unresolved account: set env: { account } on the stack');
  }
  if (jump.eligibility.length === 0) problems.add('jumpAccess.eligibility', 'at least one jump eligibility rule is required, got none');
  const plan = planJumpElevated(new JumpAccessProblems(problems), {
    organization: props.organization,
    jumpAccountId: jump.jumpAccount.accountId,
    groups: jump.jumpAccount.groupNames.map((groupName) => ({ groupName, targets: [] })),
    users: jump.jumpAccount.userNames.map((userName) => ({ userName, groups: [] })),
    eligibility: jump.eligibility,
    approvers: jump.approvers ?? [],
    hostAccount: Token.isUnresolved(host.account) ? undefined : host.account,
    partition: host.partition,
    resolvePrincipalId,
    revokersByOrganization: jump.revokersByOrganization,
    followOrganizationalUnits: jump.followOrganizationalUnits,
  });
  checkRevokerGrant(scope, problems, plan);
  if (jump.followOrganizationalUnits) {
    Annotations.of(scope).addWarningV2('cdk-iam-landing-zone:jumpFollowsOrganizationalUnits',
      'jumpAccess.followOrganizationalUnits: jump rules over OUs cover the accounts AWS Organizations places under them at each decision, including accounts added after this synth, which the template does not list; a StackSet per OU deploys their elevated roles');
  }
  return plan;
}

// The state machine and the reconciler assume every target account's revoker by ARN, in one statement that must fit
// one IAM managed policy (aws-cdk-lib moves statements of an oversized role policy into managed policies, but cannot
// split a statement), unless the grant is over the organization: one ARN pattern, whatever the accounts.
function checkRevokerGrant(scope: Construct, problems: Problems, plan: JumpElevatedPlan): void {
  if (plan.revokerOrganizationId !== undefined) {
    Annotations.of(scope).addWarningV2('cdk-iam-landing-zone:jumpRevokersByOrganization',
      `jumpAccess.revokersByOrganization: the workflow's state machine and reconciler may assume the revoker role of any account of organization ${plan.revokerOrganizationId}; only the revokers' trust policies (this workflow's roles by ARN) limit them to the target accounts`);
    return;
  }
  const arns = jumpRoleArns(plan);
  const length = [arns.writer, ...arns.revokers].reduce((n, a) => n + a.length + 3, 200);
  if (length > LIMITS.MANAGED_POLICY_CHARS) {
    problems.add('jumpAccess.revokersByOrganization', `the ${arns.revokers.length} target accounts of the jump rules make the workflow's grant to assume their revokers about ${length} characters, over the ${LIMITS.MANAGED_POLICY_CHARS} of one IAM managed policy, so it cannot deploy: set jumpAccess.revokersByOrganization: true (one grant over the organization; each revoker still trusts only this workflow's roles), split the jump rules over several workflows, or target fewer accounts`);
  }
}

/** The stack's account, region and partition (`aws` unless the region names another partition). */
export function jumpHost(scope: Construct): JumpHost {
  const stack = Stack.of(scope);
  return {
    account: stack.account,
    region: Token.isUnresolved(stack.region) ? '*' : stack.region,
    partition: Token.isUnresolved(stack.partition) ? 'aws' : stack.partition,
  };
}

/** The role ARNs of the jump branch, from the plan. */
export function jumpRoleArns(plan: JumpElevatedPlan) {
  const { jumpAccountId, partition } = plan.config;
  const role = (account: string, name: string) => `arn:${partition}:iam::${account}:role${LZ_SERVICE_ROLE_PATH}${name}`;
  return {
    writer: role(jumpAccountId, GRANT_WRITER_ROLE_NAME),
    reader: role(jumpAccountId, GROUP_READER_ROLE_NAME),
    revokers: [...plan.rolesByAccount.keys()].sort().map((a) => role(a, LZ_ELEVATED_REVOKER_ROLE_NAME)),
    role,
  };
}

export type JumpRoleArns = ReturnType<typeof jumpRoleArns>;

/**
 * The grant to assume the target accounts' revokers: by ARN (after `also`, which joins the same statement), or any
 * revoker of the organization (a condition no other resource may share: `also` is then a statement of its own).
 */
export function revokerGrants(plan: JumpElevatedPlan, arns: JumpRoleArns, also: string[] = []): iam.PolicyStatement[] {
  const organizationId = plan.revokerOrganizationId;
  if (organizationId === undefined) return [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [...also, ...arns.revokers] })];
  const grant = new iam.PolicyStatement({
    actions: ['sts:AssumeRole'],
    resources: [arns.role('*', LZ_ELEVATED_REVOKER_ROLE_NAME)],
    // the role's account must be of the organization: outside any organization the key is absent and this fails
    conditions: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
  });
  return also.length === 0 ? [grant] : [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: also }), grant];
}

/**
 * The API and step handlers learn the jump account and its roles, and may assume the group reader (the API at
 * validation, the step handler again before the grant); the state machine and the reconciler get the branch's
 * roles, exactly.
 */
export function wireJumpHandlers(plan: JumpElevatedPlan, api: lambda.Function, step: lambda.Function,
  reconciler: lambda.Function): AccessStateMachineOptions['jump'] {
  const arns = jumpRoleArns(plan);
  // the reconciler sweeps what stopped executions left through the very roles the state machine writes with
  reconciler.addEnvironment('JUMP_GRANT_WRITER_ROLE_ARN', arns.writer);
  for (const s of revokerGrants(plan, arns, [arns.writer])) reconciler.addToRolePolicy(s);
  for (const fn of [api, step]) {
    fn.addEnvironment('JUMP_ACCOUNT_ID', plan.config.jumpAccountId);
    fn.addEnvironment('JUMP_READER_ROLE_ARN', arns.reader);
    fn.addEnvironment('JUMP_GRANT_WRITER_ROLE_ARN', arns.writer);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [arns.reader] }));
  }
  return { grantWriterRoleArn: arns.writer, revokerGrant: revokerGrants(plan, arns)[0] };
}

/** What the landing zone deploys for this workflow's jump rules: literal ARNs only. */
export function jumpDeployment(ws: WorkflowScope, plan: JumpElevatedPlan): JumpElevatedDeployment {
  const host = jumpHost(ws.scope);
  const { role } = jumpRoleArns(plan);
  const routes = [...REQUESTER_ROUTES, ...APPROVER_ROUTES]
    .map(([method, path]) => `${method} ${path}`)
    .filter((r, i, all) => all.indexOf(r) === i);
  return new JumpElevatedDeployment({
    jumpAccountId: plan.config.jumpAccountId,
    workflowAccountId: host.account,
    workflowRoleArn: role(host.account, ws.roleName('states')),
    reconcilerRoleArn: role(host.account, ws.roleName('reconciler')),
    groupReaderPrincipalArns: ['api', 'step'].map((p) => role(host.account, ws.roleName(p))),
    // the API's id is known only at deploy: any API of the host account's stage v1 (its resource policy decides)
    apiArns: routes.map((r) => {
      const [method, path] = r.split(' ');
      return `arn:${host.partition}:execute-api:${host.region}:${host.account}:*/v1/${method}${path}`;
    }),
    accounts: [...plan.rolesByAccount.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([accountId, roles]) => ({
      accountId,
      permissionLevels: roles.map((r) => plan.levels.get(r)!),
    })),
    organizationalUnits: [...plan.rolesByOrganizationalUnit.entries()].map(([organizationalUnit, roles]) => ({
      organizationalUnit,
      permissionLevels: roles.map((r) => plan.levels.get(r)!),
    })),
  });
}
