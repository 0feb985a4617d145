import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CacheWarn } from './binary-cache.js';
import { listsCacheKey, readListsCache, writeListsCache } from './ip-lists-cache.js';
import { buildIpListMatcher, parseCidrList, type IpListKind, type IpListMatcher, type IpListWarning } from './ip-lists.js';
import { RangeSet, type IpRange } from './ip-ranges.js';

/** Adapter: reads the configured list files and builds the matcher. With ip-lists-cache.ts, the only list code that does I/O. */
export interface IpListFileSpec {
  name: string;
  kind: IpListKind;
  /** One or more files forming the list (e.g. an IPv4 and an IPv6 file). */
  files: readonly (string | URL)[];
}

export interface LoadedIpLists {
  matcher: IpListMatcher;
  /** Bad or normalised lines, with file and line number; the caller decides how loudly to log them. */
  warnings: IpListWarning[];
  stats: { name: string; kind: IpListKind; lines: number; ranges: number }[];
}

/**
 * Throws (naming the list and the file) when a configured file cannot be read; bad lines only warn. With
 * `cacheFile`, the merged intervals are kept there (src/enrich/ip-lists-cache.ts) and reused while every file keeps
 * its size and modification time (parsing the shipped lists costs about 0.2 s; reading the cache about 1 ms); a
 * damaged cache is rebuilt, telling `warn`.
 */
export function loadIpListFiles(specs: readonly IpListFileSpec[], opts: { cacheFile?: string; warn?: CacheWarn } = {}): LoadedIpLists {
  const key = opts.cacheFile ? listsCacheKey(specs) : '';
  const cached = opts.cacheFile ? readListsCache(opts.cacheFile, key, opts.warn) : null;
  if (cached) return { matcher: buildIpListMatcher(cached.lists.map((l) => ({ ...l, ranges: [] }))), warnings: cached.warnings, stats: cached.stats };
  const loaded = parseIpListFiles(specs);
  if (opts.cacheFile) {
    const lists = specs.map((s, i) => ({ name: s.name, kind: s.kind, set: loaded.sets[i] as RangeSet }));
    writeListsCache(opts.cacheFile, key, { lists, warnings: loaded.warnings, stats: loaded.stats });
  }
  return { matcher: loaded.matcher, warnings: loaded.warnings, stats: loaded.stats };
}

function parseIpListFiles(specs: readonly IpListFileSpec[]): LoadedIpLists & { sets: RangeSet[] } {
  const warnings: IpListWarning[] = [];
  const stats: LoadedIpLists['stats'] = [];
  const lists = specs.map((spec) => {
    const ranges: IpRange[] = [];
    let lines = 0;
    for (const file of spec.files) {
      const path = file instanceof URL ? fileURLToPath(file) : file;
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        throw new Error(`IP list '${spec.name}' (${spec.kind}): cannot read ${path}: ${(err as Error).message}`, { cause: err });
      }
      const parsed = parseCidrList(text, path);
      for (const r of parsed.ranges) ranges.push(r);
      warnings.push(...parsed.warnings);
      lines += parsed.lines;
    }
    stats.push({ name: spec.name, kind: spec.kind, lines, ranges: ranges.length });
    return { name: spec.name, kind: spec.kind, ranges: [], set: new RangeSet(ranges) };
  });
  return { matcher: buildIpListMatcher(lists), warnings, stats, sets: lists.map((l) => l.set) };
}
