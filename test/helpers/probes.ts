/**
 * Probe principals and resources for escape tests: IAM entities that exist in a member account before the landing
 * zone arrives (legacy admin roles and users, their policies and groups, identity providers, the deployment roles),
 * plus the landing zone's own roles, with the request context IAM would add for a request that targets each of them
 * (`iam:PermissionsBoundary` when it carries a boundary, `iam:ResourceTag/...` for its tags).
 */
import { PolicyJson } from './iam-sim';

/** One probe: its ARN and the context keys a request against it carries. */
export interface Probe {
  readonly arn: string;
  readonly context: Record<string, string | string[]>;
}

/** The landing zone boundary's ARN in an account. */
export function boundaryArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:policy/lz-permissions-boundary`;
}

/** The probes of one account. */
export function accountProbes(accountId: string) {
  const iam = (resource: string, context: Record<string, string | string[]> = {}): Probe => ({
    arn: `arn:aws:iam::${accountId}:${resource}`, context,
  });
  const bounded = { 'iam:PermissionsBoundary': boundaryArn(accountId) };
  const landingZone = { ...bounded, 'iam:ResourceTag/landing-zone:managed': 'true' };
  return {
    /** An administrator role from before the landing zone: no boundary, trusts the whole account. */
    legacyAdminRole: iam('role/legacy-admin'),
    /** The role Organizations creates in accounts it creates; administrator, trusts the management account. */
    organizationAccessRole: iam('role/OrganizationAccountAccessRole'),
    controlTowerRole: iam('role/AWSControlTowerExecution'),
    cdkDeployRole: iam(`role/cdk-hnb659fds-deploy-role-${accountId}-eu-central-1`),
    cdkExecutionRole: iam(`role/cdk-hnb659fds-cfn-exec-role-${accountId}-eu-central-1`),
    stackSetExecutionRole: iam('role/stacksets-exec-0123456789abcdef0123456789abcdef'),
    /** A landing zone role given a path. */
    landingZoneRoleWithPath: iam('role/team/lz-admin', landingZone),
    landingZoneRole: (name: string) => iam(`role/${name}`, landingZone),
    /** A landing zone machine role (path `/landing-zone/`). */
    landingZoneServiceRole: iam('role/landing-zone/reconciler', landingZone),
    /** An unbounded IAM user from before the landing zone, with an access key and a console password. */
    legacyUser: iam('user/legacy-deployer'),
    /** A customer-managed policy attached to `legacyAdminRole`. */
    legacyPolicy: iam('policy/legacy-admin-policy'),
    /** A group whose members are unbounded users. */
    legacyGroup: iam('group/legacy-admins'),
    legacyInstanceProfile: iam('instance-profile/legacy-web'),
    samlProvider: iam('saml-provider/corp-idp'),
    oidcProvider: iam('oidc-provider/token.actions.githubusercontent.com'),
    legacyMfaDevice: iam('mfa/legacy-deployer'),
    /** The boundary policy itself. */
    boundaryPolicy: iam('policy/lz-permissions-boundary'),
    /** What a bounded principal may own: a bounded role, user and policy under the delegated path. */
    delegatedRole: iam('role/delegated/orders-handler', bounded),
    delegatedUser: iam('user/delegated/report-bot', bounded),
    delegatedPolicy: iam('policy/delegated/orders-access'),
    delegatedInstanceProfile: iam('instance-profile/delegated/orders-web'),
    /** The context a request carries when it creates or changes a principal with the landing zone boundary. */
    withBoundary: bounded,
  };
}

/** A trust policy that trusts every principal of the account (the CDK default `AccountRootPrincipal`). */
export function trustsAccount(accountId: string): PolicyJson {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }],
  };
}
