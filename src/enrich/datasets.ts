import { ageDays, type DatasetStamp } from '../domain/datasets.js';

/**
 * What each loaded dataset is and how old it is (pure: the facts come from src/enrich/datasets-file.ts). The build
 * date is, in this order of trust:
 * 1. `metadata`: the data's own, from inside the files (the mmdb `buildEpoch`, geoip-lite's checksum name, the
 *    `version:` date of hosting-asns.yaml);
 * 2. else each file's date, and the dataset is as old as its oldest file. A file's date is its `recorded` one (the
 *    `builtAt` of `sources.json` next to it, written by `lendguard data refresh` or shipped with data/iplists), else
 *    the `version` one (the npm package's, whose trailing digits are the build: `2.3.2026061719` is 2026-06-17), else
 *    its `mtime` (weak: a copy or a checkout resets it).
 */
export type DateSource = 'metadata' | 'recorded' | 'version' | 'mtime';

export interface DatasetFile {
  path: string;
  bytes: number;
  mtimeMs: number;
  /** This file's entry in `sources.json` next to it, if any. */
  recorded?: { builtAt?: string; source?: string };
}

export interface DatasetFacts {
  name: string;
  /** The npm package the data comes from, or the directory / file configured. */
  source: string;
  version?: string;
  /** A build date found inside the data, when it has one (else '' or 'unknown'). */
  intrinsicDate?: string;
  files: readonly DatasetFile[];
  /** How many records were loaded (ranges, ASes), when that is known. */
  entries?: { count: number; of: string };
}

export interface DatasetInfo {
  name: string;
  source: string;
  version?: string;
  /** ISO date (YYYY-MM-DD). */
  builtAt: string;
  dateFrom: DateSource;
  ageDays: number;
  files: string[];
  bytes: number;
  entries?: { count: number; of: string };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-06-17` stays; anything that is not a real calendar date is null. */
export function isoDate(text: string | undefined): string | null {
  const m = text === undefined ? null : ISO_DATE.exec(text.trim());
  if (!m) return null;
  const d = new Date(`${m[0]}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === m[0] ? m[0] : null;
}

/** `@ip-location-db/*` versions are 2.3.YYYYMMDDHH: the day the data was built; null when a version does not say. */
export function dateOfVersion(version: string | undefined): string | null {
  const m = version === undefined ? null : /\.(\d{4})(\d{2})(\d{2})\d{0,2}$/.exec(version);
  return m ? isoDate(`${m[1]}-${m[2]}-${m[3]}`) : null;
}

export function dateOfMtime(mtimeMs: number): string {
  return new Date(mtimeMs).toISOString().slice(0, 10);
}

const oldest = (dates: readonly string[]): string | null => (dates.length === 0 ? null : ([...dates].sort()[0] as string));

/** One file's date: its sources.json record, else the package version's, else its modification time. */
function fileDate(file: DatasetFile, versionDate: string | null): { builtAt: string; dateFrom: DateSource } {
  const recorded = isoDate(file.recorded?.builtAt);
  if (recorded) return { builtAt: recorded, dateFrom: 'recorded' };
  if (versionDate) return { builtAt: versionDate, dateFrom: 'version' };
  return { builtAt: dateOfMtime(file.mtimeMs), dateFrom: 'mtime' };
}

/** The data's own date when it has one; else the oldest of its files' dates (a dataset is as old as its oldest part). */
function buildDate(f: DatasetFacts): { builtAt: string; dateFrom: DateSource } {
  const intrinsic = isoDate(f.intrinsicDate);
  if (intrinsic) return { builtAt: intrinsic, dateFrom: 'metadata' };
  const versionDate = dateOfVersion(f.version);
  const dates = f.files.map((file) => fileDate(file, versionDate));
  const first = dates.reduce<{ builtAt: string; dateFrom: DateSource } | null>((min, d) => (min === null || d.builtAt < min.builtAt ? d : min), null);
  return first ?? (versionDate ? { builtAt: versionDate, dateFrom: 'version' } : { builtAt: '1970-01-01', dateFrom: 'mtime' });
}

export function describeDataset(f: DatasetFacts, nowMs: number): DatasetInfo {
  const { builtAt, dateFrom } = buildDate(f);
  return {
    name: f.name,
    source: f.source,
    ...(f.version ? { version: f.version } : {}),
    builtAt,
    dateFrom,
    ageDays: ageDays(builtAt, nowMs),
    files: f.files.map((file) => file.path),
    bytes: f.files.reduce((sum, file) => sum + file.bytes, 0),
    ...(f.entries ? { entries: f.entries } : {}),
  };
}

export const isStale = (d: Pick<DatasetInfo, 'ageDays'>, maxAgeDays: number): boolean => d.ageDays > maxAgeDays;

/** The compact form every assessment carries: geo, asn, and the oldest of the IP lists; only what is loaded. */
export function datasetDates(stamps: readonly DatasetStamp[]): { geo?: string; asn?: string; lists?: string } {
  const date = (name: string): string | undefined => stamps.find((s) => s.name === name)?.builtAt;
  const lists = oldest(stamps.filter((s) => s.name.startsWith('list:')).map((s) => s.builtAt));
  const geo = date('geo');
  const asn = date('asn');
  return { ...(geo ? { geo } : {}), ...(asn ? { asn } : {}), ...(lists ? { lists } : {}) };
}
