// A world for the API of jump-account users: the tables on the DynamoDB-compatible server, a configuration with jump
// rules, and IAM (the group reader), STS and Step Functions mocked (no state machine runs).
import './env';
import { GetRoleCommand, IAMClient, ListGroupsForUserCommand } from '@aws-sdk/client-iam';
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { GROUP_LEADS, HOST_ACCOUNT } from './ids';
import { named, World } from './world';
import type { JumpAccessConfig } from '../../src/elevated-access/handlers/jump-grants';
import type { AccessConfig } from '../../src/elevated-access/handlers/policy';
import { resetConfigCache } from '../../src/elevated-access/handlers/store';

export const JUMP = '111111111111';
export const PROD = '555555555501';
export const DEV = '555555555502';
export const PS = 'arn:aws:sso:::permissionSet/ssoins-1/ps-1';
/** A jump user IAM no longer knows. */
export const DELETED_USER = 'acme-gone';
/** IAM groups of the jump users (the group reader's answer). */
export const JUMP_GROUPS: Record<string, string[]> = {
  'acme-alice': ['vendors'],
  'globex-bob': ['vendors', 'vendor-leads'],
  'acme-carol': ['vendor-leads'],
  // a group named like an identity store group id: names are not ids
  'mallory': [GROUP_LEADS],
};
const JUMP_CONFIG: JumpAccessConfig = {
  jumpAccountId: JUMP,
  partition: 'aws',
  elevatedSessionSeconds: 3600,
  eligibility: [{
    name: 'vendors-power',
    principals: [{ type: 'GROUP', name: 'vendors' }],
    accounts: [PROD],
    roles: ['lz-elevated-power'],
    maxDurationSeconds: 7200,
    approvals: 2,
    justificationRequired: true,
  }],
  approverRules: [{
    name: 'leads',
    jumpApprovers: [{ type: 'GROUP', name: 'vendor-leads' }],
    identityCenterApprovers: [{ type: 'GROUP', id: GROUP_LEADS }],
    accounts: [PROD],
    roles: ['lz-elevated-power'],
  }],
};
export const CONFIG: AccessConfig = {
  version: 1,
  pendingExpirySeconds: 3600,
  maxScheduleAheadSeconds: 0,
  permissionSets: { [PS]: { name: 'Admin', instanceArn: 'arn:aws:sso:::instance/ssoins-1', sessionSeconds: 7200 } },
  eligibility: [],
  approverRules: [{ name: 'ic-leads', approvers: [{ type: 'GROUP', id: GROUP_LEADS }], accounts: [PROD], permissionSets: [PS] }],
  jump: JUMP_CONFIG,
};
export const JUSTIFICATION = 'deploy the hotfix for ticket 42';

/** The world and its mocks; `started` lists the executions the API started. */
export interface JumpWorld {
  readonly world: World;
  readonly iam: AwsClientStub<IAMClient>;
  readonly started: string[];
  useConfig(config: AccessConfig): Promise<void>;
  restore(): void;
}

export async function jumpWorld(): Promise<JumpWorld> {
  const world = await World.create();
  // replaces the world's own IAM and Step Functions mocks: this world has no state machine
  const iam = mockClient(IAMClient);
  const sts = mockClient(STSClient);
  const sfn = mockClient(SFNClient);
  const started: string[] = [];
  iam.on(GetRoleCommand).callsFake(async (input: any) => ({ Role: { RoleName: input.RoleName, Path: '/aws-reserved/sso.amazonaws.com/' } }));
  iam.on(ListGroupsForUserCommand).callsFake(async (input: any) => {
    if (input.UserName === DELETED_USER) throw named('NoSuchEntityException', `The user with name ${DELETED_USER} cannot be found.`);
    return { Groups: (JUMP_GROUPS[input.UserName] ?? []).map((GroupName) => ({ GroupName })) };
  });
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date() } });
  sfn.on(StartExecutionCommand).callsFake(async (input: any) => {
    started.push(input.name);
    return { executionArn: `arn:aws:states:eu-west-1:${HOST_ACCOUNT}:execution:access:${input.name}` };
  });
  sfn.on(SendTaskSuccessCommand).resolves({});
  process.env.JUMP_ACCOUNT_ID = JUMP;
  process.env.JUMP_READER_ROLE_ARN = `arn:aws:iam::${JUMP}:role/landing-zone/lz-jump-group-reader`;
  const useConfig = async (config: AccessConfig) => {
    await world.put('requests', { requestId: '#config', config: JSON.stringify(config) });
    resetConfigCache();
  };
  await useConfig(CONFIG);
  return {
    world,
    iam,
    started,
    useConfig,
    restore: () => {
      for (const m of [iam, sts, sfn]) m.restore();
      world.restore();
    },
  };
}
