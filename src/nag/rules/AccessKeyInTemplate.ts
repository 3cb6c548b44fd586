import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';

/** LZ-IAM7: the template creates an IAM access key (a long-term secret that ends up in outputs or parameters). */
export function accessKeyInTemplate(node: CfnResource): NagRuleResult {
  return node.cfnResourceType === 'AWS::IAM::AccessKey' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}
