/* eslint-disable no-bitwise */ // a hash is bit arithmetic
// Placement of accounts' assignments into shards (one nested stack each).
//
// Rendezvous (highest-random-weight) hashing: a key goes to the shard with the highest hash(key, shard). The shard of
// a key depends only on the key and the shard count, never on the other keys, so adding or removing an account
// moves nothing else; raising the shard count moves the ~1/n of keys that now prefer a new shard. Beyond what the
// hashed shards hold, placement is append-only (placeAppendOnly): a resource that moved between stacks would be
// created in the new one before it is deleted from the old, and CloudFormation's AWS::SSO::Assignment handler
// refuses to create an assignment that exists.

/** 32-bit FNV-1a of a string, seeded. Deterministic across Node versions and platforms. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix32) so that nearby keys spread over shards
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The shard (0..shards-1) of a key. */
export function shardOf(key: string, shards: number): number {
  const base = fnv1a(key);
  let best = 0;
  let bestWeight = -1;
  for (let s = 0; s < shards; s++) {
    const w = fnv1a(String(s), base);
    if (w > bestWeight) {
      bestWeight = w;
      best = s;
    }
  }
  return best;
}

/** A short, stable hexadecimal digest of a key (for ids that must not depend on order). */
export function shortHash(key: string): string {
  return fnv1a(key).toString(16).padStart(8, '0');
}

/** The new assignments of one account, waiting for a shard. */
export interface PendingGroup {
  /** The account. */
  readonly key: string;
  /** The assignments' logical ids. */
  readonly ids: readonly string[];
  /** The shard the group goes to when it has room (the account's own shard, else its hashed one). */
  readonly preferred: string;
}

/**
 * Append-only placement: shards keep what they hold; new resources go to their preferred shard while it has room,
 * else to the first added shard (numbered from `firstAdded` up) with room, so nothing placed before ever moves. A
 * group larger than a shard spreads over as many as it needs. `loads` (resources per shard) is updated in place.
 */
export function placeAppendOnly(loads: Map<string, number>, groups: readonly PendingGroup[], capacity: number,
  firstAdded: number): Map<string, string> {
  const where = new Map<string, string>();
  const room = (shard: string) => capacity - (loads.get(shard) ?? 0);
  const put = (shard: string, ids: readonly string[]) => {
    for (const id of ids) where.set(id, shard);
    loads.set(shard, (loads.get(shard) ?? 0) + ids.length);
  };
  const added = function* () {
    for (let n = firstAdded; ; n++) yield shardName(n);
  };
  for (const g of [...groups].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (room(g.preferred) >= g.ids.length) {
      put(g.preferred, g.ids);
      continue;
    }
    // a group too large for any one shard fills its preferred shard, then added ones; others go whole
    const spread = g.ids.length > capacity;
    let rest = g.ids;
    if (spread && room(g.preferred) > 0) {
      const take = rest.slice(0, room(g.preferred));
      put(g.preferred, take);
      rest = rest.slice(take.length);
    }
    for (const shard of added()) {
      if (rest.length === 0) break;
      const free = room(shard);
      if (free >= rest.length || (spread && free > 0)) {
        const take = rest.slice(0, free);
        put(shard, take);
        rest = rest.slice(take.length);
      }
    }
  }
  return where;
}

/** A shard's name: its number, at least two digits (`Assignments00`, ...). */
export function shardName(n: number): string {
  return String(n).padStart(2, '0');
}
