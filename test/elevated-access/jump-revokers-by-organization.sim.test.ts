// jumpAccess.revokersByOrganization: the state machine and the reconciler assume the revoker of any account of the
// organization by one conditioned statement instead of every target account's ARN. Evaluated with the IAM simulator
// against the synthesized workflow and elevated roles; named after the attacks.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { defaultProps, HOST_ACCOUNT, JUMP_ACCOUNT, jumpAccess } from './fixture';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import {
  AccountSelection, ElevatedAccessWorkflow, ElevatedRoles, JumpPrincipal, LandingZone, Organization, PermissionLevel,
} from '../../src';
import { simulate, TemplatePolicies } from '../helpers/iam-sim';

const ORG = 'o-ex01abcdef';
const OTHER_ORG = 'o-zz99yy88xx';
const WRITER = `arn:aws:iam::${JUMP_ACCOUNT}:role/landing-zone/lz-elevated-grant-writer`;
const revoker = (account: string) => `arn:aws:iam::${account}:role/landing-zone/lz-elevated-revoker`;
// 120 production accounts: their revoker ARNs (about 8,000 characters) fit no managed policy
const MANY = Array.from({ length: 120 }, (_, i) => ({ accountId: `7777770${String(i).padStart(5, '0')}`, name: `prod-${i}`, organizationalUnit: 'Workloads/Prod' }));
// an account that joined the organization after the synth: in no model the workflow saw
const LATER = '888888888801';

function build(revokersByOrganization: boolean | undefined, organization: Organization = exampleOrganization(MANY)) {
  const app = new App();
  const host = new Stack(app, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
  const workflow = new ElevatedAccessWorkflow(host, 'Workflow', defaultProps({
    organization, jumpAccess: jumpAccess(app, { revokersByOrganization }), assignmentsInAnyAccount: true,
  }));
  return { host, workflow };
}

const { host, workflow } = build(true);
const template = Template.fromStack(host);
const policies = new TemplatePolicies(template.toJSON(), { accountId: HOST_ACCOUNT, region: 'eu-west-1' });
const roleId = (prefix: string) => Object.entries<any>(template.findResources('AWS::IAM::Role'))
  .find(([, r]) => String(r.Properties.RoleName).startsWith(prefix))![0];
const machine = policies.forRole(roleId('lz-access-states-'));
const reconciler = policies.forRole(roleId('lz-access-reconciler-'));

/** A target account's revoker, deployed for `workflowRoleArn` (this workflow's, unless said otherwise). */
function revokerTrust(account: string, workflowRoleArn = workflow.jumpDeployment!.workflowRoleArn) {
  const stack = new Stack(new App(), 'Target', { env: { account, region: 'eu-west-1' } });
  new ElevatedRoles(stack, 'Elevated', {
    jumpAccount: jumpAccess(new App()).jumpAccount,
    permissionLevels: [PermissionLevel.power()],
    workflowRoleArn,
    reconcilerRoleArn: workflow.jumpDeployment!.reconcilerRoleArn,
  });
  return new TemplatePolicies(Template.fromStack(stack).toJSON(), { accountId: account }).forRole('lz-elevated-revoker').trustPolicy;
}

/** A trust policy naming `who`. */
const trusting = (who: typeof machine) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: who.arn }, Action: 'sts:AssumeRole' }] });

/** `who` assumes `resource`, whose account is in `orgId` (or in no organization). */
const assume = (who: typeof machine, resource: string, orgId: string | undefined, trust?: any) => simulate({
  identityPolicies: who.identityPolicies, resourcePolicy: trust,
}, {
  principal: who.arn,
  action: 'sts:AssumeRole',
  resource,
  organization: orgId === undefined ? undefined : { id: orgId, accountIds: [resource.split(':')[4]] },
  ...(orgId === undefined ? {} : { context: { 'aws:PrincipalOrgID': ORG } }),
});

describe('jumpAccess.revokersByOrganization (synthesized, simulated)', () => {
  test('120 target accounts synthesize: one statement over the organization, with a warning naming the field', () => {
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s) => [s.Resource].flat().includes('arn:aws:iam::*:role/landing-zone/lz-elevated-revoker'));
    expect(statements).toHaveLength(2); // the state machine's and the reconciler's
    for (const s of statements) {
      expect(s).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:ResourceOrgID': ORG } } });
    }
    expect(JSON.stringify(template.toJSON())).not.toContain(revoker(MANY[0].accountId));
    Annotations.fromStack(host).hasWarning('*', Match.stringLikeRegexp('jumpAccess.revokersByOrganization: .* any account of organization o-ex01abcdef'));
  });

  test('the state machine and the reconciler reach the revoker of a target account, and of an account added later', async () => {
    for (const who of [machine, reconciler]) {
      expect((await assume(who, revoker(MANY[7].accountId), ORG, revokerTrust(MANY[7].accountId))).decision).toBe('Allowed');
      expect((await assume(who, revoker(LATER), ORG, revokerTrust(LATER))).decision).toBe('Allowed');
      expect((await assume(who, WRITER, ORG, trusting(who))).decision).toBe('Allowed');
    }
  });

  test('attack: a role named lz-elevated-revoker in another organization is not assumed', async () => {
    for (const who of [machine, reconciler]) {
      // a trust policy that lets the workflow in: only its own identity policy can refuse
      const open = trusting(who);
      expect((await assume(who, revoker('999999999901'), OTHER_ORG, open)).decision).toBe('ImplicitlyDenied');
      expect((await assume(who, revoker('999999999902'), undefined, open)).decision).toBe('ImplicitlyDenied');
    }
  });

  test('attack: another role of an organization account (its elevated or admin role) is not assumed', async () => {
    for (const who of [machine, reconciler]) {
      for (const role of ['lz-elevated-power', 'landing-zone/lz-elevated-grant-writer', 'lz-admin', 'landing-zone/lz-elevated-revoker-x']) {
        expect((await assume(who, `arn:aws:iam::${LATER}:role/${role}`, ORG, trusting(who))).decision).toBe('ImplicitlyDenied');
      }
    }
  });

  test('attack: a revoker deployed for another workflow does not trust this one', async () => {
    const others = revokerTrust(LATER, `arn:aws:iam::${HOST_ACCOUNT}:role/landing-zone/lz-access-states-ffffffff`);
    expect((await assume(machine, revoker(LATER), ORG, trusting(machine))).decision).toBe('Allowed');
    expect((await assume(machine, revoker(LATER), ORG, others)).allowed).toBe(false);
  });

  test('refused: without it, the 123 targets name the field; with it and no organizationId, the model\'s field', () => {
    expect(() => build(undefined)).toThrow(/jumpAccess\.revokersByOrganization: the 123 target accounts of the jump rules .* over the 6144 of one IAM managed policy, so it cannot deploy: set jumpAccess\.revokersByOrganization: true/);
    const withoutId = new Organization({
      rootId: 'r-ex01',
      managementAccount: { accountId: '000000000000', name: 'management' },
      jumpAccount: { accountId: JUMP_ACCOUNT, name: 'jump', organizationalUnit: 'Security' },
      identityCenterAdminAccount: 'audit',
      organizationalUnits: ['Security', 'Workloads', 'Workloads/NonProd', 'Workloads/Prod'].map((path, i) => ({ path, ouId: `ou-ex01-noid000${i}` })),
      accounts: [
        { accountId: HOST_ACCOUNT, name: 'audit', organizationalUnit: 'Security' },
        { accountId: '444444444401', name: 'shop-dev', organizationalUnit: 'Workloads/NonProd' },
        { accountId: '555555555501', name: 'shop-prod', organizationalUnit: 'Workloads/Prod' },
      ],
    });
    expect(() => build(true, withoutId)).toThrow(/jumpAccess\.revokersByOrganization: the organization model has no organizationId, which the grant to assume the revokers compares \(aws:ResourceOrgID\): set organizationId/);
  });
});

describe('jumpAccess.revokersByOrganization in a landing zone', () => {
  test('a jump-only workflow over 123 production accounts deploys: every target account\'s revoker trusts it, its grant names none', () => {
    // GIVEN: the landing zone's jump account, and a workflow whose jump rule reaches every Workloads/Prod account
    const app = new App();
    const lz = new LandingZone(app, 'Lz', {
      organization: exampleOrganization(MANY),
      jumpAccount: {
        groups: ['vendor-acme', 'jump-leads'].map((groupName) => ({ groupName, targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads/NonProd']), permissionLevels: [PermissionLevel.readOnly()] }] })),
        users: [{ userName: 'acme-alice', groups: ['vendor-acme'] }, { userName: 'lead-lee', groups: ['jump-leads'] }],
      },
    });
    lz.addOrganizationalUnit('Workloads', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly() }] });
    const access = new Stack(lz, 'Access', { env: { account: HOST_ACCOUNT, region: 'us-east-1' } });
    const prod = AccountSelection.organizationalUnits(['Workloads/Prod']);
    const wf = new ElevatedAccessWorkflow(access, 'Workflow', {
      organization: lz.organization,
      jumpAccess: {
        jumpAccount: lz.jumpAccount!,
        eligibility: [{ principals: [JumpPrincipal.group('vendor-acme')], targets: prod, permissionLevels: [PermissionLevel.power()], maxDuration: Duration.hours(1) }],
        approvers: [{ jumpApprovers: [JumpPrincipal.group('jump-leads')], targets: prod, permissionLevels: [PermissionLevel.power()] }],
        revokersByOrganization: true,
      },
    });

    // WHEN
    const placed = lz.addJumpElevatedAccess(wf.jumpDeployment!);
    const assembly = app.synth();

    // THEN
    expect(placed.accountStacks).toHaveLength(123);
    const last = placed.accountStacks.find((s) => s.account === MANY[119].accountId)!;
    const trust = new TemplatePolicies(assembly.getStackArtifact(last.artifactId).template, { accountId: last.account }).forRole('lz-elevated-revoker').trustPolicy;
    expect(JSON.stringify(trust)).toContain(wf.jumpDeployment!.workflowRoleArn);
    const hostTemplate = JSON.stringify(assembly.getStackArtifact(access.artifactId).template);
    expect(hostTemplate).toContain('arn:aws:iam::*:role/landing-zone/lz-elevated-revoker');
    expect(hostTemplate).not.toMatch(/arn:aws:iam::7777770\d{5}:role/);
  });
});
