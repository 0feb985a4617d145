import { createGeoProvider, type GeoProviderName } from './geo/index.js';
import { DeviceParser } from './device.js';
import type { EnrichContext } from './index.js';
import { IP_LIST_KINDS, type IpListKind, type IpListWarning } from './ip-lists.js';
import { loadIpListFiles } from './ip-lists-file.js';
import { dirname, join } from 'node:path';
import { defaultAsnCacheFile, loadAsnDatabase, loadHostingAsns } from './asn-file.js';
import { describeDataset, type DatasetInfo } from './datasets.js';
import { datasetFacts, type LoadedDatasets } from './datasets-file.js';

/** The enrichment section of the configuration (src/platform/config-schema.ts). */
export interface EnrichmentSettings {
  geoProvider: GeoProviderName;
  dbipDir?: string;
  geoipLiteDataDir?: string;
  ipLists: Record<IpListKind, string[]>;
  userAgentCacheSize: number;
  ipDefaultAccuracyKm: number;
  /** The ASN database (on by default) and the hosting-AS classification file. */
  asn: { enabled: boolean; dir?: string; cacheFile?: string; hostingFile: string };
}

export interface LoadedEnrichment {
  context: EnrichContext;
  /** Skipped or normalised list lines (the first 20 also go to `warn`). */
  warnings: IpListWarning[];
  lists: { name: string; kind: IpListKind; lines: number; ranges: number }[];
  /** What was loaded, its build date and age (src/enrich/datasets.ts): for the start-up log, /healthz and `data status`. */
  datasets: DatasetInfo[];
  /** The ASN tables came from the binary cache (no CSV parse). */
  asnFromCache?: boolean;
}

/**
 * The binary caches (src/enrich/binary-cache.ts) of the parsed ASN tables, the merged IP-list intervals and the
 * checked hosting-AS table, side by side (`data refresh` removes the first two; each is keyed on its files' size and
 * modification time, so none outlives a change of its data).
 */
export function enrichmentCacheFiles(e: EnrichmentSettings): { asn: string; lists: string; hosting: string } {
  const asn = e.asn.cacheFile ?? defaultAsnCacheFile();
  return { asn, lists: join(dirname(asn), 'ip-lists.bin'), hosting: join(dirname(asn), 'hosting-asns.bin') };
}

/**
 * Adapter: loads the geo database and the IP lists once (file I/O) and builds the UA parser cache, and describes
 * each dataset (build date, age at `nowMs`). Throws an Error naming the file when data cannot be read.
 */
export function loadEnrichment(e: EnrichmentSettings, warn?: (msg: string, detail: Record<string, unknown>) => void, nowMs = Date.now()): LoadedEnrichment {
  const specs = IP_LIST_KINDS.filter((kind) => e.ipLists[kind].length > 0).map((kind) => ({ name: kind, kind, files: e.ipLists[kind] }));
  const caches = enrichmentCacheFiles(e);
  const geo = createGeoProvider(e.geoProvider, { dbipDir: e.dbipDir, geoipLiteDataDir: e.geoipLiteDataDir });
  const lists = loadIpListFiles(specs, { cacheFile: caches.lists, warn });
  for (const w of lists.warnings.slice(0, 20)) warn?.('IP list line skipped', { warning: w });
  if (lists.warnings.length > 20) warn?.('more IP list lines skipped', { more: lists.warnings.length - 20 });
  const asn = e.asn.enabled ? loadAsnDatabase({ ...(e.asn.dir ? { dir: e.asn.dir } : {}), cacheFile: caches.asn, warn }) : undefined;
  const hosting = e.asn.enabled ? loadHostingAsns(e.asn.hostingFile, { cacheFile: caches.hosting, warn }) : undefined;
  const loaded: LoadedDatasets = {
    geo,
    settings: { dbipDir: e.dbipDir, geoipLiteDataDir: e.geoipLiteDataDir, asnDir: e.asn.dir, hostingFile: e.asn.hostingFile },
    lists: specs.map((s, i) => ({ kind: s.kind, files: s.files, ranges: lists.stats[i]?.ranges ?? 0 })),
    ...(asn ? { asn } : {}),
    ...(hosting ? { hosting } : {}),
  };
  const datasets = datasetFacts(loaded).map((f) => describeDataset(f, nowMs));
  return {
    context: {
      geo,
      lists: lists.matcher,
      ua: new DeviceParser(e.userAgentCacheSize),
      defaultIpAccuracyKm: e.ipDefaultAccuracyKm,
      ...(asn ? { asn } : {}),
      ...(hosting ? { hosting } : {}),
      datasets: datasets.map((d) => ({ name: d.name, builtAt: d.builtAt })),
    },
    warnings: lists.warnings,
    lists: lists.stats,
    datasets,
    ...(asn ? { asnFromCache: asn.fromCache } : {}),
  };
}
