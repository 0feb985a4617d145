import type { AsnTables } from './asn.js';
import { readBinaryCache, reportCacheProblem, writeBinaryCache, type CacheArray, type CacheWarn } from './binary-cache.js';

/**
 * A binary copy of the parsed ASN tables, so that only the first start after an update parses the CSV
 * (about 0.8 s); later starts read about 9 MB and use it in place (src/enrich/binary-cache.ts): the range
 * tables and the organisation names' string table, nothing to parse. A cache for another `key` (another data
 * version or other files) is rebuilt; a damaged one too, with a warning.
 */
const MAGIC = 'LGASN03\n';

function tablesOf(a: CacheArray[]): AsnTables | null {
  const [s4, e4, n4, s6, e6, n6, asns, offsets, text] = a;
  const ok =
    s4 instanceof Uint32Array &&
    e4 instanceof Uint32Array &&
    n4 instanceof Uint32Array &&
    s6 instanceof BigUint64Array &&
    e6 instanceof BigUint64Array &&
    n6 instanceof Uint32Array &&
    asns instanceof Uint32Array &&
    offsets instanceof Uint32Array &&
    text instanceof Uint8Array &&
    a.length === 9 &&
    e4.length === s4.length &&
    n4.length === s4.length &&
    e6.length === s6.length &&
    n6.length === s6.length &&
    offsets.length === asns.length + 1 &&
    offsets[asns.length] === text.length;
  return ok ? { v4: { starts: s4, ends: e4, asns: n4 }, v6: { starts: s6, ends: e6, asns: n6 }, orgs: { asns, offsets, text } } : null;
}

/** The tables cached for `key`, or null (none, stale, or damaged: then `warn` is told why). */
export function readAsnCache(file: string, key: string, warn?: CacheWarn): AsnTables | null {
  const r = readBinaryCache<null>(file, MAGIC, key);
  if (r.status !== 'ok') return reportCacheProblem(file, r, warn);
  return tablesOf(r.arrays) ?? reportCacheProblem(file, { status: 'corrupt', reason: 'unexpected table layout' }, warn);
}

/** Writes the cache (atomically). Best effort: returns false if it cannot. */
export function writeAsnCache(file: string, key: string, t: AsnTables): boolean {
  const arrays = [t.v4.starts, t.v4.ends, t.v4.asns, t.v6.starts, t.v6.ends, t.v6.asns, t.orgs.asns, t.orgs.offsets, t.orgs.text];
  return writeBinaryCache(file, MAGIC, key, null, arrays);
}
