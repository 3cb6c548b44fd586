// The jump elevated-access rules: compiled into what the handlers enforce, refused at synth with the field named.
import { Duration } from 'aws-cdk-lib';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import { AccountSelection, ApprovalRequirement, IdentityCenterPrincipal, JumpPrincipal, PermissionLevel } from '../../src';
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
