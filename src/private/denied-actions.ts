// The denied-action signal, as data: the CloudTrail error codes, the EventBridge pattern that selects them, the
// Contributor Insights rule that counts them per account and principal, and the Logs Insights queries. Pure; the
// constructs and the tests share it.

/**
 * CloudTrail `errorCode` values of calls refused by IAM (identity, resource, boundary, session, SCP or RCP policies):
 * `AccessDenied` and `AccessDeniedException` (most services), `UnauthorizedOperation` and
 * `Client.UnauthorizedOperation` (Amazon EC2). The pattern matches `AccessDenied*` by prefix, so service-specific
 * variants starting with it count too.
 */
export const DENIED_ERROR_CODES = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation'];

/** The EventBridge pattern of CloudTrail API calls that IAM refused. */
export function deniedActionEventPattern(): Record<string, any> {
  return {
    'detail-type': ['AWS API Call via CloudTrail'],
    'detail': {
      errorCode: [{ prefix: 'AccessDenied' }, 'UnauthorizedOperation', 'Client.UnauthorizedOperation'],
    },
  };
}

/** The fields of a denied-action event (as EventBridge delivers it into the log group) that name who, where, what. */
export const DENIED_FIELDS = {
  account: '$.detail.recipientAccountId',
  principal: '$.detail.userIdentity.arn',
} as const;

/**
 * A Contributor Insights rule over the denied-action log group: denied calls counted per account and principal
 * (`userIdentity.arn`: a user, the root user, or a role session). One rule however many principals there are: no
 * custom metric per principal is created.
 */
export function deniedActionInsightRuleBody(logGroupName: string): Record<string, unknown> {
  return {
    Schema: { Name: 'CloudWatchLogRule', Version: 1 },
    LogGroupNames: [logGroupName],
    LogFormat: 'JSON',
    Contribution: { Keys: [DENIED_FIELDS.account, DENIED_FIELDS.principal], Filters: [] },
    AggregateOn: 'Count',
  };
}

/** One Logs Insights query definition over the denied-action log group. */
export interface DeniedActionQuery {
  readonly name: string;
  readonly fields?: string[];
  readonly stats?: string;
  readonly sort: string;
  readonly limit: number;
}

/** The saved queries: who was denied what, where; the top principals; the most denied actions. */
export function deniedActionQueries(prefix: string): DeniedActionQuery[] {
  return [
    {
      name: `${prefix}/denied-actions/who-what-where`,
      fields: [
        '@timestamp', 'detail.recipientAccountId as account', 'detail.awsRegion as region',
        'detail.userIdentity.arn as principal', 'detail.eventSource as service', 'detail.eventName as action',
        'detail.errorCode as error', 'detail.sourceIPAddress as sourceIp', 'detail.errorMessage as message',
      ],
      sort: '@timestamp desc',
      limit: 200,
    },
    {
      name: `${prefix}/denied-actions/top-principals`,
      stats: 'count(*) as denied by detail.recipientAccountId, detail.userIdentity.arn',
      sort: 'denied desc',
      limit: 50,
    },
    {
      name: `${prefix}/denied-actions/top-actions`,
      stats: 'count(*) as denied by detail.eventSource, detail.eventName, detail.errorCode',
      sort: 'denied desc',
      limit: 50,
    },
  ];
}

/**
 * The regions the forwarding rules run in: the landing zone's regions, plus us-east-1, where CloudTrail delivers the
 * events of global services (IAM, AWS STS's global endpoint, Organizations) to EventBridge.
 */
export function forwardingRegions(regions: string[]): string[] {
  return [...new Set([...regions, 'us-east-1'])];
}
