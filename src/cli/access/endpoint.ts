// Where the API is: --endpoint, LZ_ACCESS_ENDPOINT, a stack output (--stack), or the SSM parameter the workflow
// publishes (default '/landing-zone/elevated-access/endpoint').
// Bundled with its dependencies into assets/cli/ by esbuild, so users install nothing else.
/* eslint-disable import/no-extraneous-dependencies */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { clientConfig } from '../common/aws';
import { CliError } from '../common/output';

export const DEFAULT_PARAMETER = '/landing-zone/elevated-access/endpoint';

export interface EndpointOptions {
  readonly endpoint?: string;
  readonly stack?: string;
  readonly parameter?: string;
  readonly region?: string;
  readonly profile?: string;
}

export async function resolveEndpoint(o: EndpointOptions, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const given = o.endpoint ?? env.LZ_ACCESS_ENDPOINT;
  if (given) return given;
  const config = { ...clientConfig(o.region), credentials: fromNodeProviderChain({ profile: o.profile }) };
  if (o.stack) {
    const out = await new CloudFormationClient(config).send(new DescribeStacksCommand({ StackName: o.stack }));
    const output = (out.Stacks?.[0]?.Outputs ?? []).find((x) => /ApiEndpoint/.test(x.OutputKey ?? ''));
    if (!output?.OutputValue) throw new CliError(`stack ${o.stack} has no ApiEndpoint output; give --endpoint`);
    return output.OutputValue;
  }
  const name = o.parameter ?? env.LZ_ACCESS_PARAMETER ?? DEFAULT_PARAMETER;
  try {
    const out = await new SSMClient(config).send(new GetParameterCommand({ Name: name }));
    if (!out.Parameter?.Value) throw new CliError(`parameter ${name} is empty`);
    return out.Parameter.Value;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read the endpoint from parameter ${name} (${(e as Error).name}): sign in to the workflow's account (aws sso login) or give --endpoint or --stack`);
  }
}
