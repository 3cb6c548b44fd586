import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleOrganization } from '../examples/landing-zone/organization';
import { AccountSelection, AnalyzerArchiveRule, GuardrailTarget, LandingZone, LandingZoneProps, Organization, PermissionLevel } from '../src';
import { analyzerFilter } from '../src/private/access-findings';

function landingZone(app: App, overrides: Partial<LandingZoneProps> = {}): LandingZone {
  return new LandingZone(app, 'Lz', { organization: exampleOrganization(), ...overrides });
}

function policies(stack: Stack, type: string): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::Organizations::Policy')).filter((p: any) => p.Properties.Type === type);
}

function withoutTooling(): Organization {
  return new Organization({
    rootId: 'r-ex01',
    organizationId: 'o-ex01abcdef',
    managementAccount: { accountId: '000000000000', name: 'management' },
    organizationalUnits: [{ path: 'Workloads', ouId: 'ou-ex01-workload' }],
    accounts: [{ accountId: '444444444401', name: 'app', organizationalUnit: 'Workloads' }],
  });
}

describe('LandingZone: the optimized phase', () => {
  test('none of it by default: no security tooling stack, no RCP, no resource perimeter', () => {
    const lz = landingZone(new App());
    expect(lz.securityToolingStack).toBeUndefined();
    expect(policies(lz.managementStack, 'RESOURCE_CONTROL_POLICY')).toEqual([]);
    expect(JSON.stringify(policies(lz.managementStack, 'SERVICE_CONTROL_POLICY'))).not.toMatch(/EnforceResourcePerimeter/);
  });

  test('all three: tooling in the delegated account, delegation, RCP and perimeter SCP in the management account, forwarders everywhere', () => {
    // GIVEN
    const app = new App();
    // WHEN
    const lz = landingZone(app, {
      accessAnalysis: { archiveRules: [AnalyzerArchiveRule.trustedAccounts(['acme-build'])] },
      dataPerimeter: { identityPerimeter: { trustedAccounts: ['acme-build'] }, resourcePerimeter: { trustedAccounts: ['acquired-co-prod'] } },
      deniedActionAlerts: { regions: ['eu-central-1'] },
    });
    // THEN
    expect(lz.securityToolingStack!.account).toBe('222222222202');
    expect(lz.securityToolingStack!.dependencies).toContain(lz.managementStack);
    const tooling = Template.fromStack(lz.securityToolingStack!);
    tooling.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 2);
    tooling.resourceCountIs('AWS::SNS::Topic', 1);
    tooling.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'Lz-security-notifications' });
    tooling.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    const mgmt = Template.fromStack(lz.managementStack);
    expect(Object.values(mgmt.findResources('Custom::AWS')).map((r: any) => JSON.parse(r.Properties.Create).action).sort())
      .toEqual(['enableAWSServiceAccess', 'enablePolicyType', 'registerDelegatedAdministrator']);
    const [rcp] = policies(lz.managementStack, 'RESOURCE_CONTROL_POLICY');
    expect(rcp.Properties.TargetIds).toEqual(['r-ex01']);
    const scps = policies(lz.managementStack, 'SERVICE_CONTROL_POLICY');
    // the perimeter packs with the root guardrails (two SCPs), into exactly one of them
    expect(scps.map((s) => s.Properties.Name)).toEqual(['Lz-root-guardrails', 'Lz-root-guardrails-2']);
    expect(scps.filter((s) => JSON.stringify(s.Properties.Content).includes('EnforceResourcePerimeter'))).toHaveLength(1);
    // the member accounts' forwarders come from a StackSet of the management account, the management account's own
    // from a stack per region (StackSets never reach it), all after the bus exists
    const forwarding = lz.deniedActionForwarding!.node.scope as Stack;
    expect(forwarding.account).toBe('000000000000');
    expect(forwarding.dependencies).toContain(lz.securityToolingStack);
    Template.fromStack(forwarding).hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['r-ex01'] }, Regions: ['eu-central-1', 'us-east-1'] }],
    });
    const regional = app.node.findAll().filter(Stack.isStack).filter((s) => s.stackName === 'Lz-DeniedActionForwarding-eu-central-1');
    expect(regional.map((s) => [s.account, s.region])).toEqual([['000000000000', 'eu-central-1']]);
    Template.fromStack(regional[0]).resourceCountIs('AWS::Events::Rule', 1);
  });

  test('a data perimeter on OUs: RCP on the OUs and a resource-perimeter SCP of its own, the root guardrails unchanged', () => {
    const lz = landingZone(new App(), { dataPerimeter: { targets: [GuardrailTarget.organizationalUnits(['Sandbox'])] } });
    const [rcp] = policies(lz.managementStack, 'RESOURCE_CONTROL_POLICY');
    expect(rcp.Properties.TargetIds).toEqual(['ou-ex01-sandbox1']);
    const scps = policies(lz.managementStack, 'SERVICE_CONTROL_POLICY');
    expect(scps.map((s) => [s.Properties.Name, s.Properties.TargetIds])).toEqual([
      ['Lz-root-guardrails', ['r-ex01']], ['Lz-root-guardrails-2', ['r-ex01']], ['Lz-resource-perimeter', ['ou-ex01-sandbox1']],
    ]);
    expect(JSON.stringify(scps.slice(0, 2).map((s) => s.Properties.Content))).not.toMatch(/EnforceResourcePerimeter/);
  });

  test('without a delegated tooling account, the analyzers run in the management account and nothing is delegated', () => {
    const lz = new LandingZone(new App(), 'Lz', { organization: withoutTooling(), accessAnalysis: {} });
    expect(lz.securityToolingStack!.account).toBe('000000000000');
    expect(lz.accessAnalyzerDelegation).toBeUndefined();
    expect(Object.keys(Template.fromStack(lz.managementStack).findResources('Custom::AWS'))).toEqual([]);
  });

  test('fails when the data perimeter or the alerts need an organization id the model lacks', () => {
    const org = new Organization({
      rootId: 'r-ex01',
      managementAccount: { accountId: '000000000000', name: 'management' },
      organizationalUnits: [],
      accounts: [],
    });
    expect(() => new LandingZone(new App(), 'Lz', { organization: org, dataPerimeter: {}, deniedActionAlerts: {} })).toThrow(new RegExp([
      'Lz: 2 problems',
      'dataPerimeter: needs the organization id: set organizationId in the organization model',
      'deniedActionAlerts: needs the organization id',
    ].join('[\\s\\S]*')));
  });

  test('the access report points reviewers to the analyzers and gives each row its findings filter', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-findings-'));
    const app = new App({ outdir });
    // WHEN
    const lz = landingZone(app, {
      accessAnalysis: {},
      jumpAccount: {
        groups: [{ groupName: 'auditors', targets: [{ accounts: AccountSelection.accounts(['shop-prod']), permissionLevels: [PermissionLevel.readOnly()] }] }],
      },
    });
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    app.synth();
    // THEN
    const md = fs.readFileSync(path.join(outdir, 'access-report.md'), 'utf8');
    expect(md).toMatch(/## IAM Access Analyzer findings/);
    expect(md).toMatch(/- unused access: analyzer `lz-unused-access` in account audit \(222222222202\), us-east-1: https:\/\/us-east-1\.console\.aws\.amazon\.com\/access-analyzer\/home\?region=us-east-1#\/unused-access/);
    expect(md).toMatch(/\| Analyzer filter \|/);
    expect(md).toMatch(/\| shop-prod \(555555555501\) \| lz-read-only \|.*\| resourceOwnerAccount = 555555555501, resource contains role\/lz-read-only \|/);
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'access-report.json'), 'utf8'));
    expect(json.accessAnalyzers.map((a: any) => a.analyzerName)).toEqual(['lz-external-access', 'lz-unused-access']);
    expect(json.entries[0].analyzerFilter).toMatch(/^resourceOwnerAccount = \d{12}, resource contains /);
  });

  test('a permission set\'s findings are those of the roles Identity Center creates for it', () => {
    expect(analyzerFilter({ path: 'permission-set-assignment', accountId: '555555555501', access: 'ReadOnly' }))
      .toBe('resourceOwnerAccount = 555555555501, resource contains AWSReservedSSO_ReadOnly_');
    expect(analyzerFilter({ path: 'elevated-access', accountId: '555555555501', access: 'Admin' }))
      .toBe('resourceOwnerAccount = 555555555501, resource contains AWSReservedSSO_Admin_');
  });

  test('a jump user\'s elevated row points to the elevated IAM role, not to an Identity Center role', () => {
    expect(analyzerFilter({ path: 'elevated-access', accountId: '555555555501', access: 'lz-elevated-power', principalType: 'iam-group' }))
      .toBe('resourceOwnerAccount = 555555555501, resource contains role/lz-elevated-power');
  });
});
