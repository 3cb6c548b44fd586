/**
 * SCP helpers for semantic tests: read the service control policies out of synthesized templates and build the
 * policy set that applies to one account (root first, then each OU down to the account), each level beside AWS's
 * default `FullAWSAccess`, ready for `simulate()` from `./iam-sim`.
 */
import { FULL_AWS_ACCESS, NamedPolicy, PolicyJson, ScpLevel, SimOrganization } from './iam-sim';
import { Organization } from '../../src';

/** One `AWS::Organizations::Policy` of a template. */
export interface SynthesizedScp {
  readonly logicalId: string;
  readonly name: string;
  readonly targetIds: string[];
  /** The policy text as AWS stores it (minified JSON). */
  readonly content: string;
  readonly policy: PolicyJson;
}

/** Every service control policy of the templates (`Template.fromStack(stack).toJSON()`). */
export function synthesizedScps(...templates: any[]): SynthesizedScp[] {
  const out: SynthesizedScp[] = [];
  for (const template of templates) {
    for (const [logicalId, r] of Object.entries<any>(template.Resources ?? {})) {
      if (r.Type !== 'AWS::Organizations::Policy' || r.Properties?.Type !== 'SERVICE_CONTROL_POLICY') continue;
      const raw = r.Properties.Content;
      const content = typeof raw === 'string' ? JSON.stringify(JSON.parse(raw)) : JSON.stringify(raw);
      if (/"(Ref|Fn::[A-Za-z]+)":/.test(content)) {
        throw new Error(`scp ${logicalId} holds CloudFormation expressions; resolve them before simulating`);
      }
      out.push({ logicalId, name: r.Properties.Name, targetIds: r.Properties.TargetIds ?? [], content, policy: JSON.parse(content) });
    }
  }
  return out;
}

/**
 * The SCP levels that apply to an account: the root, every OU from the top down to the account's OU, and the
 * account itself, each with `FullAWSAccess` plus the SCPs attached to it.
 */
export function scpLevelsForAccount(organization: Organization, account: string, scps: SynthesizedScp[]): ScpLevel[] {
  const a = organization.findAccount(account);
  const ids = [organization.rootId];
  const path = a.organizationalUnit ?? '';
  if (path !== '') {
    const segments = path.split('/');
    for (let i = 1; i <= segments.length; i++) {
      ids.push(organization.findOrganizationalUnit(segments.slice(0, i).join('/')).ouId);
    }
  }
  ids.push(a.accountId);
  return ids.map((id) => ({
    target: id,
    policies: [
      FULL_AWS_ACCESS,
      ...scps.filter((s) => s.targetIds.includes(id)).map((s): NamedPolicy => ({ name: s.name, policy: s.policy })),
    ],
  }));
}

/** An administrator's identity policy, so only the SCPs can deny. */
export const ADMIN_IDENTITY: NamedPolicy = {
  name: 'AdministratorAccess',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** The example's (or any model's) organization as the simulator needs it, for the organization condition keys. */
export function simOrganization(organization: Organization): SimOrganization {
  if (!organization.organizationId) throw new Error('the organization model has no organizationId');
  return { id: organization.organizationId, accountIds: organization.accounts.map((a) => a.accountId) };
}
