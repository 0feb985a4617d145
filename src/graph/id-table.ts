/**
 * An open-addressing hash table from a 64-bit identifier hash (two int32 halves) to one int32 value and a small
 * tag, in one interleaved Int32Array (hi, lo, value, tag per slot: one cache line per probe): 16 bytes a slot,
 * instead of a Map entry and a key string (~150 bytes). It holds every identifier of the graph, most of them
 * used by one application only, so its size is most of the graph's.
 *
 * Values: 0 = empty, -1 = deleted (a tombstone), anything else is the caller's (never 0 or -1). Linear probing;
 * the table doubles, dropping tombstones, when live entries and tombstones pass 70 % of the slots.
 */

const EMPTY = 0;
const DELETED = -1;
const STRIDE = 4;

/**
 * Two independent 32-bit hashes of a string in one pass (FNV-1a and a murmur-style mix, each finalised):
 * 64 bits, so collisions are negligible. The result is in `hashed.hi` / `hashed.lo` (no allocation).
 */
export const hashed = { hi: 0, lo: 0 };

export function hashKey(s: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
  }
  hashed.hi = fmix(a);
  hashed.lo = fmix(b ^ s.length);
}

/** The hash of `prefix + rest` without building the string (a node key is a kind prefix and a pseudonym). */
export function hashKey2(prefix: string, rest: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
  }
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
  }
  hashed.hi = fmix(a);
  hashed.lo = fmix(b ^ (prefix.length + rest.length));
}

function fmix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export class IdTable {
  private data: Int32Array;
  private mask: number;
  private live = 0;
  private used = 0;

  constructor(capacity = 1 << 12) {
    let cap = 16;
    while (cap < capacity) cap <<= 1;
    this.data = new Int32Array(cap * STRIDE);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.live;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Grows the table now, once, to hold `entries` (a rebuild knows how many are coming: no doubling on the way). */
  reserve(entries: number): void {
    let cap = this.mask + 1;
    while (entries * 10 > cap * 7) cap *= 2;
    if (cap > this.mask + 1) this.rehash(cap);
  }

  /** The slot holding this key, or -1. */
  find(hi: number, lo: number): number {
    const d = this.data;
    const mask = this.mask;
    for (let i = (lo ^ (hi >>> 7)) & mask; ; i = (i + 1) & mask) {
      const at = i * STRIDE;
      const v = d[at + 2] as number;
      if (v === EMPTY) return -1;
      if (v !== DELETED && d[at + 1] === lo && d[at] === hi) return i;
    }
  }

  /** Inserts a key that is not present; returns its slot. */
  insert(hi: number, lo: number, value: number, tag = 0): number {
    if ((this.used + 1) * 10 > (this.mask + 1) * 7) {
      // Mostly live: double. Mostly tombstones: rebuild at the same size.
      const cap = this.mask + 1;
      this.rehash(this.live * 2 >= cap ? cap * 2 : cap);
    }
    const d = this.data;
    const mask = this.mask;
    let i = (lo ^ (hi >>> 7)) & mask;
    for (;;) {
      const v = d[i * STRIDE + 2];
      if (v === EMPTY || v === DELETED) break;
      i = (i + 1) & mask;
    }
    const at = i * STRIDE;
    if (d[at + 2] === EMPTY) this.used++;
    d[at] = hi;
    d[at + 1] = lo;
    d[at + 2] = value;
    d[at + 3] = tag;
    this.live++;
    return i;
  }

  value(slot: number): number {
    return this.data[slot * STRIDE + 2] as number;
  }

  tagOf(slot: number): number {
    return this.data[slot * STRIDE + 3] as number;
  }

  set(slot: number, value: number, tag = this.data[slot * STRIDE + 3] as number): void {
    this.data[slot * STRIDE + 2] = value;
    this.data[slot * STRIDE + 3] = tag;
  }

  remove(slot: number): void {
    this.data[slot * STRIDE + 2] = DELETED;
    this.data[slot * STRIDE + 3] = 0;
    this.live--;
  }

  /** Bytes held by the array. */
  get bytes(): number {
    return this.data.byteLength;
  }

  private rehash(capacity: number): void {
    const old = this.data;
    this.data = new Int32Array(capacity * STRIDE);
    this.mask = capacity - 1;
    this.live = 0;
    this.used = 0;
    for (let at = 0; at < old.length; at += STRIDE) {
      const v = old[at + 2] as number;
      if (v !== EMPTY && v !== DELETED) this.insert(old[at] as number, old[at + 1] as number, v, old[at + 3]);
    }
  }
}
