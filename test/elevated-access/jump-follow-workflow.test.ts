// jumpAccess.followOrganizationalUnits, run locally: the synthesized state machine with the real handlers grants a
// jump user the elevated role of an account that joined Workloads/Prod after the synth (Organizations mocked), and
// ends it; an account moved out before the grant gets nothing. Named after what must not happen.
import { App, Stack } from 'aws-cdk-lib';
import { defaultProps, HOST_ACCOUNT, jumpAccess } from './fixture';
import { EXAMPLE_PLACES } from './ids';
import { OrganizationMock } from './organization-mock';
import { jumpSetup, storedJumpRequest, World } from './world';
import { ElevatedAccessWorkflow } from '../../src';
import { GRANT_POLICY_PREFIX } from '../../src/elevated-access/handlers/jump-grants';
import { resetParentsCache } from '../../src/elevated-access/handlers/organization-parents';

const { root: ROOT, workloads: WORKLOADS, prod: PROD_OU, nonProd: NONPROD_OU, later: LATER } = EXAMPLE_PLACES;
const ROLE = 'lz-elevated-power';

function synth(): Stack {
  const app = new App();
  const stack = new Stack(app, 'Access', { env: { account: HOST_ACCOUNT, region: 'eu-west-1' } });
  new ElevatedAccessWorkflow(stack, 'Workflow', defaultProps({
    jumpAccess: jumpAccess(app, { followOrganizationalUnits: true, revokersByOrganization: true }),
  }));
  return stack;
}

describe('jumpAccess.followOrganizationalUnits: an account added to Workloads/Prod after the synth (run locally)', () => {
  const stack = synth();
  const organizations = new OrganizationMock();
  const { placement } = organizations;
  let world: World;
  let seq = 0;
  beforeEach(async () => {
    world = await World.create(stack);
    jumpSetup(world, stack);
    resetParentsCache();
    organizations.reset();
    placement.set(LATER, [PROD_OU, WORKLOADS, ROOT]);
  });
  afterEach(() => world.restore());
  afterAll(() => organizations.restore());

  async function requested(accountId = LATER): Promise<string> {
    const requestId = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
    await world.startDirect(storedJumpRequest(requestId, { accountId, permissionSetArn: `arn:aws:iam::${accountId}:role/${ROLE}` }));
    return requestId;
  }
  const grantsOf = () => [...(world.userPolicies.get('acme-alice')?.keys() ?? [])];

  test('approved, granted on the new account\'s elevated role, ended with a session deny on it', async () => {
    // GIVEN
    const id = await requested();
    await world.waiting(id, 'APPROVAL');

    // WHEN
    await world.approveJump(id);
    await world.waiting(id, 'END');
    const grant = world.userPolicies.get('acme-alice')?.get(`${GRANT_POLICY_PREFIX}${id}`);
    world.timeOut(id);
    await world.executions.get(id);

    // THEN
    expect(grant.Statement[0]).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${LATER}:role/${ROLE}` });
    expect(grantsOf()).toEqual([]);
    // the session deny on the new account's role, written and removed (the revoker is assumed by the task's credentials)
    const iamTasks = world.trace.filter((t) => t.requestId === id).map((t) => t.state).filter((st) => ['PutSessionDeny', 'DeleteSessionDeny'].includes(st));
    expect(iamTasks).toEqual(['PutSessionDeny', 'DeleteSessionDeny']);
    expect(world.transitions(id)).toEqual(['GRANTED', 'REVOKED']);
    expect(organizations.calls).toContain(LATER);
  });

  test('attack: an account moved out of the OU between the approval and the grant gets no grant (the recheck reads Organizations again)', async () => {
    // GIVEN
    world.beforeTask = async (state) => {
      if (state !== 'Recheck') return;
      placement.set(LATER, [NONPROD_OU, WORKLOADS, ROOT]);
      resetParentsCache();
    };
    const id = await requested();
    await world.waiting(id, 'APPROVAL');

    // WHEN
    await world.approveJump(id);

    // THEN
    await expect(world.executions.get(id)).rejects.toThrow(/no eligibility rule allows jump user 'acme-alice' role 'lz-elevated-power' on account '555555555599'/);
    expect(grantsOf()).toEqual([]);
    expect(world.transitions(id)).not.toContain('GRANTED');
  });

  test('attack: an account Organizations places elsewhere is refused at validation, before any approval', async () => {
    placement.set('444444444499', [NONPROD_OU, WORKLOADS, ROOT]);
    const id = await requested('444444444499');
    await expect(world.executions.get(id)).rejects.toThrow(/no eligibility rule allows .* on account '444444444499'/);
    expect(grantsOf()).toEqual([]);
  });

  test('attack: when Organizations cannot be read, nothing is granted', async () => {
    organizations.fail();
    const id = await requested();
    await expect(world.executions.get(id)).rejects.toThrow();
    expect(grantsOf()).toEqual([]);
    expect(world.transitions(id)).not.toContain('GRANTED');
  });
});
