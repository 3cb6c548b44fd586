// followOrganizationalUnits, the decisions: which accounts a rule that follows OUs covers given where AWS
// Organizations places them (pure), how the parents are read (Organizations mocked), and what a selection of OUs leaves
// out at synth. Fast: StrykerJS runs these against each mutant.
import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { EXAMPLE_PLACES, HOST_ACCOUNT } from './ids';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import { AccountStatus } from '../../src';
import type { JumpAccessConfig } from '../../src/elevated-access/handlers/jump-grants';
import { configForAccounts, configForRequests, parentsOf, resetParentsCache } from '../../src/elevated-access/handlers/organization-parents';
import { AccessConfig, CompiledAccountScope, configFor, followsOrganizationalUnits, scopeCovers } from '../../src/elevated-access/handlers/policy';
import type { AccessRequest } from '../../src/elevated-access/handlers/store';
import { accountsLeftOut, organizationalUnitIds, scopeIncludes } from '../../src/plan/organizational-unit-scopes';

const { root: ROOT, workloads: WORKLOADS, prod: PROD_OU, nonProd: NONPROD_OU, management: MANAGEMENT } = EXAMPLE_PLACES;
const { shopProd: PROD_SHOP, paymentsProd: PAYMENTS, later: LATER } = EXAMPLE_PLACES;

describe('followOrganizationalUnits: the decisions (pure)', () => {
  const config = { refusedAccounts: [MANAGEMENT, HOST_ACCOUNT] } as AccessConfig;
  const scope: CompiledAccountScope = { accounts: [], organizationalUnits: [{ id: PROD_OU, recursive: true }], excludedAccounts: [PAYMENTS] };
  const flat: CompiledAccountScope = { accounts: [], organizationalUnits: [{ id: WORKLOADS, recursive: false }] };

  test('an account under the OU, directly or nested, is covered', () => {
    expect(scopeCovers(config, scope, LATER, [PROD_OU, WORKLOADS, ROOT])).toBe(true);
    expect(scopeCovers(config, scope, LATER, ['ou-ex01-team0001', PROD_OU, WORKLOADS, ROOT])).toBe(true);
  });

  test('attack: an account elsewhere, or with no parents read, is not covered', () => {
    expect(scopeCovers(config, scope, LATER, [NONPROD_OU, WORKLOADS, ROOT])).toBe(false);
    expect(scopeCovers(config, scope, LATER, undefined)).toBe(false);
    expect(scopeCovers(config, scope, LATER, [])).toBe(false);
  });

  test('attack: an account the selection left out, the management account or the host moved into the OU is not covered', () => {
    for (const id of [PAYMENTS, MANAGEMENT, HOST_ACCOUNT]) expect(scopeCovers(config, scope, id, [PROD_OU, WORKLOADS, ROOT])).toBe(false);
  });

  test('any one of several OUs covers', () => {
    const two: CompiledAccountScope = { accounts: [], organizationalUnits: [{ id: NONPROD_OU, recursive: true }, { id: PROD_OU, recursive: true }] };
    expect(scopeCovers(config, two, LATER, [PROD_OU, WORKLOADS, ROOT])).toBe(true);
  });

  test('a non-recursive OU covers its own accounts only', () => {
    expect(scopeCovers(config, flat, LATER, [WORKLOADS, ROOT])).toBe(true);
    expect(scopeCovers(config, flat, LATER, [PROD_OU, WORKLOADS, ROOT])).toBe(false);
  });

  test('a scope that does not follow OUs decides by its accounts alone', () => {
    expect(scopeCovers(config, { accounts: [PROD_SHOP] }, PROD_SHOP, undefined)).toBe(true);
    expect(scopeCovers(config, { accounts: [PROD_SHOP] }, LATER, [PROD_OU, ROOT])).toBe(false);
  });

  test('configFor lists exactly the covered accounts in every scope that follows OUs', () => {
    const full: AccessConfig = {
      ...config,
      eligibility: [{ ...scope, name: 'r', principals: [], permissionSets: [], maxDurationSeconds: 60, approvals: 1, justificationRequired: true, breakGlass: { ...flat, permissionSets: [], maxDurationSeconds: 60, reviewWithinSeconds: 3600 } }],
      approverRules: [{ ...scope, name: 'a', approvers: [], permissionSets: [] }, { name: 'fixed', approvers: [], permissionSets: [], accounts: [PROD_SHOP] }],
    } as unknown as AccessConfig;
    const parents = new Map([[LATER, [PROD_OU, WORKLOADS, ROOT]], ['444444444499', [NONPROD_OU, WORKLOADS, ROOT]], ['777777777799', [WORKLOADS, ROOT]]]);
    const resolved = configFor(full, parents);
    expect(resolved.eligibility[0].accounts).toEqual([LATER]);
    expect(resolved.eligibility[0].breakGlass!.accounts).toEqual(['777777777799']);
    expect(resolved.approverRules.map((r) => r.accounts)).toEqual([[LATER], [PROD_SHOP]]);
  });
});


describe('followOrganizationalUnits: reading the parents (Organizations mocked)', () => {
  const organizations = mockClient(OrganizationsClient);
  const parents: Record<string, { Id?: string; Type?: string } | undefined> = {};
  beforeEach(() => {
    resetParentsCache();
    organizations.reset();
    for (const k of Object.keys(parents)) delete parents[k];
    Object.assign(parents, {
      [LATER]: { Id: PROD_OU, Type: 'ORGANIZATIONAL_UNIT' },
      [PROD_OU]: { Id: WORKLOADS, Type: 'ORGANIZATIONAL_UNIT' },
      [WORKLOADS]: { Id: ROOT, Type: 'ROOT' },
    });
    organizations.on(ListParentsCommand).callsFake(async ({ ChildId }: { ChildId: string }) => {
      if (!(ChildId in parents)) throw Object.assign(new Error('not found'), { name: 'ChildNotFoundException' });
      return { Parents: parents[ChildId] ? [parents[ChildId]] : [] };
    });
  });
  afterAll(() => organizations.restore());

  test('the parents up to the root, innermost first', async () => {
    expect(await parentsOf(LATER)).toEqual([PROD_OU, WORKLOADS, ROOT]);
    expect(organizations.commandCalls(ListParentsCommand).map((c) => c.args[0].input.ChildId)).toEqual([LATER, PROD_OU, WORKLOADS]);
  });

  test('attack: an answer with no list of parents fails the decision', async () => {
    organizations.on(ListParentsCommand).resolves({});
    await expect(parentsOf(LATER)).rejects.toThrow(`AWS Organizations named no parent of ${LATER}`);
  });

  test('an account the organization does not know has no parents', async () => {
    expect(await parentsOf('123456789012')).toBeUndefined();
  });

  test('attack: any other error fails the decision instead of guessing', async () => {
    organizations.on(ListParentsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(parentsOf(LATER)).rejects.toThrow('denied');
  });

  test('attack: an answer without a parent fails the decision', async () => {
    parents[LATER] = undefined;
    await expect(parentsOf(LATER)).rejects.toThrow(`AWS Organizations named no parent of ${LATER}`);
    resetParentsCache();
    parents[LATER] = { Type: 'ORGANIZATIONAL_UNIT' };
    await expect(parentsOf(LATER)).rejects.toThrow(`AWS Organizations named no parent of ${LATER}`);
  });

  test('attack: a chain that never reaches the root is refused after the deepest nesting Organizations allows', async () => {
    // six OUs, each the parent of the one before: deeper than Organizations allows, so never trusted
    const chain = ['ou-ex01-l0000001', 'ou-ex01-l0000002', 'ou-ex01-l0000003', 'ou-ex01-l0000004', 'ou-ex01-l0000005', 'ou-ex01-l0000006'];
    parents[LATER] = { Id: chain[0], Type: 'ORGANIZATIONAL_UNIT' };
    chain.forEach((ou, i) => { parents[ou] = { Id: chain[i + 1] ?? 'ou-ex01-l0000007', Type: 'ORGANIZATIONAL_UNIT' }; });
    await expect(parentsOf(LATER)).rejects.toThrow(/nested deeper than 5 OUs/);
    expect(organizations.commandCalls(ListParentsCommand)).toHaveLength(6);
  });

  test('five OUs deep under the root is read in full', async () => {
    const chain = ['ou-ex01-l0000001', 'ou-ex01-l0000002', 'ou-ex01-l0000003', 'ou-ex01-l0000004', 'ou-ex01-l0000005'];
    parents[LATER] = { Id: chain[0], Type: 'ORGANIZATIONAL_UNIT' };
    chain.forEach((ou, i) => { parents[ou] = chain[i + 1] ? { Id: chain[i + 1], Type: 'ORGANIZATIONAL_UNIT' } : { Id: ROOT, Type: 'ROOT' }; });
    expect(await parentsOf(LATER)).toEqual([...chain, ROOT]);
  });

  test('kept for a minute, then read again', async () => {
    const t = 1_000_000;
    await parentsOf(LATER, t);
    parents[LATER] = { Id: NONPROD_OU, Type: 'ORGANIZATIONAL_UNIT' };
    parents[NONPROD_OU] = { Id: WORKLOADS, Type: 'ORGANIZATIONAL_UNIT' };
    expect(await parentsOf(LATER, t + 59_999)).toEqual([PROD_OU, WORKLOADS, ROOT]);
    expect(await parentsOf(LATER, t + 60_000)).toEqual([NONPROD_OU, WORKLOADS, ROOT]);
  });

  const following: AccessConfig = {
    version: 1,
    pendingExpirySeconds: 300,
    maxScheduleAheadSeconds: 0,
    permissionSets: {},
    eligibility: [{ name: 'r', principals: [], accounts: [], organizationalUnits: [{ id: PROD_OU, recursive: true }], permissionSets: [], maxDurationSeconds: 60, approvals: 0, justificationRequired: false }],
    approverRules: [],
  };

  test('the configuration for accounts: each read once, unknown ones covered by nothing', async () => {
    const c = await configForAccounts(following, [LATER, LATER, '123456789012']);
    expect(c.eligibility[0].accounts).toEqual([LATER]);
    expect(organizations.commandCalls(ListParentsCommand).filter((x) => x.args[0].input.ChildId === LATER)).toHaveLength(1);
  });

  test('attack: the host account is refused even when the synth did not know its id', async () => {
    parents[HOST_ACCOUNT] = { Id: PROD_OU, Type: 'ORGANIZATIONAL_UNIT' };
    const before = process.env.CALLER_ACCOUNT;
    process.env.CALLER_ACCOUNT = HOST_ACCOUNT;
    try {
      expect((await configForAccounts(following, [HOST_ACCOUNT, LATER])).eligibility[0].accounts).toEqual([LATER]);
      delete process.env.CALLER_ACCOUNT;
      expect((await configForAccounts(following, [HOST_ACCOUNT])).eligibility[0].accounts).toEqual([HOST_ACCOUNT]);
    } finally {
      if (before === undefined) delete process.env.CALLER_ACCOUNT; else process.env.CALLER_ACCOUNT = before;
    }
  });

  test('nothing is read when no rule follows OUs', async () => {
    const fixed = { ...following, eligibility: [{ ...following.eligibility[0], organizationalUnits: undefined, accounts: [PROD_SHOP] }] };
    expect(await configForAccounts(fixed, [LATER])).toBe(fixed);
    expect(organizations.commandCalls(ListParentsCommand)).toHaveLength(0);
  });

  test('the accounts of requests are read, a jump request\'s too', async () => {
    expect((await configForRequests(following, [{ accountId: LATER } as AccessRequest])).eligibility[0].accounts).toEqual([LATER]);
    resetParentsCache();
    organizations.resetHistory();
    const jumpRequest = { accountId: LATER, grantKind: 'JUMP' } as AccessRequest;
    expect((await configForRequests(following, [jumpRequest])).eligibility[0].accounts).toEqual([LATER]);
    expect(organizations.commandCalls(ListParentsCommand).map((c) => c.args[0].input.ChildId)).toEqual([LATER, PROD_OU, WORKLOADS]);
  });

  test('attack: the host account placed under a followed OU is refused to the jump rules too', async () => {
    parents[HOST_ACCOUNT] = { Id: PROD_OU, Type: 'ORGANIZATIONAL_UNIT' };
    const jumpFollowing: AccessConfig = { ...following, eligibility: [], jump: jumpConfig([]) };
    const before = process.env.CALLER_ACCOUNT;
    process.env.CALLER_ACCOUNT = HOST_ACCOUNT;
    try {
      const c = await configForAccounts(jumpFollowing, [HOST_ACCOUNT, LATER]);
      expect(c.jump!.eligibility[0].accounts).toEqual([LATER]);
      expect(c.jump!.approverRules[0].accounts).toEqual([LATER]);
    } finally {
      if (before === undefined) delete process.env.CALLER_ACCOUNT; else process.env.CALLER_ACCOUNT = before;
    }
  });
});

const JUMP_ACCOUNT = '111111111111';
/** Jump rules whose eligibility and approvers follow Workloads/Prod (stored as the construct stores them: no accounts). */
function jumpConfig(excludedAccounts: string[]): JumpAccessConfig {
  const ou = { accounts: [], organizationalUnits: [{ id: PROD_OU, recursive: true }], excludedAccounts };
  return {
    jumpAccountId: JUMP_ACCOUNT,
    partition: 'aws',
    elevatedSessionSeconds: 3600,
    eligibility: [
      { name: 'vendors', principals: [{ type: 'GROUP', name: 'vendors' }], roles: ['lz-elevated-power'], maxDurationSeconds: 3600, approvals: 1, justificationRequired: false, ...ou },
      { name: 'fixed', principals: [{ type: 'GROUP', name: 'vendors' }], accounts: [PROD_SHOP], roles: ['lz-elevated-power'], maxDurationSeconds: 3600, approvals: 1, justificationRequired: false },
    ],
    approverRules: [{ name: 'leads', jumpApprovers: [{ type: 'GROUP', name: 'leads' }], identityCenterApprovers: [], roles: ['lz-elevated-power'], ...ou }],
  };
}

describe('followOrganizationalUnits: the jump rules (pure)', () => {
  const base: AccessConfig = {
    version: 1,
    pendingExpirySeconds: 300,
    maxScheduleAheadSeconds: 0,
    permissionSets: {},
    eligibility: [],
    approverRules: [],
    refusedAccounts: [MANAGEMENT, HOST_ACCOUNT],
  };
  const underProd = [PROD_OU, WORKLOADS, ROOT];

  test('configFor lists exactly the covered accounts in the jump rules that follow OUs, directly or nested', () => {
    const nested = '555555555598';
    const parents = new Map([[LATER, underProd], [nested, ['ou-ex01-team0001', ...underProd]], ['444444444499', [NONPROD_OU, WORKLOADS, ROOT]]]);
    const resolved = configFor({ ...base, jump: jumpConfig([]) }, parents);
    expect(resolved.jump!.eligibility.map((r) => r.accounts)).toEqual([[LATER, nested], [PROD_SHOP]]);
    expect(resolved.jump!.approverRules[0].accounts).toEqual([LATER, nested]);
    // the rest of the jump configuration is kept
    expect(resolved.jump).toMatchObject({ jumpAccountId: JUMP_ACCOUNT, partition: 'aws', elevatedSessionSeconds: 3600 });
    expect(resolved.jump!.eligibility[0]).toMatchObject({ name: 'vendors', roles: ['lz-elevated-power'], approvals: 1 });
  });

  test('attack: the jump account, the management and host accounts and an excluded account placed under the OU are not covered by the jump rules', () => {
    const parents = new Map([JUMP_ACCOUNT, MANAGEMENT, HOST_ACCOUNT, PAYMENTS, LATER].map((id) => [id, underProd]));
    const resolved = configFor({ ...base, jump: jumpConfig([PAYMENTS]) }, parents);
    expect(resolved.jump!.eligibility[0].accounts).toEqual([LATER]);
    expect(resolved.jump!.approverRules[0].accounts).toEqual([LATER]);
  });

  test('attack: without the parents read, a jump rule that follows OUs covers nothing', () => {
    const resolved = configFor({ ...base, jump: jumpConfig([]) }, new Map());
    expect(resolved.jump!.eligibility[0].accounts).toEqual([]);
    expect(resolved.jump!.approverRules[0].accounts).toEqual([]);
  });

  test('the jump account is refused to the jump rules only: the Identity Center rules keep their own refusals', () => {
    const ic = { name: 'r', principals: [], permissionSets: [], maxDurationSeconds: 60, approvals: 0, justificationRequired: false, accounts: [], organizationalUnits: [{ id: PROD_OU, recursive: true }] };
    const config: AccessConfig = { ...base, eligibility: [ic], jump: jumpConfig([]) };
    const resolved = configFor(config, new Map([[JUMP_ACCOUNT, underProd]]));
    expect(resolved.eligibility[0].accounts).toEqual([JUMP_ACCOUNT]);
    expect(resolved.jump!.eligibility[0].accounts).toEqual([]);
    expect(resolved.refusedAccounts).toEqual([MANAGEMENT, HOST_ACCOUNT]);
  });

  test('without refusedAccounts the jump account is still refused to the jump rules', () => {
    const { refusedAccounts, ...noRefusals } = base;
    void refusedAccounts;
    const resolved = configFor({ ...noRefusals, jump: jumpConfig([]) }, new Map([[JUMP_ACCOUNT, underProd], [MANAGEMENT, underProd]]));
    expect(resolved.jump!.eligibility[0].accounts).toEqual([MANAGEMENT]);
  });

  test('a configuration without jump rules gets none', () => {
    expect(configFor(base, new Map([[LATER, underProd]]))).not.toHaveProperty('jump');
  });

  test('followsOrganizationalUnits: a jump eligibility or approver rule that follows', () => {
    const following = jumpConfig([]);
    const fixed = { ...following.eligibility[1] };
    const fixedApprovers = { ...following.approverRules[0], organizationalUnits: undefined, accounts: [PROD_SHOP] };
    const jump = (eligibility: JumpAccessConfig['eligibility'], approverRules: JumpAccessConfig['approverRules']) => ({ ...base, jump: { ...following, eligibility, approverRules } });
    expect(followsOrganizationalUnits(jump([fixed], [fixedApprovers]))).toBe(false);
    expect(followsOrganizationalUnits(jump([following.eligibility[0]], [fixedApprovers]))).toBe(true);
    expect(followsOrganizationalUnits(jump([fixed], following.approverRules))).toBe(true);
  });
});

describe('followOrganizationalUnits: what a selection of OUs leaves out at synth', () => {
  const org = exampleOrganization([{ accountId: '555555555504', name: 'closed-prod', organizationalUnit: 'Workloads/Prod', status: AccountStatus.SUSPENDED }]);
  const scope = (path: string, recursive = true) => ({ path, recursive });

  test('the accounts under the OUs the selection did not pick: excluded and not active', () => {
    expect(accountsLeftOut(org, [scope('Workloads/Prod')], [PROD_SHOP, '555555555502'])).toEqual([PAYMENTS, '555555555504']);
    expect(accountsLeftOut(org, [scope('Workloads', false)], [])).toEqual(['777777777701']);
    expect(accountsLeftOut(org, [scope('Workloads')], [])).toContain('444444444401');
  });

  test('any of several OUs; sorted by account id, whatever the model\'s order', () => {
    const more = exampleOrganization([{ accountId: '555555555500', name: 'new-prod', organizationalUnit: 'Workloads/Prod' }]);
    expect(accountsLeftOut(more, [scope('Sandbox'), scope('Workloads/Prod')], [PROD_SHOP, '555555555502']))
      .toEqual(['333333333301', '333333333302', '555555555500', PAYMENTS]);
  });

  test('the root without nested OUs: the accounts outside every OU, the management account among them', () => {
    expect(accountsLeftOut(org, [scope('', false)], [])).toEqual([MANAGEMENT]);
  });

  test('the management account is left out under the root, wherever the model keeps it', () => {
    expect(accountsLeftOut(org, [scope('')], [PROD_SHOP])).toContain(MANAGEMENT);
    expect(accountsLeftOut(org, [scope('Workloads/Prod')], [])).not.toContain(MANAGEMENT);
  });

  test('scopeIncludes: recursive covers the OU and below, not a sibling that shares a prefix', () => {
    expect(scopeIncludes(scope('Workloads'), 'Workloads')).toBe(true);
    expect(scopeIncludes(scope('Workloads'), 'Workloads/Prod')).toBe(true);
    expect(scopeIncludes(scope('Workloads'), 'WorkloadsLegacy')).toBe(false);
    expect(scopeIncludes(scope('Workloads', false), 'Workloads/Prod')).toBe(false);
    expect(scopeIncludes(scope('Workloads', false), 'Workloads')).toBe(true);
    expect(scopeIncludes(scope(''), 'Sandbox')).toBe(true);
    expect(scopeIncludes(scope('', false), 'Sandbox')).toBe(false);
    expect(scopeIncludes(scope('', false), '')).toBe(true);
  });

  test('organizationalUnitIds: outermost first, none for the root', () => {
    expect(organizationalUnitIds(org, 'Workloads/Prod')).toEqual([WORKLOADS, PROD_OU]);
    expect(organizationalUnitIds(org, '')).toEqual([]);
  });

  test('followsOrganizationalUnits: any rule, break-glass or approver rule that follows', () => {
    const base: AccessConfig = {
      version: 1, pendingExpirySeconds: 300, maxScheduleAheadSeconds: 0, permissionSets: {}, eligibility: [], approverRules: [],
    };
    const ou = { accounts: [], organizationalUnits: [{ id: PROD_OU, recursive: true }] };
    const rule = { name: 'r', principals: [], accounts: [PROD_SHOP], permissionSets: [], maxDurationSeconds: 60, approvals: 0, justificationRequired: false };
    expect(followsOrganizationalUnits(base)).toBe(false);
    expect(followsOrganizationalUnits({ ...base, eligibility: [rule] })).toBe(false);
    expect(followsOrganizationalUnits({ ...base, eligibility: [{ ...rule, ...ou }] })).toBe(true);
    const breakGlass = { ...ou, permissionSets: [], maxDurationSeconds: 60, reviewWithinSeconds: 3600 };
    expect(followsOrganizationalUnits({ ...base, eligibility: [{ ...rule, breakGlass }] })).toBe(true);
    expect(followsOrganizationalUnits({ ...base, approverRules: [{ name: 'a', approvers: [], permissionSets: [], ...ou }] })).toBe(true);
  });
});
