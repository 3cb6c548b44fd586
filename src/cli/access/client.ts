// The elevated-access API, signed with SigV4 (service execute-api) using the default credential chain, so profiles
// from `aws sso login` just work. Errors from the API become one line: what was refused and why.
// Bundled with its dependencies into assets/cli/ by esbuild, so users install nothing else.
/* eslint-disable import/no-extraneous-dependencies */
import * as http from 'http';
import * as https from 'https';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { CliError } from '../common/output';

/** A credential source, as the AWS SDK's providers are. */
export type CredentialProvider = () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;

export interface AccessClientOptions {
  /** The API's base URL, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/v1/`. */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials?: CredentialProvider;
  readonly profile?: string;
}

/** The region of an execute-api endpoint, when its host name says it. */
export function regionOfEndpoint(endpoint: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(endpoint)?.[1];
}

export class AccessClient {
  private readonly signer: SignatureV4;
  private readonly base: URL;

  constructor(options: AccessClientOptions) {
    this.base = new URL(options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`);
    this.signer = new SignatureV4({
      service: 'execute-api',
      region: options.region,
      credentials: options.credentials ?? fromNodeProviderChain({ profile: options.profile }),
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  public get(path: string, query: Record<string, string> = {}): Promise<any> {
    return this.send('GET', path, undefined, query);
  }

  public post(path: string, body: unknown = {}): Promise<any> {
    return this.send('POST', path, body);
  }

  private async send(method: string, path: string, body: unknown, query: Record<string, string> = {}): Promise<any> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const signed = await this.signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { 'host': url.host, 'content-type': 'application/json', ...(payload ? { 'content-length': String(Buffer.byteLength(payload)) } : {}) },
      body: payload,
    });
    const res = await exchange(url, method, signed.headers as Record<string, string>, payload);
    let parsed: any;
    try {
      parsed = res.body ? JSON.parse(res.body) : {};
    } catch {
      parsed = { message: res.body.slice(0, 200) };
    }
    if (res.status >= 200 && res.status < 300) return parsed;
    const what = `${method} ${url.pathname.replace(this.base.pathname, '/')}`;
    const why = parsed?.message ?? parsed?.Message ?? `HTTP ${res.status}`;
    // the API's resource policy denies jump-account users without an MFA session
    const hint = res.status === 403 && /explicit deny/i.test(String(why)) ? ' (a jump-account user needs a profile with an MFA session: see lz-access --help)' : '';
    throw new CliError(`${what} refused (${res.status}): ${why}${hint}`);
  }
}

function exchange(url: URL, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  const lib = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method, headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} within 30 s`)));
    req.on('error', (e) => reject(new CliError(`cannot reach ${url.host}: ${e.message}`)));
    if (body) req.write(body);
    req.end();
  });
}
