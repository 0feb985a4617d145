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
export function mobileIp(rng: Rng, world: World, city: CityEntry): string {
  return rng.chance(REALISTIC.cgnat) ? world.cgnatIp(rng, city) : ipIn(rng, rng.pick(city.prefixes));
}

/** Away from home, at the office, or at home (router or mobile data). */
export function whereFor(rng: Rng, world: World, p: RealPerson, device: Device, t: number): Where {
  const r = rng.next();
  if (r < REALISTIC.travelChina) {
    const city = CITY_TABLE.pick(rng); // business trip / visiting family: hotel Wi-Fi or mobile data
    return placeAt(rng, city, device, p.gpsConsent, rng.chance(0.5) ? mobileIp(rng, world, city) : ipIn(rng, rng.pick(city.prefixes)));
  }
  if (r < REALISTIC.travelChina + REALISTIC.travelAbroad) return abroad(rng, rng.pick(ABROAD), device, p.gpsConsent);
  if (p.office && officeHours(t) && rng.chance(REALISTIC.officeNat)) return placeAt(rng, p.home, device, p.gpsConsent, rng.pick(p.office.nats));
  const router = p.household.router;
  const ip = router !== undefined && rng.chance(REALISTIC.router) ? router : mobileIp(rng, world, p.home);
  return placeAt(rng, p.home, device, p.gpsConsent, ip);
}
