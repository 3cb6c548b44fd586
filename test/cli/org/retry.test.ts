import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { lzOrg, tempDir } from './run-cli';
import { Organization } from '../../../src';
import { OrgClients } from '../../../src/cli/org/clients';

// aws-sdk-client-mock replaces `send`, and with it the SDK's retry middleware; to prove that throttling is retried,
// this fake answers at the HTTP layer, under the real clients `lz-org` builds (adaptive retries, 8 attempts).
class FakeHttp {
  public readonly calls: string[] = [];
  public readonly throttle = new Map<string, number>();
  public readonly denied = new Set<string>();

  public updateHttpClientConfig(): void {}
  public httpHandlerConfigs(): Record<string, unknown> {
    return {};
  }

  public async handle(request: { headers: Record<string, string>; body?: string }) {
    const target = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1] ?? '';
    const op = target.split('.')[1];
    this.calls.push(op);
    const left = this.throttle.get(op) ?? 0;
    if (left > 0) {
      this.throttle.set(op, left - 1);
      return reply(400, { __type: 'TooManyRequestsException', Message: 'AWS Organizations can\'t complete your request because another request is already in progress. Try again later.' });
    }
    if (this.denied.has(op)) return reply(400, { __type: 'AccessDeniedException', Message: 'You don\'t have permissions to access this resource.' });
    // an organization without a delegation policy, answered as AWS does
    if (op === 'DescribeResourcePolicy') return reply(400, { __type: 'ResourcePolicyNotFoundException', Message: 'We can\'t find a resource policy request with the parameter that you specified.' });
    const input = JSON.parse(request.body ?? '{}');
    return reply(200, answer(op, input));
  }
}

function reply(statusCode: number, body: unknown) {
  return { response: { statusCode, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Readable.from([Buffer.from(JSON.stringify(body))]) } };
}

function answer(op: string, input: any): unknown {
  switch (op) {
    case 'DescribeOrganization':
      return { Organization: { Id: 'o-ab12cd34ef', MasterAccountId: '000000000000', FeatureSet: 'ALL' } };
    case 'ListRoots':
      return { Roots: [{ Id: 'r-ab12', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] }] };
    case 'ListOrganizationalUnitsForParent':
      return { OrganizationalUnits: input.ParentId === 'r-ab12' ? [{ Id: 'ou-ab12-11111111', Name: 'Workloads' }] : [] };
    case 'ListAccountsForParent':
      return {
        Accounts: input.ParentId === 'r-ab12'
          ? [{ Id: '000000000000', Name: 'Management', State: 'ACTIVE' }]
          : [{ Id: '222222222222', Name: 'App Dev', State: 'ACTIVE' }, { Id: '333333333333', Name: 'App Prod', State: 'SUSPENDED' }],
      };
    case 'ListTagsForResource':
      return { Tags: input.ResourceId === '222222222222' ? [{ Key: 'env', Value: 'dev' }] : [] };
    case 'ListDelegatedAdministrators':
      return { DelegatedAdministrators: [] };
    case 'ListAWSServiceAccessForOrganization':
      return { EnabledServicePrincipals: [{ ServicePrincipal: 'sso.amazonaws.com' }] };
    case 'ListInstances':
      return { Instances: [{ InstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', IdentityStoreId: 'd-1234567890', OwnerAccountId: '000000000000' }] };
    default:
      throw new Error(`unexpected operation ${op}`);
  }
}

describe('lz-org against throttling', () => {
  let dir: string;
  let http: FakeHttp;
  const clients = () => (o: object) => new OrgClients({ ...o, region: 'us-east-1', requestHandler: http });
  const args = () => ['import', '--ts', path.join(dir, 'org.generated.ts'), '--json-file', path.join(dir, 'org.json')];

  beforeEach(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKE';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake';
    delete process.env.AWS_PROFILE;
    dir = tempDir('retry');
    http = new FakeHttp();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('retries throttled calls with backoff and imports the whole organization', async () => {
    // GIVEN Organizations and SSO Admin throttle the first calls of a listing (the adaptive mode then slows down for a
    // while, which is why only a few calls are throttled here)
    http.throttle.set('ListAccountsForParent', 2);
    http.throttle.set('ListInstances', 1);
    // WHEN
    const run = await lzOrg(args(), { clients: clients() });
    // THEN
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const org = Organization.fromJson(fs.readFileSync(path.join(dir, 'org.json'), 'utf8'));
    expect(org.accounts.map((a) => [a.name, a.organizationalUnit, a.tags, a.status])).toEqual([
      ['management', undefined, undefined, undefined],
      ['app-dev', 'Workloads', { env: 'dev' }, undefined],
      ['app-prod', 'Workloads', undefined, 'SUSPENDED'],
    ]);
    const count = (op: string) => http.calls.filter((c) => c === op).length;
    expect(count('ListAccountsForParent')).toBe(2 + 2); // two parents, two throttled attempts
    expect(count('ListTagsForResource')).toBe(3);
    expect(count('ListInstances')).toBe(2);
  });

  test('does not retry an access error and ends in one line', async () => {
    http.denied.add('ListRoots');
    const run = await lzOrg(args(), { clients: clients() });
    expect(run.code).toBe(2);
    expect(run.err).toBe('error: AccessDeniedException: You don\'t have permissions to access this resource.\n');
    expect(http.calls.filter((c) => c === 'ListRoots')).toHaveLength(1);
  });
});
