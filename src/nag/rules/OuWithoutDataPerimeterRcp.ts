import { CfnResource } from 'aws-cdk-lib';
import { OuNode } from './OuWithoutRootDenyScp';
import { TemplateIndex, coversAction, flatten, statementsOf, toArray } from '../../private/cfn-inspect';

/** The services the data perimeter's identity control must cover, with the action that proves coverage. */
const PERIMETER_ACTIONS: Array<[string, string]> = [
  ['s3', 's3:*'], ['sqs', 'sqs:*'], ['kms', 'kms:*'], ['secretsmanager', 'secretsmanager:*'], ['sts', 'sts:AssumeRole'],
];

// Conditions an identity-perimeter statement may carry besides aws:PrincipalOrgID: exemptions that keep the
// perimeter's meaning (trusted accounts, a tag on the resource, AWS service principals). Any other condition could
// narrow the deny to a few resources, so such a statement does not count.
const NOT_EQUALS = ['StringNotEquals', 'StringNotEqualsIfExists'];
const ALLOWED_NOT_EQUALS_KEY = /^aws:(principalorgid|principalaccount|resourcetag\/.+)$/i;

/**
 * The services among S3, SQS, KMS, Secrets Manager and STS for which an `AWS::Organizations::Policy` implements the
 * identity perimeter: a resource control policy with a `Deny` for `Principal: *` on `Resource: *` of the service's
 * actions (`sts:AssumeRole` for STS), unless `aws:PrincipalOrgID` equals an organization id (`StringNotEquals` or
 * `StringNotEqualsIfExists`), with no other condition than trusted accounts, a resource tag and
 * `aws:PrincipalIsAWSService` false. Empty for every other resource.
 */
export function identityPerimeterServices(node: CfnResource, index: TemplateIndex): string[] {
  if (node.cfnResourceType !== 'AWS::Organizations::Policy') return [];
  const props = index.propertiesOf(node);
  if (props.Type !== 'RESOURCE_CONTROL_POLICY') return [];
  const covered = new Set<string>();
  for (const s of statementsOf(props.Content)) {
    if (!isIdentityPerimeter(s)) continue;
    for (const [service, action] of PERIMETER_ACTIONS) {
      if (coversAction(s.Action, action)) covered.add(service);
    }
  }
  return [...covered].sort();
}

function isIdentityPerimeter(s: any): boolean {
  if (s.Effect !== 'Deny' || s.NotAction !== undefined || s.NotResource !== undefined) return false;
  const principal = s.Principal === '*' || (s.Principal && typeof s.Principal === 'object' && toArray(s.Principal.AWS).includes('*'));
  if (!principal || !toArray(s.Resource).includes('*')) return false;
  const c = s.Condition ?? {};
  let orgIds = 0;
  for (const [op, block] of Object.entries<any>(c)) {
    if (!block || typeof block !== 'object') return false;
    for (const [key, value] of Object.entries<any>(block)) {
      if (NOT_EQUALS.includes(op) && ALLOWED_NOT_EQUALS_KEY.test(key)) {
        if (key.toLowerCase() === 'aws:principalorgid') {
          const ids = toArray(value).map((v) => flatten(v));
          if (ids.length === 0 || !ids.every((v) => v !== undefined && /^o-[a-z0-9]{10,32}$/.test(v))) return false;
          orgIds++;
        }
        continue;
      }
      const isServiceKey = key.toLowerCase() === 'aws:principalisawsservice' && ['Bool', 'BoolIfExists'].includes(op)
        && toArray(value).every((v) => String(v).toLowerCase() === 'false');
      if (!isServiceKey) return false;
    }
  }
  return orgIds === 1;
}

/**
 * LZ-RCP1: every OU of the model must be covered, for each of the five services, by an identity-perimeter RCP whose
 * `TargetIds` contain the OU, one of its ancestors or the root (the top OUs' parent). `coverage` maps each target id to the services its
 * RCPs cover (collected resource by resource). Returns one finding per uncovered OU, `OU::<ou id>`, in the given order.
 */
export function ousWithoutDataPerimeterRcp(coverage: Map<string, Set<string>>, ous: OuNode[]): string[] {
  const parents = new Map(ous.map((o) => [o.ouId, o.parentId]));
  const required = PERIMETER_ACTIONS.map(([service]) => service);
  return ous.filter((o) => {
    const services = new Set<string>();
    const seen = new Set<string>();
    // the OU, its ancestors, then the root (whose parent is unknown)
    for (let id: string | undefined = o.ouId; id !== undefined && !seen.has(id); id = parents.get(id)) {
      seen.add(id);
      for (const s of coverage.get(id) ?? []) services.add(s);
    }
    return !required.every((s) => services.has(s));
  }).map((o) => `OU::${o.ouId}`);
}
