import type { Application } from '../domain/application.js';

/**
 * Where and when an identity or a device was last seen, for impossible-travel checks (pure).
 * Coordinates are rounded to 0.01° (about 1 km) before they are stored: precise enough for speeds
 * of hundreds of km/h, and no exact home location is kept in Redis.
 */
export type SightingKind = 'identity' | 'device';

export interface Sighting {
  app: string;
  at: number;
  lat: number;
  lon: number;
  /** Uncertainty radius in km (GPS accuracy, or the IP geolocation radius). */
  acc: number;
}

/** The entities whose last sighting this application updates. */
export interface SightingTarget {
  kind: SightingKind;
  entity: string;
}

export interface Location {
  lat: number;
  lon: number;
  accuracyKm: number;
  source: 'gps' | 'ip';
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** GPS when the device sent it, else the IP location when the database knows it, else nothing. */
export function bestLocation(
  app: Application,
  ip: { lat: number | null; lon: number | null; accuracyKm: number | null },
  ipDefaultAccuracyKm = 50,
): Location | null {
  const gps = app.device.gps;
  if (gps) return { lat: gps.lat, lon: gps.lon, accuracyKm: (gps.accuracyM ?? 100) / 1000, source: 'gps' };
  if (ip.lat !== null && ip.lon !== null) return { lat: ip.lat, lon: ip.lon, accuracyKm: ip.accuracyKm ?? ipDefaultAccuracyKm, source: 'ip' };
  return null;
}

export function sightingOf(app: Application, where: Location | null): Sighting | null {
  if (!where) return null;
  return { app: app.applicationId, at: app.eventTimeMs, lat: round(where.lat), lon: round(where.lon), acc: Math.max(where.accuracyKm, 1) };
}

export function sightingTargets(app: Application): SightingTarget[] {
  return [
    { kind: 'identity', entity: app.applicant.nationalId.id },
    { kind: 'device', entity: app.device.deviceId.id },
  ];
}
