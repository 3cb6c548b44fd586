import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { TemplateIndex, enforcesMfa, flatten, toArray } from '../../private/cfn-inspect';

/**
 * LZ-IAM6: an IAM user is not covered by an MFA-enforcing policy of the same template: inline on the user, a
 * managed policy attached to it, or either on one of its groups (`Groups`, `AWS::IAM::UserToGroupAddition`,
 * `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` with `Users` / `Groups`). The policy is judged by content
 * (`enforcesMfa`): a `Deny` of everything but MFA/password self-service under
 * `BoolIfExists aws:MultiFactorAuthPresent false`.
 */
export function userWithoutMfaPolicy(node: CfnResource, index: TemplateIndex): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::IAM::User') return NagRuleCompliance.NOT_APPLICABLE;
  const stack = Stack.of(node);
  const resources = index.iamResourcesOf(stack);
  const userId: string = stack.resolve(node.logicalId);
  const user = resources.get(userId)!.props;
  const userKeys = keysOf(userId, user.UserName);

  // a group is referenced by `Ref` (logical id) or by literal name
  const groupKeys = new Set<string>();
  const addGroup = (ref: any) => {
    const key = refKey(ref);
    if (key === undefined) return;
    groupKeys.add(key);
    for (const [id, r] of resources) {
      if (r.type === 'AWS::IAM::Group' && (id === key || flatten(r.props.GroupName) === key)) {
        keysOf(id, r.props.GroupName).forEach((k) => groupKeys.add(k));
      }
    }
  };
  toArray(user.Groups).forEach(addGroup);
  for (const r of resources.values()) {
    if (r.type === 'AWS::IAM::UserToGroupAddition' && toArray(r.props.Users).some((u) => userKeys.has(refKey(u) ?? ''))) {
      addGroup(r.props.GroupName);
    }
  }

  const docs: any[] = [];
  const inlineAndManaged = (props: Record<string, any>) => {
    toArray(props.Policies).forEach((p) => docs.push(p?.PolicyDocument));
    for (const arn of toArray(props.ManagedPolicyArns)) {
      const mp = resources.get(refKey(arn) ?? '');
      if (mp?.type === 'AWS::IAM::ManagedPolicy') docs.push(mp.props.PolicyDocument);
    }
  };
  inlineAndManaged(user);
  for (const [id, r] of resources) {
    if (r.type === 'AWS::IAM::Group' && (groupKeys.has(id) || groupKeys.has(flatten(r.props.GroupName) ?? ''))) {
      inlineAndManaged(r.props);
    }
    if (r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::ManagedPolicy') {
      const toUser = toArray(r.props.Users).some((u) => userKeys.has(refKey(u) ?? ''));
      const toGroup = toArray(r.props.Groups).some((g) => groupKeys.has(refKey(g) ?? ''));
      if (toUser || toGroup) docs.push(r.props.PolicyDocument);
    }
  }
  return docs.some(enforcesMfa) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function refKey(value: any): string | undefined {
  if (value && typeof value === 'object' && typeof value.Ref === 'string') return value.Ref;
  return flatten(value);
}

function keysOf(logicalId: string, name: any): Set<string> {
  const keys = new Set([logicalId]);
  const n = flatten(name);
  if (n !== undefined) keys.add(n);
  return keys;
}
