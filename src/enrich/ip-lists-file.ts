import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIpListMatcher, parseCidrList, type IpListKind, type IpListMatcher, type IpListWarning } from './ip-lists.js';
import { RangeSet, type IpRange, type RangeSetData } from './ip-ranges.js';

/** Adapter: reads the configured list files and builds the matcher. The only part of the list code that does I/O. */
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

interface ListCache {
  key: string;
  lists: { name: string; kind: IpListKind; set: RangeSetData }[];
  warnings: IpListWarning[];
  stats: LoadedIpLists['stats'];
}

/** What the cache must match: every file's path, size and modification time, in order. */
function cacheKey(specs: readonly IpListFileSpec[]): string {
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

function readCache(file: string, key: string): LoadedIpLists | null {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as ListCache;
    if (c.key !== key) return null;
    const matcher = buildIpListMatcher(c.lists.map((l) => ({ name: l.name, kind: l.kind, ranges: [], set: RangeSet.fromJSON(l.set) })));
    return { matcher, warnings: c.warnings, stats: c.stats };
  } catch {
    return null;
  }
}

function writeCache(file: string, c: ListCache): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(c));
    renameSync(tmp, file);
  } catch {
    // best effort: the next start parses the files again
  }
}

/**
 * Throws (naming the list and the file) when a configured file cannot be read; bad lines only warn. With
 * `cacheFile`, the merged intervals are kept there and reused while every file keeps its size and modification
 * time (parsing the shipped lists costs about 0.2 s; reading the cache a few milliseconds).
 */
export function loadIpListFiles(specs: readonly IpListFileSpec[], opts: { cacheFile?: string } = {}): LoadedIpLists {
  const key = opts.cacheFile ? cacheKey(specs) : '';
  const cached = opts.cacheFile ? readCache(opts.cacheFile, key) : null;
  if (cached) return cached;
  const loaded = parseIpListFiles(specs);
  if (opts.cacheFile) {
    const sets = loaded.sets;
    writeCache(opts.cacheFile, {
      key,
      lists: specs.map((s, i) => ({ name: s.name, kind: s.kind, set: (sets[i] as RangeSet).toJSON() })),
      warnings: loaded.warnings,
      stats: loaded.stats,
    });
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
