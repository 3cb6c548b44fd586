import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AnalyzerArchiveRule } from './access-analyzer/archive-rule';
import { ResourcePerimeterOptions } from './data-perimeter/data-perimeter';
import { IdentityPerimeterOptions, ResourceControl } from './data-perimeter/resource-control';
import { GuardrailTarget } from './guardrails/guardrail-target';

/**
 * The unused and external access review of a landing zone (IAM Access Analyzer).
 */
export interface LandingZoneAccessAnalysisOptions {
  /**
   * Whether the unused access analyzer is created (billed per IAM role and user analyzed per month).
   *
   * @default true
   */
  readonly unusedAccess?: boolean;

  /**
   * How long access may stay unused before it becomes a finding, 1-365 days.
   *
   * @default Duration.days(90)
   */
  readonly unusedAccessAge?: Duration;

  /**
   * Rules that archive expected findings.
   *
   * @default - none
   */
  readonly archiveRules?: AnalyzerArchiveRule[];
}

/**
 * The data perimeter of a landing zone: resource control policies and the resource-perimeter SCP.
 */
export interface LandingZoneDataPerimeterOptions {
  /**
   * Where the perimeter is attached. Start with a test OU, as AWS advises, before the root.
   *
   * @default - the organization root: the resource perimeter joins the root guardrails
   */
  readonly targets?: GuardrailTarget[];

  /**
   * The identity perimeter RCP's options (trusted external accounts, further services).
   *
   * @default - principals of the organization and AWS services acting for it only
   */
  readonly identityPerimeter?: IdentityPerimeterOptions;

  /**
   * The resource perimeter SCP's options (trusted external accounts, AWS-owned resources).
   *
   * @default - resources of the organization only
   */
  readonly resourcePerimeter?: ResourcePerimeterOptions;

  /**
   * Whether the resource-perimeter SCP is attached besides the RCPs.
   *
   * @default true
   */
  readonly enableResourcePerimeter?: boolean;

  /**
   * Further resource controls, packed with the identity perimeter.
   *
   * @default - none
   */
  readonly additionalControls?: ResourceControl[];

  /**
   * The RCP quota per target.
   *
   * @default 5
   */
  readonly maxPoliciesPerTarget?: number;

  /**
   * RCPs attached to every target outside this library (`RCPFullAWSAccess`, Control Tower's RCP controls).
   *
   * @default 1
   */
  readonly externallyAttachedPolicies?: number;

  /**
   * Whether the landing zone enables the RCP policy type on the root.
   *
   * @default true
   */
  readonly enablePolicyType?: boolean;
}

/**
 * The denied-action alerting of a landing zone.
 */
export interface LandingZoneDeniedActionOptions {
  /**
   * Denied calls by one principal of one account within one `period` that raise the alarm.
   *
   * @default 20
   */
  readonly threshold?: number;

  /**
   * The period the threshold is counted over.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * How long denied-action events are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;

  /**
   * Regions whose denied calls are forwarded (us-east-1, where global services' events arrive, is always added).
   *
   * @default - the landing zone's region and us-east-1
   */
  readonly regions?: string[];
}
