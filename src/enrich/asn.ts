import { ipKey } from './ip-ranges.js';

/**
 * IP → autonomous system (number and organisation), from the range tables of `@ip-location-db/asn`
 * (RouteViews + DB-IP + NRO, CC BY 4.0). Pure lookups over sorted typed arrays: IPv4 ranges as 32-bit
 * numbers, IPv6 ranges by their upper 64 bits (every range in the data starts and ends on a /64 boundary;
 * a range that does not is widened to one, which only ever names the covering AS).
 */
export interface AsnInfo {
  asn: number;
  org: string;
}

export interface AsnDatabase {
  readonly name: string;
  readonly buildDate: string;
  readonly ranges: { v4: number; v6: number };
  lookup(ip: string): AsnInfo | null;
}

export const NO_ASN: AsnDatabase = { name: 'none', buildDate: '', ranges: { v4: 0, v6: 0 }, lookup: () => null };

/** A table being filled from CSV rows, in ascending order of start. */
class RangeTable<A extends Uint32Array | BigUint64Array> {
  size = 0;
  constructor(
    public starts: A,
    public ends: A,
    public asns: Uint32Array,
  ) {}
}

const MASK64 = (1n << 64n) - 1n;

/** Binary search: the last range whose start ≤ key, if it also ends ≥ key. */
function find<T extends number | bigint>(starts: ArrayLike<T>, ends: ArrayLike<T>, size: number, key: T): number {
  let lo = 0;
  let hi = size - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as T) <= key) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at >= 0 && (ends[at] as T) >= key ? at : -1;
}

/** Parses `start,end,asn,org` lines (numeric addresses; org possibly quoted with commas inside). */
function eachRow(text: string, row: (start: string, end: string, asn: number, org: string) => void): void {
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const c1 = text.indexOf(',', pos);
    const c2 = c1 < 0 ? -1 : text.indexOf(',', c1 + 1);
    const c3 = c2 < 0 ? -1 : text.indexOf(',', c2 + 1);
    if (c3 > 0 && c3 < end) {
      let org = text.slice(c3 + 1, end).trim();
      if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replace(/""/g, '"');
      row(text.slice(pos, c1), text.slice(c1 + 1, c2), Number(text.slice(c2 + 1, c3)), org);
    }
    pos = end + 1;
  }
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The upper 64 bits of an IPv6 address written out in full or with `::` (as in asn-ipv6.csv). */
export function v6High64(text: string): bigint {
  const gap = text.indexOf('::');
  const head = (gap < 0 ? text : text.slice(0, gap)).split(':').filter((g) => g !== '');
  const tail =
    gap < 0
      ? []
      : text
          .slice(gap + 2)
          .split(':')
          .filter((g) => g !== '');
  const groups = [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail];
  let hi = 0n;
  for (let i = 0; i < 4; i++) hi = (hi << 16n) | BigInt(parseInt(groups[i] ?? '0', 16));
  return hi;
}

/**
 * The organisation names as one UTF-8 string table: `asns` ascending, the name of `asns[i]` is
 * `text[offsets[i] .. offsets[i + 1])`. Read from the cache as it is; a name is decoded when first asked for.
 */
export interface OrgTable {
  asns: Uint32Array;
  offsets: Uint32Array;
  text: Uint8Array;
}

/** The range tables in typed arrays (what the binary cache holds). */
export interface AsnTables {
  v4: { starts: Uint32Array; ends: Uint32Array; asns: Uint32Array };
  v6: { starts: BigUint64Array; ends: BigUint64Array; asns: Uint32Array };
  orgs: OrgTable;
}

export function orgTable(names: ReadonlyMap<number, string>): OrgTable {
  const asns = Uint32Array.from(names.keys()).sort();
  const encoded = Array.from(asns, (asn) => Buffer.from(names.get(asn) as string, 'utf8'));
  const offsets = new Uint32Array(asns.length + 1);
  encoded.forEach((b, i) => (offsets[i + 1] = (offsets[i] as number) + b.length));
  return { asns, offsets, text: Buffer.concat(encoded) };
}

/** asn → organisation name ('' when the AS has none), each name decoded once. */
export function orgNames(t: OrgTable): (asn: number) => string {
  const text = Buffer.from(t.text.buffer, t.text.byteOffset, t.text.byteLength);
  const decoded = new Map<number, string>();
  return (asn) => {
    let name = decoded.get(asn);
    if (name === undefined) {
      const at = find(t.asns, t.asns, t.asns.length, asn); // each AS as a range of one: an exact match
      name = at < 0 ? '' : text.toString('utf8', t.offsets[at], t.offsets[at + 1]);
      decoded.set(asn, name);
    }
    return name;
  };
}

/** Parses the two CSV texts: `asn-ipv4-num.csv` (numeric) and `asn-ipv6.csv` (addresses). */
export function parseAsnCsv(v4Csv: string, v6Csv: string): AsnTables {
  const orgs = new Map<number, string>();
  const n4 = lineCount(v4Csv);
  const v4 = new RangeTable(new Uint32Array(n4), new Uint32Array(n4), new Uint32Array(n4));
  eachRow(v4Csv, (s, e, asn, org) => {
    const i = v4.size++;
    v4.starts[i] = Number(s);
    v4.ends[i] = Number(e);
    v4.asns[i] = asn;
    if (!orgs.has(asn)) orgs.set(asn, org);
  });
  const n6 = lineCount(v6Csv);
  const v6 = new RangeTable(new BigUint64Array(n6), new BigUint64Array(n6), new Uint32Array(n6));
  eachRow(v6Csv, (s, e, asn, org) => {
    const i = v6.size++;
    v6.starts[i] = v6High64(s);
    v6.ends[i] = v6High64(e);
    v6.asns[i] = asn;
    if (!orgs.has(asn)) orgs.set(asn, org);
  });
  const trim = <A extends Uint32Array | BigUint64Array>(t: RangeTable<A>) => ({
    starts: t.starts.subarray(0, t.size) as A,
    ends: t.ends.subarray(0, t.size) as A,
    asns: t.asns.subarray(0, t.size),
  });
  return { v4: trim(v4), v6: trim(v6), orgs: orgTable(orgs) };
}

/** The database over parsed (or cached) tables. */
export function asnDatabase(t: AsnTables, meta: { name: string; buildDate: string }): AsnDatabase {
  const org = orgNames(t.orgs);
  const info = (asn: number): AsnInfo => ({ asn, org: org(asn) });
  const { v4, v6 } = t;
  return {
    name: meta.name,
    buildDate: meta.buildDate,
    ranges: { v4: v4.starts.length, v6: v6.starts.length },
    lookup(ip) {
      const key = ipKey(ip);
      if (key === null) return null;
      if (key.v === 4) {
        const at = find(v4.starts, v4.ends, v4.starts.length, key.n);
        return at < 0 ? null : info(v4.asns[at] as number);
      }
      const at = find(v6.starts, v6.ends, v6.starts.length, (key.n >> 64n) & MASK64);
      return at < 0 ? null : info(v6.asns[at] as number);
    },
  };
}

export function buildAsnDatabase(v4Csv: string, v6Csv: string, meta: { name: string; buildDate: string }): AsnDatabase {
  return asnDatabase(parseAsnCsv(v4Csv, v6Csv), meta);
}
