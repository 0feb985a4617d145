import ipaddr from 'ipaddr.js';

/**
 * Address arithmetic for range matching (pure). IPv4 addresses are unsigned 32-bit numbers, IPv6 addresses
 * 128-bit BigInts; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is treated as the IPv4 address it carries.
 */
export type IpKey = { v: 4; n: number } | { v: 6; n: bigint };
export type IpRange = { v: 4; start: number; end: number } | { v: 6; start: bigint; end: bigint };

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function v4Number(text: string): number | null {
  const m = V4.exec(text);
  if (m === null) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i] as string;
    if (part.length > 1 && part.startsWith('0')) return null; // leading zeros: octal in some parsers, refuse
    const octet = Number(part);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

function v6BigInt(addr: ipaddr.IPv6): bigint {
  let n = 0n;
  for (const p of addr.parts) n = (n << 16n) | BigInt(p);
  return n;
}

/** Parses a single address; null when it is not a plain IPv4 dotted quad or a valid IPv6 address. */
export function ipKey(ip: string): IpKey | null {
  const n4 = v4Number(ip);
  if (n4 !== null) return { v: 4, n: n4 };
  if (!ip.includes(':')) return null;
  let addr: ipaddr.IPv6;
  try {
    addr = ipaddr.IPv6.parse(ip);
  } catch {
    return null;
  }
  if (addr.isIPv4MappedAddress()) return { v: 4, n: Number(v6BigInt(addr) & 0xffffffffn) };
  return { v: 6, n: v6BigInt(addr) };
}

export type CidrResult = { ok: true; range: IpRange; note?: string } | { ok: false; reason: string };

/** "a.b.c.d/len", "v6::/len", or a bare address (= /32 or /128). Host bits set are masked off, with a note. */
export function parseCidr(text: string): CidrResult {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const key = ipKey(addrText);
  if (key === null) return { ok: false, reason: `not an IP address: '${addrText}'` };
  const isMapped = key.v === 4 && addrText.includes(':');
  const bits = key.v === 4 ? 32 : 128;
  let len = bits;
  if (slash >= 0) {
    const lenText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lenText)) return { ok: false, reason: `bad prefix length '${lenText}'` };
    len = Number(lenText) - (isMapped ? 96 : 0);
    if (len < 0 || len > bits) return { ok: false, reason: `prefix length ${lenText} out of range` };
  }
  if (key.v === 4) {
    const size = 2 ** (32 - len);
    const start = key.n - (key.n % size);
    const note = start !== key.n ? `host bits set, used ${formatV4(start)}/${len}` : undefined;
    return { ok: true, range: { v: 4, start, end: start + size - 1 }, ...(note ? { note } : {}) };
  }
  const hostMask = (1n << BigInt(128 - len)) - 1n;
  const start = key.n & ~hostMask;
  const note = start !== key.n ? `host bits set, masked to /${len}` : undefined;
  return { ok: true, range: { v: 6, start, end: start | hostMask }, ...(note ? { note } : {}) };
}

function formatV4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Sorted, merged (overlapping and adjacent ranges joined) intervals with binary-search membership. */
export class RangeSet {
  readonly v4Count: number;
  readonly v6Count: number;
  private readonly s4: Float64Array;
  private readonly e4: Float64Array;
  private readonly s6: bigint[];
  private readonly e6: bigint[];

  constructor(ranges: Iterable<IpRange>) {
    const r4: [number, number][] = [];
    const r6: [bigint, bigint][] = [];
    for (const r of ranges) {
      if (r.v === 4) r4.push([r.start, r.end]);
      else r6.push([r.start, r.end]);
    }
    const m4 = merge(r4, 1);
    const m6 = merge(r6, 1n);
    this.s4 = Float64Array.from(m4, (r) => r[0]);
    this.e4 = Float64Array.from(m4, (r) => r[1]);
    this.s6 = m6.map((r) => r[0]);
    this.e6 = m6.map((r) => r[1]);
    this.v4Count = m4.length;
    this.v6Count = m6.length;
  }

  has(key: IpKey): boolean {
    return key.v === 4 ? within(this.s4, this.e4, key.n) : within(this.s6, this.e6, key.n);
  }

  /** The merged intervals as typed arrays, for a cache: IPv6 bounds as two 64-bit halves each (high, low). */
  toArrays(): RangeSetArrays {
    return { s4: this.s4, e4: this.e4, s6: toHalves(this.s6), e6: toHalves(this.e6) };
  }

  /** A set from intervals `toArrays` gave (already merged and sorted: used as they are). */
  static fromArrays(d: RangeSetArrays): RangeSet {
    const set = Object.create(RangeSet.prototype) as { -readonly [K in keyof RangeSet]: RangeSet[K] } & Record<'s4' | 'e4', Float64Array> &
      Record<'s6' | 'e6', bigint[]>;
    set.s4 = d.s4;
    set.e4 = d.e4;
    set.s6 = fromHalves(d.s6);
    set.e6 = fromHalves(d.e6);
    set.v4Count = d.s4.length;
    set.v6Count = set.s6.length;
    return set as unknown as RangeSet;
  }
}

export interface RangeSetArrays {
  s4: Float64Array;
  e4: Float64Array;
  s6: BigUint64Array;
  e6: BigUint64Array;
}

const MASK64 = (1n << 64n) - 1n;

function toHalves(ns: readonly bigint[]): BigUint64Array {
  const out = new BigUint64Array(ns.length * 2);
  ns.forEach((n, i) => {
    out[2 * i] = n >> 64n;
    out[2 * i + 1] = n & MASK64;
  });
  return out;
}

function fromHalves(halves: BigUint64Array): bigint[] {
  const out = new Array<bigint>(halves.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = ((halves[2 * i] as bigint) << 64n) | (halves[2 * i + 1] as bigint);
  return out;
}

function merge<T extends number | bigint>(ranges: [T, T][], one: T): [T, T][] {
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [T, T][] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    // T is number or bigint for the whole array, so `+` never mixes the two at run time.
    if (last !== undefined && r[0] <= (last[1] as number) + (one as number)) {
      if (r[1] > last[1]) last[1] = r[1];
    } else out.push([r[0], r[1]]);
  }
  return out;
}

/** Last interval whose start is <= x, then whether x is before its end. */
function within<T extends number | bigint>(starts: ArrayLike<T>, ends: ArrayLike<T>, x: T): boolean {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((starts[mid] as T) <= x) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && x <= (ends[hi] as T);
}
