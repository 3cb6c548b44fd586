/* eslint-disable no-bitwise */ // a hash is bit arithmetic
// Stable placement of accounts' assignments into a fixed number of shards (one nested stack each).
//
// Rendezvous (highest-random-weight) hashing: a key goes to the shard with the highest hash(key, shard). The shard of
// a key depends only on the key and the shard count, never on the other keys, so adding or removing an account
// moves nothing else; raising the shard count moves only the ~1/n of keys that now prefer a new shard.

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
