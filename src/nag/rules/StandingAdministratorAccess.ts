import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { TemplateIndex, flatten, referencedResource, statementsOf, toArray } from '../../private/cfn-inspect';

/**
 * LZ-SSO1: an `AWS::SSO::Assignment` (a standing assignment, deployed by CloudFormation) grants a permission set
 * with administrator rights: the `AdministratorAccess` managed policy, or an inline policy allowing `*` on `*`.
 * Administrator access should be granted for a limited time through the elevated-access workflow, which assigns
 * through the API and is never a template resource. A permission set given by a literal ARN (not in the app)
 * cannot be judged and is not applicable.
 *
 * The finding names the permission set, `PermissionSet::<name>`, so one permission set is acknowledged without
 * acknowledging the rule for every other (CDK matches an acknowledgement by id, wherever in the app it is). A name
 * that cannot be read (a token) gives the plain rule id.
 */
export function standingAdministratorAccess(node: CfnResource, index: TemplateIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::SSO::Assignment') return NagRuleCompliance.NOT_APPLICABLE;
  const permissionSet = referencedResource(node, index.propertiesOf(node).PermissionSetArn, index);
  if (permissionSet?.cfnResourceType !== 'AWS::SSO::PermissionSet') return NagRuleCompliance.NOT_APPLICABLE;
  const props = index.propertiesOf(permissionSet);
  if (!isAdministrator(props)) return NagRuleCompliance.COMPLIANT;
  const name = flatten(props.Name);
  // a permission set name is [\w+=,.@-]+; anything else is a rendered token, not a name a user could acknowledge
  return name !== undefined && /^[\w+=,.@-]+$/.test(name) ? [`PermissionSet::${name}`] : NagRuleCompliance.NON_COMPLIANT;
}

function isAdministrator(props: Record<string, any>): boolean {
  const managed = toArray(props.ManagedPolicies).some((arn) => /:iam::aws:policy\/AdministratorAccess$/.test(flatten(arn) ?? ''));
  const inline = statementsOf(props.InlinePolicy).some((s) =>
    s.Effect === 'Allow' && toArray(s.Action).includes('*') && toArray(s.Resource).includes('*') && s.Condition === undefined);
  return managed || inline;
}
