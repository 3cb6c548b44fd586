import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IDENTITY_STORE_ID_PATTERN } from '../../private/patterns';
import { Problems } from '../../private/validation';
import type { ElevatedAccessWorkflowProps } from '../elevated-access-workflow';
import { usesIdentityStore } from './configuration';

/**
 * The workflow's props that the rules compiler does not check (ids, intervals, addresses, channels) and the host
 * account, into `problems` (thrown with the rules' problems).
 */
export function validateWorkflowProps(scope: Construct, props: ElevatedAccessWorkflowProps, problems: Problems): void {
  if (props.identityStoreId !== undefined && !Token.isUnresolved(props.identityStoreId) && !IDENTITY_STORE_ID_PATTERN.test(props.identityStoreId)) {
    problems.add('identityStoreId', `identity store id '${props.identityStoreId}' must look like 'd-1234567890'`);
  }
  const within = (field: string, label: string, d: Duration | undefined, min: Duration, max: Duration) => {
    if (d && !d.isUnresolved() && (d.toSeconds() < min.toSeconds() || d.toSeconds() > max.toSeconds())) {
      problems.add(field, `${label} must be between ${min.toHumanString()} and ${max.toHumanString()}, got ${d.toHumanString()}`);
    }
  };
  within('reconcileInterval', 'reconcile interval', props.reconcileInterval, Duration.minutes(15), Duration.days(1));
  within('pollInterval', 'poll interval', props.pollInterval, Duration.seconds(1), Duration.minutes(5));
  within('revokeRetryInterval', 'revoke retry interval', props.revokeRetryInterval, Duration.minutes(1), Duration.days(1));
  within('auditRetention', 'audit retention', props.auditRetention, Duration.days(1), Duration.days(36_500));
  for (const [i, e] of (props.noticeEmails ?? []).entries()) {
    if (!Token.isUnresolved(e.address) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.address)) {
      problems.add(`noticeEmails[${i}].address`, `'${e.address}' is not an e-mail address`);
    }
  }
  for (const [i, c] of (props.chatChannels ?? []).entries()) {
    if (c.audiences.length === 0) problems.add(`chatChannels[${i}].audiences`, `${c.describe()} has no audience, expected at least one`);
    c._validate(problems, `chatChannels[${i}]`);
  }
  checkHostAccount(scope, props, problems);
}

/**
 * Identity Center's admin APIs work from the management account or the delegated administrator only. A jump-only
 * workflow calls none of them: any member account may host it, the management account still only on request.
 */
function checkHostAccount(scope: Construct, props: ElevatedAccessWorkflowProps, problems: Problems): void {
  const host = Stack.of(scope).account;
  const org = props.organization;
  if (Token.isUnresolved(host)) return;
  const isManagement = host === org.managementAccount.accountId;
  if (!usesIdentityStore(props)) {
    if (isManagement && !props.allowManagementAccountHost) {
      problems.add('allowManagementAccountHost', `the jump-only workflow's stack is in the management account ${host}, beyond SCPs: host it in a member account, or set allowManagementAccountHost to accept it`);
    }
    return;
  }
  if (isManagement && !props.allowManagementAccountHost) {
    problems.add('allowManagementAccountHost', `the workflow's stack is in the management account ${host}; host it in the delegated Identity Center administrator account${org.identityCenterDelegated ? ` '${org.identityCenterAccount.name}'` : ' (set identityCenterAdminAccount in the organization model)'}, or set allowManagementAccountHost to accept it`);
  } else if (!isManagement && host !== org.identityCenterAccount.accountId) {
    problems.add('scope', `the workflow's stack is in account ${host}, which cannot call Identity Center's admin APIs: use the delegated Identity Center administrator account ${org.identityCenterDelegated ? `'${org.identityCenterAccount.name}' (${org.identityCenterAccount.accountId})` : '(set identityCenterAdminAccount in the organization model)'}`);
  } else if (isManagement) {
    Annotations.of(scope).addWarningV2('cdk-iam-landing-zone:elevatedAccessInManagementAccount',
      'the workflow is hosted in the management account: everyone who requests or approves needs a permission set there; prefer the delegated Identity Center administrator account');
  }
}
