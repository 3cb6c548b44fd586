import { Aws, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CrossAccountRole } from '../cross-account-role';
import type { IJumpAccount } from '../jump-account';
import { PermissionLevel } from '../permission-level';
import { acknowledgeElevatedRoleFindings } from './jump-inherent-findings';
import { ELEVATED_SESSION, elevatedRoleName } from '../plan/jump-elevated-plan';
import { LZ_ELEVATED_REVOKER_ROLE_NAME, LZ_MANAGED_TAG_KEY, LZ_SERVICE_ROLE_PATH } from '../private/conventions';
import { acknowledgeMachineTrust, machinePrincipals, machineRoleArns, warnWithoutReconciler } from '../private/machine-trust';
import { Problems } from '../private/validation';
import { declareNameOwner } from '../unique-names';
import { REVOKE_POLICY_PREFIX } from './handlers/jump-grants';

/** Name of the role that writes and removes session denies on the elevated roles of one account. */
export const REVOKER_ROLE_NAME = LZ_ELEVATED_REVOKER_ROLE_NAME;

/**
 * Properties of the elevated roles of one target account.
 */
export interface ElevatedRolesProps {
  /** The jump account whose users reach the roles, only through a grant of the elevated-access workflow. */
  readonly jumpAccount: IJumpAccount;

  /** The levels some jump eligibility rule grants in this account: one role `lz-elevated-<level>` each. */
  readonly permissionLevels: PermissionLevel[];

  /** ARN of the workflow's state machine role, the only principal that may assume the revoker role. */
  readonly workflowRoleArn: string;

  /**
   * ARN of the workflow's reconciler role, which may also assume the revoker role to remove session denies stopped executions left.
   *
   * @default - none: the reconciler does not sweep (the session denies only deny sessions that ended anyway)
   */
  readonly reconcilerRoleArn?: string;

  /**
   * The boundary of the elevated roles.
   *
   * @default - the landing zone boundary of this stack (`LandingZoneBoundary.ofStack`), created on first use; give
   * `LandingZoneBoundary.fromAccount(...)` where an OU baseline already deploys it
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;
}

/**
 * The roles jump users reach only while a grant of the elevated-access workflow lasts: one `lz-elevated-<level>`
 * per level (landing zone boundary, trusts only the jump account's users, MFA, session named after the user, 1-hour
 * sessions), and the revoker role `lz-elevated-revoker` through which the workflow cuts sessions issued before a
 * revoke. No jump group policy names them: the jump account refuses `lz-elevated-*` targets.
 */
export class ElevatedRoles extends Construct {
  /** The elevated roles by level name. */
  public readonly roles: Record<string, CrossAccountRole> = {};

  /** The revoker role. */
  public readonly revokerRole: iam.Role;

  constructor(scope: Construct, id: string, props: ElevatedRolesProps) {
    super(scope, id);
    const problems = Problems.of(this);
    if (props.permissionLevels.length === 0) problems.add('permissionLevels', 'at least one permission level is required, got none');
    const names = props.permissionLevels.map((l) => elevatedRoleName(l));
    if (new Set(names).size !== names.length) problems.add('permissionLevels', 'a permission level is listed twice');
    problems.throwIfAny();

    for (const level of props.permissionLevels) {
      this.roles[level.name] = new CrossAccountRole(this, level.name, {
        jumpAccount: props.jumpAccount,
        permissionLevel: level,
        roleName: elevatedRoleName(level),
        maxSessionDuration: ELEVATED_SESSION,
        requireMfa: true,
        requireUserNameAsSessionName: true,
        description: `${level.description}, reached only through an elevated-access grant`,
        permissionsBoundary: props.permissionsBoundary,
      });
    }

    const account = Stack.of(this).account;
    this.revokerRole = new iam.Role(this, 'Revoker', {
      roleName: REVOKER_ROLE_NAME,
      path: LZ_SERVICE_ROLE_PATH,
      description: 'Writes and removes the elevated-access session denies on the lz-elevated-* roles of this account',
      assumedBy: machinePrincipals(props.workflowRoleArn, props.reconcilerRoleArn),
      maxSessionDuration: ELEVATED_SESSION,
      inlinePolicies: {
        SessionDenies: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({
            sid: 'WriteSessionDeniesOnElevatedRoles',
            actions: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:ListRolePolicies'],
            // exactly the elevated roles of this account, never the revoker itself or another lz-* role
            resources: names.map((n) => `arn:${Aws.PARTITION}:iam::${account}:role/${n}`),
          })],
        }),
      },
    });
    Tags.of(this.revokerRole).add(LZ_MANAGED_TAG_KEY, 'true');
    acknowledgeMachineTrust(this.revokerRole, machineRoleArns(props.workflowRoleArn, props.reconcilerRoleArn));
    if (!props.reconcilerRoleArn) warnWithoutReconciler(this, 'the session denies');
    acknowledgeElevatedRoleFindings(props.permissionLevels.map((l) => [this.roles[l.name].role, l]), this.revokerRole);
    this.node.addMetadata('cdk-iam-landing-zone:revokePolicyPrefix', REVOKE_POLICY_PREFIX);
    declareNameOwner(this, {
      fix: (_kind, name, accountId) => `deploy the elevated roles of account ${accountId} once (LandingZone.addJumpElevatedAccess does it for a landing zone): remove this ElevatedRoles or the other '${name}'`,
    });
  }
}
