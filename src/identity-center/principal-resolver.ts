// The one place an Identity Center principal given by name becomes its identity store id: the permission-set catalog
// and the elevated-access workflow both resolve names here, the same way.
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { IdentityCenterPrincipal, PrincipalKind } from './principal';
import { shortHash } from './sharding';
import { acknowledgeCustomResourcePolicy } from '../private/custom-resource-provider';

// resolved id (a token) -> the principal's stable key, for construct ids that must not derive from a token's text
const keysOfResolved = new Map<string, string>();

/**
 * The identity store id of a principal: the id when given by id, else a deploy-time lookup
 * (`identitystore:GetGroupId` by display name, `GetUserId` by user name) created once per name in `scope` and kept
 * in `cache` (principal key -> id token), so the same name always yields the same token.
 */
export function resolvePrincipalId(scope: Construct, principal: IdentityCenterPrincipal, identityStoreId: string,
  cache: Map<string, string>): string {
  if (principal._id !== undefined) return principal._id;
  const existing = cache.get(principal._key);
  if (existing) return existing;
  const isGroup = principal.kind === PrincipalKind.GROUP;
  const action = isGroup ? 'GetGroupId' : 'GetUserId';
  const field = isGroup ? 'GroupId' : 'UserId';
  const call: cr.AwsSdkCall = {
    service: 'IdentityStore',
    action,
    parameters: {
      IdentityStoreId: identityStoreId,
      AlternateIdentifier: { UniqueAttribute: { AttributePath: isGroup ? 'displayName' : 'userName', AttributeValue: principal._name } },
    },
    physicalResourceId: cr.PhysicalResourceId.fromResponse(field),
    outputPaths: [field],
  };
  const resolver = new cr.AwsCustomResource(scope, `Resolve${isGroup ? 'Group' : 'User'}${shortHash(principal._key)}`, {
    resourceType: 'Custom::IdentityStorePrincipal',
    onCreate: call,
    onUpdate: call,
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
      actions: [`identitystore:${action}`],
      resources: [
        `arn:${Aws.PARTITION}:identitystore::${Aws.ACCOUNT_ID}:identitystore/${identityStoreId}`,
        `arn:${Aws.PARTITION}:identitystore:::${isGroup ? 'group' : 'user'}/*`,
      ],
    })]),
  });
  acknowledgeCustomResourcePolicy(resolver, 'identity store users and groups have only wildcard ARNs (Service Authorization Reference); the identity store is named',
    [`Resource::arn:<AWS::Partition>:identitystore:::${isGroup ? 'group' : 'user'}/*`]);
  const id = resolver.getResponseField(field);
  cache.set(principal._key, id);
  keysOfResolved.set(id, principal._key);
  return id;
}

/** The stable key of the principal an id was resolved for (undefined for a literal id). */
export function resolvedPrincipalKey(id: string): string | undefined {
  return keysOfResolved.get(id);
}
