import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The id aws-cdk-lib gives the one function per stack behind every `AwsCustomResource`. */
const PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

const FINDINGS: Array<[string[], string]> = [
  [['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'],
    'aws-cdk-lib\'s AwsCustomResource provider role: it writes its own logs; each call\'s permissions are in that custom resource\'s own policy'],
  [['HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC'], 'the provider calls only AWS APIs (TLS, SigV4) during deployments'],
  [['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ'], 'invoked by CloudFormation, which reports a failed call as a failed deployment'],
  [['HIPAA.Security-LambdaConcurrency', 'NIST.800.53.R5-LambdaConcurrency'], 'runs only during deployments; reserved concurrency would take from the account\'s pool'],
];

/**
 * Acknowledges what cdk-nag's AwsSolutions, HIPAA Security and NIST 800-53 R5 packs report on aws-cdk-lib's
 * `AwsCustomResource` provider function of the stack of `scope` (call after creating an `AwsCustomResource`): the
 * function and its role are aws-cdk-lib's, one per stack. A consumer's own `AwsCustomResource` in the same stack shares
 * that same function.
 */
export function acknowledgeCustomResourceProvider(scope: IConstruct): void {
  const provider = Stack.of(scope).node.tryFindChild(PROVIDER_ID);
  if (!provider) return;
  const role = provider.node.tryFindChild('ServiceRole');
  for (const [ids, reason] of FINDINGS) {
    for (const id of ids) Validations.of(id.startsWith('AwsSolutions-IAM4') && role ? role : provider).acknowledge({ id, reason });
  }
}

/**
 * Acknowledges, on one `AwsCustomResource`'s own policy, that it is inline (it holds that one call's permissions and
 * goes with it) and the wildcard findings the call cannot avoid, each with `reason`.
 */
export function acknowledgeCustomResourcePolicy(resource: IConstruct, reason: string, wildcardFindings: string[] = []): void {
  acknowledgeCustomResourceProvider(resource);
  const policy = resource.node.tryFindChild('CustomResourcePolicy');
  if (!policy) return;
  for (const id of ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy']) {
    Validations.of(policy).acknowledge({ id, reason: 'the one call\'s permissions, bound to this custom resource and deleted with it' });
  }
  for (const f of wildcardFindings) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${f}]`, reason });
}
