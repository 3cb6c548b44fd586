import * as iam from 'aws-cdk-lib/aws-iam';
import { GuardrailContext } from '../private/guardrail-context';
import { trustedAccountIds } from '../private/perimeter';
import { RCP_SUPPORTED_SERVICES, rcpStatementProblems } from '../private/resource-control-syntax';

/**
 * A resource tag whose bearer is taken out of a perimeter control (for a resource that must be reachable from
 * outside, such as a public website bucket).
 */
export interface ResourceTagExemption {
  /** The tag key, e.g. `dp:exclude:identity`. */
  readonly key: string;

  /** The value the resource must carry, e.g. `true`. */
  readonly value: string;
}

/**
 * Options of `ResourceControl.identityPerimeter()`.
 */
export interface IdentityPerimeterOptions {
  /**
   * Accounts outside the organization (by name or id, declared in the organization model's `externalAccounts`)
   * whose principals may still reach the organization's resources, and on whose behalf AWS services may act: a
   * vendor's or partner's own account.
   *
   * @default - none: only principals of the organization and AWS services acting for it
   */
  readonly trustedAccounts?: string[];

  /**
   * Further services that support resource control policies whose resources the perimeter also covers, by service
   * prefix, e.g. `['dynamodb', 'ecr']`.
   *
   * @default - only Amazon S3, AWS STS, AWS KMS, Amazon SQS and AWS Secrets Manager
   */
  readonly additionalServices?: string[];

  /**
   * A resource tag that takes its bearer out of the perimeter. Only resources whose service authorizes on
   * `aws:ResourceTag` can use it.
   *
   * @default - no tag exempts a resource
   */
  readonly exemptResourceTag?: ResourceTagExemption;
}

/**
 * Properties of a custom resource control.
 */
export interface CustomResourceControlProps {
  /** Name of the control, letters and digits only; it prefixes the statement ids. */
  readonly name: string;

  /**
   * The statements: `Deny` with actions of services that support RCPs (no bare `*`, no `NotAction`). Leave the
   * principal out: an RCP applies to every principal, and the library writes `Principal: "*"`.
   */
  readonly statements: iam.PolicyStatement[];
}

/** The services every identity perimeter covers: those RCPs supported at launch, the data perimeter's core. */
const IDENTITY_PERIMETER_SERVICES = ['s3', 'sqs', 'kms', 'secretsmanager', 'sts'];

// The STS actions a principal outside the organization calls against the organization's roles and sessions.
// AssumeRoleWithSAML and AssumeRoleWithWebIdentity (and TagSession, SetSourceIdentity that come with them) are left
// out: federated callers carry no aws:PrincipalOrgID, so denying them would end every SAML and OIDC sign-in.
const STS_IDENTITY_ACTIONS = [
  'sts:AssumeRole', 'sts:DecodeAuthorizationMessage', 'sts:GetAccessKeyInfo', 'sts:GetFederationToken',
  'sts:GetServiceBearerToken', 'sts:GetSessionToken', 'sts:SetContext',
];

/**
 * One control of the data-perimeter catalog: a named set of deny statements for a resource control policy (RCP).
 * Give controls to `ResourceControlPolicies`, which packs them into as few RCPs as fit and attaches them.
 */
export class ResourceControl {
  /**
   * The identity perimeter: the organization's resources (S3, STS, KMS, SQS, Secrets Manager, and any
   * `additionalServices`) are reachable only by principals of the organization (`aws:PrincipalOrgID`), principals of
   * the named trusted accounts, and AWS service principals; and AWS services reach them only on behalf of the
   * organization or a trusted account (`aws:SourceOrgID` / `aws:SourceAccount`, confused-deputy protection). A bucket
   * policy that allows the world no longer lets the world in.
   */
  public static identityPerimeter(options: IdentityPerimeterOptions = {}): ResourceControl {
    return new ResourceControl('IdentityPerimeter', (ctx) => {
      const orgId = organizationIdOf(ctx);
      const trusted = trustedAccountIds(ctx, 'trustedAccounts', options.trustedAccounts ?? []);
      const extra = options.additionalServices ?? [];
      extra.forEach((s, i) => {
        if (!RCP_SUPPORTED_SERVICES.includes(s)) {
          add(ctx, `additionalServices[${i}]`, `service '${s}' does not support resource control policies (supported: ${RCP_SUPPORTED_SERVICES.join(', ')})`);
        } else if (IDENTITY_PERIMETER_SERVICES.includes(s)) {
          add(ctx, `additionalServices[${i}]`, `service '${s}' is covered already`);
        }
      });
      const tag = options.exemptResourceTag;
      if (tag && !/^[\w+=,.@:/-]{1,128}$/.test(tag.key)) {
        add(ctx, 'exemptResourceTag.key', `tag key '${tag.key}' must be 1-128 of letters, digits and +=,.@_:/-`);
      }
      const services = [...IDENTITY_PERIMETER_SERVICES.filter((s) => s !== 'sts'), ...extra].map((s) => `${s}:*`);
      // one block: the deny applies only when every key differs (another organization, no trusted account, no tag)
      const exempt = (orgKey: string, accountKey: string) => ({
        [orgKey]: orgId,
        ...(trusted.length > 0 ? { [accountKey]: trusted } : {}),
        ...(tag ? { [`aws:ResourceTag/${tag.key}`]: tag.value } : {}),
      });
      return [
        {
          Sid: 'EnforceOrgIdentities',
          Effect: 'Deny',
          Principal: '*',
          Action: sorted([...services, ...STS_IDENTITY_ACTIONS]),
          Resource: '*',
          Condition: {
            // absent keys count as "not equal": a principal of no organization, or an anonymous one, is denied
            StringNotEqualsIfExists: exempt('aws:PrincipalOrgID', 'aws:PrincipalAccount'),
            BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
          },
        },
        {
          Sid: 'EnforceConfusedDeputyProtection',
          Effect: 'Deny',
          Principal: '*',
          Action: sorted([...services, 'sts:*']),
          Resource: '*',
          Condition: {
            StringNotEqualsIfExists: exempt('aws:SourceOrgID', 'aws:SourceAccount'),
            // only service calls that carry a source account are judged; the others act for the caller's own resources
            Null: { 'aws:SourceAccount': 'false' },
            Bool: { 'aws:PrincipalIsAWSService': 'true' },
          },
        },
      ];
    });
  }

  /** Your own statements, checked against the RCP syntax and packed and size-checked like the catalog's. */
  public static custom(props: CustomResourceControlProps): ResourceControl {
    return new ResourceControl(props.name, (ctx) => {
      if (!/^[A-Za-z0-9]{1,64}$/.test(props.name)) {
        add(ctx, 'name', `control name '${props.name}' must be 1-64 letters or digits (it prefixes statement ids)`);
      }
      if (props.statements.length === 0) add(ctx, 'statements', 'a custom control needs at least one statement, got none');
      return props.statements.map((s, i) => {
        const json = s.toStatementJson() as Record<string, unknown>;
        if (json.Principal !== undefined || json.NotPrincipal !== undefined) {
          add(ctx, `statements[${i}]`, 'leave the principal out: the library writes Principal "*", the only principal an RCP takes');
        }
        const { Principal: _p, NotPrincipal: _np, ...rest } = json;
        const statement = { Sid: `${props.name}${i}`, ...rest, Principal: '*' };
        for (const m of rcpStatementProblems(statement)) add(ctx, `statements[${i}]`, m);
        return statement;
      });
    });
  }

  private constructor(
    /** The control's name, which is also the statement id (or its prefix). */
    public readonly name: string,
    private readonly build: (ctx: GuardrailContext) => Array<Record<string, unknown>>,
  ) {}

  /**
   * The statements of this control, as JSON that may still hold tokens. Problems go to `ctx.problems`.
   *
   * @internal
   */
  public _statements(ctx: GuardrailContext): Array<Record<string, unknown>> {
    return this.build(ctx);
  }
}

function add(ctx: GuardrailContext, field: string, message: string): void {
  ctx.problems.push([`${ctx.field}.${field}`, message]);
}

function organizationIdOf(ctx: GuardrailContext): string {
  const id = ctx.organization.organizationId;
  if (id === undefined) {
    add(ctx, 'organization', 'the organization model has no organizationId: set it (aws organizations describe-organization) so the perimeter can name the organization');
  }
  return id ?? 'o-unknown';
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}
