import { Construct } from 'constructs';
import { AccessPath, AccessReport } from '../../access-report';
import { permissionSetEntry } from '../../private/access-entries';
import { ApprovalRequirement } from '../approval-requirement';
import { Compiled } from '../compile-rules';
import type { ElevatedAccessWorkflowProps } from '../elevated-access-workflow';

/** Who may obtain what, only by an approved request, as reviewers read it in the access report. */
export function reportElevatedAccess(scope: Construct, props: ElevatedAccessWorkflowProps, compiled: Compiled): void {
  AccessReport.of(scope)._addProvider(() => props.eligibility.flatMap((rule, i) => {
    const accounts = rule.targets.resolve(props.organization).filter((a) => compiled.accounts.includes(a.accountId));
    const approval = (rule.approval ?? ApprovalRequirement.anyOne()).describe();
    const ticket = rule.ticketPattern ? `, ticket matching ${rule.ticketPattern}` : '';
    return rule.principals.flatMap((principal) => rule.permissionSets.flatMap((ps) => accounts.map((account) =>
      permissionSetEntry(ps, principal, account, {
        path: AccessPath.ELEVATED_ACCESS,
        elevatedOnly: true,
        maxSeconds: rule.maxDuration.isUnresolved() ? undefined : rule.maxDuration.toSeconds(),
        conditions: `rule ${rule.name ?? `eligibility[${i}]`}: approval ${approval}${ticket}`,
        source: scope.node.path,
      }))));
  }));
}
