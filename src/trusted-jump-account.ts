import type { SessionSourceRestriction } from './cross-account-role';
import type { JumpAccount } from './jump-account';
import type { JumpAccountManifest } from './jump-account-manifest';
import type { Organization } from './organization';
import { checkAccountId } from './private/validation';

/**
 * The jump account that target roles trust, as plan output: its id and the source addresses that bind its users'
 * sessions in each target role. `LandingZone` hands it to its OUs (`OrganizationalUnitContext.trustedJumpAccount`),
 * so an OU reads nothing from the landing zone or the jump account construct.
 */
export class TrustedJumpAccount {
  /**
   * The jump account of this app: its plan's per-user source addresses bind the sessions in the target roles.
   *
   * @param jumpAccount the jump account construct
   */
  public static of(jumpAccount: JumpAccount): TrustedJumpAccount {
    return new TrustedJumpAccount(jumpAccount.accountId, (roleName, accountIds) => jumpAccount.sessionSourceRestrictions(roleName, accountIds));
  }

  /**
   * The jump account of another app, as its manifest describes it: the manifest's users bind the sessions.
   *
   * @param manifest the manifest the jump account's app wrote
   * @param organization the organization model of this app, whose accounts the manifest's roles are in
   */
  public static fromManifest(manifest: JumpAccountManifest, organization: Organization): TrustedJumpAccount {
    return new TrustedJumpAccount(manifest.jumpAccountId,
      (roleName, accountIds) => manifest._sessionSourceRestrictions(organization, roleName, accountIds));
  }

  /**
   * A jump account known by its id only: no per-user source addresses.
   *
   * @param accountId the jump account id
   */
  public static fromAccountId(accountId: string): TrustedJumpAccount {
    const problem = checkAccountId(accountId);
    if (problem) throw new Error(`TrustedJumpAccount: accountId: ${problem}`);
    return new TrustedJumpAccount(accountId, () => []);
  }

  /** The jump account id. */
  public readonly accountId: string;

  private constructor(accountId: string,
    private readonly restrictions: (roleName: string, accountIds: string[]) => SessionSourceRestriction[]) {
    this.accountId = accountId;
  }

  /**
   * The source addresses the sessions of the jump account's users must keep to in `roleName` of these accounts (for
   * `CrossAccountRoleProps.sessionSourceRestrictions`).
   *
   * @param roleName the target role's name
   * @param accountIds the accounts the role is deployed to
   */
  public sessionSourceRestrictions(roleName: string, accountIds: string[]): SessionSourceRestriction[] {
    return this.restrictions(roleName, accountIds);
  }
}
