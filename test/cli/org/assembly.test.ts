import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { tempDir } from './run-cli';
import { readCloudAssembly, StackRole } from '../../../src/cli/org/assembly';

describe('reading the cloud assembly', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('assembly');
    const app = new App({ outdir: dir });
    // a stage (as CDK Pipelines makes), a nested stack holding an assignment, and a workflow-like state machine role
    const stage = new Stage(app, 'Prod', { env: { account: '000000000000', region: 'eu-west-1' } });
    const ic = new Stack(stage, 'Ic', { stackName: 'Corp-IdentityCenter' });
    const nested = new NestedStack(ic, 'Shard');
    new sso.CfnAssignment(nested, 'A', {
      instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1',
      principalId: 'g-1',
      principalType: 'GROUP',
      targetId: '222222222222',
      targetType: 'AWS_ACCOUNT',
    });
    const wf = new Stack(stage, 'Workflow', { stackName: 'Corp-Workflow', env: { account: '333333333333', region: 'eu-west-1' } });
    const role = new iam.Role(wf, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sso:CreateAccountAssignment'], resources: ['*'] }));
    new CfnResource(wf, 'Sm', { type: 'AWS::StepFunctions::StateMachine', properties: { DefinitionString: '{}', RoleArn: role.roleArn } });
    new CfnResource(wf, 'Config', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: JSON.stringify({ identityStoreId: 'd-1234567890' }) } });
    app.synth();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('finds stacks of stages, templates of nested stacks, and what each stack needs', () => {
    const req = readCloudAssembly(dir);
    expect(req.stacks.map((s) => [s.stackName, s.account, s.region, s.roles])).toEqual([
      ['Corp-IdentityCenter', '000000000000', 'eu-west-1', [StackRole.IDENTITY_CENTER]],
      ['Corp-Workflow', '333333333333', 'eu-west-1', [StackRole.ELEVATED_ACCESS, StackRole.IDENTITY_CENTER]],
    ]);
    expect(req.identityCenter).toEqual([
      { stackName: 'Corp-IdentityCenter', account: '000000000000', region: 'eu-west-1', instanceIds: ['ssoins-1234567890abcdef'], identityStoreIds: [], assignmentAccounts: ['222222222222'] },
      { stackName: 'Corp-Workflow', account: '333333333333', region: 'eu-west-1', instanceIds: [], identityStoreIds: ['d-1234567890'], assignmentAccounts: [] },
    ]);
    expect(req.stacks[0].bootstrap).toEqual({ version: 6, parameter: '/cdk-bootstrap/hnb659fds/version', lookupRoleArn: 'arn:${AWS::Partition}:iam::000000000000:role/cdk-hnb659fds-lookup-role-000000000000-eu-west-1' });
    expect(req.landingZones).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'manifest.json'))).toBe(true);
  });
});
