import * as iam from 'aws-cdk-lib/aws-iam';
import { Guardrail } from '../../src';

/** Regions the example company works in. */
export const EXAMPLE_ALLOWED_REGIONS = ['eu-central-1', 'eu-west-1'];

/**
 * On the organization root: member root users may do nothing, nobody leaves the organization, no root access keys,
 * no IAM users outside the jump account, the landing zone's roles and boundary are changed only by its pipelines.
 */
export function exampleRootGuardrails(): Guardrail[] {
  return [
    Guardrail.denyRootUser(),
    Guardrail.denyLeavingOrganization(),
    Guardrail.denyRootAccessKeys(),
    Guardrail.denyIamUsers(), // the jump account keeps its IAM users
    Guardrail.protectLandingZoneResources(),
    Guardrail.protectSecurityServices(),
  ];
}

/** Workloads and sandboxes stay in the company's regions (global services excepted). */
export function exampleRegionGuardrail(): Guardrail {
  return Guardrail.restrictRegions({
    allowedRegions: EXAMPLE_ALLOWED_REGIONS,
    exemptPrincipalArns: ['arn:aws:iam::*:role/lz-admin'],
  });
}

/** Suspended accounts: nothing at all. */
export function exampleSuspendedGuardrail(): Guardrail {
  return Guardrail.custom({
    name: 'DenyAllSuspended',
    statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] })],
  });
}
