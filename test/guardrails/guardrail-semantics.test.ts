import { Template } from 'aws-cdk-lib/assertions';
import { testOrganization, managementStack } from './fixture';
import { Guardrail, GuardrailPolicies, GuardrailTarget, RootDenyScp } from '../../src';
import { simulate } from '../helpers/iam-sim';
import { ADMIN_IDENTITY, scpLevelsForAccount, synthesizedScps } from '../helpers/scp-sim';

// The synthesized SCP texts, evaluated by an IAM simulator as the policy set of each level (root, OUs, account)
// beside AWS's default FullAWSAccess; the caller holds AdministratorAccess, so any denial comes from the guardrails.
describe('guardrail SCPs evaluated by the IAM simulator', () => {
  const org = testOrganization();

  function synth(build: (stack: ReturnType<typeof managementStack>) => void) {
    const stack = managementStack();
    build(stack);
    const scps = synthesizedScps(Template.fromStack(stack).toJSON());
    return (account: string, request: { principal: string; action: string; resource: string; context?: Record<string, string | string[]> }) =>
      simulate({ identityPolicies: [ADMIN_IDENTITY], scpLevels: scpLevelsForAccount(org, account, scps) }, request);
  }

  describe('RootDenyScp', () => {
    const evaluate = synth((stack) => new RootDenyScp(stack, 'DenyRoot', { organization: org }));
    const runInstances = (acct: string) => ({ action: 'ec2:RunInstances', resource: `arn:aws:ec2:eu-central-1:${acct}:instance/*` });

    test('a member account root user is denied ec2:RunInstances', async () => {
      // GIVEN the root deny attached to the organization root
      // WHEN the root user of a nested workload account launches an instance
      const result = await evaluate('app-prod', { principal: 'arn:aws:iam::333333333333:root', ...runInstances('333333333333') });
      // THEN the SCP denies it
      expect(result.decision).toBe('ExplicitlyDenied');
      expect(result.reason).toMatch(/lz-deny-root/);
    });

    test('an ordinary role in the same account is allowed', async () => {
      const result = await evaluate('app-prod', { principal: 'arn:aws:iam::333333333333:role/lz-admin', ...runInstances('333333333333') });
      expect(result.decision).toBe('Allowed');
    });

    test('a centralized root session is still denied unless opted in', async () => {
      // GIVEN two policies: the default and one that lets sts:AssumeRoot sessions through
      const strict = evaluate;
      const relaxed = synth((stack) => new RootDenyScp(stack, 'DenyRoot', { organization: org, allowCentralizedRootSessions: true }));
      const request = {
        principal: 'arn:aws:iam::333333333333:root',
        action: 's3:DeleteBucketPolicy',
        resource: 'arn:aws:s3:::locked-bucket',
        context: { 'aws:AssumedRoot': 'true' },
      };
      // THEN only the opted-in policy lets the centralized root session act, and a plain root sign-in stays denied
      expect((await strict('app-prod', request)).decision).toBe('ExplicitlyDenied');
      expect((await relaxed('app-prod', request)).decision).toBe('Allowed');
      expect((await relaxed('app-prod', { ...request, context: {} })).decision).toBe('ExplicitlyDenied');
    });

    test('allowedActions lets root do only the listed actions', async () => {
      const evaluateWithEscape = synth((stack) => new RootDenyScp(stack, 'DenyRoot', {
        organization: org, allowedActions: ['iam:DeactivateMFADevice'],
      }));
      const root = 'arn:aws:iam::222222222222:root';
      const mfa = await evaluateWithEscape('app-dev', { principal: root, action: 'iam:DeactivateMFADevice', resource: 'arn:aws:iam::222222222222:user/x' });
      const other = await evaluateWithEscape('app-dev', { principal: root, ...runInstances('222222222222') });
      expect(mfa.decision).toBe('Allowed');
      expect(other.decision).toBe('ExplicitlyDenied');
    });
  });

  describe('Guardrail.denyIamUsers', () => {
    const evaluate = synth((stack) => new GuardrailPolicies(stack, 'Baseline', {
      organization: org,
      targets: [GuardrailTarget.organizationRoot()],
      guardrails: [Guardrail.denyIamUsers({
        adminPrincipalArns: ['arn:aws:iam::*:role/break-glass'],
        exemptPrincipalTag: { key: 'iam-admin', value: 'true' },
      })],
    }));
    const createUser = (acct: string) => ({ action: 'iam:CreateUser', resource: `arn:aws:iam::${acct}:user/bob` });

    test('a non-exempt principal cannot iam:CreateUser', async () => {
      const result = await evaluate('app-dev', { principal: 'arn:aws:iam::222222222222:role/lz-admin', ...createUser('222222222222') });
      expect(result.decision).toBe('ExplicitlyDenied');
      expect(result.reason).toMatch(/DenyIamUsers/);
    });

    test('a principal in the jump account can', async () => {
      const result = await evaluate('jump', { principal: 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1', ...createUser('111111111111') });
      expect(result.decision).toBe('Allowed');
    });

    test('a named admin principal and a tagged principal can, elsewhere', async () => {
      const admin = await evaluate('app-dev', { principal: 'arn:aws:iam::222222222222:role/break-glass', ...createUser('222222222222') });
      const tagged = await evaluate('app-dev', {
        principal: 'arn:aws:iam::222222222222:role/ops', ...createUser('222222222222'), context: { 'aws:PrincipalTag/iam-admin': 'true' },
      });
      const wrongTag = await evaluate('app-dev', {
        principal: 'arn:aws:iam::222222222222:role/ops', ...createUser('222222222222'), context: { 'aws:PrincipalTag/iam-admin': 'yes' },
      });
      expect(admin.decision).toBe('Allowed');
      expect(tagged.decision).toBe('Allowed');
      expect(wrongTag.decision).toBe('ExplicitlyDenied');
    });

    test('access keys and login profiles are denied outside the jump account too', async () => {
      const principal = 'arn:aws:iam::333333333333:role/lz-admin';
      const key = await evaluate('app-prod', { principal, action: 'iam:CreateAccessKey', resource: 'arn:aws:iam::333333333333:user/bob' });
      const login = await evaluate('app-prod', { principal, action: 'iam:CreateLoginProfile', resource: 'arn:aws:iam::333333333333:user/bob' });
      expect(key.decision).toBe('ExplicitlyDenied');
      expect(login.decision).toBe('ExplicitlyDenied');
    });
  });

  describe('Guardrail.restrictRegions', () => {
    const evaluate = synth((stack) => new GuardrailPolicies(stack, 'Regions', {
      organization: org,
      targets: [GuardrailTarget.organizationalUnits(['Workloads'])],
      guardrails: [Guardrail.restrictRegions({
        allowedRegions: ['eu-central-1', 'eu-west-1'],
        exemptPrincipalArns: ['arn:aws:iam::*:role/lz-admin'],
      })],
    }));
    const principal = 'arn:aws:iam::333333333333:role/developer';

    test('a request to a disallowed region is denied', async () => {
      const result = await evaluate('app-prod', {
        principal,
        action: 'ec2:RunInstances',
        resource: 'arn:aws:ec2:us-west-2:333333333333:instance/*',
        context: { 'aws:RequestedRegion': 'us-west-2' },
      });
      expect(result.decision).toBe('ExplicitlyDenied');
      expect(result.reason).toMatch(/DenyOutsideRegions/);
    });

    test('a request to an allowed region is allowed', async () => {
      const result = await evaluate('app-prod', {
        principal,
        action: 'ec2:RunInstances',
        resource: 'arn:aws:ec2:eu-west-1:333333333333:instance/*',
        context: { 'aws:RequestedRegion': 'eu-west-1' },
      });
      expect(result.decision).toBe('Allowed');
    });

    test('a global service in a disallowed region is allowed', async () => {
      const result = await evaluate('app-prod', {
        principal,
        action: 'iam:CreateRole',
        resource: 'arn:aws:iam::333333333333:role/app',
        context: { 'aws:RequestedRegion': 'us-east-1' },
      });
      const route53 = await evaluate('app-prod', {
        principal,
        action: 'route53:ChangeResourceRecordSets',
        resource: 'arn:aws:route53:::hostedzone/Z0123456789',
        context: { 'aws:RequestedRegion': 'us-east-1' },
      });
      expect(result.decision).toBe('Allowed');
      expect(route53.decision).toBe('Allowed');
    });

    test('an exempt admin role may act in any region', async () => {
      const result = await evaluate('app-prod', {
        principal: 'arn:aws:iam::333333333333:role/lz-admin',
        action: 'ec2:RunInstances',
        resource: 'arn:aws:ec2:us-west-2:333333333333:instance/*',
        context: { 'aws:RequestedRegion': 'us-west-2' },
      });
      expect(result.decision).toBe('Allowed');
    });

    test('accounts outside the targeted ou are not restricted', async () => {
      const result = await evaluate('jump', {
        principal: 'arn:aws:iam::111111111111:role/developer',
        action: 'ec2:RunInstances',
        resource: 'arn:aws:ec2:us-west-2:111111111111:instance/*',
        context: { 'aws:RequestedRegion': 'us-west-2' },
      });
      expect(result.decision).toBe('Allowed');
    });
  });

  describe('organization and security service guardrails', () => {
    const evaluate = synth((stack) => new GuardrailPolicies(stack, 'Baseline', {
      organization: org,
      targets: [GuardrailTarget.organizationRoot()],
      guardrails: [
        Guardrail.denyLeavingOrganization(),
        Guardrail.denyRootAccessKeys(),
        Guardrail.protectSecurityServices(),
        Guardrail.protectLandingZoneResources(),
      ],
    }));
    const admin = 'arn:aws:iam::222222222222:role/lz-admin';
    const deployer = 'arn:aws:iam::222222222222:role/cdk-hnb659fds-cfn-exec-role-222222222222-eu-central-1';

    test('an account admin cannot leave the organization', async () => {
      const result = await evaluate('app-dev', { principal: admin, action: 'organizations:LeaveOrganization', resource: '*' });
      expect(result.decision).toBe('ExplicitlyDenied');
    });

    test('root cannot create access keys, a role can', async () => {
      const root = await evaluate('app-dev', { principal: 'arn:aws:iam::222222222222:root', action: 'iam:CreateAccessKey', resource: 'arn:aws:iam::222222222222:user/x' });
      const role = await evaluate('app-dev', { principal: admin, action: 'iam:CreateAccessKey', resource: 'arn:aws:iam::222222222222:user/x' });
      expect(root.decision).toBe('ExplicitlyDenied');
      expect(role.decision).toBe('Allowed');
    });

    test.each([
      ['cloudtrail:StopLogging', 'arn:aws:cloudtrail:eu-central-1:222222222222:trail/org'],
      ['guardduty:DeleteDetector', 'arn:aws:guardduty:eu-central-1:222222222222:detector/abc'],
      ['config:StopConfigurationRecorder', '*'],
      ['access-analyzer:DeleteAnalyzer', 'arn:aws:access-analyzer:eu-central-1:222222222222:analyzer/org'],
    ])('an account admin cannot %s, the deployment role can', async (action, resource) => {
      expect((await evaluate('app-dev', { principal: admin, action, resource })).decision).toBe('ExplicitlyDenied');
      expect((await evaluate('app-dev', { principal: deployer, action, resource })).decision).toBe('Allowed');
    });

    test('landing zone roles and the boundary change only through the deployment role', async () => {
      const detach = { action: 'iam:DetachRolePolicy', resource: 'arn:aws:iam::222222222222:role/lz-read-only' };
      const handler = { action: 'iam:PutRolePolicy', resource: 'arn:aws:iam::222222222222:role/landing-zone/reconciler' };
      const boundary = { action: 'iam:CreatePolicyVersion', resource: 'arn:aws:iam::222222222222:policy/lz-permissions-boundary' };
      const ownRole = { action: 'iam:DetachRolePolicy', resource: 'arn:aws:iam::222222222222:role/app-task' };
      for (const r of [detach, handler, boundary]) {
        expect((await evaluate('app-dev', { principal: admin, ...r })).decision).toBe('ExplicitlyDenied');
        expect((await evaluate('app-dev', { principal: deployer, ...r })).decision).toBe('Allowed');
      }
      expect((await evaluate('app-dev', { principal: admin, ...ownRole })).decision).toBe('Allowed');
    });
  });
});
