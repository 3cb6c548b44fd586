// Retry and timeout of the state machines' Lambda steps, shared by the Identity Center and the jump branches.
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/** Lambda steps are idempotent: retry any failure with backoff. */
export const STEP_RETRY: sfn.RetryProps = { errors: ['States.ALL'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6, maxDelay: Duration.seconds(30) };
export const STEP_TIMEOUT = sfn.Timeout.duration(Duration.minutes(2));
