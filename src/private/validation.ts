import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { Organization } from '../organization';
import { ACCOUNT_ID_PATTERN, IAM_NAME_PATTERN, IAM_PATH_PATTERN } from './patterns';

/**
 * Collects every problem of one construct so the user can fix them in one pass.
 * Messages: lowercase, no trailing period, what was received and what is expected.
 */
export class Problems {
  public static of(scope: IConstruct): Problems {
    return new Problems(scope.node.path || '<root>');
  }

  private readonly items: string[] = [];

  constructor(private readonly where: string) {}

  public add(field: string, message: string): void {
    this.items.push(`${field}: ${message}`);
  }

  /** Adds `message` for `field` when it is defined (validators return undefined when fine). */
  public check(field: string, message: string | undefined): void {
    if (message !== undefined) this.add(field, message);
  }

  public get messages(): string[] {
    return [...this.items];
  }

  public get isEmpty(): boolean {
    return this.items.length === 0;
  }

  /** Throws one error naming the construct path and every problem. */
  public throwIfAny(): void {
    if (this.items.length === 0) return;
    throw new Error(formatProblems(this.where, this.items));
  }
}

export function formatProblems(where: string, items: string[]): string {
  const n = items.length;
  return `${where}: ${n} problem${n === 1 ? '' : 's'}:\n${items.map((m) => `  - ${m}`).join('\n')}`;
}

/** The accounts that may manage an organization's policies: the management account and its delegated administrator. */
export function policyAdministrators(org: Organization): Array<{ readonly accountId: string; readonly role: string }> {
  const out = [{ accountId: org.managementAccount.accountId, role: 'the management account' }];
  const delegated = org.policyAdministratorAccount;
  if (delegated.accountId !== org.managementAccount.accountId) {
    out.push({ accountId: delegated.accountId, role: `the delegated policy administrator '${delegated.name}'` });
  }
  return out;
}

/** The fix when organization policies sit in a stack of another account. */
export const POLICY_ACCOUNT_FIX = 'create the construct in a stack of the management account (a LandingZone\'s managementStack), or name the account AWS Organizations delegates policy management to as the organization model\'s policyAdministratorAccount';

/**
 * Adds a `scope` problem when the stack of `scope` deploys to an account other than `allowed` (which alone can manage
 * `what`); environment-agnostic stacks are not judged.
 */
export function checkManagingAccount(problems: Problems, scope: IConstruct, what: string,
  allowed: ReadonlyArray<{ readonly accountId: string; readonly role: string }>, fix: string): void {
  const account = Stack.of(scope).account;
  if (Token.isUnresolved(account) || allowed.some((a) => a.accountId === account)) return;
  problems.add('scope', `${what} are managed from ${allowed.map((a) => `${a.role} ${a.accountId}`).join(' or ')}, but the stack deploys to ${account}: ${fix}`);
}

export function unresolved(value: unknown): boolean {
  return Token.isUnresolved(value);
}

export function checkAccountId(id: string): string | undefined {
  if (unresolved(id)) return undefined;
  return ACCOUNT_ID_PATTERN.test(id) ? undefined : `account id '${id}' must be 12 digits`;
}

/**
 * A name the library must read (to check its limits and uniqueness, and to name the constructs made from it) that is
 * an unresolved token.
 */
export function checkLiteralName(kind: string, name: string): string | undefined {
  return unresolved(name)
    ? `${kind} name '${name}' is an unresolved token, but the library needs the literal name to check its limits and uniqueness and to name constructs after it: pass a plain string`
    : undefined;
}

export function checkIamName(kind: string, name: string, max: number): string | undefined {
  if (unresolved(name)) return undefined;
  if (name.length < 1 || name.length > max) {
    return `${kind} name '${name}' must be 1-${max} characters, got ${name.length}`;
  }
  if (!IAM_NAME_PATTERN.test(name)) {
    return `${kind} name '${name}' may contain only letters, digits and +=,.@_-`;
  }
  return undefined;
}

export function checkIamPath(path: string): string | undefined {
  if (unresolved(path)) return undefined;
  if (path.length > 512 || !IAM_PATH_PATTERN.test(path)) {
    return `path '${path}' must start and end with '/' and be at most 512 printable characters`;
  }
  return undefined;
}

/** IPv4 or IPv6 CIDR with a valid prefix length. */
export function checkCidr(cidr: string): string | undefined {
  if (unresolved(cidr)) return undefined;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (v4) {
    const octetsOk = v4.slice(1, 5).every((o) => Number(o) <= 255);
    const prefixOk = Number(v4[5]) <= 32;
    if (octetsOk && prefixOk) return undefined;
    return `cidr '${cidr}' is not a valid IPv4 CIDR (octets 0-255, prefix 0-32)`;
  }
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(cidr);
  if (v6 && Number(v6[2]) <= 128 && isIpv6(v6[1])) return undefined;
  return `cidr '${cidr}' must be an IPv4 or IPv6 CIDR such as '203.0.113.0/24'`;
}

function isIpv6(addr: string): boolean {
  const parts = addr.split('::');
  if (parts.length > 2) return false;
  const groups = parts.flatMap((p) => (p === '' ? [] : p.split(':')));
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return parts.length === 2 ? groups.length < 8 : groups.length === 8;
}

/** Returns the values that occur more than once (case-insensitively where IAM compares that way). */
export function duplicates(values: string[], caseInsensitive = true): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) {
    const k = caseInsensitive ? v.toLowerCase() : v;
    if (seen.has(k)) dup.add(v);
    seen.add(k);
  }
  return [...dup];
}

