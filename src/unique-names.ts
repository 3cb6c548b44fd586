import { CfnResource, Stack, Stage, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { findNameClashes, NameClaim, NameClash, PhysicalNameKind } from './plan/physical-names';

// Fixed IAM names must be unique per account across every stack of the app, in stacks the landing zone composes
// and in the user's own (a CrossAccountRole beside the LandingZone, a second app-level JumpAccount.fromAccountId
// stack): the landing zone's plans know only the first kind, and the rule pack's template index runs only in apps
// that apply it, which would deploy a clash (docs/architecture.md), so this check reads the whole construct tree,
// once per synthesis, and fails the synth.

const OWNER = Symbol.for('cdk-iam-landing-zone.NameOwner');
const COMPOSED = Symbol.for('cdk-iam-landing-zone.ComposedByLandingZone');
const BASELINE = Symbol.for('cdk-iam-landing-zone.OrganizationalUnitBaseline');

/** A library construct that declares fixed names (in its resources, or through a StackSet) and knows the fix. */
export interface NameOwner {
  /** What the user does instead of declaring `name` a second time in `accountId`. */
  fix(kind: PhysicalNameKind, name: string, accountId: string): string;
  /** Names the construct declares in other accounts without a resource of this app (a StackSet's template). */
  deployedNames?(): ReadonlyArray<{ readonly accountId: string; readonly kind: PhysicalNameKind; readonly name: string }>;
}

/** Makes `construct` the owner of the fixed names in its subtree, reporting their clashes at synth. */
export function declareNameOwner(construct: IConstruct, owner: NameOwner): void {
  Object.defineProperty(construct, OWNER, { value: owner });
  construct.node.addValidation({ validate: () => clashesOf(construct).filter((c) => c.reporter === construct.node.path).map((c) => c.message) });
}

/** Marks the landing zone's subtree as composed by it (and an OU's as its baseline). */
export function markComposed(construct: IConstruct, baseline: boolean): void {
  Object.defineProperty(construct, baseline ? BASELINE : COMPOSED, { value: true });
}

const NAMED: ReadonlyArray<[string, PhysicalNameKind, string]> = [
  [iam.CfnRole.CFN_RESOURCE_TYPE_NAME, 'role', 'roleName'],
  [iam.CfnManagedPolicy.CFN_RESOURCE_TYPE_NAME, 'managed policy', 'managedPolicyName'],
  [iam.CfnUser.CFN_RESOURCE_TYPE_NAME, 'user', 'userName'],
  [iam.CfnGroup.CFN_RESOURCE_TYPE_NAME, 'group', 'groupName'],
];

// one reading of the tree per synthesis: validation runs synchronously, so the cache is gone before any change
const cache = new WeakMap<IConstruct, NameClash[]>();

function clashesOf(construct: IConstruct): NameClash[] {
  const root = Stage.of(construct) ?? construct.node.root;
  let found = cache.get(root);
  if (found === undefined) {
    found = findNameClashes(collectClaims(root));
    cache.set(root, found);
    queueMicrotask(() => cache.delete(root));
  }
  return found;
}

function collectClaims(root: IConstruct): NameClaim[] {
  const claims: NameClaim[] = [];
  for (const c of root.node.findAll()) {
    const own = (c as any)[OWNER] as NameOwner | undefined;
    for (const d of own?.deployedNames?.() ?? []) {
      claims.push(claim(c, own, d.accountId, d.kind, d.name));
    }
    if (!CfnResource.isCfnResource(c)) continue;
    const named = NAMED.find(([type]) => type === c.cfnResourceType);
    const name = named && (c as any)[named[2]];
    const account = Stack.of(c).account;
    if (typeof name !== 'string' || Token.isUnresolved(name) || Token.isUnresolved(account)) continue;
    const owner = c.node.scopes.slice().reverse().find((s) => (s as any)[OWNER] !== undefined);
    claims.push(claim(owner ?? c.node.scope!, owner && (owner as any)[OWNER], account, named![1], name));
  }
  return claims;
}

function claim(owner: IConstruct, info: NameOwner | undefined, accountId: string, kind: PhysicalNameKind, name: string): NameClaim {
  const scopes = owner.node.scopes;
  return {
    accountId,
    kind,
    name,
    owner: owner.node.path,
    reports: info !== undefined,
    composed: scopes.some((s) => COMPOSED in s),
    baseline: scopes.some((s) => BASELINE in s),
    fix: info?.fix(kind, name, accountId) ?? 'rename one of them',
  };
}
