import { CfnResource, Duration, IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation, Stack, Token, Validations } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { PACK_PREFIX, RULES, RuleText } from './rule-texts';
import { Organization } from '../organization';
import { accessKeyInTemplate } from './rules/AccessKeyInTemplate';
import { breakGlassWithoutNotice } from './rules/BreakGlassWithoutNotice';
import { crossAccountTrustWithoutMfa } from './rules/CrossAccountTrustWithoutMfa';
import { humanRoleWithoutBoundary } from './rules/HumanRoleWithoutBoundary';
import { openTrustWithoutConditions } from './rules/OpenTrustWithoutConditions';
import { identityPerimeterServices, ousWithoutDataPerimeterRcp } from './rules/OuWithoutDataPerimeterRcp';
import { OuNode, ousWithoutRootDenyScp } from './rules/OuWithoutRootDenyScp';
import { sessionDurationAboveMaximum } from './rules/SessionDurationAboveMaximum';
import { standingAdministratorAccess } from './rules/StandingAdministratorAccess';
import { standingJumpAdministrator } from './rules/StandingJumpAdministrator';
import { userOutsideJumpAccount } from './rules/UserOutsideJumpAccount';
import { userWithoutMfaPolicy } from './rules/UserWithoutMfaPolicy';
import { flatten, TemplateIndex, toArray } from '../private/cfn-inspect';
import { LIMITS } from '../private/limits';
import { Problems, checkAccountId } from '../private/validation';

/**
 * Properties of the landing zone rule pack.
 */
export interface LandingZoneChecksProps extends NagPackProps {
  /**
   * The organization model. Gives the jump account (LZ-IAM5) and the root and OUs whose root-deny SCP coverage
   * LZ-SCP1 and data-perimeter RCP coverage LZ-RCP1 check.
   *
   * @default - LZ-SCP1 and LZ-RCP1 are not evaluated (nothing to judge OUs against) and LZ-IAM5 uses `jumpAccountId`
   */
  readonly organization?: Organization;

  /**
   * The only account allowed to hold IAM users (LZ-IAM5), when no `organization` is given.
   *
   * @default - the organization's jump account; without one, every IAM user is reported
   */
  readonly jumpAccountId?: string;

  /**
   * The longest session a role (`MaxSessionDuration`) or permission set (`SessionDuration`) may allow (LZ-IAM4).
   * Between 1 and 12 hours.
   *
   * @default Duration.hours(1) - AWS's own default; anything longer is reported
   */
  readonly maxSessionDuration?: Duration;

  /**
   * Report LZ-RCP1 (an OU outside the data perimeter) as an error, which fails synth, instead of a warning.
   *
   * @default false - a warning
   */
  readonly requireDataPerimeter?: boolean;
}


/**
 * The landing zone's cdk-nag rule pack: who may enter which account, with what proof, and what must never exist.
 *
 * Rules judge CloudFormation resources by type (`AWS::IAM::Role`, `AWS::IAM::User`, `AWS::SSO::*`,
 * `AWS::Organizations::Policy`), so they also check roles and users this library did not create. Every rule
 * reports as an error except LZ-EA1 and LZ-EA2 (warnings) and LZ-RCP1, a warning unless `requireDataPerimeter`;
 * acknowledge a finding with `Validations.of(construct).acknowledge({ id, reason })`, and a catalog's LZ-SSO1
 * findings (`LZ-SSO1[PermissionSet::<name>]`) per permission set, principal or OU with `PermissionSetCatalog.acknowledge`.
 *
 * @example
 * Validations.of(app).addPlugins(new lz.LandingZoneChecks(app, { organization }));
 */
export class LandingZoneChecks extends NagPack {
  /** Every rule id of the pack, in the order of RULES.md. */
  public static readonly RULE_IDS: string[] = Object.values(RULES).map((r) => `${PACK_PREFIX}-${r.id}`);

  public readonly name = 'LandingZoneChecks';
  public readonly ruleIds?: string[] = LandingZoneChecks.RULE_IDS;

  private readonly jumpAccountId?: string;
  private readonly maxSessionSeconds: number;
  private readonly rootId?: string;
  private readonly ous: OuNode[];
  private readonly verboseMessages: boolean;
  private readonly sessionRule: (node: CfnResource, index: TemplateIndex) => NagRuleResult;
  private readonly requireDataPerimeter: boolean;
  // what rules look up across resources, built once per run
  private index?: TemplateIndex;
  private templatePaths: ReadonlyMap<string, string> = new Map();
  // LZ-SCP1's and LZ-RCP1's facts, collected resource by resource while the tree is walked (no second scan of the app)
  private rcpCoverage = new Map<string, Set<string>>();
  private policies: Array<Record<string, any>> = [];
  private policyAnchor?: CfnResource;
  private stacksSeen = new Set<Stack>();
  private qualified?: Set<string>;

  constructor(scope?: IConstruct, props: LandingZoneChecksProps = {}) {
    super(scope, props);
    this.packName = PACK_PREFIX;
    this.verboseMessages = props.verbose ?? false;
    this.requireDataPerimeter = props.requireDataPerimeter ?? false;

    const problems = new Problems(scope ? `${scope.node.path || '<root>'}/LandingZoneChecks` : 'LandingZoneChecks');
    if (props.jumpAccountId !== undefined) problems.check('jumpAccountId', checkAccountId(props.jumpAccountId));
    const orgJump = props.organization?.jumpAccount?.accountId;
    if (props.jumpAccountId !== undefined && orgJump !== undefined && props.jumpAccountId !== orgJump) {
      problems.add('jumpAccountId', `jump account '${props.jumpAccountId}' differs from the organization's jump account '${orgJump}': give one of them`);
    }
    this.jumpAccountId = props.jumpAccountId ?? orgJump;

    const max = props.maxSessionDuration ?? Duration.hours(1);
    this.maxSessionSeconds = Token.isUnresolved(max) ? 3_600 : max.toSeconds();
    this.sessionRule = sessionDurationAboveMaximum(this.maxSessionSeconds);
    if (this.maxSessionSeconds < LIMITS.ROLE_SESSION_MIN_SECONDS || this.maxSessionSeconds > LIMITS.ROLE_SESSION_MAX_SECONDS) {
      problems.add('maxSessionDuration', `maximum session duration must be between 1 and 12 hours, got ${this.maxSessionSeconds} seconds`);
    }
    problems.throwIfAny();

    const org = props.organization;
    this.rootId = org?.rootId;
    const byPath = new Map((org?.organizationalUnits ?? []).map((o) => [o.path, o.ouId]));
    this.ous = (org?.organizationalUnits ?? []).map((o) => {
      const parentPath = o.path.includes('/') ? o.path.slice(0, o.path.lastIndexOf('/')) : undefined;
      return { ouId: o.ouId, parentId: (parentPath !== undefined ? byPath.get(parentPath) : undefined) ?? org!.rootId };
    });
  }

  /**
   * Runs the per-resource rules, then the app-wide LZ-SCP1 and LZ-RCP1 coverage checks. Warnings do not fail.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.index = new TemplateIndex(scope, this.templatePaths);
    this.templatePaths = new Map();
    this.rcpCoverage = new Map();
    this.policies = [];
    this.policyAnchor = undefined;
    this.stacksSeen = new Set();
    this.qualified = undefined;
    const report = super.validateScope(scope);
    const violations = [...report.violations, ...this.checkOrganization(scope), ...this.checkDataPerimeter(scope)];
    this.index = undefined; // the run's caches are not kept
    return { success: violations.every((v) => v.severity !== 'error'), violations };
  }

  /**
   * Called by CDK's synthesis with the templates it just wrote: rules read resources' properties from them rather
   * than resolving every resource a second time.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.templatePaths = new Map((context.stackTemplates ?? []).map((s) => [s.stackConstructPath, s.templatePath]));
    return super.validate(context);
  }

  protected checkResource(node: CfnResource): void {
    const index = this.index ??= new TemplateIndex(node.node.root);
    this.rule(RULES.IAM1, node, (n) => crossAccountTrustWithoutMfa(n, index));
    this.rule(RULES.IAM2, node, (n) => openTrustWithoutConditions(n, index));
    this.rule(RULES.IAM3, node, (n) => humanRoleWithoutBoundary(n, index));
    this.rule(RULES.IAM4, node, (n) => this.sessionRule(n, index));
    this.rule(RULES.IAM5, node, userOutsideJumpAccount(this.jumpAccountId));
    this.rule(RULES.IAM6, node, (n) => userWithoutMfaPolicy(n, index));
    this.rule(RULES.IAM7, node, accessKeyInTemplate);
    this.rule(RULES.SSO1, node, (n) => standingAdministratorAccess(n, index), NagMessageLevel.ERROR, true);
    this.rule(RULES.EA1, node, breakGlassWithoutNotice, NagMessageLevel.WARN);
    this.rule(RULES.EA2, node, (n) => standingJumpAdministrator(n, index), NagMessageLevel.WARN);
    this.collectPolicies(node, index);
  }

  private collectPolicies(node: CfnResource, index: TemplateIndex): void {
    this.stacksSeen.add(Stack.of(node));
    if (node.cfnResourceType !== 'AWS::Organizations::Policy') return;
    this.policyAnchor ??= node;
    this.policies.push(index.propertiesOf(node));
    const services = identityPerimeterServices(node, index);
    if (services.length === 0) return;
    for (const t of toArray(index.propertiesOf(node).TargetIds)) {
      const id = flatten(t);
      if (id === undefined) continue;
      if (!this.rcpCoverage.has(id)) this.rcpCoverage.set(id, new Set());
      services.forEach((s) => this.rcpCoverage.get(id)!.add(s));
    }
  }

  // LZ-RCP1, like LZ-SCP1, has no resource to hang on when the RCP is missing: acknowledged on the app or a stack.
  private checkDataPerimeter(scope: IConstruct): PolicyViolation[] {
    if (this.rootId === undefined || this.ous.length === 0) return [];
    const ruleId = `${PACK_PREFIX}-${RULES.RCP1.id}`;
    const acknowledgers = [...ancestorsOf(scope), ...this.stacksSeen];
    const anchor: IConstruct = this.policyAnchor ?? scope;
    return ousWithoutDataPerimeterRcp(this.rcpCoverage, this.ous)
      .map((finding) => `${ruleId}[${finding}]`)
      .filter((id) => !acknowledgers.some((c) => isAcknowledged(c, id)))
      .map((id) => ({
        ruleName: id,
        description: this.verboseMessages ? `${RULES.RCP1.info} ${RULES.RCP1.explanation}` : RULES.RCP1.info,
        severity: this.requireDataPerimeter ? 'error' : 'warning',
        violatingResources: [{ constructPath: anchor.node.path, locations: ['Properties/TargetIds'] }],
      } as PolicyViolation));
  }

  // `plainIdCovers`: the rule's findings gained a subject (`LZ-SSO1[PermissionSet::Admin]`) after users had
  // acknowledged the plain id, so the plain id, on the resource or above it, or qualified anywhere in the app as
  // CDK itself matches it, still acknowledges every finding of the rule there.
  private rule(text: RuleText, node: CfnResource, rule: (node: CfnResource) => NagRuleResult, level = NagMessageLevel.ERROR,
    plainIdCovers = false): void {
    const plainId = `${PACK_PREFIX}-${text.id}`;
    this.applyRule({
      ruleSuffixOverride: text.id,
      info: text.info,
      explanation: text.explanation,
      level,
      node,
      rule: (n) => {
        const result = rule(n);
        if (!plainIdCovers || !Array.isArray(result)) return result;
        const acknowledged = n.node.scopes.some((c) => isAcknowledged(c, plainId)) || this.qualifiedAcknowledgements(n).has(plainId);
        return acknowledged ? NagRuleCompliance.COMPLIANT : result;
      },
    });
  }

  // the ids acknowledged as `LandingZoneChecks::<id>` anywhere in the app, once per run (only when a rule asks)
  private qualifiedAcknowledgements(node: IConstruct): ReadonlySet<string> {
    if (this.qualified) return this.qualified;
    const prefix = `${this.name}::`;
    this.qualified = new Set(node.node.root.node.findAll().flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data)
      .flatMap((m) => Object.keys(m.data).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length))));
    return this.qualified;
  }

  // LZ-SCP1 has no resource to hang on when the SCP is missing, so it is judged over the whole app and
  // acknowledged on the app or on a stack.
  private checkOrganization(scope: IConstruct): PolicyViolation[] {
    if (this.rootId === undefined || this.ous.length === 0) return [];
    const ruleId = `${PACK_PREFIX}-${RULES.SCP1.id}`;
    const stacks = scope.node.findAll().filter((c) => Stack.isStack(c));
    // the outermost stack (within scope) around the first policy in tree order: the first stack that holds a policy
    const scopes = this.policyAnchor?.node.scopes ?? [];
    const anchor: IConstruct = scopes.slice(scopes.indexOf(scope)).find((c) => Stack.isStack(c)) ?? scope;
    const acknowledgers = [...ancestorsOf(scope), ...stacks];
    return ousWithoutRootDenyScp(this.policies, this.rootId, this.ous)
      .map((finding) => `${ruleId}[${finding}]`)
      .filter((id) => !acknowledgers.some((c) => isAcknowledged(c, id)))
      .map((id) => ({
        ruleName: id,
        description: this.verboseMessages ? `${RULES.SCP1.info} ${RULES.SCP1.explanation}` : RULES.SCP1.info,
        severity: 'error',
        violatingResources: [{ constructPath: anchor.node.path, locations: ['Properties/TargetIds'] }],
      } as PolicyViolation));
  }
}

function ancestorsOf(c: IConstruct): IConstruct[] {
  return c.node.scopes;
}

function isAcknowledged(c: IConstruct, ruleId: string): boolean {
  return c.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data
    && Object.keys(m.data).some((k) => k.replace(/^annotation::/i, '') === ruleId));
}
