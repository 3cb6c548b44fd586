// ElevatedAccessWorkflow with jumpAccess: the jump branch wired into the synthesized workflow (env, IAM, the plan for
// the landing zone, the access report), and the synthesized state machine run locally with the real handlers for a
// jump user's request: approve -> grant -> expire, and an early revoke with the session cut measured.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { escapeRoute, graphOf } from './asl-graph';
import { defaultProps, HOST_ACCOUNT, JUMP_ACCOUNT, jumpAccess, jumpWorkflowStack, PROD } from './fixture';
import { definitionFromTemplate, jumpSetup, storedJumpRequest, World } from './world';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import { AccessPath, AccessReport, ElevatedAccessWorkflow, JumpPrincipal, PermissionLevel } from '../../src';
import { GRANT_POLICY_PREFIX, REVOKE_POLICY_PREFIX } from '../../src/elevated-access/handlers/jump-grants';
import { JUMP_GRANT_STATE, JUMP_REVOKE_STATE } from '../../src/elevated-access/jump-grant-branch';
import { simulate } from '../helpers/iam-sim';

const PROD_ACCOUNTS = ['555555555501', '555555555502', '555555555503'];
const SHOP_PROD = PROD_ACCOUNTS[0];
const ROLE = 'lz-elevated-power';
const WRITER = `arn:aws:iam::${JUMP_ACCOUNT}:role/landing-zone/lz-elevated-grant-writer`;
const READER = `arn:aws:iam::${JUMP_ACCOUNT}:role/landing-zone/lz-elevated-group-reader`;
const revoker = (a: string) => `arn:aws:iam::${a}:role/landing-zone/lz-elevated-revoker`;

const { stack, workflow } = jumpWorkflowStack();
const template = Template.fromStack(stack);

function statementsOf(roleLogicalIdPrefix: string): any[] {
  return Object.entries<any>(template.findResources('AWS::IAM::Policy'))
    .filter(([, p]) => p.Properties.Roles.some((r: any) => String(r.Ref).startsWith(roleLogicalIdPrefix)))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}
const assumed = (statements: any[]) => statements.filter((s) => [s.Action].flat().includes('sts:AssumeRole')).flatMap((s) => [s.Resource].flat()).sort();

describe('ElevatedAccessWorkflow with jumpAccess (template)', () => {
  test('the jump branch is in the definition: every path after PutUserPolicy reaches DeleteUserPolicy', () => {
    // GIVEN
    const asl = definitionFromTemplate(stack);

    // WHEN
    const escape = escapeRoute(graphOf(asl), JUMP_GRANT_STATE, new Set([JUMP_REVOKE_STATE]));

    // THEN
    expect(asl.States[JUMP_GRANT_STATE].Resource).toBe('arn:aws:states:::aws-sdk:iam:putUserPolicy');
    expect(asl.States[JUMP_REVOKE_STATE].Resource).toBe('arn:aws:states:::aws-sdk:iam:deleteUserPolicy');
    expect(escape).toBeUndefined();
    expect(asl.States.GrantKind.Choices[0].Next).toBe('JumpAcquire');
  });

  test('the state machine may assume the grant writer and the revokers of exactly the target accounts', () => {
    expect([...new Set(assumed(statementsOf('WorkflowStatesRole')))]).toEqual([...PROD_ACCOUNTS.map(revoker), WRITER].sort());
  });

  test('the API and step handlers know the jump account and its roles and may assume the group reader only', () => {
    for (const fn of ['WorkflowApiHandler', 'WorkflowStepHandler']) {
      const [resource] = Object.entries<any>(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(fn));
      expect(resource[1].Properties.Environment.Variables).toMatchObject({
        JUMP_ACCOUNT_ID: JUMP_ACCOUNT, JUMP_READER_ROLE_ARN: READER, JUMP_GRANT_WRITER_ROLE_ARN: WRITER,
      });
      expect(assumed(statementsOf(`${fn.replace('Handler', '')}Role`))).toEqual([READER]);
    }
  });

  test('the reconciler sweeps through the grant writer and the revokers of exactly the target accounts, as the state machine writes', () => {
    const reconciler = Object.entries<any>(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('WorkflowReconciler'))!;
    expect(reconciler[1].Properties.Environment.Variables.JUMP_GRANT_WRITER_ROLE_ARN).toBe(WRITER);
    expect(assumed(statementsOf('WorkflowReconcilerRole'))).toEqual([...PROD_ACCOUNTS.map(revoker), WRITER].sort());
    expect(assumed(statementsOf('WorkflowReconcilerRole'))).toEqual([...new Set(assumed(statementsOf('WorkflowStatesRole')))]);
    const role = Object.values<any>(template.findResources('AWS::IAM::Role')).find((r) => String(r.Properties.RoleName).startsWith('lz-access-reconciler-'));
    expect(workflow.jumpDeployment!.reconcilerRoleArn).toBe(`arn:aws:iam::${HOST_ACCOUNT}:role/landing-zone/${role.Properties.RoleName}`);
  });

  test('jumpDeployment: literal ARNs of the workflow roles, the target accounts with their levels', () => {
    const d = workflow.jumpDeployment!;
    expect(d.jumpAccountId).toBe(JUMP_ACCOUNT);
    expect(d.workflowAccountId).toBe(HOST_ACCOUNT);
    expect(d.workflowRoleArn).toMatch(new RegExp(`^arn:aws:iam::${HOST_ACCOUNT}:role/landing-zone/lz-access-states-[0-9a-f]{8}$`));
    const stateRole = Object.values<any>(template.findResources('AWS::IAM::Role')).find((r) => String(r.Properties.RoleName).startsWith('lz-access-states-'));
    expect(d.workflowRoleArn.endsWith(`/${stateRole.Properties.RoleName}`)).toBe(true);
    expect(d.groupReaderPrincipalArns.map((a) => a.split('/').pop())).toEqual([expect.stringMatching(/^lz-access-api-/), expect.stringMatching(/^lz-access-step-/)]);
    expect(d.accounts.map((a) => [a.accountId, a.permissionLevels.map((l) => l.name)])).toEqual(PROD_ACCOUNTS.map((a) => [a, ['Power']]));
    expect(d.apiArns).toContain(`arn:aws:execute-api:eu-west-1:${HOST_ACCOUNT}:*/v1/POST/requests`);
    expect(d.apiArns).toContain(`arn:aws:execute-api:eu-west-1:${HOST_ACCOUNT}:*/v1/POST/requests/*/approve`);
    expect(JSON.stringify(d)).not.toMatch(/\$\{Token/);
    expect(JSON.parse(workflow.configurationJson).jump.eligibility[0]).toMatchObject({ name: 'vendors-power', roles: [ROLE], accounts: PROD_ACCOUNTS, approvals: 1 });
  });

  test('access report: the vendors may request Power on each Prod account, 2 hours, one of the leads', () => {
    const rows = AccessReport.of(stack).entries.filter((e) => e.principalType === 'iam-group' && e.path === AccessPath.ELEVATED_ACCESS);
    expect(rows).toHaveLength(2 * PROD_ACCOUNTS.length);
    expect(rows.find((r) => r.principal === 'vendor-acme' && r.accountId === SHOP_PROD)).toMatchObject({
      access: ROLE,
      level: 'Power',
      elevatedOnly: true,
      mfaEnforced: true,
      maxSessionSeconds: 3600,
      accountName: 'shop-prod',
      conditions: expect.stringMatching(/up to 120 minutes per grant, approval 1 of \[jump group jump-leads, identity center group 2{8}-.*\], never the requester/),
    });
  });

  test('access report: the rows go to the report the workflow is given, fixed at construction', () => {
    // GIVEN a report of another app
    const other = AccessReport.of(new App());
    // WHEN
    const given = jumpWorkflowStack({ accessReport: other });
    // THEN
    const rows = given.workflow.accessReportEntries();
    expect(rows.length).toBeGreaterThan(0);
    expect(other.entries).toHaveLength(rows.length);
    expect(other.entries).toEqual(expect.arrayContaining(rows));
    expect(AccessReport.of(given.stack).entries.filter((e) => e.source === given.workflow.node.path)).toEqual([]);
  });

  test('refused at synth: a stack without a literal account, an undeclared jump group', () => {
    const app = new App();
    const unresolved = new Stack(app, 'Unresolved');
    expect(() => new ElevatedAccessWorkflow(unresolved, 'Workflow', defaultProps({ jumpAccess: jumpAccess(app) })))
      .toThrow(/jumpAccess: jump elevated access needs the account of the workflow's stack at synth.*set env: \{ account \}/);
    const app2 = new App();
    const host = new Stack(app2, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
    const rules = jumpAccess(app2);
    expect(() => new ElevatedAccessWorkflow(host, 'Workflow', defaultProps({
      jumpAccess: { ...rules, eligibility: [{ ...rules.eligibility[0], principals: [JumpPrincipal.group('vendor-initech')] }] },
    }))).toThrow(/jumpAccess\.eligibility\[0\]\.principals\[0\]: jump group 'vendor-initech' is not a group of the jump account/);
    const app3 = new App();
    const host3 = new Stack(app3, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
    expect(() => new ElevatedAccessWorkflow(host3, 'Workflow', defaultProps({ jumpAccess: { ...jumpAccess(app3), eligibility: [] } })))
      .toThrow(/jumpAccess\.eligibility: at least one jump eligibility rule is required/);
    expect(PermissionLevel.power().name).toBe('Power');
    expect(PROD.describe()).toMatch(/Prod/);
  });

  test('refused at synth: more target accounts than the revokers\' ARNs fit in one IAM managed policy', () => {
    // GIVEN: 100 more production accounts (about 7,300 characters of revoker ARNs)
    const many = Array.from({ length: 100 }, (_, i) => ({ accountId: `7777770${String(i).padStart(5, '0')}`, name: `prod-${i}`, organizationalUnit: 'Workloads/Prod' }));
    const build = (accounts: typeof many) => {
      const app = new App();
      const host = new Stack(app, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
      return () => new ElevatedAccessWorkflow(host, 'Workflow', defaultProps({
        organization: exampleOrganization(accounts), jumpAccess: jumpAccess(app), assignmentsInAnyAccount: true,
      }));
    };

    // THEN
    expect(build(many)).toThrow(/jumpAccess\.revokersByOrganization: the 103 target accounts of the jump rules make the workflow's grant to assume their revokers about \d+ characters, over the 6144 of one IAM managed policy/);
    expect(build(many.slice(0, 40))).not.toThrow();
  });
});

describe('ElevatedAccessWorkflow with jumpAccess (synthesized definition, run locally)', () => {
  let world: World;
  let seq = 0;
  beforeEach(async () => {
    world = await World.create(stack);
    jumpSetup(world, stack);
  });
  afterEach(() => world.restore());

  async function requested(): Promise<string> {
    const requestId = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
    await world.startDirect(storedJumpRequest(requestId));
    return requestId;
  }

  async function approve(id: string): Promise<void> {
    await world.waiting(id, 'APPROVAL');
    await world.approveJump(id);
    await world.waiting(id, 'END');
  }

  const grantsOf = () => [...(world.userPolicies.get('acme-alice')?.keys() ?? [])];
  const deniesOf = () => [...(world.rolePolicies.get(ROLE)?.keys() ?? [])];

  test('approve -> grant (PutUserPolicy with the end) -> expire -> DeleteUserPolicy and the session deny', async () => {
    // GIVEN
    const id = await requested();
    await approve(id);
    const grant = world.userPolicies.get('acme-alice')?.get(`${GRANT_POLICY_PREFIX}${id}`);
    const endAt = (await world.request(id)).endAt as string;

    // WHEN: the end time passes
    world.timeOut(id);
    await world.executions.get(id);

    // THEN
    expect(grant.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: `arn:aws:iam::${SHOP_PROD}:role/${ROLE}`,
      Condition: { DateLessThan: { 'aws:CurrentTime': endAt.replace(/\.\d{3}Z$/, 'Z') } },
    });
    expect(grantsOf()).toEqual([]);
    expect(deniesOf()).toEqual([]); // written, then cleaned up after the longest session
    const iamTasks = world.trace.filter((t) => t.requestId === id).map((t) => t.state)
      .filter((s) => [JUMP_GRANT_STATE, JUMP_REVOKE_STATE, 'PutSessionDeny', 'DeleteSessionDeny'].includes(s));
    expect(iamTasks).toEqual([JUMP_GRANT_STATE, JUMP_REVOKE_STATE, 'PutSessionDeny', 'DeleteSessionDeny']);
    expect((await world.request(id)).status).toBe('REVOKED');
    expect(world.transitions(id)).toEqual(['GRANTED', 'REVOKED']);
    // the groups were read through the jump account's reader, at validation and again before the grant
    expect(world.assumedRoles.filter((r) => r === READER).length).toBeGreaterThanOrEqual(2);
  });

  test('early revoke: the grant policy is deleted and a session issued before is denied; revoke -> denied measured', async () => {
    // GIVEN
    const id = await requested();
    await approve(id);
    const issuedBefore = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let deny: any;
    let deniedAt = 0;
    world.beforeTask = async (state) => {
      // the moment the session deny is written (before the branch waits out the sessions and removes it)
      if (state === 'JumpReleased' && !deniedAt) {
        deniedAt = Date.now();
        deny = world.rolePolicies.get(ROLE)?.get(`${REVOKE_POLICY_PREFIX}${id}`);
      }
    };

    // WHEN: the requester revokes
    const revokedAt = Date.now();
    await world.revokeJump(id);
    await world.executions.get(id);

    // THEN
    expect(grantsOf()).toEqual([]);
    const session = (issued: string) => simulate({
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, deny],
    }, {
      principal: `arn:aws:sts::${SHOP_PROD}:assumed-role/${ROLE}/acme-alice`,
      action: 'ec2:DescribeInstances',
      resource: '*',
      context: { 'aws:userid': 'AROAEXAMPLE:acme-alice', 'aws:TokenIssueTime': issued },
    });
    expect((await session(issuedBefore)).allowed).toBe(false);
    expect((await session(new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'))).allowed).toBe(true);
    expect((await world.request(id))).toMatchObject({ status: 'REVOKED', revokeRequested: true });
    const ms = deniedAt - revokedAt;
    process.stdout.write(`jump early revoke -> session deny written: ${ms} ms in the local run (plus IAM propagation in AWS)\n`);
    expect(ms).toBeGreaterThanOrEqual(0);
  });
});
