import * as fs from 'fs';
import * as path from 'path';
import { FakeOrganization, realisticOrganization } from './fake-organization';
import { lzOrg, SRC, tempDir } from './run-cli';
import { ChangeKind } from '../../../src/cli/org/diff';

describe('lz-org diff', () => {
  let fake: FakeOrganization;
  let dir: string;
  let model: string;

  beforeEach(async () => {
    // GIVEN a committed model of the organization
    fake = realisticOrganization().install();
    dir = tempDir('diff');
    model = path.join(dir, 'organization.json');
    const run = await lzOrg(['import', '--ts', path.join(dir, 'organization.generated.ts'), '--json-file', model,
      '--jump-account', 'Jump', '--identity-center-region', 'eu-central-1', '--module', SRC]);
    expect(run.code).toBe(0);
  });
  afterEach(() => {
    fake.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('exits 0 and says so when the organization matches the model', async () => {
    const run = await lzOrg(['diff', '--model', model]);
    expect(run.code).toBe(0);
    expect(run.out).toBe(`${model} matches organization o-k7q2x9m4ab (60 accounts, 12 OUs)\n`);
    expect((await lzOrg(['import', '--check', '--json-file', model])).code).toBe(0);
  });

  test('names each kind of change and exits 1', async () => {
    // WHEN the organization changes in every way the diff knows
    fake.accounts.push({ id: '200000000099', name: 'Team 11 Dev', state: 'ACTIVE', parentId: 'ou-k7q2-dev00001', tags: { env: 'dev' } });
    fake.account('200000000001').parentId = 'ou-k7q2-test0001'; // moved
    fake.account('400000000011').name = 'Data Platform Prod'; // renamed
    fake.account('300000000002').state = 'CLOSED';
    fake.account('300000000003').state = 'SUSPENDED';
    fake.account('700000000002').state = 'ACTIVE'; // reactivated
    fake.account('400000000003').tags = { env: 'production', team: 'team-03', owner: 'ops' }; // changed, added, removed
    fake.accounts = fake.accounts.filter((a) => a.id !== '100000000003'); // Billing left the organization
    fake.ous.push({ id: 'ou-k7q2-gaming01', name: 'Gaming', parentId: 'ou-k7q2-prod0001' });
    for (const a of fake.accounts.filter((x) => x.parentId === 'ou-k7q2-analyt01')) a.parentId = 'ou-k7q2-prod0001';
    fake.ous = fake.ous.filter((o) => o.id !== 'ou-k7q2-analyt01'); // removed, after its accounts moved out
    fake.ous = fake.ous.map((o) => (o.id === 'ou-k7q2-nonprod1' ? { ...o, name: 'NonProd' } : o)); // renamed (its accounts do not move)
    fake.ous = fake.ous.map((o) => (o.id === 'ou-k7q2-network1' ? { ...o, parentId: 'ou-k7q2-workload' } : o)); // moved
    fake.delegated['100000000004'] = ['config.amazonaws.com'];
    fake.delegated['100000000005'] = fake.delegated['100000000005'].filter((s) => s !== 'guardduty.amazonaws.com');
    fake.instances['eu-central-1'] = [{ InstanceArn: 'arn:aws:sso:::instance/ssoins-0000aaaabbbbcccc', IdentityStoreId: 'd-0000000000', OwnerAccountId: '100000000001' }];
    const run = await lzOrg(['diff', '--model', model]);
    const json = await lzOrg(['--json', 'diff', '--model', model]);
    // THEN
    expect(run.code).toBe(1);
    expect(json.code).toBe(1);
    const changes = JSON.parse(json.out).changes.map((c: any) => `${c.kind} | ${c.id} | ${c.name} | ${c.detail}`);
    expect(changes.sort()).toEqual([
      'closed account | 300000000002 | team-02-test | ACTIVE -> CLOSED',
      'delegated admin added | config.amazonaws.com | log-archive | log-archive (100000000004) administers config.amazonaws.com',
      'delegated admin removed | guardduty.amazonaws.com | audit | audit (100000000005) no longer administers guardduty.amazonaws.com',
      'identity center changed | arn:aws:sso:::instance/ssoins-0000aaaabbbbcccc | identity center | arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6 (d-90679abcde) -> arn:aws:sso:::instance/ssoins-0000aaaabbbbcccc (d-0000000000)',
      'moved account | 200000000001 | team-01-dev | Workloads/Non-Prod/Dev -> Workloads/NonProd/Test',
      'moved account | 500000000003 | analytics-prod | Workloads/Prod/Analytics-BI -> Workloads/Prod',
      'moved account | 500000000004 | bi-prod | Workloads/Prod/Analytics-BI -> Workloads/Prod',
      'moved ou | ou-k7q2-network1 | Workloads/Network | Infrastructure/Network -> Workloads/Network',
      'new account | 200000000099 | team-11-dev | in Workloads/NonProd/Dev',
      'new ou | ou-k7q2-gaming01 | Workloads/Prod/Gaming | new ou Workloads/Prod/Gaming',
      'reactivated account | 700000000002 | old-suspended | SUSPENDED -> ACTIVE',
      'removed account | 100000000003 | billing | left the organization (was in root)',
      'removed ou | ou-k7q2-analyt01 | Workloads/Prod/Analytics-BI | ou Workloads/Prod/Analytics-BI no longer exists',
      'renamed account | 400000000011 | data-platform-prod | data-prod -> data-platform-prod',
      'renamed ou | ou-k7q2-nonprod1 | Workloads/NonProd | Workloads/Non-Prod -> Workloads/NonProd',
      'suspended account | 300000000003 | team-03-test | ACTIVE -> SUSPENDED',
      'tags changed | 400000000003 | team-03-prod | -cost-center, env: prod -> production, +owner=ops',
    ]);
    // the table names the same changes, one per line, and says what to do
    expect(run.out).toMatch(/^CHANGE\s+ID\s+NAME\s+DETAIL$/m);
    expect(run.out).toMatch(/^renamed ou\s+ou-k7q2-nonprod1\s+Workloads\/NonProd\s+Workloads\/Non-Prod -> Workloads\/NonProd$/m);
    expect(run.out).toMatch(/17 changes: .*1 new account.*; run lz-org import to update the model, review the diff, and synthesize again\n$/);
    // renaming an OU moves none of its accounts and renames none of its child OUs (only team-01-dev really moved)
  });

  test('names the jump account as removed when it left the organization', async () => {
    fake.accounts = fake.accounts.filter((a) => a.id !== '100000000002');
    const run = await lzOrg(['--json', 'diff', '--model', model]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out).changes).toEqual([{ kind: ChangeKind.REMOVED_ACCOUNT, id: '100000000002', name: 'jump', detail: 'left the organization (was in Security)' }]);
    // a re-import, which would write a model without it, asks which account is the jump account now
    const again = await lzOrg(['import', '--json-file', model, '--ts', path.join(dir, 'organization.generated.ts')]);
    expect(again.code).toBe(2);
    expect(again.err).toBe("error: the committed model's jump account 100000000002 is no longer in organization o-k7q2x9m4ab: pass --jump-account\n");
  });

  test('import --check reports the same drift without writing', async () => {
    fake.account('400000000011').name = 'Data Platform Prod';
    const before = fs.readFileSync(model, 'utf8');
    const run = await lzOrg(['import', '--check', '--json-file', model]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/renamed account\s+400000000011/);
    expect(fs.readFileSync(model, 'utf8')).toBe(before);
  });

  test('a new account in a pending state is shown with its state', async () => {
    fake.accounts.push({ id: '200000000098', name: 'Brand New', state: 'PENDING_ACTIVATION', parentId: 'ou-k7q2-dev00001', tags: {} });
    const run = await lzOrg(['--json', 'diff', '--model', model]);
    expect(JSON.parse(run.out).changes).toEqual([{ kind: ChangeKind.NEW_ACCOUNT, id: '200000000098', name: 'brand-new', detail: 'in Workloads/Non-Prod/Dev (PENDING_ACTIVATION)' }]);
  });

  test('fails with one line when the model file is missing or not a model', async () => {
    const missing = await lzOrg(['diff', '--model', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^error: .*nope.json not found: pass --model <organization.json written by lz-org import>\n$/);
    fs.writeFileSync(path.join(dir, 'hand.json'), JSON.stringify({ rootId: 'r-ab12', accounts: [] }));
    const hand = await lzOrg(['diff', '--model', path.join(dir, 'hand.json')]);
    expect(hand.code).toBe(2);
    expect(hand.err).toMatch(/hand.json was not written by lz-org import \(no 'imported' record\)/);
  });
});
