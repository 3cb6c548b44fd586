import * as iam from 'aws-cdk-lib/aws-iam';
import { LZ_BOUNDARY_POLICY_NAME, LZ_DEPLOYMENT_ROLE_PATTERNS, LZ_ROLE_NAME_PREFIX, LZ_SERVICE_ROLE_PATH } from '../private/conventions';
import { GuardrailContext } from '../private/guardrail-context';
import { ACTION_PATTERN, PRINCIPAL_ARN_PATTERN, REGION_PATTERN } from '../private/scp-packing';

/**
 * A principal tag that exempts its bearer from a guardrail.
 */
export interface PrincipalTagExemption {
  /** The tag key, e.g. `landing-zone:iam-admin`. */
  readonly key: string;

  /** The tag value the principal must carry, e.g. `true`. */
  readonly value: string;
}

/**
 * Options of `Guardrail.denyRootUser()`.
 */
export interface RootUserGuardrailOptions {
  /**
   * Let root sessions started through centralized root access (`sts:AssumeRoot` from the management or delegated
   * account, recognised by `aws:AssumedRoot`) through. Such sessions are short, scoped by an AWS task policy and
   * logged in the management account; turn this on when you use centralized root access to unlock bucket policies
   * or delete root credentials.
   *
   * @default false - root sessions started with sts:AssumeRoot are denied like any other root sign-in
   */
  readonly allowCentralizedRootSessions?: boolean;

  /**
   * Actions the root user keeps, e.g. `['iam:DeactivateMFADevice']` for a recovery runbook. Every other action is
   * denied to root.
   *
   * @default - none: root may do nothing
   */
  readonly allowedActions?: string[];
}

/**
 * Options of `Guardrail.denyIamUsers()`.
 */
export interface IamUserGuardrailOptions {
  /**
   * Accounts (names or ids) where IAM users, access keys and login profiles may be created.
   *
   * @default - the organization's jump account (so `JumpAccount` stays deployable); no account when the
   * organization has none
   */
  readonly exemptAccounts?: string[];

  /**
   * ARN patterns of admin principals that may create IAM users anywhere, e.g.
   * `arn:aws:iam::*:role/break-glass-admin`.
   *
   * @default - none
   */
  readonly adminPrincipalArns?: string[];

  /**
   * A principal tag that exempts its bearer.
   *
   * @default - no tag exempts
   */
  readonly exemptPrincipalTag?: PrincipalTagExemption;
}

/**
 * Options of `Guardrail.restrictRegions()`.
 */
export interface RegionRestrictionOptions {
  /** The regions where regional services may be used, e.g. `['eu-central-1', 'eu-west-1']`. */
  readonly allowedRegions: string[];

  /**
   * Further actions of global services to leave usable everywhere (added to the library's list), e.g.
   * `['devicefarm:*']`.
   *
   * @default - only the library's list of global services
   */
  readonly additionalGlobalActions?: string[];

  /**
   * ARN patterns of admin principals that may act in any region.
   *
   * @default - none: nobody may use regional services outside the allowed regions
   */
  readonly exemptPrincipalArns?: string[];
}

/**
 * Options of `Guardrail.protectSecurityServices()`.
 */
export interface SecurityServicesGuardrailOptions {
  /**
   * ARN patterns of principals that may still reconfigure CloudTrail, GuardDuty, Config and Access Analyzer.
   * Replaces the default list. In a Control Tower organization add `arn:aws:iam::*:role/AWSControlTowerExecution`,
   * which manages the Config recorders and the organization trail.
   *
   * @default - the landing zone deployment roles (CDK CloudFormation execution roles and StackSet execution roles)
   */
  readonly exemptPrincipalArns?: string[];
}

/**
 * Options of `Guardrail.protectLandingZoneResources()`.
 */
export interface LandingZoneProtectionOptions {
  /**
   * ARN patterns of the deployment roles that may change landing zone roles and the boundary policy. Replaces the
   * default list.
   *
   * @default - the landing zone deployment roles (CDK CloudFormation execution roles and StackSet execution roles)
   */
  readonly deploymentRoleArns?: string[];
}

/**
 * Properties of a custom guardrail.
 */
export interface CustomGuardrailProps {
  /** Name of the guardrail, letters and digits only; it prefixes the statement ids. */
  readonly name: string;

  /** The statements. SCPs take no `Principal`; write the guard as `Deny` with conditions. */
  readonly statements: iam.PolicyStatement[];
}

/** Deployment roles as principal ARN patterns, partition-independent. */
function deploymentRoleArns(): string[] {
  return LZ_DEPLOYMENT_ROLE_PATTERNS.map((p) => `arn:*:iam::*:role/${p}`);
}

const ROOT_USER_ARN = 'arn:*:iam::*:root';

// Actions that stay usable in every region. These services have one global endpoint (mostly in us-east-1), so a
// request to them carries that region and would be denied otherwise. KMS and Config, which some published
// examples exempt, are regional and deliberately absent: exempting them would let keys and recorders be created in
// denied regions.
const GLOBAL_SERVICE_ACTIONS: string[] = [
  // identity and the organization
  'iam:*', 'sts:*', 'organizations:*', 'account:*',
  // billing and cost
  'aws-portal:*', 'billing:*', 'billingconductor:*', 'budgets:*', 'ce:*', 'consolidatedbilling:*', 'cur:*',
  'freetier:*', 'invoicing:*', 'payments:*', 'pricing:*', 'tax:*',
  // edge, DNS and certificates for CloudFront (us-east-1)
  'cloudfront:*', 'globalaccelerator:*', 'route53:*', 'route53domains:*', 'route53-recovery-cluster:*',
  'route53-recovery-control-config:*', 'route53-recovery-readiness:*', 'shield:*', 'waf:*', 'wafv2:*', 'acm:*',
  // support, health, compliance reports
  'support:*', 'trustedadvisor:*', 'health:*', 'artifact:*',
  // global networking
  'networkmanager:*', 'directconnect:*',
  // console, notifications, public registries
  'notifications:*', 'notifications-contacts:*', 'chatbot:*', 'ecr-public:*',
  // account-wide reads made against us-east-1
  'ec2:DescribeRegions', 's3:ListAllMyBuckets', 's3:GetAccountPublicAccessBlock', 's3:PutAccountPublicAccessBlock',
  's3:ListMultiRegionAccessPoints', 'cloudtrail:LookupEvents',
];

const SECURITY_SERVICE_ACTIONS = [
  'cloudtrail:DeleteTrail', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors',
  'guardduty:DeleteDetector', 'guardduty:UpdateDetector', 'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DisassociateFromMasterAccount', 'guardduty:DeleteMembers', 'guardduty:DisassociateMembers',
  'guardduty:StopMonitoringMembers', 'guardduty:DeletePublishingDestination',
  'config:DeleteConfigurationRecorder', 'config:StopConfigurationRecorder', 'config:DeleteDeliveryChannel',
  'config:DeleteRetentionConfiguration', 'config:DeleteConfigurationAggregator',
  'access-analyzer:DeleteAnalyzer',
];

const ROLE_CHANGE_ACTIONS = [
  'iam:CreateRole', 'iam:DeleteRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy',
  'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy',
  'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:TagRole', 'iam:UntagRole',
];

const POLICY_CHANGE_ACTIONS = [
  'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion',
  'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy',
];

/**
 * One guardrail of the catalog: a named set of deny statements for a service control policy. Give guardrails to
 * `GuardrailPolicies` (or use `RootDenyScp`), which packs them into as few SCPs as fit and attaches them.
 */
export class Guardrail {
  /**
   * Actions `restrictRegions()` leaves usable in every region: global services whose requests carry `us-east-1`.
   */
  public static readonly GLOBAL_SERVICE_ACTIONS: string[] = [...GLOBAL_SERVICE_ACTIONS];

  /**
   * Deny every action by the root user of member accounts (`aws:PrincipalArn` like `arn:*:iam::*:root`).
   * Exceptions are opt-in: centralized root sessions and listed actions.
   */
  public static denyRootUser(options: RootUserGuardrailOptions = {}): Guardrail {
    return new Guardrail('DenyRootUser', (ctx) => {
      const allowed = options.allowedActions ?? [];
      checkActions(ctx, 'allowedActions', allowed);
      if (allowed.includes('*')) add(ctx, 'allowedActions', "'*' would let root do everything: list the actions root keeps");
      const condition: Record<string, unknown> = { ArnLike: { 'aws:PrincipalArn': ROOT_USER_ARN } };
      // only sessions from sts:AssumeRoot carry aws:AssumedRoot; a password sign-in has no such key
      if (options.allowCentralizedRootSessions) condition.Null = { 'aws:AssumedRoot': 'true' };
      return [{
        Sid: 'DenyRootUser',
        Effect: 'Deny',
        ...(allowed.length > 0 ? { NotAction: sorted(allowed) } : { Action: '*' }),
        Resource: '*',
        Condition: condition,
      }];
    });
  }

  /** Deny `organizations:LeaveOrganization`: a member account cannot walk away from its guardrails. */
  public static denyLeavingOrganization(): Guardrail {
    return new Guardrail('DenyLeaveOrganization', () => [{
      Sid: 'DenyLeaveOrganization',
      Effect: 'Deny',
      Action: 'organizations:LeaveOrganization',
      Resource: '*',
    }]);
  }

  /** Deny creating access keys for the root user; useful where root is not denied outright. */
  public static denyRootAccessKeys(): Guardrail {
    return new Guardrail('DenyRootAccessKeys', () => [{
      Sid: 'DenyRootAccessKeys',
      Effect: 'Deny',
      Action: 'iam:CreateAccessKey',
      Resource: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': ROOT_USER_ARN } },
    }]);
  }

  /**
   * Deny creating IAM users, access keys and login profiles: people sign in through the jump account or Identity
   * Center. Exempt: the jump account (by default), named admin principals and, opt-in, a principal tag.
   */
  public static denyIamUsers(options: IamUserGuardrailOptions = {}): Guardrail {
    return new Guardrail('DenyIamUsers', (ctx) => {
      const refs = options.exemptAccounts ?? (ctx.organization.jumpAccount ? [ctx.organization.jumpAccount.accountId] : []);
      const accountIds: string[] = [];
      refs.forEach((ref, i) => {
        const account = ctx.organization.tryFindAccount(ref);
        if (!account || !ctx.organization.isMember(account.accountId)) {
          add(ctx, `exemptAccounts[${i}]`, `account '${ref}' is not a member account of the organization`);
        } else {
          accountIds.push(account.accountId);
        }
      });
      const admins = options.adminPrincipalArns ?? [];
      checkPrincipalArns(ctx, 'adminPrincipalArns', admins);
      const tag = options.exemptPrincipalTag;
      if (tag && !/^[\w+=,.@:/-]{1,128}$/.test(tag.key)) {
        add(ctx, 'exemptPrincipalTag.key', `tag key '${tag.key}' must be 1-128 of letters, digits and +=,.@_:/-`);
      }
      if (tag && tag.value.length > 256) {
        add(ctx, 'exemptPrincipalTag.value', `tag value must be at most 256 characters, got ${tag.value.length}`);
      }
      // negated operators are true when the key is absent, so a principal without the tag stays denied
      const notEquals: Record<string, unknown> = {};
      if (accountIds.length > 0) notEquals['aws:PrincipalAccount'] = sorted(accountIds);
      if (tag) notEquals[`aws:PrincipalTag/${tag.key}`] = tag.value;
      const condition: Record<string, unknown> = {};
      if (Object.keys(notEquals).length > 0) condition.StringNotEquals = notEquals;
      if (admins.length > 0) condition.ArnNotLike = { 'aws:PrincipalArn': sorted(admins) };
      return [{
        Sid: 'DenyIamUsers',
        Effect: 'Deny',
        Action: ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreateUser'],
        Resource: '*',
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      }];
    });
  }

  /**
   * Deny regional services outside the allowed regions. Global services (IAM, Organizations, STS, CloudFront,
   * Route 53, Support, billing, ...) stay usable, since their requests carry `us-east-1` whatever the caller's region.
   */
  public static restrictRegions(options: RegionRestrictionOptions): Guardrail {
    return new Guardrail('DenyOutsideRegions', (ctx) => {
      if (options.allowedRegions.length === 0) add(ctx, 'allowedRegions', 'at least one region must be allowed, got none');
      options.allowedRegions.forEach((r, i) => {
        if (!REGION_PATTERN.test(r)) add(ctx, `allowedRegions[${i}]`, `region '${r}' must be a region code such as 'eu-central-1'`);
      });
      const extra = options.additionalGlobalActions ?? [];
      checkActions(ctx, 'additionalGlobalActions', extra);
      if (extra.includes('*')) add(ctx, 'additionalGlobalActions', "'*' would exempt every action and restrict nothing");
      const exempt = options.exemptPrincipalArns ?? [];
      checkPrincipalArns(ctx, 'exemptPrincipalArns', exempt);
      const condition: Record<string, unknown> = {
        StringNotEquals: { 'aws:RequestedRegion': sorted(new Set(options.allowedRegions)) },
      };
      if (exempt.length > 0) condition.ArnNotLike = { 'aws:PrincipalArn': sorted(exempt) };
      return [{
        Sid: 'DenyOutsideRegions',
        Effect: 'Deny',
        NotAction: sorted(new Set([...GLOBAL_SERVICE_ACTIONS, ...extra])),
        Resource: '*',
        Condition: condition,
      }];
    });
  }

  /** Deny stopping, deleting or reconfiguring CloudTrail, GuardDuty, Config and IAM Access Analyzer. */
  public static protectSecurityServices(options: SecurityServicesGuardrailOptions = {}): Guardrail {
    return new Guardrail('ProtectSecurityServices', (ctx) => {
      const exempt = options.exemptPrincipalArns ?? deploymentRoleArns();
      checkPrincipalArns(ctx, 'exemptPrincipalArns', exempt);
      return [{
        Sid: 'ProtectSecurityServices',
        Effect: 'Deny',
        Action: SECURITY_SERVICE_ACTIONS,
        Resource: '*',
        ...(exempt.length > 0 ? { Condition: { ArnNotLike: { 'aws:PrincipalArn': sorted(exempt) } } } : {}),
      }];
    });
  }

  /**
   * Protect the landing zone's own roles (`lz-*`, path `/landing-zone/`) and its permissions boundary policy
   * (`lz-permissions-boundary`) from change by anyone but the deployment roles.
   */
  public static protectLandingZoneResources(options: LandingZoneProtectionOptions = {}): Guardrail {
    return new Guardrail('ProtectLandingZone', (ctx) => {
      const deployers = options.deploymentRoleArns ?? deploymentRoleArns();
      checkPrincipalArns(ctx, 'deploymentRoleArns', deployers);
      if (deployers.length === 0) {
        add(ctx, 'deploymentRoleArns', 'at least one deployment role is needed, or nobody can ever update the landing zone roles');
      }
      const condition = { ArnNotLike: { 'aws:PrincipalArn': sorted(deployers) } };
      return [
        {
          Sid: 'ProtectLandingZoneRoles',
          Effect: 'Deny',
          Action: ROLE_CHANGE_ACTIONS,
          Resource: [
            `arn:*:iam::*:role/${LZ_ROLE_NAME_PREFIX}*`,
            `arn:*:iam::*:role${LZ_SERVICE_ROLE_PATH}*`,
          ],
          Condition: condition,
        },
        {
          Sid: 'ProtectLandingZoneBoundary',
          Effect: 'Deny',
          Action: POLICY_CHANGE_ACTIONS,
          Resource: `arn:*:iam::*:policy/${LZ_BOUNDARY_POLICY_NAME}`,
          Condition: condition,
        },
      ];
    });
  }

  /** Your own statements, packed and size-checked like the catalog's. */
  public static custom(props: CustomGuardrailProps): Guardrail {
    return new Guardrail(props.name, (ctx) => {
      if (!/^[A-Za-z0-9]{1,64}$/.test(props.name)) {
        add(ctx, 'name', `guardrail name '${props.name}' must be 1-64 letters or digits (it prefixes statement ids)`);
      }
      if (props.statements.length === 0) add(ctx, 'statements', 'a custom guardrail needs at least one statement, got none');
      return props.statements.map((s, i) => {
        const json = s.toStatementJson() as Record<string, unknown>;
        if (json.Principal !== undefined || json.NotPrincipal !== undefined) {
          add(ctx, `statements[${i}]`, 'service control policies do not support Principal or NotPrincipal: use a condition on aws:PrincipalArn');
        }
        return { Sid: `${props.name}${i}`, ...json };
      });
    });
  }

  private constructor(
    /** The guardrail's name, which is also the statement id (or its prefix). */
    public readonly name: string,
    private readonly build: (ctx: GuardrailContext) => Array<Record<string, unknown>>,
  ) {}

  /**
   * The statements of this guardrail, as JSON that may still hold tokens. Problems go to `ctx.problems`.
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

function checkActions(ctx: GuardrailContext, field: string, actions: string[]): void {
  actions.forEach((a, i) => {
    if (!ACTION_PATTERN.test(a)) add(ctx, `${field}[${i}]`, `action '${a}' must look like 'service:Action' (wildcards * and ? allowed)`);
  });
}

function checkPrincipalArns(ctx: GuardrailContext, field: string, arns: string[]): void {
  arns.forEach((a, i) => {
    if (!PRINCIPAL_ARN_PATTERN.test(a)) {
      add(ctx, `${field}[${i}]`, `principal arn '${a}' must look like 'arn:aws:iam::<account id or *>:role/<name>' (wildcards allowed)`);
    }
  });
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}
