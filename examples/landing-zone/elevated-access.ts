import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EXAMPLE_IDENTITY_STORE_ID, ExamplePermissionSets } from './identity-center';
import { AccountSelection, ApprovalRequirement, ElevatedAccessWorkflow, IdentityCenterPrincipal, LandingZone } from '../../src';

/** Identity store ids of the groups the workflow names (the workflow matches callers by id, not display name). */
export const EXAMPLE_GROUP_IDS = {
  onCall: '9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-000000000001',
  prodLeads: '9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-000000000002',
  securityOfficers: '9067a1b2c3-0c1e4c2a-11aa-4b7e-9c1d-000000000003',
};

/**
 * Production access by request for the Workloads/Prod OU, run from the management account (where Identity Center
 * lives): on-call engineers read with one lead's approval; Admin needs a ticket and two distinct approvers, and on
 * the PCI account a security officer besides.
 */
export function exampleElevatedAccess(lz: LandingZone, sets: ExamplePermissionSets): ElevatedAccessWorkflow {
  const org = lz.organization;
  const stack = new Stack(lz, 'ElevatedAccess', {
    stackName: `${lz.stackNamePrefix}-ElevatedAccess`,
    env: { account: org.managementAccount.accountId, region: lz.region },
    description: 'cdk-iam-landing-zone: elevated access workflow for Workloads/Prod',
  });
  const prod = AccountSelection.organizationalUnits(['Workloads/Prod']);
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
    organizationTrailLogGroup: logs.LogGroup.fromLogGroupName(stack, 'OrgTrail', 'aws-controltower/CloudTrailLogs'),
    // the management account's boundary is deployed once, by the landing zone's management stack
    permissionsBoundary: lz.managementAccountBoundary(stack),
  });
  // personas as grants: roles that Identity Center users of the management account switch into to request, and
  // that auditors use to read every request and the audit trail (bounded, and only for Identity Center sessions)
  const boundary = lz.managementAccountBoundary(stack);
  const fromIdentityCenter = (purpose: string) => new iam.Role(stack, purpose, {
    roleName: `elevated-access-${purpose.toLowerCase()}`,
    permissionsBoundary: boundary,
    assumedBy: new iam.AccountPrincipal(org.managementAccount.accountId).withConditions({
      ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${org.managementAccount.accountId}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*` },
    }),
  });
  workflow.grantRequest(fromIdentityCenter('Requester'));
  workflow.grantAudit(fromIdentityCenter('Auditor'));
  return workflow;
}
