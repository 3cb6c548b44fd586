import * as fs from 'fs';
import * as path from 'path';
import { FakeOrganization, realisticOrganization, REALISTIC_ACCOUNTS, REALISTIC_INSTANCE_ARN, REALISTIC_JUMP, REALISTIC_MANAGEMENT, REALISTIC_OUS } from './fake-organization';
import { lzOrg, SRC, tempDir } from './run-cli';
import { AccountStatus, Organization } from '../../../src';
import { normalizeAccountName, normalizeOuName } from '../../../src/cli/org/model';

describe('lz-org import', () => {
  let fake: FakeOrganization;
  let dir: string;
  const files = () => ({ ts: path.join(dir, 'organization.generated.ts'), json: path.join(dir, 'organization.json') });
  const importArgs = (...extra: string[]) => ['import', '--ts', files().ts, '--json-file', files().json, '--identity-center-region', 'eu-central-1', '--module', SRC, ...extra];

  beforeEach(() => {
    fake = realisticOrganization().install();
    dir = tempDir('import');
  });
  afterEach(() => {
    fake.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the model of a 60-account, three-level organization equals the organization, read with pagination and read-only calls', async () => {
    // WHEN
    const run = await lzOrg(importArgs('--jump-account', 'Jump'));
    // THEN
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const org = Organization.fromJson(fs.readFileSync(files().json, 'utf8'));
    expect(org.rootId).toBe('r-k7q2');
    expect(org.managementAccount).toEqual({ accountId: REALISTIC_MANAGEMENT, name: 'management-account' });
    expect(org.jumpAccount).toEqual({ accountId: REALISTIC_JUMP, name: 'jump', organizationalUnit: 'Security' });
    expect(org.identityCenterAccount.name).toBe('audit'); // the delegated administrator of sso.amazonaws.com
    expect(org.organizationalUnits.map((o) => [o.path, o.ouId]).sort()).toEqual(REALISTIC_OUS.map((o) => [o.path, o.id]).sort());
    expect(org.accounts).toHaveLength(60);
    for (const row of REALISTIC_ACCOUNTS) {
      const a = org.findAccount(row.id);
      expect({ name: a.name, ou: a.organizationalUnit ?? '', tags: a.tags ?? {}, status: a.status ?? AccountStatus.ACTIVE })
        .toEqual({ name: row.name, ou: row.path, tags: row.tags, status: row.state });
    }
    // every page was read: 13 parents, several of them with more than one page of accounts or OUs
    const count = (name: string) => fake.calls.filter((c) => c === name).length;
    expect(count('ListAccountsForParent')).toBeGreaterThan(13);
    expect(count('ListOrganizationalUnitsForParent')).toBeGreaterThan(13);
    expect(count('ListTagsForResource')).toBeGreaterThan(60);
    expect(fake.commandNames.every((c) => /^(Describe|List|Get)/.test(c))).toBe(true);
  });

  test('the account the delegation policy lets manage SCPs becomes policyAdministratorAccount; a policy for tag policies only does not', async () => {
    const security = REALISTIC_ACCOUNTS.find((a) => a.name === 'audit')!.id;
    const policy = (condition?: object) => JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${security}:root` }, Action: ['organizations:Describe*', 'organizations:List*'], Resource: '*' },
        {
          Sid: 'ManagePolicies',
          Effect: 'Allow',
          Principal: { AWS: security },
          Action: ['organizations:*Policy'],
          Resource: '*',
          ...(condition ? { Condition: condition } : {}),
        },
      ],
    });
    fake.resourcePolicy = policy({ StringEquals: { 'organizations:PolicyType': ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] } });
    expect((await lzOrg(importArgs('--jump-account', 'Jump'))).code).toBe(0);
    const org = Organization.fromJson(fs.readFileSync(files().json, 'utf8'));
    expect(org.policyAdministratorAccount.accountId).toBe(security);
    expect(fs.readFileSync(files().ts, 'utf8')).toContain("policyAdministratorAccount: 'audit',");
    expect(JSON.parse(fs.readFileSync(files().json, 'utf8')).imported.policyAdministrators).toEqual([security]);

    // the same account allowed only tag policies manages no SCP: the management account stays the policy administrator
    fake.resourcePolicy = policy({ StringEquals: { 'organizations:PolicyType': 'TAG_POLICY' } });
    expect((await lzOrg(importArgs('--jump-account', 'Jump'))).code).toBe(0);
    const tagsOnly = Organization.fromJson(fs.readFileSync(files().json, 'utf8'));
    expect(tagsOnly.policyAdministratorAccount.accountId).toBe(REALISTIC_MANAGEMENT);
  });

  test('without a delegation policy, or without permission to read it, the model delegates no policy management', async () => {
    expect((await lzOrg(importArgs('--jump-account', 'Jump'))).code).toBe(0);
    expect(Organization.fromJson(fs.readFileSync(files().json, 'utf8')).policyAdministratorAccount.accountId).toBe(REALISTIC_MANAGEMENT);
    fake.deny.add('DescribeResourcePolicy');
    const run = await lzOrg(importArgs('--jump-account', 'Jump'));
    expect(run.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(files().json, 'utf8')).imported.policyAdministrators).toBeUndefined();
  });

  test('suspended and closed accounts are marked and left out of every selection', async () => {
    await lzOrg(importArgs('--jump-account', 'Jump'));
    const org = Organization.fromJson(fs.readFileSync(files().json, 'utf8'));
    expect(org.findAccount('legacy-closed').status).toBe(AccountStatus.CLOSED);
    expect(org.findAccount('old-suspended').status).toBe(AccountStatus.SUSPENDED);
    expect(org.findAccount('leaving-soon').status).toBe(AccountStatus.PENDING_CLOSURE);
    expect(org.accountsIn('Suspended')).toEqual([]);
    // 'leaving-soon' is tagged env=prod, but is not active
    expect(org.accountsTagged('env', 'prod').map((a) => a.name)).not.toContain('leaving-soon');
  });

  test('the JSON records what the model has no field for: every delegated administrator, trusted services, Identity Center, AWS names', async () => {
    await lzOrg(importArgs('--jump-account', 'Jump'));
    const json = JSON.parse(fs.readFileSync(files().json, 'utf8'));
    expect(json.imported.delegatedAdministrators).toEqual([
      { accountId: '100000000005', name: 'audit', servicePrincipals: ['access-analyzer.amazonaws.com', 'guardduty.amazonaws.com', 'securityhub.amazonaws.com', 'sso.amazonaws.com'] },
      { accountId: '100000000006', name: 'shared-services', servicePrincipals: ['member.org.stacksets.cloudformation.amazonaws.com'] },
    ]);
    expect(json.imported.identityCenter).toEqual({ instanceArn: REALISTIC_INSTANCE_ARN, identityStoreId: 'd-90679abcde', ownerAccountId: REALISTIC_MANAGEMENT, region: 'eu-central-1' });
    expect(json.imported.awsNames.accounts['100000000011']).toBe('Zürich Data Dev');
    expect(json.imported.awsNames.organizationalUnits['ou-k7q2-nonprod1']).toBe('Non Prod');
    expect(json.imported.trustedServices).toContain('sso.amazonaws.com');
    expect(json.imported.enabledPolicyTypes).toEqual(['SERVICE_CONTROL_POLICY']);
    // the TypeScript module carries the delegated administrators and Identity Center as constants
    const ts = fs.readFileSync(files().ts, 'utf8');
    expect(ts).toContain("'guardduty.amazonaws.com': ['audit'],");
    expect(ts).toContain(`instanceArn: '${REALISTIC_INSTANCE_ARN}',`);
    expect(ts).toContain("{ accountId: '100000000011', name: 'zurich-data-dev', organizationalUnit: 'Workloads/Non-Prod', tags: { app: 'data', env: 'dev' } }, // AWS name: 'Zürich Data Dev'");
    expect(ts).toContain("tags: { 'lz:owner': 'security team' }");
  });

  test('existing permission sets and their assignments are recorded with --permission-sets', async () => {
    fake.permissionSets = [
      {
        arn: `${REALISTIC_INSTANCE_ARN.replace('instance/', 'permissionSet/')}/ps-1111111111111111`,
        name: 'AWSReadOnly',
        sessionDuration: 'PT8H',
        assignments: [{ accountId: '400000000001', principalType: 'GROUP', principalId: 'g-1' }, { accountId: '400000000002', principalType: 'USER', principalId: 'u-1' }, { accountId: '400000000003', principalType: 'GROUP', principalId: 'g-1' }],
      },
      { arn: `${REALISTIC_INSTANCE_ARN.replace('instance/', 'permissionSet/')}/ps-2222222222222222`, name: 'Admin', assignments: [] },
      { arn: `${REALISTIC_INSTANCE_ARN.replace('instance/', 'permissionSet/')}/ps-3333333333333333`, name: 'Billing', assignments: [{ accountId: REALISTIC_MANAGEMENT, principalType: 'GROUP', principalId: 'g-9' }] },
    ];
    await lzOrg(importArgs('--jump-account', 'Jump', '--permission-sets'));
    const json = JSON.parse(fs.readFileSync(files().json, 'utf8'));
    expect(json.imported.permissionSets.map((p: any) => [p.name, p.assignments.length])).toEqual([['Admin', 0], ['AWSReadOnly', 3], ['Billing', 1]]);
    expect(json.imported.permissionSets[1].sessionDuration).toBe('PT8H');
  });

  test('re-importing keeps the jump account and the model names, and lists what changed', async () => {
    // GIVEN a committed model
    await lzOrg(importArgs('--jump-account', 'Jump'));
    // WHEN a new account shares a name and an old one is renamed in AWS
    fake.accounts.push({ id: '200000000099', name: 'Team 01 Dev', state: 'ACTIVE', parentId: 'ou-k7q2-dev00001', tags: {} });
    fake.account('400000000011').name = 'Data Platform Prod';
    const run = await lzOrg(importArgs());
    // THEN
    expect(run.code).toBe(0);
    const org = Organization.fromJson(fs.readFileSync(files().json, 'utf8'));
    expect(org.jumpAccount?.accountId).toBe(REALISTIC_JUMP);
    expect(org.findAccount('200000000001').name).toBe('team-01-dev'); // kept
    expect(org.findAccount('200000000099').name).toBe('team-01-dev-0099'); // the newcomer is the one disambiguated
    expect(org.findAccount('400000000011').name).toBe('data-platform-prod');
    expect(run.out).toMatch(/2 changes: 1 new account, 1 renamed account since the previous/);
    expect(run.out).toMatch(/renamed account\s+400000000011\s+data-platform-prod\s+data-prod -> data-platform-prod/);
  });

  test('prints a summary table, or JSON with --json', async () => {
    const table = await lzOrg(importArgs('--jump-account', '100000000002'));
    expect(table.out).toMatch(/^organization\s+o-k7q2x9m4ab$/m);
    expect(table.out).toMatch(/^accounts\s+60$/m);
    expect(table.out).toMatch(/^inactive\s+leaving-soon PENDING_CLOSURE, legacy-closed CLOSED, old-suspended SUSPENDED$/m);
    const json = await lzOrg(['--json', ...importArgs()]);
    expect(JSON.parse(json.out)).toMatchObject({ organization: 'o-k7q2x9m4ab', accounts: 60, ous: 12, jump: 'jump (100000000002)', changes: [] });
  });

  test('shows progress while reading when stderr is a terminal', async () => {
    const run = await lzOrg(importArgs('--jump-account', 'Jump'), { tty: true });
    expect(run.err).toContain('reading the organization: tags of 60 of 60 accounts');
    expect(run.err).toContain('12 OUs, 60 accounts');
  });

  test('fails with one line when the jump account is unknown', async () => {
    const run = await lzOrg(importArgs('--jump-account', 'nobody'));
    expect(run.code).toBe(2);
    expect(run.err).toBe("error: --jump-account 'nobody' is no account of organization o-k7q2x9m4ab (give its id or name)\n");
    expect(fs.existsSync(files().json)).toBe(false);
  });

  test('fails when the management account is named as the jump account', async () => {
    const run = await lzOrg(importArgs('--jump-account', 'management-account'));
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/the management account cannot be the jump account/);
  });

  test('fails with one line on an AWS error', async () => {
    fake.deny.add('ListRoots');
    const run = await lzOrg(importArgs());
    expect(run.code).toBe(2);
    expect(run.err).toBe("error: AccessDeniedException: You don't have permissions to access this resource (ListRoots).\n");
  });

  test('--check fails when there is no model to compare with', async () => {
    const run = await lzOrg(importArgs('--check'));
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/organization.json not found: run lz-org import \(without --check\) to create the model first/);
  });
});

describe('name normalization', () => {
  test.each([
    ['Shop Prod (EU)', 'shop-prod-eu'],
    ['  Zürich--Data  ', 'zurich-data'],
    ['ACME_Corp.Prod', 'acme-corp-prod'],
    ['!!!', ''],
  ])('account %p becomes %p', (aws, model) => {
    expect(normalizeAccountName(aws)).toBe(model);
  });

  test.each([
    ['Non Prod', 'Non-Prod'],
    ['Analytics & BI', 'Analytics-BI'],
    ['a/b', 'a-b'],
    ['Workloads', 'Workloads'],
  ])('ou %p becomes path segment %p', (aws, segment) => {
    expect(normalizeOuName(aws)).toBe(segment);
  });
});
