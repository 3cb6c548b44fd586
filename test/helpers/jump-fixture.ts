import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TemplatePolicies } from './iam-sim';
import { exampleOrganization } from '../../examples/landing-zone/organization';
import { AccountSelection, CrossAccountRole, JumpAccount, JumpAccountProps, Organization, PermissionLevel } from '../../src';

export const JUMP = '111111111111';
export const SHOP_DEV = '444444444401';
export const SHOP_PROD = '555555555501';
export const SANDBOX_ALICE = '333333333301';
export const ACQUIRED = '888888888801';
export const OUTSIDER = '999999999999';

/** A jump account with two groups and their target roles, over the example organization. */
export interface JumpFixture {
  readonly app: App;
  readonly org: Organization;
  readonly jump: JumpAccount;
  readonly jumpStack: Stack;
  readonly jumpPolicies: TemplatePolicies;
  /** Target stacks by account id. */
  readonly targets: Map<string, Stack>;
  /** Template policies of each target stack, by account id. */
  targetPolicies(accountId: string): TemplatePolicies;
}

/**
 * vendor-acme: Power in Workloads/NonProd, ReadOnly in Workloads/Prod, from 203.0.113.0/24 only.
 * auditors: ReadOnly in all of Workloads plus the external acquired-co-prod account.
 * Users: alice (vendor-acme), bob (auditors), carol (both), robot (auditors, programmatic only).
 * Every account of Workloads (and acquired-co-prod) deploys lz-power and lz-read-only.
 */
export function buildJumpFixture(overrides: Partial<JumpAccountProps> = {}): JumpFixture {
  const app = new App();
  const org = exampleOrganization();
  const jumpStack = new Stack(app, 'Jump', { env: { account: JUMP, region: 'eu-west-1' } });
  const jump = new JumpAccount(jumpStack, 'JumpAccount', {
    organization: org,
    groups: [
      {
        groupName: 'vendor-acme',
        targets: [
          { accounts: AccountSelection.organizationalUnits(['Workloads/NonProd']), permissionLevels: [PermissionLevel.power()] },
          { accounts: AccountSelection.organizationalUnits(['Workloads/Prod']), permissionLevels: [PermissionLevel.readOnly()] },
        ],
        allowedSourceCidrs: ['203.0.113.0/24'],
      },
      {
        groupName: 'auditors',
        targets: [{
          accounts: AccountSelection.union([
            AccountSelection.organizationalUnits(['Workloads']),
            AccountSelection.accounts(['acquired-co-prod']),
          ]),
          permissionLevels: [PermissionLevel.readOnly()],
        }],
      },
    ],
    users: [
      { userName: 'alice', groups: ['vendor-acme'] },
      { userName: 'bob', groups: ['auditors'] },
      { userName: 'carol', groups: ['vendor-acme', 'auditors'] },
      { userName: 'robot', groups: ['auditors'], consoleAccess: false },
    ],
    ...overrides,
  });
  const targets = new Map<string, Stack>();
  const accounts = [...org.accountsIn('Workloads'), org.findAccount('acquired-co-prod')];
  for (const a of accounts) {
    const stack = new Stack(app, `Target-${a.name}`, { env: { account: a.accountId, region: 'eu-west-1' } });
    new CrossAccountRole(stack, 'Power', { jumpAccount: jump, permissionLevel: PermissionLevel.power() });
    new CrossAccountRole(stack, 'ReadOnly', { jumpAccount: jump, permissionLevel: PermissionLevel.readOnly() });
    targets.set(a.accountId, stack);
  }
  const cache = new Map<string, TemplatePolicies>();
  return {
    app,
    org,
    jump,
    jumpStack,
    jumpPolicies: new TemplatePolicies(Template.fromStack(jumpStack).toJSON(), { accountId: JUMP }),
    targets,
    targetPolicies(accountId: string) {
      if (!cache.has(accountId)) {
        cache.set(accountId, new TemplatePolicies(Template.fromStack(targets.get(accountId)!).toJSON(), { accountId }));
      }
      return cache.get(accountId)!;
    },
  };
}
