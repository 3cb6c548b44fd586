// Attacks on the elevated-access workflow from inside its host account (the example's `audit`, the delegated
// Identity Center administrator): a bounded administrator (a permission set session, a PowerAndIam role, a role it
// made for itself under /delegated/) tries to bypass approvals or stop revokes by changing the workflow's machinery.
// Simulated with the real boundary (the Security OU's baseline), the real SCPs of the audit account beside
// FullAWSAccess, and the real resource policies of the synthesized workflow stack.
import { Template } from 'aws-cdk-lib/assertions';
import { exampleLandingZone } from '../helpers/example';
import { asPrincipal, AWS_MANAGED_POLICIES, PolicyJson, PrincipalWorld, SimResult, TemplatePolicies } from '../helpers/iam-sim';
import { boundaryArn, trustsAccount } from '../helpers/probes';
import { ADMIN_IDENTITY, scpLevelsForAccount, simOrganization, synthesizedScps } from '../helpers/scp-sim';

const ex = exampleLandingZone();
const org = ex.lz.organization;
const host = org.identityCenterAccount;
const account = host.accountId;
const region = ex.lz.region;
const scps = synthesizedScps(...ex.stacks.map((s) => ex.template(s.stackName).toJSON()));
const scpLevels = scpLevelsForAccount(org, host.name, scps);
const organization = simOrganization(org);
const boundary = new TemplatePolicies(ex.stackSetBody('Lz-Ou-Security'), { accountId: account }).managedPolicy('lz-permissions-boundary');
const workflowStack = ex.stacks.find((s) => s.stackName === `${ex.lz.stackNamePrefix}-ElevatedAccess`)!;
const template = Template.fromStack(workflowStack).toJSON();
const instanceArn = 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d';
const permissionSetArn = `${instanceArn.replace(':instance/', ':permissionSet/')}/ps-0123456789abcdef`;
// the permission sets the workflow grants, exported by the Identity Center stack
const imports = Object.fromEntries([...new Set(JSON.stringify(template).match(/Lz-IdentityCenter:\w+PermissionSetArn\w*/g))]
  .map((name, i) => [name, i === 0 ? permissionSetArn : `${permissionSetArn}${i}`]));
const wf = new TemplatePolicies(template, {
  accountId: account,
  region,
  imports,
  managedPolicies: {
    [boundaryArn(account)]: boundary.policy,
    // the published document
    AWSLambdaBasicExecutionRole: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
    },
  },
});
const resources: Record<string, any> = template.Resources;
const ofType = (type: string) => Object.keys(resources).filter((id) => resources[id].Type === type);
const named = (type: string, fragment: string) => {
  const ids = ofType(type).filter((id) => id.includes(fragment));
  if (ids.length !== 1) throw new Error(`expected one ${type} with '${fragment}' in its id, found ${ids.join(', ')}`);
  return ids[0];
};
const { PowerUserAccess, IAMFullAccess } = AWS_MANAGED_POLICIES;

/** What a request against a resource carries: its tags (`aws:ResourceTag/...`). */
function tagsOf(id: string): Record<string, string> {
  const tags: Array<{ Key: string; Value: string }> = resources[id].Properties?.Tags ?? [];
  return Object.fromEntries(tags.map((t) => [`aws:ResourceTag/${t.Key}`, wf.resolve(t.Value)]));
}

/** The workflow's resources as the attacks target them: ARN, tags and resource policy. */
interface Target { readonly arn: string; readonly context?: Record<string, string>; readonly policy?: PolicyJson }
const target = (id: string, extra: Partial<Target> = {}): Target => ({ arn: wf.resourceArn(id), context: tagsOf(id), ...extra });
const tablePolicy = (id: string): PolicyJson => wf.resolve(resources[id].Properties.Replicas[0].ResourcePolicy.PolicyDocument);
const tables = ofType('AWS::DynamoDB::GlobalTable').map((id) => target(id, { policy: tablePolicy(id) }));
const requestsTable = tables.find((t) => t.arn.includes('Requests') || t.arn.includes('requests'))!;
const archiveId = ofType('AWS::S3::Bucket').find((id) => resources[id].Properties.ObjectLockEnabled)!;
const archivePolicy: PolicyJson = wf.resolve(resources[ofType('AWS::S3::BucketPolicy')[0]].Properties.PolicyDocument);
const archive = target(archiveId, { policy: archivePolicy });
const archivedRecord: Target = { ...archive, arn: `${archive.arn}/audit/6f1c0e9a/0001.json` };
const functions = ofType('AWS::Lambda::Function').map((id) => target(id));
const fn = (purpose: string) => target(named('AWS::Lambda::Function', purpose));
const stateMachineId = ofType('AWS::StepFunctions::StateMachine')[0];
const stateMachine = target(stateMachineId);
const execution: Target = { arn: `${stateMachine.arn.replace(':stateMachine:', ':execution:')}:6f1c0e9a-7d1b-4bb1-9a53-0c1d2e3f4a5b` };
const rules = ofType('AWS::Events::Rule').map((id) => target(id));
const topics = ofType('AWS::SNS::Topic').map((id) => target(id));
const logGroups = ofType('AWS::Logs::LogGroup').map((id) => target(id));
const keyId = ofType('AWS::KMS::Key')[0];
const key = target(keyId, { policy: wf.resolve(resources[keyId].Properties.KeyPolicy) });
const apiId = ofType('AWS::ApiGateway::RestApi')[0];
// API ids are 10 lower-case characters, which the simulator's resource types expect
const api: Target = { arn: `arn:aws:apigateway:${region}::/restapis/a1b2c3d4e5`, context: tagsOf(apiId) };
// the workflow's roles (the example's own auditor role is a bounded role of the consumer's, not the workflow's)
const roles = ofType('AWS::IAM::Role').map((id) => ({ id, arn: wf.resourceArn(id), policies: wf.forRole(id) }))
  .filter((r) => r.arn.includes(':role/landing-zone/'));
const workflowRole = (purpose: string) => {
  const r = roles.find((x) => x.arn.includes(`/lz-access-${purpose}-`));
  if (!r) throw new Error(`no workflow role ${purpose}`);
  return r;
};
const identityStoreArn = `arn:aws:identitystore::${account}:identitystore/d-9067a1b2c3`;

/** The bounded administrators of the host account the attacks run as. */
const attackers: Array<[string, PrincipalWorld]> = [
  ['a bounded Admin permission set session', {
    arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${region}/AWSReservedSSO_Admin_0123456789abcdef`,
    identityPolicies: [ADMIN_IDENTITY],
    boundary,
    scpLevels,
    organization,
  }],
  ['a bounded PowerAndIam role', {
    arn: `arn:aws:iam::${account}:role/lz-power-and-iam`,
    identityPolicies: [{ name: 'PowerUserAccess', policy: PowerUserAccess }, { name: 'IAMFullAccess', policy: IAMFullAccess }],
    boundary,
    scpLevels,
    organization,
  }],
  ['a bounded role the administrator made for itself under /delegated/', {
    arn: `arn:aws:iam::${account}:role/delegated/ops-tool`,
    identityPolicies: [ADMIN_IDENTITY],
    boundary,
    scpLevels,
    organization,
  }],
];

type Attack = [action: string, on: Target, context?: Record<string, string>];
const each = (actions: string[], targets: Target[]): Attack[] => actions.flatMap((a) => targets.map((t): Attack => [a, t]));

/** Attacks by theme; each must be denied for every attacker. */
const ATTACKS: Array<[string, () => Attack[]]> = [
  ['replace or reconfigure the handler code, or let something else invoke it (lambda:UpdateFunctionCode, UpdateFunctionConfiguration, PublishVersion, AddPermission, PutFunctionConcurrency 0, DeleteFunction)',
    () => each(['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:PublishVersion', 'lambda:AddPermission',
      'lambda:PutFunctionConcurrency', 'lambda:DeleteFunction', 'lambda:CreateAlias'], functions)],
  ['invoke the API handler directly with a forged API Gateway event naming an approver (lambda:InvokeFunction), or forge audit records through the audit writer',
    () => each(['lambda:InvokeFunction'], functions)],
  ['rewrite, delete or stop the state machine and its executions (states:UpdateStateMachine, DeleteStateMachine, StartExecution, StopExecution, RedriveExecution)',
    () => [
      ['states:UpdateStateMachine', stateMachine], ['states:DeleteStateMachine', stateMachine], ['states:StartExecution', stateMachine],
      ['states:PublishStateMachineVersion', stateMachine], ['states:StopExecution', execution], ['states:RedriveExecution', execution],
    ]],
  ['write the workflow tables or remove their protection (dynamodb:PutItem, UpdateItem, DeleteItem, DeleteTable, UpdateTable, DeleteResourcePolicy, PutResourcePolicy, UpdateContinuousBackups)',
    () => each(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable',
      'dynamodb:DeleteResourcePolicy', 'dynamodb:PutResourcePolicy', 'dynamodb:UpdateContinuousBackups'], tables)],
  ['stop the revoke and reconcile triggers (events:DisableRule, DeleteRule, PutTargets, RemoveTargets, PutRule)',
    () => each(['events:DisableRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets', 'events:PutRule'], rules)],
  ['erase the audit archive (s3:PutBucketPolicy, DeleteObject, DeleteObjectVersion, PutObjectRetention, BypassGovernanceRetention, PutLifecycleConfiguration)',
    () => [
      ...each(['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning', 's3:DeleteBucket'], [archive]),
      ...each(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:BypassGovernanceRetention', 's3:PutObject'], [archivedRecord]),
    ]],
  ['silence or forge the notices (sns:SetTopicAttributes, DeleteTopic, Subscribe, Publish)',
    () => each(['sns:SetTopicAttributes', 'sns:DeleteTopic', 'sns:Subscribe', 'sns:Publish', 'sns:RemovePermission'], topics)],
  ['destroy the notices key (kms:ScheduleKeyDeletion, DisableKey, PutKeyPolicy)',
    () => each(['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation'], [key])],
  ['open or repoint the API (apigateway:PATCH on a method, PUT, DELETE a stage, POST a new route)',
    () => [
      ['apigateway:PATCH', { ...api, arn: `${api.arn}/resources/abc123/methods/POST` }],
      ['apigateway:PUT', api], ['apigateway:DELETE', { ...api, arn: `${api.arn}/stages/v1` }],
      ['apigateway:POST', { ...api, arn: `${api.arn}/resources` }], ['apigateway:PATCH', api],
    ]],
  ['erase the logs (logs:DeleteLogGroup, PutRetentionPolicy, DeleteLogStream)',
    () => each(['logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteLogStream'], logGroups)],
  ['change, pass or assume the workflow roles under /landing-zone/ (iam:UpdateAssumeRolePolicy, PutRolePolicy, AttachRolePolicy, DeleteRolePermissionsBoundary, PassRole, sts:AssumeRole)',
    () => roles.flatMap((r): Attack[] => {
      const t: Target = { arn: r.arn, context: { 'iam:PermissionsBoundary': boundaryArn(account), ...tagsOf(r.id) } };
      return [
        ['iam:UpdateAssumeRolePolicy', t], ['iam:PutRolePolicy', t], ['iam:AttachRolePolicy', t], ['iam:DeleteRolePermissionsBoundary', t],
        ['iam:PassRole', t, { 'iam:PassedToService': 'states.amazonaws.com' }], ['iam:PassRole', t, { 'iam:PassedToService': 'lambda.amazonaws.com' }],
      ];
    })],
  ['grant themselves access through Identity Center directly (sso:CreateAccountAssignment, PutInlinePolicyToPermissionSet, ProvisionPermissionSet, identitystore:CreateGroupMembership)',
    () => [
      ['sso:CreateAccountAssignment', { arn: permissionSetArn }], ['sso:PutInlinePolicyToPermissionSet', { arn: permissionSetArn }],
      ['sso:AttachManagedPolicyToPermissionSet', { arn: permissionSetArn }], ['sso:ProvisionPermissionSet', { arn: permissionSetArn }],
      ['sso:DeletePermissionsBoundaryFromPermissionSet', { arn: permissionSetArn }],
      ['identitystore:CreateGroupMembership', { arn: identityStoreArn }], ['identitystore:CreateUser', { arn: identityStoreArn }],
    ]],
];

async function attempt(p: PrincipalWorld, [action, on, context]: Attack): Promise<{ request: string; result: SimResult }> {
  const result = await asPrincipal(p)(action, on.arn, { ...on.context, ...context }, on.policy);
  return { request: `${action} on ${on.arn}`, result };
}

describe.each(attackers)('the elevated-access host account, attacked by %s', (_name, attacker) => {
  test.each(ATTACKS)('attack: %s', async (_attack, attacks) => {
    const list = attacks();
    expect(list.length).toBeGreaterThan(0);
    const results = await Promise.all(list.map((a) => attempt(attacker, a)));
    // every one denied, and the boundary among the policies that deny it
    expect(results.filter((r) => r.result.decision !== 'ExplicitlyDenied' || !/pb 'lz-permissions-boundary'/.test(r.result.reason))
      .map((r) => `${r.request}: ${r.result.reason}`)).toEqual([]);
  });

  test('attack: assume a workflow role (trust edited or not)', async () => {
    const results = await Promise.all(roles.map((r) => asPrincipal(attacker)('sts:AssumeRole', r.arn, tagsOf(r.id), trustsAccount(account))));
    expect(results.map((r) => r.decision)).toEqual(roles.map(() => 'ExplicitlyDenied'));
  });

  test('control: the bounded administrator still runs its own workloads and reads the workflow', async () => {
    const ask = asPrincipal(attacker);
    const own = `arn:aws:lambda:${region}:${account}:function:orders-api`;
    const results = await Promise.all([
      ask('lambda:UpdateFunctionCode', own), ask('lambda:InvokeFunction', own),
      ask('dynamodb:PutItem', `arn:aws:dynamodb:${region}:${account}:table/orders`),
      ask('states:StartExecution', `arn:aws:states:${region}:${account}:stateMachine:orders-flow`),
      ask('dynamodb:GetItem', requestsTable.arn, {}, requestsTable.policy),
      ask('states:DescribeExecution', execution.arn),
      ask('logs:FilterLogEvents', logGroups[0].arn),
    ]);
    // PowerUserAccess has every one of these too
    expect(results.map((r) => r.decision)).toEqual(results.map(() => 'Allowed'));
  });
});

describe('the SCP alone keeps an unbounded administrator of the host account out of the workflow', () => {
  const legacyAdmin: PrincipalWorld = { arn: `arn:aws:iam::${account}:role/legacy-admin`, identityPolicies: [ADMIN_IDENTITY], scpLevels, organization };
  test.each<Attack>([
    ['lambda:UpdateFunctionCode', fn('Api')], ['lambda:InvokeFunction', fn('Api')],
    ['states:UpdateStateMachine', stateMachine], ['states:StopExecution', execution],
    ['dynamodb:DeleteResourcePolicy', requestsTable], ['dynamodb:UpdateItem', requestsTable],
    ['events:DisableRule', rules[0]], ['s3:PutBucketPolicy', archive], ['s3:BypassGovernanceRetention', archivedRecord],
    ['sns:SetTopicAttributes', topics[0]], ['kms:ScheduleKeyDeletion', key], ['apigateway:PATCH', api], ['logs:DeleteLogGroup', logGroups[0]],
  ])('attack by an unbounded admin: %s', async (...a) => {
    const { result } = await attempt(legacyAdmin, a);
    expect(result.reason).toMatch(/^ExplicitlyDenied by .*scp/);
  });
});

describe('control: the workflow and its deployment still work', () => {
  const run = (roleId: string, action: string, on: Target | string, context: Record<string, string> = {}) => {
    const p = roles.find((r) => r.id === roleId)!.policies;
    const t = typeof on === 'string' ? { arn: on } : on;
    return asPrincipal({ ...p, scpLevels, organization })(action, t.arn, { ...t.context, ...context }, t.policy);
  };
  const tableOf = (fragment: string) => tables.find((t) => t.arn.toLowerCase().includes(fragment))!;
  const assignment = { arn: permissionSetArn };

  test.each<[string, string, () => Target | string]>([
    ['api', 'dynamodb:PutItem', () => tableOf('requests')],
    ['api', 'dynamodb:UpdateItem', () => tableOf('requests')],
    ['api', 'states:StartExecution', () => stateMachine],
    ['api', 'states:SendTaskSuccess', () => '*'],
    ['api', 'lambda:InvokeFunction', () => fn('AuditWriter')],
    ['step', 'dynamodb:UpdateItem', () => tableOf('grants')],
    ['step', 'states:SendTaskSuccess', () => '*'],
    ['states', 'lambda:InvokeFunction', () => fn('StepHandler')],
    ['states', 'sso:CreateAccountAssignment', () => assignment],
    ['states', 'sso:DeleteAccountAssignment', () => assignment],
    ['reconciler', 'sso:DeleteAccountAssignment', () => assignment],
    ['reconciler', 'dynamodb:UpdateItem', () => tableOf('grants')],
    ['reconciler', 'states:DescribeExecution', () => execution],
    ['audit', 'dynamodb:PutItem', () => tableOf('audit')],
    ['audit', 's3:PutObject', () => archivedRecord],
    ['config', 'dynamodb:PutItem', () => tableOf('requests')],
  ])('the %s role may %s', async (purpose, action, on) => {
    const r = await run(workflowRole(purpose).id, action, on());
    expect(r.reason).toMatch(/^Allowed/);
  });

  test('the CloudFormation execution role (a deployment role) may still change every part of the workflow', async () => {
    const deployer: PrincipalWorld = {
      arn: `arn:aws:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-${region}`, identityPolicies: [ADMIN_IDENTITY], scpLevels, organization,
    };
    const ask = (action: string, on: Target) => asPrincipal(deployer)(action, on.arn, on.context ?? {}, on.policy);
    const results = await Promise.all([
      ask('lambda:UpdateFunctionCode', fn('Api')), ask('states:UpdateStateMachine', stateMachine),
      ask('dynamodb:UpdateTable', requestsTable), ask('dynamodb:PutResourcePolicy', requestsTable),
      ask('events:PutRule', rules[0]), ask('s3:PutBucketPolicy', archive), ask('sns:SetTopicAttributes', topics[0]),
      ask('kms:PutKeyPolicy', key), ask('apigateway:PATCH', api), ask('logs:PutRetentionPolicy', logGroups[0]),
      ask('iam:PutRolePolicy', { arn: workflowRole('api').arn, context: tagsOf(workflowRole('api').id) }),
      ask('sso:CreateAccountAssignment', { arn: permissionSetArn }),
    ]);
    expect(results.map((r) => r.reason)).toEqual(results.map(() => expect.stringMatching(/^Allowed/)));
  });
});
