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

/** Where a resource of a key went, and the shard it emptied when that shard had to split. */
export interface ShardPlacement {
  /** The shard's name: the top-level shard number (two digits), then `-` and the split path (bits), if split. */
  readonly shard: string;
  /** The shard split to make room (it exists no more) and the new shard of each of its keys. */
  readonly split?: { readonly removed: string; readonly moved: ReadonlyMap<string, string> };
}

/**
 * Shards that grow with what they hold. A key goes to one of `topShards` shards by rendezvous hashing; a shard that
 * would hold more than `capacity` resources splits in two by the next bit of a second hash of its keys, and so on. A
 * shard exists exactly when its parent's keys hold more than `capacity` resources, so the layout depends only on the
 * set of keys and their resource counts, never on the order they were added. Adding a key changes its own shard
 * only, or splits that one shard when it is full; no other shard moves.
 */
export class GrowingShards {
  private readonly keysOf = new Map<string, Map<string, number>>();
  private readonly leafOf = new Map<string, string>();
  private readonly split = new Set<string>();

  constructor(private readonly topShards: number, private readonly capacity: number) {}

  /** Adds one resource of `key` and returns its shard. */
  public add(key: string): ShardPlacement {
    let shard = this.leafOf.get(key) ?? this.descend(key);
    const keys = this.keys(shard);
    keys.set(key, (keys.get(key) ?? 0) + 1);
    this.leafOf.set(key, shard);
    if (sum(keys) <= this.capacity || keys.size < 2) return { shard };
    const removed = shard;
    const moved = new Map<string, string>();
    this.splitShard(removed, moved);
    shard = moved.get(key)!;
    return { shard, split: { removed, moved } };
  }

  /** The current shards with their resource counts. */
  public get sizes(): ReadonlyMap<string, number> {
    return new Map([...this.keysOf].map(([s, k]) => [s, sum(k)] as const).filter(([, n]) => n > 0));
  }

  private descend(key: string): string {
    let shard = String(shardOf(key, this.topShards)).padStart(2, '0');
    const bits = fnv1a(key, SPLIT_SEED);
    for (let depth = 0; this.split.has(shard); depth++) shard = child(shard, (bits >>> depth) & 1);
    return shard;
  }

  private splitShard(shard: string, moved: Map<string, string>): void {
    const keys = this.keys(shard);
    this.split.add(shard);
    const depth = shard.includes('-') ? shard.length - shard.indexOf('-') - 1 : 0;
    for (const [key, count] of keys) {
      const to = child(shard, (fnv1a(key, SPLIT_SEED) >>> depth) & 1);
      this.keys(to).set(key, count);
      this.leafOf.set(key, to);
      moved.set(key, to);
    }
    this.keysOf.delete(shard);
    for (const c of [child(shard, 0), child(shard, 1)]) {
      const k = this.keys(c);
      // one key alone cannot split further (its resources stay together); 32 bits bound the depth
      if (sum(k) > this.capacity && k.size > 1 && depth < 31) this.splitShard(c, moved);
    }
  }

  private keys(shard: string): Map<string, number> {
    let k = this.keysOf.get(shard);
    if (k === undefined) {
      k = new Map();
      this.keysOf.set(shard, k);
    }
    return k;
  }
}

const SPLIT_SEED = 0x9e3779b9;

function child(shard: string, bit: number): string {
  return `${shard}${shard.includes('-') ? '' : '-'}${bit}`;
}

function sum(keys: Map<string, number>): number {
  let n = 0;
  for (const c of keys.values()) n += c;
  return n;
}
