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

/** A set that remembers only the `cap` most recently added values. */
export class BoundedSet {
  private readonly values = new Set<string>();
  private readonly order: string[] = [];
  private next = 0;

  constructor(readonly cap: number) {}

  has(v: string): boolean {
    return this.values.has(v);
  }

  add(v: string): void {
    if (this.values.has(v)) return;
    if (this.order.length < this.cap) this.order.push(v);
    else {
      this.values.delete(this.order[this.next] as string);
      this.order[this.next] = v;
      this.next = (this.next + 1) % this.cap;
    }
    this.values.add(v);
  }
}
