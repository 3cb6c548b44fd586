// Acknowledging one LZ-SSO1 finding for one permission set, principal or OU of a catalog, and the plain rule id still
// acknowledging every one (as before findings named their permission set).
import { App, Stack, Validations } from 'aws-cdk-lib';
import { findingsOf, pathsOf } from './harness';
import { AccountSelection, IdentityCenterPrincipal, Organization, PermissionLevel, PermissionSetCatalog } from '../../src';

const OPS = '906720aa1c-5d1e3b2f-aaaa-bbbb-cccc-ddddeeeeffff';
const DEVS = '906720aa1c-5d1e3b2f-1111-2222-3333-444455556666';

function twoAdminSets() {
  const organization = new Organization({
    rootId: 'r-ab12',
    managementAccount: { accountId: '000000000000', name: 'management' },
    organizationalUnits: [{ path: 'Prod', ouId: 'ou-ab12-11111111' }, { path: 'Dev', ouId: 'ou-ab12-22222222' }],
    accounts: [
      { accountId: '200000000001', name: 'prod', organizationalUnit: 'Prod' },
      { accountId: '300000000001', name: 'dev', organizationalUnit: 'Dev' },
    ],
  });
  const app = new App();
  const stack = new Stack(app, 'IdentityCenter', { env: { account: '000000000000', region: 'us-east-1' } });
  const catalog = new PermissionSetCatalog(stack, 'Catalog', {
    organization,
    instanceArn: 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d',
    existingCustomerManagedPolicies: [{ name: 'lz-permissions-boundary', accounts: AccountSelection.allMemberAccounts() }],
  });
  const admin = catalog.addPermissionSet('Admin', { permissionLevel: PermissionLevel.admin(), permissionSetName: 'Admin' });
  const breakGlass = catalog.addPermissionSet('BreakGlass', { permissionLevel: PermissionLevel.admin(), permissionSetName: 'BreakGlass' });
  const everywhere = AccountSelection.allMemberAccounts();
  catalog.assign({ principal: IdentityCenterPrincipal.group(OPS), permissionSet: admin, accounts: everywhere });
  catalog.assign({ principal: IdentityCenterPrincipal.group(OPS), permissionSet: breakGlass, accounts: everywhere });
  catalog.assign({ principal: IdentityCenterPrincipal.group(DEVS), permissionSet: admin, accounts: AccountSelection.organizationalUnits(['Dev']) });
  return { app, catalog };
}

describe('acknowledging one LZ-SSO1 finding of a catalog', () => {
  test('findings name the permission set', () => {
    // GIVEN
    const { app } = twoAdminSets();
    // THEN
    expect(findingsOf('LZ-SSO1', app)).toEqual(['LZ-SSO1[PermissionSet::Admin]', 'LZ-SSO1[PermissionSet::BreakGlass]']);
  });

  test('catalog.acknowledge for one permission set: the other still fails', () => {
    // GIVEN
    const { app, catalog } = twoAdminSets();
    // WHEN
    catalog.acknowledge('LZ-SSO1', 'break-glass must work when the workflow does not', { permissionSetName: 'BreakGlass' });
    // THEN
    expect(findingsOf('LZ-SSO1', app)).toEqual(['LZ-SSO1[PermissionSet::Admin]']);
  });

  test('the finding id, acknowledged on the app, acknowledges that permission set only', () => {
    // GIVEN
    const { app } = twoAdminSets();
    // WHEN
    Validations.of(app).acknowledge({ id: 'LZ-SSO1[PermissionSet::BreakGlass]', reason: 'break-glass' });
    // THEN
    expect(findingsOf('LZ-SSO1', app)).toEqual(['LZ-SSO1[PermissionSet::Admin]']);
  });

  test('by principal and by OU: only those assignments, made before or after the call', () => {
    // GIVEN
    const { app, catalog } = twoAdminSets();
    // WHEN: Ops everywhere, and Admin in the Dev OU
    catalog.acknowledge('LZ-SSO1', 'ops on call', { principal: IdentityCenterPrincipal.group(OPS) });
    catalog.acknowledge('LZ-SSO1', 'dev accounts hold no data', { permissionSetName: 'Admin', organizationalUnit: 'Dev' });
    // THEN
    expect(findingsOf('LZ-SSO1', app)).toEqual([]);
  });

  test('by OU: assignments outside the OU still fail', () => {
    // GIVEN
    const { app, catalog } = twoAdminSets();
    // WHEN
    catalog.acknowledge('LZ-SSO1', 'dev accounts hold no data', { organizationalUnit: 'Dev' });
    // THEN
    expect(pathsOf('LZ-SSO1[PermissionSet::Admin]', app).map((p) => p.replace(/.*\//, ''))).toEqual([expect.stringMatching(/^Admin-G\w+-200000000001$/)]);
    expect(pathsOf('LZ-SSO1[PermissionSet::BreakGlass]', app).map((p) => p.replace(/.*\//, ''))).toEqual([expect.stringMatching(/-200000000001$/)]);
  });

  test('the plain rule id still acknowledges every finding of the rule below it, and CDK\'s qualified id anywhere', () => {
    // GIVEN
    const plain = twoAdminSets();
    const qualified = twoAdminSets();
    // WHEN
    Validations.of(plain.catalog).acknowledge({ id: 'LZ-SSO1', reason: 'reviewed' });
    Validations.of(qualified.app).acknowledge({ id: 'LandingZoneChecks::LZ-SSO1', reason: 'reviewed' });
    // THEN
    expect(findingsOf('LZ-SSO1', plain.app)).toEqual([]);
    expect(findingsOf('LZ-SSO1', qualified.app)).toEqual([]);
  });

  test('fails when the rule id, the selection or the reason is wrong, naming the field', () => {
    // GIVEN
    const { catalog } = twoAdminSets();
    // THEN
    expect(() => catalog.acknowledge('LZ-SSO9', 'x', { permissionSetName: 'Admin' }))
      .toThrow(/acknowledgements\[0\]\.ruleId: rule id 'LZ-SSO9' is not a rule of the landing zone rule pack; give one of LZ-IAM1/);
    expect(() => catalog.acknowledge('LZ-SSO1', ' ', { permissionSetName: 'Admin' })).toThrow(/acknowledgements\[0\]\.reason: /);
    expect(() => catalog.acknowledge('LZ-SSO1', 'x', {})).toThrow(/give permissionSetName, principal or organizationalUnit/);
    expect(() => catalog.acknowledge('LZ-SSO1', 'x', { organizationalUnit: 'Prdo' })).toThrow(/organizationalUnit: ou 'Prdo' is not defined/);
  });

  test('fails at synth when an acknowledgement matches nothing (a typo would leave the finding open or, worse, hide it)', () => {
    // GIVEN
    const { app, catalog } = twoAdminSets();
    // WHEN
    catalog.acknowledge('LZ-SSO1', 'x', { permissionSetName: 'Admni' });
    // THEN
    expect(() => app.synth()).toThrow(/acknowledgements\[0\]: 'LZ-SSO1' for permission set 'Admni' matches no assignment or permission set of the catalog/);
  });
});
