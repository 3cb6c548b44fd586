import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { exampleOrganization } from '../examples/landing-zone/organization';
import { AccountSelection, CrossAccountRole, JumpAccount, LandingZone, PermissionLevel } from '../src';

// Names the library reads (limits, uniqueness, construct ids) must be literals: a token fails naming the field.
const TOKEN = "'\\$\\{Token\\[.*\\]\\}' is an unresolved token, but the library needs the literal name to check its limits and uniqueness and to name constructs after it: pass a plain string";

function tokenIn(stack: Stack, id = 'Name'): string {
  return new CfnParameter(stack, id).valueAsString;
}

describe('names from unresolved tokens', () => {
  test('fails when a CrossAccountRole roleName is a token', () => {
    const stack = new Stack(new App(), 'Target', { env: { account: '444444444401', region: 'us-east-1' } });
    expect(() => new CrossAccountRole(stack, 'Role', {
      jumpAccount: JumpAccount.fromAccountId(stack, 'Jump', '111111111111'),
      permissionLevel: PermissionLevel.readOnly(),
      roleName: tokenIn(stack),
    })).toThrow(new RegExp(`Target/Role: 1 problem:\\n {2}- roleName: role name ${TOKEN}`));
  });

  test('fails when a jump group, a jump user or a target role name is a token', () => {
    const app = new App();
    const scratch = new Stack(app, 'Params');
    expect(() => new LandingZone(app, 'Lz', {
      organization: exampleOrganization(),
      jumpAccount: {
        groups: [{
          groupName: tokenIn(scratch, 'Group'),
          targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), roleNames: [tokenIn(scratch, 'Role')] }],
        }],
        users: [{ userName: tokenIn(scratch, 'User'), groups: [] }],
      },
    })).toThrow(new RegExp(`groups\\[0\\]\\.groupName: group name ${TOKEN}[\\s\\S]*groups\\[0\\]\\.targets\\[0\\]\\.roleNames\\[0\\]: role name ${TOKEN}[\\s\\S]*users\\[0\\]\\.userName: user name ${TOKEN}`));
  });

  test('fails when an OU target role name is a token', () => {
    const app = new App();
    const lz = new LandingZone(app, 'Lz', {
      organization: exampleOrganization(),
      jumpAccount: { groups: [{ groupName: 'ops', targets: [{ accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [PermissionLevel.readOnly()] }] }] },
    });
    const name = tokenIn(lz.managementStack);
    expect(() => lz.addOrganizationalUnit('Workloads/Prod', { targetRoles: [{ permissionLevel: PermissionLevel.readOnly(), roleName: name }] }))
      .toThrow(new RegExp(`Lz/Ou-Workloads-Prod: 1 problem:\\n {2}- targetRoles\\[0\\]\\.roleName: role name ${TOKEN}`));
  });
});
