import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import {
  TemplateIndex, awsPrincipals, federatedPrincipals, principalFacts, stackAccount, statementsOf,
} from '../../private/cfn-inspect';

/**
 * LZ-IAM3: a role that people can assume has no permissions boundary. People = a whole account or `*` (any IAM
 * user of it may be delegated), an IAM user, an Identity Center role (`AWSReservedSSO_*`) or a SAML provider.
 */
export function humanRoleWithoutBoundary(node: CfnResource, index: TemplateIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
  const props = index.propertiesOf(node);
  const own = stackAccount(node);
  const human = statementsOf(props.AssumeRolePolicyDocument).some((s) => {
    if (s.Effect !== 'Allow') return false;
    const viaAws = awsPrincipals(s).some((p) => {
      const f = principalFacts(p, own);
      return f.wholeAccount || /:user\//.test(f.arn ?? '') || /:role\/(.*\/)?AWSReservedSSO_/.test(f.arn ?? '');
    });
    return viaAws || federatedPrincipals(s).some((f) => /:saml-provider\//.test(f));
  });
  if (!human) return NagRuleCompliance.NOT_APPLICABLE;
  return props.PermissionsBoundary === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
