// Declares, on the state machine's CloudFormation resource, the break-glass rules and who hears of their use, so the
// rule pack (LZ-EA1) and a reviewer read it from the template alone.
import { CfnResource } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { AccessConfig } from './handlers/policy';
import { NoticeAudience, NoticeChannel, NoticeEmail } from './notice-channel';
import { BREAK_GLASS_METADATA } from '../nag/rules/BreakGlassWithoutNotice';

const LOUD_AUDIENCES: NoticeAudience[] = [NoticeAudience.APPROVERS, NoticeAudience.OPERATORS];

export function declareBreakGlass(
  stateMachine: sfn.StateMachine, config: AccessConfig, emails: NoticeEmail[], channels: NoticeChannel[], chatApprovals: string[],
): void {
  const rules = config.eligibility.filter((r) => r.breakGlass).map((r) => r.name);
  if (rules.length === 0) return;
  const noticeTargets = [
    ...emails.filter((e) => LOUD_AUDIENCES.includes(e.audience)).map((e) => `email:${e.audience}:${e.address}`),
    ...channels.filter((c) => c.audiences.some((a) => LOUD_AUDIENCES.includes(a))).map((c) => `chat:${c.describe()}`),
    ...chatApprovals,
  ];
  (stateMachine.node.defaultChild as CfnResource).addMetadata(BREAK_GLASS_METADATA, { rules, noticeTargets });
}
