import { IResolvable, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

// Worst-case stand-ins for deploy-time values, so a size check at synth never under-counts.
const PSEUDO_WORST_CASE: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov',
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'ap-southeast-22',
  'AWS::URLSuffix': 'amazonaws.com.cn',
};

/**
 * Length of a policy document as IAM counts it (JSON without insignificant whitespace), with CloudFormation
 * intrinsics replaced by worst-case literals: pseudo parameters by their longest values, references to other
 * resources by a 128-character placeholder (the longest IAM name or ARN part the library creates).
 */
export function renderedPolicyLength(scope: IConstruct, doc: unknown): number {
  const resolved = Stack.of(scope).resolve(doc as IResolvable);
  return JSON.stringify(flatten(resolved)).length;
}

function flatten(value: any): any {
  if (Array.isArray(value)) return value.map(flatten);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [k] = keys;
    const arg = value[k];
    if (k === 'Ref') return PSEUDO_WORST_CASE[arg] ?? 'x'.repeat(128);
    if (k === 'Fn::GetAtt') return 'x'.repeat(128);
    if (k === 'Fn::Join') return (flatten(arg[1]) as any[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(arg[0]);
    if (k.startsWith('Fn::')) return 'x'.repeat(128);
  }
  return Object.fromEntries(keys.map((k) => [k, flatten(value[k])]));
}
