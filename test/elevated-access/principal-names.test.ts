// Elevated-access principals by display name: resolved like the permission-set catalog resolves them (one identity
// store lookup per name), instead of refused.
import { Template } from 'aws-cdk-lib/assertions';
import { defaultProps, IDENTITY_STORE_ID, workflowStack } from './fixture';
import { IdentityCenterPrincipal } from '../../src';

const named = (requesters: IdentityCenterPrincipal, ...approvers: IdentityCenterPrincipal[]) => {
  const props = defaultProps();
  return {
    eligibility: props.eligibility.map((r) => ({ ...r, principals: [requesters] })),
    approvers: props.approvers!.map((r) => ({ ...r, approvers })),
  };
};

describe('elevated-access principals by name', () => {
  test('works when requesters and approvers are given by display name: one lookup per name, the ids in the rules', () => {
    // GIVEN
    const { stack } = workflowStack(named(IdentityCenterPrincipal.groupNamed('On-Call'), IdentityCenterPrincipal.groupNamed('Prod Leads')));
    // WHEN
    const template = Template.fromStack(stack);
    // THEN: one resolver per name, asking the workflow's identity store, as the catalog does
    const resolvers = Object.values(template.findResources('Custom::IdentityStorePrincipal'));
    const calls = resolvers.map((r) => JSON.parse(JSON.stringify(r.Properties.Create)));
    const flat = JSON.stringify(calls);
    expect(resolvers).toHaveLength(2);
    expect(flat).toContain('\\"AttributeValue\\":\\"On-Call\\"');
    expect(flat).toContain('\\"AttributeValue\\":\\"Prod Leads\\"');
    expect(flat).toContain(`\\"IdentityStoreId\\":\\"${IDENTITY_STORE_ID}\\"`);
    // the compiled configuration and the requester/approver assignments take the resolved ids
    const config = JSON.stringify(template.findResources('Custom::AWS'));
    expect(config).toMatch(/putItem.*Resolve.*GroupId/);
    const assignments = Object.values(template.findResources('AWS::SSO::Assignment'));
    expect(assignments).toHaveLength(2);
    for (const a of assignments) expect(JSON.stringify(a.Properties.PrincipalId)).toMatch(/Fn::GetAtt.*Resolve.*GroupId/);
  });

  test('works when approvers are users by user name, the quorum counted over them: one lookup per name', () => {
    // GIVEN
    const users = ['alice', 'bob', 'carol'].map((u) => IdentityCenterPrincipal.userNamed(u));
    const { stack } = workflowStack(named(IdentityCenterPrincipal.groupNamed('On-Call'), ...users, users[0]));
    // THEN
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('Custom::IdentityStorePrincipal'))).toHaveLength(4);
    expect(JSON.stringify(template.toJSON())).toContain('identitystore:GetUserId');
  });

  test('fails when the same group by name is requester and sole approver (names compare like ids)', () => {
    // GIVEN
    const same = IdentityCenterPrincipal.groupNamed('On-Call');
    // THEN
    expect(() => workflowStack(named(same, IdentityCenterPrincipal.groupNamed('On-Call')))).toThrow(/eligibility\['oncall-read-only'\]\.approval: the only approvers of .* are the requesting groups themselves/);
  });

  test('fails when a name is malformed, naming the field and the value', () => {
    // GIVEN
    const bad = IdentityCenterPrincipal.groupNamed(' On-Call');
    // THEN
    expect(() => workflowStack(named(bad, IdentityCenterPrincipal.groupNamed('Prod Leads'))))
      .toThrow(/eligibility\['oncall-read-only'\]\.principals\[0\]: group display name ' On-Call' must be 1-1024 characters without leading or trailing spaces/);
  });
});
