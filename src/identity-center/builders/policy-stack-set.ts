import { Lazy, Stack } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { Organization } from '../../organization';
import type { CustomerManagedPolicyDefinition } from '../permission-set-catalog';
import { shortHash } from '../sharding';

/**
 * The StackSet deploying a customer-managed policy to exactly the accounts whose assigned permission sets reference
 * it (service-managed, targeting the root intersected with the account list, which grows until synth). Created in the
 * catalog's scope, so construct ids are unchanged.
 */
export function createPolicyStackSet(scope: Construct, organization: Organization, key: string, def: CustomerManagedPolicyDefinition,
  accounts: Set<string>): CfnStackSet {
  const stack = Stack.of(scope);
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Customer-managed policy ${key} referenced by Identity Center permission sets`,
    Resources: {
      Policy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: def.name,
          Path: def.path ?? '/',
          Description: def.description ?? `Referenced by permission sets of ${scope.node.path}`,
          PolicyDocument: stack.resolve(def.document),
        },
      },
    },
  };
  const stackSet = new CfnStackSet(scope, `PolicyStackSet${shortHash(key)}`, {
    stackSetName: `${stack.stackName}-policy-${def.name}`.slice(0, 128).replace(/[^A-Za-z0-9-]/g, '-'),
    description: `Deploys customer-managed policy ${key} where permission sets reference it`,
    permissionModel: 'SERVICE_MANAGED',
    autoDeployment: { enabled: false },
    callAs: organization.identityCenterDelegated ? 'DELEGATED_ADMIN' : 'SELF',
    capabilities: ['CAPABILITY_NAMED_IAM'],
    managedExecution: { Active: true },
    operationPreferences: { failureToleranceCount: 0, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
    templateBody: JSON.stringify(template),
    stackInstancesGroup: [{
      regions: [stack.region],
      deploymentTargets: {
        // service-managed StackSets target OUs; the intersection with the account list deploys exactly where needed
        organizationalUnitIds: [organization.rootId],
        accountFilterType: 'INTERSECTION',
        accounts: Lazy.list({ produce: () => [...accounts].sort() }),
      },
    }],
  });
  return stackSet;
}
