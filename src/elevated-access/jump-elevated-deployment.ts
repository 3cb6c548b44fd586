import { PermissionLevel } from '../permission-level';

/**
 * The facts of a `JumpElevatedDeployment`.
 */
export interface JumpElevatedDeploymentProps {
  /** The jump account whose users the grants are for: the grant writer and the users' boundary are deployed there. */
  readonly jumpAccountId: string;

  /** The account hosting the workflow. */
  readonly workflowAccountId: string;

  /** ARN of the workflow's state machine role: the only principal of the grant writer and of every revoker role. */
  readonly workflowRoleArn: string;

  /** ARNs of the workflow's roles that read jump users' group memberships (its API and step handlers). */
  readonly groupReaderPrincipalArns: string[];

  /**
   * ARN of the workflow's reconciler role, which may also assume the grant writer and every revoker to sweep what stopped executions left.
   *
   * @default - none: the reconciler does not sweep (grant policies still end by themselves, session denies outlive the sessions they cut)
   */
  readonly reconcilerRoleArn?: string;

  /** ARNs (`execute-api:Invoke`) of the workflow API's routes jump users call, kept within their boundary. */
  readonly apiArns: string[];

  /**
   * Every target account under no followed OU, with the levels some jump rule grants there: one
   * `lz-elevated-<level>` role each, in a stack of the account's own.
   */
  readonly accounts: JumpElevatedAccount[];

  /**
   * The OUs jump rules follow (`jumpAccess.followOrganizationalUnits`), outermost only, with the levels some jump rule
   * grants under them: a StackSet deploys the roles to every account there, present and future.
   *
   * @default - none: every target account is listed in `accounts`
   */
  readonly organizationalUnits?: JumpElevatedOrganizationalUnit[];
}

/**
 * Where the roles of a workflow's jump elevated access must be deployed, and whom they trust: the plan the
 * `ElevatedAccessWorkflow` computes from its jump rules (`ElevatedAccessWorkflow.jumpDeployment`) and the landing
 * zone deploys (`LandingZone.addJumpElevatedAccess`). Plain data, so data flows one way: rules -> plan -> roles.
 *
 * A class rather than a struct so that every language passes the workflow's value on as it is (jsii turns a struct
 * in last position into keyword arguments in Python).
 */
export class JumpElevatedDeployment {
  /** The jump account whose users the grants are for. */
  public readonly jumpAccountId: string;
  /** The account hosting the workflow. */
  public readonly workflowAccountId: string;
  /** ARN of the workflow's state machine role. */
  public readonly workflowRoleArn: string;
  /** ARNs of the workflow's roles that read jump users' group memberships. */
  public readonly groupReaderPrincipalArns: string[];
  /** ARN of the workflow's reconciler role, when it sweeps jump grants. */
  public readonly reconcilerRoleArn?: string;
  /** ARNs of the workflow API's routes jump users call. */
  public readonly apiArns: string[];
  /** Every target account under no followed OU, with the levels some jump rule grants there. */
  public readonly accounts: JumpElevatedAccount[];
  /** The OUs jump rules follow, with the levels some jump rule grants under them. */
  public readonly organizationalUnits: JumpElevatedOrganizationalUnit[];

  constructor(props: JumpElevatedDeploymentProps) {
    this.jumpAccountId = props.jumpAccountId;
    this.workflowAccountId = props.workflowAccountId;
    this.workflowRoleArn = props.workflowRoleArn;
    this.groupReaderPrincipalArns = [...props.groupReaderPrincipalArns];
    this.reconcilerRoleArn = props.reconcilerRoleArn;
    this.apiArns = [...props.apiArns];
    this.accounts = props.accounts.map((a) => ({ accountId: a.accountId, permissionLevels: [...a.permissionLevels] }));
    this.organizationalUnits = (props.organizationalUnits ?? [])
      .map((o) => ({ organizationalUnit: o.organizationalUnit, permissionLevels: [...o.permissionLevels] }));
  }
}

/** One target account of jump elevated access. */
export interface JumpElevatedAccount {
  /** The account id. */
  readonly accountId: string;

  /** The levels some jump eligibility rule grants in this account. */
  readonly permissionLevels: PermissionLevel[];
}

/** An OU whose accounts, present and future, get the elevated roles of jump elevated access from a StackSet. */
export interface JumpElevatedOrganizationalUnit {
  /** The OU path in the organization model, e.g. `Workloads/Prod`. */
  readonly organizationalUnit: string;

  /** The levels some jump eligibility rule grants under this OU (or in an account of it). */
  readonly permissionLevels: PermissionLevel[];
}
