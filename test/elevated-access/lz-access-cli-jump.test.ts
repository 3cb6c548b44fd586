// The lz-access CLI for jump-account users: a profile holding an MFA session (what `aws sts get-session-token` gives,
// written with `aws configure set`), the local API Gateway playing the API's resource policy (jump users without a
// session token are denied), and the real API handler behind it.
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import type * as http from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { Writable } from 'stream';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { apiGateway, SECRET } from './fake-api-gateway';
import { CONFIG, JUMP, jumpWorld, JumpWorld, PROD } from './jump-world';
import { run } from '../../src/cli/lz-access.cli';
import { getRequest } from '../../src/elevated-access/handlers/store';

/** Access key id -> jump user; `ASIA` keys come with a session token (an MFA session), `AKIA` keys are long-term. */
const KEYS: Record<string, string> = { ASIAALICE: 'acme-alice', AKIAALICE: 'acme-alice', ASIABOB: 'globex-bob' };
const DENY = 'User: arn:aws:iam::111111111111:user/acme-alice is not authorized to perform: execute-api:Invoke with an explicit deny';

function sink(): Writable & { text: string } {
  const s = new Writable({ write(chunk, _enc, cb) { s.text += String(chunk); cb(); } }) as Writable & { text: string };
  s.text = '';
  return s;
}

describe('lz-access CLI for jump-account users (profile with an MFA session)', () => {
  let jw: JumpWorld;
  let server: http.Server;
  let endpoint: string;
  let dir: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    jw = await jumpWorld();
    // the resource policy: jump users only with a session token (GetSessionToken with MFA)
    server = apiGateway((key, token) => {
      const user = KEYS[key];
      if (!user) return undefined;
      return key.startsWith('ASIA') && token ? { userArn: `arn:aws:iam::${JUMP}:user/vendors/${user}` } : { deny: DENY };
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
    dir = mkdtempSync(join(tmpdir(), 'lz-access-jump-'));
    // what `aws configure set ... --profile lz-mfa` writes from get-session-token's answer, and a profile of long-term keys
    writeFileSync(join(dir, 'credentials'), [
      '[lz-mfa]', 'aws_access_key_id = ASIAALICE', `aws_secret_access_key = ${SECRET}`, 'aws_session_token = mfa-session-token',
      '[bob-mfa]', 'aws_access_key_id = ASIABOB', `aws_secret_access_key = ${SECRET}`, 'aws_session_token = mfa-session-token',
      '[alice-keys]', 'aws_access_key_id = AKIAALICE', `aws_secret_access_key = ${SECRET}`, '',
    ].join('\n'));
    writeFileSync(join(dir, 'config'), '');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    // the handlers' own clients keep the environment's keys; the CLI's profile wins over them (and warns once)
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    jw.restore();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
    process.env.AWS_SHARED_CREDENTIALS_FILE = saved.AWS_SHARED_CREDENTIALS_FILE;
    process.env.AWS_CONFIG_FILE = saved.AWS_CONFIG_FILE;
    jest.restoreAllMocks();
  });

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out = sink();
    const err = sink();
    const code = await run(['node', 'lz-access', '--endpoint', endpoint, '--region', 'eu-west-1', ...args], {
      streams: { out, err }, env: { ...process.env, AWS_PROFILE: undefined }, pollMs: 5,
    });
    return { code, out: out.text, err: err.text };
  }

  test('request --level with an MFA session profile, approved by another jump user', async () => {
    // WHEN
    const req = await cli('--profile', 'lz-mfa', 'request', '--level', 'Power', '--account', PROD, '--duration', '2h', '--reason', 'deploy the hotfix for ticket 42', '--json');
    // THEN: a jump request for the Power role, made by the signer
    expect(req).toMatchObject({ code: 0, err: '' });
    const [created] = JSON.parse(req.out);
    expect(created).toMatchObject({ accountId: PROD, status: 'PENDING_APPROVAL', requiredApprovals: 2, elevatedRoleName: 'lz-elevated-power' });
    expect(await getRequest(created.requestId)).toMatchObject({ grantKind: 'JUMP', requesterId: 'jump:acme-alice', permissionSetArn: `arn:aws:iam::${PROD}:role/lz-elevated-power` });
    // the approver sees it as approvable and approves with their own MFA session profile
    expect((await cli('--profile', 'bob-mfa', 'list', '--approvable')).out).toMatch(new RegExp(`${created.requestId}\\s+PENDING_APPROVAL\\s+${PROD}\\s+lz-elevated-power\\s+2h\\s+acme-alice\\s+0/2`));
    expect((await cli('--profile', 'bob-mfa', 'approve', created.requestId)).code).toBe(0);
    expect((await cli('--profile', 'lz-mfa', 'approve', created.requestId)).err).toMatch(/refused \(403\): requesters cannot approve their own request/);

    // WHEN the workflow has granted it (the state machine's part, not run here), --wait prints the role and how to assume it
    await jw.world.put('requests', { ...(await getRequest(created.requestId)), status: 'ACTIVE', endAt: '2030-01-01T02:00:00.000Z' });
    const shown = await cli('--profile', 'lz-mfa', 'show', created.requestId, '--wait', '--json');
    expect(JSON.parse(shown.out)).toMatchObject({
      status: 'ACTIVE',
      role: `arn:aws:iam::${PROD}:role/lz-elevated-power`,
      assume: `aws sts assume-role --role-arn arn:aws:iam::${PROD}:role/lz-elevated-power --role-session-name acme-alice`,
    });
  });

  test('a jump-only workflow (no Identity Center): request and approval work, no identity store is asked', async () => {
    // GIVEN: the configuration a workflow with only jump rules compiles to, and no IDENTITY_STORE_ID
    const jumpOnly = {
      ...CONFIG,
      permissionSets: {},
      approverRules: [],
      jump: { ...CONFIG.jump!, approverRules: CONFIG.jump!.approverRules.map((r) => ({ ...r, identityCenterApprovers: [] })) },
    };
    await jw.useConfig(jumpOnly);
    const storeId = process.env.IDENTITY_STORE_ID;
    delete process.env.IDENTITY_STORE_ID;
    const identityStore = jest.spyOn(IdentitystoreClient.prototype, 'send');
    try {
      // WHEN
      const req = await cli('--profile', 'lz-mfa', 'request', '--level', 'Power', '--account', PROD, '--duration', '1h', '--reason', 'deploy the hotfix for ticket 42', '--json');
      const [created] = JSON.parse(req.out);
      const approvable = await cli('--profile', 'bob-mfa', 'list', '--approvable', '--json');
      const approved = await cli('--profile', 'bob-mfa', 'approve', created.requestId);

      // THEN
      expect(created).toMatchObject({ accountId: PROD, status: 'PENDING_APPROVAL', elevatedRoleName: 'lz-elevated-power' });
      expect(JSON.parse(approvable.out).map((r: any) => r.requestId)).toContain(created.requestId);
      expect(approved).toMatchObject({ code: 0, err: '' });
      expect((await getRequest(created.requestId))?.approvals).toEqual(new Set(['jump:globex-bob']));
      expect(identityStore).not.toHaveBeenCalled();
    } finally {
      identityStore.mockRestore();
      process.env.IDENTITY_STORE_ID = storeId;
      await jw.useConfig(CONFIG);
    }
  });

  test('long-term keys (no MFA session) are denied by the resource policy, with the way out in the message', async () => {
    const res = await cli('--profile', 'alice-keys', 'list');
    expect(res.code).toBe(1);
    expect(res.err).toBe(`error: GET /requests refused (403): ${DENY} (a jump-account user needs a profile with an MFA session: see lz-access --help)\n`);
  });

  test('request needs --permission-set or --level, not both; --help explains the MFA session profile', async () => {
    expect(await cli('--profile', 'lz-mfa', 'request', '-a', PROD, '-d', '1h')).toMatchObject({ code: 2, err: 'error: give --permission-set, or --level as a jump-account user\n' });
    expect((await cli('request', '-a', PROD, '-d', '1h', '-p', 'Admin', '-l', 'Power')).code).toBe(2);
    const help = await cli('--help');
    expect(help.out).toMatch(/aws sts get-session-token --serial-number arn:aws:iam::<jump account>:mfa\/<you> --token-code <code>/);
    expect(help.out).toMatch(/lz-access --profile lz-mfa request --level Power --account <id> --duration 2h/);
    expect((await cli('request', '--help')).out).toMatch(/-l, --level <name>/);
  });
});
