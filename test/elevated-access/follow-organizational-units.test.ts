// followOrganizationalUnits: rules over OUs cover the accounts AWS Organizations places under them at each decision,
// accounts added after the synth included. The compiled configuration and the synth's refusals; the rules' decisions
// (pure code); the IAM grant evaluated with the simulator; and the whole workflow run locally (the synthesized state
// machine, the real handlers, Organizations mocked) for an account no model listed. Named after what must not happen.
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { defaultProps, EXAMPLE_PLACES, HOST_ACCOUNT, READ_ONLY, workflowStack } from './fixture';
import { OrganizationMock } from './organization-mock';
import { USERS, World } from './world';
import { AccountSelection, ElevatedAccessWorkflowProps, Organization } from '../../src';
import { resetParentsCache } from '../../src/elevated-access/handlers/organization-parents';
import type { AccessConfig } from '../../src/elevated-access/handlers/policy';
import { simulate, TemplatePolicies } from '../helpers/iam-sim';

const { root: ROOT, workloads: WORKLOADS, prod: PROD_OU, nonProd: NONPROD_OU, management: MANAGEMENT } = EXAMPLE_PLACES;
const { shopProd: PROD_SHOP, paymentsProd: PAYMENTS, later: LATER } = EXAMPLE_PLACES;
const FOLLOW: Partial<ElevatedAccessWorkflowProps> = { followOrganizationalUnits: true, assignmentsInAnyAccount: true };

function synth(overrides: Partial<ElevatedAccessWorkflowProps> = {}) {
  const { stack, workflow } = workflowStack({ ...FOLLOW, ...overrides });
  return { stack, workflow, config: JSON.parse(workflow.configurationJson) as AccessConfig };
}
const refusal = (overrides: Partial<ElevatedAccessWorkflowProps>) => {
  try {
    workflowStack(overrides);
  } catch (e) {
    return (e as Error).message;
  }
  return 'synthesized';
};

describe('followOrganizationalUnits: the compiled rules', () => {
  test('a rule over an OU stores the OU and the accounts it leaves out, not the accounts of the synth', () => {
    const { config } = synth({
      eligibility: [{ ...defaultProps().eligibility[0], targets: AccountSelection.organizationalUnits(['Workloads/Prod'], { excludeAccounts: ['payments-prod'] }) }],
    });
    expect(config.eligibility[0]).toMatchObject({
      accounts: [], organizationalUnits: [{ id: PROD_OU, recursive: true }], excludedAccounts: [PAYMENTS],
    });
    expect(config.approverRules[0]).toMatchObject({ accounts: [], organizationalUnits: [{ id: PROD_OU, recursive: true }], excludedAccounts: [] });
    // the management account and the host, wherever Organizations places them
    expect(config.refusedAccounts).toEqual([MANAGEMENT, HOST_ACCOUNT]);
  });

  test('all member accounts follow the root, minus the management, host and excluded accounts', () => {
    const all = AccountSelection.allMemberAccounts({ excludeAccounts: ['audit', 'sandbox-alice'] });
    const { config } = synth({
      eligibility: [{ ...defaultProps().eligibility[0], targets: all }],
      approvers: [{ ...defaultProps().approvers![0], targets: all }],
    });
    expect(config.eligibility[0].organizationalUnits).toEqual([{ id: ROOT, recursive: true }]);
    expect(config.eligibility[0].excludedAccounts).toEqual(expect.arrayContaining([MANAGEMENT, HOST_ACCOUNT, '333333333301']));
    expect(config.eligibility[0].excludedAccounts).not.toContain(PROD_SHOP);
  });

  test('targets by account or tag keep their accounts; without the flag nothing follows', () => {
    const byTag = AccountSelection.tagged('env', 'prod');
    const { config } = synth({
      eligibility: [{ ...defaultProps().eligibility[0], targets: byTag }],
      approvers: [{ ...defaultProps().approvers![0], targets: byTag }],
    });
    expect(config.eligibility[0].organizationalUnits).toBeUndefined();
    expect(config.eligibility[0].accounts).toEqual([PROD_SHOP, '555555555502', PAYMENTS]);
    const plain = JSON.parse(workflowStack().workflow.configurationJson) as AccessConfig;
    expect(plain.eligibility[0].organizationalUnits).toBeUndefined();
    expect(plain.refusedAccounts).toBeUndefined();
    expect(plain.eligibility[0].accounts).toEqual([PROD_SHOP, '555555555502', PAYMENTS]);
  });

  test('break-glass follows the rule, or its own OU targets', () => {
    const base = defaultProps().eligibility[1];
    const { config } = synth({
      eligibility: [{ ...base, breakGlass: { maxDuration: Duration.minutes(30) } }],
    });
    expect(config.eligibility[0].breakGlass).toMatchObject({
      accounts: [], organizationalUnits: [{ id: PROD_OU, recursive: true }], excludedAccounts: [],
    });
  });

  test('the synth warns, naming the field', () => {
    const { stack } = synth();
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('followOrganizationalUnits: rules over OUs cover the accounts AWS Organizations places'));
  });

  test('refused without assignmentsInAnyAccount, naming it', () => {
    expect(refusal({ followOrganizationalUnits: true })).toMatch(/followOrganizationalUnits: rules that follow OUs grant in accounts added later.*set assignmentsInAnyAccount: true/);
  });

  test('refused without the organization id', () => {
    const organization = new Organization({
      rootId: ROOT,
      managementAccount: { accountId: MANAGEMENT, name: 'management' },
      identityCenterAdminAccount: 'audit',
      organizationalUnits: [{ path: 'Security', ouId: 'ou-ex01-securit1' }, { path: 'Workloads', ouId: WORKLOADS }, { path: 'Workloads/Prod', ouId: PROD_OU }],
      accounts: [{ accountId: HOST_ACCOUNT, name: 'audit', organizationalUnit: 'Security' }, { accountId: PROD_SHOP, name: 'shop-prod', organizationalUnit: 'Workloads/Prod' }],
    });
    expect(refusal({ ...FOLLOW, organization }))
      .toMatch(/followOrganizationalUnits: .*set organizationId \(o-\.\.\.\) in the organization model/);
  });

  test('attack: a rule that follows an OU whose approvers do not follow it is refused (later accounts could not be approved)', () => {
    const message = refusal({
      ...FOLLOW,
      approvers: [{ ...defaultProps().approvers![0], targets: AccountSelection.accounts(['shop-prod', 'data-prod', 'payments-prod']) }],
    });
    expect(message).toMatch(/eligibility\['oncall-read-only'\]\.approval: the rule follows ou Workloads\/Prod \(recursive\)\/ProdReadOnly, but no approver rule follows an OU that covers it/);
  });

  test('approvers over an OU above the rule\'s cover it; a non-recursive one on the same OU does not cover a recursive rule', () => {
    const approvers = (targets: AccountSelection) => [{ ...defaultProps().approvers![0], targets }];
    expect(refusal({ ...FOLLOW, approvers: approvers(AccountSelection.organizationalUnits(['Workloads'])) })).toBe('synthesized');
    expect(refusal({ ...FOLLOW, approvers: approvers(AccountSelection.organizationalUnits(['Workloads/Prod'], { recursive: false })) }))
      .toMatch(/no approver rule follows an OU that covers it/);
  });
});

describe('followOrganizationalUnits: the handlers may read the organization, and only it (simulated)', () => {
  const { stack } = synth();
  const template = Template.fromStack(stack);
  const policies = new TemplatePolicies(template.toJSON(), { accountId: HOST_ACCOUNT, region: 'eu-west-1' });
  const roleId = (prefix: string) => Object.entries<any>(template.findResources('AWS::IAM::Role'))
    .find(([, r]) => String(r.Properties.RoleName).startsWith(prefix))![0];
  // Organizations authorizes a delegated administrator by its identity policies (no resource policy of the management
  // account is read for ListParents), so the request is evaluated as within the host account
  const call = (prefix: string, action: string, resource: string) => simulate({
    identityPolicies: policies.forRole(roleId(prefix)).identityPolicies,
  }, {
    principal: `arn:aws:iam::${HOST_ACCOUNT}:role/landing-zone/${prefix}x`, action, resource, resourceAccount: HOST_ACCOUNT,
  });
  const listParents = (prefix: string, resource: string) => call(prefix, 'organizations:ListParents', resource);

  test('the API and the step handler read the parents of an account and an OU of the organization', async () => {
    for (const prefix of ['lz-access-api-', 'lz-access-step-']) {
      expect((await listParents(prefix, `arn:aws:organizations::${MANAGEMENT}:account/o-ex01abcdef/${LATER}`)).decision).toBe('Allowed');
      expect((await listParents(prefix, `arn:aws:organizations::${MANAGEMENT}:ou/o-ex01abcdef/${PROD_OU}`)).decision).toBe('Allowed');
    }
  });

  test('attack: another organization\'s accounts, and every other Organizations call, are denied', async () => {
    expect((await listParents('lz-access-api-', `arn:aws:organizations::123456789012:account/o-zz99yy88xx/${LATER}`)).decision).toBe('ImplicitlyDenied');
    for (const action of ['organizations:MoveAccount', 'organizations:DescribeAccount', 'organizations:CloseAccount']) {
      expect((await call('lz-access-api-', action, `arn:aws:organizations::${MANAGEMENT}:account/o-ex01abcdef/${LATER}`)).decision).toBe('ImplicitlyDenied');
    }
  });

  test('without the flag no handler may call Organizations', () => {
    const plain = JSON.stringify(Template.fromStack(workflowStack().stack).toJSON());
    expect(plain).not.toContain('organizations:ListParents');
  });
});

describe('followOrganizationalUnits: an account added to Workloads/Prod after the synth (run locally)', () => {
  let stack: Stack;
  let world: World;
  const organizations = new OrganizationMock();
  const { placement, calls } = organizations;
  beforeAll(() => {
    stack = synth().stack;
  });
  beforeEach(async () => {
    world = await World.create(stack);
    resetParentsCache();
    organizations.reset();
    placement.set(LATER, [PROD_OU, WORKLOADS, ROOT]);
  });
  afterEach(() => world.restore());
  afterAll(() => organizations.restore());

  const body = (accountId: string = LATER) => ({ accountId, permissionSet: 'ProdReadOnly', durationMinutes: 60, justification: 'investigate INC-7 in the new account' });
  const keyOf = (account: string) => `${USERS.alice.id}|${READ_ONLY.permissionSetArn}|${account}`;

  test('requested, approved by a lead, granted and revoked: the parents read up to the root', async () => {
    const created = await world.call('alice', 'POST', '/requests', { body: body() });
    expect(created.status).toBe(201);
    const id = created.body.requestId;
    await world.waiting(id, 'APPROVAL');
    expect(calls.slice(0, 3)).toEqual([LATER, PROD_OU, WORKLOADS]);
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(200);
    await world.waiting(id, 'END');
    expect(world.assignments.has(keyOf(LATER))).toBe(true);
    world.timeOut(id);
    await world.executions.get(id);
    expect(world.assignments.size).toBe(0);
    expect(world.transitions(id)).toEqual(['REQUESTED', 'APPROVAL_RECORDED', 'APPROVED', 'GRANTED', 'REVOKED']);
  });

  test('attack: an account Organizations places elsewhere, or does not know, is refused', async () => {
    placement.set('444444444499', [NONPROD_OU, WORKLOADS, ROOT]);
    for (const account of ['444444444499', '123456789012']) {
      const r = await world.call('alice', 'POST', '/requests', { body: body(account) });
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(new RegExp(`no eligibility rule allows .* on account '${account}'`));
    }
    expect(world.assignments.size).toBe(0);
  });

  test('attack: the host account moved into Workloads/Prod is refused', async () => {
    placement.set(HOST_ACCOUNT, [PROD_OU, WORKLOADS, ROOT]);
    const r = await world.call('alice', 'POST', '/requests', { body: body(HOST_ACCOUNT) });
    expect(r.status).toBe(400);
  });

  test('attack: an account moved out of the OU after the approval is not granted (the Recheck reads Organizations again)', async () => {
    const id = (await world.call('alice', 'POST', '/requests', { body: body() })).body.requestId;
    await world.waiting(id, 'APPROVAL');
    placement.set(LATER, [NONPROD_OU, WORKLOADS, ROOT]);
    resetParentsCache(); // a minute later: the handlers keep what they read for a minute
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(403);
    // the lead is no approver for the account where it is now; the request never reaches the grant
    expect(world.assignments.size).toBe(0);
    expect((await world.request(id)).status).toBe('PENDING_APPROVAL');
  });

  test('attack: an account moved out between the approval and the grant is refused at the Recheck', async () => {
    world.beforeTask = async (state) => {
      if (state !== 'Recheck') return;
      placement.set(LATER, [NONPROD_OU, WORKLOADS, ROOT]);
      resetParentsCache();
    };
    const id = (await world.call('alice', 'POST', '/requests', { body: body() })).body.requestId;
    await world.waiting(id, 'APPROVAL');
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(200);
    await expect(world.executions.get(id)).rejects.toThrow(/no eligibility rule allows .* on account '555555555599'/);
    expect(world.assignments.size).toBe(0);
    expect(world.transitions(id)).not.toContain('GRANTED');
  });

  test('attack: Organizations failing after the grant neither keeps the grant nor stops the requester ending it', async () => {
    const id = (await world.call('alice', 'POST', '/requests', { body: body() })).body.requestId;
    await world.waiting(id, 'APPROVAL');
    expect((await world.call('bob', 'POST', '/requests/{requestId}/approve', { requestId: id })).status).toBe(200);
    await world.waiting(id, 'END');
    expect(world.assignments.has(keyOf(LATER))).toBe(true);
    organizations.fail();
    resetParentsCache();
    expect((await world.call('alice', 'GET', '/requests/{requestId}', { requestId: id })).status).toBe(200);
    expect((await world.call('alice', 'POST', '/requests/{requestId}/revoke', { requestId: id, body: { reason: 'done early' } })).status).toBe(202);
    await world.executions.get(id);
    expect(world.assignments.size).toBe(0);
    expect((await world.request(id)).status).toBe('REVOKED');
    // an approver's decision still needs Organizations: it fails instead of guessing
    expect((await world.call('bob', 'GET', '/requests/{requestId}', { requestId: id })).status).toBe(500);
  });

  test('a failed lookup fails the request; nothing is granted', async () => {
    organizations.fail();
    const r = await world.call('alice', 'POST', '/requests', { body: body() });
    expect(r.status).toBe(500);
    expect(world.assignments.size).toBe(0);
  });

  test('accounts the model lists are decided by Organizations too', async () => {
    placement.set(PROD_SHOP, [PROD_OU, WORKLOADS, ROOT]);
    expect((await world.call('alice', 'POST', '/requests', { body: body(PROD_SHOP) })).status).toBe(201);
    placement.set(PROD_SHOP, [NONPROD_OU, WORKLOADS, ROOT]);
    resetParentsCache();
    expect((await world.call('alice', 'POST', '/requests', { body: body(PROD_SHOP) })).status).toBe(400);
  });
});

describe('followOrganizationalUnits: the access report', () => {
  test('the rows of a rule that follows OUs say so; those of a rule that does not, do not', () => {
    const rows = synth().workflow.accessReportEntries();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.conditions).toMatch(/; follows ou:Workloads\/Prod \(recursive\) in AWS Organizations, accounts added later included$/);
    for (const row of workflowStack().workflow.accessReportEntries()) expect(row.conditions).not.toMatch(/follows/);
  });
});
