import { Duration } from 'aws-cdk-lib';
import {
  AnalyzerArchiveRule, LandingZoneAccessAnalysisOptions, LandingZoneDataPerimeterOptions, LandingZoneDeniedActionOptions,
} from '../../src';

/**
 * Unused access older than 90 days and every external access becomes a finding in the audit account; access granted
 * to Acme's build account and the break-glass Admin role, which exists to stay unused, are expected.
 */
export function exampleAccessAnalysis(): LandingZoneAccessAnalysisOptions {
  return {
    unusedAccessAge: Duration.days(90),
    archiveRules: [
      AnalyzerArchiveRule.trustedAccounts(['acme-build']),
      AnalyzerArchiveRule.expectedUnusedRoles(['lz-admin']),
    ],
  };
}

/**
 * The data perimeter on the whole organization: only the organization (and Acme's build account) reaches its
 * resources; its principals reach only its resources, the retail organization's and the acquired company's, whose
 * accounts jump-account users switch into.
 */
export function exampleDataPerimeter(): LandingZoneDataPerimeterOptions {
  return {
    identityPerimeter: { trustedAccounts: ['acme-build'] },
    resourcePerimeter: { trustedAccounts: ['acquired-co-prod'], trustedOrganizations: ['retail'] },
  };
}

/** An alarm when one principal is refused 20 times in 5 minutes, in the company's regions (us-east-1 is added). */
export function exampleDeniedActionAlerts(): LandingZoneDeniedActionOptions {
  return { threshold: 20, period: Duration.minutes(5), regions: ['eu-central-1', 'eu-west-1'] };
}
