import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sso from 'aws-cdk-lib/aws-sso';
import { addIdentityCenter } from '../examples/landing-zone/identity-center';
import { exampleOrganization } from '../examples/landing-zone/organization';

describe('example landing zone: identity center', () => {
  // GIVEN the example organization
  const app = new App();
  const catalog = addIdentityCenter(app, exampleOrganization());
  const stack = Stack.of(catalog);
  // WHEN synthesized (fails on any validation problem)
  const assembly = app.synth();

  /** account id -> sorted `permissionSet` names assigned there (by the permission set construct id). */
  function byAccount(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const a of catalog.node.findAll().filter((c): c is sso.CfnAssignment => c instanceof sso.CfnAssignment)) {
      const ps = catalog.permissionSets.find((p) => p.permissionSetArn === a.permissionSetArn)!;
      (out[a.targetId] ??= []).push(ps.permissionSetName);
    }
    for (const k of Object.keys(out)) out[k].sort();
    return out;
  }

  test('deploys the Admin, Power, ReadOnly, Ssm and OrgAdmin permission sets in the management account', () => {
    // THEN
    expect(stack.account).toBe('000000000000');
    const names = Object.values(Template.fromStack(stack).findResources('AWS::SSO::PermissionSet')).map((r: any) => r.Properties.Name).sort();
    expect(names).toEqual(['Admin', 'OrgAdmin', 'Power', 'ReadOnly', 'Ssm']);
  });

  test('assigns across the OUs as designed', () => {
    // THEN
    const got = byAccount();
    expect(got['000000000000']).toEqual(['OrgAdmin']);
    expect(got['444444444401']).toEqual(['Admin', 'Power', 'ReadOnly']); // shop-dev: NonProd
    expect(got['555555555501']).toEqual(['Admin', 'ReadOnly', 'ReadOnly', 'Ssm']); // shop-prod: developers and auditors read
    expect(got['555555555503']).toEqual(['Admin', 'ReadOnly', 'Ssm']); // payments-prod: developers excluded
    expect(got['666666666601']).toBeUndefined(); // the suspended account gets nothing
    expect(got['333333333301']).toEqual(['Admin', 'Power', 'ReadOnly']); // sandbox
  });

  test('every stack stays under 450 resources', () => {
    // THEN
    for (const s of assembly.stacks) {
      expect(Object.keys((s.template as any).Resources).length).toBeLessThanOrEqual(450);
    }
    const nested = catalog.node.children.filter((c) => Stack.isStack(c)) as Stack[];
    for (const n of nested) expect(Object.keys(Template.fromStack(n).toJSON().Resources).length).toBeLessThanOrEqual(450);
  });
});
