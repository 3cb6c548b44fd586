import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import {
  landingZoneResourceArns, landingZoneRoleResources, LZ_BOUNDARY_POLICY_NAME, LZ_DELEGATED_PATH, LZ_DEPLOYMENT_ROLE_PATTERNS,
  LZ_ELEVATED_REVOKER_ROLE_NAME, LZ_ELEVATED_ROLE_PREFIX, LZ_MANAGED_TAG_KEY, LZ_RESOURCE_READ_ACTIONS, LZ_SERVICE_ROLE_ARN,
  LZ_SERVICE_ROLE_PATH, LZ_TAG_KEY_PATTERN,
  LZ_TAGGED_RESOURCE_CHANGE_ACTIONS,
} from '../private/conventions';
import { GuardrailContext } from '../private/guardrail-context';
import { ACTION_PATTERN, PRINCIPAL_ARN_PATTERN, REGION_PATTERN } from '../private/patterns';

// the regions aws-cdk-lib knows; `allowUnlistedRegions` accepts newer ones
const KNOWN_REGIONS = new Set(RegionInfo.regions.map((r) => r.name));

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
   * A principal tag that exempts its bearer. Only `adminPrincipalArns` may then set, change or remove that tag on
   * roles, users and sessions (`iam:TagRole`, `iam:CreateRole`, `sts:TagSession`, ... with the tag key), so nobody
   * grants it to themselves; it needs at least one admin principal.
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

  /**
   * Accept allowed regions that aws-cdk-lib's region list (`RegionInfo.regions`) does not know, for a region
   * launched after the aws-cdk-lib version in use. A misspelt region is then not caught at synth.
   *
   * @default false - every allowed region must be one aws-cdk-lib knows
   */
  readonly allowUnlistedRegions?: boolean;
}

/**
 * Options of `Guardrail.protectSecurityServices()`.
 */
export interface SecurityServicesGuardrailOptions {
  /**
   * ARN patterns of principals that may still reconfigure CloudTrail, GuardDuty, Config, Security Hub and Access
   * Analyzer. Replaces the default list. In a Control Tower organization add
   * `arn:aws:iam::*:role/AWSControlTowerExecution`, which manages the Config recorders and the organization trail;
   * add the security team's roles if they tune filters, trusted IP lists or archive rules by hand.
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
   * ARN patterns of the deployment roles that may change landing zone roles, the boundary policy and `landing-zone:*`
   * tags. Replaces the default list. Nobody, not even these, may create an unbounded role or user under the
   * delegated path `/delegated/` or remove a boundary there.
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

// Stopping, deleting or quietly reconfiguring what tells the security team what happens: trails, event data stores,
// detectors and their filters and trusted lists, recorders and delivery, Security Hub, Access Analyzer archive rules.
const SECURITY_SERVICE_ACTIONS = [
  'cloudtrail:DeleteTrail', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors',
  'cloudtrail:DeleteEventDataStore', 'cloudtrail:StopEventDataStoreIngestion', 'cloudtrail:UpdateEventDataStore',
  'guardduty:DeleteDetector', 'guardduty:UpdateDetector', 'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DisassociateFromMasterAccount', 'guardduty:DeleteMembers', 'guardduty:DisassociateMembers',
  'guardduty:StopMonitoringMembers', 'guardduty:DeletePublishingDestination', 'guardduty:UpdatePublishingDestination',
  'guardduty:CreateFilter', 'guardduty:UpdateFilter', 'guardduty:CreateIPSet', 'guardduty:UpdateIPSet',
  'guardduty:CreateTrustedEntitySet', 'guardduty:UpdateTrustedEntitySet',
  'config:DeleteConfigurationRecorder', 'config:StopConfigurationRecorder', 'config:DeleteDeliveryChannel',
  'config:DeleteRetentionConfiguration', 'config:DeleteConfigurationAggregator', 'config:PutConfigurationRecorder',
  'config:PutDeliveryChannel', 'config:PutRetentionConfiguration', 'config:DeleteServiceLinkedConfigurationRecorder',
  'config:DisassociateResourceTypes',
  'securityhub:DisableSecurityHub', 'securityhub:DisassociateFromAdministratorAccount',
  'securityhub:DisassociateFromMasterAccount', 'securityhub:BatchDisableStandards', 'securityhub:UpdateStandardsControl',
  'access-analyzer:DeleteAnalyzer', 'access-analyzer:CreateArchiveRule', 'access-analyzer:UpdateArchiveRule',
];

// Everything that issues or revives a long-term credential of an IAM user.
const IAM_USER_CREDENTIAL_ACTIONS = [
  'iam:CreateUser', 'iam:CreateAccessKey', 'iam:UpdateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile',
  'iam:CreateServiceSpecificCredential', 'iam:ResetServiceSpecificCredential', 'iam:UpdateServiceSpecificCredential',
  'iam:UploadSSHPublicKey', 'iam:UpdateSSHPublicKey', 'iam:UploadSigningCertificate', 'iam:UpdateSigningCertificate',
];

// Every request that sets, changes or removes a tag of a role, a user or a session.
const PRINCIPAL_TAG_ACTIONS = ['iam:TagRole', 'iam:UntagRole', 'iam:TagUser', 'iam:UntagUser', 'iam:CreateRole', 'iam:CreateUser', 'sts:TagSession'];

// Every change to a role: iam:DeleteRole* is DeleteRole, DeleteRolePolicy and DeleteRolePermissionsBoundary;
// iam:PutRole* is PutRolePolicy and PutRolePermissionsBoundary; iam:UpdateRole* adds UpdateRoleDescription (no
// wildcard here matches a read, which a test checks against the Service Authorization Reference).
const ROLE_CHANGE_ACTIONS = [
  'iam:CreateRole', 'iam:DeleteRole*', 'iam:UpdateRole*', 'iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy',
  'iam:DetachRolePolicy', 'iam:PutRole*', 'iam:TagRole', 'iam:UntagRole',
];

// What the elevated-access revoker does: session denies as inline policies of the lz-elevated-* roles, and reads of
// role policies for its cleanup (reads change nothing, so they are left anywhere).
const REVOKER_WRITE_ACTIONS = ['iam:DeleteRolePolicy', 'iam:PutRolePolicy'];
const REVOKER_ACTIONS = ['iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:PutRolePolicy'];

// What would put an unbounded principal under the delegated path, where bounded principals may assume and pass it.
const DELEGATED_BOUNDARY_ACTIONS = ['iam:CreateRole', 'iam:CreateUser', 'iam:PutRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary'];

const POLICY_CHANGE_ACTIONS = [
  'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion',
  'iam:SetDefaultPolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy',
];

/**
 * One guardrail of the catalog: a named set of deny statements for a service control policy. Give guardrails to
 * `GuardrailPolicies` (or use `RootDenyScp`), which packs them into as few SCPs as fit and attaches them.
 */
export class Guardrail {
  // frozen: pushing into it never changed what restrictRegions() allows (that uses its own list), now it also fails
  /**
   * Actions `restrictRegions()` leaves usable in every region: global services whose requests carry `us-east-1`.
   */
  public static readonly GLOBAL_SERVICE_ACTIONS: string[] = Object.freeze([...GLOBAL_SERVICE_ACTIONS]) as string[];

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
   * Deny creating IAM users and issuing or reviving their long-term credentials (access keys, passwords, service
   * credentials, SSH keys, signing certificates): people sign in through the jump account or Identity Center.
   * Exempt: the jump account (by default), named admin principals and, opt-in, a principal tag that only the admin
   * principals may set or remove.
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
      if (tag && admins.length === 0) {
        add(ctx, 'exemptPrincipalTag', `only adminPrincipalArns may grant the tag '${tag.key}', and none are given: nobody could ever carry it; list the administrators who grant it`);
      }
      // negated operators are true when the key is absent, so a principal without the tag stays denied
      const notEquals: Record<string, unknown> = {};
      if (accountIds.length > 0) notEquals['aws:PrincipalAccount'] = sorted(accountIds);
      if (tag) notEquals[`aws:PrincipalTag/${tag.key}`] = tag.value;
      const condition: Record<string, unknown> = {};
      if (Object.keys(notEquals).length > 0) condition.StringNotEquals = notEquals;
      if (admins.length > 0) condition.ArnNotLike = { 'aws:PrincipalArn': sorted(admins) };
      const statements: Array<Record<string, unknown>> = [{
        Sid: 'DenyIamUsers',
        Effect: 'Deny',
        Action: sorted(IAM_USER_CREDENTIAL_ACTIONS),
        Resource: '*',
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      }];
      if (tag) {
        // the exemption is only as strong as its tag: the request's tag keys name it when it is set, changed or removed
        statements.push({
          Sid: 'DenyIamUsersExemptionTag',
          Effect: 'Deny',
          Action: PRINCIPAL_TAG_ACTIONS,
          Resource: '*',
          Condition: {
            'ForAnyValue:StringEquals': { 'aws:TagKeys': [tag.key] },
            'ArnNotLike': { 'aws:PrincipalArn': sorted(admins) },
          },
        });
      }
      return statements;
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
        if (!REGION_PATTERN.test(r)) {
          add(ctx, `allowedRegions[${i}]`, `region '${r}' must be a region code such as 'eu-central-1'`);
        } else if (!options.allowUnlistedRegions && !KNOWN_REGIONS.has(r)) {
          add(ctx, `allowedRegions[${i}]`, `region '${r}' is not a region aws-cdk-lib knows: check the spelling, or, for a region newer than this aws-cdk-lib, set allowUnlistedRegions`);
        }
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

  /**
   * Deny stopping, deleting or quietly reconfiguring CloudTrail (trails and event data stores), GuardDuty (detectors,
   * membership, publishing, filters and trusted IP lists), Config (recorders, delivery, retention), Security Hub and
   * IAM Access Analyzer (analyzers and archive rules): each could blind the security team.
   */
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
   * Protect the landing zone's own roles (`lz-*` at any path, path `/landing-zone/`, tag `landing-zone:managed`), its
   * permissions boundary policy (`lz-permissions-boundary`) and its `landing-zone:*` tags (on any resource) from
   * change by anyone but the deployment roles; protect its other resources the same way (functions, state machines,
   * tables, rules, topics, buckets and log groups named `lz-*`; keys and REST APIs tagged `landing-zone:managed`,
   * such as the elevated-access workflow's): on those, everyone but the deployment roles and the landing zone's own
   * roles under `/landing-zone/` may only read (no invoking, starting, stopping, writing or publishing); and keep the delegated path `/delegated/` for bounded principals only, for everyone: no
   * role or user there without the landing zone boundary, no boundary removed there, no policy from there attached
   * to an unbounded principal or a group.
   *
   * One exception for the elevated-access workflow: its revoker role (`/landing-zone/lz-elevated-revoker`, see
   * `ElevatedRoles`) may put and delete inline policies (session denies) of `lz-elevated-*` roles, and is denied
   * everything else but reading role policies, anywhere: not its own policies, not another landing zone role.
   */
  public static protectLandingZoneResources(options: LandingZoneProtectionOptions = {}): Guardrail {
    return new Guardrail('ProtectLandingZone', (ctx) => {
      const deployers = options.deploymentRoleArns ?? deploymentRoleArns();
      checkPrincipalArns(ctx, 'deploymentRoleArns', deployers);
      if (deployers.length === 0) {
        add(ctx, 'deploymentRoleArns', 'at least one deployment role is needed, or nobody can ever update the landing zone roles');
      }
      const exceptDeployers = { ArnNotLike: { 'aws:PrincipalArn': sorted(deployers) } };
      // the revoker passes the role statements only: the confinement below leaves it role inline policies of
      // lz-elevated-* roles (its session denies), nothing else anywhere
      const revoker = `arn:*:iam::*:role${LZ_SERVICE_ROLE_PATH}${LZ_ELEVATED_REVOKER_ROLE_NAME}`;
      const exceptDeployersAndRevoker = { ArnNotLike: { 'aws:PrincipalArn': sorted([...deployers, revoker]) } };
      const boundary = `arn:*:iam::*:policy/${LZ_BOUNDARY_POLICY_NAME}`;
      const delegated = (type: string) => `arn:*:iam::*:${type}${LZ_DELEGATED_PATH}*`;
      return [
        {
          Sid: 'ProtectLandingZoneRoles',
          Effect: 'Deny',
          Action: ROLE_CHANGE_ACTIONS,
          Resource: landingZoneRoleResources().map((p) => `arn:*:iam::*:role/${p}`),
          Condition: exceptDeployersAndRevoker,
        },
        {
          Sid: 'ProtectLandingZoneTaggedRoles',
          Effect: 'Deny',
          Action: ROLE_CHANGE_ACTIONS,
          Resource: '*',
          Condition: { StringEquals: { [`iam:ResourceTag/${LZ_MANAGED_TAG_KEY}`]: 'true' }, ...exceptDeployersAndRevoker },
        },
        {
          Sid: 'ConfineElevatedRevoker',
          Effect: 'Deny',
          NotAction: REVOKER_ACTIONS,
          Resource: '*',
          Condition: { ArnLike: { 'aws:PrincipalArn': revoker } },
        },
        {
          Sid: 'ConfineElevatedRevokerToElevatedRoles',
          Effect: 'Deny',
          Action: REVOKER_WRITE_ACTIONS,
          NotResource: `arn:*:iam::*:role/${LZ_ELEVATED_ROLE_PREFIX}*`,
          Condition: { ArnLike: { 'aws:PrincipalArn': revoker } },
        },
        {
          Sid: 'ProtectLandingZoneTags',
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': LZ_TAG_KEY_PATTERN }, ...exceptDeployers },
        },
        {
          Sid: 'ProtectLandingZoneResources',
          Effect: 'Deny',
          NotAction: LZ_RESOURCE_READ_ACTIONS,
          Resource: landingZoneResourceArns(),
          Condition: { ArnNotLike: { 'aws:PrincipalArn': sorted([...deployers, LZ_SERVICE_ROLE_ARN]) } },
        },
        {
          Sid: 'ProtectLandingZoneTaggedResources',
          Effect: 'Deny',
          Action: LZ_TAGGED_RESOURCE_CHANGE_ACTIONS,
          Resource: '*',
          Condition: { StringEquals: { [`aws:ResourceTag/${LZ_MANAGED_TAG_KEY}`]: 'true' }, ...exceptDeployers },
        },
        {
          Sid: 'ProtectLandingZoneBoundary',
          Effect: 'Deny',
          Action: POLICY_CHANGE_ACTIONS,
          Resource: boundary,
          Condition: exceptDeployers,
        },
        {
          Sid: 'ProtectDelegatedPathBoundary',
          Effect: 'Deny',
          Action: DELEGATED_BOUNDARY_ACTIONS,
          Resource: [delegated('role'), delegated('user')],
          Condition: { StringNotLike: { 'iam:PermissionsBoundary': boundary } },
        },
        {
          Sid: 'ProtectDelegatedPathBoundaryRemoval',
          Effect: 'Deny',
          Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
          Resource: [delegated('role'), delegated('user')],
        },
        {
          Sid: 'ProtectDelegatedPathPolicies',
          Effect: 'Deny',
          Action: ['iam:AttachRolePolicy', 'iam:AttachUserPolicy'],
          Resource: '*',
          Condition: { ArnLike: { 'iam:PolicyARN': delegated('policy') }, StringNotLike: { 'iam:PermissionsBoundary': boundary } },
        },
        {
          Sid: 'ProtectDelegatedPathGroups',
          Effect: 'Deny',
          Action: 'iam:AttachGroupPolicy',
          Resource: '*',
          Condition: { ArnLike: { 'iam:PolicyARN': delegated('policy') } },
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
        if (json.Effect !== 'Deny') {
          add(ctx, `statements[${i}]`, `guardrails are deny statements, got Effect ${json.Effect}: beside FullAWSAccess an Allow grants nothing, and it would not restrict anything; write a Deny (with NotAction or a condition for the exceptions)`);
        }
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
