// The lz-access CLI end to end: the real API handler behind a local HTTP server that plays API Gateway (it checks the
// SigV4 signature the CLI made and hands the signer's identity to the handler), the real state machine behind it.
import * as http from 'http';
import type { AddressInfo } from 'net';
import { Writable } from 'stream';
import { apiGateway, SECRET } from './fake-api-gateway';
import { HOST_ACCOUNT, workflowStack } from './fixture';
import { World } from './world';
import { parseDuration, run } from '../../src/cli/lz-access.cli';

/** Access key id -> Identity Center user (the session name of their lz-access-* role). */
const KEYS: Record<string, string> = { AKIDALICE: 'alice', AKIDBOB: 'bob', AKIDCAROL: 'carol' };

function sink(): Writable & { text: string } {
  const s = new Writable({ write(chunk, _enc, cb) { s.text += String(chunk); cb(); } }) as Writable & { text: string };
  s.text = '';
  return s;
}

describe('lz-access CLI (real API handler behind a local HTTP server)', () => {
  let world: World;
  let server: http.Server;
  let endpoint: string;
  beforeAll(async () => {
    world = await World.create(workflowStack().stack);
    server = apiGateway((key) => (KEYS[key] ? { userArn: `arn:aws:sts::${HOST_ACCOUNT}:assumed-role/AWSReservedSSO_lz-access-requester_0123456789abcdef/${KEYS[key]}` } : undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  });
  afterAll(async () => {
    world.restore();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Runs the CLI as a user: their keys in the environment, as the default credential chain reads them. */
  async function cli(user: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out = sink();
    const err = sink();
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = Object.keys(KEYS).find((k) => KEYS[k] === user) ?? 'AKIDUNKNOWN';
    process.env.AWS_SECRET_ACCESS_KEY = SECRET;
    try {
      const code = await run(['node', 'lz-access', '--endpoint', endpoint, '--region', 'eu-west-1', ...args], {
        streams: { out, err }, env: { ...process.env, AWS_PROFILE: undefined }, pollMs: 5,
      });
      return { code, out: out.text, err: err.text };
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  }

  test('request, approve, --wait until active with the console link, audit, revoke', async () => {
    // WHEN: alice asks for read-only access
    const req = await cli('alice', 'request', '--account', '555555555501', '--permission-set', 'ProdReadOnly', '--duration', '1h', '--reason', 'investigate INC-7 latency');
    // THEN: a table with the new request
    expect(req.code).toBe(0);
    expect(req.out.split('\n')[0]).toMatch(/^REQUEST\s+ACCOUNT\s+STATUS\s+APPROVALS NEEDED\s+RULES$/);
    const id = /^([0-9a-f-]{36})\s/m.exec(req.out)![1];
    await world.waiting(id, 'APPROVAL');

    // the approver sees it and approves; the requester cannot
    const approvable = await cli('bob', 'list', '--approvable', '--json');
    expect(JSON.parse(approvable.out).map((r: any) => r.requestId)).toEqual([id]);
    const self = await cli('alice', 'approve', id);
    expect(self).toMatchObject({ code: 1, out: '' });
    expect(self.err).toBe(`error: POST /requests/${id}/approve refused (403): requesters cannot approve their own request\n`);
    expect((await cli('bob', 'approve', id)).code).toBe(0);

    // --wait follows it until it is active and prints the access portal link
    const shown = await cli('alice', 'show', id, '--wait', '--json');
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({
      status: 'ACTIVE',
      account: '555555555501',
      permissionSet: 'ProdReadOnly',
      console: 'https://d-1234567890.awsapps.com/start/#/console?account_id=555555555501&role_name=ProdReadOnly',
    });
    expect(world.assignments.size).toBe(1);

    // the audit trail as a table, actors shortened to the user name
    const audit = await cli('alice', 'audit', id);
    expect(audit.out).toMatch(/^AT\s+TRANSITION\s+ACTOR\s+REASON/);
    expect(audit.out).toMatch(/APPROVED\s+bob/);
    expect(audit.out).toMatch(/GRANTED\s+workflow/);

    // WHEN: alice is done
    expect((await cli('alice', 'revoke', id, '--reason', 'done')).code).toBe(0);
    await world.executions.get(id);
    // THEN
    expect(world.assignments.size).toBe(0);
    const mine = await cli('alice', 'list');
    expect(mine.out).toMatch(new RegExp(`${id}\\s+REVOKED\\s+555555555501\\s+ProdReadOnly\\s+1h\\s+alice`));
  });

  test('refusals come back as one line: what was refused and why', async () => {
    const tooLong = await cli('alice', 'request', '-a', '555555555501', '-p', 'ProdReadOnly', '-d', '5h', '-r', 'investigate INC-8 latency');
    expect(tooLong).toMatchObject({ code: 1, out: '' });
    expect(tooLong.err).toBe('error: POST /requests refused (400): duration 18000s exceeds the maximum of 14400s\n');
    // a request signed with a key the API does not know
    const stranger = await cli('mallory', 'list');
    expect(stranger.err).toMatch(/^error: GET \/requests refused \(403\): The request signature we calculated does not match/);
    // usage errors: exit code 2 and no call
    const bad = await cli('alice', 'request', '-a', '555555555501', '-p', 'ProdReadOnly', '-d', 'soon');
    expect(bad).toMatchObject({ code: 2, err: "error: --duration must look like 90, 45m, 2h or 1h30m, got 'soon'\n" });
  });

  test('--wait on a request that is rejected ends with the reason', async () => {
    const req = await cli('alice', 'request', '-a', '555555555502', '-p', 'ProdReadOnly', '-d', '30m', '-r', 'look at the data pipeline', '--json');
    const id = JSON.parse(req.out)[0].requestId;
    await world.waiting(id, 'APPROVAL');
    expect((await cli('carol', 'reject', id, '--reason', 'use the dashboards')).code).toBe(0);
    await world.executions.get(id);
    const waited = await cli('alice', 'show', id, '--wait');
    expect(waited).toMatchObject({ code: 1, err: `error: request ${id} ended REJECTED: use the dashboards\n` });
  });

  test('--help lists the commands', async () => {
    const help = await cli('alice', '--help');
    expect(help.code).toBe(0);
    for (const c of ['request', 'list', 'show', 'approve', 'reject', 'revoke', 'cancel', 'audit']) expect(help.out).toMatch(new RegExp(`\\n  ${c}\\b`));
  });

  test('durations', () => {
    expect([parseDuration('90'), parseDuration('45m'), parseDuration('2h'), parseDuration('1h30m')]).toEqual([90, 45, 120, 90]);
    expect(() => parseDuration('0')).toThrow(/at least 1 minute/);
  });
});
