import { Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** The workflow's roles a machine role trusts: the state machine's, and the reconciler's when it sweeps. */
export function machinePrincipals(workflowRoleArn: string, reconcilerRoleArn?: string): iam.IPrincipal {
  const arns = [workflowRoleArn, ...(reconcilerRoleArn ? [reconcilerRoleArn] : [])];
  return arns.length === 1 ? new iam.ArnPrincipal(workflowRoleArn) : new iam.CompositePrincipal(...arns.map((a) => new iam.ArnPrincipal(a)));
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
