import { haversineKm } from './geo-consistency.js';

/** A position at a time, for the impossible-travel check (pure; the stored form is `Sighting` in features/sightings.ts). */
export interface TravelPoint {
  lat: number;
  lon: number;
  atMs: number;
  /** Radius of uncertainty of this position (GPS accuracy or IP accuracy radius); 0 or absent = exact. */
  accuracyKm?: number | null;
}

export interface TravelResult {
  /** Great-circle distance minus both accuracy radii, floored at 0. */
  distanceKm: number;
  /** Time between the sightings (absolute value: events can arrive out of order). */
  hours: number;
  /** distanceKm / hours; Infinity when a positive distance is covered in no time; 0 when distanceKm is 0. */
  speedKmh: number;
  impossible: boolean;
}

/** About an airliner's cruising speed. */
export const DEFAULT_MAX_SPEED_KMH = 900;

export interface TravelOptions {
  maxSpeedKmh?: number;
  /** Distances (after radii) up to this never count as impossible, whatever the time gap: GPS jitter. Default 1 km. */
  minDistanceKm?: number;
}

export function travel(prev: TravelPoint, curr: TravelPoint, opts: TravelOptions = {}): TravelResult {
  const maxSpeedKmh = opts.maxSpeedKmh ?? DEFAULT_MAX_SPEED_KMH;
  const minDistanceKm = opts.minDistanceKm ?? 1;
  const radii = Math.max(0, prev.accuracyKm ?? 0) + Math.max(0, curr.accuracyKm ?? 0);
  const distanceKm = Math.max(0, haversineKm(prev, curr) - radii);
  const hours = Math.abs(curr.atMs - prev.atMs) / 3_600_000;
  const speedKmh = distanceKm === 0 ? 0 : hours === 0 ? Infinity : distanceKm / hours;
  return { distanceKm, hours, speedKmh, impossible: distanceKm > minDistanceKm && speedKmh > maxSpeedKmh };
}
