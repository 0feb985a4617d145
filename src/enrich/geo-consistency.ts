import type { GeoPoint } from '../domain/application.js';
import type { GeoInfo } from './geo/types.js';
import { looksLikeRegionCode, regionKey } from './region-names.js';

/** Consistency between device GPS / time zone / declared region and the IP's location (pure; time passed in). */

/** Used when the IP database gives no accuracy radius (DB-IP Lite never does): a city-level guess is ~50 km. */
export const DEFAULT_IP_ACCURACY_KM = 50;
const EARTH_RADIUS_KM = 6371.0088;

export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Finite, in range, and not (0, 0): "null island" is what SDKs and emulators report without a fix. */
export function usableGps(gps: GeoPoint | undefined): gps is GeoPoint {
  if (gps === undefined || !Number.isFinite(gps.lat) || !Number.isFinite(gps.lon)) return false;
  if (Math.abs(gps.lat) > 90 || Math.abs(gps.lon) > 180) return false;
  return !(gps.lat === 0 && gps.lon === 0);
}

export interface GpsIpCheck {
  distanceKm: number | null;
  /** Distance beyond the IP accuracy radius plus the GPS accuracy; null when either position is unknown. */
  mismatch: boolean | null;
}

export function gpsIpCheck(gps: GeoPoint | undefined, ip: GeoInfo | null, defaultIpAccuracyKm = DEFAULT_IP_ACCURACY_KM): GpsIpCheck {
  if (!usableGps(gps) || ip === null || ip.lat === null || ip.lon === null) return { distanceKm: null, mismatch: null };
  const distanceKm = Math.round(haversineKm(gps, { lat: ip.lat, lon: ip.lon }) * 10) / 10;
  const gpsKm = typeof gps.accuracyM === 'number' && gps.accuracyM > 0 ? gps.accuracyM / 1000 : 0;
  return { distanceKm, mismatch: distanceKm > (ip.accuracyKm ?? defaultIpAccuracyKm) + gpsKm };
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const offsets = new Map<string, number | null>();

function offsetFormatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f !== undefined) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' });
  } catch {
    f = null; // RangeError: not a time zone Intl knows
  }
  if (formatters.size >= 2000) formatters.clear(); // zone strings come from devices: keep the memo bounded
  formatters.set(zone, f);
  return f;
}

/** UTC offset in minutes of an IANA zone at an instant ("GMT+8" → 480, "GMT-3:30" → -210); null if invalid. */
export function utcOffsetMinutes(zone: string | null | undefined, atMs: number): number | null {
  if (zone === null || zone === undefined || zone.trim() === '' || !Number.isFinite(atMs)) return null;
  // formatToParts costs ~4 µs; offsets only change on whole minutes, so memoise per zone and minute.
  const key = `${zone}|${Math.floor(atMs / 60_000)}`;
  const memo = offsets.get(key);
  if (memo !== undefined) return memo;
  const f = offsetFormatter(zone.trim());
  const value = f === null ? null : parseOffset(f.formatToParts(new Date(atMs)).find((p) => p.type === 'timeZoneName')?.value ?? '');
  if (offsets.size >= 10_000) offsets.clear();
  offsets.set(key, value);
  return value;
}

function parseOffset(name: string): number | null {
  if (name === 'GMT' || name === 'UTC') return 0;
  const m = /^(?:GMT|UTC)([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
  if (m === null) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

export interface TzCheck {
  deviceOffsetMin: number | null;
  ipOffsetMin: number | null;
  mismatch: boolean | null;
}

/** Compares offsets, not names: Asia/Shanghai and Asia/Chongqing agree; so do two zones that share DST at atMs. */
export function tzCheck(deviceZone: string | undefined, ipZone: string | null, atMs: number): TzCheck {
  const deviceOffsetMin = utcOffsetMinutes(deviceZone, atMs);
  const ipOffsetMin = utcOffsetMinutes(ipZone, atMs);
  const mismatch = deviceOffsetMin === null || ipOffsetMin === null ? null : deviceOffsetMin !== ipOffsetMin;
  return { deviceOffsetMin, ipOffsetMin, mismatch };
}

export function countryMismatch(declared: string | undefined, ipCountry: string | null): boolean | null {
  const d = declared?.trim().toUpperCase() ?? '';
  if (d === '' || ipCountry === null) return null;
  return d !== ipCountry.toUpperCase();
}

/**
 * Only when both countries are known and equal, and both regions are known and comparable (a typed name is not
 * compared with a subdivision code such as geoip-lite's "ZJ").
 */
export function regionMismatch(declared: { country?: string; region?: string } | undefined, ip: Pick<GeoInfo, 'country' | 'region'> | null): boolean | null {
  if (ip === null || ip.region === null || declared?.region === undefined) return null;
  if (countryMismatch(declared.country, ip.country) !== false) return null;
  const d = regionKey(declared.region);
  const i = regionKey(ip.region);
  if (d === null || i === null) return null;
  if (looksLikeRegionCode(ip.region) !== looksLikeRegionCode(declared.region)) return null;
  return d !== i;
}
