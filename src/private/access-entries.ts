import type { AccessPath, AccessReportEntry } from '../access-report';
import type { IPermissionSet, PermissionSet } from '../identity-center/permission-set';
import type { IdentityCenterPrincipal } from '../identity-center/principal';
import type { AccountDefinition } from '../organization';

/** What varies between a standing assignment and an elevated-access eligibility in the access report. */
export interface PermissionSetAccess {
  readonly path: AccessPath;
  readonly elevatedOnly: boolean;
  readonly source: string;
  /** Caps the session below the permission set's own duration (elevated access). */
  readonly maxSeconds?: number;
  readonly conditions?: string;
}

/** One access-report row for an Identity Center principal reaching an account through a permission set. */
export function permissionSetEntry(
  ps: IPermissionSet, principal: IdentityCenterPrincipal, account: AccountDefinition, access: PermissionSetAccess,
): AccessReportEntry {
  // duck-typed so this helper needs no runtime import of the construct
  const own = 'permissionsBoundary' in ps ? ps as PermissionSet : undefined;
  const seconds = [access.maxSeconds, ps.sessionDuration.isUnresolved() ? undefined : ps.sessionDuration.toSeconds()]
    .filter((s): s is number => s !== undefined);
  return {
    path: access.path,
    principal: principal.describe(),
    principalType: String(principal.kind) === 'GROUP' ? 'sso-group' : 'sso-user',
    accountId: account.accountId,
    accountName: account.name,
    access: ps.permissionSetName,
    level: own?.permissionLevel?.name,
    // Identity Center sign-in MFA is an Identity Center / IdP setting, not visible in the template
    mfaEnforced: false,
    boundary: own ? own.permissionsBoundary._render() !== undefined : false,
    elevatedOnly: access.elevatedOnly,
    maxSessionSeconds: seconds.length > 0 ? Math.min(...seconds) : undefined,
    conditions: access.conditions,
    source: access.source,
  };
}
