import type { Rng } from '../prng.js';

/** A bounded FIFO memory: once full, each push overwrites the oldest entry. */
export class RingBuffer<T> {
  private readonly items: T[] = [];
  private next = 0;

  constructor(readonly cap: number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.items.length < this.cap) this.items.push(item);
    else {
      this.items[this.next] = item;
      this.next = (this.next + 1) % this.cap;
    }
  }

  /** The `k`-th newest entry (0 = the newest). */
  newest(k: number): T | undefined {
    const n = this.items.length;
    if (k >= n) return undefined;
    const head = n < this.cap ? n : this.next;
    return this.items[(((head - 1 - k) % n) + n) % n];
  }

  /** The oldest entry (the next to be forgotten). */
  oldest(): T | undefined {
    return this.items.length < this.cap ? this.items[0] : this.items[this.next];
  }

  pick(rng: Rng): T | undefined {
    return this.items.length === 0 ? undefined : this.items[Math.floor(rng.next() * this.items.length)];
  }

  /** Uniform among the `k` newest. */
  pickRecent(rng: Rng, k: number): T | undefined {
    return this.newest(Math.floor(rng.next() * Math.min(k, this.items.length)));
  }
}

/** 32-bit FNV-1a of a string (a compact set key: a false "seen" only costs a retry). */
function fnv1a(v: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A set of strings (kept as 32-bit hashes) that remembers only the `cap` most recently added values. */
export class BoundedSet {
  private readonly values = new Set<number>();
  private readonly order: number[] = [];
  private next = 0;

  constructor(readonly cap: number) {}

  has(v: string): boolean {
    return this.values.has(fnv1a(v));
  }

  add(v: string): void {
    const h = fnv1a(v);
    if (this.values.has(h)) return;
    if (this.order.length < this.cap) this.order.push(h);
    else {
      this.values.delete(this.order[this.next] as number);
      this.order[this.next] = h;
      this.next = (this.next + 1) % this.cap;
    }
    this.values.add(h);
  }
}
