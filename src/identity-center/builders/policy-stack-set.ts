import { Lazy, Stack } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { Organization } from '../../organization';
import type { CustomerManagedPolicyDefinition } from '../permission-set-catalog';
import { shortHash } from '../sharding';

/**
 * The StackSet deploying a customer-managed policy where assigned permission sets reference it: the OUs of OU-wide
 * rules, with auto-deployment so an account created in or moved into them gets the policy without a deployment of
 * the catalog, and the other accounts by the root intersected with their list (service-managed). Both grow until
 * synth; auto-deployment may also reach new accounts under the root that targets the list, which is harmless: a
 * policy alone grants nothing. Created in the catalog's scope, so construct ids are unchanged.
 */
export function createPolicyStackSet(scope: Construct, organization: Organization, key: string, def: CustomerManagedPolicyDefinition,
  accounts: Set<string>, organizationalUnits: Set<string>): CfnStackSet {
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
    autoDeployment: Lazy.any({
      // an account leaving the OUs loses the policy with the instance (its OU's assignments leave with it)
      produce: () => (organizationalUnits.size > 0 ? { enabled: true, retainStacksOnAccountRemoval: false } : { enabled: false }),
    }),
    callAs: organization.identityCenterDelegated ? 'DELEGATED_ADMIN' : 'SELF',
    capabilities: ['CAPABILITY_NAMED_IAM'],
    managedExecution: { Active: true },
    operationPreferences: { failureToleranceCount: 0, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
    templateBody: JSON.stringify(template),
    stackInstancesGroup: Lazy.any({
      produce: () => [
        ...(organizationalUnits.size > 0
          ? [{ regions: [stack.region], deploymentTargets: { organizationalUnitIds: [...organizationalUnits].sort() } }]
          : []),
        ...(accounts.size > 0 || organizationalUnits.size === 0 ? [{
          regions: [stack.region],
          deploymentTargets: {
            // service-managed StackSets target OUs; the intersection with the account list deploys exactly there
            organizationalUnitIds: [organization.rootId],
            accountFilterType: 'INTERSECTION',
            accounts: [...accounts].sort(),
          },
        }] : []),
      ],
    }),
  });
  return stackSet;
}
