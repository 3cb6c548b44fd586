import * as fs from 'fs';
import type { SessionSourceRestriction } from './cross-account-role';
import type { Organization } from './organization';
import {
  checkManifestDeployed, ManifestData, manifestSessionRestrictions, parseJumpAccountManifest,
} from './plan/jump-account-manifest-plan';
import { WRITE_JUMP_ACCOUNT_MANIFEST_CONTEXT } from './private/conventions';

/**
 * The manifest a jump account's app writes (`JumpAccountProps.manifestFile`): the roles its groups expect in the
 * accounts of other organizations, and the source addresses that bind the users who reach them. Another
 * organization's app reads it (`LandingZoneProps.jumpAccountManifest`) to trust that jump account, bind those sessions,
 * and fail at synth when it does not deploy a role the manifest expects.
 *
 * @example
 * const manifest = lz.JumpAccountManifest.fromFile('../jump/jump-account-manifest.json');
 */
export class JumpAccountManifest {
  /** The manifest in this file, as the jump account's app wrote it (commit the file beside both apps). */
  public static fromFile(file: string): JumpAccountManifest {
    if (!fs.existsSync(file)) {
      throw new Error(`jumpAccountManifest: ${file} does not exist: synthesize the jump account's app with -c ${WRITE_JUMP_ACCOUNT_MANIFEST_CONTEXT}=true (its jumpAccount.manifestFile) to write it, and commit it`);
    }
    return JumpAccountManifest.fromJson(fs.readFileSync(file, 'utf8'), file);
  }

  /**
   * The manifest from its text.
   *
   * @param json the manifest's text
   * @param source where it came from, for messages (default: `jumpAccountManifest`)
   */
  public static fromJson(json: string, source?: string): JumpAccountManifest {
    return new JumpAccountManifest(parseJumpAccountManifest(json, source ?? 'jumpAccountManifest'));
  }

  /** The jump account whose groups the manifest describes: the account target roles trust. */
  public readonly jumpAccountId: string;

  private constructor(private readonly data: ManifestData) {
    this.jumpAccountId = data.jumpAccountId;
  }

  /**
   * The problems of an organization's app against the manifest: each expected role it does not deploy.
   * @internal
   */
  public _check(organization: Organization, deployed: ReadonlyMap<string, string[]>): string[] {
    return checkManifestDeployed(this.data, organization, deployed);
  }

  /**
   * The source addresses that bind the manifest's users in `roleName` of these accounts.
   * @internal
   */
  public _sessionSourceRestrictions(organization: Organization, roleName: string, accountIds: string[]): SessionSourceRestriction[] {
    return manifestSessionRestrictions(this.data, organization, roleName, accountIds);
  }
}
