import type { Device } from '../devices.js';
import { makeDevice } from '../devices.js';
import type { CityEntry } from '../geo-table.js';
import { makeBankCard, makeMobile } from '../identity.js';
import { applicantOf, CITY_TABLE, ipIn, makeLoan, makePerson, sameSlash24, type Person } from '../people.js';
import type { Rng } from '../prng.js';
import { atCity, timesIn, type Draft } from '../records.js';
import type { CampaignPlan } from '../engine.js';
import type { GroundTruth } from '../types.js';

/** The `simple` profile's rings: shared device, shared contacts, chain (unchanged from the original generator). */

/** Ring members are ordinary-looking people: own phone, bank card, device, home IP, normal hours. */
export function ringMembers(rng: Rng, t: number, n: number, city: CityEntry): Person[] {
  return Array.from({ length: n }, () => makePerson(rng, t, { home: rng.chance(0.8) ? city : CITY_TABLE.pick(rng), deviceCount: 1 }));
}

/** Splits `size` applications over members (each at least one), in time order over the ring's span. */
export function ringSchedule(rng: Rng, size: number, members: number, start: number, dur: number): { t: number; member: number; nth: number }[] {
  const counts = Array.from({ length: members }, () => 1);
  for (let extra = size - members; extra > 0; extra--) counts[rng.int(0, members - 1)]! += 1;
  const items: { t: number; member: number; nth: number }[] = [];
  counts.forEach((k, member) => timesIn(rng, k, start, dur).forEach((t, nth) => items.push({ t, member, nth })));
  return items.sort((a, b) => a.t - b.t || a.member - b.member);
}

export function ringId(rng: Rng): string {
  return `ring-${rng.hex(8)}`;
}

export function* ringSharedDevice(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const city = CITY_TABLE.pick(rng);
  const n = Math.min(c.size, Math.max(5, Math.min(12, Math.round(c.size / 1.6))));
  const members = ringMembers(rng, c.startMs, n, city);
  const shared = Array.from({ length: rng.int(2, 3) }, () => makeDevice(rng, { platform: 'android', rooted: rng.chance(0.3) }));
  const studioIp = ipIn(rng, rng.pick(city.prefixes));
  const truth: GroundTruth = { fraud: true, pattern: 'ring-shared-device', ringId: ringId(rng) };
  for (const s of ringSchedule(rng, c.size, n, c.startMs, c.durationMs)) {
    const m = members[s.member] as Person;
    // Every member applies at least once from a ring device; other applications look like their own.
    const useShared = s.nth === 0 || rng.chance(0.6);
    const device = useShared ? (shared[s.member % shared.length] as Device) : (m.devices[0] as Device);
    const where = useShared ? atCity(rng, city, device, m.gpsConsent, undefined) : atCity(rng, m.home, device, m.gpsConsent, m.homePrefix);
    if (useShared && rng.chance(0.6)) where.ip = sameSlash24(rng, studioIp);
    yield { t: s.t, loan: makeLoan(rng, m.partners), applicant: applicantOf(rng, m), device, where, truth };
  }
}

export function* ringSharedContacts(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const city = CITY_TABLE.pick(rng);
  const n = Math.min(c.size, Math.max(4, Math.min(10, Math.round(c.size / 1.5))));
  const members = ringMembers(rng, c.startMs, n, city);
  const organisers = Array.from({ length: rng.int(2, 4) }, () => makeMobile(rng, 0.4));
  members.forEach((m, i) => {
    // The organiser's number is on every member's list, plus some of the other organisers and a fellow member.
    const [boss, ...rest] = organisers as [string, ...string[]];
    const common = [boss, ...rng.shuffle([...rest]).slice(0, rng.int(1, rest.length))];
    const fellow = rng.chance(0.5) ? [(members[(i + 1) % n] as Person).phone] : [];
    m.contacts = [...common, ...fellow, ...m.contacts.slice(0, 1)];
  });
  const truth: GroundTruth = { fraud: true, pattern: 'ring-shared-contacts', ringId: ringId(rng) };
  for (const s of ringSchedule(rng, c.size, n, c.startMs, c.durationMs)) {
    const m = members[s.member] as Person;
    const device = m.devices[0] as Device;
    yield {
      t: s.t,
      loan: makeLoan(rng, m.partners),
      applicant: applicantOf(rng, m),
      device,
      where: atCity(rng, m.home, device, m.gpsConsent, m.homePrefix),
      truth,
    };
  }
}

export const CHAIN_LINKS = ['bankAccount', 'deviceId', 'phone', 'address', 'email', 'contact'] as const;
export type ChainLink = (typeof CHAIN_LINKS)[number];

export function* ringChain(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const city = CITY_TABLE.pick(rng);
  const n = Math.min(c.size, Math.max(4, Math.min(8, Math.round(c.size / 1.4))));
  const members = ringMembers(rng, c.startMs, n, city);
  let prev: ChainLink | undefined;
  for (let i = 0; i + 1 < n; i++) {
    const link: ChainLink = rng.pick(CHAIN_LINKS.filter((l) => l !== prev));
    prev = link;
    const a = members[i] as Person;
    const b = members[i + 1] as Person;
    if (link === 'bankAccount') b.bankAccount = a.bankAccount ?? (a.bankAccount = makeBankCard(rng));
    else if (link === 'deviceId') b.devices = [a.devices[0] as Device];
    else if (link === 'phone') b.phone = a.phone;
    else if (link === 'address') b.address = a.address ?? (a.address = `Room ${rng.int(101, 2808)}, ${rng.int(1, 300)} Renmin Rd, ${a.home.city}`);
    else if (link === 'email') b.email = a.email ?? (a.email = `${rng.int(1, 9)}${rng.digits(8)}@qq.com`);
    else b.contacts = [a.phone, ...b.contacts.slice(0, 3)];
  }
  const truth: GroundTruth = { fraud: true, pattern: 'ring-chain', ringId: ringId(rng) };
  for (const s of ringSchedule(rng, c.size, n, c.startMs, c.durationMs)) {
    const m = members[s.member] as Person;
    const device = m.devices[0] as Device;
    yield { t: s.t, loan: makeLoan(rng, m.partners), applicant: applicantOf(rng, m), device, where: atCity(rng, m.home, device, m.gpsConsent), truth };
  }
}
