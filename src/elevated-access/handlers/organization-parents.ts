// Bundled into the Lambda assets by esbuild (like the *.lambda.ts entry points); the construct never imports it.
/* eslint-disable import/no-extraneous-dependencies */
// Where AWS Organizations places an account now, for rules that follow OUs (`followOrganizationalUnits`): read at each
// decision, never taken from the synth, so an account added to an OU later is covered and one moved out is not.
import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AccessConfig, configFor, followsOrganizationalUnits } from './policy';
import type { AccessRequest } from './store';

const organizations = new OrganizationsClient({});

/** An account's parent, up to five OUs, and the root (Organizations nests OUs five deep). */
const MAX_DEPTH = 6;
const CACHE_MS = 60_000;
const cache = new Map<string, { parents: string[] | undefined; at: number }>();

/**
 * The account's parents, innermost first, ending with the root (`r-...`); undefined when the organization has no such
 * account. Other errors (throttling, access denied) are thrown: the decision fails, it does not guess. Kept a minute,
 * as the configuration is.
 */
export async function parentsOf(accountId: string, now = Date.now()): Promise<string[] | undefined> {
  const hit = cache.get(accountId);
  if (hit && now - hit.at < CACHE_MS) return hit.parents;
  const parents = await readParents(accountId);
  cache.set(accountId, { parents, at: now });
  return parents;
}

async function readParents(accountId: string): Promise<string[] | undefined> {
  const out: string[] = [];
  let child = accountId;
  while (out.length < MAX_DEPTH) {
    let parent;
    try {
      parent = (await organizations.send(new ListParentsCommand({ ChildId: child }))).Parents?.[0];
    } catch (e) {
      if ((e as Error).name === 'ChildNotFoundException') return undefined;
      throw e;
    }
    if (!parent?.Id) throw new Error(`AWS Organizations named no parent of ${child}`);
    out.push(parent.Id);
    if (parent.Type === 'ROOT') return out;
    child = parent.Id;
  }
  throw new Error(`account ${accountId} is nested deeper than ${MAX_DEPTH - 1} OUs, which AWS Organizations does not allow`);
}

/**
 * The configuration as it applies to these accounts (`configFor`), their parents read from Organizations; the
 * configuration itself when no rule follows OUs.
 */
export async function configForAccounts(config: AccessConfig, accountIds: string[]): Promise<AccessConfig> {
  if (!followsOrganizationalUnits(config)) return config;
  const parents = new Map<string, string[]>();
  for (const id of new Set(accountIds)) {
    const p = await parentsOf(id);
    if (p) parents.set(id, p);
  }
  // the host is refused even when the synth did not know its id (an environment-agnostic stack)
  const host = process.env.CALLER_ACCOUNT;
  return configFor(host ? { ...config, refusedAccounts: [...new Set([...(config.refusedAccounts ?? []), host])] } : config, parents);
}

/** The configuration as it applies to these requests' accounts, Identity Center and jump requests alike. */
export function configForRequests(config: AccessConfig, requests: AccessRequest[]): Promise<AccessConfig> {
  return configForAccounts(config, requests.map((r) => r.accountId));
}

/** For tests: forget the parents read. */
export function resetParentsCache(): void {
  cache.clear();
}
