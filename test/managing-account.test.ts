import { App, Stack } from 'aws-cdk-lib';
import { exampleOrganization } from '../examples/landing-zone/organization';
import { Guardrail, GuardrailPolicies, GuardrailTarget, Organization, OrganizationProps, PermissionSetCatalog } from '../src';

// Organization policies are managed from the management account (or AWS Organizations' delegated policy
// administrator); permission sets from the Identity Center administrator account.
const INSTANCE = 'arn:aws:sso:::instance/ssoins-72230f3a2b8c1e9d';

function org(overrides: Partial<OrganizationProps> = {}): Organization {
  const base = exampleOrganization();
  return new Organization({
    rootId: base.rootId,
    managementAccount: base.managementAccount,
    organizationalUnits: base.organizationalUnits.map((o) => ({ path: o.path, ouId: o.ouId })),
    accounts: base.accounts.filter((a) => a.accountId !== base.managementAccount.accountId),
    ...overrides,
  });
}

function guardrails(account: string | undefined, organization = org()) {
  return () => new GuardrailPolicies(new Stack(new App(), 'S', account ? { env: { account, region: 'us-east-1' } } : {}), 'G', {
    organization, targets: [GuardrailTarget.organizationRoot()], guardrails: [Guardrail.denyLeavingOrganization()],
  });
}

function catalog(account: string | undefined, organization = org()) {
  return () => new PermissionSetCatalog(new Stack(new App(), 'S', account ? { env: { account, region: 'us-east-1' } } : {}), 'C', {
    organization, instanceArn: INSTANCE,
  });
}

describe('the account a construct manages the organization from', () => {
  test('fails when guardrails are in a stack of a member account', () => {
    expect(guardrails('555555555501')).toThrow(/S\/G: 1 problem:\n {2}- scope: service control policies are managed from the management account 000000000000, but the stack deploys to 555555555501: create the construct in a stack of the management account \(a LandingZone's managementStack\), or name the account AWS Organizations delegates policy management to as the organization model's policyAdministratorAccount/);
  });

  test('works in the management account, in the delegated policy administrator and in an environment-agnostic stack', () => {
    expect(guardrails('000000000000')).not.toThrow();
    expect(guardrails('222222222202', org({ policyAdministratorAccount: 'audit' }))).not.toThrow();
    expect(guardrails(undefined)).not.toThrow();
    expect(guardrails('555555555501', org({ policyAdministratorAccount: 'audit' })))
      .toThrow(/managed from the management account 000000000000 or the delegated policy administrator 'audit' 222222222202, but the stack deploys to 555555555501/);
  });

  test('fails when the organization model names an unknown policyAdministratorAccount', () => {
    expect(() => org({ policyAdministratorAccount: 'nobody' })).toThrow(/policyAdministratorAccount: account 'nobody' is not a member account of the organization/);
  });

  test('fails when a permission-set catalog is in a stack that is not the identity center administrator', () => {
    expect(catalog('555555555501')).toThrow(/S\/C: 1 problem:\n {2}- scope: identity center permission sets and assignments are managed from the management account 000000000000, but the stack deploys to 555555555501: create the catalog in a stack of that account/);
    expect(catalog('000000000000', org({ identityCenterAdminAccount: 'audit' })))
      .toThrow(/managed from the delegated identity center administrator 'audit' 222222222202, but the stack deploys to 000000000000/);
    expect(catalog('222222222202', org({ identityCenterAdminAccount: 'audit' }))).not.toThrow();
    expect(catalog(undefined)).not.toThrow();
  });
});
