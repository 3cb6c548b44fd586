import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { renderStackTemplate, stackSetTemplateSource, TEMPLATE_BODY_MAX_BYTES } from '../../src/private/stack-template';

describe('renderStackTemplate', () => {
  test('renders the stack as synthesis would: resolved references, tags from aspects, no bootstrap parameter', () => {
    // GIVEN
    const app = new App();
    // WHEN
    const template = renderStackTemplate(app, (stack) => {
      const role = new iam.Role(stack, 'Role', { roleName: 'r', assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
      Tags.of(role).add('lz-managed', 'true');
    });
    // THEN
    expect(template.Parameters).toBeUndefined();
    const policy = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::IAM::Policy');
    expect(policy.Properties.Roles).toEqual([{ Ref: 'Role1ABCC5F0' }]);
    expect(template.Resources.Role1ABCC5F0.Properties.Tags).toEqual([{ Key: 'lz-managed', Value: 'true' }]);
  });

  test('adds nothing to the app\'s tree (no stack of the app, no second assembly)', () => {
    // GIVEN
    const app = new App();
    const before = app.node.findAll().length;
    // WHEN
    renderStackTemplate(app, (stack) => new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }));
    // THEN
    expect(app.node.findAll().length).toBe(before);
  });

  test('renders under the app\'s feature flags', () => {
    // GIVEN: two statements that only @aws-cdk/aws-iam:minimizePolicies merges
    const build = (stack: Stack) => {
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::a/*'] }));
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::a/*'] }));
    };
    const statements = (app: App) => Object.values<any>(renderStackTemplate(app, build).Resources)
      .find((r) => r.Type === 'AWS::IAM::Policy').Properties.PolicyDocument.Statement;
    // THEN
    expect(statements(new App())).toHaveLength(2);
    expect(statements(new App({ context: { '@aws-cdk/aws-iam:minimizePolicies': true } }))).toHaveLength(1);
  });

  test('a construct\'s validation error is an exception', () => {
    expect(() => renderStackTemplate(new App(), (stack) => {
      new iam.Policy(stack, 'Empty', { force: true });
    })).toThrow(/Validation failed[\s\S]*StackSetTemplate\/Empty/);
  });
});

/** A template of exactly `bytes` bytes. */
function padded(bytes: number): string {
  const empty = JSON.stringify({ Resources: { Pad: { Type: 'AWS::CloudFormation::WaitConditionHandle', Metadata: '' } } });
  const body = JSON.stringify({ Resources: { Pad: { Type: 'AWS::CloudFormation::WaitConditionHandle', Metadata: 'x'.repeat(bytes - empty.length) } } });
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

describe('stackSetTemplateSource', () => {
  test('a template up to 51,200 bytes goes inline', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Admin');
    const body = padded(TEMPLATE_BODY_MAX_BYTES);
    // WHEN
    const source = stackSetTemplateSource(stack, 'Template', body);
    // THEN
    expect(source).toEqual({ templateBody: body });
  });

  test('a larger template becomes a file asset of the administrator\'s stack, referenced by TemplateURL', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Admin');
    const body = padded(TEMPLATE_BODY_MAX_BYTES + 1);
    // WHEN
    const source = stackSetTemplateSource(stack, 'Template', body);
    const properties = { StackSetName: 'big', PermissionModel: 'SERVICE_MANAGED', TemplateURL: source.templateUrl };
    new CfnResource(stack, 'StackSet', { type: 'AWS::CloudFormation::StackSet', properties });
    // THEN
    expect(source.templateBody).toBeUndefined();
    const url = JSON.stringify(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet'));
    expect(url).toMatch(/cdk-hnb659fds-assets-/);
    const dir = app.synth().directory;
    const staged = fs.readdirSync(dir).filter((f) => f.startsWith('asset.'));
    expect(staged.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))).toEqual([body]);
  });

  /** Temporary directories holding `body` as their template (other processes' templates never match). */
  function holding(body: string): string[] {
    return fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('lz-stackset-')).map((f) => path.join(os.tmpdir(), f))
      .filter((d) => { try { return fs.readFileSync(path.join(d, 'template.json'), 'utf8') === body; } catch { return false; } });
  }

  test('leaves no temporary directory behind (the asset is staged into the cloud assembly)', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Admin');
    const body = padded(TEMPLATE_BODY_MAX_BYTES + 1).replace(/x/g, 'y');
    // a run that failed here before (or a can-fail) may have left one behind: only this run's count
    const before = new Set(holding(body));
    // WHEN
    stackSetTemplateSource(stack, 'Template', body);
    // THEN
    expect(holding(body).filter((d) => !before.has(d))).toEqual([]);
    const dir = app.synth().directory;
    const staged = fs.readdirSync(dir).filter((f) => f.startsWith('asset.'));
    expect(staged.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))).toEqual([body]);
  });

  test('with asset staging disabled the file the asset points at stays', () => {
    // GIVEN
    const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
    const stack = new Stack(app, 'Admin');
    const body = padded(TEMPLATE_BODY_MAX_BYTES + 1).replace(/x/g, 'z');
    const before = new Set(holding(body));
    // WHEN
    stackSetTemplateSource(stack, 'Template', body);
    // THEN
    const kept = holding(body).filter((d) => !before.has(d));
    expect(kept).toHaveLength(1);
    fs.rmSync(kept[0], { recursive: true, force: true });
  });
});
