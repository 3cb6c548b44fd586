import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';

/**
 * The resource metadata key under which an elevated-access state machine declares its break-glass rules and the
 * notification targets that hear of every use: `{ rules: string[], noticeTargets: string[] }`.
 */
export const BREAK_GLASS_METADATA = 'cdk-iam-landing-zone:breakGlass';

/**
 * LZ-EA1: a state machine declares break-glass rules in its `cdk-iam-landing-zone:breakGlass` metadata but no
 * notification target (an e-mail, chat channel or Slack channel for approvers or operators) hears of their use.
 * Findings name the rules: `LZ-EA1[Rule::<name>]`.
 */
export function breakGlassWithoutNotice(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::StepFunctions::StateMachine') return NagRuleCompliance.NOT_APPLICABLE;
  const declared = node.getMetadata(BREAK_GLASS_METADATA) as { rules?: unknown; noticeTargets?: unknown } | undefined;
  const rules = Array.isArray(declared?.rules) ? declared.rules.map(String) : [];
  if (rules.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const targets = Array.isArray(declared?.noticeTargets) ? declared.noticeTargets : [];
  return targets.length > 0 ? NagRuleCompliance.COMPLIANT : rules.map((r) => `Rule::${r}`);
}
