import { App, CfnOutput, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { AccountDefinition, AccountSelection, JumpAccount, JumpGroup, Organization, PermissionLevel } from '../src';
import { templateLimitProblems } from '../src/private/template-limits';

/** `n` member accounts over 16 business-unit OUs. */
function organization(n: number): Organization {
  const ous = [{ path: 'Security', ouId: 'ou-tl03-security' }, { path: 'Workloads', ouId: 'ou-tl03-workload' }];
  for (let b = 0; b < 16; b++) ous.push({ path: `Workloads/BU${b}`, ouId: `ou-tl03-bu${String(b).padStart(6, '0')}` });
  const accounts: AccountDefinition[] = Array.from({ length: n }, (_, i) => ({
    accountId: String(100_000_000_000 + i * 7919), name: `acct-${i}`, organizationalUnit: `Workloads/BU${i % 16}`,
  }));
  return new Organization({
    rootId: 'r-tl03',
    organizationId: 'o-tl03abcdef',
    managementAccount: { accountId: '000000000000', name: 'management' },
    jumpAccount: { accountId: '111111111111', name: 'jump', organizationalUnit: 'Security' },
    organizationalUnits: ous,
    accounts,
  });
}

/** A jump account whose groups each reach every workload account, by ARN or by organization path. */
function jumpApp(groups: number, byOrganizationPath: boolean): App {
  const app = new App();
  const org = organization(1_000);
  const stack = new Stack(app, 'Jump', { env: { account: '111111111111', region: 'eu-west-1' } });
  const jumpGroups: JumpGroup[] = Array.from({ length: groups }, (_, g) => ({
    groupName: `team-${g}`,
    targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads']), permissionLevels: [PermissionLevel.readOnly()], byOrganizationPath }],
  }));
  new JumpAccount(stack, 'JumpAccount', {
    organization: org,
    groups: jumpGroups,
    externallyManagedRoles: [{ accounts: AccountSelection.allMemberAccounts(), roleNames: ['lz-read-only'] }],
    switchRoleOutputs: false,
  });
  return app;
}

/** An app with one library construct (so the check is registered) and a stack of the user's own. */
function appWithOwnStack(fill: (own: Stack) => void): App {
  const app = new App();
  new JumpAccount(new Stack(app, 'Jump', { env: { account: '111111111111', region: 'eu-west-1' } }), 'JumpAccount', {
    organization: organization(2), groups: [], switchRoleOutputs: false,
  });
  fill(new Stack(app, 'Own'));
  return app;
}

// 250 topics with 4 KB display names: about 1.1 MB
const big = (scope: Stack | NestedStack) => {
  for (let i = 0; i < 250; i++) new CfnResource(scope, `Topic${i}`, { type: 'AWS::SNS::Topic', properties: { DisplayName: 'x'.repeat(4_000) } });
};

describe('CloudFormation template limits at synth', () => {
  test('a jump account whose by-ARN groups make a template over 1 MB fails the synth, naming the stack and byOrganizationPath', () => {
    // 5 groups x 1,000 role ARNs (each an Fn::Join of the partition): about 230 KB each
    expect(() => jumpApp(5, false).synth())
      .toThrow(/ERROR the stack cannot deploy: its template is 1\.\d\d MB, more than the 1 MB CloudFormation deploys.*\n\s+Jump aws-cdk-lib.Stack\n\s+Suggested fix: .*byOrganizationPath/);
  });

  test('the same groups by organization path synthesize', () => {
    expect(() => jumpApp(5, true).synth()).not.toThrow();
  });

  test('a nested stack over 1 MB fails, named by its template', () => {
    expect(() => appWithOwnStack((own) => big(new NestedStack(own, 'Big'))).synth())
      .toThrow(/the stack cannot deploy: its template is 1\.\d\d MB.*\n\s+nested stack OwnBig[0-9A-F]+/);
  });

  test('a stack of the user\'s own over 1 MB fails too', () => {
    expect(() => appWithOwnStack((own) => big(own)).synth()).toThrow(/the stack cannot deploy: its template is 1\.\d\d MB.*\n\s+Own aws-cdk-lib.Stack/);
  });

  test('201 outputs fail', () => {
    expect(() => appWithOwnStack((own) => {
      for (let i = 0; i < 201; i++) new CfnOutput(own, `Out${i}`, { value: 'x' });
    }).synth()).toThrow(/the stack cannot deploy: it has 201 outputs, more than the 200 a CloudFormation stack takes.*\n\s+Own aws-cdk-lib.Stack/);
  });

  test('the limits themselves: 1,000,000 bytes, 200 parameters and 200 outputs pass; one more fails', () => {
    const template = (resources: number, parameters: number, outputs: number, pad = 0) => {
      const t: any = { Resources: {}, Parameters: {}, Outputs: {} };
      for (let i = 0; i < resources; i++) t.Resources[`R${i}`] = { Type: 'AWS::SNS::Topic' };
      for (let i = 0; i < parameters; i++) t.Parameters[`P${i}`] = { Type: 'String' };
      for (let i = 0; i < outputs; i++) t.Outputs[`O${i}`] = { Value: 'x' };
      const text = JSON.stringify(t);
      return pad > 0 ? `${text.slice(0, -1)},"Description":"${'x'.repeat(pad - text.length - 17)}"}` : text;
    };
    expect(template(0, 0, 0, 1_000_000).length).toBe(1_000_000);
    expect(templateLimitProblems(template(500, 200, 200))).toEqual([]);
    expect(templateLimitProblems(template(0, 0, 0, 1_000_000))).toEqual([]);
    expect(templateLimitProblems(template(0, 0, 0, 1_000_001))).toEqual(['its template is 1.00 MB, more than the 1 MB CloudFormation deploys']);
    expect(templateLimitProblems(template(501, 201, 201))).toEqual([
      'it has 201 parameters, more than the 200 a CloudFormation stack takes',
      'it has 201 outputs, more than the 200 a CloudFormation stack takes',
    ]);
  });
});
