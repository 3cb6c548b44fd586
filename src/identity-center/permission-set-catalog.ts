import { Annotations, CfnResource, Stack, Token, Validations } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct } from 'constructs';
import { AccessPath, AccessReport, AccessReportEntry, IAccessReportSource } from '../access-report';
import { AccountSelection } from '../account-selection';
import { AssignmentPlacement } from './assignment-placement';
import { AssignmentShards, ShardedAssignment } from './builders/assignment-shards';
import { createPolicyStackSet } from './builders/policy-stack-set';
import { createReconciler } from './builders/reconciler';
import { CustomerManagedPolicyReference, IPermissionSet, PermissionSet, PermissionSetOptions } from './permission-set';
import { IdentityCenterPrincipal, PrincipalKind } from './principal';
import { resolvePrincipalId } from './principal-resolver';
import { shortHash } from './sharding';
import { PACK_PREFIX, RULES } from '../nag/rule-texts';
import { AccountDefinition, Organization } from '../organization';
import { planReconcilerRules } from '../plan/reconciler-rules';
import { permissionSetEntry } from '../private/access-entries';
import { LIMITS } from '../private/limits';
import { IDENTITY_STORE_ID_PATTERN, INSTANCE_ARN_PATTERN } from '../private/patterns';
import { minifiedLength } from '../private/policy-size';
import { checkTemplateLimits } from '../private/template-limits';
import { checkIamName, checkIamPath, checkManagingAccount, duplicates, Problems } from '../private/validation';

/**
 * A customer-managed policy the catalog deploys, through a service-managed StackSet, into every account where a
 * permission set that references it is assigned.
 */
export interface CustomerManagedPolicyDefinition {
  /** The policy name, as permission sets reference it. */
  readonly name: string;

  /**
   * The policy path.
   *
   * @default '/'
   */
  readonly path?: string;

  /** The policy document (at most 6,144 characters, no tokens: it is deployed into other accounts). */
  readonly document: iam.PolicyDocument;

  /**
   * The policy description.
   *
   * @default - names the catalog
   */
  readonly description?: string;
}

/**
 * A customer-managed policy that something else (e.g. the landing zone boundary StackSet) already deploys in the
 * given accounts.
 */
export interface ExistingCustomerManagedPolicy {
  /** The policy name. */
  readonly name: string;

  /**
   * The policy path.
   *
   * @default '/'
   */
  readonly path?: string;

  /** The accounts where the policy exists. */
  readonly accounts: AccountSelection;
}

/**
 * One assignment rule: a principal receives a permission set in every selected account.
 */
export interface PermissionSetAssignment {
  /** The group or user. */
  readonly principal: IdentityCenterPrincipal;

  /** The permission set. */
  readonly permissionSet: IPermissionSet;

  /**
   * The accounts: by id or name, OUs (nested OUs included unless `recursive: false`), tags, or all member accounts.
   */
  readonly accounts: AccountSelection;

  /**
   * Accounts (ids or names) left out of this rule, on top of the selection's own exclusions.
   *
   * @default - none
   */
  readonly excludeAccounts?: string[];
}

/**
 * Which of a catalog's assignments (and permission sets) an acknowledgement of a rule-pack finding covers. Every
 * option given must match; at least one is required.
 */
export interface CatalogAcknowledgementOptions {
  /**
   * The permission set, by its name (`permissionSetName`). Given alone, it also covers the permission set itself
   * (e.g. LZ-IAM4, its session duration) when the catalog created it.
   *
   * @default - any permission set
   */
  readonly permissionSetName?: string;

  /**
   * The group or user the assignments are for, as given to `assign`.
   *
   * @default - any principal
   */
  readonly principal?: IdentityCenterPrincipal;

  /**
   * The accounts of this OU (its path in the organization model, nested OUs included).
   *
   * @default - any OU
   */
  readonly organizationalUnit?: string;
}

/**
 * Properties of a permission set catalog.
 */
export interface PermissionSetCatalogProps {
  /** The organization model the assignments are expanded against at synth. */
  readonly organization: Organization;

  /** The Identity Center instance ARN, `arn:aws:sso:::instance/ssoins-...`. */
  readonly instanceArn: string;

  /**
   * The identity store id (`d-xxxxxxxxxx`), needed to resolve principals given by name.
   *
   * @default - principals must be given by id
   */
  readonly identityStoreId?: string;

  /**
   * How many nested stacks the assignments are spread over by a stable hash of the account (with
   * `AssignmentPlacement.recordedIn`, the shards a new account prefers; more are added when they are full). Choose it
   * before the first deployment: raising it later moves about 1/n of the assignments to another nested stack, which
   * CloudFormation refuses (the creation of an assignment that exists fails).
   *
   * @default 8
   */
  readonly assignmentShards?: number;

  /**
   * How assignments are placed in nested stacks. `recordedIn(file)` grows past `assignmentShards` x 450 assignments
   * without ever moving one.
   *
   * @default AssignmentPlacement.hashed() - a shard that would pass 450 assignments fails the synth
   */
  readonly assignmentPlacement?: AssignmentPlacement;

  /**
   * Customer-managed policies the catalog deploys (StackSet, service-managed permissions) wherever a permission set
   * referencing them is assigned.
   *
   * @default - none
   */
  readonly customerManagedPolicies?: CustomerManagedPolicyDefinition[];

  /**
   * Customer-managed policies deployed by something else, and where. A permission set assigned to an account where a
   * policy it references is neither deployed by the catalog nor declared here fails synth.
   *
   * @default - none
   */
  readonly existingCustomerManagedPolicies?: ExistingCustomerManagedPolicy[];

  /**
   * Reconcile OU-targeted assignments for accounts created or moved after deployment (EventBridge rule on
   * Organizations `CreateAccountResult` and `MoveAccount`, a Lambda, a ledger table, a failure topic). Organizations
   * events arrive in us-east-1 only, so deploy the catalog there to use it.
   *
   * @default false - assignments change only when the catalog is deployed again
   */
  readonly dynamicAssignments?: boolean;

  /**
   * The access report that lists the catalog's standing assignments (a `LandingZone` gives its own).
   *
   * @default - the report of the stage (`AccessReport.of(this)`)
   */
  readonly accessReport?: AccessReport;
}

interface DeployedPolicy {
  readonly def: CustomerManagedPolicyDefinition;
  readonly index: number;
  readonly accounts: Set<string>;
  /** OUs (or the root) of OU-wide rules: targeted with auto-deployment, so accounts added later get the policy. */
  readonly organizationalUnits: Set<string>;
  stackSet?: CfnStackSet;
}

interface RuleRecord {
  readonly index: number;
  readonly assignment: PermissionSetAssignment;
  readonly accounts: AccountDefinition[];
}

/** An acknowledgement given to `acknowledge`, applied to assignments as they are created. */
interface CatalogAcknowledgement {
  readonly index: number;
  readonly ruleId: string;
  readonly reason: string;
  readonly options: CatalogAcknowledgementOptions;
  matched: number;
}

/**
 * IAM Identity Center permission sets and their assignments to groups and users across accounts and nested OUs,
 * expanded at synth from the organization model and spread over stable nested stacks so no stack exceeds 450
 * resources and adding an account only touches its own shard.
 *
 * @example
 * const catalog = new lz.PermissionSetCatalog(this, 'IdentityCenter', {
 *   organization,
 *   instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
 *   identityStoreId: 'd-1234567890',
 *   existingCustomerManagedPolicies: [{ name: 'lz-permissions-boundary', accounts: AccountSelection.allMemberAccounts() }],
 * });
 * const readOnly = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
 * catalog.assign({
 *   principal: lz.IdentityCenterPrincipal.groupNamed('Engineers'),
 *   permissionSet: readOnly,
 *   accounts: AccountSelection.organizationalUnits(['Workloads']),
 * });
 */
export class PermissionSetCatalog extends Construct implements IAccessReportSource {
  private readonly ownSets: PermissionSet[] = [];

  /** The reconciler function (dynamic mode only). */
  public readonly reconciler?: lambda.IFunction;

  /** The topic that receives every failed reconciliation (dynamic mode only). */
  public readonly failureTopic?: sns.Topic;

  /** The ledger of assignments the reconciler created itself (dynamic mode only). */
  public readonly ledger?: dynamodb.TableV2;

  private readonly organization: Organization;
  private readonly instanceArn: string;
  private readonly identityStoreId?: string;
  private readonly problems: string[] = [];
  private readonly rules: RuleRecord[] = [];
  // key (permission set|principal|account) -> rule index, for duplicate detection
  private readonly owners = new Map<string, number>();
  private readonly duplicatesByPair = new Map<string, { first: number; second: number; what: string; accounts: string[] }>();
  private readonly shards: AssignmentShards;
  private readonly resolvedNames = new Map<string, string>();
  private readonly deployedPolicies = new Map<string, DeployedPolicy>();
  private readonly existingPolicies = new Map<string, Set<string>>();
  // the access-report row of every assignment, made with it
  private readonly reportRows: AccessReportEntry[] = [];
  private readonly missingPolicies = new Map<string, { permissionSet: string; policy: string; rules: Set<number>; accounts: Map<string, string> }>();
  private readonly acknowledgements: CatalogAcknowledgement[] = [];
  private readonly assignmentResources: Array<{ a: ShardedAssignment; resource: sso.CfnAssignment }> = [];
  private count = 0;

  constructor(scope: Construct, id: string, props: PermissionSetCatalogProps) {
    super(scope, id);
    checkTemplateLimits(this);
    (props.accessReport ?? AccessReport.of(this)).addSource(this);
    const problems = Problems.of(this);
    this.organization = props.organization;
    this.instanceArn = props.instanceArn;
    this.identityStoreId = props.identityStoreId;
    const shardCount = props.assignmentShards ?? 8;
    this.shards = new AssignmentShards(this, {
      instanceArn: props.instanceArn,
      shardCount,
      recordFile: props.assignmentPlacement?._file,
      report: (m) => problems.add('assignmentPlacement', m),
      onCreated: (a, resource) => {
        this.assignmentResources.push({ a, resource });
        for (const ack of this.acknowledgements) this.applyAcknowledgement(ack, a, resource);
      },
    });

    if (!Token.isUnresolved(props.instanceArn) && !INSTANCE_ARN_PATTERN.test(props.instanceArn)) {
      problems.add('instanceArn', `instance arn '${props.instanceArn}' must look like 'arn:aws:sso:::instance/ssoins-<16 characters>'`);
    }
    if (props.identityStoreId !== undefined && !Token.isUnresolved(props.identityStoreId)
      && !IDENTITY_STORE_ID_PATTERN.test(props.identityStoreId)) {
      problems.add('identityStoreId', `identity store id '${props.identityStoreId}' must look like 'd-1234567890'`);
    }
    const ic = props.organization.identityCenterAccount;
    checkManagingAccount(problems, this, 'identity center permission sets and assignments',
      [{ accountId: ic.accountId, role: props.organization.identityCenterDelegated ? `the delegated identity center administrator '${ic.name}'` : 'the management account' }],
      'create the catalog in a stack of that account (a LandingZone\'s identityCenterStack), or name the delegated administrator as the organization model\'s identityCenterAdminAccount');
    if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 100) {
      problems.add('assignmentShards', `assignment shards must be a whole number from 1 to 100, got ${shardCount}`);
    }

    for (const [i, def] of (props.customerManagedPolicies ?? []).entries()) {
      const path = def.path ?? '/';
      problems.check(`customerManagedPolicies[${i}].name`, checkIamName('policy', def.name, LIMITS.POLICY_NAME_MAX));
      problems.check(`customerManagedPolicies[${i}].path`, checkIamPath(path));
      const json = Stack.of(this).resolve(def.document);
      if (JSON.stringify(json).includes('"Ref"') || JSON.stringify(json).includes('"Fn::')) {
        problems.add(`customerManagedPolicies[${i}].document`, 'the document contains tokens, which cannot be deployed into other accounts: use literal values');
      }
      for (const e of def.document.validateForIdentityPolicy()) problems.add(`customerManagedPolicies[${i}].document`, e.replace(/\.$/, ''));
      const length = minifiedLength(json);
      if (length > LIMITS.MANAGED_POLICY_CHARS) {
        problems.add(`customerManagedPolicies[${i}].document`, `policy is ${length} characters, more than the ${LIMITS.MANAGED_POLICY_CHARS} of a managed policy`);
      }
      const key = `${path}${def.name}`;
      if (this.deployedPolicies.has(key)) problems.add(`customerManagedPolicies[${i}].name`, `policy '${key}' is defined twice`);
      this.deployedPolicies.set(key, { def: { ...def, path }, index: i, accounts: new Set(), organizationalUnits: new Set() });
    }
    for (const [i, ex] of (props.existingCustomerManagedPolicies ?? []).entries()) {
      const key = `${ex.path ?? '/'}${ex.name}`;
      problems.check(`existingCustomerManagedPolicies[${i}].name`, checkIamName('policy', ex.name, LIMITS.POLICY_NAME_MAX));
      problems.check(`existingCustomerManagedPolicies[${i}].path`, checkIamPath(ex.path ?? '/'));
      if (this.deployedPolicies.has(key)) {
        problems.add(`existingCustomerManagedPolicies[${i}]`, `policy '${key}' is also in customerManagedPolicies: declare it in one place`);
      }
      const set = this.existingPolicies.get(key) ?? new Set<string>();
      const found = ex.accounts._resolveOrReport(this.organization, (m) => problems.add(`existingCustomerManagedPolicies[${i}].accounts`, m));
      for (const a of found) set.add(a.accountId);
      this.existingPolicies.set(key, set);
    }

    if (props.dynamicAssignments) {
      const dyn = createReconciler(this, this.instanceArn, () => this.reconcilerConfig(false));
      this.reconciler = dyn.fn;
      this.failureTopic = dyn.topic;
      this.ledger = dyn.table;
      const region = Stack.of(this).region;
      if (!Token.isUnresolved(region) && region !== 'us-east-1') {
        Annotations.of(this).addWarningV2('cdk-iam-landing-zone:organizationsEventsRegion',
          `dynamicAssignments: organizations events are delivered only in us-east-1, the rule in ${region} will receive none; deploy the catalog in us-east-1 or forward the events`);
      }
    }
    problems.throwIfAny();

    this.node.addValidation({ validate: () => this.validateAll() });
  }

  /** Creates a permission set in the catalog's Identity Center instance. */
  public addPermissionSet(id: string, options: PermissionSetOptions): PermissionSet {
    const ps = new PermissionSet(this, id, { ...options, instanceArn: this.instanceArn });
    this.ownSets.push(ps);
    return ps;
  }

  /**
   * Assigns a permission set to a principal in every selected account. Expanded now against the organization model;
   * problems are reported together at synth.
   */
  public assign(assignment: PermissionSetAssignment): void {
    const index = this.rules.length;
    const field = `assignments[${index}]`;
    const ps = assignment.permissionSet;
    const principal = assignment.principal;
    const principalProblem = principal._validate();
    if (principalProblem) this.problems.push(`${field}.principal: ${principalProblem}`);
    if (principal._name !== undefined && this.identityStoreId === undefined) {
      this.problems.push(`${field}.principal: ${principal.describe()} is given by name, which needs identityStoreId on the catalog`);
    }

    let selected = true;
    let accounts = assignment.accounts._resolveOrReport(this.organization, (m) => {
      selected = false;
      this.problems.push(`${field}.accounts: ${m}`);
    });
    if (selected && assignment.excludeAccounts && assignment.excludeAccounts.length > 0) {
      const excluded = new Set<string>();
      for (const ref of assignment.excludeAccounts) {
        const a = this.organization.tryFindAccount(ref);
        if (a) excluded.add(a.accountId);
        else this.problems.push(`${field}.excludeAccounts: excluded account '${ref}' is not defined in the organization`);
      }
      accounts = accounts.filter((a) => !excluded.has(a.accountId));
    }
    const usable: AccountDefinition[] = [];
    for (const a of accounts) {
      if (!this.organization.isMember(a.accountId)) {
        this.problems.push(`${field}.accounts: account '${a.name}' (${a.accountId}) is outside the organization; identity center assigns permission sets only in member accounts`);
      } else if (this.organization.identityCenterDelegated && a.accountId === this.organization.managementAccount.accountId) {
        this.problems.push(`${field}.accounts: management account '${a.name}' (${a.accountId}) cannot receive assignments from the delegated identity center administrator '${this.organization.identityCenterAccount.name}'; assign it from the management account`);
      } else {
        usable.push(a);
      }
    }
    this.rules.push({ index, assignment, accounts: usable });
    if (principalProblem || (principal._name !== undefined && this.identityStoreId === undefined)) return;
    // the reconciler needs the id even when no account matches at synth
    if (this.reconciler && principal._name !== undefined) this.resolvePrincipal(principal);

    const psName = ps.permissionSetName;
    const required = PermissionSet.isPermissionSet(ps) ? ps.requiredCustomerManagedPolicies : [];
    const ouTargets = required.length > 0 ? this.organizationalUnitTargets(assignment.accounts) : undefined;
    for (const account of usable) {
      const key = `${psName}|${principal._key}|${account.accountId}`;
      const owner = this.owners.get(key);
      if (owner !== undefined) {
        const pair = `${owner}|${index}`;
        const dup = this.duplicatesByPair.get(pair)
          ?? { first: owner, second: index, what: `${principal.describe()} -> permission set '${psName}'`, accounts: [] };
        dup.accounts.push(`${account.name} (${account.accountId})`);
        this.duplicatesByPair.set(pair, dup);
        continue;
      }
      this.owners.set(key, index);
      for (const ref of required) this.requirePolicy(ref, ps as PermissionSet, index, account, ouTargets);
      this.createAssignment(ps, principal, account);
    }
  }

  /**
   * The access-report rows: one per assignment the catalog makes (principal x permission set x account), added as
   * `assign` expands each rule, so assignments made after construction are listed too.
   */
  public accessReportEntries(): AccessReportEntry[] {
    return [...this.reportRows];
  }

  /**
   * Declares that a customer-managed policy exists in these accounts (deployed by something else of the app).
   * @internal
   */
  public _declareExistingCustomerManagedPolicy(name: string, path: string, accountIds: string[]): void {
    const key = `${path}${name}`;
    const set = this.existingPolicies.get(key) ?? new Set<string>();
    for (const id of accountIds) set.add(id);
    this.existingPolicies.set(key, set);
  }

  /**
   * Acknowledges a finding of the `LandingZoneChecks` rule pack (e.g. `LZ-SSO1`) for the assignments of one
   * permission set, principal or OU only, with the reason, without naming the internal constructs the assignments
   * live on. Assignments made before or after the call are covered alike; one that matches nothing fails the synth.
   */
  public acknowledge(ruleId: string, reason: string, options: CatalogAcknowledgementOptions): void {
    const field = `acknowledgements[${this.acknowledgements.length}]`;
    const problems = Problems.of(this);
    if (!RULE_IDS.includes(ruleId)) {
      problems.add(`${field}.ruleId`, `rule id '${ruleId}' is not a rule of the landing zone rule pack; give one of ${RULE_IDS.join(', ')} (without a bracketed finding: the options say which)`);
    }
    if (reason.trim() === '') problems.add(`${field}.reason`, 'an acknowledgement needs a reason: say why the finding is intended');
    if (options.permissionSetName === undefined && options.principal === undefined && options.organizationalUnit === undefined) {
      problems.add(field, `acknowledging '${ruleId}' for every assignment of the catalog: give permissionSetName, principal or organizationalUnit (or acknowledge on the catalog with Validations.of(catalog).acknowledge when that is meant)`);
    }
    if (options.organizationalUnit !== undefined && !this.organization.tryFindOrganizationalUnit(options.organizationalUnit)) {
      problems.add(`${field}.organizationalUnit`, `ou '${options.organizationalUnit}' is not defined in the organization; give an OU path of the model`);
    }
    problems.throwIfAny();
    const ack: CatalogAcknowledgement = { index: this.acknowledgements.length, ruleId, reason, options, matched: 0 };
    this.acknowledgements.push(ack);
    for (const { a, resource } of this.assignmentResources) this.applyAcknowledgement(ack, a, resource);
    const alone = options.principal === undefined && options.organizationalUnit === undefined;
    for (const ps of this.ownSets) {
      if (alone && ps.permissionSetName === options.permissionSetName) {
        Validations.of(ps).acknowledge({ id: ruleId, reason });
        ack.matched++;
      }
    }
  }

  private applyAcknowledgement(ack: CatalogAcknowledgement, a: ShardedAssignment, resource: sso.CfnAssignment): void {
    const { permissionSetName, principal, organizationalUnit } = ack.options;
    if (permissionSetName !== undefined && a.ps.permissionSetName !== permissionSetName) return;
    if (principal !== undefined && a.principal._key !== principal._key) return;
    const ou = a.account.organizationalUnit;
    if (organizationalUnit !== undefined && (ou === undefined || (ou !== organizationalUnit && !ou.startsWith(`${organizationalUnit}/`)))) return;
    Validations.of(resource).acknowledge({ id: ack.ruleId, reason: ack.reason });
    ack.matched++;
  }

  /** The permission sets created by `addPermissionSet` (a copy: add with `addPermissionSet`). */
  public get permissionSets(): PermissionSet[] {
    return [...this.ownSets];
  }

  /** How many assignments the catalog creates. */
  public get assignmentCount(): number {
    return this.count;
  }

  // The OU ids (or the root id) of a selection by OUs, whose StackSet targets then reach accounts added later; a
  // policy deployed to an account the rule excludes grants nothing by itself
  private organizationalUnitTargets(selection: AccountSelection): string[] | undefined {
    const scopes = selection._organizationPathScopes;
    if (scopes === undefined) return undefined;
    const ids = scopes.map((s) => (s.path === '' ? this.organization.rootId : this.organization.tryFindOrganizationalUnit(s.path)?.ouId));
    return ids.every((id) => id !== undefined) ? ids as string[] : undefined;
  }

  private requirePolicy(ref: CustomerManagedPolicyReference, ps: PermissionSet, rule: number, account: AccountDefinition,
    ouTargets: string[] | undefined): void {
    const psName = ps.permissionSetName;
    const key = `${ref.path ?? '/'}${ref.name}`;
    const deployed = this.deployedPolicies.get(key);
    const isManagement = account.accountId === this.organization.managementAccount.accountId;
    if (deployed && !isManagement) {
      if (ouTargets) for (const ou of ouTargets) deployed.organizationalUnits.add(ou);
      else deployed.accounts.add(account.accountId);
      if (!deployed.stackSet) {
        deployed.stackSet = createPolicyStackSet(this, this.organization, key, deployed.def, deployed.accounts, deployed.organizationalUnits);
      }
      // the policy must exist before the permission set that references it is provisioned
      ps.resource.node.addDependency(deployed.stackSet);
      return;
    }
    if (this.existingPolicies.get(key)?.has(account.accountId)) return;
    const missingKey = `${psName}|${key}`;
    const missing = this.missingPolicies.get(missingKey)
      ?? { permissionSet: psName, policy: key, rules: new Set<number>(), accounts: new Map<string, string>() };
    missing.rules.add(rule);
    missing.accounts.set(account.accountId, `${account.name} (${account.accountId})${deployed ? ' [stacksets never deploy to the management account]' : ''}`);
    this.missingPolicies.set(missingKey, missing);
  }

  private createAssignment(ps: IPermissionSet, principal: IdentityCenterPrincipal, account: AccountDefinition): void {
    const principalId = principal._id ?? this.resolvePrincipal(principal);
    // the logical id derives from the key alone, so it never changes when other assignments come or go
    const id = `${ps.permissionSetName}-${principal.kind === PrincipalKind.GROUP ? 'G' : 'U'}${shortHash(principal._key)}-${account.accountId}`;
    const a: ShardedAssignment = { id, ps, principal, account, principalId };
    this.count++;
    this.reportRows.push(permissionSetEntry(ps, principal, account, {
      path: AccessPath.PERMISSION_SET_ASSIGNMENT, elevatedOnly: false, source: this.node.path,
    }));
    this.shards.add(a);
  }

  /** One identity store lookup per distinct name in the catalog's stack; shards receive the id as a parameter. */
  private resolvePrincipal(principal: IdentityCenterPrincipal): string {
    return resolvePrincipalId(this, principal, this.identityStoreId ?? 'd-0000000000', this.resolvedNames);
  }

  private reconcilerConfig(estimate: boolean): unknown {
    return planReconcilerRules({
      organization: this.organization,
      instanceArn: this.instanceArn,
      assignments: this.rules.map((r) => r.assignment),
      resolvedPrincipalId: (key) => this.resolvedNames.get(key),
    }, estimate);
  }

  private validateAll(): string[] {
    const out = [...this.problems];
    for (const ack of this.acknowledgements.filter((k) => k.matched === 0)) {
      const o = ack.options;
      const what = [o.permissionSetName !== undefined ? `permission set '${o.permissionSetName}'` : undefined, o.principal?.describe(),
        o.organizationalUnit !== undefined ? `ou '${o.organizationalUnit}'` : undefined].filter((w) => w !== undefined).join(', ');
      out.push(`acknowledgements[${ack.index}]: '${ack.ruleId}' for ${what} matches no assignment or permission set of the catalog; check the names, or remove the acknowledgement`);
    }
    for (const d of this.duplicatesByPair.values()) {
      const shown = d.accounts.slice(0, 10).join(', ') + (d.accounts.length > 10 ? ` and ${d.accounts.length - 10} more` : '');
      out.push(`assignments[${d.second}]: ${d.what} is already assigned by assignments[${d.first}] in ${shown}; each principal may receive a permission set in an account once`);
    }
    for (const m of this.missingPolicies.values()) {
      // declarations may arrive after the assignment (e.g. an OU baseline added later by LandingZone)
      const existing = this.existingPolicies.get(m.policy);
      const accounts = [...m.accounts].filter(([id]) => !existing?.has(id)).map(([, label]) => label);
      if (accounts.length === 0) continue;
      const shown = accounts.slice(0, 10).join(', ') + (accounts.length > 10 ? ` and ${accounts.length - 10} more` : '');
      const rules = [...m.rules].map((r) => `assignments[${r}]`).join(', ');
      out.push(`${rules}: permission set '${m.permissionSet}' references customer-managed policy '${m.policy}', which is missing in ${shown}; deploy it with customerManagedPolicies or declare where it exists with existingCustomerManagedPolicies`);
    }
    for (const [key, d] of this.deployedPolicies) {
      if (d.accounts.size === 0 && d.organizationalUnits.size === 0 && !d.stackSet) {
        Annotations.of(this).addWarningV2('cdk-iam-landing-zone:unusedCustomerManagedPolicy',
          `customerManagedPolicies[${d.index}]: policy '${key}' is referenced by no assigned permission set and is not deployed`);
      }
    }
    out.push(...this.shards.validate());
    const own = Stack.of(this);
    const ownResources = own.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === own).length;
    if (ownResources > LIMITS.STACK_RESOURCES_SAFE) {
      out.push(`stack ${own.stackName} holds ${ownResources} resources, more than ${LIMITS.STACK_RESOURCES_SAFE}; fewer permission sets or named principals per catalog, or split the catalog`);
    }
    for (const d of duplicates(this.ownSets.map((p) => p.permissionSetName))) {
      const same = this.ownSets.filter((p) => p.permissionSetName.toLowerCase() === d.toLowerCase()).map((p) => `'${p.node.path}'`);
      out.push(`permissionSetName: permission set name '${d}' is used by ${same.join(', ')}, and names are unique per identity center instance (case-insensitively): give all but one a permissionSetName of its own`);
    }
    if (this.ownSets.length > LIMITS.PERMISSION_SETS_PER_INSTANCE) {
      out.push(`permissionSets: ${this.ownSets.length} permission sets, more than the ${LIMITS.PERMISSION_SETS_PER_INSTANCE} of an identity center instance`);
    }
    if (this.reconciler) {
      const size = JSON.stringify(this.reconcilerConfig(true)).length;
      if (size > 3_800) {
        out.push(`dynamicAssignments: the reconciler configuration is about ${size} characters, more than fits the 4 KB lambda environment; use fewer ou-targeted rules in this catalog`);
      }
    }
    return out;
  }
}

const RULE_IDS = Object.values(RULES).map((r) => `${PACK_PREFIX}-${r.id}`);
