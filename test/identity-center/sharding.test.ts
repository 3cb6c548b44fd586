import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AccountDefinition, AccountSelection, AssignmentPlacement, IdentityCenterPrincipal, Organization, PermissionLevel, PermissionSetCatalog } from '../../src';
import { placeAppendOnly, shardOf } from '../../src/identity-center/sharding';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d';

/** `n` accounts spread over nested OUs Workloads/Team<k>/<Prod|NonProd>. */
function bigOrg(n: number, extra: AccountDefinition[] = []): Organization {
  const teams = 10;
  const ous = [{ path: 'Workloads', ouId: 'ou-big0-00000000' }];
  for (let t = 0; t < teams; t++) {
    ous.push({ path: `Workloads/Team${t}`, ouId: `ou-big0-t${String(t).padStart(7, '0')}` });
    ous.push({ path: `Workloads/Team${t}/Prod`, ouId: `ou-big0-p${String(t).padStart(7, '0')}` });
    ous.push({ path: `Workloads/Team${t}/NonProd`, ouId: `ou-big0-n${String(t).padStart(7, '0')}` });
  }
  const accounts: AccountDefinition[] = Array.from({ length: n }, (_, i) => ({
    accountId: String(100_000_000_000 + i * 7919),
    name: `acct-${i}`,
    organizationalUnit: `Workloads/Team${i % teams}/${i % 3 === 0 ? 'Prod' : 'NonProd'}`,
  }));
  return new Organization({
    rootId: 'r-big0',
    managementAccount: { accountId: '000000000000', name: 'management' },
    organizationalUnits: ous,
    accounts: [...accounts, ...extra],
  });
}

interface SynthOptions {
  readonly assignmentShards?: number;
  readonly record?: string;
  /** A fourth rule: existing accounts gain one assignment each. */
  readonly audit?: boolean;
}

/** Synthesizes a catalog with three permission sets OU-wide and returns every template by file name. */
function synthCatalog(org: Organization, outdir: string, options: SynthOptions = {}): Record<string, any> {
  const app = new App({ outdir });
  const stack = new Stack(app, 'IdentityCenter', { env: { account: '000000000000', region: 'us-east-1' } });
  const catalog = new PermissionSetCatalog(stack, 'Catalog', {
    organization: org,
    instanceArn: INSTANCE,
    identityStoreId: 'd-9067a1b2c3',
    assignmentShards: options.assignmentShards ?? 8,
    assignmentPlacement: options.record ? AssignmentPlacement.recordedIn(options.record) : undefined,
    existingCustomerManagedPolicies: [{ name: 'lz-permissions-boundary', accounts: AccountSelection.allMemberAccounts() }],
  });
  const engineers = IdentityCenterPrincipal.groupNamed('Engineers');
  const ops = IdentityCenterPrincipal.groupNamed('Operations');
  catalog.assign({ principal: engineers, permissionSet: catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() }), accounts: AccountSelection.organizationalUnits(['Workloads']) });
  catalog.assign({ principal: ops, permissionSet: catalog.addPermissionSet('Power', { permissionLevel: PermissionLevel.power() }), accounts: AccountSelection.organizationalUnits(['Workloads']) });
  catalog.assign({ principal: ops, permissionSet: catalog.addPermissionSet('Ssm', { permissionLevel: PermissionLevel.ssm() }), accounts: AccountSelection.organizationalUnits(['Workloads']) });
  if (options.audit) {
    catalog.assign({ principal: IdentityCenterPrincipal.groupNamed('Auditors'), permissionSet: catalog.addPermissionSet('Audit', { permissionSetName: 'Audit', permissionLevel: PermissionLevel.readOnly() }), accounts: AccountSelection.organizationalUnits(['Workloads']) });
  }
  app.synth();
  const out: Record<string, any> = {};
  for (const f of fs.readdirSync(outdir).filter((x) => x.endsWith('.template.json'))) {
    out[f] = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf-8'));
  }
  return out;
}

function templateText(outdir: string, file: string): string {
  return fs.readFileSync(path.join(outdir, file), 'utf-8');
}

function logicalIdsByTemplate(templates: Record<string, any>): Map<string, string> {
  const where = new Map<string, string>();
  for (const [file, t] of Object.entries(templates)) {
    for (const id of Object.keys(t.Resources ?? {})) where.set(id, file);
  }
  return where;
}

describe('PermissionSetCatalog sharding', () => {
  const tmp = fs.mkdtempSync('/tmp/ic-shard-');
  const ACCOUNTS = 700; // x 3 permission sets = 2,100 assignments
  let before: Record<string, any>;
  let after: Record<string, any>;
  const added: AccountDefinition = { accountId: '999999000001', name: 'new-team3-prod', organizationalUnit: 'Workloads/Team3/Prod' };

  beforeAll(() => {
    before = synthCatalog(bigOrg(ACCOUNTS), path.join(tmp, 'before'));
    after = synthCatalog(bigOrg(ACCOUNTS, [added]), path.join(tmp, 'after'));
  });

  test('spreads 2,100 assignments over nested stacks of at most 450 resources each', () => {
    const nested = Object.entries(before).filter(([f]) => f.endsWith('.nested.template.json'));
    const counts = nested.map(([, t]) => Object.keys(t.Resources).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(ACCOUNTS * 3);
    expect(nested.length).toBe(8);
    for (const c of counts) expect(c).toBeLessThanOrEqual(450);
    const parent = before['IdentityCenter.template.json'];
    expect(Object.keys(parent.Resources).length).toBeLessThanOrEqual(450);
  });

  test('adding one account changes only its own shard, and no existing logical id moves', () => {
    const changed = Object.keys(after).filter((f) => f.endsWith('.nested.template.json') && JSON.stringify(after[f]) !== JSON.stringify(before[f]));
    expect(changed).toHaveLength(1);
    // the changed shard gained exactly the new account's three assignments
    const gained = Object.keys(after[changed[0]].Resources).filter((id) => !(id in before[changed[0]].Resources));
    expect(gained.sort()).toEqual(expect.arrayContaining([expect.stringMatching(/999999000001$/)]));
    expect(gained).toHaveLength(3);
    for (const id of gained) expect(after[changed[0]].Resources[id].Properties.TargetId).toBe('999999000001');
    // every resource that existed keeps its logical id and its template
    const was = logicalIdsByTemplate(before);
    const now = logicalIdsByTemplate(after);
    for (const [id, file] of was) expect(now.get(id)).toBe(file);
    // the parent changes only in the TemplateURL of that one nested stack
    const parentBefore = JSON.stringify(before['IdentityCenter.template.json'].Resources, (k, v) => (k === 'TemplateURL' ? '<url>' : v));
    const parentAfter = JSON.stringify(after['IdentityCenter.template.json'].Resources, (k, v) => (k === 'TemplateURL' ? '<url>' : v));
    expect(parentAfter).toBe(parentBefore);
  });

  test('the shard of an account depends only on the account and the shard count', () => {
    // rendezvous hashing: raising the shard count from 8 to 9 moves only accounts that now pick the new shard
    const ids = Array.from({ length: 2000 }, (_, i) => String(100_000_000_000 + i * 104729));
    const moved = ids.filter((id) => shardOf(id, 8) !== shardOf(id, 9));
    for (const id of moved) expect(shardOf(id, 9)).toBe(8);
    expect(moved.length / ids.length).toBeGreaterThan(0.05);
    expect(moved.length / ids.length).toBeLessThan(0.2);
  });

  test('hashed placement: a shard that would pass 450 assignments fails the synth and names the fix', () => {
    expect(() => synthCatalog(bigOrg(1000), path.join(tmp, 'one-shard'), { assignmentShards: 1 }))
      .toThrow(/assignments: shard 00 would hold 3000 assignments, more than the 450 allowed per stack; use assignmentPlacement: AssignmentPlacement.recordedIn\('<file>'\)/);
  });
});

/** Nested stack file of every assignment logical id. */
function shardOfAssignment(templates: Record<string, any>): Map<string, string> {
  const where = new Map<string, string>();
  for (const [file, t] of Object.entries(templates)) {
    if (!file.endsWith('.nested.template.json')) continue;
    for (const [id, r] of Object.entries<any>(t.Resources)) if (r.Type === 'AWS::SSO::Assignment') where.set(id, file);
  }
  return where;
}

describe('recorded placement (AssignmentPlacement.recordedIn)', () => {
  const tmp = fs.mkdtempSync('/tmp/ic-record-');
  const record = path.join(tmp, 'placement.json');
  let before: Record<string, any>;
  let after: Record<string, any>;
  let afterRecord: string;

  beforeAll(() => {
    // 700 accounts x 3 = 2,100 assignments over 2 hashed shards: 5 shards, 3 of them added
    before = synthCatalog(bigOrg(700), path.join(tmp, 'before'), { assignmentShards: 2, record });
    // 300 more accounts, and a fourth rule that gives every existing account one more assignment
    after = synthCatalog(bigOrg(1000), path.join(tmp, 'after'), { assignmentShards: 2, record, audit: true });
    afterRecord = fs.readFileSync(record, 'utf-8');
  });

  test('grows past assignmentShards x 450 with every nested stack at most 450 resources', () => {
    for (const templates of [before, after]) {
      const nested = Object.entries(templates).filter(([f]) => f.endsWith('.nested.template.json'));
      for (const [, t] of nested) expect(Object.keys(t.Resources).length).toBeLessThanOrEqual(450);
      expect(Object.keys(templates['IdentityCenter.template.json'].Resources).length).toBeLessThanOrEqual(450);
    }
    expect(shardOfAssignment(before).size).toBe(2100);
    expect(shardOfAssignment(after).size).toBe(4000);
    expect(new Set(shardOfAssignment(after).values()).size).toBeGreaterThanOrEqual(Math.ceil(4000 / 450));
  });

  test('no assignment of the first synth changes its nested stack when accounts and rules are added', () => {
    const was = shardOfAssignment(before);
    const now = shardOfAssignment(after);
    for (const [id, file] of was) expect([id, now.get(id)]).toEqual([id, file]);
  });

  test('the record is what makes it so: placed afresh, the same app would move assignments', () => {
    // this is the test above failing on purpose: without the first synth's record, placement differs
    const fresh = synthCatalog(bigOrg(1000), path.join(tmp, 'fresh'), { assignmentShards: 2, record: path.join(tmp, 'fresh.json'), audit: true });
    const was = shardOfAssignment(before);
    const now = shardOfAssignment(fresh);
    expect([...was].filter(([id, file]) => now.get(id) !== file).length).toBeGreaterThan(0);
  });

  test('synth writes the record; synthesizing again changes nothing', () => {
    const parsed = JSON.parse(afterRecord);
    expect(parsed.version).toBe(1);
    expect(Object.values<string[]>(parsed.shards).flat()).toHaveLength(4000);
    const again = synthCatalog(bigOrg(1000), path.join(tmp, 'again'), { assignmentShards: 2, record, audit: true });
    expect(fs.readFileSync(record, 'utf-8')).toBe(afterRecord);
    for (const f of Object.keys(after).filter((x) => x.endsWith('.nested.template.json'))) expect(again[f]).toEqual(after[f]);
  });

  test('removed assignments leave the record, and the rest stay where they were', () => {
    const out = path.join(tmp, 'fewer.json');
    fs.copyFileSync(record, out);
    const fewer = synthCatalog(bigOrg(600), path.join(tmp, 'fewer'), { assignmentShards: 2, record: out, audit: true });
    const now = shardOfAssignment(fewer);
    expect(now.size).toBe(2400);
    const was = shardOfAssignment(after);
    for (const [id, file] of now) expect(file).toBe(was.get(id));
    expect(Object.values<string[]>(JSON.parse(fs.readFileSync(out, 'utf-8')).shards).flat()).toHaveLength(2400);
  });

  test('without a record yet it places as hashed() does, byte for byte, so a deployed catalog can switch without a move', () => {
    const hashed = synthCatalog(bigOrg(700), path.join(tmp, 'hashed'));
    const recorded = synthCatalog(bigOrg(700), path.join(tmp, 'switch'), { record: path.join(tmp, 'switch.json') });
    expect(Object.keys(recorded).sort()).toEqual(Object.keys(hashed).sort());
    const nested = Object.keys(hashed).filter((x) => x.endsWith('.nested.template.json'));
    expect(nested.length).toBeGreaterThan(0);
    // the text, not the parsed object: resources in another order are another template (a nested-stack update)
    for (const f of nested) expect(templateText(path.join(tmp, 'switch'), f)).toBe(templateText(path.join(tmp, 'hashed'), f));
  });

  test('the synth that writes the record renders the templates the next synth renders, byte for byte', () => {
    // 700 accounts over 2 hashed shards: shards are added, and in the first synth every assignment is new
    const file = path.join(tmp, 'twice.json');
    synthCatalog(bigOrg(700), path.join(tmp, 'twice-1'), { assignmentShards: 2, record: file });
    const second = synthCatalog(bigOrg(700), path.join(tmp, 'twice-2'), { assignmentShards: 2, record: file });
    const nested = Object.keys(second).filter((x) => x.endsWith('.nested.template.json'));
    expect(nested.length).toBeGreaterThan(2);
    for (const f of Object.keys(second)) expect([f, templateText(path.join(tmp, 'twice-2'), f)]).toEqual([f, templateText(path.join(tmp, 'twice-1'), f)]);
  });

  test('a record that is not one fails the synth, naming the file', () => {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, '{"version": 2}');
    expect(() => synthCatalog(bigOrg(10), path.join(tmp, 'bad'), { record: bad }))
      .toThrow(/assignmentPlacement: placement record .*bad\.json must be \{"version": 1, "shards"/);
  });
});

describe('placeAppendOnly', () => {
  test('keeps what shards hold, fills the preferred shard, then added shards; a group larger than a shard spreads', () => {
    const loads = new Map([['00', 440], ['01', 10]]);
    const ids = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}`);
    const where = placeAppendOnly(loads, [
      { key: 'a', ids: ids('a', 20), preferred: '00' },
      { key: 'b', ids: ids('b', 5), preferred: '01' },
      { key: 'c', ids: ids('c', 1000), preferred: '01' },
    ], 450, 2);
    expect(new Set(ids('a', 20).map((i) => where.get(i)))).toEqual(new Set(['02']));
    expect(new Set(ids('b', 5).map((i) => where.get(i)))).toEqual(new Set(['01']));
    expect([...loads.values()].every((n) => n <= 450)).toBe(true);
    expect([...loads.values()].reduce((x, y) => x + y, 0)).toBe(450 + 1025);
  });
});
