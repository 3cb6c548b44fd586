import { IConstruct } from 'constructs';
import { appRootSlot } from './app-root-slot';

/**
 * A role deployed in a target account for a jump account's users, as the construct creating it declares it.
 */
export interface TargetRoleDeclaration {
  /** The account holding the role. */
  readonly accountId: string;
  /** The role name. */
  readonly roleName: string;
  /** The jump account the role trusts. */
  readonly jumpAccountId: string;
  /** The construct path deploying it, for messages. */
  readonly deployedBy: string;
}

// The target roles every CrossAccountRole of an app declares, kept on the app's root under a global symbol (as the
// guardrails' attachment plans are), so several copies of the library in one app share one list. The roles write,
// the jump accounts' checks read at synth: no role calls into a jump account, and the check needs no tree scan.
const DECLARATIONS = Symbol.for('cdk-iam-landing-zone.CrossAccountRole.declarations');

/** The target roles declared in the app of `scope` so far (the list itself: read it at synth). */
export function targetRoleDeclarations(scope: IConstruct): TargetRoleDeclaration[] {
  return appRootSlot<TargetRoleDeclaration[]>(scope, DECLARATIONS, () => []);
}

/** Declares a target role in the app of `scope`. */
export function declareTargetRole(scope: IConstruct, declaration: TargetRoleDeclaration): void {
  targetRoleDeclarations(scope).push(declaration);
}
