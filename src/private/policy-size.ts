// The one measurer of policy documents: minified JSON as IAM and AWS Organizations count it, with CloudFormation
// expressions left in a resolved document counted at their longest possible value. Every size check of the library
// (SCPs, RCPs, trust, inline, boundary and permission-set policies) goes through `minifiedLength`.
import { IResolvable, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

// Characters counted for a CloudFormation expression still left in a resolved statement. Pseudo parameters have a
// known longest value; for anything else (a reference to another resource, an import) the deployed text is unknown
// at synth, so the library counts a generous allowance instead and warns that the figure is an estimate.
export const UNRESOLVED_ALLOWANCE_CHARS = 256;
const PSEUDO_MAX: Record<string, number> = {
  'AWS::AccountId': 12,
  'AWS::Partition': 10, // aws-us-gov
  'AWS::Region': 14, // ap-southeast-5 and similar
  'AWS::URLSuffix': 16, // amazonaws.com.cn
};

/** Whether the JSON still holds CloudFormation expressions (`Ref`, `Fn::*`). */
export function hasIntrinsics(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasIntrinsics);
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return true;
  return keys.some((k) => hasIntrinsics((value as Record<string, unknown>)[k]));
}

/**
 * Minified length of `value` as AWS counts it once deployed. Plain JSON is measured exactly. A CloudFormation
 * expression is replaced by its longest possible value: pseudo parameters by their maximum, a `Fn::Join` by the
 * sum of its parts, anything else by `UNRESOLVED_ALLOWANCE_CHARS`. Never under-counts a pseudo parameter or a
 * literal.
 */
export function minifiedLength(value: unknown): number {
  return JSON.stringify(placeholders(value)).length;
}

function placeholders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(placeholders);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof obj.Ref === 'string' && PSEUDO_MAX[obj.Ref] !== undefined) {
    return 'x'.repeat(PSEUDO_MAX[obj.Ref]);
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join' && Array.isArray(obj['Fn::Join'])) {
    const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
    if (Array.isArray(parts)) {
      return parts.map((p) => {
        const v = placeholders(p);
        return typeof v === 'string' ? v : 'x'.repeat(UNRESOLVED_ALLOWANCE_CHARS);
      }).join(sep);
    }
  }
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    return 'x'.repeat(UNRESOLVED_ALLOWANCE_CHARS);
  }
  return Object.fromEntries(keys.map((k) => [k, placeholders(obj[k])]));
}

/** `minifiedLength` of a document still holding tokens, resolved in the stack of `scope`. */
export function renderedPolicyLength(scope: IConstruct, doc: unknown): number {
  return minifiedLength(Stack.of(scope).resolve(doc as IResolvable));
}
