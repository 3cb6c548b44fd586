import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  AccessAnalyzerDelegation, AnalyzerArchiveRule, AnalyzerKind, OrganizationAccessAnalyzer, OrganizationAccessAnalyzerProps,
} from '../../src';
import { securityOrganization } from '../denied-actions/fixture';
import { matchesPattern } from '../helpers/event-pattern';

function tooling(account = '222222222202'): Stack {
  return new Stack(new App(), 'Tooling', { env: { account, region: 'eu-central-1' } });
}

function analyzer(stack: Stack, props: Partial<OrganizationAccessAnalyzerProps> = {}): OrganizationAccessAnalyzer {
  return new OrganizationAccessAnalyzer(stack, 'Analyzer', { organization: securityOrganization(), ...props });
}

describe('OrganizationAccessAnalyzer', () => {
  test('an external and an unused access analyzer for the organization, each with its archive rules', () => {
    // GIVEN
    const stack = tooling();
    // WHEN
    analyzer(stack, {
      unusedAccessAge: Duration.days(120),
      archiveRules: [
        AnalyzerArchiveRule.trustedAccounts(['vendor-build']),
        AnalyzerArchiveRule.expectedUnusedRoles(['lz-break-glass', 'dr-restore']),
        AnalyzerArchiveRule.custom({ ruleName: 'public-website', analyzer: AnalyzerKind.EXTERNAL_ACCESS, filter: { resource: { eq: ['arn:aws:s3:::www.example.com'] }, isPublic: { eq: ['true'] } } }),
      ],
    });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      AnalyzerName: 'lz-external-access',
      Type: 'ORGANIZATION',
      ArchiveRules: [
        { RuleName: 'trusted-external-accounts', Filter: [{ Property: 'principal.AWS', Contains: ['999999999901'] }] },
        { RuleName: 'public-website', Filter: [{ Property: 'isPublic', Eq: ['true'] }, { Property: 'resource', Eq: ['arn:aws:s3:::www.example.com'] }] },
      ],
    });
    t.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      AnalyzerName: 'lz-unused-access',
      Type: 'ORGANIZATION_UNUSED_ACCESS',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 120 } },
      ArchiveRules: [{
        RuleName: 'expected-unused-roles',
        Filter: [{ Property: 'resource', Contains: [':role/dr-restore', ':role/lz-break-glass'] }, { Property: 'resourceType', Eq: ['AWS::IAM::Role'] }],
      }],
    });
  });

  test('sends new active findings to an encrypted topic only this account\'s rules and alarms may use, account and resource first', () => {
    // GIVEN
    const stack = tooling();
    // WHEN
    analyzer(stack);
    // THEN
    const t = Template.fromStack(stack);
    const rule = Object.values(t.findResources('AWS::Events::Rule'))[0] as any;
    const pattern = rule.Properties.EventPattern;
    const finding = (detailType: string, status: string) => ({ 'source': 'aws.access-analyzer', 'detail-type': detailType, 'detail': { status, resourceOwnerAccount: '555555555501' } });
    expect(matchesPattern(pattern, finding('Access Analyzer Finding', 'ACTIVE'))).toBe(true);
    expect(matchesPattern(pattern, finding('Unused Access Finding for IAM entities', 'ACTIVE'))).toBe(true);
    expect(matchesPattern(pattern, finding('Access Analyzer Finding', 'ARCHIVED'))).toBe(false);
    expect(matchesPattern(pattern, finding('Access Analyzer Finding', 'RESOLVED'))).toBe(false);
    expect(rule.Properties.Targets[0].InputTransformer.InputTemplate)
      .toMatch(/^"\[access-analyzer\] account <detail-resourceOwnerAccount> resource <detail-resource>: /);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    // every statement allowing a service principal names this account (no unconditioned grant from the target)
    const topicPolicy = (Object.values(t.findResources('AWS::SNS::TopicPolicy'))[0] as any).Properties.PolicyDocument.Statement as any[];
    const keyPolicy = (Object.values(t.findResources('AWS::KMS::Key'))[0] as any).Properties.KeyPolicy.Statement as any[];
    for (const s of [...topicPolicy, ...keyPolicy].filter((x) => x.Effect === 'Allow' && x.Principal?.Service)) {
      expect(s.Condition.StringEquals['aws:SourceAccount']).toBe('222222222202');
      expect(s.Condition.ArnLike['aws:SourceArn']).toBeDefined();
    }
    expect(topicPolicy.filter((x) => x.Principal?.Service === 'events.amazonaws.com')).toHaveLength(1);
  });

  test('without unused access, only the external access analyzer', () => {
    const stack = tooling();
    const a = analyzer(stack, { unusedAccess: false });
    Template.fromStack(stack).resourceCountIs('AWS::AccessAnalyzer::Analyzer', 1);
    expect(a.references.map((r) => r.kind)).toEqual([AnalyzerKind.EXTERNAL_ACCESS]);
  });

  test('fails outside the security tooling account, for a tracking period outside 1-365 days, and for bad archive rules', () => {
    expect(() => analyzer(tooling('000000000000')))
      .toThrow(/scope: organization analyzers belong in the security tooling account audit \(222222222202\)/);
    expect(() => analyzer(tooling(), { unusedAccessAge: Duration.days(400) })).toThrow(/unusedAccessAge: must be a whole number of days from 1 to 365, got 400/);
    expect(() => analyzer(tooling(), { unusedAccessAge: Duration.hours(12) })).toThrow(/unusedAccessAge/);
    expect(() => analyzer(tooling(), {
      unusedAccess: false,
      archiveRules: [
        AnalyzerArchiveRule.trustedAccounts(['shop-prod']),
        AnalyzerArchiveRule.expectedUnusedRoles(['lz-admin']),
        AnalyzerArchiveRule.custom({ ruleName: '1bad', analyzer: AnalyzerKind.EXTERNAL_ACCESS, filter: { resource: {} } }),
      ],
    })).toThrow(new RegExp([
      "archiveRules\\[0\\]: account 'shop-prod' is not an external account",
      "archiveRules\\[1\\]: rule 'expected-unused-roles' archives unused access findings, but unusedAccess is false",
      "archiveRules\\[2\\]: archive rule name '1bad'",
      "archiveRules\\[2\\]: filter key 'resource' of archive rule '1bad' sets no comparison",
    ].join('[\\s\\S]*')));
  });
});

describe('AccessAnalyzerDelegation', () => {
  const mgmt = () => new Stack(new App(), 'Mgmt', { env: { account: '000000000000', region: 'us-east-1' } });

  test('enables trusted access, then registers the tooling account, with policies scoped to Access Analyzer', () => {
    // GIVEN
    const stack = mgmt();
    // WHEN
    new AccessAnalyzerDelegation(stack, 'Delegation', { organization: securityOrganization() });
    // THEN
    const t = Template.fromStack(stack);
    const calls = t.findResources('Custom::AWS');
    const byAction = (action: string) => Object.entries(calls).find(([, r]: [string, any]) => JSON.parse(r.Properties.Create).action === action)!;
    const [trustedId, trusted] = byAction('enableAWSServiceAccess') as [string, any];
    const [, register] = byAction('registerDelegatedAdministrator') as [string, any];
    expect(JSON.parse(trusted.Properties.Create).parameters).toEqual({ ServicePrincipal: 'access-analyzer.amazonaws.com' });
    expect(JSON.parse(register.Properties.Create)).toEqual(expect.objectContaining({
      parameters: { AccountId: '222222222202', ServicePrincipal: 'access-analyzer.amazonaws.com' },
      region: 'us-east-1',
      ignoreErrorCodesMatching: 'AccountAlreadyRegisteredException',
    }));
    expect(register.DependsOn).toEqual(expect.arrayContaining([trustedId]));
    // no onDelete: removing the construct never disables the analyzers
    expect(register.Properties.Delete).toBeUndefined();
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: 'organizations:RegisterDelegatedAdministrator',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':organizations::000000000000:account/o-*/222222222202']] },
          Condition: { StringEquals: { 'organizations:ServicePrincipal': 'access-analyzer.amazonaws.com' } },
        })],
      },
    });
  });

  test('fails when tooling is not delegated or outside the management account', () => {
    expect(() => new AccessAnalyzerDelegation(mgmt(), 'D', { organization: securityOrganization({ securityToolingAccount: 'management' }) }))
      .toThrow(/there is nothing to delegate/);
    const member = new Stack(new App(), 'M', { env: { account: '222222222202', region: 'us-east-1' } });
    expect(() => new AccessAnalyzerDelegation(member, 'D', { organization: securityOrganization() }))
      .toThrow(/only the management account 000000000000 can delegate/);
  });
});
