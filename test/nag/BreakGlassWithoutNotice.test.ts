import { CfnResource, Duration } from 'aws-cdk-lib';
import { findingsOf, stackIn } from './harness';
import { ApprovalRequirement, NoticeAudience } from '../../src';
import { LandingZoneChecks } from '../../src/nag/pack';
import { BREAK_GLASS_METADATA } from '../../src/nag/rules/BreakGlassWithoutNotice';
import { ADMIN, defaultProps, workflowStack } from '../elevated-access/fixture';

const RULE = 'LZ-EA1';

function machine(metadata?: unknown, type = 'AWS::StepFunctions::StateMachine') {
  const { app, stack } = stackIn();
  const sm = new CfnResource(stack, 'Machine', { type, properties: { DefinitionString: '{}', RoleArn: 'arn:aws:iam::111111111111:role/x' } });
  if (metadata !== undefined) sm.addMetadata(BREAK_GLASS_METADATA, metadata);
  return app;
}

function breakGlassWorkflow(extra: Record<string, unknown> = {}) {
  const props = defaultProps();
  return workflowStack({
    eligibility: [{ ...props.eligibility[1], approval: ApprovalRequirement.quorum(2), breakGlass: { maxDuration: Duration.minutes(30) } }],
    ...extra,
  });
}

describe('BreakGlassWithoutNotice (LZ-EA1)', () => {
  test('Noncompliance 1: a break-glass rule nobody hears of, one finding per rule', () => {
    expect(findingsOf(RULE, machine({ rules: ['incident', 'db'], noticeTargets: [] }))).toEqual(['LZ-EA1[Rule::db]', 'LZ-EA1[Rule::incident]']);
  });

  test('Noncompliance 2: the workflow with break-glass and no e-mail or channel for approvers or operators', () => {
    // GIVEN: only the requester is subscribed
    const { stack } = breakGlassWorkflow({ noticeEmails: [{ address: 'me@example.com', audience: NoticeAudience.REQUESTER }] });
    // THEN: a warning, not an error
    const report = new LandingZoneChecks(stack.node.root).validateScope(stack.node.root as any);
    const found = report.violations.filter((v) => v.ruleName.startsWith(RULE));
    expect(found.map((v) => [v.ruleName, v.severity])).toEqual([[`${RULE}[Rule::oncall-admin]`, 'warning']]);
    void ADMIN;
  });

  test('Noncompliance 3: targets that are not a list count as none', () => {
    expect(findingsOf(RULE, machine({ rules: ['incident'], noticeTargets: 'email' }))).toEqual(['LZ-EA1[Rule::incident]']);
  });

  test('Compliance', () => {
    expect(findingsOf(RULE, machine({ rules: ['incident'], noticeTargets: ['email:operators:sec@example.com'] }))).toEqual([]);
    expect(findingsOf(RULE, machine({ rules: [], noticeTargets: [] }))).toEqual([]);
    expect(findingsOf(RULE, machine())).toEqual([]);
    expect(findingsOf(RULE, machine({ rules: ['incident'], noticeTargets: [] }, 'AWS::Lambda::Function'))).toEqual([]);
    const { stack } = breakGlassWorkflow({ noticeEmails: [{ address: 'sec@example.com', audience: NoticeAudience.OPERATORS }] });
    expect(findingsOf(RULE, stack.node.root as any)).toEqual([]);
  });
});
