// AWS clients for the command-line tools: the default credential chain (so `aws sso login` profiles work) and
// adaptive retries with backoff, so listings of large organizations survive throttling.

/** Client settings every CLI command uses; `AWS_PROFILE` and `AWS_REGION` work as with the AWS CLI. */
export interface CliClientConfig {
  readonly region?: string;
  readonly maxAttempts: number;
  readonly retryMode: 'adaptive';
}

export function clientConfig(region?: string): CliClientConfig {
  return { region: region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION, maxAttempts: 8, retryMode: 'adaptive' };
}
