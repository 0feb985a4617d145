import type { Device } from '../devices.js';
import { ABROAD, type CityEntry } from '../geo-table.js';
import { CITY_TABLE, gpsNear, ipIn } from '../people.js';
import type { Rng } from '../prng.js';
import { abroad, type Where } from '../records.js';
import type { RealPerson } from './households.js';
import { REALISTIC } from './params.js';
import type { World } from './world.js';

/** Where an application comes from: home router, office NAT, carrier-grade NAT, a mobile address, or a trip. */

/** Hour of day in Beijing time (UTC+8). */
export function beijingHour(t: number): number {
  return Math.floor((t / 3_600_000 + 8) % 24);
}

export function officeHours(t: number): boolean {
  const h = beijingHour(t);
  return h >= REALISTIC.officeHours[0] && h < REALISTIC.officeHours[1];
}

/** `ip` in `city`, with GPS as the app reports it (most app traffic with consent, rarely the web). */
export function placeAt(rng: Rng, city: CityEntry, device: Device, gpsConsent: boolean, ip: string): Where {
  const w: Where = { ip };
  const gpsLikely = device.platform === 'web' ? 0.05 : gpsConsent ? 0.95 : 0;
  if (rng.chance(gpsLikely)) w.gps = gpsNear(rng, city.lat, city.lon, 5);
  return w;
}

/** A mobile-network address in `city`: mostly out of the city's CGNAT pool, otherwise one of its own. */
export function mobileAddress(rng: Rng, world: World, city: CityEntry): { ip: string; cgnat: boolean } {
  const cgnat = rng.chance(REALISTIC.cgnat);
  return { ip: cgnat ? world.cgnatIp(rng, city) : ipIn(rng, rng.pick(city.prefixes)), cgnat };
}

/** `mobileAddress`, the address only. */
export function mobileIp(rng: Rng, world: World, city: CityEntry): string {
  return mobileAddress(rng, world, city).ip;
}

/** Where a background application comes from, and how (the record's truth tags are made from it). */
export interface Route {
  where: Where;
  /** Applying away from home: another city in China, or abroad. */
  away?: 'domestic' | 'abroad';
  /** Through an address many applicants share: the office NAT or the carrier's CGNAT. */
  nat?: 'office' | 'cgnat';
}

function route(where: Where, away: Route['away'], cgnat: boolean): Route {
  const r: Route = { where };
  if (away) r.away = away;
  if (cgnat) r.nat = 'cgnat';
  return r;
}

/** Away from home (on a trip), at the office, or at home (router or mobile data). Notes the application's time. */
export function whereFor(rng: Rng, world: World, p: RealPerson, device: Device, t: number): Route {
  const trip = tripAt(rng, p, t, device === p.household.sharedDevice);
  p.lastAt = Math.max(p.lastAt ?? t, t);
  if (trip && 'city' in trip) {
    const city = trip.city; // business trip / visiting family: hotel Wi-Fi or mobile data
    const net = rng.chance(0.5) ? mobileAddress(rng, world, city) : { ip: ipIn(rng, rng.pick(city.prefixes)), cgnat: false };
    return route(placeAt(rng, city, device, p.gpsConsent, net.ip), 'domestic', net.cgnat);
  }
  if (trip) return route(abroad(rng, trip.place, device, p.gpsConsent), 'abroad', false);
  if (p.office && officeHours(t) && rng.chance(REALISTIC.officeNat)) {
    return { where: placeAt(rng, p.home, device, p.gpsConsent, rng.pick(p.office.nats)), nat: 'office' };
  }
  const router = p.household.router;
  const net = router !== undefined && rng.chance(REALISTIC.router) ? { ip: router, cgnat: false } : mobileAddress(rng, world, p.home);
  return route(placeAt(rng, p.home, device, p.gpsConsent, net.ip), undefined, net.cgnat);
}

/**
 * The trip `p` is on at `t`: the one under way, or a new one (another city, or abroad, for 1–7 days) with the
 * REALISTIC travel odds. People do not teleport: a trip starts only hours after their last application (a flight
 * or a train), so a traveller's applications never look like impossible travel.
 */
function tripAt(rng: Rng, p: RealPerson, t: number, onSharedDevice: boolean): RealPerson['trip'] {
  const recent = p.lastAt !== undefined && t - p.lastAt < REALISTIC.tripMinGapMs;
  // Under way, or over but not yet back: the last application was from there only hours ago.
  if (p.trip && (t < p.trip.until || recent)) return p.trip;
  p.trip = undefined;
  const r = rng.next();
  if (r >= REALISTIC.travelChina + REALISTIC.travelAbroad) return undefined;
  if (recent || onSharedDevice) return undefined; // the household's tablet does not go on trips
  const until = t + rng.range(1, 7) * 86_400_000;
  if (r < REALISTIC.travelChina) {
    const city = CITY_TABLE.pick(rng);
    if (city === p.home) return undefined;
    p.trip = { city, until };
  } else p.trip = { place: rng.pick(ABROAD), until };
  return p.trip;
}
