import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { TemplateIndex, awsPrincipals, principalFacts, stackAccount, statementsOf } from '../../private/cfn-inspect';

/**
 * LZ-IAM2: a role's trust policy allows `*` or a whole account (`arn:aws:iam::<id>:root` or a bare account id,
 * the role's own account included) with no condition at all. One finding per principal: `Principal::<arn>`.
 */
export function openTrustWithoutConditions(node: CfnResource, index: TemplateIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
  const own = stackAccount(node);
  const findings = new Set<string>();
  for (const s of statementsOf(index.propertiesOf(node).AssumeRolePolicyDocument)) {
    if (s.Effect !== 'Allow') continue;
    if (s.Condition && typeof s.Condition === 'object' && Object.keys(s.Condition).length > 0) continue;
    for (const p of awsPrincipals(s)) {
      const facts = principalFacts(p, own);
      if (facts.wholeAccount) findings.add(`Principal::${facts.label}`);
    }
  }
  return findings.size > 0 ? [...findings].sort() : NagRuleCompliance.COMPLIANT;
}
