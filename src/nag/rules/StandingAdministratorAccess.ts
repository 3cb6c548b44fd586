import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { TemplateIndex, flatten, referencedResource, statementsOf, toArray } from '../../private/cfn-inspect';

/**
 * LZ-SSO1: an `AWS::SSO::Assignment` (a standing assignment, deployed by CloudFormation) grants a permission set
 * with administrator rights: the `AdministratorAccess` managed policy, or an inline policy allowing `*` on `*`.
 * Administrator access should be granted for a limited time through the elevated-access workflow, which assigns
 * through the API and is never a template resource. A permission set given by a literal ARN (not in the app)
 * cannot be judged and is not applicable.
 */
export function standingAdministratorAccess(node: CfnResource, index: TemplateIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::SSO::Assignment') return NagRuleCompliance.NOT_APPLICABLE;
  const permissionSet = referencedResource(node, index.propertiesOf(node).PermissionSetArn, index);
  if (permissionSet?.cfnResourceType !== 'AWS::SSO::PermissionSet') return NagRuleCompliance.NOT_APPLICABLE;
  return isAdministrator(index.propertiesOf(permissionSet)) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}

function isAdministrator(props: Record<string, any>): boolean {
  const managed = toArray(props.ManagedPolicies).some((arn) => /:iam::aws:policy\/AdministratorAccess$/.test(flatten(arn) ?? ''));
  const inline = statementsOf(props.InlinePolicy).some((s) =>
    s.Effect === 'Allow' && toArray(s.Action).includes('*') && toArray(s.Resource).includes('*') && s.Condition === undefined);
  return managed || inline;
}
