import type { Lookup } from 'geoip-lite';
import { coord, text, type GeoInfo, type GeoProvider } from './types.js';

/**
 * geoip-lite 1.4.x ships MaxMind GeoLite2 data inside the npm package; the build is named in data/city.checksum
 * ("GeoLite2-City-CSV_20231115.zip"). Region is an ISO 3166-2 subdivision code ("ZJ"), not a name.
 * `area` is MaxMind's accuracy radius in km (1000 means "somewhere in this country": lat/lon is a centroid).
 */
export function fromGeoipLite(r: Lookup): GeoInfo | null {
  const ll = Array.isArray(r.ll) ? r.ll : [];
  const info: GeoInfo = {
    country: text(r.country)?.toUpperCase() ?? null,
    region: text(r.region),
    city: text(r.city),
    lat: coord(ll[0]),
    lon: coord(ll[1]),
    accuracyKm: typeof r.area === 'number' && r.area > 0 ? r.area : null,
    timezone: text(r.timezone),
  };
  return info.country === null && info.lat === null ? null : info;
}

/** "dfd2…  GeoLite2-City-CSV_20231115.zip" → "2023-11-15"; 'unknown' when the file does not say. */
export function buildDateFromChecksum(checksumFile: string): string {
  const m = /_(\d{4})(\d{2})(\d{2})\.zip/.exec(checksumFile);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : 'unknown';
}

export function geoipLiteProvider(lookupFn: (ip: string) => Lookup | null, buildDate: string): GeoProvider {
  return {
    name: 'geoip-lite',
    buildDate,
    lookup(ip: string): GeoInfo | null {
      let r: Lookup | null;
      try {
        r = lookupFn(ip);
      } catch {
        return null;
      }
      return r === null ? null : fromGeoipLite(r);
    },
  };
}
