// Reads IAM-relevant facts out of CloudFormation resources, whoever created them (L1, L2, CfnInclude, raw
// CfnResource). Used by the rule pack and the enforcing aspects; imports no construct of the library.
import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ACCOUNT_ID_PATTERN } from './patterns';

/** A value only known at deploy time to be the stack's own account (`Ref: AWS::AccountId`). */
export const SELF_ACCOUNT = '${AWS::AccountId}';

/**
 * The resource's properties as CloudFormation receives them (property overrides applied), intrinsics left as
 * CloudFormation JSON. Only for finished trees (validation time): it resolves cached lazy values.
 */
export function renderedProperties(node: CfnResource): Record<string, any> {
  const stack = Stack.of(node);
  const rendered = stack.resolve((node as any)._toCloudFormation());
  const logicalId = stack.resolve(node.logicalId);
  return rendered?.Resources?.[logicalId]?.Properties ?? {};
}

/**
 * One property as it stands now, without resolving anything else of the resource (safe during the aspect phase).
 * Returns `partialOverride: true` when a raw override reaches inside the property, which a reader cannot merge.
 */
export function currentProperty(node: CfnResource, key: string): { value: any; partialOverride: boolean } {
  const overrides = (node as any).rawOverrides?.Properties;
  if (overrides && key in overrides) {
    const o = overrides[key];
    // a full document override replaces the property; anything else is a deep patch of it
    const full = o === null || typeof o !== 'object' || Array.isArray(o) || Array.isArray(o.Statement) || Token.isUnresolved(o);
    return { value: o, partialOverride: !full };
  }
  const camel = key.charAt(0).toLowerCase() + key.slice(1);
  if (camel in node) return { value: (node as any)[camel], partialOverride: false };
  return { value: (node as any)._cfnProperties?.[key], partialOverride: false };
}

/** The stack's account id when concrete, else undefined. */
export function stackAccount(node: IConstruct): string | undefined {
  const account = Stack.of(node).account;
  return Token.isUnresolved(account) ? undefined : account;
}

/**
 * Flattens a resolved CloudFormation value to a string where it is built from literals and pseudo parameters
 * (`Fn::Join`, `Fn::Sub`, `Ref: AWS::Partition`); `AWS::AccountId` becomes `SELF_ACCOUNT`. Undefined otherwise.
 */
export function flatten(value: any): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const arg = value[keys[0]];
  switch (keys[0]) {
    case 'Ref':
      return pseudo(arg);
    case 'Fn::Join': {
      if (!Array.isArray(arg) || !Array.isArray(arg[1])) return undefined;
      const parts = arg[1].map(flatten);
      return parts.every((p: string | undefined) => p !== undefined) ? parts.join(arg[0]) : undefined;
    }
    case 'Fn::Sub': {
      if (typeof arg !== 'string') return undefined;
      let ok = true;
      const out = arg.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
        const p = pseudo(name);
        if (p === undefined) ok = false;
        return p ?? '';
      });
      return ok ? out : undefined;
    }
    default:
      return undefined;
  }
}

function pseudo(name: string): string | undefined {
  switch (name) {
    case 'AWS::Partition': return 'aws';
    case 'AWS::AccountId': return SELF_ACCOUNT;
    case 'AWS::URLSuffix': return 'amazonaws.com';
    default: return undefined;
  }
}

export function toArray<T = any>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A policy document given as an object or a JSON string. */
export function parseDocument(value: any): any {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return value;
}

export function statementsOf(doc: any): any[] {
  const d = parseDocument(doc);
  if (!d || typeof d !== 'object') return [];
  return toArray(d.Statement).filter((s) => s && typeof s === 'object');
}

/** Whether an action list (with IAM wildcards) covers `action`. */
export function coversAction(actions: any, action: string): boolean {
  return toArray(actions).some((a) => typeof a === 'string' && wildcardMatch(a, action));
}

export function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.split('?').map(escapeRe).join('.')).join('.*') + '$', 'i');
  return re.test(value);
}

function escapeRe(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** The raw values of a statement's `Principal.AWS` (`Principal: '*'` counts as `AWS: '*'`). */
export function awsPrincipals(statement: any): any[] {
  const p = statement.Principal;
  if (p === '*') return ['*'];
  if (!p || typeof p !== 'object') return [];
  return toArray(p.AWS);
}

export function federatedPrincipals(statement: any): string[] {
  const p = statement.Principal;
  if (!p || typeof p !== 'object') return [];
  return toArray(p.Federated).map(flatten).filter((v): v is string => v !== undefined);
}

/** Who an AWS principal value stands for. */
export interface PrincipalFacts {
  /** `any` = `*`; `account` = a known 12-digit account; `self` = the stack's own account; `unknown` = unresolvable. */
  readonly kind: 'any' | 'account' | 'self' | 'unknown';
  readonly account?: string;
  /** The principal as text, for findings. */
  readonly label: string;
  /** The whole account (`:root` or a bare id) rather than a user or role of it. */
  readonly wholeAccount: boolean;
  /** The flattened ARN, when known. */
  readonly arn?: string;
}

export function principalFacts(value: any, ownAccount: string | undefined, sameTemplate?: (v: any) => boolean): PrincipalFacts {
  const text = flatten(value);
  if (text === undefined) {
    const self = sameTemplate?.(value) ?? false;
    return { kind: self ? 'self' : 'unknown', label: JSON.stringify(value), wholeAccount: false };
  }
  if (text === '*') return { kind: 'any', label: '*', wholeAccount: true };
  if (ACCOUNT_ID_PATTERN.test(text) || text === SELF_ACCOUNT) return accountFacts(text, ownAccount, text, true);
  const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}|\$\{AWS::AccountId\}):(.*)$/.exec(text);
  if (m) return accountFacts(m[1], ownAccount, text, m[2] === 'root', text);
  return { kind: 'unknown', label: text, wholeAccount: false, arn: text };
}

function accountFacts(id: string, ownAccount: string | undefined, label: string, whole: boolean, arn?: string): PrincipalFacts {
  if (id === SELF_ACCOUNT || (ownAccount !== undefined && id === ownAccount)) {
    return { kind: 'self', account: ownAccount, label, wholeAccount: whole, arn };
  }
  return { kind: 'account', account: id, label, wholeAccount: whole, arn };
}

/** A `Fn::GetAtt` / `Ref` to a resource of the same template (such a principal lives in the stack's account). */
export function refersToSameTemplate(value: any): boolean {
  if (!value || typeof value !== 'object') return false;
  if (typeof value.Ref === 'string') return !value.Ref.startsWith('AWS::');
  return Array.isArray(value['Fn::GetAtt']);
}

/**
 * Whether a statement's conditions require MFA: `Bool aws:MultiFactorAuthPresent true` or a
 * `NumericLessThan(Equals) aws:MultiFactorAuthAge` bound. `BoolIfExists` does not count: it passes when the key is
 * absent, which is exactly the case of long-term access keys.
 */
export function requiresMfa(statement: any): boolean {
  const c = statement.Condition;
  if (!c || typeof c !== 'object') return false;
  const present = valueOf(c.Bool, 'aws:MultiFactorAuthPresent');
  if (present.length > 0 && present.every((v) => String(v).toLowerCase() === 'true')) return true;
  return ['NumericLessThan', 'NumericLessThanEquals'].some((op) => valueOf(c[op], 'aws:MultiFactorAuthAge').length > 0);
}

/** Values of a condition key under one operator, matching the key case-insensitively like IAM. */
export function valueOf(block: any, key: string): any[] {
  if (!block || typeof block !== 'object') return [];
  const found = Object.keys(block).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? [] : toArray(block[found]);
}

// Actions a user without MFA may still call so that they can set up MFA and change their password.
const MFA_SELF_SERVICE = [
  /^iam:[a-z]*MFADevices?$/i,
  /^iam:(ChangePassword|GetAccountPasswordPolicy|GetUser|ListUsers|GetLoginProfile|ListAccountAliases|GetAccountSummary)$/i,
  /^sts:GetSessionToken$/i,
];

/**
 * Whether a policy enforces MFA: a Deny of everything but MFA/password self-service (`NotAction`) on `*` under
 * `BoolIfExists aws:MultiFactorAuthPresent false` (IfExists so that access-key calls, which carry no MFA key,
 * are denied too).
 */
export function enforcesMfa(doc: any): boolean {
  return statementsOf(doc).some((s) => {
    if (s.Effect !== 'Deny' || s.NotAction === undefined || s.Action !== undefined) return false;
    const notActions = toArray(s.NotAction);
    if (!notActions.every((a) => typeof a === 'string' && MFA_SELF_SERVICE.some((re) => re.test(a)))) return false;
    if (!toArray(s.Resource).includes('*') || s.NotResource !== undefined) return false;
    const c = s.Condition ?? {};
    const keys = Object.keys(c);
    const absent = valueOf(c.BoolIfExists, 'aws:MultiFactorAuthPresent');
    // any further condition would narrow the deny, so the policy would no longer hold every caller
    return keys.length === 1 && absent.length > 0 && absent.every((v) => String(v).toLowerCase() === 'false')
      && Object.keys(c.BoolIfExists).length === 1;
  });
}

/**
 * Whether an SCP denies the root user of member accounts: a Deny of every action (`Action: *`, or `NotAction`
 * exceptions) on `*` conditioned on `aws:PrincipalArn` matching `arn:aws:iam::*:root`.
 */
export function deniesRootUser(doc: any): boolean {
  return statementsOf(doc).some((s) => {
    if (s.Effect !== 'Deny') return false;
    const everything = toArray(s.Action).includes('*') || s.NotAction !== undefined;
    if (!everything || !toArray(s.Resource).includes('*')) return false;
    const c = s.Condition ?? {};
    return ['ArnLike', 'ArnEquals', 'StringLike', 'StringEquals'].some((op) =>
      valueOf(c[op], 'aws:PrincipalArn').some((v) => /^arn:[^:]+:iam::(\*|\d{12}):root$/.test(String(flatten(v) ?? ''))),
    );
  });
}

/**
 * What the rules look up across resources, computed once per validation run so that judging one resource costs the
 * same in a small app and at 10,000 accounts: each resource's properties (read from the synthesized template when
 * the run was handed one, else resolved once), resources by logical id per stack and exports by name.
 */
export class TemplateIndex {
  private readonly properties = new Map<CfnResource, Record<string, any>>();
  private readonly templates = new Map<Stack, Record<string, any> | undefined>();
  private byStack?: Map<Stack, Map<string, CfnResource>>;
  private exports?: Map<string, { readonly stack: Stack; readonly value: any }>;
  private readonly iam = new Map<Stack, Map<string, { readonly type: string; readonly props: Record<string, any> }>>();

  /**
   * @param root the app (or stage) the run judges
   * @param templatePaths the synthesized template of each top-level stack, by the stack's construct path (what the
   *   validation context hands plugins); without it, properties are resolved from the constructs
   */
  constructor(private readonly root: IConstruct, private readonly templatePaths: ReadonlyMap<string, string> = new Map()) {}

  /** The resource's properties as CloudFormation receives them (see `renderedProperties`). */
  public propertiesOf(node: CfnResource): Record<string, any> {
    let props = this.properties.get(node);
    if (props === undefined) {
      const stack = Stack.of(node);
      const template = this.templateOf(stack);
      props = template === undefined ? renderedProperties(node) : template.Resources?.[stack.resolve(node.logicalId)]?.Properties ?? {};
      this.properties.set(node, props!);
    }
    return props!;
  }

  /** The CloudFormation resources of one stack (not of its nested stacks), by logical id. */
  public resourcesOf(stack: Stack): ReadonlyMap<string, CfnResource> {
    if (this.byStack === undefined) {
      this.byStack = new Map();
      for (const c of this.root.node.findAll()) {
        if (!CfnResource.isCfnResource(c)) continue;
        const s = Stack.of(c);
        if (!this.byStack.has(s)) this.byStack.set(s, new Map());
        this.byStack.get(s)!.set(s.resolve(c.logicalId), c);
      }
    }
    return this.byStack.get(stack) ?? new Map();
  }

  /** The stack's `AWS::IAM::*` resources (users, groups, policies) with their properties, by logical id. */
  public iamResourcesOf(stack: Stack): ReadonlyMap<string, { readonly type: string; readonly props: Record<string, any> }> {
    let found = this.iam.get(stack);
    if (found === undefined) {
      found = new Map();
      for (const [id, r] of this.resourcesOf(stack)) {
        if (r.cfnResourceType.startsWith('AWS::IAM::')) found.set(id, { type: r.cfnResourceType, props: this.propertiesOf(r) });
      }
      this.iam.set(stack, found);
    }
    return found;
  }

  /** The stack exporting `name` (a resolved `Fn::ImportValue` argument) and the exported value. */
  public exported(name: any): { readonly stack: Stack; readonly value: any } | undefined {
    if (this.exports === undefined) {
      this.exports = new Map();
      for (const c of this.root.node.findAll()) {
        if (!CfnElement.isCfnElement(c) || CfnResource.isCfnResource(c)) continue;
        const stack = Stack.of(c);
        const rendered = stack.resolve((c as any)._toCloudFormation());
        for (const output of Object.values<any>(rendered?.Outputs ?? {})) {
          const key = JSON.stringify(output?.Export?.Name);
          if (key !== undefined && !this.exports.has(key)) this.exports.set(key, { stack, value: output.Value });
        }
      }
    }
    return this.exports.get(JSON.stringify(name));
  }

  private templateOf(stack: Stack): Record<string, any> | undefined {
    if (!this.templates.has(stack)) {
      const file = this.templateFile(stack);
      this.templates.set(stack, file !== undefined && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined);
    }
    return this.templates.get(stack);
  }

  // a nested stack's template is written next to its parent's
  private templateFile(stack: Stack): string | undefined {
    const parent = stack.nestedStackParent;
    if (parent === undefined) return this.templatePaths.get(stack.node.path);
    const parentFile = this.templateFile(parent);
    return parentFile === undefined ? undefined : path.join(path.dirname(parentFile), stack.templateFile);
  }
}

/**
 * The resource a resolved value points at: `Ref` / `Fn::GetAtt` in the same stack, or `Fn::ImportValue` of an
 * export of another stack of the same app. Undefined for literals and anything else.
 */
export function referencedResource(from: IConstruct, value: any, index: TemplateIndex, depth = 0): CfnResource | undefined {
  if (!value || typeof value !== 'object' || depth > 3) return undefined;
  const stack = Stack.of(from);
  const logicalId = typeof value.Ref === 'string' ? value.Ref
    : Array.isArray(value['Fn::GetAtt']) ? value['Fn::GetAtt'][0] : undefined;
  if (typeof logicalId === 'string') {
    const found = index.resourcesOf(stack).get(logicalId);
    // a parameter of a nested stack: follow the value its parent passes in
    const parent = stack.nestedStackResource;
    if (found === undefined && parent !== undefined && typeof value.Ref === 'string') {
      return referencedResource(parent, index.propertiesOf(parent).Parameters?.[value.Ref], index, depth + 1);
    }
    return found;
  }
  const exportName = value['Fn::ImportValue'];
  if (exportName === undefined) return undefined;
  const exported = index.exported(exportName);
  return exported === undefined ? undefined : referencedResource(exported.stack, exported.value, index, depth + 1);
}
