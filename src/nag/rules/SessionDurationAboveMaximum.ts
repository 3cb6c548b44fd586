import { CfnResource, Duration } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult, NagRules } from 'cdk-nag';
import { TemplateIndex } from '../../private/cfn-inspect';

/**
 * LZ-IAM4: a role's `MaxSessionDuration` (seconds) or a permission set's `SessionDuration` (ISO-8601) is above
 * `maxSeconds`. An unset value is AWS's default of one hour.
 */
export function sessionDurationAboveMaximum(maxSeconds: number): (node: CfnResource, index: TemplateIndex) => NagRuleResult {
  return (node: CfnResource, index: TemplateIndex): NagRuleResult => {
    if (node.cfnResourceType === 'AWS::IAM::Role') {
      const raw = index.propertiesOf(node).MaxSessionDuration;
      if (raw === undefined) return 3_600 > maxSeconds ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
      const seconds = Number(NagRules.resolveIfPrimitive(node, raw));
      return seconds > maxSeconds ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    }
    if (node.cfnResourceType === 'AWS::SSO::PermissionSet') {
      const raw = index.propertiesOf(node).SessionDuration;
      if (raw === undefined) return 3_600 > maxSeconds ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
      const text = String(NagRules.resolveIfPrimitive(node, raw));
      return isoSeconds(text) > maxSeconds ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    }
    return NagRuleCompliance.NOT_APPLICABLE;
  };
}

/** An ISO-8601 duration in seconds, read by `Duration.parse` (the one reader of durations). */
function isoSeconds(text: string): number {
  try {
    return Duration.parse(text).toSeconds({ integral: false });
  } catch {
    throw new Error(`session duration '${text}' is not an ISO-8601 duration such as 'PT1H'`);
  }
}
