/**
 * An open-addressing hash table from a 64-bit identifier hash (two int32 halves) to one int32 value, in typed
 * arrays: 14 bytes a slot instead of a Map entry and a key string (~150 bytes). It holds every identifier of the
 * graph, most of them used by one application only, so its size is most of the graph's.
 *
 * Values: 0 = empty, -1 = deleted (a tombstone), anything else is the caller's (never 0 or -1). Linear probing;
 * the table doubles, dropping tombstones, when live entries and tombstones pass 70 % of the slots.
 */

const EMPTY = 0;
const DELETED = -1;

/** Two independent 32-bit FNV-1a/murmur-mixed hashes of a string: 64 bits, so collisions are negligible. */
export function hashHi(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix(h);
}

export function hashLo(s: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995) ^ (h >>> 13);
  return fmix(h ^ s.length);
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
  private hi: Int32Array;
  private lo: Int32Array;
  private val: Int32Array;
  /** A small per-slot tag the caller may use (the link kinds of an identifier used once). */
  private tag: Uint16Array;
  private mask: number;
  private live = 0;
  private used = 0;

  constructor(capacity = 1 << 12) {
    let cap = 16;
    while (cap < capacity) cap <<= 1;
    this.hi = new Int32Array(cap);
    this.lo = new Int32Array(cap);
    this.val = new Int32Array(cap);
    this.tag = new Uint16Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.live;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** The slot holding this key, or -1. */
  find(hi: number, lo: number): number {
    const mask = this.mask;
    for (let i = (lo ^ (hi >>> 7)) & mask; ; i = (i + 1) & mask) {
      const v = this.val[i] as number;
      if (v === EMPTY) return -1;
      if (v !== DELETED && this.lo[i] === lo && this.hi[i] === hi) return i;
    }
  }

  /** Inserts a key that is not present; returns its slot. */
  insert(hi: number, lo: number, value: number, tag = 0): number {
    if ((this.used + 1) * 10 > (this.mask + 1) * 7) {
      // Mostly live: double. Mostly tombstones: rebuild at the same size.
      const cap = this.mask + 1;
      this.rehash(this.live * 2 >= cap ? cap * 2 : cap);
    }
    const mask = this.mask;
    let i = (lo ^ (hi >>> 7)) & mask;
    while (this.val[i] !== EMPTY && this.val[i] !== DELETED) i = (i + 1) & mask;
    if (this.val[i] === EMPTY) this.used++;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.val[i] = value;
    this.tag[i] = tag;
    this.live++;
    return i;
  }

  value(slot: number): number {
    return this.val[slot] as number;
  }

  tagOf(slot: number): number {
    return this.tag[slot] as number;
  }

  set(slot: number, value: number, tag = this.tag[slot] as number): void {
    this.val[slot] = value;
    this.tag[slot] = tag;
  }

  remove(slot: number): void {
    this.val[slot] = DELETED;
    this.tag[slot] = 0;
    this.live--;
  }

  /** Every live entry (for stats and snapshots). */
  forEach(fn: (hi: number, lo: number, value: number, tag: number) => void): void {
    for (let i = 0; i <= this.mask; i++) {
      const v = this.val[i] as number;
      if (v !== EMPTY && v !== DELETED) fn(this.hi[i] as number, this.lo[i] as number, v, this.tag[i] as number);
    }
  }

  /** Bytes held by the arrays. */
  get bytes(): number {
    return (this.mask + 1) * 14;
  }

  private rehash(capacity: number): void {
    const { hi, lo, val, tag } = this;
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.val = new Int32Array(capacity);
    this.tag = new Uint16Array(capacity);
    this.mask = capacity - 1;
    this.live = 0;
    this.used = 0;
    for (let i = 0; i < val.length; i++) {
      const v = val[i] as number;
      if (v !== EMPTY && v !== DELETED) this.insert(hi[i] as number, lo[i] as number, v, tag[i] as number);
    }
  }
}
