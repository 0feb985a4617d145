import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AsnDatabase } from './asn.js';
import { ASN_FILES, asnDataDir } from './asn-file.js';
import type { DatasetFacts, DatasetFile } from './datasets.js';
import { DBIP_FILES, DBIP_PACKAGE, dbipDataDir, GEOIP_LITE_FILES, geoipLiteDataDir, type GeoProvider } from './geo/index.js';
import type { HostingAsns } from './hosting.js';
import type { IpListKind } from './ip-lists.js';

/**
 * Adapter: the facts about each loaded dataset (file sizes and times, package versions, `sources.json`), read once
 * at start-up next to the data itself. `sources.json` in a data directory maps a file name to
 * `{ builtAt, source }`; `lendguard data refresh` writes it, and data/iplists ships one.
 */
export const SOURCES_FILE = 'sources.json';

export interface SourceRecord {
  builtAt?: string;
  source?: string;
  installedAt?: string;
}

/** A directory's `sources.json` (empty when there is none or it is not a JSON object). */
export function readSources(dir: string): Record<string, SourceRecord> {
  try {
    const doc = JSON.parse(readFileSync(join(dir, SOURCES_FILE), 'utf8')) as unknown;
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, SourceRecord>) : {};
  } catch {
    return {};
  }
}

function fileFacts(path: string, sources: (dir: string) => Record<string, SourceRecord>): DatasetFile {
  const st = statSync(path);
  const recorded = sources(dirname(path))[basename(path)];
  return { path, bytes: st.size, mtimeMs: st.mtimeMs, ...(recorded ? { recorded } : {}) };
}

/** The `version` of the package.json in `dir`, if there is one. */
export function packageVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Reads each directory's sources.json once. */
function sourcesReader(): (dir: string) => Record<string, SourceRecord> {
  const byDir = new Map<string, Record<string, SourceRecord>>();
  return (dir) => {
    let s = byDir.get(dir);
    if (!s) byDir.set(dir, (s = readSources(dir)));
    return s;
  };
}

export interface LoadedDatasets {
  geo: GeoProvider;
  settings: { dbipDir?: string; geoipLiteDataDir?: string; asnDir?: string; hostingFile: string };
  asn?: AsnDatabase;
  lists: { kind: IpListKind; files: readonly string[]; ranges: number }[];
  hosting?: HostingAsns;
}

function geoFacts(d: LoadedDatasets, sources: (dir: string) => Record<string, SourceRecord>): DatasetFacts {
  const dbip = d.geo.name === 'dbip';
  const configured = dbip ? d.settings.dbipDir : d.settings.geoipLiteDataDir;
  const dir = dbip ? dbipDataDir(configured) : geoipLiteDataDir(configured);
  const names = dbip ? Object.values(DBIP_FILES) : GEOIP_LITE_FILES;
  // geoip-lite's data directory is the package's data/ unless configured (or GEODATADIR): only then is its version the data's.
  const version = dbip ? packageVersion(dir) : (configured ?? process.env.GEODATADIR) ? undefined : packageVersion(dirname(dir));
  return {
    name: 'geo',
    source: configured ?? (dbip ? DBIP_PACKAGE : 'geoip-lite'),
    ...(version ? { version } : {}),
    intrinsicDate: d.geo.buildDate,
    files: names.map((n) => fileFacts(join(dir, n), sources)),
  };
}

function asnFacts(asn: AsnDatabase, dirSetting: string | undefined, sources: (dir: string) => Record<string, SourceRecord>): DatasetFacts {
  const dir = asnDataDir(dirSetting);
  const version = packageVersion(dir);
  return {
    name: 'asn',
    source: dirSetting ?? '@ip-location-db/asn',
    ...(version ? { version } : {}),
    files: Object.values(ASN_FILES).map((n) => fileFacts(join(dir, n), sources)),
    entries: { count: asn.ranges.v4 + asn.ranges.v6, of: 'AS ranges' },
  };
}

/** Facts about every dataset that was loaded: geo, asn (when on), each IP list kind, the hosting ASes (when on). */
export function datasetFacts(d: LoadedDatasets): DatasetFacts[] {
  const sources = sourcesReader();
  const facts = [geoFacts(d, sources)];
  if (d.asn) facts.push(asnFacts(d.asn, d.settings.asnDir, sources));
  for (const l of d.lists)
    facts.push({
      name: `list:${l.kind}`,
      source: l.files.join(', '),
      files: l.files.map((f) => fileFacts(f, sources)),
      entries: { count: l.ranges, of: 'ranges' },
    });
  if (d.hosting)
    facts.push({
      name: 'hosting-asns',
      source: d.settings.hostingFile,
      intrinsicDate: d.hosting.version,
      files: [fileFacts(d.settings.hostingFile, sources)],
      entries: { count: d.hosting.entries.length, of: 'ASes' },
    });
  return facts;
}
