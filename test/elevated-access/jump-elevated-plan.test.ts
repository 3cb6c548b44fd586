// The jump elevated-access rules: compiled into what the handlers enforce, refused at synth with the field named.
import { Duration, Lazy } from 'aws-cdk-lib';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import { AccountSelection, ApprovalRequirement, IdentityCenterPrincipal, JumpPrincipal, Organization, PermissionLevel } from '../../src';
import { evaluateJumpRequest, isJumpApprover, jumpApprovalsStillValid } from '../../src/elevated-access/handlers/jump-grants';
import { planJumpAccount } from '../../src/plan/jump-account-plan';
import { JumpElevatedIntent, planJumpElevated } from '../../src/plan/jump-elevated-plan';
import { Problems } from '../../src/private/validation';

const PROD = AccountSelection.organizationalUnits(['Workloads/Prod']);
const LEADS = '9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-000000000002';

function intent(overrides: Partial<JumpElevatedIntent> = {}): JumpElevatedIntent {
  return {
    organization: exampleOrganization(),
    jumpAccountId: '111111111111',
    hostAccount: '222222222202',
    groups: [{ groupName: 'vendor-acme', targets: [] }, { groupName: 'vendor-globex', targets: [] }, { groupName: 'jump-leads', targets: [] }],
    users: [{ userName: 'acme-alice', groups: ['vendor-acme'] }, { userName: 'globex-bob', groups: ['vendor-globex'] }, { userName: 'lead-lee', groups: ['jump-leads'] }],
    eligibility: [{
      principals: [JumpPrincipal.group('vendor-acme'), JumpPrincipal.group('vendor-globex')],
      targets: PROD,
      permissionLevels: [PermissionLevel.power()],
      maxDuration: Duration.hours(2),
    }],
    approvers: [{ jumpApprovers: [JumpPrincipal.group('jump-leads')], approvers: [IdentityCenterPrincipal.group(LEADS)], targets: PROD, permissionLevels: [PermissionLevel.power()] }],
    ...overrides,
  };
}

function plan(i: JumpElevatedIntent) {
  const problems = new Problems('Test');
  const p = planJumpElevated(problems, i);
  return { plan: p, problems: problems.messages };
}

describe('planJumpElevated', () => {
  test('revokersByOrganization: the revokers of the model\'s organization, only when asked, and only with its id', () => {
    // GIVEN
    const noId = Object.create(exampleOrganization(), { organizationId: { value: undefined } });

    // WHEN
    const asked = plan(intent({ revokersByOrganization: true }));
    const unasked = [plan(intent()), plan(intent({ revokersByOrganization: false })), plan(intent({ organization: noId }))];
    const without = plan(intent({ revokersByOrganization: true, organization: noId }));

    // THEN
    expect(asked).toMatchObject({ problems: [], plan: { revokerOrganizationId: 'o-ex01abcdef' } });
    for (const u of unasked) expect(u).toMatchObject({ problems: [], plan: { revokerOrganizationId: undefined } });
    expect(without.problems).toEqual(['revokersByOrganization: the organization model has no organizationId, which the grant to assume the revokers compares (aws:ResourceOrgID): set organizationId (o-...) in the model, or leave revokersByOrganization unset']);
    expect(without.plan.revokerOrganizationId).toBeUndefined();
  });

  test('compiles the rules: every Prod account gets lz-elevated-power, one approval by default, justification required', () => {
    // WHEN
    const { plan: p, problems } = plan(intent());

    // THEN
    expect(problems).toEqual([]);
    expect([...p.rolesByAccount]).toEqual([['555555555501', ['lz-elevated-power']], ['555555555502', ['lz-elevated-power']], ['555555555503', ['lz-elevated-power']]]);
    expect(p.config.eligibility[0]).toEqual(expect.objectContaining({ approvals: 1, maxDurationSeconds: 7200, justificationRequired: true, roles: ['lz-elevated-power'] }));
    expect(p.config.elevatedSessionSeconds).toBe(3600);
  });

  test('a request is held to the rule: duration, justification, and only the named groups', () => {
    // GIVEN
    const { config } = plan(intent()).plan;
    const ask = { userName: 'acme-alice', groups: ['vendor-acme'], accountId: '555555555501', roleName: 'lz-elevated-power', durationSeconds: 7200, justification: 'CHG-42 deploy the fix' };

    // WHEN
    const ok = evaluateJumpRequest(config, ask);

    // THEN
    expect(ok.approvals).toBe(1);
    expect(() => evaluateJumpRequest(config, { ...ask, durationSeconds: 7201 })).toThrow(/exceeds the maximum of 7200s/);
    expect(() => evaluateJumpRequest(config, { ...ask, justification: 'x' })).toThrow(/justification/);
    expect(() => evaluateJumpRequest(config, { ...ask, groups: [] })).toThrow(/no eligibility rule allows jump user 'acme-alice'/);
    expect(() => evaluateJumpRequest(config, { ...ask, accountId: '444444444401' })).toThrow(/no eligibility rule/);
  });

  test('approvers: jump users and Identity Center principals count, the requester never', () => {
    // GIVEN
    const { config } = plan(intent({
      approvers: [{ jumpApprovers: [JumpPrincipal.group('vendor-globex'), JumpPrincipal.group('vendor-acme')], approvers: [IdentityCenterPrincipal.group(LEADS)], targets: PROD, permissionLevels: [PermissionLevel.power()] }],
    })).plan;
    const where = ['555555555501', 'lz-elevated-power'] as const;

    // WHEN
    const valid = jumpApprovalsStillValid(config, 'acme-alice', ...where, [
      { kind: 'JUMP', id: 'acme-alice', groups: ['vendor-acme'] },
      { kind: 'JUMP', id: 'globex-bob', groups: ['vendor-globex'] },
      { kind: 'JUMP', id: 'GLOBEX-BOB', groups: ['vendor-globex'] },
      { kind: 'IDENTITY_CENTER', id: 'u-1', groups: [LEADS] },
      { kind: 'JUMP', id: 'left-the-group', groups: [] },
    ]);

    // THEN
    expect(valid).toEqual(['JUMP:globex-bob', 'IDENTITY_CENTER:u-1']);
    expect(isJumpApprover(config, { kind: 'IDENTITY_CENTER', id: 'u-2', groups: [] }, ...where)).toBe(false);
  });

  test('refuses unknown jump principals, the jump, host and management accounts, bad durations and quorums, naming the field', () => {
    // WHEN
    const { problems } = plan(intent({
      eligibility: [{
        principals: [JumpPrincipal.group('vendor-initech'), JumpPrincipal.user('nobody')],
        targets: AccountSelection.accounts(['jump', 'audit', 'management', 'shop-prod']),
        permissionLevels: [PermissionLevel.power(), PermissionLevel.power()],
        maxDuration: Duration.hours(13),
        approval: ApprovalRequirement.quorum(11),
        ticketPattern: '(',
      }],
    }));

    // THEN
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^jumpEligibility\[0\]\.principals\[0\]: jump group 'vendor-initech' is not a group of the jump account; expected one of vendor-acme/),
      expect.stringMatching(/^jumpEligibility\[0\]\.principals\[1\]: jump user 'nobody' is not a user/),
      expect.stringMatching(/^jumpEligibility\[0\]\.targets: .* includes jump 111111111111, the jump account/),
      expect.stringMatching(/^jumpEligibility\[0\]\.targets: .* includes audit 222222222202, which hosts the workflow/),
      expect.stringMatching(/^jumpEligibility\[0\]\.targets: .* includes management 000000000000, the management account/),
      'jumpEligibility[0].permissionLevels: a permission level is listed twice',
      'jumpEligibility[0].maxDuration: max duration must be between 1 minute and 12 hours, got 13 hours',
      expect.stringMatching(/^jumpEligibility\[0\]\.approval: quorum must be a whole number of 2-10/),
      expect.stringMatching(/^jumpEligibility\[0\]\.ticketPattern: ticket pattern '\(' is not a valid regular expression/),
    ]));
  });

  test('refuses approval that nobody but the requesters can give, or that no approver rule covers', () => {
    // WHEN
    const selfOnly = plan(intent({ approvers: [{ jumpApprovers: [JumpPrincipal.group('vendor-acme'), JumpPrincipal.group('vendor-globex')], targets: PROD, permissionLevels: [PermissionLevel.power()] }] }));
    const uncovered = plan(intent({ approvers: [] }));
    const short = plan(intent({ eligibility: [{ ...intent().eligibility[0], approval: ApprovalRequirement.quorum(2) }], approvers: [{ jumpApprovers: [JumpPrincipal.user('lead-lee')], targets: PROD, permissionLevels: [PermissionLevel.power()] }] }));
    const none = plan(intent({ eligibility: [{ ...intent().eligibility[0], approval: ApprovalRequirement.none() }], approvers: [] }));

    // THEN
    expect(selfOnly.problems).toEqual([expect.stringMatching(/^jumpEligibility\[0\]\.approval: the only approvers of 555555555501\/lz-elevated-power.* are the requesting groups themselves/)]);
    expect(uncovered.problems).toEqual([expect.stringMatching(/^jumpEligibility\[0\]\.approval: 1 approval\(s\) required but no jump approver rule covers/)]);
    expect(short.problems).toEqual([expect.stringMatching(/^jumpEligibility\[0\]\.approval: a quorum of 2 distinct approvers besides the requester cannot be reached/)]);
    expect(none.problems).toEqual([]);
  });

  test('a jump group may not target an elevated role: its standing access would never end', () => {
    // GIVEN
    const problems = new Problems('Test');

    // WHEN
    planJumpAccount(problems, {
      organization: exampleOrganization(),
      groups: [{ groupName: 'vendor-acme', targets: [{ accounts: PROD, roleNames: ['lz-elevated-power'] }] }],
      users: [],
    } as any);

    // THEN
    expect(problems.messages).toEqual(expect.arrayContaining([expect.stringMatching(/^groups\[0\]\.targets\[0\]\.roleNames\[0\]: role 'lz-elevated-power' is an elevated role/)]));
  });
});

describe('planJumpElevated: the compiled configuration and every refusal', () => {
  const SHOP = '555555555501';
  const DATA = '555555555502';
  const PAY = '555555555503';
  const rule = intent().eligibility[0];
  const leadsRule = intent().approvers[0];

  test('compiles exactly: names, principals, accounts, roles, approvals, partition; levels and roles come from eligibility only', () => {
    // WHEN
    const { plan: p, problems } = plan(intent({
      partition: 'aws-us-gov',
      eligibility: [
        { ...rule, name: 'vendors', ticketPattern: '^CHG-[0-9]+$', justificationRequired: false, approval: ApprovalRequirement.quorum(2) },
        { principals: [JumpPrincipal.user('lead-lee')], targets: AccountSelection.accounts(['shop-prod']), permissionLevels: [PermissionLevel.admin(), PermissionLevel.power()], maxDuration: Duration.minutes(30), approval: ApprovalRequirement.none() },
      ],
      approvers: [
        { jumpApprovers: [JumpPrincipal.group('jump-leads')], approvers: [IdentityCenterPrincipal.group(LEADS), IdentityCenterPrincipal.user(LEADS)], targets: PROD, permissionLevels: [PermissionLevel.power(), PermissionLevel.readOnly()] },
        { name: 'named', jumpApprovers: [JumpPrincipal.user('lead-lee')], targets: AccountSelection.accounts(['data-prod']), permissionLevels: [PermissionLevel.power()] },
      ],
    }));

    // THEN
    expect(problems).toEqual([]);
    expect(p.config).toEqual({
      jumpAccountId: '111111111111',
      partition: 'aws-us-gov',
      elevatedSessionSeconds: 3600,
      eligibility: [
        {
          name: 'vendors',
          principals: [{ type: 'GROUP', name: 'vendor-acme' }, { type: 'GROUP', name: 'vendor-globex' }],
          accounts: [SHOP, DATA, PAY],
          roles: ['lz-elevated-power'],
          maxDurationSeconds: 7200,
          approvals: 2,
          ticketPattern: '^CHG-[0-9]+$',
          justificationRequired: false,
        },
        {
          name: 'jumpEligibility[1]',
          principals: [{ type: 'USER', name: 'lead-lee' }],
          accounts: [SHOP],
          roles: ['lz-elevated-admin', 'lz-elevated-power'],
          maxDurationSeconds: 1800,
          approvals: 0,
          ticketPattern: undefined,
          justificationRequired: true,
        },
      ],
      approverRules: [
        {
          name: 'jumpApprovers[0]',
          jumpApprovers: [{ type: 'GROUP', name: 'jump-leads' }],
          identityCenterApprovers: [{ type: 'GROUP', id: LEADS }, { type: 'USER', id: LEADS }],
          accounts: [SHOP, DATA, PAY],
          roles: ['lz-elevated-power', 'lz-elevated-read-only'],
        },
        { name: 'named', jumpApprovers: [{ type: 'USER', name: 'lead-lee' }], identityCenterApprovers: [], accounts: [DATA], roles: ['lz-elevated-power'] },
      ],
    });
    // read-only is only approved, never granted: no rule gives it, so no account deploys it
    expect([...p.levels.keys()]).toEqual(['lz-elevated-power', 'lz-elevated-admin']);
    expect(p.levels.get('lz-elevated-admin')).toEqual(PermissionLevel.admin());
    expect([...p.rolesByAccount]).toEqual([[SHOP, ['lz-elevated-admin', 'lz-elevated-power']], [DATA, ['lz-elevated-power']], [PAY, ['lz-elevated-power']]]);
  });

  test('durations of 1 minute to 12 hours and quorums of 2 to 10 pass; one outside does not', () => {
    // GIVEN
    const leads = { ...leadsRule, approvers: [], jumpApprovers: [JumpPrincipal.group('jump-leads')] };
    const problemsOf = (over: Partial<JumpElevatedIntent['eligibility'][number]>) => plan(intent({ eligibility: [{ ...rule, ...over }], approvers: [leads] })).problems;

    // THEN
    expect(problemsOf({ maxDuration: Duration.minutes(1) })).toEqual([]);
    expect(problemsOf({ maxDuration: Duration.hours(12) })).toEqual([]);
    expect(problemsOf({ maxDuration: Duration.seconds(59) })).toEqual(['jumpEligibility[0].maxDuration: max duration must be between 1 minute and 12 hours, got 59 seconds']);
    expect(problemsOf({ maxDuration: Duration.seconds(12 * 3600 + 1) })).toEqual([expect.stringMatching(/^jumpEligibility\[0\]\.maxDuration: max duration must be between/)]);
    // a duration known only at deploy time is not judged at synth
    expect(problemsOf({ maxDuration: Duration.seconds(Lazy.number({ produce: () => 60 })) })).toEqual([]);
    expect(problemsOf({ approval: ApprovalRequirement.quorum(2) })).toEqual([]);
    expect(problemsOf({ approval: ApprovalRequirement.quorum(10) })).toEqual([]);
    expect(problemsOf({ approval: ApprovalRequirement.quorum(1) })).toEqual(['jumpEligibility[0].approval: quorum must be a whole number of 2-10 distinct approvers, got 1 (use anyOne() for one)']);
    expect(problemsOf({ approval: ApprovalRequirement.quorum(11) })).toEqual([expect.stringMatching(/got 11 \(use anyOne\(\) for one\)$/)]);
    expect(problemsOf({ approval: ApprovalRequirement.quorum(2.5) })).toEqual([expect.stringMatching(/got 2\.5 \(use anyOne\(\) for one\)$/)]);
  });

  test('ticket patterns of 1-256 characters that compile pass; others are refused, naming the pattern', () => {
    // GIVEN
    const problemsOf = (ticketPattern: string) => plan(intent({ eligibility: [{ ...rule, ticketPattern }] })).problems;

    // THEN
    expect(problemsOf('x')).toEqual([]);
    expect(problemsOf('x'.repeat(256))).toEqual([]);
    expect(problemsOf(Lazy.string({ produce: () => '(' }))).toEqual([]);
    expect(problemsOf('')).toEqual(['jumpEligibility[0].ticketPattern: ticket pattern must be 1-256 characters, got 0']);
    expect(problemsOf('x'.repeat(257))).toEqual(['jumpEligibility[0].ticketPattern: ticket pattern must be 1-256 characters, got 257']);
    expect(problemsOf('[')).toEqual([expect.stringMatching(/^jumpEligibility\[0\]\.ticketPattern: ticket pattern '\[' is not a valid regular expression: invalid regular expression/)]);
  });

  test('refuses empty and repeated parts of a rule, naming the field', () => {
    // WHEN
    const { problems } = plan(intent({
      groups: [],
      users: [],
      eligibility: [
        { ...rule, name: 'twice', principals: [], permissionLevels: [] },
        { ...rule, name: 'twice', principals: [JumpPrincipal.group('vendor-acme')], approval: ApprovalRequirement.none() },
      ],
      approvers: [{ targets: PROD, permissionLevels: [PermissionLevel.power()] }],
    }));

    // THEN
    expect([...problems].sort()).toEqual([
      "jumpEligibility[1].name: rule name 'twice' is used twice, expected unique names",
      'jumpEligibility[0].principals: at least one jump group or user is required, got none',
      "jumpEligibility[1].principals[0]: jump group 'vendor-acme' is not a group of the jump account; expected one of none",
      'jumpEligibility[0].permissionLevels: at least one permission level is required, got none',
      'jumpApprovers[0]: an approver rule needs jumpApprovers or approvers, got neither',
    ].sort());
  });

  test('resolves Identity Center approvers given by name as the catalog does, and names them for reviewers', () => {
    // WHEN
    const looked: string[] = [];
    const { plan: p, problems } = plan(intent({
      approvers: [{ ...leadsRule, approvers: [IdentityCenterPrincipal.groupNamed('Leads'), IdentityCenterPrincipal.group(LEADS)] }],
      resolvePrincipalId: (principal) => {
        looked.push(principal.describe());
        return 'resolved-leads-id';
      },
    }));

    // THEN only the name is looked up; the reviewers' text names it, the id given as an id keeps no entry
    expect(problems).toEqual([]);
    expect(looked).toEqual(["group 'Leads'"]);
    expect(p.config.approverRules[0].identityCenterApprovers).toEqual([
      { type: 'GROUP', id: 'resolved-leads-id' }, { type: 'GROUP', id: LEADS },
    ]);
    expect([...p.approverNames]).toEqual([['resolved-leads-id', "identity center group 'Leads'"]]);
  });

  test('refuses targets that select nothing or reach outside the organization, and Identity Center approvers by name', () => {
    // WHEN
    const { plan: p, problems } = plan(intent({
      eligibility: [
        { ...rule, targets: AccountSelection.accounts(['shop-prod', 'acme-build']), approval: ApprovalRequirement.none() },
        { ...rule, name: 'nothing', targets: AccountSelection.accounts(['jump']) },
      ],
      approvers: [{ ...leadsRule, approvers: [IdentityCenterPrincipal.groupNamed('Leads'), IdentityCenterPrincipal.group('not-an-id')] }],
    }));

    // THEN
    expect(problems).toEqual(expect.arrayContaining([
      'jumpEligibility[0].targets: account 999999999901 is outside the organization, expected a member account',
      expect.stringMatching(/^jumpEligibility\[1\]\.targets: accounts:jump includes jump 111111111111, the jump account/),
      "jumpApprovers[0].approvers[0]: group 'Leads' is given by name and the workflow has no identityStoreId to look it up: set identityStoreId or use IdentityCenterPrincipal.group(id) or .user(id)",
      expect.stringMatching(/^jumpApprovers\[0\]\.approvers\[1\]: group id 'not-an-id' must be an identity store id/),
    ]));
    expect(problems).toHaveLength(4);
    // the refused accounts are never compiled in
    expect(p.config.eligibility[1].accounts).toEqual([]);
    expect(p.config.approverRules[0].identityCenterApprovers).toEqual([{ type: 'GROUP', id: 'not-an-id' }]);
  });

  test('refuses unknown names in any rule field, empty selections, and compiles no refused account', () => {
    // WHEN
    const { plan: p, problems } = plan(intent({
      eligibility: [
        { ...rule, targets: AccountSelection.accounts(['shop-prod', 'management', 'audit', 'jump']), approval: ApprovalRequirement.none() },
        { ...rule, principals: [JumpPrincipal.group('vendor-initech')], targets: AccountSelection.accounts(['nope']), approval: ApprovalRequirement.none() },
        { ...rule, targets: AccountSelection.tagged('env', 'nowhere'), approval: ApprovalRequirement.none() },
      ],
      approvers: [{ jumpApprovers: [JumpPrincipal.user('nobody')], targets: AccountSelection.accounts(['jump']), permissionLevels: [] }],
    }));

    // THEN
    expect(problems).toEqual(expect.arrayContaining([
      "jumpEligibility[1].principals[0]: jump group 'vendor-initech' is not a group of the jump account; expected one of vendor-acme, vendor-globex, jump-leads",
      "jumpEligibility[1].targets: accounts:nope: account 'nope' is not defined in the organization",
      'jumpEligibility[2].targets: tag:env=nowhere selects no account, expected at least one',
      "jumpApprovers[0].jumpApprovers[0]: jump user 'nobody' is not a user of the jump account; expected one of acme-alice, globex-bob, lead-lee",
      expect.stringMatching(/^jumpApprovers\[0\]\.targets: accounts:jump includes jump 111111111111, the jump account/),
      'jumpApprovers[0].permissionLevels: at least one permission level is required, got none',
    ]));
    expect(problems.filter((m) => m.startsWith('jumpEligibility[0].targets:'))).toHaveLength(3);
    expect(problems).toHaveLength(11);
    expect(p.config.eligibility[0].accounts).toEqual([SHOP]);
    expect(p.config.approverRules[0].accounts).toEqual([]);
    // without a partition the commercial one
    expect(plan(intent()).plan.config.partition).toBe('aws');
  });

  test('a quorum counts named approver users besides the requester; approver groups are sized only at run time', () => {
    // GIVEN
    const quorum = (principals: JumpPrincipal[], approvers: Partial<JumpElevatedIntent['approvers'][number]>, n = 2) => plan(intent({
      eligibility: [{ ...rule, principals, targets: AccountSelection.accounts(['shop-prod']), approval: ApprovalRequirement.quorum(n) }],
      approvers: [{ targets: PROD, permissionLevels: [PermissionLevel.power()], ...approvers }],
    })).problems;
    const groups = [JumpPrincipal.group('vendor-acme')];
    const alice = [JumpPrincipal.user('acme-alice')];
    const short = [expect.stringMatching(/^jumpEligibility\[0\]\.approval: a quorum of 2 distinct approvers besides the requester cannot be reached for 555555555501\/lz-elevated-power \(2 approver users\)$/)];

    // THEN a requesting group may hold any named approver: one of the two may be the requester
    expect(quorum(groups, { jumpApprovers: [JumpPrincipal.user('lead-lee')], approvers: [IdentityCenterPrincipal.user(LEADS)] })).toEqual(short);
    expect(quorum(groups, { jumpApprovers: [JumpPrincipal.user('lead-lee'), JumpPrincipal.user('globex-bob')], approvers: [IdentityCenterPrincipal.user(LEADS)] })).toEqual([]);
    // a requesting user is one of the approvers only when named among them
    expect(quorum(alice, { jumpApprovers: [JumpPrincipal.user('lead-lee')], approvers: [IdentityCenterPrincipal.user(LEADS)] })).toEqual([]);
    expect(quorum(alice, { jumpApprovers: [JumpPrincipal.user('lead-lee'), JumpPrincipal.user('Acme-Alice')] })).toEqual(short);
    // a group of approvers (jump or Identity Center) may be big enough
    expect(quorum(alice, { jumpApprovers: [JumpPrincipal.group('jump-leads')] }, 10)).toEqual([]);
    expect(quorum(alice, { approvers: [IdentityCenterPrincipal.group(LEADS)] }, 10)).toEqual([]);
    // requesters approving each other only when every approver is a requesting group and no Identity Center one helps
    expect(quorum(groups, { jumpApprovers: [JumpPrincipal.group('vendor-acme')], approvers: [IdentityCenterPrincipal.group(LEADS)] })).toEqual([]);
    expect(quorum(groups, { jumpApprovers: [JumpPrincipal.group('Vendor-Acme'), JumpPrincipal.group('jump-leads')] })).toEqual([]);
    expect(quorum(alice, { jumpApprovers: [JumpPrincipal.group('vendor-acme')] }, 2)).toEqual([]);
    // two Identity Center users are two approvers; a mix of a jump group and users may be big enough
    expect(quorum(alice, { approvers: [IdentityCenterPrincipal.user(LEADS), IdentityCenterPrincipal.user(LEADS.replace(/2$/, '3'))] })).toEqual([]);
    expect(quorum(alice, { jumpApprovers: [JumpPrincipal.group('jump-leads'), JumpPrincipal.user('lead-lee')] }, 10)).toEqual([]);
    // one requesting user named among the approvers is enough to take one off
    const aliceAndBob = [JumpPrincipal.user('acme-alice'), JumpPrincipal.user('globex-bob')];
    expect(quorum(aliceAndBob, { jumpApprovers: [JumpPrincipal.user('globex-bob'), JumpPrincipal.user('lead-lee')] })).toEqual(short);
    // a user named like a requesting group is a person, not that group
    expect(plan(intent({
      users: [...intent().users, { userName: 'vendor-acme', groups: [] }],
      eligibility: [{ ...rule, principals: groups, targets: AccountSelection.accounts(['shop-prod']) }],
      approvers: [{ jumpApprovers: [JumpPrincipal.user('vendor-acme')], targets: PROD, permissionLevels: [PermissionLevel.power()] }],
    })).problems).toEqual([expect.stringMatching(/^jumpEligibility\[0\]\.approval: a quorum of 1 distinct approvers besides the requester cannot be reached .* \(1 approver users\)$/)]);
    expect(quorum(groups, { jumpApprovers: [JumpPrincipal.group('VENDOR-ACME')] })).toEqual([
      'jumpEligibility[0].approval: the only approvers of 555555555501/lz-elevated-power are the requesting groups themselves, so requesters approve each other; add an approver rule with another group or named users',
    ]);
  });

  test('uncovered accounts and roles are listed, five at most', () => {
    // WHEN
    const { problems } = plan(intent({
      eligibility: [{ ...rule, permissionLevels: [PermissionLevel.power(), PermissionLevel.admin()] }],
      approvers: [{ ...leadsRule, targets: AccountSelection.accounts(['data-prod']), permissionLevels: [PermissionLevel.admin()] }],
    }));

    // THEN
    expect(problems).toEqual([
      '1 approval(s) required but no jump approver rule covers 555555555501/lz-elevated-power, 555555555501/lz-elevated-admin, 555555555502/lz-elevated-power, 555555555503/lz-elevated-power, 555555555503/lz-elevated-admin: add a jumpApprovers rule or use ApprovalRequirement.none()',
    ].map((m) => `jumpEligibility[0].approval: ${m}`));
    const powerAndAdmin = [{ ...rule, permissionLevels: [PermissionLevel.power(), PermissionLevel.admin()] }];
    const six = plan(intent({ eligibility: powerAndAdmin, approvers: [] })).problems;
    expect(six).toEqual([expect.stringMatching(/covers 555555555501\/lz-elevated-power, .*, 555555555503\/lz-elevated-power and 1 more: add/)]);
  });
});

describe('planJumpElevated with followOrganizationalUnits', () => {
  const FOLLOW = { followOrganizationalUnits: true, revokersByOrganization: true };
  const WORKLOADS = AccountSelection.organizationalUnits(['Workloads']);

  test('a rule over an OU stores the OU and the accounts it leaves out, not the synth\'s accounts; its roles go to the OU', () => {
    // GIVEN: payments-prod left out of the rule
    const noPayments = AccountSelection.organizationalUnits(['Workloads/Prod'], { excludeAccounts: ['payments-prod'] });

    // WHEN
    const { plan: p, problems } = plan(intent({ ...FOLLOW, eligibility: [{ ...intent().eligibility[0], targets: noPayments }] }));

    // THEN
    expect(problems).toEqual([]);
    expect(p.config.eligibility[0]).toMatchObject({ accounts: [], organizationalUnits: [{ id: 'ou-ex01-prod0001', recursive: true }], excludedAccounts: ['555555555503'] });
    expect(p.config.approverRules[0]).toMatchObject({ accounts: [], organizationalUnits: [{ id: 'ou-ex01-prod0001', recursive: true }], excludedAccounts: [] });
    expect([...p.rolesByOrganizationalUnit]).toEqual([['Workloads/Prod', ['lz-elevated-power']]]);
    expect([...p.rolesByAccount]).toEqual([]);
  });

  test('nested followed OUs deploy once, from the outermost; a listed account outside them keeps its own stack', () => {
    // WHEN: one rule follows Workloads, another Workloads/Prod, a third lists sandbox-alice and shop-prod
    const { plan: p, problems } = plan(intent({
      ...FOLLOW,
      eligibility: [
        { name: 'all', principals: [JumpPrincipal.group('vendor-acme')], targets: WORKLOADS, permissionLevels: [PermissionLevel.readOnly()], maxDuration: Duration.hours(1), approval: ApprovalRequirement.none() },
        { name: 'prod', principals: [JumpPrincipal.group('vendor-acme')], targets: PROD, permissionLevels: [PermissionLevel.power()], maxDuration: Duration.hours(1), approval: ApprovalRequirement.none() },
        { name: 'listed', principals: [JumpPrincipal.group('vendor-acme')], targets: AccountSelection.accounts(['sandbox-alice', 'shop-prod']), permissionLevels: [PermissionLevel.admin()], maxDuration: Duration.hours(1), approval: ApprovalRequirement.none() },
      ],
      approvers: [],
    }));

    // THEN
    expect(problems).toEqual([]);
    expect([...p.rolesByOrganizationalUnit]).toEqual([['Workloads', ['lz-elevated-admin', 'lz-elevated-power', 'lz-elevated-read-only']]]);
    expect([...p.rolesByAccount]).toEqual([['333333333301', ['lz-elevated-admin']]]);
    // the listing rule keeps its accounts: it does not follow
    expect(p.config.eligibility[2]).toMatchObject({ accounts: ['333333333301', '555555555501'] });
    expect(p.config.eligibility[2].organizationalUnits).toBeUndefined();
  });

  test('refused: without revokersByOrganization; over the whole organization; approvers that list accounts', () => {
    const all = AccountSelection.allMemberAccounts({ excludeAccounts: ['jump', 'audit'] });
    expect(plan(intent({ followOrganizationalUnits: true })).problems).toEqual([
      'followOrganizationalUnits: rules that follow OUs grant in accounts added later, whose revokers no ARN list can name now: set revokersByOrganization: true as well (each revoker still trusts only this workflow\'s roles), or remove followOrganizationalUnits',
    ]);
    expect(plan(intent({ ...FOLLOW, eligibility: [{ ...intent().eligibility[0], targets: all, approval: ApprovalRequirement.none() }] })).problems)
      .toEqual([expect.stringMatching(/^jumpEligibility\[0\]\.targets: .* follows the whole organization, but the elevated roles need the landing zone boundary/)]);
    const listing = [{ ...intent().approvers[0], targets: AccountSelection.accounts(['shop-prod', 'data-prod', 'payments-prod']) }];
    expect(plan(intent({ ...FOLLOW, approvers: listing })).problems).toEqual([
      'jumpEligibility[0].approval: the rule follows ou Workloads/Prod (recursive)/lz-elevated-power, but no approver rule follows an OU that covers it, so an account added there later could not be approved: select the approver rule\'s targets by the same OU (or one above it)',
    ]);
    // an approver rule over an OU above it covers it; a non-recursive one over the OU itself does not cover a recursive rule
    expect(plan(intent({ ...FOLLOW, approvers: [{ ...intent().approvers[0], targets: WORKLOADS }] })).problems).toEqual([]);
    const flat = [{ ...intent().approvers[0], targets: AccountSelection.organizationalUnits(['Workloads/Prod'], { recursive: false }) }];
    expect(plan(intent({ ...FOLLOW, approvers: flat })).problems).toHaveLength(1);
  });

  test('without it, rules over OUs keep their accounts and deploy per account', () => {
    const { plan: p } = plan(intent({ revokersByOrganization: true }));
    expect(p.config.eligibility[0].organizationalUnits).toBeUndefined();
    expect(p.config.eligibility[0].accounts).toEqual(['555555555501', '555555555502', '555555555503']);
    expect([...p.rolesByOrganizationalUnit]).toEqual([]);
  });

  test('the synth\'s view keeps the accounts the model places in the followed OU, for the access report', () => {
    const { plan: p } = plan(intent(FOLLOW));
    expect(p.rules.eligibility[0]).toMatchObject({ accounts: ['555555555501', '555555555502', '555555555503'], organizationalUnits: [{ id: 'ou-ex01-prod0001', recursive: true }] });
    expect(p.rules.approverRules[0].accounts).toEqual(['555555555501', '555555555502', '555555555503']);
    expect(p.config.eligibility[0].accounts).toEqual([]);
  });

  test('a followed OU with no account yet still gets its StackSet: the accounts to come need the roles', () => {
    // GIVEN: Workloads/Next is empty today
    const base = exampleOrganization();
    const org = new Organization({
      rootId: 'r-ex01',
      organizationId: 'o-ex01abcdef',
      managementAccount: { accountId: '000000000000', name: 'management' },
      jumpAccount: { accountId: '111111111111', name: 'jump', organizationalUnit: 'Security' },
      organizationalUnits: ['Security', 'Workloads', 'Workloads/Prod', 'Workloads/Next'].map((path, i) => ({ path, ouId: `ou-ex01-test000${i}` })),
      accounts: base.accounts.filter((a) => ['audit', 'shop-prod'].includes(a.name)),
    });
    const both = AccountSelection.organizationalUnits(['Workloads/Prod', 'Workloads/Next']);

    // WHEN
    const { plan: p, problems } = plan(intent({
      ...FOLLOW,
      organization: org,
      eligibility: [{ ...intent().eligibility[0], targets: both }],
      approvers: [{ ...intent().approvers[0], targets: both }],
    }));

    // THEN
    expect(problems).toEqual([]);
    expect([...p.rolesByOrganizationalUnit]).toEqual([['Workloads/Prod', ['lz-elevated-power']], ['Workloads/Next', ['lz-elevated-power']]]);
  });

  test('an approver rule covering the OU among others that do not is enough; a rule over one OU level names it', () => {
    const listing = { ...intent().approvers[0], name: 'listing', targets: AccountSelection.accounts(['shop-prod', 'data-prod', 'payments-prod']) };
    expect(plan(intent({ ...FOLLOW, approvers: [listing, intent().approvers[0]] })).problems).toEqual([]);
    expect(plan(intent({ ...FOLLOW, approvers: [intent().approvers[0], listing] })).problems).toEqual([]);
    const flatProd = AccountSelection.organizationalUnits(['Workloads/Prod'], { recursive: false });
    expect(plan(intent({ ...FOLLOW, eligibility: [{ ...intent().eligibility[0], targets: flatProd }], approvers: [listing] })).problems).toEqual([
      'jumpEligibility[0].approval: the rule follows ou Workloads/Prod/lz-elevated-power, but no approver rule follows an OU that covers it, so an account added there later could not be approved: select the approver rule\'s targets by the same OU (or one above it)',
    ]);
  });

  test('the root among other OUs is refused too; its stored scope names the root id', () => {
    const withRoot = AccountSelection.union([PROD, AccountSelection.allMemberAccounts({ excludeAccounts: ['jump', 'audit'] })]);
    const rule = { ...intent().eligibility[0], targets: withRoot, approval: ApprovalRequirement.none() };
    const { plan: p, problems } = plan(intent({ ...FOLLOW, eligibility: [rule] }));
    expect(problems).toEqual([expect.stringMatching(/^jumpEligibility\[0\]\.targets: .* follows the whole organization/)]);
    expect(p.config.eligibility[0].organizationalUnits).toEqual([{ id: 'ou-ex01-prod0001', recursive: true }, { id: 'r-ex01', recursive: true }]);
  });

  test('an OU the model lacks is the selection\'s problem alone: the rule then follows nothing', () => {
    for (const paths of [['Workloads/Nope'], ['Workloads/Prod', 'Workloads/Nope']]) {
      const targets = AccountSelection.organizationalUnits(paths);
      const { plan: p, problems } = plan(intent({ ...FOLLOW, eligibility: [{ ...intent().eligibility[0], targets }] }));
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((m) => m.startsWith('jumpEligibility[0].targets:'))).toBe(true);
      expect(p.config.eligibility[0].organizationalUnits).toBeUndefined();
    }
  });

  test('nested followed OUs deploy from the outermost whichever rule comes first', () => {
    const rule = (name: string, targets: AccountSelection) => ({
      name, principals: [JumpPrincipal.group('vendor-acme')], targets, permissionLevels: [PermissionLevel.power()], maxDuration: Duration.hours(1), approval: ApprovalRequirement.none(),
    });
    const { plan: p, problems } = plan(intent({ ...FOLLOW, eligibility: [rule('prod', PROD), rule('all', AccountSelection.organizationalUnits(['Workloads']))], approvers: [] }));
    expect(problems).toEqual([]);
    expect([...p.rolesByOrganizationalUnit.keys()]).toEqual(['Workloads']);
  });
});
