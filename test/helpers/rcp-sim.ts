/**
 * Resource control policies in semantic tests: read the RCPs out of synthesized templates, build the levels that apply
 * to a resource's account, and evaluate a request with identity, resource, SCP and RCP policies together
 * (`@cloud-copilot/iam-simulate` adds `RCPFullAWSAccess` at every level itself, as AWS attaches it).
 * `./iam-sim`'s `simulate` passes no RCPs; this helper is its RCP-aware sibling for the data-perimeter tests.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Decision, NamedPolicy, PolicyJson, ScpLevel } from './iam-sim';
import { Organization } from '../../src';

/** The ids from the root down to the account: root, each OU of the account's path, the account. */
export function levelIds(organization: Organization, account: string): string[] {
  const a = organization.findAccount(account);
  const ids = [organization.rootId];
  const path = a.organizationalUnit ?? '';
  if (path !== '') {
    const segments = path.split('/');
    for (let i = 1; i <= segments.length; i++) ids.push(organization.findOrganizationalUnit(segments.slice(0, i).join('/')).ouId);
  }
  ids.push(a.accountId);
  return ids;
}

/** Every `AWS::Organizations::Policy` of the given type in the templates, as named policies with their targets. */
export function synthesizedPolicies(type: 'RESOURCE_CONTROL_POLICY' | 'SERVICE_CONTROL_POLICY', ...templates: any[]): Array<NamedPolicy & { targetIds: string[] }> {
  const out: Array<NamedPolicy & { targetIds: string[] }> = [];
  for (const t of templates) {
    for (const [id, r] of Object.entries<any>(t.Resources ?? {})) {
      if (r.Type !== 'AWS::Organizations::Policy' || r.Properties?.Type !== type) continue;
      const raw = r.Properties.Content;
      const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
      if (/"(Ref|Fn::[A-Za-z]+)":/.test(text)) throw new Error(`policy ${id} holds CloudFormation expressions`);
      out.push({ name: r.Properties.Name, policy: JSON.parse(text), targetIds: r.Properties.TargetIds ?? [] });
    }
  }
  return out;
}

/** The levels of an account, each with the given policies attached to it (plus `base` at every level, for SCPs). */
export function levelsFor(organization: Organization, account: string, policies: Array<NamedPolicy & { targetIds: string[] }>,
  base: NamedPolicy[] = []): ScpLevel[] {
  return levelIds(organization, account).map((id) => ({
    target: id,
    policies: [...base, ...policies.filter((p) => p.targetIds.includes(id)).map(({ name, policy }) => ({ name, policy }))],
  }));
}

/** What decides a request across accounts. */
export interface OrgSimPolicies {
  readonly identityPolicies?: NamedPolicy[];
  readonly resourcePolicy?: PolicyJson;
  /** SCP levels of the principal's account (each with an Allow, e.g. FullAWSAccess); none for service principals. */
  readonly scpLevels?: ScpLevel[];
  /** RCP levels of the resource's account. */
  readonly rcpLevels?: ScpLevel[];
}

export interface OrgSimRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly context?: Record<string, string | string[]>;
}

/** The decision for one request; throws when the simulator rejects the input, so a typo cannot pass as "denied". */
export async function simulateAcrossOrg(policies: OrgSimPolicies, request: OrgSimRequest): Promise<Decision> {
  const account = /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(request.principal)?.[1];
  const response = await runSimulation({
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: {
        ...(account ? { 'aws:PrincipalArn': request.principal, 'aws:PrincipalAccount': account } : {}),
        ...request.context,
      },
    },
    identityPolicies: policies.identityPolicies ?? [],
    serviceControlPolicies: (policies.scpLevels ?? []).map((l) => ({ orgIdentifier: l.target, policies: l.policies as NamedPolicy[] })),
    resourceControlPolicies: (policies.rcpLevels ?? []).map((l) => ({ orgIdentifier: l.target, policies: l.policies as NamedPolicy[] })),
    resourcePolicy: policies.resourcePolicy,
  }, {});
  if (response.resultType === 'error') throw new Error(`simulator rejected the input: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}
