// The AWS clients of `lz-org`: one credential provider (the SDK's default chain, or a named profile) shared by every
// client, adaptive retries from ../common/aws, and a client per region where a service is regional.
/* eslint-disable import/no-extraneous-dependencies */ // bundled into assets/cli by esbuild; the library never imports it
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { clientConfig } from '../common/aws';

/** Temporary credentials of an assumed role. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface OrgClientOptions {
  /** A profile of ~/.aws/config; without it the default chain (environment, SSO, instance role ...) decides. */
  readonly profile?: string;
  /** The region for regional calls when the command names none. */
  readonly region?: string;
  /** Tests replace the HTTP layer to exercise the SDK's own retries. */
  readonly requestHandler?: unknown;
}

/** Organizations is global; its API lives in us-east-1 (aws partition) and the SDK signs for it from any region. */
const DEFAULT_REGION = 'us-east-1';

export class OrgClients {
  private readonly credentials: ReturnType<typeof fromNodeProviderChain>;
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly options: OrgClientOptions = {}) {
    this.credentials = fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  }

  /** The region for regional calls: the option, AWS_REGION / AWS_DEFAULT_REGION, or us-east-1. */
  public get region(): string {
    return this.options.region ?? clientConfig().region ?? DEFAULT_REGION;
  }

  public organizations(): OrganizationsClient {
    return this.client('organizations', () => new OrganizationsClient(this.config(this.region)));
  }

  public ssoAdmin(region: string): SSOAdminClient {
    return this.client(`sso-admin/${region}`, () => new SSOAdminClient(this.config(region)));
  }

  public cloudFormation(region: string): CloudFormationClient {
    return this.client(`cloudformation/${region}`, () => new CloudFormationClient(this.config(region)));
  }

  public sts(): STSClient {
    return this.client('sts', () => new STSClient(this.config(this.region)));
  }

  /** SSM in a region, with the caller's credentials or those of a role assumed in another account. */
  public ssm(region: string, credentials?: RoleCredentials): SSMClient {
    if (credentials) return new SSMClient({ ...this.config(region), credentials });
    return this.client(`ssm/${region}`, () => new SSMClient(this.config(region)));
  }

  private config(region: string) {
    return {
      ...clientConfig(region),
      credentials: this.credentials,
      ...(this.options.requestHandler ? { requestHandler: this.options.requestHandler as never } : {}),
    };
  }

  private client<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }
}
