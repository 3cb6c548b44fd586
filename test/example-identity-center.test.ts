import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sso from 'aws-cdk-lib/aws-sso';
import { exampleLandingZone } from './helpers/example';

describe('example landing zone: identity center', () => {
  // GIVEN the example (synthesis fails on any validation problem)
  const ex = exampleLandingZone();
  const catalog = ex.lz.permissionSetCatalog!;
  const assembly = ex.app.synth();

  /** account id -> sorted permission set names assigned there. */
  function byAccount(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const a of catalog.node.findAll().filter((c): c is sso.CfnAssignment => c instanceof sso.CfnAssignment)) {
      const ps = catalog.permissionSets.find((p) => p.permissionSetArn === a.permissionSetArn)!;
      (out[a.targetId] ??= []).push(ps.permissionSetName);
    }
    for (const k of Object.keys(out)) out[k].sort();
    return out;
  }

  test('deploys the Admin, Power, ReadOnly and Ssm permission sets in the Identity Center account', () => {
    // the example delegates Identity Center to the audit account
    expect(Stack.of(catalog).account).toBe('222222222202');
    const names = Object.values(ex.template('Lz-IdentityCenter').findResources('AWS::SSO::PermissionSet')).map((r: any) => r.Properties.Name).sort();
    expect(names).toEqual(['Admin', 'Power', 'ReadOnly', 'Ssm']);
  });

  test('assigns across the OUs as designed, and Admin only through elevated access', () => {
    const got = byAccount();
    expect(got['444444444401']).toEqual(['Power', 'Power', 'ReadOnly']); // shop-dev: platform + developers, auditors
    expect(got['555555555501']).toEqual(['ReadOnly', 'ReadOnly', 'Ssm']); // shop-prod: developers and auditors read, on-call
    expect(got['555555555503']).toEqual(['ReadOnly', 'Ssm']); // payments-prod: developers excluded
    expect(got['666666666601']).toBeUndefined(); // the suspended account gets nothing
    expect(got['000000000000']).toBeUndefined(); // nothing standing in the management account
    expect(Object.values(got).flat()).not.toContain('Admin');
  });

  test('every stack stays under 450 resources', () => {
    for (const s of assembly.stacks) {
      expect(Object.keys((s.template as any).Resources ?? {}).length).toBeLessThanOrEqual(450);
    }
    const nested = catalog.node.findAll().filter((c): c is Stack => Stack.isStack(c) && c.nested);
    expect(nested.length).toBeGreaterThan(0);
    for (const n of nested) expect(Object.keys(Template.fromStack(n).toJSON().Resources).length).toBeLessThanOrEqual(450);
  });
});
