// What cdk-nag's AwsSolutions, HIPAA Security and NIST 800-53 R5 packs report on the jump elevated access resources
// that is inherent to them, acknowledged on the one construct each concerns, finding by finding, with the reason.
import { Stack, Token, Tokenization, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { PermissionLevel } from '../permission-level';

const both = (rule: string) => [`HIPAA.Security-${rule}`, `NIST.800.53.R5-${rule}`];
const ack = (c: IConstruct, reason: string, ...ids: string[]) => ids.forEach((id) => Validations.of(c).acknowledge({ id, reason }));

/** A resource ARN as cdk-nag names it in an IAM5 finding (`arn:<AWS::Partition>:...`), or undefined when it cannot tell. */
function nagResource(scope: IConstruct, arn: string): string | undefined {
  if (!Token.isUnresolved(arn)) return arn;
  const parts = Tokenization.reverseString(arn).mapTokens({
    mapToken: (t) => {
      const r = Stack.of(scope).resolve(t);
      return typeof r?.Ref === 'string' && r.Ref.startsWith('AWS::') ? `<${r.Ref}>` : '\u0000';
    },
  }).join({ join: (l: unknown, r: unknown) => `${l}${r}` });
  return String(parts).includes('\u0000') ? undefined : String(parts);
}

const iam5 = (c: IConstruct, reason: string, arns: string[]) =>
  ack(c, reason, ...arns.map((a) => nagResource(c, a)).filter((a): a is string => a !== undefined).map((a) => `AwsSolutions-IAM5[Resource::${a}]`));

/** The grant writer's, the group reader's and the jump user boundary's findings. */
export function acknowledgeGrantWriterFindings(writer: IConstruct, reader: IConstruct, boundary: IConstruct, apiArns: string[]): void {
  const jumpUsers = 'arn:<AWS::Partition>:iam::<AWS::AccountId>:user/*';
  ack(writer, 'the writer\'s one statement: user policies only on users carrying the jump user boundary, deleted with the role', ...both('IAMNoInlinePolicy'));
  ack(writer, 'any jump user may be granted; the condition on iam:PermissionsBoundary holds the writer to bounded users', `AwsSolutions-IAM5[Resource::${jumpUsers}]`);
  ack(reader, 'the reader\'s one statement: reading users and their groups, deleted with the role', ...both('IAMNoInlinePolicy'));
  ack(reader, 'the workflow reads the groups of whichever jump user calls it', `AwsSolutions-IAM5[Resource::${jumpUsers}]`);
  const capsOnly = 'a permissions boundary grants nothing: it caps what the users\' own policies and grants allow';
  ack(boundary, capsOnly, 'AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/*]');
  iam5(boundary, capsOnly, apiArns);
}

/** The every-user group's API policy's findings. */
export function acknowledgeApiPolicyFindings(policy: IConstruct, apiArns: string[]): void {
  ack(policy, 'the one execute-api:Invoke statement on the workflow API\'s routes, for every jump user', ...both('IAMNoInlinePolicy'));
  iam5(policy, 'the API id is \'*\' where the jump account cannot read it, and path parameters are request ids: only the workflow\'s API admits jump users, by its resource policy', apiArns);
}

/** The elevated roles' and the revoker's findings. */
export function acknowledgeElevatedRoleFindings(roles: Array<[IConstruct, PermissionLevel]>, revoker: IConstruct): void {
  for (const [role, level] of roles) {
    ack(role, 'the permission level\'s AWS managed job-function policy, held in by the landing zone boundary and reached only through a time-bound grant',
      ...level.awsManagedPolicyNames.map((n) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${n}]`));
  }
  ack(revoker, 'the revoker\'s one statement: role policies of exactly this account\'s elevated roles, deleted with the role', ...both('IAMNoInlinePolicy'));
}
