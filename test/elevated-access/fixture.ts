// Shared set-up of the elevated-access tests: the example organization, permission sets as plain IPermissionSet
// objects, Identity Center ids, and a stack holding a workflow.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { GROUP_LEADS, GROUP_ONCALL, HOST_ACCOUNT, IDENTITY_STORE_ID, INSTANCE_ARN } from './ids';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import {
  AccountSelection, ApprovalRequirement, EligibilityRule, ElevatedAccessWorkflow, ElevatedAccessWorkflowProps, IdentityCenterPrincipal,
  IPermissionSet, JumpAccount, JumpElevatedAccessOptions, JumpPrincipal, NoticeAudience, PermissionLevel,
} from '../../src';

export * from './ids';


export function permissionSet(name: string, id: string, sessionHours = 4): IPermissionSet {
  return {
    permissionSetArn: `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-${id}`,
    permissionSetName: name,
    instanceArn: INSTANCE_ARN,
    sessionDuration: Duration.hours(sessionHours),
  };
}

export const ADMIN = permissionSet('ProdAdmin', '0000000000000001', 2);
export const READ_ONLY = permissionSet('ProdReadOnly', '0000000000000002', 8);


export const PROD = AccountSelection.organizationalUnits(['Workloads/Prod']);


/** The props with Identity Center rules, so tests may take a rule of them. */
export type DefaultProps = ElevatedAccessWorkflowProps & { readonly eligibility: EligibilityRule[] };

/** Default props: on-call may request ReadOnly (one approval, 4 h) and Admin (2 of the leads, ticket, 1 h) on Prod. */
export function defaultProps(overrides: Partial<ElevatedAccessWorkflowProps> = {}): DefaultProps {
  return {
    organization: exampleOrganization(),
    identityStoreId: IDENTITY_STORE_ID,
    eligibility: [
      {
        name: 'oncall-read-only',
        principals: [IdentityCenterPrincipal.group(GROUP_ONCALL)],
        targets: PROD,
        permissionSets: [READ_ONLY],
        maxDuration: Duration.hours(4),
      },
      {
        name: 'oncall-admin',
        principals: [IdentityCenterPrincipal.group(GROUP_ONCALL)],
        targets: PROD,
        permissionSets: [ADMIN],
        maxDuration: Duration.hours(1),
        approval: ApprovalRequirement.quorum(2),
        ticketPattern: '^(INC|CHG)-\\d+$',
      },
    ],
    approvers: [
      { name: 'leads', approvers: [IdentityCenterPrincipal.group(GROUP_LEADS)], targets: PROD, permissionSets: [READ_ONLY, ADMIN] },
    ],
    ...overrides,
  } as DefaultProps;
}

/** A stack holding a workflow (with the jump rules of `jumpAccess` when `withJump`). */
export function workflowStack(
  overrides: Partial<ElevatedAccessWorkflowProps> = {}, withJump = false,
): { stack: Stack; workflow: ElevatedAccessWorkflow } {
  const app = new App();
  const stack = new Stack(app, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
  const trail = logs.LogGroup.fromLogGroupName(stack, 'OrgTrail', 'org-trail');
  const jump = withJump ? { jumpAccess: jumpAccess(app) } : {};
  const workflow = new ElevatedAccessWorkflow(stack, 'Workflow', defaultProps({ organizationTrailLogGroup: trail, ...jump, ...overrides }));
  return { stack, workflow };
}

/** The default props with break-glass on the admin rule: on-call may self-approve ProdAdmin for 30 minutes in an incident. */
export function breakGlassStack(overrides: Partial<ElevatedAccessWorkflowProps> = {}, withJump = false): Stack {
  const props = defaultProps();
  return workflowStack({
    eligibility: [props.eligibility[0], {
      ...props.eligibility[1],
      breakGlass: { maxDuration: Duration.minutes(30), reviewWithin: Duration.hours(2) },
    }],
    noticeEmails: [{ address: 'security@example.com', audience: NoticeAudience.OPERATORS }],
    ...overrides,
  }, withJump).stack;
}

export const JUMP_ACCOUNT = '111111111111';

/**
 * A jump account (vendor-acme: acme-alice; vendor-globex: globex-bob; jump-leads: lead-lee) in its own stack, and the
 * workflow's jump rules: the vendors may request Power on Workloads/Prod for at most 2 hours, one approval by a jump
 * lead or an Identity Center lead.
 */
export function jumpAccess(app: App, overrides: Partial<JumpElevatedAccessOptions> = {}): JumpElevatedAccessOptions {
  const jumpStack = new Stack(app, 'Jump', { env: { account: JUMP_ACCOUNT, region: 'eu-west-1' } });
  const readOnlyNonProd = [{ accounts: AccountSelection.organizationalUnits(['Workloads/NonProd']), permissionLevels: [PermissionLevel.readOnly()] }];
  const jumpAccount = new JumpAccount(jumpStack, 'JumpAccount', {
    organization: exampleOrganization(),
    externallyManagedRoles: readOnlyNonProd,
    groups: ['vendor-acme', 'vendor-globex', 'jump-leads'].map((groupName) => ({ groupName, targets: readOnlyNonProd })),
    users: [
      { userName: 'acme-alice', groups: ['vendor-acme'], consoleAccess: false },
      { userName: 'globex-bob', groups: ['vendor-globex'], consoleAccess: false },
      { userName: 'lead-lee', groups: ['jump-leads'], consoleAccess: false },
    ],
  });
  return {
    jumpAccount,
    eligibility: [{
      name: 'vendors-power',
      principals: [JumpPrincipal.group('vendor-acme'), JumpPrincipal.group('vendor-globex')],
      targets: PROD,
      permissionLevels: [PermissionLevel.power()],
      maxDuration: Duration.hours(2),
    }],
    approvers: [{
      name: 'leads',
      jumpApprovers: [JumpPrincipal.group('jump-leads')],
      approvers: [IdentityCenterPrincipal.group(GROUP_LEADS)],
      targets: PROD,
      permissionLevels: [PermissionLevel.power()],
    }],
    ...overrides,
  };
}

/** The default workflow with the jump rules of `jumpAccess`. */
export function jumpWorkflowStack(overrides: Partial<ElevatedAccessWorkflowProps> = {}): { stack: Stack; workflow: ElevatedAccessWorkflow } {
  return workflowStack(overrides, true);
}
