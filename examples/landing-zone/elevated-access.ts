import { Annotations, CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EXAMPLE_IDENTITY_STORE_ID, ExamplePermissionSets } from './identity-center';
import {
  AccountSelection, ApprovalRequirement, ElevatedAccessWorkflow, IdentityCenterPrincipal, JumpPrincipal, LandingZone,
  LandingZoneBoundary, NoticeAudience, NoticeChannel, PermissionLevel,
} from '../../src';

/** Identity store ids of the groups the workflow names (the workflow matches callers by id, not display name). */
export const EXAMPLE_GROUP_IDS = {
  onCall: '9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-000000000001',
  prodLeads: '9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-000000000002',
  securityOfficers: '9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-000000000003',
};

/**
 * Production access by request for the Workloads/Prod OU, run from the audit account, the delegated Identity Center
 * administrator (nobody needs access to the management account for it): on-call engineers read with one lead's
 * approval; Admin needs a ticket and two distinct approvers, and on the PCI account a security officer besides.
 * Approvers hear of requests in Slack and by e-mail; people use the `lz-access` CLI with the `lz-access-requester` /
 * `lz-access-approver` permission sets the workflow assigns them in the audit account.
 *
 * The two vendors' jump-account groups, who have only ReadOnly and Session Manager there every day, may request Power
 * on Workloads/Prod for at most 2 hours with one approval by a break-glass admin; the landing zone deploys the
 * elevated roles and the grant writer (`addJumpElevatedAccess`).
 */
export function exampleElevatedAccess(lz: LandingZone, sets: ExamplePermissionSets): ElevatedAccessWorkflow {
  const org = lz.organization;
  const host = org.identityCenterAccount;
  const stack = new Stack(lz, 'ElevatedAccess', {
    stackName: `${lz.stackNamePrefix}-ElevatedAccess`,
    env: { account: host.accountId, region: lz.region },
    description: 'cdk-iam-landing-zone: elevated access workflow for Workloads/Prod',
  });
  const prod = AccountSelection.organizationalUnits(['Workloads/Prod']);
  // the Security OU's baseline StackSet deploys the landing zone boundary into the audit account
  const boundary = LandingZoneBoundary.fromAccount(stack, 'Boundary', host.accountId);
  const workflow = new ElevatedAccessWorkflow(stack, 'ProdAccess', {
    organization: org,
    identityStoreId: EXAMPLE_IDENTITY_STORE_ID,
    eligibility: [
      {
        name: 'on-call-read-only',
        principals: [IdentityCenterPrincipal.group(EXAMPLE_GROUP_IDS.onCall)],
        targets: prod,
        permissionSets: [sets.readOnly],
        maxDuration: Duration.hours(4),
      },
      {
        name: 'on-call-admin',
        principals: [IdentityCenterPrincipal.group(EXAMPLE_GROUP_IDS.onCall)],
        targets: prod,
        permissionSets: [sets.admin],
        maxDuration: Duration.hours(1),
        approval: ApprovalRequirement.quorum(2),
        ticketPattern: '^(INC|CHG)-\\d{3,}$',
      },
    ],
    approvers: [
      { name: 'prod-leads', approvers: [IdentityCenterPrincipal.group(EXAMPLE_GROUP_IDS.prodLeads)], targets: prod, permissionSets: [sets.readOnly, sets.admin] },
      {
        name: 'pci-security',
        approvers: [IdentityCenterPrincipal.group(EXAMPLE_GROUP_IDS.securityOfficers)],
        targets: AccountSelection.tagged('pci', 'true'),
        permissionSets: [sets.admin],
      },
    ],
    jumpAccess: {
      jumpAccount: lz.jumpAccount!,
      eligibility: [{
        name: 'vendors-prod-power',
        principals: [JumpPrincipal.group('vendor-acme'), JumpPrincipal.group('vendor-globex')],
        targets: prod,
        permissionLevels: [PermissionLevel.power()],
        maxDuration: Duration.hours(2),
        approval: ApprovalRequirement.anyOne(),
      }],
      approvers: [{
        name: 'break-glass-admins',
        jumpApprovers: [JumpPrincipal.group('break-glass')],
        targets: prod,
        permissionLevels: [PermissionLevel.power()],
      }],
    },
    organizationTrailLogGroup: logs.LogGroup.fromLogGroupName(stack, 'OrgTrail', 'aws-controltower/CloudTrailLogs'),
    permissionsBoundary: boundary,
    noticeEmails: [
      { address: 'prod-leads@example.com', audience: NoticeAudience.APPROVERS },
      { address: 'platform-oncall@example.com', audience: NoticeAudience.OPERATORS },
    ],
    chatChannels: [
      NoticeChannel.slack({ slackWorkspaceId: 'T0EXAMPLE1', slackChannelId: 'C0PRODACCESS', audiences: [NoticeAudience.APPROVERS, NoticeAudience.OPERATORS] }),
    ],
  });
  // the vendors' elevated roles in every Workloads/Prod account, the grant writer in the jump account
  lz.addJumpElevatedAccess(workflow.jumpDeployment!);
  // ReadOnly sessions last 8 hours by design (developers' standing access uses the same permission set): an elevated
  // read-only session opened just before its revoke keeps reading up to 8 hours, which the company accepts
  Annotations.of(workflow).acknowledgeWarning('cdk-iam-landing-zone:elevatedAccessSessionOutlivesRevoke',
    'ReadOnly (8 h) and Admin (2 h) sessions may outlive a revoke by their session duration; accepted, see README');
  // auditors read every request, grant and audit record (and the Object Lock archive) from the audit account
  const auditors = new iam.Role(stack, 'Auditors', {
    roleName: 'elevated-access-auditor',
    permissionsBoundary: boundary,
    assumedBy: new iam.AccountPrincipal(host.accountId).withConditions({
      ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${host.accountId}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*` },
    }),
  });
  workflow.grantAudit(auditors);
  // the company's own role, so the company acknowledges what cdk-nag's packs say about it
  const auditorPolicy = auditors.node.findChild('DefaultPolicy');
  Validations.of(auditorPolicy).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${stack.resolve(stack.getLogicalId(workflow.auditArchive.node.defaultChild as CfnElement))}.Arn>/*]`,
    reason: 'auditors read every archived record',
  });
  for (const id of ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy']) {
    Validations.of(auditorPolicy).acknowledge({ id, reason: 'the one read-only grant of the auditor role, deleted with it' });
  }
  return workflow;
}
