import type { Device } from '../devices.js';
import type { CityEntry } from '../geo-table.js';
import { makeAddress, makeBankCard, makeEmail, makeLocalEmployer, makeMobile } from '../identity.js';
import { CITY_TABLE, ipIn, makePerson, type Person } from '../people.js';
import type { Rng } from '../prng.js';
import type { Where } from '../records.js';
import type { CampaignPlan } from '../engine.js';
import { mobileIp, placeAt } from './network.js';
import { pickPartner, type World } from './world.js';

/**
 * Ring members of the realistic profile: clean-looking people with camouflage.
 *
 * - random camouflage: their own phone, device, e-mail, home broadband address, employer, 1–3 ordinary contacts;
 * - biased camouflage (40 % of members): they also list a popular contact and/or apply through a CGNAT or office NAT
 *   address, like many legit applicants do.
 *
 * A member is rebuilt from its own random stream whenever it applies (rings can last days: in-flight rings then
 * hold a schedule, not people). `startMs` fixes the birth-date reference, so every rebuild gives the same person.
 */

export interface Member {
  p: Person;
  device: Device;
  /** Own home broadband address. */
  router: string;
  /** Biased camouflage: applies through CGNAT / office NAT half of the time. */
  viaSharedNat: boolean;
}

export interface RingBase {
  plan: CampaignPlan;
  world: World;
  city: CityEntry;
  n: number;
  /** Members' own numbers (fixed up front: other members may list them). */
  phones: string[];
}

export function ringBase(plan: CampaignPlan, world: World, n: number): RingBase {
  const rng = plan.rng;
  return { plan, world, city: CITY_TABLE.pick(rng), n, phones: Array.from({ length: n }, () => makeMobile(rng)) };
}

/**
 * Member `i` of the ring (the same person every time). In `residential` rings (shapes whose members must apply from
 * their own home broadband) the biased camouflage is a popular contact only.
 */
export function member(b: RingBase, i: number, residential = false): Member {
  const rng = b.plan.rng.fork(`member-${i}`);
  const home = rng.chance(0.8) ? b.city : CITY_TABLE.pick(rng);
  const p = makePerson(rng, b.plan.startMs, { home, deviceCount: 1 });
  p.phone = b.phones[i] as string;
  p.email ??= makeEmail(rng, p.surname, p.given, Number(p.nationalId.slice(6, 10)));
  p.bankAccount ??= makeBankCard(rng);
  p.address ??= makeAddress(rng, home.city, home.province);
  p.employer = makeLocalEmployer(rng, home.city);
  p.partners = [pickPartner(rng), pickPartner(rng)];
  p.contacts = Array.from({ length: rng.int(1, 3) }, () => makeMobile(rng));
  const biased = rng.chance(0.4);
  const bias = !biased ? -1 : residential ? 0 : rng.int(0, 2); // 0: popular contact, 1: shared NAT, 2: both
  if (bias === 0 || bias === 2) p.contacts.push(rng.pick(b.world.popular).phone);
  return { p, device: p.devices[0] as Device, router: ipIn(rng, rng.pick(home.prefixes)), viaSharedNat: bias >= 1 };
}

/** A member's application from their own surroundings: home router, mobile data, or (biased) a shared NAT. */
export function memberWhere(rng: Rng, b: RingBase, m: Member, device: Device, residentialOnly = false): Where {
  const city = m.p.home;
  let ip: string;
  if (!residentialOnly && m.viaSharedNat && rng.chance(0.5)) ip = rng.chance(0.7) ? b.world.cgnatIp(rng, city) : b.world.officeIp(rng, city);
  else if (residentialOnly || rng.chance(0.8)) ip = m.router;
  else ip = mobileIp(rng, b.world, city);
  return placeAt(rng, city, device, m.p.gpsConsent, ip);
}

export interface Slot {
  t: number;
  member: number;
  /** The member's how-many-th application (0 = first). */
  nth: number;
}

/** `size` applications over `n` members, 1..maxPer each (needs n <= size <= n·maxPer), in time order over the span. */
export function ringSlots(rng: Rng, size: number, n: number, start: number, dur: number, maxPer = 3): Slot[] {
  const counts = Array.from({ length: n }, () => 1);
  const open = counts.map((_, i) => i); // members with fewer than maxPer applications
  for (let extra = size - n; extra > 0 && open.length > 0; extra--) {
    const k = Math.floor(rng.next() * open.length);
    const m = open[k] as number;
    if (++counts[m]! >= maxPer) {
      open[k] = open[open.length - 1] as number;
      open.pop();
    }
  }
  const slots: Slot[] = [];
  counts.forEach((k, m) => {
    const ts = Array.from({ length: k }, () => start + rng.next() * dur).sort((a, b) => a - b);
    ts.forEach((t, nth) => slots.push({ t, member: m, nth }));
  });
  return slots.sort((a, b) => a.t - b.t || a.member - b.member);
}

export function ringIdOf(rng: Rng, prefix = 'ring'): string {
  return `${prefix}-${rng.hex(8)}`;
}
