import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AccountDefinition, AccountSelection, IdentityCenterPrincipal, Organization, PermissionLevel, PermissionSetCatalog } from '../../src';
import { GrowingShards, shardOf } from '../../src/identity-center/sharding';

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

/** Synthesizes a catalog with three permission sets OU-wide and returns every template by file name. */
function synthCatalog(org: Organization, outdir: string, assignmentShards = 8): Record<string, any> {
  const app = new App({ outdir });
  const stack = new Stack(app, 'IdentityCenter', { env: { account: '000000000000', region: 'us-east-1' } });
  const catalog = new PermissionSetCatalog(stack, 'Catalog', {
    organization: org,
    instanceArn: INSTANCE,
    identityStoreId: 'd-9067a1b2c3',
    assignmentShards,
    existingCustomerManagedPolicies: [{ name: 'lz-permissions-boundary', accounts: AccountSelection.allMemberAccounts() }],
  });
  const engineers = IdentityCenterPrincipal.groupNamed('Engineers');
  const ops = IdentityCenterPrincipal.groupNamed('Operations');
  catalog.assign({ principal: engineers, permissionSet: catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() }), accounts: AccountSelection.organizationalUnits(['Workloads']) });
  catalog.assign({ principal: ops, permissionSet: catalog.addPermissionSet('Power', { permissionLevel: PermissionLevel.power() }), accounts: AccountSelection.organizationalUnits(['Workloads']) });
  catalog.assign({ principal: ops, permissionSet: catalog.addPermissionSet('Ssm', { permissionLevel: PermissionLevel.ssm() }), accounts: AccountSelection.organizationalUnits(['Workloads']) });
  app.synth();
  const out: Record<string, any> = {};
  for (const f of fs.readdirSync(outdir).filter((x) => x.endsWith('.template.json'))) {
    out[f] = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf-8'));
  }
  return out;
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

  test('a shard that would exceed 450 resources splits: 3,000 assignments over one top-level shard', () => {
    // GIVEN
    const org = bigOrg(1000);
    // WHEN
    const templates = synthCatalog(org, path.join(tmp, 'one-shard'), 1);
    // THEN
    const nested = Object.entries(templates).filter(([f]) => f.endsWith('.nested.template.json'));
    const counts = nested.map(([, t]) => Object.keys(t.Resources).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(nested.length).toBeGreaterThanOrEqual(Math.ceil(3000 / 450));
    for (const c of counts) expect(c).toBeLessThanOrEqual(450);
    // an account's assignments stay together
    for (const [, t] of nested) {
      const accounts = new Set(Object.values<any>(t.Resources).map((r) => r.Properties.TargetId));
      expect(Object.keys(t.Resources).length).toBe(accounts.size * 3);
    }
  });

  test('fails when one account alone needs more than 450 assignments (no split can help)', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Small', { env: { account: '000000000000', region: 'us-east-1' } });
    const catalog = new PermissionSetCatalog(stack, 'Catalog', {
      organization: bigOrg(1),
      instanceArn: INSTANCE,
      existingCustomerManagedPolicies: [{ name: 'lz-permissions-boundary', accounts: AccountSelection.allMemberAccounts() }],
    });
    const readOnly = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
    // WHEN
    for (let g = 0; g < 451; g++) {
      catalog.assign({
        principal: IdentityCenterPrincipal.group(`906720aa1c-5d1e3b2f-1111-2222-3333-${String(g).padStart(12, '0')}`),
        permissionSet: readOnly,
        accounts: AccountSelection.organizationalUnits(['Workloads']),
      });
    }
    // THEN
    expect(() => app.synth()).toThrow(/assignments: shard \d\d holds 451 assignments of one account, more than the 450 allowed per stack; assign fewer permission sets or principals to account 100000000000/);
  });
});

describe('GrowingShards', () => {
  const ids = Array.from({ length: 3000 }, (_, i) => String(100_000_000_000 + i * 104729));
  const place = (keys: string[], perKey = 3) => {
    const shards = new GrowingShards(2, 450);
    const where = new Map<string, string>();
    for (const k of keys) {
      for (let i = 0; i < perKey; i++) {
        const p = shards.add(k);
        where.set(k, p.shard);
        for (const [moved, to] of p.split?.moved ?? []) where.set(moved, to);
      }
    }
    return { shards, where };
  };

  test('the layout depends only on the set of keys, not on the order they arrive', () => {
    const forward = place(ids).where;
    const backward = place([...ids].reverse()).where;
    expect([...backward].sort()).toEqual([...forward].sort());
    expect(new Set(forward.values()).size).toBeGreaterThan(2);
  });

  test('no shard holds more than its capacity, and every split reports where each key went', () => {
    const { shards, where } = place(ids);
    for (const size of shards.sizes.values()) expect(size).toBeLessThanOrEqual(450);
    const counted = new Map<string, number>();
    for (const s of where.values()) counted.set(s, (counted.get(s) ?? 0) + 3);
    expect(counted).toEqual(shards.sizes);
  });

  test('adding a key changes its own shard only, or replaces that one shard by the shards it splits into', () => {
    const before = place(ids).where;
    for (const extra of ['999999000001', '999999000002', '999999000003', '999999000004']) {
      const after = place([...ids, extra]).where;
      const changed = ids.filter((k) => after.get(k) !== before.get(k));
      const from = new Set(changed.map((k) => before.get(k)));
      expect(from.size).toBeLessThanOrEqual(1);
      // a moved key only goes deeper into its own shard's split
      for (const k of changed) expect(after.get(k)!.startsWith(before.get(k)!.includes('-') ? before.get(k)! : `${before.get(k)}-`)).toBe(true);
    }
  });
});
