// Rule ids and texts of the landing zone pack. `info` and `explanation` are the Cause and Explanation columns of
// RULES.md, word for word (test/nag/pack.test.ts compares them). Not exported from the library's index.

/** The prefix of every rule id of this pack, e.g. `LZ-IAM1`. */
export const PACK_PREFIX = 'LZ';

export interface RuleText {
  readonly id: string;
  readonly info: string;
  readonly explanation: string;
}

export const RULES = {
  IAM1: {
    id: 'IAM1',
    info: 'A role trusts an AWS principal of another account (or of any account) to assume it without requiring MFA.',
    explanation: 'People switch into landing zone accounts from the jump account; without `Bool aws:MultiFactorAuthPresent true` (or an `aws:MultiFactorAuthAge` bound) a stolen access key of that account is enough to enter this one. `BoolIfExists` does not count: it passes when the key is absent, which is exactly the case of access keys. Machine trusts (vendors with an ExternalId) cannot use MFA: acknowledge the finding `LZ-IAM1[Principal::<arn>]` with the reason.',
  },
  IAM2: {
    id: 'IAM2',
    info: 'A role trusts `*` or a whole account (`arn:aws:iam::<id>:root` or a bare account id) without any condition.',
    explanation: 'Trusting an account delegates the decision to every IAM administrator of that account, and `*` to everyone with an AWS account. Name the role or user that may assume it, or constrain the trust with conditions (MFA, `aws:PrincipalOrgID`, `sts:ExternalId`, `aws:PrincipalArn`).',
  },
  IAM3: {
    id: 'IAM3',
    info: 'A role that people can assume (trusting an account, an IAM user, an Identity Center role or a SAML provider) has no permissions boundary.',
    explanation: 'The landing zone boundary is what stops a human role with IAM rights from creating a more powerful role or removing the guardrails of its account. Attach it, or apply the `ApplyPermissionsBoundary` aspect.',
  },
  IAM4: {
    id: 'IAM4',
    info: 'A role `MaxSessionDuration` or a permission set `SessionDuration` is above the configured maximum session duration.',
    explanation: 'Long sessions keep stolen or forgotten credentials valid for longer and outlive offboarding. Keep sessions at the configured maximum (one hour by default, `maxSessionDuration` of the pack) or acknowledge the role with a reason.',
  },
  IAM5: {
    id: 'IAM5',
    info: 'An IAM user is defined outside the designated jump account.',
    explanation: 'People sign in once, in the jump account (or Identity Center), and switch into other accounts with roles. IAM users anywhere else are long-lived identities that escape the landing zone\'s MFA and offboarding controls. A stack without a concrete account cannot prove where it deploys and is reported.',
  },
  IAM6: {
    id: 'IAM6',
    info: 'An IAM user is not covered by an MFA-enforcing policy in the same template.',
    explanation: 'A user needs a policy (its own, a managed policy or one of a group) that denies everything except MFA and password self-service under `BoolIfExists aws:MultiFactorAuthPresent false`; otherwise a leaked password or access key works without MFA. The policy is recognised by its content, whoever created it.',
  },
  IAM7: {
    id: 'IAM7',
    info: 'The template creates an IAM access key.',
    explanation: 'An access key created by CloudFormation is a long-term secret handed to whoever can read the stack outputs or the secret it is stored in, and it is never rotated. People use MFA sessions; workloads use roles.',
  },
  SSO1: {
    id: 'SSO1',
    info: 'A permission set with administrator rights (AdministratorAccess or an inline allow of `*` on `*`) is assigned as standing access.',
    explanation: 'An `AWS::SSO::Assignment` is permanent. Administrator access should be granted for a limited time, approved and logged, through the elevated-access workflow, which assigns through the API and never through a template.',
  },
  SCP1: {
    id: 'SCP1',
    info: 'An organizational unit is not covered by a service control policy that denies the root user.',
    explanation: 'The root user of a member account bypasses IAM policies and boundaries; only an SCP (`Deny` of `*` when `aws:PrincipalArn` is `arn:aws:iam::*:root`) attached to the OU, one of its parents or the root holds it. Judged over the whole app from the organization model given to the pack.',
  },
  RCP1: {
    id: 'RCP1',
    info: 'An organizational unit is not covered by the data perimeter: no resource control policy on it, a parent OU or the root denies principals outside the organization access to its S3, SQS, KMS, Secrets Manager and STS resources.',
    explanation: 'Without the identity perimeter, one bucket, queue, key, secret or role trust policy that allows `*` or a foreign account lets principals of any account in, and only that resource\'s own policy stands in the way. An RCP with a `Deny` for `Principal: *` unless `aws:PrincipalOrgID` is the organization (`ResourceControl.identityPerimeter()`) holds every resource of the OU. Reported as a warning by default (`requireDataPerimeter` makes it an error). Judged over the whole app from the organization model given to the pack.',
  },
  EA1: {
    id: 'EA1',
    info: 'An elevated-access state machine allows break-glass (self-approval) but no notification target hears of it.',
    explanation: 'Break-glass is acceptable because it is loud: every use must reach approvers and operators at once, so that someone reviews it while the access is live. Without an e-mail, chat channel or Slack channel for the approvers or operators audience the notices go to a topic nobody reads. Add `noticeEmails`, `chatChannels` or `approvals: ChatApprovals.slack(...)`. Reported as a warning.',
  },
  EA2: {
    id: 'EA2',
    info: 'A jump-account group may switch into an administrator-level role (a target at a level with `AdministratorAccess`) at any time.',
    explanation: 'Standing administrator access in the jump account is the risk LZ-SSO1 reports for permission sets: a stolen password and MFA device, or a vendor who keeps access after the job, is an administrator every day. An elevated-access rule for the group (`jumpAccess` of `ElevatedAccessWorkflow`, deployed with `LandingZone.addJumpElevatedAccess`) grants the level for a limited time, approved and logged, through a grant that expires on its own. A break-glass group that must work when the workflow does not: acknowledge `LZ-EA2[Group::<name>]` with the reason. Reported as a warning.',
  },
} satisfies Record<string, RuleText>;
