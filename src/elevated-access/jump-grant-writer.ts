import { Aws, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IJumpAccount, JumpAccount } from '../jump-account';
import { acknowledgeGrantWriterFindings } from './jump-inherent-findings';
import { LZ_MANAGED_TAG_KEY, LZ_SERVICE_ROLE_PATH } from '../private/conventions';
import { acknowledgeMachineTrust, machinePrincipals, machineRoleArns, warnWithoutReconciler } from '../private/machine-trust';
import { Problems } from '../private/validation';

/** Name of the jump users' permissions boundary. */
export const JUMP_USER_BOUNDARY_NAME = 'lz-jump-user-boundary';
/** Name of the role that writes grant policies on jump users. */
export const GRANT_WRITER_ROLE_NAME = 'lz-elevated-grant-writer';
/** Name of the role through which the workflow reads jump users' group memberships. */
export const GROUP_READER_ROLE_NAME = 'lz-elevated-group-reader';

/**
 * Properties of the grant writer of a jump account.
 */
export interface JumpGrantWriterProps {
  /**
   * The jump account, given its users' boundary by the writer (`useUserPermissionsBoundary`). Create it in the same
   * stack first.
   *
   * @default - the writer touches no jump account: give the boundary yourself,
   * `jumpAccount.useUserPermissionsBoundary(writer.userBoundary)` (as `LandingZone.addJumpElevatedAccess` does)
   * @deprecated the writer writing into another construct is a hidden channel: leave it out and give the jump
   * account the boundary with `useUserPermissionsBoundary`
   */
  readonly jumpAccount?: IJumpAccount;

  /** ARN of the workflow's state machine role, the only principal that may assume the grant writer. */
  readonly workflowRoleArn: string;

  /**
   * ARN of the workflow's reconciler role, which may also assume the writer to remove grant policies stopped executions left.
   *
   * @default - none: the reconciler does not sweep (grant policies still end by themselves)
   */
  readonly reconcilerRoleArn?: string;

  /**
   * ARNs of the workflow's roles that read jump users' groups (its API and step handlers).
   *
   * @default - only `workflowRoleArn`
   */
  readonly groupReaderPrincipalArns?: string[];

  /**
   * ARNs of the workflow APIs jump users call (`execute-api:Invoke`), kept within the boundary.
   *
   * @default - none: jump users call no API through the boundary
   */
  readonly workflowApiArns?: string[];
}

/**
 * In the jump account: the permissions boundary `lz-jump-user-boundary` for every jump user (the jump account puts it
 * on its users, `JumpAccount.useUserPermissionsBoundary`), and the role through
 * which the elevated-access workflow writes and deletes the users' grant policies.
 *
 * The boundary allows what jump users do anyway (manage their own credentials and MFA, assume roles in other
 * accounts) and nothing in the jump account itself, so no inline policy the workflow (or anyone with its writer
 * role) writes can make a jump user more than someone who may assume roles elsewhere. IAM has no condition key for
 * an inline policy's name (Service Authorization Reference: `iam:PutUserPolicy` takes only `iam:PermissionsBoundary`),
 * so the writer is held to users carrying the boundary; the `lz-elevated-grant-` name prefix is the workflow's own rule.
 */
export class JumpGrantWriter extends Construct {
  /** The jump users' boundary. */
  public readonly userBoundary: iam.ManagedPolicy;

  /** The grant writer role. */
  public readonly writerRole: iam.Role;

  /** The group reader role: iam:GetUser and iam:ListGroupsForUser on jump users, nothing else. */
  public readonly groupReaderRole: iam.Role;

  constructor(scope: Construct, id: string, props: JumpGrantWriterProps) {
    super(scope, id);
    const problems = Problems.of(this);
    const jump = props.jumpAccount;
    if (jump && Stack.of(jump) !== Stack.of(this)) {
      problems.add('jumpAccount', `the jump account is in stack ${Stack.of(jump).stackName}, expected this stack ${Stack.of(this).stackName}`);
    }
    problems.throwIfAny();

    this.userBoundary = new iam.ManagedPolicy(this, 'UserBoundary', {
      managedPolicyName: JUMP_USER_BOUNDARY_NAME,
      description: 'Jump users: own credentials and MFA, roles in other accounts, nothing else in the jump account',
      document: jumpUserBoundaryDocument(props.workflowApiArns ?? []),
    });
    // deprecated path, kept for apps that give the jump account: through its explicit method, never a tree scan
    (jump as Partial<Pick<JumpAccount, 'useUserPermissionsBoundary'>> | undefined)?.useUserPermissionsBoundary?.(this.userBoundary);

    const jumpUsers = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:user/*`;
    this.writerRole = new iam.Role(this, 'Writer', {
      roleName: GRANT_WRITER_ROLE_NAME,
      path: LZ_SERVICE_ROLE_PATH,
      description: 'Writes and deletes elevated-access grant policies on jump users that carry the jump user boundary',
      assumedBy: machinePrincipals(props.workflowRoleArn, props.reconcilerRoleArn),
      inlinePolicies: {
        Grants: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'WriteGrantsOnBoundedUsers',
              actions: ['iam:PutUserPolicy', 'iam:DeleteUserPolicy'],
              resources: [jumpUsers],
              conditions: { StringEquals: { 'iam:PermissionsBoundary': this.userBoundary.managedPolicyArn } },
            }),
            // the reconciler's sweep reads the grant policies (these actions take no iam:PermissionsBoundary key)
            new iam.PolicyStatement({ sid: 'ReadGrants', actions: ['iam:ListUserPolicies', 'iam:GetUserPolicy'], resources: [jumpUsers] }),
          ],
        }),
      },
    });
    Tags.of(this.writerRole).add(LZ_MANAGED_TAG_KEY, 'true');
    acknowledgeMachineTrust(this.writerRole, machineRoleArns(props.workflowRoleArn, props.reconcilerRoleArn));
    if (!props.reconcilerRoleArn) warnWithoutReconciler(this, 'the grant policies');

    const readers = props.groupReaderPrincipalArns ?? [props.workflowRoleArn];
    this.groupReaderRole = new iam.Role(this, 'GroupReader', {
      roleName: GROUP_READER_ROLE_NAME,
      path: LZ_SERVICE_ROLE_PATH,
      description: 'Reads jump users and their group memberships for the elevated-access workflow',
      assumedBy: new iam.CompositePrincipal(...readers.map((a) => new iam.ArnPrincipal(a))),
      inlinePolicies: {
        ReadGroups: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ sid: 'ReadUsersAndGroups', actions: ['iam:GetUser', 'iam:ListGroupsForUser'], resources: [jumpUsers] })],
        }),
      },
    });
    Tags.of(this.groupReaderRole).add(LZ_MANAGED_TAG_KEY, 'true');
    acknowledgeMachineTrust(this.groupReaderRole, readers);
    acknowledgeGrantWriterFindings(this.writerRole, this.groupReaderRole, this.userBoundary, props.workflowApiArns ?? []);
  }
}

/** The jump users' boundary: the self-service of the every-user group, roles outside the jump account, the API. */
export function jumpUserBoundaryDocument(workflowApiArns: string[]): iam.PolicyDocument {
  const self = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:user/\${aws:username}`;
  const statements = [
    new iam.PolicyStatement({
      sid: 'OwnCredentialsAndMfa',
      actions: [
        'iam:ChangePassword', 'iam:GetUser', 'iam:GetLoginProfile', 'iam:CreateAccessKey', 'iam:DeleteAccessKey',
        'iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:GetAccessKeyLastUsed',
        'iam:EnableMFADevice', 'iam:DeactivateMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice', 'iam:GetMFADevice',
      ],
      resources: [self],
    }),
    new iam.PolicyStatement({
      sid: 'AccountInfoAndMfaDevices',
      actions: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices', 'iam:CreateVirtualMFADevice', 'sts:GetSessionToken'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'RolesOutsideTheJumpAccount',
      actions: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
      resources: [`arn:${Aws.PARTITION}:iam::*:role/*`],
    }),
    // the account holding the credentials: its roles (the grant writer's among them) are never reachable
    new iam.PolicyStatement({
      sid: 'NoRolesInTheJumpAccount',
      effect: iam.Effect.DENY,
      actions: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
      resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/*`],
    }),
  ];
  if (workflowApiArns.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'ElevatedAccessApi', actions: ['execute-api:Invoke'], resources: workflowApiArns }));
  }
  return new iam.PolicyDocument({ statements });
}
