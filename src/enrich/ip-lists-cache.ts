import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readBinaryCache, reportCacheProblem, writeBinaryCache, type CacheArray, type CacheWarn } from './binary-cache.js';
import type { IpListKind, IpListWarning } from './ip-lists.js';
import { RangeSet } from './ip-ranges.js';

/**
 * The IP lists' merged intervals, kept in a binary cache (src/enrich/binary-cache.ts) next to the ASN one: four
 * typed arrays per list, used in place; the warnings and line counts in the header. Reused while every list file
 * keeps its path, size and modification time.
 */
const MAGIC = 'LGLST01\n';

export interface CachedLists {
  lists: { name: string; kind: IpListKind; set: RangeSet }[];
  warnings: IpListWarning[];
  stats: { name: string; kind: IpListKind; lines: number; ranges: number }[];
}
type Meta = Omit<CachedLists, 'lists'> & { lists: { name: string; kind: IpListKind }[] };

/** What the cache must match: every file's path, size and modification time, in order. */
export function listsCacheKey(specs: readonly { name: string; kind: IpListKind; files: readonly (string | URL)[] }[]): string {
  const fileKey = (f: string | URL): unknown => {
    const path = f instanceof URL ? fileURLToPath(f) : f;
    try {
      const st = statSync(path);
      return [path, st.size, st.mtimeMs];
    } catch {
      return [path, 'missing'];
    }
  };
  return JSON.stringify(specs.map((s) => [s.name, s.kind, s.files.map(fileKey)]));
}

function setOf(a: CacheArray[], i: number): RangeSet | null {
  const [s4, e4, s6, e6] = a.slice(4 * i, 4 * i + 4);
  const ok =
    s4 instanceof Float64Array &&
    e4 instanceof Float64Array &&
    s6 instanceof BigUint64Array &&
    e6 instanceof BigUint64Array &&
    e4.length === s4.length &&
    e6.length === s6.length &&
    s6.length % 2 === 0;
  return ok ? RangeSet.fromArrays({ s4, e4, s6, e6 }) : null;
}

export function readListsCache(file: string, key: string, warn?: CacheWarn): CachedLists | null {
  const r = readBinaryCache<Meta>(file, MAGIC, key);
  if (r.status !== 'ok') return reportCacheProblem(file, r, warn);
  const { meta, arrays } = r;
  const sets = meta.lists.map((_, i) => setOf(arrays, i));
  if (arrays.length !== 4 * meta.lists.length || sets.some((s) => s === null))
    return reportCacheProblem(file, { status: 'corrupt', reason: 'unexpected list layout' }, warn);
  return { ...meta, lists: meta.lists.map((l, i) => ({ ...l, set: sets[i] as RangeSet })) };
}

export function writeListsCache(file: string, key: string, c: CachedLists): boolean {
  const arrays = c.lists.flatMap((l): CacheArray[] => {
    const a = l.set.toArrays();
    return [a.s4, a.e4, a.s6, a.e6];
  });
  const meta: Meta = { lists: c.lists.map((l) => ({ name: l.name, kind: l.kind })), warnings: c.warnings, stats: c.stats };
  return writeBinaryCache(file, MAGIC, key, meta, arrays);
}
