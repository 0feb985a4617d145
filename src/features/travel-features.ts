import { travel, type TravelOptions } from '../enrich/travel.js';
import type { Sighting, SightingTarget } from './sightings.js';

/**
 * Impossible-travel features from each sighting and the one it is compared with (pure):
 * `travel.<kind>.speedKmh`, `.distanceKm`, `.impossible`. No previous sighting: no features (unknown).
 */
export function travelFeatures(
  current: Sighting | null,
  targets: readonly SightingTarget[],
  previous: readonly (Sighting | null)[],
  opts: TravelOptions,
): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  if (!current) return out;
  const cur = current;
  targets.forEach((req, i) => {
    const prev = previous[i];
    if (!prev) return;
    const r = travel(
      { lat: prev.lat, lon: prev.lon, atMs: prev.at, accuracyKm: prev.acc },
      { lat: cur.lat, lon: cur.lon, atMs: cur.at, accuracyKm: cur.acc },
      opts,
    );
    out[`travel.${req.kind}.speedKmh`] = Number.isFinite(r.speedKmh) ? Math.round(r.speedKmh) : 1_000_000;
    out[`travel.${req.kind}.distanceKm`] = Math.round(r.distanceKm);
    out[`travel.${req.kind}.impossible`] = r.impossible;
  });
  return out;
}
