import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import {
  AccountSelection, IdentityCenterPrincipal, Organization, PermissionLevel, PermissionSetBoundary, PermissionSetCatalog,
  PermissionSetCatalogProps,
} from '../src';
import { simulate } from './helpers/iam-sim';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d';
const STORE = 'd-9067a1b2c3';
const DEVS = '906720aa1c-5d1e3b2f-1111-2222-3333-444455556666';
const OPS = '906720aa1c-5d1e3b2f-aaaa-bbbb-cccc-ddddeeeeffff';

/** Three OU levels: Workloads > Workloads/Apps > Workloads/Apps/Prod, plus a sandbox and a delegated admin account. */
function threeLevelOrg(delegated = false): Organization {
  return new Organization({
    rootId: 'r-ab12',
    managementAccount: { accountId: '000000000000', name: 'management' },
    identityCenterAdminAccount: delegated ? 'identity' : undefined,
    organizationalUnits: [
      { path: 'Security', ouId: 'ou-ab12-securit1' },
      { path: 'Workloads', ouId: 'ou-ab12-11111111' },
      { path: 'Workloads/Apps', ouId: 'ou-ab12-22222222' },
      { path: 'Workloads/Apps/Prod', ouId: 'ou-ab12-33333333' },
      { path: 'Sandbox', ouId: 'ou-ab12-44444444' },
    ],
    accounts: [
      { accountId: '100000000001', name: 'identity', organizationalUnit: 'Security' },
      { accountId: '200000000001', name: 'shared', organizationalUnit: 'Workloads', tags: { env: 'shared' } },
      { accountId: '300000000001', name: 'app-dev', organizationalUnit: 'Workloads/Apps', tags: { env: 'dev' } },
      { accountId: '300000000002', name: 'app-test', organizationalUnit: 'Workloads/Apps', tags: { env: 'dev' } },
      { accountId: '400000000001', name: 'app-prod', organizationalUnit: 'Workloads/Apps/Prod', tags: { env: 'prod' } },
      { accountId: '400000000002', name: 'pay-prod', organizationalUnit: 'Workloads/Apps/Prod', tags: { env: 'prod', pci: 'true' } },
      { accountId: '500000000001', name: 'sandbox', organizationalUnit: 'Sandbox', tags: { env: 'dev' } },
    ],
    externalAccounts: [{ accountId: '900000000001', name: 'partner' }],
  });
}

function setup(props: Partial<PermissionSetCatalogProps> = {}, org = threeLevelOrg()) {
  const app = new App();
  const stack = new Stack(app, 'IdentityCenter', { env: { account: org.identityCenterAccount.accountId, region: 'us-east-1' } });
  const catalog = new PermissionSetCatalog(stack, 'Catalog', {
    organization: org,
    instanceArn: INSTANCE,
    identityStoreId: STORE,
    existingCustomerManagedPolicies: [{ name: 'lz-permissions-boundary', accounts: AccountSelection.allMemberAccounts() }],
    ...props,
  });
  return { app, stack, catalog };
}

/** Every assignment of the catalog across its shards as `permissionSet|principal|account` (permission set by logical id). */
function assignments(catalog: PermissionSetCatalog): string[] {
  const out: string[] = [];
  for (const child of catalog.node.children) {
    if (!Stack.isStack(child)) continue;
    const resources = Template.fromStack(child).findResources('AWS::SSO::Assignment');
    for (const r of Object.values(resources) as any[]) {
      const ps = JSON.stringify(r.Properties.PermissionSetArn).match(/Catalog(\w+?)[0-9A-F]{8}PermissionSetArn/)?.[1] ?? '?';
      const principal = typeof r.Properties.PrincipalId === 'string' ? r.Properties.PrincipalId : 'resolved';
      out.push(`${ps}|${principal}|${r.Properties.TargetId}`);
    }
  }
  return out.sort();
}

function accountsOf(catalog: PermissionSetCatalog): string[] {
  return assignments(catalog).map((a) => a.split('|')[2]);
}

describe('PermissionSetCatalog', () => {
  test('creates permission sets in the catalog stack and assignments in nested shard stacks', () => {
    // GIVEN
    const { stack, catalog } = setup();
    const admin = catalog.addPermissionSet('Admin', { permissionLevel: PermissionLevel.admin() });

    // WHEN
    catalog.assign({ principal: IdentityCenterPrincipal.group(OPS), permissionSet: admin, accounts: AccountSelection.accounts(['app-prod']) });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSO::PermissionSet', { Name: 'Admin', InstanceArn: INSTANCE });
    Template.fromStack(stack).resourceCountIs('AWS::CloudFormation::Stack', 1);
    const shard = catalog.node.children.find((c) => Stack.isStack(c)) as Stack;
    Template.fromStack(shard).hasResourceProperties('AWS::SSO::Assignment', {
      InstanceArn: INSTANCE,
      PermissionSetArn: { Ref: Match.stringLikeRegexp('CatalogAdmin.*PermissionSetArn') },
      PrincipalType: 'GROUP',
      PrincipalId: OPS,
      TargetType: 'AWS_ACCOUNT',
      TargetId: '400000000001',
    });
    expect(catalog.assignmentCount).toBe(1);
  });

  test('expands an OU through every nested level by default', () => {
    // GIVEN
    const { catalog } = setup();
    const read = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });

    // WHEN
    catalog.assign({ principal: IdentityCenterPrincipal.group(DEVS), permissionSet: read, accounts: AccountSelection.organizationalUnits(['Workloads']) });

    // THEN accounts of Workloads, Workloads/Apps and Workloads/Apps/Prod, nothing else
    expect(accountsOf(catalog)).toEqual(['200000000001', '300000000001', '300000000002', '400000000001', '400000000002']);
  });

  test('expands only the OU itself when recursive is false', () => {
    // GIVEN
    const { catalog } = setup();
    const read = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });

    // WHEN
    catalog.assign({
      principal: IdentityCenterPrincipal.group(DEVS),
      permissionSet: read,
      accounts: AccountSelection.organizationalUnits(['Workloads/Apps'], { recursive: false }),
    });

    // THEN
    expect(accountsOf(catalog)).toEqual(['300000000001', '300000000002']);
  });

  test('selects accounts by tag and leaves out excluded accounts (selection and rule exclusions)', () => {
    // GIVEN
    const { catalog } = setup();
    const power = catalog.addPermissionSet('Power', { permissionLevel: PermissionLevel.power() });
    const ssm = catalog.addPermissionSet('Ssm', { permissionLevel: PermissionLevel.ssm() });

    // WHEN
    catalog.assign({ principal: IdentityCenterPrincipal.group(DEVS), permissionSet: power, accounts: AccountSelection.tagged('env', 'dev', { excludeAccounts: ['sandbox'] }) });
    catalog.assign({
      principal: IdentityCenterPrincipal.group(OPS),
      permissionSet: ssm,
      accounts: AccountSelection.organizationalUnits(['Workloads']),
      excludeAccounts: ['pay-prod', '200000000001'],
    });

    // THEN
    expect(assignments(catalog)).toEqual([
      `Power|${DEVS}|300000000001`, `Power|${DEVS}|300000000002`,
      `Ssm|${OPS}|300000000001`, `Ssm|${OPS}|300000000002`, `Ssm|${OPS}|400000000001`,
    ].sort());
  });

  test('resolves each principal name once per stack and passes the id to the shards', () => {
    // GIVEN
    const { stack, catalog } = setup({ assignmentShards: 4 });
    const read = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
    const power = catalog.addPermissionSet('Power', { permissionLevel: PermissionLevel.power() });

    // WHEN the same name in two rules over seven accounts, spread over several shards
    catalog.assign({ principal: IdentityCenterPrincipal.groupNamed('Engineers'), permissionSet: read, accounts: AccountSelection.allMemberAccounts() });
    catalog.assign({ principal: IdentityCenterPrincipal.groupNamed('Engineers'), permissionSet: power, accounts: AccountSelection.organizationalUnits(['Sandbox']) });
    catalog.assign({ principal: IdentityCenterPrincipal.userNamed('alice@example.com'), permissionSet: power, accounts: AccountSelection.accounts(['app-dev']) });

    // THEN one lookup per distinct name
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::IdentityStorePrincipal', 2);
    template.hasResourceProperties('Custom::IdentityStorePrincipal', {
      Create: Match.serializedJson(Match.objectLike({
        service: 'IdentityStore',
        action: 'GetGroupId',
        parameters: { IdentityStoreId: STORE, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Engineers' } } },
      })),
    });
    template.hasResourceProperties('Custom::IdentityStorePrincipal', {
      Create: Match.serializedJson(Match.objectLike({
        action: 'GetUserId',
        parameters: { IdentityStoreId: STORE, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'alice@example.com' } } },
      })),
    });
    const shards = catalog.node.children.filter((c) => Stack.isStack(c)) as Stack[];
    expect(shards.length).toBeGreaterThan(1);
    for (const shard of shards) {
      const t = Template.fromStack(shard);
      for (const r of Object.values(t.findResources('AWS::SSO::Assignment')) as any[]) {
        expect(r.Properties.PrincipalId).toEqual({ Ref: expect.stringMatching(/^referenceto.*CatalogResolve(Group|User).*(GroupId|UserId)$/) });
      }
    }
  });

  test('the name lookup may call only GetGroupId on the catalog\'s identity store (IAM simulator)', async () => {
    // GIVEN
    const { stack, catalog } = setup();
    const read = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
    catalog.assign({ principal: IdentityCenterPrincipal.groupNamed('Engineers'), permissionSet: read, accounts: AccountSelection.accounts(['app-dev']) });
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('ResolveGroup') } });
    const doc = JSON.parse(JSON.stringify((Object.values(policies)[0] as any).Properties.PolicyDocument)
      .replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},":identitystore::",\{"Ref":"AWS::AccountId"\},":identitystore\/d-9067a1b2c3"\]\]\}/g, '"arn:aws:identitystore::000000000000:identitystore/d-9067a1b2c3"')
      .replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},":identitystore:::group\/\*"\]\]\}/g, '"arn:aws:identitystore:::group/*"'));
    const principal = 'arn:aws:iam::000000000000:role/IdentityCenter-AWS679f53fac002430cb0da5b7982bd2287-abc';

    // WHEN
    const own = await simulate({ identityPolicies: [doc] }, { principal, action: 'identitystore:GetGroupId', resource: 'arn:aws:identitystore::000000000000:identitystore/d-9067a1b2c3' });
    const other = await simulate({ identityPolicies: [doc] }, { principal, action: 'identitystore:GetGroupId', resource: 'arn:aws:identitystore::000000000000:identitystore/d-0000000000' });
    const write = await simulate({ identityPolicies: [doc] }, { principal, action: 'identitystore:CreateGroupMembership', resource: 'arn:aws:identitystore::000000000000:identitystore/d-9067a1b2c3' });

    // THEN
    expect(own.allowed).toBe(true);
    expect(other.allowed).toBe(false);
    expect(write.allowed).toBe(false);
  });

  test('assigns the management account when identity center is administered from it', () => {
    // GIVEN
    const { catalog } = setup();
    const orgAdmin = catalog.addPermissionSet('OrgAdmin', { permissionLevel: PermissionLevel.admin(), permissionSetName: 'OrgAdmin', permissionsBoundary: PermissionSetBoundary.none() });

    // WHEN
    catalog.assign({ principal: IdentityCenterPrincipal.group(OPS), permissionSet: orgAdmin, accounts: AccountSelection.accounts(['management']) });

    // THEN
    expect(accountsOf(catalog)).toEqual(['000000000000']);
  });

  test('fails when a delegated administrator catalog targets the management account', () => {
    // GIVEN
    const { app, catalog } = setup({}, threeLevelOrg(true));
    const admin = catalog.addPermissionSet('Admin', { permissionLevel: PermissionLevel.admin(), permissionsBoundary: PermissionSetBoundary.none() });

    // WHEN
    catalog.assign({ principal: IdentityCenterPrincipal.group(OPS), permissionSet: admin, accounts: AccountSelection.accounts(['management', 'app-dev']) });

    // THEN
    expect(() => app.synth()).toThrow(/IdentityCenter\/Catalog\] assignments\[0\]\.accounts: management account 'management' \(000000000000\) cannot receive assignments from the delegated identity center administrator 'identity'/);
    const created = catalog.node.findAll().filter((c): c is sso.CfnAssignment => c instanceof sso.CfnAssignment);
    expect(created.map((a) => a.targetId)).toEqual(['300000000001']);
  });

  test('fails when two rules give the same principal the same permission set in the same account, naming both rules', () => {
    // GIVEN
    const { app, catalog } = setup();
    const read = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
    catalog.assign({ principal: IdentityCenterPrincipal.group(DEVS), permissionSet: read, accounts: AccountSelection.organizationalUnits(['Workloads']) });

    // WHEN
    catalog.assign({ principal: IdentityCenterPrincipal.group(DEVS), permissionSet: read, accounts: AccountSelection.tagged('env', 'prod') });

    // THEN
    expect(() => app.synth()).toThrow(/assignments\[1\]: group id '906720aa1c-5d1e3b2f-1111-2222-3333-444455556666' -> permission set 'ReadOnly' is already assigned by assignments\[0\] in app-prod \(400000000001\), pay-prod \(400000000002\)/);
  });

  test('fails when a target names an unknown OU or account, or an account outside the organization', () => {
    // GIVEN
    const { app, catalog } = setup();
    const read = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });

    // WHEN
    catalog.assign({ principal: IdentityCenterPrincipal.group(DEVS), permissionSet: read, accounts: AccountSelection.organizationalUnits(['Workloads/Nope']) });
    catalog.assign({ principal: IdentityCenterPrincipal.group(DEVS), permissionSet: read, accounts: AccountSelection.accounts(['ghost']), excludeAccounts: ['phantom'] });
    catalog.assign({ principal: IdentityCenterPrincipal.group(OPS), permissionSet: read, accounts: AccountSelection.accounts(['partner']) });

    // THEN every problem in one error
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/assignments\[0\]\.accounts: ou:Workloads\/Nope \(recursive\): ou 'Workloads\/Nope' is not defined in the organization/);
    expect(message).toMatch(/assignments\[1\]\.accounts: accounts:ghost: account 'ghost' is not defined in the organization/);
    expect(message).toMatch(/assignments\[2\]\.accounts: account 'partner' \(900000000001\) is outside the organization/);
  });

  test('fails when a principal id is malformed or a name is given without an identity store', () => {
    // GIVEN
    const { app, catalog } = setup({ identityStoreId: undefined });
    const read = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });

    // WHEN
    catalog.assign({ principal: IdentityCenterPrincipal.group('devs'), permissionSet: read, accounts: AccountSelection.accounts(['app-dev']) });
    catalog.assign({ principal: IdentityCenterPrincipal.groupNamed('Engineers'), permissionSet: read, accounts: AccountSelection.accounts(['app-dev']) });

    // THEN
    expect(() => app.synth()).toThrow(/assignments\[0\]\.principal: group id 'devs' must be an identity store id[\s\S]*assignments\[1\]\.principal: group 'Engineers' is given by name, which needs identityStoreId on the catalog/);
  });

  test('fails when two permission sets share a name', () => {
    // GIVEN
    const { app, catalog } = setup();

    // WHEN
    catalog.addPermissionSet('A', { permissionLevel: PermissionLevel.readOnly() });
    catalog.addPermissionSet('B', { permissionLevel: PermissionLevel.power(), permissionSetName: 'readonly' });

    // THEN
    expect(() => app.synth()).toThrow(/\[IdentityCenter\/Catalog\] permissionSetName: permission set name '(ReadOnly|readonly)' is used by 'IdentityCenter\/Catalog\/A', 'IdentityCenter\/Catalog\/B', and names are unique per identity center instance \(case-insensitively\): give all but one a permissionSetName of its own/);
  });

  test('fails on invalid catalog props, all at once', () => {
    expect(() => setup({ instanceArn: 'ssoins-1', identityStoreId: 'store', assignmentShards: 0 }))
      .toThrow(/IdentityCenter\/Catalog: 3 problems:\n {2}- instanceArn: .*\n {2}- identityStoreId: identity store id 'store' must look like 'd-1234567890'\n {2}- assignmentShards: assignment shards must be a whole number from 1 to 100, got 0/);
  });

  describe('customer-managed policies', () => {
    test('deploys a referenced policy with a service-managed StackSet: auto-deployed to the OUs of OU-wide rules, the other accounts by id', () => {
      // GIVEN
      const { stack, catalog } = setup({
        customerManagedPolicies: [{
          name: 'data-lake-read',
          path: '/lz/',
          document: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::lake/*'] })] }),
        }],
      });
      const data = catalog.addPermissionSet('Data', {
        permissionSetName: 'DataReader',
        customerManagedPolicies: [{ name: 'data-lake-read', path: '/lz/' }],
      });

      // WHEN
      catalog.assign({ principal: IdentityCenterPrincipal.group(DEVS), permissionSet: data, accounts: AccountSelection.organizationalUnits(['Workloads/Apps/Prod']) });
      catalog.assign({ principal: IdentityCenterPrincipal.group(OPS), permissionSet: data, accounts: AccountSelection.accounts(['app-dev']) });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
      template.hasResourceProperties('AWS::CloudFormation::StackSet', {
        PermissionModel: 'SERVICE_MANAGED',
        CallAs: 'SELF',
        // an account created in Workloads/Apps/Prod later gets the policy before any assignment can use it
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        StackInstancesGroup: [
          { Regions: ['us-east-1'], DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-33333333'] } },
          { Regions: ['us-east-1'], DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'], AccountFilterType: 'INTERSECTION', Accounts: ['300000000001'] } },
        ],
        TemplateBody: Match.serializedJson(Match.objectLike({
          Resources: { Policy: { Type: 'AWS::IAM::ManagedPolicy', Properties: Match.objectLike({ ManagedPolicyName: 'data-lake-read', Path: '/lz/' }) } },
        })),
      });
      // the permission set waits for the policy
      const ps = template.findResources('AWS::SSO::PermissionSet', { Properties: { Name: 'DataReader' } });
      expect((Object.values(ps)[0] as any).DependsOn).toEqual([expect.stringMatching(/^CatalogPolicyStackSet/)]);
    });

    test('fails naming every account where a referenced policy is neither deployed nor declared', () => {
      // GIVEN the landing zone boundary declared only in the Workloads OU
      const { app, catalog } = setup({
        existingCustomerManagedPolicies: [{ name: 'lz-permissions-boundary', accounts: AccountSelection.organizationalUnits(['Workloads']) }],
      });
      const read = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });

      // WHEN
      catalog.assign({ principal: IdentityCenterPrincipal.group(DEVS), permissionSet: read, accounts: AccountSelection.tagged('env', 'dev') });

      // THEN
      expect(() => app.synth()).toThrow(/assignments\[0\]: permission set 'ReadOnly' references customer-managed policy '\/lz-permissions-boundary', which is missing in sandbox \(500000000001\); deploy it with customerManagedPolicies or declare where it exists with existingCustomerManagedPolicies/);
    });

    test('fails when a catalog-deployed policy is needed in the management account, where StackSets never deploy', () => {
      // GIVEN
      const { app, catalog } = setup({
        customerManagedPolicies: [{ name: 'billing', document: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['aws-portal:ViewBilling'], resources: ['*'] })] }) }],
      });
      const billing = catalog.addPermissionSet('Billing', { permissionSetName: 'Billing', customerManagedPolicies: [{ name: 'billing' }], permissionsBoundary: PermissionSetBoundary.none() });

      // WHEN
      catalog.assign({ principal: IdentityCenterPrincipal.group(OPS), permissionSet: billing, accounts: AccountSelection.accounts(['management']) });

      // THEN
      expect(() => app.synth()).toThrow(/customer-managed policy '\/billing', which is missing in management \(000000000000\) \[stacksets never deploy to the management account\]/);
    });

    test('fails when a deployed policy document is too large or holds tokens', () => {
      expect(() => setup({
        customerManagedPolicies: [{
          name: 'huge',
          document: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: Array.from({ length: 200 }, (_, i) => `arn:aws:s3:::bucket-${i}-with-a-long-name/*`) })] }),
        }, {
          name: 'tokens',
          document: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Stack.of(new Stack()).partition}:s3:::x/*`] })] }),
        }],
      })).toThrow(/customerManagedPolicies\[0\]\.document: policy is \d+ characters, more than the 6144 of a managed policy[\s\S]*customerManagedPolicies\[1\]\.document: the document contains tokens/);
    });
  });

  describe('dynamic mode', () => {
    test('wires organizations account events to the reconciler with the ou rules as configuration', () => {
      // GIVEN
      const { stack, catalog } = setup({ dynamicAssignments: true });
      const read = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly() });
      const power = catalog.addPermissionSet('Power', { permissionLevel: PermissionLevel.power() });

      // WHEN an OU rule with an exclusion, a non-recursive OU rule, and a tag rule (static only)
      catalog.assign({ principal: IdentityCenterPrincipal.group(DEVS), permissionSet: read, accounts: AccountSelection.organizationalUnits(['Workloads'], { excludeAccounts: ['pay-prod'] }) });
      catalog.assign({ principal: IdentityCenterPrincipal.group(OPS), permissionSet: power, accounts: AccountSelection.organizationalUnits(['Workloads/Apps'], { recursive: false }) });
      catalog.assign({ principal: IdentityCenterPrincipal.group(OPS), permissionSet: read, accounts: AccountSelection.tagged('env', 'prod') });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'source': ['aws.organizations'],
          'detail-type': ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
          'detail': { eventSource: ['organizations.amazonaws.com'], eventName: ['MoveAccount', 'CreateAccountResult'] },
        },
      });
      template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 900, ReservedConcurrentExecutions: Match.absent() });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('CatalogReconcilerFailures') }] });
      template.hasResourceProperties('AWS::IAM::Role', { Path: '/landing-zone/' });
      template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);

      const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { RECONCILER_CONFIG: Match.anyValue() } } } }))[0] as any;
      const rendered = (fn.Properties.Environment.Variables.RECONCILER_CONFIG['Fn::Join'][1] as unknown[])
        .map((p) => (typeof p === 'string' ? p : `<${(p as any)['Fn::GetAtt'][0].replace(/^Catalog(\w+?)[0-9A-F]{8}$/, '$1')}>`)).join('');
      const config = JSON.parse(rendered);
      expect(config.rules).toEqual([
        { p: '<ReadOnly>', t: 'GROUP', i: DEVS, x: ['400000000002'] },
        { p: '<Power>', t: 'GROUP', i: OPS },
      ]);
      // a new account in Workloads/Apps gets both rules, one in the Prod OU below it only the recursive one
      expect(config.parents).toEqual({
        'ou-ab12-11111111': [0],
        'ou-ab12-22222222': [0, 1],
        'ou-ab12-33333333': [0],
      });
    });

    test('serializes reconciles through one message group of a fifo queue, without reserved concurrency', () => {
      // GIVEN / WHEN
      const { stack } = setup({ dynamicAssignments: true });

      // THEN the rule puts every event in one message group of a KMS-encrypted FIFO queue with a dead-letter queue
      const template = Template.fromStack(stack);
      const queues = template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } });
      expect(Object.keys(queues)).toHaveLength(1);
      const [queueId, queue] = Object.entries(queues)[0] as [string, any];
      expect(queue.Properties).toMatchObject({
        FifoQueue: true,
        ContentBasedDeduplication: true,
        VisibilityTimeout: 6 * 900,
        KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^CatalogReconcilerKey/), 'Arn'] },
        RedrivePolicy: { maxReceiveCount: 3, deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^CatalogReconcilerDeadLetters/), 'Arn'] } },
      });
      template.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, KmsMasterKeyId: Match.anyValue(), RedrivePolicy: Match.absent() });
      template.hasResourceProperties('AWS::Events::Rule', {
        Targets: [{ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] }, SqsParameters: { MessageGroupId: 'reconcile' } }],
      });
      // the function reads that queue one message at a time, and no function of the catalog reserves concurrency
      const fnId = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { RECONCILER_CONFIG: Match.anyValue() } } } }))[0];
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] }, FunctionName: { Ref: fnId }, BatchSize: 1,
      });
      for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
        expect([id, (fn as any).Properties.ReservedConcurrentExecutions]).toEqual([id, undefined]);
      }
      // EventBridge may use the queue's key, held to this account
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
          })]),
        },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible', AlarmActions: [{ Ref: Match.stringLikeRegexp('CatalogReconcilerFailures') }],
      });
    });

    test('resolves a named principal for the reconciler even when its rule matches no account yet', () => {
      // GIVEN an OU without accounts today
      const org = new Organization({
        rootId: 'r-ab12',
        managementAccount: { accountId: '000000000000', name: 'management' },
        organizationalUnits: [{ path: 'Future', ouId: 'ou-ab12-55555555' }],
        accounts: [],
      });
      const { stack, catalog } = setup({ dynamicAssignments: true, existingCustomerManagedPolicies: [] }, org);
      const read = catalog.addPermissionSet('ReadOnly', { permissionLevel: PermissionLevel.readOnly(), permissionsBoundary: PermissionSetBoundary.none() });

      // WHEN
      catalog.assign({ principal: IdentityCenterPrincipal.groupNamed('Future Team'), permissionSet: read, accounts: AccountSelection.organizationalUnits(['Future']) });

      // THEN no assignment now, but the lookup exists and the reconciler knows the rule
      expect(catalog.assignmentCount).toBe(0);
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::IdentityStorePrincipal', 1);
      const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { RECONCILER_CONFIG: Match.anyValue() } } } }))[0] as any;
      const parts = fn.Properties.Environment.Variables.RECONCILER_CONFIG['Fn::Join'][1] as unknown[];
      expect(parts).toContainEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CatalogResolveGroup/), 'GroupId'] });
      expect(parts.filter((p) => typeof p === 'string').join('')).toContain('"parents":{"ou-ab12-55555555":[0]}');
    });

    test('warns that organizations events arrive only in us-east-1', () => {
      // GIVEN / WHEN
      const app = new App();
      const stack = new Stack(app, 'Eu', { env: { account: '000000000000', region: 'eu-west-1' } });
      new PermissionSetCatalog(stack, 'Catalog', { organization: threeLevelOrg(), instanceArn: INSTANCE, dynamicAssignments: true });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Eu/Catalog', Match.stringLikeRegexp('organizations events are delivered only in us-east-1'));
    });
  });
});
