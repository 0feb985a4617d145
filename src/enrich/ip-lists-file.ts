import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildIpListMatcher, parseCidrList, type IpListKind, type IpListMatcher, type IpListWarning } from './ip-lists.js';
import type { IpRange } from './ip-ranges.js';

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

/** Throws (naming the list and the file) when a configured file cannot be read; bad lines only warn. */
export function loadIpListFiles(specs: readonly IpListFileSpec[]): LoadedIpLists {
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
    return { name: spec.name, kind: spec.kind, ranges };
  });
  return { matcher: buildIpListMatcher(lists), warnings, stats };
}
