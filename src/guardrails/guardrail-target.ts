import { Organization } from '../organization';

/**
 * One resolved attachment point of a guardrail policy.
 */
export interface ResolvedGuardrailTarget {
  /** The id AWS Organizations attaches to: `r-xxxx`, `ou-xxxx-xxxxxxxx` or a 12-digit account id. */
  readonly targetId: string;

  /** A readable name for messages, e.g. `root`, `ou Workloads/Prod`, `account shop-prod (555555555501)`. */
  readonly description: string;

  /** Whether the target is the management account, where SCPs have no effect. */
  readonly isManagementAccount: boolean;
}

/** What one kind of target does; each factory passes one to the private constructor. */
interface TargetKind {
  describe(): string;
  resolve(organization: Organization, problems: string[]): ResolvedGuardrailTarget[];
}

/**
 * Where a guardrail policy is attached: the organization root, organizational units by path, or accounts by name or
 * id. Resolved against the organization model, so no OU or account id is typed twice.
 *
 * Obtained from the static factories only: the constructor is private, so no language can subclass it.
 */
export class GuardrailTarget {
  /** The organization root: the policy applies to every member account. */
  public static organizationRoot(): GuardrailTarget {
    return new GuardrailTarget(new RootTarget());
  }

  /** These OUs, by path such as `Workloads/Prod`. Nested OUs inherit the policy. */
  public static organizationalUnits(paths: string[]): GuardrailTarget {
    return new GuardrailTarget(new OuTarget(paths));
  }

  /** These accounts, by name or id. */
  public static accounts(accounts: string[]): GuardrailTarget {
    return new GuardrailTarget(new AccountTarget(accounts));
  }

  private constructor(private readonly kind: TargetKind) {}

  /** A short text for messages, e.g. `ou:Workloads,Sandbox`. */
  public describe(): string {
    return this.kind.describe();
  }

  /**
   * The attachment points; problems (unknown OU or account, an account outside the organization) are added to
   * `problems` instead of thrown, so a construct can report them all at once.
   *
   * @internal
   */
  public _resolve(organization: Organization, problems: string[]): ResolvedGuardrailTarget[] {
    return this.kind.resolve(organization, problems);
  }
}

class RootTarget implements TargetKind {
  public describe(): string {
    return 'root';
  }
  public resolve(organization: Organization): ResolvedGuardrailTarget[] {
    return [{ targetId: organization.rootId, description: `root ${organization.rootId}`, isManagementAccount: false }];
  }
}

class OuTarget implements TargetKind {
  constructor(private readonly paths: string[]) {}
  public describe(): string {
    return `ou:${this.paths.join(',')}`;
  }
  public resolve(organization: Organization, problems: string[]): ResolvedGuardrailTarget[] {
    if (this.paths.length === 0) problems.push('organizationalUnits() needs at least one ou path, got none');
    const out: ResolvedGuardrailTarget[] = [];
    for (const path of this.paths) {
      const ou = organization.tryFindOrganizationalUnit(path);
      if (!ou) {
        const known = organization.organizationalUnits.map((o) => o.path).join(', ') || 'none';
        problems.push(`ou '${path}' is not defined in the organization (known: ${known})`);
        continue;
      }
      out.push({ targetId: ou.ouId, description: `ou ${ou.path} (${ou.ouId})`, isManagementAccount: false });
    }
    return out;
  }
}

class AccountTarget implements TargetKind {
  constructor(private readonly refs: string[]) {}
  public describe(): string {
    return `accounts:${this.refs.join(',')}`;
  }
  public resolve(organization: Organization, problems: string[]): ResolvedGuardrailTarget[] {
    if (this.refs.length === 0) problems.push('accounts() needs at least one account name or id, got none');
    const out: ResolvedGuardrailTarget[] = [];
    for (const ref of this.refs) {
      const account = organization.tryFindAccount(ref);
      if (!account) {
        problems.push(`account '${ref}' is not defined in the organization (give a defined account id or name)`);
        continue;
      }
      if (!organization.isMember(account.accountId)) {
        problems.push(`account '${ref}' is outside the organization: service control policies attach only to member accounts`);
        continue;
      }
      out.push({
        targetId: account.accountId,
        description: `account ${account.name} (${account.accountId})`,
        isManagementAccount: account.accountId === organization.managementAccount.accountId,
      });
    }
    return out;
  }
}
