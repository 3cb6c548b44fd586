import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { Guardrail } from './guardrail';
import { GuardrailPolicies } from './guardrail-policies';
import { GuardrailTarget } from './guardrail-target';
import { Organization } from '../organization';

/**
 * Properties of `RootDenyScp`.
 */
export interface RootDenyScpProps {
  /** The organization the targets are resolved against. */
  readonly organization: Organization;

  /**
   * Where the policy is attached.
   *
   * @default - the organization root: every member account
   */
  readonly targets?: GuardrailTarget[];

  /**
   * Let root sessions started through centralized root access (`sts:AssumeRoot`, marked by `aws:AssumedRoot`)
   * through. See `RootUserGuardrailOptions.allowCentralizedRootSessions`.
   *
   * @default false - every root session is denied, including those started with sts:AssumeRoot
   */
  readonly allowCentralizedRootSessions?: boolean;

  /**
   * Actions the root user keeps; every other action stays denied.
   *
   * @default - none: root may do nothing
   */
  readonly allowedActions?: string[];

  /**
   * Name of the policy, unique in the organization.
   *
   * @default 'lz-deny-root'
   */
  readonly policyName?: string;

  /**
   * The most SCPs AWS lets you attach to one target.
   *
   * @default 5
   */
  readonly maxPoliciesPerTarget?: number;

  /**
   * SCPs attached to each target outside this library.
   *
   * @default 1 - only FullAWSAccess
   */
  readonly externallyAttachedPolicies?: number;
}

/**
 * A service control policy that denies every action by the root user of member accounts, attached to the
 * organization root by default. The root user of the management account is not affected: SCPs never apply there.
 *
 * @example
 * new lz.RootDenyScp(this, 'DenyRoot', { organization });
 */
export class RootDenyScp extends GuardrailPolicies {
  /** The service control policy. */
  public readonly policy: organizations.CfnPolicy;

  constructor(scope: Construct, id: string, props: RootDenyScpProps) {
    super(scope, id, {
      organization: props.organization,
      targets: props.targets ?? [GuardrailTarget.organizationRoot()],
      guardrails: [Guardrail.denyRootUser({
        allowCentralizedRootSessions: props.allowCentralizedRootSessions,
        allowedActions: props.allowedActions,
      })],
      policyName: props.policyName ?? 'lz-deny-root',
      description: 'landing zone guardrail: the root user of member accounts may do nothing',
      maxPoliciesPerTarget: props.maxPoliciesPerTarget,
      externallyAttachedPolicies: props.externallyAttachedPolicies,
    });
    this.policy = this.policies[0];
  }
}
