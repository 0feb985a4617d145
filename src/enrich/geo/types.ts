/** Where an IP address is, as far as one database knows. Every field is null when the database has no answer. */
export interface GeoInfo {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  /** Provider-specific: DB-IP gives an English name ("Zhejiang"), geoip-lite an ISO 3166-2 code ("ZJ"). */
  region: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  /** Radius around lat/lon that the provider vouches for; null when the provider does not say. */
  accuracyKm: number | null;
  /** IANA zone name. */
  timezone: string | null;
}

export interface GeoProvider {
  name: string;
  /** ISO date (YYYY-MM-DD) the data was built, or 'unknown'. */
  buildDate: string;
  /** Null when the address is not in the database (or is not an IP address). Never throws. */
  lookup(ip: string): GeoInfo | null;
}

/** Empty strings and non-finite numbers from the databases mean "no answer". */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function coord(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 1e4) / 1e4 : null;
}
