import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import {
  TemplateIndex, awsPrincipals, coversAction, principalFacts, refersToSameTemplate, requiresMfa, stackAccount,
  statementsOf,
} from '../../private/cfn-inspect';

/**
 * LZ-IAM1: a role trusts an AWS principal of another account (or of any account) to call `sts:AssumeRole`
 * without requiring MFA (`Bool aws:MultiFactorAuthPresent true` or a `aws:MultiFactorAuthAge` bound).
 * One finding per principal: `Principal::<arn>`.
 */
export function crossAccountTrustWithoutMfa(node: CfnResource, index: TemplateIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
  const own = stackAccount(node);
  const findings = new Set<string>();
  for (const s of statementsOf(index.propertiesOf(node).AssumeRolePolicyDocument)) {
    if (s.Effect !== 'Allow' || !coversAction(s.Action, 'sts:AssumeRole') || requiresMfa(s)) continue;
    for (const p of awsPrincipals(s)) {
      const facts = principalFacts(p, own, refersToSameTemplate);
      if (facts.kind !== 'self') findings.add(`Principal::${facts.label}`);
    }
  }
  return findings.size > 0 ? [...findings].sort() : NagRuleCompliance.COMPLIANT;
}
