import { Construct } from 'constructs';
import { AccessPath, AccessReportEntry } from '../../access-report';
import { Compiled } from '../../plan/compile-rules';
import { permissionSetEntry } from '../../private/access-entries';
import { ApprovalRequirement } from '../approval-requirement';
import type { ElevatedAccessWorkflowProps } from '../elevated-access-workflow';
import type { CompiledJumpApproverRule, JumpRef } from '../handlers/jump-grants';

/** Who may obtain what, only by an approved request, as reviewers read it in the access report. */
export function elevatedAccessEntries(scope: Construct, props: ElevatedAccessWorkflowProps, compiled: Compiled): AccessReportEntry[] {
  return [...(props.eligibility ?? []).flatMap((rule, i) => {
    const accounts = rule.targets.resolve(props.organization).filter((a) => compiled.accounts.includes(a.accountId));
    const approval = (rule.approval ?? ApprovalRequirement.anyOne()).describe();
    const ticket = rule.ticketPattern ? `, ticket matching ${rule.ticketPattern}` : '';
    // the rows are the accounts of the synth; a rule that follows OUs also covers accounts Organizations adds later
    const follows = compiled.config.eligibility[i]?.organizationalUnits ? `; follows ${rule.targets.describe()} in AWS Organizations, accounts added later included` : '';
    return rule.principals.flatMap((principal) => rule.permissionSets.flatMap((ps) => accounts.map((account) =>
      permissionSetEntry(ps, principal, account, {
        path: AccessPath.ELEVATED_ACCESS,
        elevatedOnly: true,
        maxSeconds: rule.maxDuration.isUnresolved() ? undefined : rule.maxDuration.toSeconds(),
        conditions: `rule ${rule.name ?? `eligibility[${i}]`}: approval ${approval}${ticket}${follows}`,
        source: scope.node.path,
      }))));
  }), ...jumpRows(scope, props, compiled)];
}

/**
 * Jump users' elevated-only paths, from the compiled rules (what the handlers enforce): who may ask for which
 * elevated role where, for how long, approved by whom. Only a grant reaches the role, with MFA, for at most an hour
 * per session, under the landing zone boundary.
 */
function jumpRows(scope: Construct, props: ElevatedAccessWorkflowProps, compiled: Compiled): AccessReportEntry[] {
  const plan = compiled.jump;
  if (!plan) return [];
  const describe = (r: JumpRef) => `jump ${r.type.toLowerCase()} ${r.name}`;
  const approversOf = (account: string, role: string, rules: CompiledJumpApproverRule[]) => rules
    .filter((a) => a.accounts.includes(account) && a.roles.includes(role))
    .flatMap((a) => [...a.jumpApprovers.map(describe), ...a.identityCenterApprovers.map((p) => plan.approverNames.get(p.id) ?? `identity center ${p.type.toLowerCase()} ${p.id}`)]);
  // the rows are the accounts of the synth; a rule that follows OUs also covers accounts Organizations adds later
  const { eligibility, approverRules } = plan.rules;
  return eligibility.flatMap((rule, i) => rule.principals.flatMap((principal) => rule.accounts.flatMap((accountId) => rule.roles.map((role) => {
    const approvers = [...new Set(approversOf(accountId, role, approverRules))];
    const follows = rule.organizationalUnits ? `; follows ${props.jumpAccess!.eligibility[i].targets.describe()} in AWS Organizations, accounts added later included` : '';
    const approval = rule.approvals === 0 ? 'none' : `${rule.approvals} of [${approvers.join(', ')}], never the requester`;
    const ticket = rule.ticketPattern ? `, ticket matching ${rule.ticketPattern}` : '';
    return {
      path: AccessPath.ELEVATED_ACCESS,
      principal: principal.name,
      principalType: principal.type === 'GROUP' ? 'iam-group' : 'iam-user',
      accountId,
      accountName: props.organization.tryFindAccount(accountId)?.name,
      access: role,
      level: plan.levels.get(role)?.name,
      mfaEnforced: true,
      boundary: true,
      elevatedOnly: true,
      maxSessionSeconds: Math.min(rule.maxDurationSeconds, plan.config.elevatedSessionSeconds),
      conditions: `rule ${rule.name}: up to ${rule.maxDurationSeconds / 60} minutes per grant, approval ${approval}${ticket}; role session name must be the user name${follows}`,
      source: scope.node.path,
    };
  }))));
}
