// Identity Center ids and accounts of the elevated-access tests, without any import (fast to load in every test run).
export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
export const IDENTITY_STORE_ID = 'd-1234567890';
export const GROUP_ONCALL = '11111111-1111-1111-1111-111111111111';
export const GROUP_LEADS = '22222222-2222-2222-2222-222222222222';
export const USER_ALICE = '33333333-3333-3333-3333-333333333301';
export const USER_BOB = '33333333-3333-3333-3333-333333333302';
export const USER_CAROL = '33333333-3333-3333-3333-333333333303';
/** The delegated Identity Center administrator of the example organization, which hosts the workflow. */
export const HOST_ACCOUNT = '222222222202';
export const READ_ONLY_ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0000000000000002';

/** Where the example organization keeps things, as AWS Organizations names them (rules that follow OUs). */
export const EXAMPLE_PLACES = {
  root: 'r-ex01',
  workloads: 'ou-ex01-workload',
  prod: 'ou-ex01-prod0001',
  nonProd: 'ou-ex01-nonprod1',
  management: '000000000000',
  shopProd: '555555555501',
  paymentsProd: '555555555503',
  /** Joined the organization, in Workloads/Prod, after the synth: no model the workflow saw lists it. */
  later: '555555555599',
};
