import { Duration, Stack } from 'aws-cdk-lib';
import { ADMIN, breakGlassStack, defaultProps, GROUP_ONCALL, PROD, READ_ONLY, workflowStack } from './fixture';
import { USERS, World } from './world';
import { ApprovalRequirement, IdentityCenterPrincipal, NoticeAudience } from '../../src';
import { remindReviews } from '../../src/elevated-access/handlers/break-glass';
import { loadConfig } from '../../src/elevated-access/handlers/store';

const PROD_SHOP = '555555555501';
const REASON = 'payments down, no approver answers (INC-42)';
const breakGlassBody = (extra: Record<string, unknown> = {}) => ({
  accountId: PROD_SHOP, permissionSet: 'ProdAdmin', durationMinutes: 30, ticketId: 'INC-42', justification: REASON, breakGlass: true, ...extra,
});

describe('ElevatedAccessWorkflow break-glass (synthesized definition, run locally)', () => {
  let stack: Stack;
  let world: World;
  beforeAll(() => {
    stack = breakGlassStack();
  });
  beforeEach(async () => {
    world = await World.create(stack);
  });
  afterEach(() => world.restore());

  const titles = (audience: string) => world.notices
    .filter((n) => n.MessageAttributes.audience.StringValue === audience).map((n) => n.Subject as string);

  test('self-approved, loud, reviewed until closed, and revoked like any other grant', async () => {
    // WHEN: alice self-approves in an incident
    const created = await world.call('alice', 'POST', '/requests', { body: breakGlassBody() });
    expect(created).toMatchObject({ status: 201, body: { requiredApprovals: 0, maxDurationSeconds: 1800 } });
    const id = created.body.requestId;
    await world.waiting(id, 'END');

    // THEN: granted without anyone else, announced at once to approvers and operators, BREAK_GLASS in the audit
    expect(world.assignments.has(`${USERS.alice.id}|${ADMIN.permissionSetArn}|${PROD_SHOP}`)).toBe(true);
    expect(world.calls('AwaitApproval', id)).toBe(0);
    expect(world.calls('DeclareBreakGlass', id)).toBe(1);
    expect(world.transitions(id)).toEqual(['REQUESTED', 'BREAK_GLASS', 'APPROVED', 'GRANTED']);
    const audit = await world.audit(id);
    expect(audit.find((a) => a.transition === 'BREAK_GLASS')).toMatchObject({ actor: expect.stringMatching(/\/alice$/), reason: REASON });
    expect(titles('approvers')).toEqual([expect.stringMatching(/^BREAK-GLASS: alice self-approved ProdAdmin on 555555555501/)]);
    expect(titles('operators')).toEqual([expect.stringMatching(/^BREAK-GLASS: alice/)]);
    expect(await world.request(id)).toMatchObject({ status: 'ACTIVE', breakGlass: true });
    const review = await world.request(`#review#${id}`);
    expect(review).toMatchObject({ status: 'REVIEW_OPEN', subjectRequestId: id });
    expect(Date.parse(review.reviewDueAt) - Date.parse(review.createdAt)).toBe(2 * 3600_000);

    // WHEN: the reconciler's run before a reminder is due, then after the review is overdue
    const config = await loadConfig();
    expect(await remindReviews(config, Date.now())).toEqual([]);
    expect(await remindReviews(config, Date.now() + 3 * 3600_000)).toEqual([id]);
    // THEN: approvers and (overdue) operators reminded
    expect(titles('approvers')).toHaveLength(2);
    expect(titles('operators')[1]).toMatch(/^OVERDUE break-glass review/);

    // WHEN: the requester, then a non-approver, then an approver without a comment try to close the review
    const review409 = (user: string, body: unknown) => world.call(user, 'POST', '/requests/{requestId}/review', { requestId: id, body });
    expect(await review409('alice', { comment: 'all fine, I checked it' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/requester cannot review/) } });
    expect(await review409('mallory', { comment: 'all fine, I checked it' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/only an approver/) } });
    expect(await review409('bob', {})).toMatchObject({ status: 400, body: { message: expect.stringMatching(/review comment of at least 10/) } });
    expect((await world.request(`#review#${id}`)).status).toBe('REVIEW_OPEN');
    // an approver closes it; a second close is refused; no more reminders
    expect((await review409('bob', { comment: 'checked CloudTrail: restarts only' })).status).toBe(200);
    expect((await review409('carol', { comment: 'checked it a second time' })).status).toBe(409);
    expect(await world.request(`#review#${id}`)).toMatchObject({ status: 'REVIEW_CLOSED', comment: 'checked CloudTrail: restarts only', closedBy: expect.stringMatching(/\/bob$/) });
    expect(await remindReviews(config, Date.now() + 6 * 3600_000)).toEqual([]);

    // WHEN: the grant ends
    world.timeOut(id);
    await world.executions.get(id);
    // THEN: revoked like any other
    expect(world.assignments.size).toBe(0);
    expect(world.calls('DeleteAssignment', id)).toBe(1);
    expect((await world.request(id)).status).toBe('REVOKED');
    expect(world.transitions(id)).toEqual(['REQUESTED', 'BREAK_GLASS', 'APPROVED', 'GRANTED', 'REVIEW_REMINDED', 'REVIEW_CLOSED', 'REVOKED']);
  });

  test('refused beyond the break-glass cap, without a reason, scheduled, or where no rule allows it', async () => {
    // WHEN
    const long = await world.call('alice', 'POST', '/requests', { body: breakGlassBody({ durationMinutes: 31 }) });
    const terse = await world.call('alice', 'POST', '/requests', { body: breakGlassBody({ justification: 'urgent fix' }) });
    const later = await world.call('alice', 'POST', '/requests', { body: breakGlassBody({ startAt: new Date(Date.now() + 3600_000).toISOString() }) });
    const readOnly = await world.call('alice', 'POST', '/requests', { body: breakGlassBody({ permissionSet: 'ProdReadOnly' }) });
    const outsider = await world.call('mallory', 'POST', '/requests', { body: breakGlassBody() });
    // THEN
    expect(long).toMatchObject({ status: 400, body: { message: 'break-glass duration 1860s exceeds the break-glass maximum of 1800s' } });
    expect(terse).toMatchObject({ status: 400, body: { message: 'a break-glass reason of at least 20 characters is required' } });
    expect(later).toMatchObject({ status: 400, body: { message: expect.stringMatching(/cannot be scheduled/) } });
    expect(readOnly).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^no break-glass rule allows/) } });
    expect(outsider).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^no eligibility rule allows/) } });
    expect(await world.items('requests')).toHaveLength(1); // the configuration only
  });

  test('a break-glass request stored without the API still meets the backend: refused, never granted', async () => {
    // GIVEN: a request claiming break-glass on a permission set whose rule has none
    const now = Date.now();
    const { execution } = await world.startDirect({
      requestId: 'direct-break-glass',
      status: 'PENDING_APPROVAL',
      requesterId: USERS.alice.id,
      requesterName: 'alice',
      requesterArn: 'arn:aws:sts::222222222202:assumed-role/AWSReservedSSO_x_0123/alice',
      accountId: PROD_SHOP,
      permissionSetArn: READ_ONLY.permissionSetArn,
      instanceArn: READ_ONLY.instanceArn,
      durationSeconds: 1800,
      requiredApprovals: 0,
      breakGlass: true,
      justification: REASON,
      createdAt: new Date(now).toISOString(),
      pendingExpiresAt: new Date(now + 3600_000).toISOString(),
    });
    // THEN
    await expect(execution).rejects.toThrow(/no break-glass rule allows/);
    expect(world.calls('DeclareBreakGlass', 'direct-break-glass')).toBe(0);
    expect(world.calls('CreateAssignment', 'direct-break-glass')).toBe(0);
    expect((await world.request('direct-break-glass')).status).toBe('REJECTED');
  });

  test('a requester removed from the group before the grant loses break-glass too', async () => {
    // GIVEN: alice is no longer on call when the step re-checks
    world.beforeTask = async (state) => {
      if (state === 'Recheck') USERS.alice.groups = [];
    };
    // WHEN
    const id = (await world.call('alice', 'POST', '/requests', { body: breakGlassBody() })).body.requestId;
    // THEN
    await expect(world.executions.get(id)).rejects.toThrow(/no eligibility rule allows/);
    expect(world.calls('CreateAssignment', id)).toBe(0);
  });
});

describe('ElevatedAccessWorkflow break-glass (synth)', () => {
  const withBreakGlass = (breakGlass: any, { approval, ...extra }: Record<string, unknown> = {}) => () => workflowStack({
    eligibility: [{
      name: 'incident',
      principals: [IdentityCenterPrincipal.group(GROUP_ONCALL)],
      targets: PROD,
      permissionSets: [ADMIN],
      maxDuration: Duration.hours(1),
      approval: (approval as ApprovalRequirement | undefined) ?? ApprovalRequirement.anyOne(),
      breakGlass,
    }],
    ...extra,
  });

  test('fails when the cap exceeds the rule, the review window is out of range, or the scope leaves the rule', () => {
    expect(withBreakGlass({ maxDuration: Duration.hours(2), reviewWithin: Duration.minutes(10), permissionSets: [READ_ONLY] }))
      .toThrow(/eligibility\['incident'\]\.breakGlass\.maxDuration.*between 1 minute and 60 minutes.*got 2 hours[\s\S]*reviewWithin.*between 1 hour and 7 days, got 10 minutes[\s\S]*permissionSets.*must be permission sets of the rule, got ProdReadOnly/);
  });

  test('fails when nobody could review a break-glass rule', () => {
    expect(withBreakGlass({ maxDuration: Duration.minutes(30) }, { approvers: [], approval: ApprovalRequirement.none() })).toThrow(/break-glass reviews need approvers but no approver rule covers/);
  });

  test('the template declares the break-glass rules and who hears of them', () => {
    const { stack } = withBreakGlass({ maxDuration: Duration.minutes(30) }, {
      approvers: defaultProps().approvers,
      noticeEmails: [{ address: 'sec@example.com', audience: NoticeAudience.OPERATORS }, { address: 'me@example.com', audience: NoticeAudience.REQUESTER }],
    })();
    const { Template } = jest.requireActual('aws-cdk-lib/assertions');
    const sm = Object.values<any>(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'))[0];
    expect(sm.Metadata['cdk-iam-landing-zone:breakGlass']).toEqual({ rules: ['incident'], noticeTargets: ['email:operators:sec@example.com'] });
  });
});
