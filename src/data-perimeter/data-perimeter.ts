import * as iam from 'aws-cdk-lib/aws-iam';
import { Guardrail } from '../guardrails/guardrail';
import { Organization } from '../organization';
import { GuardrailContext } from '../private/guardrail-context';
import { PRINCIPAL_ARN_PATTERN } from '../private/patterns';
import { trustedAccountIds } from '../private/perimeter';
import { formatProblems } from '../private/validation';

/**
 * Options of `DataPerimeter.resourcePerimeter()`.
 */
export interface ResourcePerimeterOptions {
  /**
   * Accounts outside the organization (by name or id, declared in the organization model's `externalAccounts`)
   * whose resources the organization's principals may still reach, e.g. an account of another organization that
   * jump-account users switch into (`sts:AssumeRole` on its roles), or a partner's bucket.
   *
   * @default - none
   */
  readonly trustedAccounts?: string[];

  /**
   * Other organizations of the model (`otherOrganizations`, by name or organization id) whose resources the
   * organization's principals may reach, e.g. those the jump account serves: without them, the perimeter denies the
   * jump-account users' `sts:AssumeRole` into their roles. Each adds its id to the `aws:ResourceOrgID` values.
   *
   * @default - none
   */
  readonly trustedOrganizations?: string[];

  /**
   * ARN patterns of AWS-owned resources that principals of the organization must keep reaching, e.g. an AWS
   * service's public bucket `arn:aws:s3:::elasticbeanstalk-samples-eu-central-1/*`. They belong to no organization,
   * so without an exception the perimeter denies them. Name them exactly: a wildcard on a bucket name also matches
   * buckets that anyone can create.
   *
   * @default - none
   */
  readonly awsOwnedResources?: string[];

  /**
   * Further actions to keep inside the perimeter (added to S3, SQS, KMS, Secrets Manager and `sts:AssumeRole`),
   * e.g. `['dynamodb:*']`.
   *
   * @default - none
   */
  readonly additionalActions?: string[];

  /**
   * ARN patterns of principals that may reach resources outside the perimeter.
   *
   * @default - none
   */
  readonly exemptPrincipalArns?: string[];
}

/** The actions every resource perimeter covers: the data perimeter's core services. */
const RESOURCE_PERIMETER_ACTIONS = ['kms:*', 's3:*', 'secretsmanager:*', 'sqs:*', 'sts:AssumeRole'];

/**
 * Data-perimeter guardrails that are service control policy statements: principals of the organization reach only
 * resources of the organization. The resource-control half of the data perimeter is `ResourceControl`.
 */
export class DataPerimeter {
  /**
   * The resource perimeter, an SCP guardrail: principals of the organization's member accounts reach S3 buckets,
   * SQS queues, KMS keys, Secrets Manager secrets and roles (`sts:AssumeRole`) only when they belong to the
   * organization (`aws:ResourceOrgID`) or to a named trusted account, except the named AWS-owned resources. Give it
   * to `GuardrailPolicies` (or `LandingZone`'s root guardrails), which packs it with the other guardrails.
   *
   * @param organization the organization model, which gives the organization id and the trusted accounts
   */
  public static resourcePerimeter(organization: Organization, options: ResourcePerimeterOptions = {}): Guardrail {
    const ctx: GuardrailContext = { organization, field: 'options', problems: [] };
    if (organization.organizationId === undefined) {
      ctx.problems.push(['organization', 'the organization model has no organizationId: set it (aws organizations describe-organization) so the perimeter can name the organization']);
    }
    const trusted = trustedAccountIds(ctx, 'trustedAccounts', options.trustedAccounts ?? []);
    const trustedOrgIds: string[] = [];
    (options.trustedOrganizations ?? []).forEach((ref, i) => {
      const found = organization.tryFindOrganization(ref);
      if (!found || found === organization) {
        const known = organization.otherOrganizations.map((o) => `'${o.name}'`).join(', ') || 'none';
        ctx.problems.push([`options.trustedOrganizations[${i}]`, `'${ref}' is not one of the model's other organizations (${known}): add it to otherOrganizations, or remove it`]);
      } else {
        trustedOrgIds.push(found.organizationId!);
      }
    });
    const owned = options.awsOwnedResources ?? [];
    owned.forEach((arn, i) => {
      if (!/^arn:[a-z*-]*:[a-z0-9*-]+:[\x21-\x7e]*$/.test(arn)) ctx.problems.push([`options.awsOwnedResources[${i}]`, `'${arn}' must be an ARN pattern such as 'arn:aws:s3:::bucket/*'`]);
      if (/^arn:[a-z*-]*:s3:::[^/]*\*/.test(arn)) {
        ctx.problems.push([`options.awsOwnedResources[${i}]`, `'${arn}' has a wildcard in the bucket name, which would also exempt buckets anyone can create: name the bucket`]);
      }
    });
    const extra = options.additionalActions ?? [];
    extra.forEach((a, i) => {
      if (!/^[a-z0-9-]+:[A-Za-z0-9*?]+$/.test(a)) ctx.problems.push([`options.additionalActions[${i}]`, `action '${a}' must look like 'service:Action'`]);
    });
    const exemptPrincipals = options.exemptPrincipalArns ?? [];
    exemptPrincipals.forEach((a, i) => {
      if (!PRINCIPAL_ARN_PATTERN.test(a)) ctx.problems.push([`options.exemptPrincipalArns[${i}]`, `principal arn '${a}' must look like 'arn:aws:iam::<account id or *>:role/<name>'`]);
    });
    if (ctx.problems.length > 0) {
      throw new Error(formatProblems('DataPerimeter.resourcePerimeter', ctx.problems.map(([f, m]) => `${f}: ${m}`)));
    }

    const conditions: Record<string, Record<string, unknown>> = {
      // absent keys count as "not equal": a resource of no organization (AWS-owned, a standalone account) is denied
      StringNotEqualsIfExists: {
        'aws:ResourceOrgID': trustedOrgIds.length > 0 ? [organization.organizationId!, ...[...new Set(trustedOrgIds)].sort()] : organization.organizationId!,
        ...(trusted.length > 0 ? { 'aws:ResourceAccount': trusted } : {}),
      },
    };
    if (exemptPrincipals.length > 0) conditions.ArnNotLike = { 'aws:PrincipalArn': [...exemptPrincipals].sort() };
    return Guardrail.custom({
      name: 'ResourcePerimeter',
      statements: [new iam.PolicyStatement({
        sid: 'EnforceResourcePerimeter',
        effect: iam.Effect.DENY,
        actions: [...new Set([...RESOURCE_PERIMETER_ACTIONS, ...extra])].sort(),
        ...(owned.length > 0 ? { notResources: [...owned].sort() } : { resources: ['*'] }),
        conditions,
      })],
    });
  }

  private constructor() {}
}
