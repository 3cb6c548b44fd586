import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { flatten, TemplateIndex } from '../../private/cfn-inspect';
import { STANDING_ADMIN_METADATA } from '../../private/conventions';

/**
 * LZ-EA2: a jump-account group (`AWS::IAM::Group` with `cdk-iam-landing-zone:standingAdministrator` metadata naming
 * roles) has standing access to administrator-level roles, which an elevated-access rule for jump users could grant
 * for a limited time instead. Findings name the group: `LZ-EA2[Group::<name>]`.
 */
export function standingJumpAdministrator(node: CfnResource, index: TemplateIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::IAM::Group') return NagRuleCompliance.NOT_APPLICABLE;
  const declared = node.getMetadata(STANDING_ADMIN_METADATA) as { roles?: unknown } | undefined;
  const roles = Array.isArray(declared?.roles) ? declared.roles : [];
  if (roles.length === 0) return NagRuleCompliance.COMPLIANT;
  return [`Group::${flatten(index.propertiesOf(node).GroupName) ?? node.node.id}`];
}
