// The example's jump elevated access: the two vendors may request Power on Workloads/Prod for at most 2 hours with one
// approval by a break-glass admin; the landing zone deploys the elevated roles there and the grant writer.
import { Stack } from 'aws-cdk-lib';
import { exampleLandingZone } from './helpers/example';

const ex = exampleLandingZone();
const PROD = ['shop-prod', 'data-prod', 'payments-prod'];
const prodIds = PROD.map((n) => ex.lz.organization.findAccount(n).accountId);

// the compiled rules the handlers read, as the workflow writes them (one item of its requests table): the custom
// resource's call, with CloudFormation expressions (names of the table, the partition) as placeholders
function compiledConfig(): any {
  const t = ex.template('Lz-ElevatedAccess').toJSON();
  for (const r of Object.values<any>(t.Resources)) {
    const create = r.Properties?.Create;
    if (r.Type !== 'Custom::AWS' || create === undefined) continue;
    const text = typeof create === 'string' ? create : create['Fn::Join'][1].map((p: unknown) => typeof p === 'string' ? p : 'x').join('');
    if (!text.includes('#config')) continue;
    return JSON.parse(JSON.parse(text).parameters.Item.config.S);
  }
  throw new Error('no configuration item in Lz-ElevatedAccess');
}

describe('the example: jump users\' elevated access', () => {
  test('the two vendors may request Power on every Workloads/Prod account, for at most 2 hours, with one approval', () => {
    // WHEN
    const jump = compiledConfig().jump;

    // THEN
    const rule = jump.eligibility.find((r: any) => r.name === 'vendors-prod-power');
    expect(rule.principals).toEqual([{ type: 'GROUP', name: 'vendor-acme' }, { type: 'GROUP', name: 'vendor-globex' }]);
    expect([...rule.accounts].sort()).toEqual([...prodIds].sort());
    expect(rule.roles).toEqual(['lz-elevated-power']);
    expect(rule.maxDurationSeconds).toBe(2 * 3600);
    expect(rule.approvals).toBe(1);
    // approved by a break-glass admin (never the requesting groups)
    expect(jump.approverRules.map((a: any) => a.jumpApprovers)).toEqual([[{ type: 'GROUP', name: 'break-glass' }]]);
  });

  test('every Workloads/Prod account gets a stack with lz-elevated-power and the revoker, after the Workloads baseline', () => {
    for (const [i, name] of PROD.entries()) {
      // WHEN
      const stack = ex.stack(`Lz-JumpElevated-${name}`);
      const roles = Object.values<any>(ex.template(`Lz-JumpElevated-${name}`).findResources('AWS::IAM::Role')).map((r) => r.Properties.RoleName);

      // THEN
      expect(stack.account).toBe(prodIds[i]);
      expect(roles.sort()).toEqual(['lz-elevated-power', 'lz-elevated-revoker']);
      expect(stack.dependencies.map((s: Stack) => s.stackName)).toContain('Lz-Ou-Workloads');
    }
    expect(ex.stacks.filter((s) => s.stackName.startsWith('Lz-JumpElevated-')).map((s) => s.stackName).sort())
      .toEqual(PROD.map((n) => `Lz-JumpElevated-${n}`).sort());
  });

  test('the jump account holds the grant writer, and every user carries the jump user boundary', () => {
    // WHEN
    const t = ex.template('Lz-JumpAccount');

    // THEN
    t.hasResourceProperties('AWS::IAM::Role', { RoleName: 'lz-elevated-grant-writer' });
    const users = Object.values<any>(t.findResources('AWS::IAM::User'));
    expect(users).toHaveLength(6);
    for (const u of users) expect(u.Properties.PermissionsBoundary).toBeDefined();
  });
});
