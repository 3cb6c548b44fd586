import { App, Stack } from 'aws-cdk-lib';
import { Organization } from '../../src';

/** A small organization: management, a jump account in Security, workloads nested two levels deep. */
export function testOrganization(): Organization {
  return new Organization({
    rootId: 'r-ab12',
    managementAccount: { accountId: '000000000000', name: 'management' },
    jumpAccount: { accountId: '111111111111', name: 'jump', organizationalUnit: 'Security' },
    organizationalUnits: [
      { path: 'Security', ouId: 'ou-ab12-securit1' },
      { path: 'Workloads', ouId: 'ou-ab12-11111111' },
      { path: 'Workloads/Prod', ouId: 'ou-ab12-22222222' },
    ],
    accounts: [
      { accountId: '222222222222', name: 'app-dev', organizationalUnit: 'Workloads' },
      { accountId: '333333333333', name: 'app-prod', organizationalUnit: 'Workloads/Prod' },
    ],
    externalAccounts: [{ accountId: '888888888888', name: 'partner' }],
  });
}

/** A stack in the management account, where guardrail policies are deployed. */
export function managementStack(app = new App()): Stack {
  return new Stack(app, 'Guardrails', { env: { account: '000000000000', region: 'us-east-1' } });
}
