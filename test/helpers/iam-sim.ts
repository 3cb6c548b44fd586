/**
 * Shared IAM-simulator helper for semantic tests: evaluate synthesized policies the way IAM would.
 *
 * Wraps `@cloud-copilot/iam-simulate` (AGPL: a devDependency used by tests only, never by `src/`).
 *
 * Two layers:
 * - `simulate(policies, request)`: plain policy JSON in, `{ allowed, decision, reason }` out.
 * - `TemplatePolicies`: pulls the policies that apply to a user or role out of a synthesized template
 *   (inline, group and managed policies, boundary, trust policy) with CloudFormation intrinsics resolved, so a
 *   test can write `simulate(tp.forUser('JumpUserAlice'), { ... })`.
 *
 * The simulator reads `aws:PrincipalArn` and `aws:PrincipalAccount` only from the context it is given; `simulate`
 * fills both (and `aws:username` for IAM users) from `request.principal` unless the request sets them. Every other key (aws:MultiFactorAuthPresent,
 * aws:SourceIp, aws:ViaAWSService, iam:PermissionsBoundary, ...) is absent unless the request passes it, exactly
 * like a real request that does not carry it.
 */
import { getDenialReasons, getGrantReasons, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

/** An IAM policy document as JSON (`{ Version, Statement }`). */
export type PolicyJson = { Version?: string; Statement: unknown[] | unknown };

/** A named policy, as the simulator reports it in reasons. */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyJson;
}

/** One level of the organization hierarchy and the SCPs attached to it (root first, account last). */
export interface ScpLevel {
  /** e.g. `r-ab12`, `ou-ab12-11111111`, or an account id. */
  readonly target: string;
  readonly policies: Array<PolicyJson | NamedPolicy>;
}

/** The policies that decide a request. */
export interface SimPolicies {
  /** Identity policies of the calling principal (inline, group, managed). */
  readonly identityPolicies?: Array<PolicyJson | NamedPolicy>;
  /** The principal's permissions boundary. */
  readonly boundary?: PolicyJson | NamedPolicy;
  /** The resource policy of the target, e.g. a role's trust policy for `sts:AssumeRole`. */
  readonly resourcePolicy?: PolicyJson;
  /**
   * SCPs applying to the principal's account: either one list (treated as a single level, so it must contain an
   * Allow, e.g. `FULL_AWS_ACCESS`, like a real SCP set) or levels root-first.
   */
  readonly scps?: Array<PolicyJson | NamedPolicy>;
  readonly scpLevels?: ScpLevel[];
  /** A session policy passed at AssumeRole time. */
  readonly sessionPolicy?: PolicyJson;
}

/** One request to evaluate. */
export interface SimRequest {
  /** ARN of the calling principal, e.g. `arn:aws:iam::111111111111:user/alice`. */
  readonly principal: string;
  /** e.g. `sts:AssumeRole`. */
  readonly action: string;
  /** ARN of the resource, or `*` for wildcard-only actions. */
  readonly resource: string;
  /** Account owning the resource. @default - the account in the resource ARN, else the principal's account */
  readonly resourceAccount?: string;
  /** Context keys, e.g. `{ 'aws:MultiFactorAuthPresent': 'true', 'aws:SourceIp': '203.0.113.5' }`. */
  readonly context?: Record<string, string | string[]>;
  /**
   * The organization the accounts belong to: AWS then adds `aws:PrincipalOrgID`, `aws:ResourceAccount` and
   * `aws:ResourceOrgID` to the request, as it does for principals and resources of an organization (keys given in
   * `context` win).
   * @default - no organization keys
   */
  readonly organization?: SimOrganization;
}

/** An organization as the simulator needs it: its id and its member accounts. */
export interface SimOrganization {
  readonly id: string;
  readonly accountIds: readonly string[];
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface SimResult {
  readonly allowed: boolean;
  readonly decision: Decision;
  /** Human-readable why: the deciding statements (policy type, policy name, Sid). */
  readonly reason: string;
  /** Context keys the simulator dropped because they do not apply to the action (useful when debugging). */
  readonly ignoredContextKeys: string[];
  /** The raw simulator response, for debugging. */
  readonly raw: unknown;
}

/** The SCP AWS attaches by default; needed at each SCP level you simulate. */
export const FULL_AWS_ACCESS: NamedPolicy = {
  name: 'FullAWSAccess',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** Context of a request made with an MFA-authenticated session (`ageSeconds` feeds aws:MultiFactorAuthAge). */
export function withMfa(ageSeconds = 60, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': String(ageSeconds), ...extra };
}

/**
 * Evaluates one request against the given policies. Throws when the simulator rejects the input (invalid policy,
 * unknown action, resource type not matching the action), so a typo cannot pass as "denied".
 */
export async function simulate(policies: SimPolicies, request: SimRequest): Promise<SimResult> {
  const principalAccount = accountOf(request.principal);
  const userName = /^arn:[\w-]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(request.principal)?.[1];
  const resourceAccount = request.resourceAccount ?? accountOf(request.resource) ?? principalAccount ?? '';
  const org = request.organization;
  const member = (account: string | undefined) => org !== undefined && account !== undefined && org.accountIds.includes(account);
  const context: Record<string, string | string[]> = {
    'aws:PrincipalArn': request.principal,
    ...(principalAccount ? { 'aws:PrincipalAccount': principalAccount } : {}),
    ...(userName ? { 'aws:username': userName } : {}),
    ...(member(principalAccount) ? { 'aws:PrincipalOrgID': org!.id } : {}),
    ...(org && resourceAccount ? { 'aws:ResourceAccount': resourceAccount } : {}),
    ...(member(resourceAccount) ? { 'aws:ResourceOrgID': org!.id } : {}),
    ...(request.context ?? {}),
  };
  const scpLevels: ScpLevel[] = policies.scpLevels
    ?? (policies.scps ? [{ target: principalAccount ?? 'account', policies: policies.scps }] : []);
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: {
        resource: request.resource,
        accountId: resourceAccount,
      },
      contextVariables: context,
    },
    identityPolicies: (policies.identityPolicies ?? []).map((p, i) => named(p, `identity${i}`)),
    permissionBoundaryPolicies: policies.boundary ? [named(policies.boundary, 'boundary')] : undefined,
    resourcePolicy: policies.resourcePolicy,
    sessionPolicy: policies.sessionPolicy,
    serviceControlPolicies: scpLevels.map((l) => ({
      orgIdentifier: l.target,
      policies: l.policies.map((p, i) => named(p, `scp${i}`)),
    })),
    resourceControlPolicies: [],
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') {
    throw new Error(`simulator rejected the input: ${JSON.stringify(response.errors, null, 2)}`);
  }
  const decision = response.overallResult as Decision;
  const result = response.resultType === 'single' ? response.result : response.results[0];
  return {
    allowed: decision === 'Allowed',
    decision,
    reason: explain(decision, result?.analysis),
    ignoredContextKeys: result?.ignoredContextKeys ?? [],
    raw: response,
  };
}

/** What a principal is evaluated with: its policies (e.g. `TemplatePolicies.forRole`) and the SCPs of its account. */
export interface PrincipalWorld {
  readonly arn: string;
  readonly identityPolicies: Array<PolicyJson | NamedPolicy>;
  readonly boundary?: PolicyJson | NamedPolicy;
  readonly scpLevels?: ScpLevel[];
  /** The organization of the principal's account (see `SimRequest.organization`). */
  readonly organization?: SimOrganization;
}

/**
 * A function that asks whether `principal` may do `action` on `resource`, with its identity policies, its boundary
 * and the SCPs of its account; `resourcePolicy` is the target's resource policy (a role's trust for sts:AssumeRole).
 */
export function asPrincipal(principal: PrincipalWorld) {
  return (action: string, resource: string, context: Record<string, string | string[]> = {}, resourcePolicy?: PolicyJson) =>
    simulate({
      identityPolicies: principal.identityPolicies,
      boundary: principal.boundary,
      scpLevels: principal.scpLevels,
      resourcePolicy,
    }, { principal: principal.arn, action, resource, context, organization: principal.organization });
}

function named(p: PolicyJson | NamedPolicy, fallback: string): { name: string; policy: any } {
  if ((p as NamedPolicy).policy !== undefined && (p as NamedPolicy).name !== undefined) {
    return { name: (p as NamedPolicy).name, policy: (p as NamedPolicy).policy };
  }
  return { name: fallback, policy: p };
}

function accountOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 5 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

// Summarises which statements decided, e.g. "ExplicitlyDenied by pb 'lz-permissions-boundary' (DenyBoundaryRemoval)".
function explain(decision: Decision, analysis: any): string {
  if (!analysis) return decision;
  const where = (r: any) => {
    const policy = r.policyIdentifier ?? r.identifier ?? r.orgIdentifier;
    const stmt = r.statementId ?? (r.statementIndex !== undefined ? `#${r.statementIndex}` : undefined);
    return `${r.policyType}${policy ? ` '${policy}'` : ''}${stmt ? ` (${stmt})` : ''}`;
  };
  if (decision === 'Allowed') {
    return `Allowed by ${getGrantReasons(analysis).map(where).join(', ')}`;
  }
  const denials = getDenialReasons(analysis);
  return `${decision} by ${denials.map(where).join(', ') || 'no statement allowing it'}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Pulling policies out of synthesized templates

/** Options for resolving a template's intrinsics. */
export interface TemplatePoliciesOptions {
  /** The account the stack deploys to (its `AWS::AccountId`). */
  readonly accountId: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /**
   * Documents of managed policies referenced by ARN that are not in the template (customer-managed in another
   * stack, or AWS managed policies the helper does not know), by full ARN or by AWS managed policy name.
   */
  readonly managedPolicies?: Record<string, PolicyJson>;
  /** Values of `Fn::ImportValue` by export name. @default - `imported:<name>` */
  readonly imports?: Record<string, string>;
}

/** The policies of one principal in a template. */
export interface PrincipalPolicies {
  /** The principal's ARN as it would exist after deployment. */
  readonly arn: string;
  readonly identityPolicies: NamedPolicy[];
  readonly boundary?: NamedPolicy;
  /** Roles only: the trust policy. */
  readonly trustPolicy?: PolicyJson;
}

/**
 * Reads the policies of users and roles out of a synthesized template (`Template.fromStack(stack).toJSON()`),
 * resolving `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub` (pseudo parameters only), `Fn::Select`, `Fn::Split` and
 * `Fn::If` (condition treated as true) against the given account.
 */
export class TemplatePolicies {
  private readonly resources: Record<string, any>;
  private readonly partition: string;
  private readonly region: string;

  constructor(template: any, private readonly options: TemplatePoliciesOptions) {
    this.resources = template.Resources ?? {};
    this.partition = options.partition ?? 'aws';
    this.region = options.region ?? 'us-east-1';
  }

  /** Logical id of the single resource of `type` whose properties contain `match` (shallow equality per key). */
  public logicalId(type: string, match: Record<string, unknown> = {}): string {
    const ids = Object.entries(this.resources)
      .filter(([, r]) => r.Type === type)
      .filter(([, r]) => Object.entries(match).every(([k, v]) => JSON.stringify(this.resolve(r.Properties?.[k])) === JSON.stringify(v)))
      .map(([id]) => id);
    if (ids.length !== 1) {
      throw new Error(`expected one ${type} matching ${JSON.stringify(match)}, found ${ids.length}: ${ids.join(', ')}`);
    }
    return ids[0];
  }

  /** The policies of the IAM user with this logical id or `UserName`. */
  public forUser(idOrName: string): PrincipalPolicies {
    const id = this.resources[idOrName] ? idOrName : this.logicalId('AWS::IAM::User', { UserName: idOrName });
    const user = this.resources[id].Properties ?? {};
    const groupIds: string[] = (user.Groups ?? []).map((g: any) => this.refTarget(g)).filter((g: any): g is string => !!g);
    const policies: NamedPolicy[] = [];
    policies.push(...this.inlineOf(user.Policies, id));
    policies.push(...this.managedArns(user.ManagedPolicyArns));
    for (const gid of groupIds) {
      const group = this.resources[gid]?.Properties ?? {};
      policies.push(...this.inlineOf(group.Policies, gid));
      policies.push(...this.managedArns(group.ManagedPolicyArns));
    }
    policies.push(...this.attached('Users', [id]), ...this.attached('Groups', groupIds));
    return {
      arn: this.resolve({ 'Fn::GetAtt': [id, 'Arn'] }),
      identityPolicies: policies,
      boundary: this.boundaryOf(user.PermissionsBoundary),
    };
  }

  /** The policies of the IAM role with this logical id or `RoleName`. */
  public forRole(idOrName: string): PrincipalPolicies {
    const id = this.resources[idOrName] ? idOrName : this.logicalId('AWS::IAM::Role', { RoleName: idOrName });
    const role = this.resources[id].Properties ?? {};
    return {
      arn: this.resolve({ 'Fn::GetAtt': [id, 'Arn'] }),
      identityPolicies: [
        ...this.inlineOf(role.Policies, id),
        ...this.managedArns(role.ManagedPolicyArns),
        ...this.attached('Roles', [id]),
      ],
      boundary: this.boundaryOf(role.PermissionsBoundary),
      trustPolicy: this.resolve(role.AssumeRolePolicyDocument),
    };
  }

  /** The document of the managed policy with this logical id, `ManagedPolicyName`, ARN or AWS managed name. */
  public managedPolicy(ref: string): NamedPolicy {
    const direct = this.resources[ref]?.Type === 'AWS::IAM::ManagedPolicy' ? ref : undefined;
    const byName = direct ?? Object.entries(this.resources)
      .find(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties?.ManagedPolicyName === ref)?.[0];
    if (byName) {
      const props = this.resources[byName].Properties;
      return { name: props.ManagedPolicyName ?? byName, policy: this.resolve(props.PolicyDocument) };
    }
    return this.managedByArn(ref);
  }

  /** Resolves CloudFormation intrinsics in `value` against this template and account. */
  public resolve(value: any): any {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = value[k];
      switch (k) {
        case 'Ref': return this.ref(arg);
        case 'Fn::GetAtt': return this.getAtt(arg[0], arg[1]);
        case 'Fn::Join': return (this.resolve(arg[1]) as any[]).map(String).join(arg[0]);
        case 'Fn::Select': return this.resolve(arg[1])[Number(this.resolve(arg[0]))];
        case 'Fn::Split': return String(this.resolve(arg[1])).split(arg[0]);
        case 'Fn::If': return this.resolve(arg[1]);
        case 'Fn::ImportValue': {
          const name = this.resolve(arg);
          return this.options.imports?.[name] ?? `imported:${name}`;
        }
        case 'Fn::Sub': {
          const text: string = Array.isArray(arg) ? arg[0] : arg;
          const vars = Array.isArray(arg) ? this.resolve(arg[1]) : {};
          return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
            if (name in vars) return vars[name];
            const [rid, att] = name.split('.');
            return att ? this.getAtt(rid, att) : this.ref(name);
          });
        }
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(value[k])]));
  }

  private ref(name: string): string {
    switch (name) {
      case 'AWS::Partition': return this.partition;
      case 'AWS::AccountId': return this.options.accountId;
      case 'AWS::Region': return this.region;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return 'Stack';
      case 'AWS::NoValue': return undefined as any;
    }
    const r = this.resources[name];
    if (!r) throw new Error(`cannot resolve Ref '${name}'`);
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${this.partition}:iam::${this.options.accountId}:policy${p.Path ?? '/'}${p.ManagedPolicyName ?? name}`;
      case 'AWS::IAM::Role': return p.RoleName ?? name;
      case 'AWS::IAM::User': return p.UserName ?? name;
      case 'AWS::IAM::Group': return p.GroupName ?? name;
      case 'AWS::SecretsManager::Secret':
        return `arn:${this.partition}:secretsmanager:${this.region}:${this.options.accountId}:secret:${p.Name ?? name}-AbCdEf`;
      case 'AWS::SNS::Topic': return this.arnOf('sns', `${this.resolve(p.TopicName) ?? name}`);
      case 'AWS::StepFunctions::StateMachine': return this.arnOf('states', `stateMachine:${this.resolve(p.StateMachineName) ?? name}`);
      default: return this.resolve(NAME_PROPERTY[r.Type] ? p[NAME_PROPERTY[r.Type]] : undefined) ?? name;
    }
  }

  /** The ARN of a non-IAM resource as it would exist after deployment (generated names stand in as the logical id). */
  private arnOf(service: string, resource: string): string {
    const global = service === 's3';
    return `arn:${this.partition}:${service}:${global ? '' : this.region}:${global ? '' : this.options.accountId}:${resource}`;
  }

  /** The ARN of the resource with this logical id (IAM principals and policies, and the common non-IAM types). */
  public resourceArn(id: string): string {
    const r = this.resources[id];
    if (!r) throw new Error(`no resource ${id}`);
    if (r.Type === 'AWS::IAM::ManagedPolicy') return this.ref(id);
    return r.Type.startsWith('AWS::IAM::') ? this.getAtt(id, 'Arn') : this.nonIamArn(id, r) ?? (() => { throw new Error(`no ARN for ${r.Type}`); })();
  }

  private nonIamArn(id: string, r: any): string | undefined {
    const p = r.Properties ?? {};
    const name = (prop: string) => this.resolve(p[prop]) ?? id;
    switch (r.Type) {
      case 'AWS::S3::Bucket': return this.arnOf('s3', name('BucketName'));
      case 'AWS::DynamoDB::Table': case 'AWS::DynamoDB::GlobalTable': return this.arnOf('dynamodb', `table/${name('TableName')}`);
      case 'AWS::Lambda::Function': return this.arnOf('lambda', `function:${name('FunctionName')}`);
      case 'AWS::KMS::Key': return this.arnOf('kms', `key/${id}`);
      case 'AWS::Logs::LogGroup': return this.arnOf('logs', `log-group:${name('LogGroupName')}:*`);
      case 'AWS::Events::Rule': return this.arnOf('events', `rule/${name('Name')}`);
      case 'AWS::SNS::Topic': case 'AWS::StepFunctions::StateMachine': return this.ref(id);
    }
    return undefined;
  }

  private getAtt(id: string, att: string): string {
    const r = this.resources[id];
    if (!r) throw new Error(`cannot resolve Fn::GetAtt '${id}.${att}'`);
    const p = r.Properties ?? {};
    const path = p.Path ?? '/';
    if (att === 'Arn') {
      switch (r.Type) {
        case 'AWS::IAM::Role': return `arn:${this.partition}:iam::${this.options.accountId}:role${path}${p.RoleName ?? id}`;
        case 'AWS::IAM::User': return `arn:${this.partition}:iam::${this.options.accountId}:user${path}${p.UserName ?? id}`;
        case 'AWS::IAM::Group': return `arn:${this.partition}:iam::${this.options.accountId}:group${path}${p.GroupName ?? id}`;
        case 'AWS::IAM::ManagedPolicy': return this.ref(id);
      }
    }
    if (att === 'Arn' || att === 'TopicArn') {
      const arn = this.nonIamArn(id, r);
      if (arn) return arn;
    }
    return `${id}.${att}`;
  }

  private refTarget(value: any): string | undefined {
    if (value && typeof value === 'object' && typeof value.Ref === 'string') return value.Ref;
    if (typeof value === 'string') {
      return Object.entries(this.resources).find(([, r]) => r.Properties?.GroupName === value)?.[0];
    }
    return undefined;
  }

  private inlineOf(policies: any[] | undefined, owner: string): NamedPolicy[] {
    return (policies ?? []).map((p, i) => ({ name: p.PolicyName ?? `${owner}Inline${i}`, policy: this.resolve(p.PolicyDocument) }));
  }

  private attached(field: 'Users' | 'Groups' | 'Roles', ids: string[]): NamedPolicy[] {
    if (ids.length === 0) return [];
    const out: NamedPolicy[] = [];
    for (const [id, r] of Object.entries(this.resources)) {
      if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
      const targets: any[] = r.Properties?.[field] ?? [];
      if (!targets.some((t) => ids.includes(this.refTarget(t) ?? ''))) continue;
      out.push({ name: r.Properties.PolicyName ?? r.Properties.ManagedPolicyName ?? id, policy: this.resolve(r.Properties.PolicyDocument) });
    }
    return out;
  }

  private managedArns(arns: any[] | undefined): NamedPolicy[] {
    return (arns ?? []).map((a) => {
      // a Ref to a managed policy of this template resolves to the document directly
      if (a && typeof a === 'object' && typeof a.Ref === 'string' && this.resources[a.Ref]?.Type === 'AWS::IAM::ManagedPolicy') {
        return this.managedPolicy(a.Ref);
      }
      return this.managedByArn(this.resolve(a));
    });
  }

  private boundaryOf(value: any): NamedPolicy | undefined {
    if (value === undefined) return undefined;
    if (value && typeof value === 'object' && typeof value.Ref === 'string' && this.resources[value.Ref]?.Type === 'AWS::IAM::ManagedPolicy') {
      return this.managedPolicy(value.Ref);
    }
    return this.managedByArn(this.resolve(value));
  }

  private managedByArn(arn: string): NamedPolicy {
    const own = Object.keys(this.resources).find((id) => this.resources[id].Type === 'AWS::IAM::ManagedPolicy' && this.ref(id) === arn);
    if (own) return this.managedPolicy(own);
    const given = this.options.managedPolicies?.[arn];
    if (given) return { name: arn, policy: given };
    const awsName = /^arn:[\w-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
    if (awsName) {
      const doc = this.options.managedPolicies?.[awsName] ?? AWS_MANAGED_POLICIES[awsName];
      if (doc) return { name: awsName, policy: doc };
    }
    throw new Error(`no document for managed policy '${arn}': pass it in options.managedPolicies`);
  }
}

// The property holding the name a `Ref` returns, for resources whose `Ref` is their name.
const NAME_PROPERTY: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Events::Rule': 'Name',
};

// ReadOnlyAccess covers every service; these are the ones tests touch.
const READ_ONLY_SERVICES = [
  'cloudformation', 'cloudtrail', 'cloudwatch', 'dynamodb', 'ec2', 'ecs', 'iam', 'kms', 'lambda', 'logs', 'rds', 's3',
  'secretsmanager', 'sns', 'sqs', 'ssm', 'sts',
];

/**
 * Documents of the AWS managed policies the library's permission levels use. `AdministratorAccess`,
 * `PowerUserAccess` and `IAMFullAccess` follow the published documents; `ReadOnlyAccess` is reduced to its shape
 * (read-style verbs on the common services), which is what tests about it need.
 */
export const AWS_MANAGED_POLICIES: Record<string, PolicyJson> = {
  AdministratorAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  PowerUserAccess: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'account:GetAccountInformation', 'account:GetPrimaryEmail', 'account:ListRegions',
          'iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles',
          'organizations:DescribeOrganization',
        ],
        Resource: '*',
      },
    ],
  },
  IAMFullAccess: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization',
          'organizations:DescribeOrganizationalUnit', 'organizations:DescribePolicy',
          'organizations:ListChildren', 'organizations:ListParents', 'organizations:ListPoliciesForTarget',
          'organizations:ListRoots', 'organizations:ListPolicies', 'organizations:ListTargetsForPolicy',
        ],
        Resource: '*',
      },
    ],
  },
  ReadOnlyAccess: {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Action: READ_ONLY_SERVICES.flatMap((s) => [`${s}:Describe*`, `${s}:Get*`, `${s}:List*`, `${s}:BatchGet*`]),
      Resource: '*',
    }],
  },
};
