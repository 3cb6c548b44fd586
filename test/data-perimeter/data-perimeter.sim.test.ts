// The data perimeter, evaluated with the IAM simulator on the synthesized policies: the identity-perimeter RCP
// (who may reach the organization's resources) and the resource-perimeter SCP (which resources the organization's
// principals may reach), each next to a resource policy or an identity policy that would allow the request.
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  DataPerimeter, GuardrailPolicies, GuardrailTarget, ResourceControl, ResourceControlPolicies,
} from '../../src';
import { securityOrganization } from '../denied-actions/fixture';
import { FULL_AWS_ACCESS, NamedPolicy } from '../helpers/iam-sim';
import { levelsFor, simulateAcrossOrg, synthesizedPolicies } from '../helpers/rcp-sim';

const ORG_ID = 'o-ab12cd34ef';
const org = securityOrganization();
const ADMIN: NamedPolicy = { name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
const BUCKET = 'arn:aws:s3:::shop-releases';
const PUBLIC_BUCKET_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${BUCKET}/*` }],
};

function synthesized(): any {
  const stack = new Stack(new App(), 'Mgmt', { env: { account: '000000000000', region: 'us-east-1' } });
  new ResourceControlPolicies(stack, 'Perimeter', {
    organization: org,
    targets: [GuardrailTarget.organizationRoot()],
    controls: [ResourceControl.identityPerimeter({ trustedAccounts: ['vendor-build'] })],
  });
  new GuardrailPolicies(stack, 'Scps', {
    organization: org,
    targets: [GuardrailTarget.organizationRoot()],
    guardrails: [DataPerimeter.resourcePerimeter(org, {
      trustedAccounts: ['partner-org'],
      awsOwnedResources: ['arn:aws:s3:::elasticbeanstalk-samples-eu-central-1/*'],
    })],
  });
  return Template.fromStack(stack).toJSON();
}

const template = synthesized();
const rcps = synthesizedPolicies('RESOURCE_CONTROL_POLICY', template);
const scps = synthesizedPolicies('SERVICE_CONTROL_POLICY', template);
// the bucket lives in shop-prod (Workloads/Prod)
const bucketRcpLevels = levelsFor(org, 'shop-prod', rcps);

// what a trail's bucket policy allows CloudTrail
const TRAIL_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `${BUCKET}/AWSLogs/*` }],
};

function outsider(account: string, orgId?: string): { principal: string; context: Record<string, string> } {
  const principal = `arn:aws:iam::${account}:role/reader`;
  return { principal, context: orgId ? { 'aws:PrincipalOrgID': orgId } : {} };
}

describe('identity perimeter (RCP)', () => {
  test('attack: a principal of another organization is denied s3:GetObject on an organization bucket whose policy allows everyone', async () => {
    const { principal, context } = outsider('123456789012', 'o-zz99yy88xx');
    const request = { principal, action: 's3:GetObject', resource: `${BUCKET}/app.zip`, resourceAccount: '555555555501', context };
    // the bucket policy alone lets them in: the RCP is what stops them
    expect(await simulateAcrossOrg({ identityPolicies: [ADMIN], resourcePolicy: PUBLIC_BUCKET_POLICY }, request)).toBe('Allowed');
    expect(await simulateAcrossOrg({ identityPolicies: [ADMIN], resourcePolicy: PUBLIC_BUCKET_POLICY, rcpLevels: bucketRcpLevels }, request))
      .toBe('ExplicitlyDenied');
  });

  test('attack: a principal of no organization is denied too (its request carries no aws:PrincipalOrgID)', async () => {
    const { principal, context } = outsider('123456789012');
    expect(await simulateAcrossOrg({ identityPolicies: [ADMIN], resourcePolicy: PUBLIC_BUCKET_POLICY, rcpLevels: bucketRcpLevels },
      { principal, action: 's3:PutObject', resource: `${BUCKET}/planted.zip`, resourceAccount: '555555555501', context })).toBe('ExplicitlyDenied');
  });

  test('attack: an anonymous caller is denied a public object', async () => {
    const response = await runSimulation({
      request: { principal: anonymousPrincipal, action: 's3:GetObject', resource: { resource: `${BUCKET}/app.zip`, accountId: '555555555501' }, contextVariables: {} },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: bucketRcpLevels.map((l) => ({ orgIdentifier: l.target, policies: l.policies as NamedPolicy[] })),
      resourcePolicy: PUBLIC_BUCKET_POLICY,
    }, {});
    expect(response.resultType === 'error' ? response.errors : response.overallResult).toBe('ExplicitlyDenied');
  });

  test('a declared trusted external account is not denied', async () => {
    const { principal, context } = outsider('999999999901');
    expect(await simulateAcrossOrg({ identityPolicies: [ADMIN], resourcePolicy: PUBLIC_BUCKET_POLICY, rcpLevels: bucketRcpLevels },
      { principal, action: 's3:GetObject', resource: `${BUCKET}/app.zip`, resourceAccount: '555555555501', context })).toBe('Allowed');
  });

  test('a principal of the organization is not denied', async () => {
    const { principal, context } = outsider('333333333301', ORG_ID);
    expect(await simulateAcrossOrg({ identityPolicies: [ADMIN], resourcePolicy: PUBLIC_BUCKET_POLICY, rcpLevels: bucketRcpLevels },
      { principal, action: 's3:GetObject', resource: `${BUCKET}/app.zip`, resourceAccount: '555555555501', context })).toBe('Allowed');
  });

  test('an AWS service principal acting for the organization is not denied', async () => {
    expect(await simulateAcrossOrg({ resourcePolicy: TRAIL_POLICY, rcpLevels: bucketRcpLevels }, {
      principal: 'cloudtrail.amazonaws.com',
      action: 's3:PutObject',
      resource: `${BUCKET}/AWSLogs/555555555501/trail.json.gz`,
      resourceAccount: '555555555501',
      context: { 'aws:PrincipalIsAWSService': 'true', 'aws:SourceAccount': '555555555501', 'aws:SourceOrgID': ORG_ID },
    })).toBe('Allowed');
  });

  test('attack (confused deputy): an AWS service acting for another organization is denied', async () => {
    expect(await simulateAcrossOrg({ resourcePolicy: TRAIL_POLICY, rcpLevels: bucketRcpLevels }, {
      principal: 'cloudtrail.amazonaws.com',
      action: 's3:PutObject',
      resource: `${BUCKET}/AWSLogs/123456789012/trail.json.gz`,
      resourceAccount: '555555555501',
      context: { 'aws:PrincipalIsAWSService': 'true', 'aws:SourceAccount': '123456789012', 'aws:SourceOrgID': 'o-zz99yy88xx' },
    })).toBe('ExplicitlyDenied');
  });

  test('attack: a principal of another organization is denied assuming an organization role that trusts its account', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] };
    const { principal, context } = outsider('123456789012', 'o-zz99yy88xx');
    const request = { principal, action: 'sts:AssumeRole', resource: 'arn:aws:iam::555555555501:role/ops', resourceAccount: '555555555501', context };
    expect(await simulateAcrossOrg({ identityPolicies: [ADMIN], resourcePolicy: trust }, request)).toBe('Allowed');
    expect(await simulateAcrossOrg({ identityPolicies: [ADMIN], resourcePolicy: trust, rcpLevels: bucketRcpLevels }, request)).toBe('ExplicitlyDenied');
  });
});

describe('resource perimeter (SCP)', () => {
  const member = 'arn:aws:iam::555555555501:role/app';
  const scpLevels = levelsFor(org, 'shop-prod', scps, [FULL_AWS_ACCESS]);

  test('attack (exfiltration): a principal of the organization is denied writing to a bucket of another organization', async () => {
    const request = {
      principal: member,
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::attacker-drop/loot.zip',
      resourceAccount: '123456789012',
      context: { 'aws:PrincipalOrgID': ORG_ID, 'aws:ResourceOrgID': 'o-zz99yy88xx', 'aws:ResourceAccount': '123456789012' },
    };
    const dropPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::attacker-drop/*' }] };
    expect(await simulateAcrossOrg({ identityPolicies: [ADMIN], resourcePolicy: dropPolicy }, request)).toBe('Allowed');
    expect(await simulateAcrossOrg({ identityPolicies: [ADMIN], resourcePolicy: dropPolicy, scpLevels }, request)).toBe('ExplicitlyDenied');
  });

  test('keeps a bucket of the organization reachable', async () => {
    expect(await simulateAcrossOrg({ identityPolicies: [ADMIN], scpLevels }, {
      principal: member,
      action: 's3:GetObject',
      resource: `${BUCKET}/app.zip`,
      resourceAccount: '555555555501',
      context: { 'aws:PrincipalOrgID': ORG_ID, 'aws:ResourceOrgID': ORG_ID, 'aws:ResourceAccount': '555555555501' },
    })).toBe('Allowed');
  });

  test('keeps an AWS-owned resource of the exception list reachable, and denies one not in it', async () => {
    const awsOwned = (bucket: string) => simulateAcrossOrg({
      identityPolicies: [ADMIN],
      resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] },
      scpLevels,
    }, {
      principal: member,
      action: 's3:GetObject',
      resource: `arn:aws:s3:::${bucket}/sample.zip`,
      resourceAccount: '012345678901',
      // AWS-owned resources belong to no organization: the request carries no aws:ResourceOrgID
      context: { 'aws:PrincipalOrgID': ORG_ID, 'aws:ResourceAccount': '012345678901' },
    });
    expect(await awsOwned('elasticbeanstalk-samples-eu-central-1')).toBe('Allowed');
    expect(await awsOwned('elasticbeanstalk-samples-eu-west-1')).toBe('ExplicitlyDenied');
  });

  test('keeps a role of a declared trusted account assumable (jump users switching into another organization)', async () => {
    const role = 'arn:aws:iam::888888888801:role/lz-read-only';
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: member }, Action: 'sts:AssumeRole' }] };
    const assume = (resourceAccount: string) => simulateAcrossOrg({ identityPolicies: [ADMIN], resourcePolicy: trust, scpLevels }, {
      principal: member,
      action: 'sts:AssumeRole',
      resource: role.replace('888888888801', resourceAccount),
      resourceAccount,
      context: { 'aws:PrincipalOrgID': ORG_ID, 'aws:ResourceOrgID': 'o-pp11qq22rr', 'aws:ResourceAccount': resourceAccount },
    });
    expect(await assume('888888888801')).toBe('Allowed');
    expect(await assume('123456789012')).toBe('ExplicitlyDenied');
  });
});
