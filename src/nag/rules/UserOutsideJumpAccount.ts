import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { stackAccount } from '../../private/cfn-inspect';

/**
 * LZ-IAM5: an IAM user is defined in a stack whose account is not the jump account. A stack without a concrete
 * account, or a pack without a jump account, cannot prove otherwise and is reported.
 */
export function userOutsideJumpAccount(jumpAccountId: string | undefined): (node: CfnResource) => NagRuleResult {
  return (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::IAM::User') return NagRuleCompliance.NOT_APPLICABLE;
    const account = stackAccount(node);
    return jumpAccountId !== undefined && account === jumpAccountId
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  };
}
