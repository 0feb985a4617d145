import { createGeoProvider, type GeoProviderName } from './geo/index.js';
import { DeviceParser } from './device.js';
import type { EnrichContext } from './index.js';
import { IP_LIST_KINDS, type IpListKind, type IpListWarning } from './ip-lists.js';
import { loadIpListFiles } from './ip-lists-file.js';
import { dirname, join } from 'node:path';
import { defaultAsnCacheFile, loadAsnDatabase, loadHostingAsns } from './asn-file.js';

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
  /** What was loaded, for the start-up log and /healthz. */
  datasets: { name: string; buildDate: string; detail: string }[];
}

/**
 * Adapter: loads the geo database and the IP lists once (file I/O) and builds the UA parser cache.
 * Throws an Error naming the file when data cannot be read.
 */
export function loadEnrichment(e: EnrichmentSettings, warn?: (msg: string, detail: Record<string, unknown>) => void): LoadedEnrichment {
  const specs = IP_LIST_KINDS.filter((kind) => e.ipLists[kind].length > 0).map((kind) => ({ name: kind, kind, files: e.ipLists[kind] }));
  const geo = createGeoProvider(e.geoProvider, { dbipDir: e.dbipDir, geoipLiteDataDir: e.geoipLiteDataDir });
  const lists = loadIpListFiles(specs, { cacheFile: join(dirname(e.asn.cacheFile ?? defaultAsnCacheFile()), 'ip-lists.json') });
  for (const w of lists.warnings.slice(0, 20)) warn?.('IP list line skipped', { warning: w });
  if (lists.warnings.length > 20) warn?.('more IP list lines skipped', { more: lists.warnings.length - 20 });
  const asn = e.asn.enabled ? loadAsnDatabase({ ...(e.asn.dir ? { dir: e.asn.dir } : {}), cacheFile: e.asn.cacheFile ?? defaultAsnCacheFile() }) : undefined;
  const hosting = e.asn.enabled ? loadHostingAsns(e.asn.hostingFile) : undefined;
  const datasets = [{ name: geo.name, buildDate: geo.buildDate, detail: 'IP geolocation' }];
  if (asn)
    datasets.push({
      name: asn.name,
      buildDate: asn.buildDate,
      detail: `${asn.ranges.v4} IPv4 and ${asn.ranges.v6} IPv6 AS ranges${asn.fromCache ? ' (cache)' : ''}`,
    });
  if (hosting)
    datasets.push({ name: `hosting ASNs ${e.asn.hostingFile}`, buildDate: hosting.version, detail: `${hosting.entries.length} hosting and cloud ASes` });
  return {
    context: {
      geo,
      lists: lists.matcher,
      ua: new DeviceParser(e.userAgentCacheSize),
      defaultIpAccuracyKm: e.ipDefaultAccuracyKm,
      ...(asn ? { asn } : {}),
      ...(hosting ? { hosting } : {}),
    },
    warnings: lists.warnings,
    lists: lists.stats,
    datasets,
  };
}
