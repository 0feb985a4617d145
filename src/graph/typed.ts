/** Growable typed arrays for the graph store: plain numbers in contiguous memory, no per-entry objects. */

export class Int32Vec {
  private data: Int32Array;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  at(i: number): number {
    return this.data[i] as number;
  }

  set(i: number, v: number): void {
    if (i >= this.data.length) this.grow(i + 1);
    this.data[i] = v;
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Int32Array(cap);
    next.set(this.data);
    this.data = next;
  }
}

const SLOT = 4;

/**
 * Per-owner segments of (hi, lo, kind) triples in three pooled arrays. A segment's capacity is a multiple of 4;
 * a freed segment goes on the free list of its capacity and is reused as is, so the pool never needs compacting
 * (at most 3 unused entries per owner).
 */
export class SegmentPool {
  private hiA = new Int32Array(1 << 14);
  private loA = new Int32Array(1 << 14);
  private kindA = new Uint16Array(1 << 14);
  private top = 0;
  private readonly start = new Int32Vec();
  private readonly length = new Int32Vec();
  private readonly cap = new Int32Vec();
  private readonly free = new Map<number, number[]>();
  private readonly seg = { start: 0, length: 0 };

  /** The owner's segment; the returned object is reused by the next call. */
  segment(owner: number): { start: number; length: number } {
    this.seg.start = this.start.at(owner);
    this.seg.length = this.length.at(owner);
    return this.seg;
  }

  hi(i: number): number {
    return this.hiA[i] as number;
  }

  lo(i: number): number {
    return this.loA[i] as number;
  }

  kind(i: number): number {
    return this.kindA[i] as number;
  }

  setKind(i: number, bits: number): void {
    this.kindA[i] = bits;
  }

  reset(owner: number): void {
    this.start.set(owner, 0);
    this.length.set(owner, 0);
    this.cap.set(owner, 0);
  }

  /** Pool index of the owner's entry with this key, or -1. */
  find(owner: number, hi: number, lo: number): number {
    const s = this.start.at(owner);
    const end = s + this.length.at(owner);
    for (let i = s; i < end; i++) if (this.loA[i] === lo && this.hiA[i] === hi) return i;
    return -1;
  }

  /** Room for `n` more entries without moving again. */
  reserve(owner: number, n: number): void {
    const need = this.length.at(owner) + n;
    if (need > this.cap.at(owner)) this.move(owner, need);
  }

  append(owner: number, hi: number, lo: number, kind: number): void {
    const n = this.length.at(owner);
    if (n === this.cap.at(owner)) this.move(owner, n + 1);
    const i = this.start.at(owner) + n;
    this.hiA[i] = hi;
    this.loA[i] = lo;
    this.kindA[i] = kind;
    this.length.set(owner, n + 1);
  }

  release(owner: number): void {
    const cap = this.cap.at(owner);
    if (cap > 0) this.freeList(cap).push(this.start.at(owner));
    this.reset(owner);
  }

  get bytes(): number {
    return this.hiA.byteLength * 2 + this.kindA.byteLength + this.start.bytes + this.length.bytes + this.cap.bytes;
  }

  private freeList(cap: number): number[] {
    let list = this.free.get(cap);
    if (!list) this.free.set(cap, (list = []));
    return list;
  }

  private move(owner: number, need: number): void {
    const cap = Math.ceil(need / SLOT) * SLOT;
    const at = this.free.get(cap)?.pop() ?? this.allocate(cap);
    const from = this.start.at(owner);
    const n = this.length.at(owner);
    this.hiA.copyWithin(at, from, from + n);
    this.loA.copyWithin(at, from, from + n);
    this.kindA.copyWithin(at, from, from + n);
    const old = this.cap.at(owner);
    if (old > 0) this.freeList(old).push(from);
    this.start.set(owner, at);
    this.cap.set(owner, cap);
  }

  private allocate(cap: number): number {
    if (this.top + cap > this.hiA.length) {
      let size = this.hiA.length * 2;
      while (size < this.top + cap) size *= 2;
      const grow = <T extends Int32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
        const next = make(size);
        next.set(a);
        return next;
      };
      this.hiA = grow(this.hiA, (n) => new Int32Array(n));
      this.loA = grow(this.loA, (n) => new Int32Array(n));
      this.kindA = grow(this.kindA, (n) => new Uint16Array(n));
    }
    const at = this.top;
    this.top += cap;
    return at;
  }
}
