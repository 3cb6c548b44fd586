import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Guardrail, GuardrailPolicies, GuardrailTarget, Organization, RootDenyScp } from '../../src';

/** Regions the example company works in. */
export const EXAMPLE_ALLOWED_REGIONS = ['eu-central-1', 'eu-west-1'];

/**
 * The guardrail SCPs, deployed in the management account: the root deny on the organization root, the baseline on
 * the top-level OUs, a region restriction on the workload and sandbox OUs, and a deny-everything on Suspended.
 */
export function addGuardrails(app: App, org: Organization): Stack {
  const stack = new Stack(app, 'Guardrails', {
    env: { account: org.managementAccount.accountId, region: 'us-east-1' },
    description: 'Service control policies of the landing zone',
  });

  // member account root users may do nothing (the management account is out of reach of SCPs anyway)
  new RootDenyScp(stack, 'DenyRoot', { organization: org });

  // the baseline per top-level OU, keeping the root's attachment slots for organization-wide policies; the
  // Suspended OU gets a deny-everything instead
  new GuardrailPolicies(stack, 'Baseline', {
    organization: org,
    targets: [GuardrailTarget.organizationalUnits(['Security', 'Sandbox', 'Workloads'])],
    guardrails: [
      Guardrail.denyLeavingOrganization(),
      Guardrail.denyIamUsers(), // the jump account keeps its IAM users
      Guardrail.protectSecurityServices(),
      Guardrail.protectLandingZoneResources(),
    ],
  });

  new GuardrailPolicies(stack, 'Regions', {
    organization: org,
    targets: [GuardrailTarget.organizationalUnits(['Workloads', 'Sandbox'])],
    guardrails: [Guardrail.restrictRegions({
      allowedRegions: EXAMPLE_ALLOWED_REGIONS,
      exemptPrincipalArns: ['arn:aws:iam::*:role/lz-admin'],
    })],
  });

  new GuardrailPolicies(stack, 'Suspended', {
    organization: org,
    targets: [GuardrailTarget.organizationalUnits(['Suspended'])],
    guardrails: [Guardrail.custom({
      name: 'DenyAllSuspended',
      statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] })],
    })],
  });

  return stack;
}
