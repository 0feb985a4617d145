import type { Application } from '../domain/application.js';
import type { DatasetStamp } from '../domain/datasets.js';
import { deviceFeatures, type DeviceFeatures, type DeviceParser } from './device.js';
import type { GeoInfo, GeoProvider } from './geo/types.js';
import { countryMismatch, DEFAULT_IP_ACCURACY_KM, gpsIpCheck, regionMismatch, tzCheck, usableGps } from './geo-consistency.js';
import { classifyIp, type IpClass, type IpInfo } from './ip.js';
import type { IpListMatcher } from './ip-lists.js';
import type { AsnDatabase } from './asn.js';
import type { HostingAsns } from './hosting.js';

/**
 * enrich(): one application → a flat record of named features for the rules (pure: every database is passed in
 * already loaded, and time comes from the application). null always means "unknown", never "no".
 */
export interface EnrichContext {
  geo: GeoProvider;
  lists: IpListMatcher;
  ua: DeviceParser;
  /** IP → AS number and organisation (absent: `ip.asn` and `ip.hosting` stay null, "unknown"). */
  asn?: AsnDatabase;
  /** Hosting and cloud ASes (config/hosting-asns.yaml): an address in one is a data-centre address. */
  hosting?: HostingAsns;
  /** Instant for time-zone offsets; defaults to the application's eventTimeMs. */
  nowMs?: number;
  /** Radius assumed when the IP database gives none (DB-IP Lite never does). Default 50 km. */
  defaultIpAccuracyKm?: number;
  /** The build date of each dataset above (set by loadEnrichment; not read by enrich(): /healthz and assessments show it). */
  datasets?: readonly DatasetStamp[];
}

export type Enrichment = {
  'ip.class': IpClass | null;
  'ip.version': 4 | 6 | null;
  'ip.subnet': string | null;
  'ip.country': string | null;
  'ip.region': string | null;
  'ip.city': string | null;
  'ip.lat': number | null;
  'ip.lon': number | null;
  'ip.accuracyKm': number | null;
  'ip.timezone': string | null;
  'ip.geoSource': string;
  'ip.geoBuildDate': string;
  'ip.datacenter': boolean | null;
  'ip.vpn': boolean | null;
  'ip.tor': boolean | null;
  'ip.blocked': boolean | null;
  'ip.allowed': boolean | null;
  'ip.asn': number | null;
  'ip.asOrg': string | null;
  'ip.hosting': boolean | null;
  'ip.hostingProvider': string | null;
  'geo.hasGps': boolean;
  'geo.gpsIpDistanceKm': number | null;
  'geo.gpsIpMismatch': boolean | null;
  'geo.deviceTzOffsetMin': number | null;
  'geo.ipTzOffsetMin': number | null;
  'geo.tzMismatch': boolean | null;
  'geo.countryMismatch': boolean | null;
  'geo.regionMismatch': boolean | null;
} & DeviceFeatures;

function safeClassify(ip: string): IpInfo | null {
  try {
    return classifyIp(ip);
  } catch {
    return null; // ingest validates the address, so this is defensive only
  }
}

export function enrich(app: Application, ctx: EnrichContext): Enrichment {
  const ip = safeClassify(app.network.ip);
  // Only public addresses are looked up: private, loopback, CGNAT, reserved… have no location.
  const geo: GeoInfo | null = ip?.ipClass === 'public' ? ctx.geo.lookup(app.network.ip) : null;
  const hits = ctx.lists.match(app.network.ip).kinds;
  const as = ip?.ipClass === 'public' && ctx.asn ? ctx.asn.lookup(app.network.ip) : null;
  const host = as ? ctx.hosting?.lookup(as.asn) : undefined;
  const knowsHosting = ctx.asn !== undefined && ctx.hosting !== undefined && ip?.ipClass === 'public';
  const atMs = ctx.nowMs ?? app.eventTimeMs;
  const gps = gpsIpCheck(app.device.gps, geo, ctx.defaultIpAccuracyKm ?? DEFAULT_IP_ACCURACY_KM);
  const tz = tzCheck(app.device.timezone, geo?.timezone ?? null, atMs);
  const declared = app.applicant.declaredRegion;
  return {
    'ip.class': ip?.ipClass ?? null,
    'ip.version': ip?.version ?? null,
    'ip.subnet': ip?.subnet ?? null,
    'ip.country': geo?.country ?? null,
    'ip.region': geo?.region ?? null,
    'ip.city': geo?.city ?? null,
    'ip.lat': geo?.lat ?? null,
    'ip.lon': geo?.lon ?? null,
    'ip.accuracyKm': geo?.accuracyKm ?? null,
    'ip.timezone': geo?.timezone ?? null,
    'ip.geoSource': ctx.geo.name,
    'ip.geoBuildDate': ctx.geo.buildDate,
    // A hosting AS makes it a data-centre address even where the lists have not caught up with its ranges.
    'ip.datacenter': host ? true : hits.datacenter,
    'ip.vpn': hits.vpn,
    'ip.tor': hits.tor,
    'ip.blocked': hits.block,
    'ip.allowed': hits.allow,
    'ip.asn': as?.asn ?? null,
    'ip.asOrg': as?.org ?? null,
    'ip.hosting': knowsHosting ? host !== undefined : null,
    'ip.hostingProvider': host?.provider ?? null,
    ...deviceFeatures(app.device, ctx.ua.parse(app.device.userAgent)),
    'geo.hasGps': usableGps(app.device.gps),
    'geo.gpsIpDistanceKm': gps.distanceKm,
    'geo.gpsIpMismatch': gps.mismatch,
    'geo.deviceTzOffsetMin': tz.deviceOffsetMin,
    'geo.ipTzOffsetMin': tz.ipOffsetMin,
    'geo.tzMismatch': tz.mismatch,
    'geo.countryMismatch': countryMismatch(declared?.country, geo?.country ?? null),
    'geo.regionMismatch': regionMismatch(declared, geo),
  };
}

/**
 * Every enrichment feature and the kind of value it holds when known: the one list. The rules' feature
 * catalogue (src/rules/features.ts) and the tests read it, so what is computed and what rules may read
 * cannot drift apart.
 */
export const ENRICHMENT_FEATURE_KINDS = {
  'ip.class': 'string',
  'ip.version': 'number',
  'ip.subnet': 'string',
  'ip.country': 'string',
  'ip.region': 'string',
  'ip.city': 'string',
  'ip.lat': 'number',
  'ip.lon': 'number',
  'ip.accuracyKm': 'number',
  'ip.timezone': 'string',
  'ip.geoSource': 'string',
  'ip.geoBuildDate': 'string',
  'ip.datacenter': 'bool',
  'ip.vpn': 'bool',
  'ip.tor': 'bool',
  'ip.blocked': 'bool',
  'ip.allowed': 'bool',
  'ip.asn': 'number',
  'ip.asOrg': 'string',
  'ip.hosting': 'bool',
  'ip.hostingProvider': 'string',
  'device.browser': 'string',
  'device.browserVersion': 'string',
  'device.os': 'string',
  'device.osVersion': 'string',
  'device.type': 'string',
  'device.vendor': 'string',
  'device.model': 'string',
  'device.bot': 'bool',
  'device.headless': 'bool',
  'device.uaMissing': 'bool',
  'device.platformMismatch': 'bool',
  'device.emulator': 'bool',
  'device.rooted': 'bool',
  'geo.hasGps': 'bool',
  'geo.gpsIpDistanceKm': 'number',
  'geo.gpsIpMismatch': 'bool',
  'geo.deviceTzOffsetMin': 'number',
  'geo.ipTzOffsetMin': 'number',
  'geo.tzMismatch': 'bool',
  'geo.countryMismatch': 'bool',
  'geo.regionMismatch': 'bool',
} as const satisfies Record<keyof Enrichment, 'string' | 'number' | 'bool'>;

/** The feature names, in output order, for the rules team and for tests. */
export const ENRICHMENT_FEATURES = Object.keys(ENRICHMENT_FEATURE_KINDS) as (keyof Enrichment)[];

export { classifyIp, type IpClass, type IpInfo } from './ip.js';
export { DeviceParser, parseUserAgent, platformMismatch, deviceFeatures, osFamily, type UaInfo, type DeviceType, type DeviceFeatures } from './device.js';
export { createGeoProvider, openDbip, openGeoipLite, type GeoProviderName, type GeoProviderOptions } from './geo/index.js';
export type { GeoInfo, GeoProvider } from './geo/types.js';
export {
  buildIpListMatcher,
  parseCidrList,
  NO_IP_LISTS,
  IP_LIST_KINDS,
  type IpListKind,
  type IpListMatcher,
  type IpListHit,
  type IpListWarning,
  type IpListSpec,
} from './ip-lists.js';
export { loadIpListFiles, type IpListFileSpec, type LoadedIpLists } from './ip-lists-file.js';
export { haversineKm, utcOffsetMinutes, gpsIpCheck, tzCheck, countryMismatch, regionMismatch, DEFAULT_IP_ACCURACY_KM } from './geo-consistency.js';
export { travel, DEFAULT_MAX_SPEED_KMH, type TravelPoint, type TravelResult, type TravelOptions } from './travel.js';
