import { Annotations, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** The workflow's roles a machine role trusts: the state machine's, and the reconciler's when it sweeps. */
export function machinePrincipals(workflowRoleArn: string, reconcilerRoleArn?: string): iam.IPrincipal {
  const arns = machineRoleArns(workflowRoleArn, reconcilerRoleArn);
  return arns.length === 1 ? new iam.ArnPrincipal(workflowRoleArn) : new iam.CompositePrincipal(...arns.map((a) => new iam.ArnPrincipal(a)));
}

/** The ARNs `machinePrincipals` trusts. */
export function machineRoleArns(workflowRoleArn: string, reconcilerRoleArn?: string): string[] {
  return [workflowRoleArn, ...(reconcilerRoleArn ? [reconcilerRoleArn] : [])];
}

/**
 * Warns on a machine role built without the reconciler's trust: what a stopped execution leaves (`left`) then stays
 * until it expires by itself, and nothing but the alarm says so.
 */
export function warnWithoutReconciler(scope: IConstruct, left: string): void {
  Annotations.of(scope).addWarningV2('cdk-iam-landing-zone:jumpSweepWithoutReconciler',
    `reconcilerRoleArn is not set: the workflow's reconciler cannot remove ${left} that a stopped execution leaves (they end by themselves); `
    + 'pass the reconciler role of the workflow (JumpElevatedDeployment.reconcilerRoleArn), as LandingZone.addJumpElevatedAccess does');
}

/**
 * Acknowledges the rule pack's LZ-IAM1 on a role that only the elevated-access workflow's own roles assume, from the
 * workflow's account: their sessions come from AWS services, which carry no MFA, and the role trusts those ARNs only.
 */
export function acknowledgeMachineTrust(role: IConstruct, principalArns: string[]): void {
  for (const arn of principalArns.filter((a) => !Token.isUnresolved(a))) {
    Validations.of(role).acknowledge({
      id: `LZ-IAM1[Principal::${arn}]`,
      reason: 'a machine trust: only this role of the elevated-access workflow assumes it, with service credentials, which carry no MFA',
    });
  }
}
