import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { Organization } from '../organization';
import { acknowledgeCustomResourcePolicy } from '../private/custom-resource-provider';
import { Problems } from '../private/validation';

/**
 * Properties of `AccessAnalyzerDelegation`.
 */
export interface AccessAnalyzerDelegationProps {
  /** The organization; its `securityToolingAccount` becomes the delegated administrator. */
  readonly organization: Organization;
}

/** The service principal of IAM Access Analyzer in AWS Organizations. */
const ACCESS_ANALYZER_SERVICE_PRINCIPAL = 'access-analyzer.amazonaws.com';

/**
 * Delegates IAM Access Analyzer administration to the organization's security tooling account, from the management
 * account. CloudFormation has no resource for it, so two custom resources call AWS Organizations in order, as the IAM
 * User Guide prescribes for analyzers created with CloudFormation: `EnableAWSServiceAccess` (trusted access for
 * `access-analyzer.amazonaws.com`), then `RegisterDelegatedAdministrator`. Both are idempotent; a failure fails the
 * deployment, so the analyzers' stack (which depends on this one) is never deployed without its delegation.
 *
 * Removing the construct leaves the delegation in place: deregistering would disable the organization analyzers and
 * hide their findings, which a stack deletion should not do silently. Deregister by hand
 * (`aws organizations deregister-delegated-administrator`) if you mean it.
 */
export class AccessAnalyzerDelegation extends Construct {
  /** The custom resource that enables trusted access. */
  public readonly trustedAccess: cr.AwsCustomResource;
  /** The custom resource that registers the delegated administrator. */
  public readonly registration: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: AccessAnalyzerDelegationProps) {
    super(scope, id);
    const problems = Problems.of(this);
    const org = props.organization;
    const delegate = org.securityToolingAccount;
    const account = Stack.of(this).account;
    if (!org.securityToolingDelegated) {
      problems.add('organization', 'the organization model names no securityToolingAccount other than the management account: there is nothing to delegate');
    }
    if (!Token.isUnresolved(account) && account !== org.managementAccount.accountId) {
      problems.add('scope', `only the management account ${org.managementAccount.accountId} can delegate administration, but the stack deploys to ${account}`);
    }
    problems.throwIfAny();

    const partition = Stack.of(this).partition;
    const servicePrincipal = { StringEquals: { 'organizations:ServicePrincipal': ACCESS_ANALYZER_SERVICE_PRINCIPAL } };
    const call = (action: string, parameters: Record<string, string>, ignore: string | undefined, physicalId: string): cr.AwsSdkCall => ({
      service: 'Organizations',
      action,
      parameters,
      // AWS Organizations is hosted in us-east-1
      region: 'us-east-1',
      physicalResourceId: cr.PhysicalResourceId.of(physicalId),
      ignoreErrorCodesMatching: ignore,
    });

    const trusted = call('enableAWSServiceAccess', { ServicePrincipal: ACCESS_ANALYZER_SERVICE_PRINCIPAL }, undefined,
      `trusted-access-${ACCESS_ANALYZER_SERVICE_PRINCIPAL}`);
    this.trustedAccess = new cr.AwsCustomResource(this, 'TrustedAccess', {
      onCreate: trusted,
      onUpdate: trusted,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['organizations:EnableAWSServiceAccess'],
        resources: ['*'],
        conditions: servicePrincipal,
      })]),
      installLatestAwsSdk: false,
    });

    // registering the account that is already the delegated administrator is not an error; any other account is
    const register = call('registerDelegatedAdministrator',
      { AccountId: delegate.accountId, ServicePrincipal: ACCESS_ANALYZER_SERVICE_PRINCIPAL }, 'AccountAlreadyRegisteredException',
      `delegated-admin-${ACCESS_ANALYZER_SERVICE_PRINCIPAL}-${delegate.accountId}`);
    this.registration = new cr.AwsCustomResource(this, 'DelegatedAdministrator', {
      onCreate: register,
      onUpdate: register,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['organizations:RegisterDelegatedAdministrator'],
        resources: [`arn:${partition}:organizations::${org.managementAccount.accountId}:account/o-*/${delegate.accountId}`],
        conditions: servicePrincipal,
      })]),
      installLatestAwsSdk: false,
    });
    this.registration.node.addDependency(this.trustedAccess);
    acknowledgeCustomResourcePolicy(this.trustedAccess, 'organizations:EnableAWSServiceAccess names no resource (Service Authorization Reference); the condition names the service', ['Resource::*']);
    acknowledgeCustomResourcePolicy(this.registration, 'an account ARN carries the organization id, which the model may not know',
      [`Resource::arn:<AWS::Partition>:organizations::${org.managementAccount.accountId}:account/o-*/${delegate.accountId}`]);
  }
}
