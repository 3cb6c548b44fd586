import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A deny of everything from outside `cidrs`, except calls AWS services make for the principal (they come from AWS
 * addresses). With `sessionNames`, only for assumed-role sessions of those names: an assumed-role session's
 * `aws:userid` is `<role id>:<session name>`.
 */
export function denyOutsideSourceAddresses(sid: string, cidrs: string[], sessionNames?: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    effect: iam.Effect.DENY,
    actions: ['*'],
    resources: ['*'],
    conditions: {
      NotIpAddress: { 'aws:SourceIp': cidrs },
      BoolIfExists: { 'aws:ViaAWSService': 'false' },
      ...(sessionNames ? { StringLike: { 'aws:userid': sessionNames.map((n) => `*:${n}`) } } : {}),
    },
  });
}
