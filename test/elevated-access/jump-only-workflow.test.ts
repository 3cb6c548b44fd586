// A jump-only ElevatedAccessWorkflow (jumpAccess, no Identity Center rules, no identity store): the template has no
// Identity Center part, the synthesized state machine runs locally with the real handlers through the real API for
// jump users (request -> approve -> grant -> expire), and the misconfigurations fail at synth, in one round.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { escapeRoute, graphOf } from './asl-graph';
import { defaultProps, HOST_ACCOUNT, IDENTITY_STORE_ID, JUMP_ACCOUNT, jumpAccess, PROD, READ_ONLY } from './fixture';
import { callApi, definitionFromTemplate, jumpSetup, World } from './world';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import { ElevatedAccessWorkflow, ElevatedAccessWorkflowProps, IdentityCenterPrincipal, JumpPrincipal, PermissionLevel } from '../../src';
import { GRANT_POLICY_PREFIX } from '../../src/elevated-access/handlers/jump-grants';
import { JUMP_GRANT_STATE, JUMP_REVOKE_STATE } from '../../src/elevated-access/jump-grant-branch';

const SHOP_PROD = '555555555501';

/** A jump-only workflow: the vendors may request Power on Workloads/Prod, one approval by a jump lead. */
function jumpOnly(overrides: Partial<ElevatedAccessWorkflowProps> = {}, account = HOST_ACCOUNT) {
  const app = new App();
  const stack = new Stack(app, 'Access', { env: { account, region: 'eu-west-1' } });
  const props: ElevatedAccessWorkflowProps = {
    organization: exampleOrganization(),
    jumpAccess: jumpAccess(app, {
      approvers: [{ name: 'leads', jumpApprovers: [JumpPrincipal.group('jump-leads')], targets: PROD, permissionLevels: [PermissionLevel.power()] }],
    }),
    ...overrides,
  };
  return { app, stack, build: () => new ElevatedAccessWorkflow(stack, 'Workflow', props) };
}

function synthesized() {
  const { stack, build } = jumpOnly();
  const workflow = build();
  return { stack, workflow, template: Template.fromStack(stack) };
}
const { stack, workflow, template } = synthesized();

const actionsOf = (t: Template) => Object.values<any>({ ...t.findResources('AWS::IAM::Policy'), ...t.findResources('AWS::IAM::Role') })
  .flatMap((r) => [r.Properties.PolicyDocument, ...(r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)])
  .filter((d) => d !== undefined)
  .flatMap((d) => d.Statement.flatMap((s: any) => [s.Action].flat()));

describe('ElevatedAccessWorkflow jump-only (template)', () => {
  test('the definition has the jump branch only: no Identity Center task, Recheck goes straight to it', () => {
    // GIVEN
    const asl = definitionFromTemplate(stack);

    // THEN: no ssoadmin task, no Identity Center state, no choice between the two kinds
    const resources = Object.values<any>(asl.States).map((s) => String(s.Resource ?? ''));
    expect(resources.filter((r) => /ssoadmin|identitystore/.test(r))).toEqual([]);
    for (const s of ['Acquire', 'CreateAssignment', 'DeleteAssignment', 'GrantKind', 'CreateNeeded']) expect(asl.States[s]).toBeUndefined();
    expect(asl.States.Recheck.Next).toBe('JumpAcquire');
    // and the jump branch keeps its guarantee: every path after the grant reaches the revoke
    expect(escapeRoute(graphOf(asl), JUMP_GRANT_STATE, new Set([JUMP_REVOKE_STATE]))).toBeUndefined();
  });

  test('no sso:* or identitystore:* on any role, no Identity Center resource, no identity store in the handlers', () => {
    const actions = actionsOf(template);
    expect(actions).toContain('sts:AssumeRole'); // the policies were found
    expect(actions.filter((a) => /^(sso|identitystore):/.test(a))).toEqual([]);
    expect(actions).not.toContain('iam:GetRole'); // only needed to tell Identity Center roles from look-alikes
    expect(Object.keys(template.toJSON().Resources).filter((id) => /PermissionSet|requester-|approver-/.test(id))).toEqual([]);
    // (the stack's landing zone boundary names Identity Center to deny it; it is not the workflow's)
    const workflowResources = Object.values<any>(template.toJSON().Resources).filter((r) => r.Type !== 'AWS::IAM::ManagedPolicy');
    expect(JSON.stringify(workflowResources)).not.toMatch(/AWS::SSO::|identitystore|IDENTITY_STORE_ID|awsapps\.com/);
    expect(workflow.requesterPermissionSet).toBeUndefined();
    expect(workflow.approverPermissionSet).toBeUndefined();
    expect(workflow.jumpDeployment?.jumpAccountId).toBe(JUMP_ACCOUNT);
    expect(JSON.parse(workflow.configurationJson)).toMatchObject({ eligibility: [], permissionSets: {}, jump: { eligibility: [{ name: 'vendors-power' }] } });
  });

  test('an identityStoreId without any Identity Center use warns and grants nothing on it', () => {
    // GIVEN
    const { stack: s, build } = jumpOnly({ identityStoreId: IDENTITY_STORE_ID });

    // WHEN
    build();

    // THEN
    const warnings = Annotations.fromStack(s).findWarning('/Access/Workflow', Match.anyValue()).map((w) => String(w.entry.data));
    expect(warnings).toEqual([expect.stringMatching(/^identityStoreId 'd-1234567890' is not used: .*runs jump-only.*remove identityStoreId/)]);
    expect(actionsOf(Template.fromStack(s)).filter((a) => /^(sso|identitystore):/.test(a))).toEqual([]);
  });

  test('accessPermissionSets: true without Identity Center rules warns that it has no effect, and creates no permission set', () => {
    // GIVEN
    const given = jumpOnly({ accessPermissionSets: true });
    const unset = jumpOnly();

    // WHEN
    given.build();
    unset.build();

    // THEN
    const warnings = (s: Stack) => Annotations.fromStack(s).findWarning('/Access/Workflow', Match.anyValue()).map((w) => String(w.entry.data));
    expect(warnings(given.stack)).toEqual([expect.stringMatching(/^accessPermissionSets: true has no effect: the workflow has no Identity Center rules .*remove accessPermissionSets, or add eligibility rules \[ack: cdk-iam-landing-zone:elevatedAccessPermissionSetsUnused\]$/)]);
    expect(warnings(unset.stack)).toEqual([]);
    Template.fromStack(given.stack).resourceCountIs('AWS::SSO::PermissionSet', 0);
  });

  test('with Identity Center approvers of the jump rules and identityStoreId: identity store reads, still no sso:*', () => {
    const app = new App();
    const s = new Stack(app, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
    new ElevatedAccessWorkflow(s, 'Workflow', { organization: exampleOrganization(), identityStoreId: IDENTITY_STORE_ID, jumpAccess: jumpAccess(app) });
    const actions = actionsOf(Template.fromStack(s));
    expect(actions).toContain('identitystore:ListGroupMembershipsForMember');
    expect(actions.filter((a) => a.startsWith('sso:'))).toEqual([]);
    expect(definitionFromTemplate(s).States.Recheck.Next).toBe('JumpAcquire');
  });
});

describe('ElevatedAccessWorkflow jump-only fails at synth', () => {
  test('fails with neither Identity Center rules nor jumpAccess, naming both fields', () => {
    const { build } = jumpOnly({ jumpAccess: undefined });
    expect(build).toThrow(/eligibility: at least one eligibility rule is required, got none \(and no jumpAccess\): add Identity Center rules to eligibility \(with identityStoreId\), or jump users' rules to jumpAccess\.eligibility/);
  });

  test('fails for Identity Center rules without identityStoreId', () => {
    const { build } = jumpOnly({ eligibility: defaultProps().eligibility, approvers: defaultProps().approvers });
    expect(build).toThrow(/identityStoreId: Identity Center rules \(eligibility\) need the identity store id .* set identityStoreId/);
  });

  test('fails for Identity Center approvers of a jump rule without identityStoreId', () => {
    const app = new App();
    const host = new Stack(app, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
    // the fixture's jump rules: approved by a jump lead or an Identity Center lead
    const withIc = () => new ElevatedAccessWorkflow(host, 'Workflow', { organization: exampleOrganization(), jumpAccess: jumpAccess(app) });
    expect(jumpOnly().build).not.toThrow();
    expect(withIc).toThrow(/jumpAccess\.approvers\[0\]\.approvers: Identity Center approvers need identityStoreId .* name jump approvers only \(jumpApprovers\)/);
  });

  test('fails in the management account unless allowManagementAccountHost; any member account may host it', () => {
    const management = exampleOrganization().managementAccount.accountId;
    expect(jumpOnly({}, management).build).toThrow(/allowManagementAccountHost: the jump-only workflow's stack is in the management account/);
    expect(jumpOnly({ allowManagementAccountHost: true }, management).build).not.toThrow();
    // a workload account is not the Identity Center administrator: fine without Identity Center
    expect(jumpOnly({}, '555555555504').build).not.toThrow();
  });

  test('one round: an Identity Center mistake and a jump mistake are reported in one error', () => {
    // GIVEN: a 13-hour Identity Center rule and a jump rule naming an undeclared group
    const app = new App();
    const host = new Stack(app, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
    const rules = jumpAccess(app);
    const props = defaultProps({
      eligibility: [{ ...defaultProps().eligibility[0], maxDuration: Duration.hours(13) }],
      jumpAccess: { ...rules, eligibility: [{ ...rules.eligibility[0], principals: [JumpPrincipal.group('vendor-initech')] }] },
    });

    // WHEN
    let message = '';
    try {
      new ElevatedAccessWorkflow(host, 'Workflow', props);
    } catch (e) {
      message = (e as Error).message;
    }

    // THEN
    expect(message).toMatch(/^Access\/Workflow: 2 problems:/);
    expect(message).toMatch(/eligibility\['oncall-read-only'\]\.maxDuration: max duration must be between 1 minute and 12 hours/);
    expect(message).toMatch(/jumpAccess\.eligibility\[0\]\.principals\[0\]: jump group 'vendor-initech' is not a group of the jump account/);
    expect(READ_ONLY.permissionSetName).toBe('ProdReadOnly');
    expect(IdentityCenterPrincipal.group('x').describe()).toMatch(/x/);
  });
});

describe('ElevatedAccessWorkflow jump-only (synthesized definition, run locally through the API)', () => {
  let world: World;
  beforeEach(async () => {
    world = await World.create(stack);
    jumpSetup(world, stack);
    // as the template has it: no identity store, no portal
    delete process.env.IDENTITY_STORE_ID;
    delete process.env.ACCESS_PORTAL_URL;
  });
  afterEach(() => world.restore());

  const jumpUser = (name: string) => `arn:aws:iam::${JUMP_ACCOUNT}:user/${name}`;

  test('request -> approve by a jump lead -> grant -> expire, with no Identity Center call', async () => {
    // GIVEN: alice asks through the API; lee, a jump lead, approves
    const res = await callApi(jumpUser('acme-alice'), 'POST', '/requests', {
      body: { accountId: SHOP_PROD, permissionLevel: 'Power', durationMinutes: 60, justification: 'deploy the payment fix CHG-7' },
    });
    expect(res.status).toBe(201);
    const id = res.body.requestId;
    await world.waiting(id, 'APPROVAL');
    expect(await callApi(jumpUser('lead-lee'), 'POST', '/requests/{requestId}/approve', { requestId: id })).toMatchObject({ status: 200 });
    await world.waiting(id, 'END');
    const granted = [...(world.userPolicies.get('acme-alice')?.keys() ?? [])];

    // WHEN: the end time passes
    world.timeOut(id);
    await world.executions.get(id);

    // THEN
    expect(granted).toEqual([`${GRANT_POLICY_PREFIX}${id}`]);
    expect(world.userPolicies.get('acme-alice')?.size).toBe(0);
    expect(await world.request(id)).toMatchObject({ status: 'REVOKED' });
    expect(world.transitions(id)).toEqual(expect.arrayContaining(['GRANTED', 'REVOKED']));
    expect(world.trace.filter((t) => t.requestId === id).map((t) => t.state)).toEqual(expect.arrayContaining([JUMP_GRANT_STATE, JUMP_REVOKE_STATE]));
    expect(world.assignments.size).toBe(0);
  });

  test('an Identity Center session is refused: the workflow serves jump users only', async () => {
    const ic = `arn:aws:sts::${HOST_ACCOUNT}:assumed-role/AWSReservedSSO_lz-access-requester_0123456789abcdef/alice`;
    const res = await callApi(ic, 'GET', '/requests');
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/serves jump-account users only \(no Identity Center\)/);
  });
});
