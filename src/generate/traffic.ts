import type { GeoPoint, RawApplication } from '../domain/application.js';
import { BOT_UAS, makeDevice, makeDeviceId, type Device } from './devices.js';
import { ABROAD, CN_CITIES, DATACENTERS, type AbroadEntry, type CityEntry } from './geo-table.js';
import { makeBankCard, makeMobile } from './identity.js';
import {
  applicantOf, CITY_TABLE, declaredRegion, distanceKm, gpsNear, ipIn, makeFraudLoan, makeLoan, makePerson, sameSlash24,
  zoneFor, type Loan, type Person,
} from './people.js';
import { Rng } from './prng.js';

/** The traffic generator (pure and deterministic per seed): background applicants plus labelled attack campaigns. */

export const ATTACK_KINDS = [
  'device-farm', 'identity-cycling', 'identity-many-devices', 'proxy-burst', 'impossible-travel', 'bot', 'ring',
] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];
export const RING_PATTERNS = ['ring-shared-device', 'ring-shared-contacts', 'ring-chain'] as const;
export type RingPattern = (typeof RING_PATTERNS)[number];
export type Pattern = 'legit' | Exclude<AttackKind, 'ring'> | RingPattern;
export const PATTERNS: readonly Pattern[] = ['legit', ...ATTACK_KINDS.filter((k): k is Exclude<AttackKind, 'ring'> => k !== 'ring'), ...RING_PATTERNS];

export interface GroundTruth {
  fraud: boolean;
  pattern: Pattern;
  ringId?: string;
}

/** A contract-v1 application plus the ground truth as the extra top-level property `_truth` (ignored by the processor). */
export type GeneratedApplication = RawApplication & { _truth: GroundTruth };

export interface TrafficOptions {
  /** Same seed, same options → the same records, byte for byte. Default 1. */
  seed?: string | number;
  /** Event time of the first records (ms since epoch). Default 2026-11-28T02:00:00Z (the core never reads the clock). */
  startMs?: number;
  /** Number of records; omitted = endless (the caller stops iterating). */
  count?: number;
  /** Event-time rate: records per second of event time. Default 50. */
  eventsPerSecond?: number;
  /** With `count`: the event-time span the records are spread over. Default count / eventsPerSecond. */
  spanMs?: number;
  /** Attack kinds to inject. Default all. */
  attacks?: readonly AttackKind[];
  /** Share of records that belong to attacks, 0..1. Default 0.05. */
  attackShare?: number;
  /** applicationId prefix. Default derived from the seed. */
  idPrefix?: string;
}

export const DEFAULT_START_MS = Date.UTC(2026, 10, 28, 2, 0, 0);

/** Parses `all`, `none` or a comma list of attack kinds; throws naming the unknown ones. */
export function parseAttackKinds(text: string): AttackKind[] {
  const t = text.trim().toLowerCase();
  if (t === 'all' || t === '') return [...ATTACK_KINDS];
  if (t === 'none') return [];
  const names = t.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const kinds: AttackKind[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    const kind = (RING_PATTERNS as readonly string[]).includes(n) ? 'ring' : n;
    if ((ATTACK_KINDS as readonly string[]).includes(kind)) {
      if (!kinds.includes(kind as AttackKind)) kinds.push(kind as AttackKind);
    } else unknown.push(n);
  }
  if (unknown.length > 0) throw new Error(`unknown attack kind(s): ${unknown.join(', ')} (known: ${ATTACK_KINDS.join(', ')}, all, none)`);
  return kinds;
}

// ---------------------------------------------------------------------------------------------------------------
// Records

interface Where {
  ip: string;
  gps?: GeoPoint;
  timezone?: string;
}

interface Draft {
  t: number;
  loan: Loan;
  applicant: RawApplication['applicant'];
  device: Device;
  /** Device fields to drop (e.g. bots send no screen). */
  omit?: readonly ('screen' | 'language' | 'timezone' | 'rooted' | 'emulator')[];
  where: Where;
  truth: GroundTruth;
}

function toRecord(id: string, d: Draft): GeneratedApplication {
  const device: RawApplication['device'] = {
    deviceId: d.device.deviceId,
    userAgent: d.device.userAgent,
    platform: d.device.platform,
    timezone: d.where.timezone ?? d.device.timezone,
    language: d.device.language,
    screen: d.device.screen,
  };
  if (d.where.gps) device.gps = d.where.gps;
  device.rooted = d.device.rooted;
  device.emulator = d.device.emulator;
  for (const k of d.omit ?? []) delete device[k];
  return {
    schemaVersion: 1,
    applicationId: id,
    eventTime: new Date(Math.floor(d.t)).toISOString(),
    partnerId: d.loan.partnerId,
    product: d.loan.product,
    amount: d.loan.amount,
    currency: 'CNY',
    termMonths: d.loan.termMonths,
    applicant: d.applicant,
    device,
    network: { ip: d.where.ip },
    _truth: d.truth,
  };
}

const LEGIT: GroundTruth = { fraud: false, pattern: 'legit' };

function atCity(rng: Rng, city: CityEntry, device: Device, gpsConsent: boolean, prefix?: string): Where {
  const w: Where = { ip: ipIn(rng, prefix ?? rng.pick(city.prefixes)) };
  const gpsLikely = device.platform === 'web' ? 0.05 : gpsConsent ? 0.95 : 0;
  if (rng.chance(gpsLikely)) w.gps = gpsNear(rng, city.lat, city.lon, 5);
  return w;
}

function abroad(rng: Rng, place: AbroadEntry, device: Device, gpsConsent: boolean): Where {
  const w: Where = { ip: ipIn(rng, rng.pick(place.prefixes)) };
  if (device.platform !== 'web' && gpsConsent && rng.chance(0.9)) w.gps = gpsNear(rng, place.lat, place.lon, 8);
  // Phones switch zone automatically on arrival; some are set by hand and stay on Beijing time.
  if (rng.chance(0.7)) w.timezone = place.timezone;
  return w;
}

// ---------------------------------------------------------------------------------------------------------------
// Background: ordinary applicants, with repeat applications, households, colleagues, travellers.

class Population {
  private readonly recent: Person[] = [];
  private next = 0;
  private static readonly CAP = 20_000;

  constructor(private readonly rng: Rng) {}

  private remember(p: Person): void {
    if (this.recent.length < Population.CAP) this.recent.push(p);
    else this.recent[this.next++ % Population.CAP] = p;
  }

  pick(t: number): Person {
    const rng = this.rng;
    if (this.recent.length > 50 && rng.chance(0.12)) return rng.pick(this.recent); // re-application, other partner/product
    let p: Person;
    const other = this.recent.length > 50 ? rng.pick(this.recent) : undefined;
    const r = rng.next();
    if (other && r < 0.08) {
      // Household: same address and city, list each other as contacts, sometimes share the family tablet/phone.
      p = makePerson(rng, t, { home: other.home, surname: rng.chance(0.6) ? other.surname : undefined });
      if (other.address) p.address = other.address;
      p.homePrefix = other.homePrefix;
      p.contacts = [other.phone, ...p.contacts.slice(0, 3)];
      if (!other.contacts.includes(p.phone) && other.contacts.length < 6) other.contacts.push(p.phone);
      if (rng.chance(0.25) && other.devices[0]) p.devices = [other.devices[0], ...p.devices];
    } else if (other && r < 0.14 && other.employer) {
      // Colleague: same employer and city; some list a colleague as emergency contact.
      p = makePerson(rng, t, { home: other.home });
      p.employer = other.employer;
      if (rng.chance(0.3)) p.contacts = [other.phone, ...p.contacts.slice(0, 3)];
    } else {
      p = makePerson(rng, t);
    }
    this.remember(p);
    return p;
  }

  draft(t: number): Draft {
    const rng = this.rng;
    const p = this.pick(t);
    const device = p.devices.length > 1 && rng.chance(0.2) ? (p.devices[1] as Device) : (p.devices[0] as Device);
    let where: Where;
    const r = rng.next();
    if (r < 0.012) {
      where = atCity(rng, CITY_TABLE.pick(rng), device, p.gpsConsent); // business trip / visiting family
    } else if (r < 0.015) {
      where = abroad(rng, rng.pick(ABROAD), device, p.gpsConsent); // holiday abroad
    } else {
      where = atCity(rng, p.home, device, p.gpsConsent, rng.chance(0.7) ? p.homePrefix : undefined);
    }
    return { t, loan: makeLoan(rng, p.partners), applicant: applicantOf(rng, p), device, where, truth: LEGIT };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Attack campaigns. Each is a generator of drafts in time order, with its own random stream.

interface CampaignPlan {
  kind: AttackKind;
  pattern: Pattern;
  size: number;
  startMs: number;
  durationMs: number;
  rng: Rng;
}

/** `n` sorted times in [start, start + dur]. */
function timesIn(rng: Rng, n: number, start: number, dur: number): number[] {
  return Array.from({ length: n }, () => start + rng.next() * dur).sort((a, b) => a - b);
}

function bought(rng: Rng, t: number, home?: CityEntry): Person {
  return makePerson(rng, t, { sparse: true, virtualShare: 0.45, deviceCount: 0, ...(home ? { home } : {}) });
}

function attackWhere(rng: Rng, ip: string, gps?: GeoPoint, timezone?: string): Where {
  const w: Where = { ip };
  if (gps) w.gps = gps;
  if (timezone) w.timezone = timezone;
  return w;
}

function* deviceFarm(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const farmCity = CITY_TABLE.pick(rng);
  const emulator = rng.chance(0.6);
  const device = makeDevice(rng, { platform: 'android', emulator, rooted: emulator || rng.chance(0.5) });
  const base = ipIn(rng, rng.pick(farmCity.prefixes));
  const ips = [base, ...Array.from({ length: rng.int(0, 3) }, () => sameSlash24(rng, base))];
  const truth: GroundTruth = { fraud: true, pattern: 'device-farm' };
  let person = bought(rng, c.startMs);
  let retried = true;
  for (const t of timesIn(rng, c.size, c.startMs, c.durationMs)) {
    // A few identities are retried once right away (another partner, another amount); most are used once.
    retried = !retried && rng.chance(0.15);
    if (!retried) person = bought(rng, t);
    const gpsMode = rng.next();
    // Spoofed GPS at the identity's declared city (far from the farm's IP), none, or the farm's real location.
    const gps = gpsMode < 0.35 ? gpsNear(rng, person.home.lat, person.home.lon, 3) : gpsMode < 0.7 ? undefined : gpsNear(rng, farmCity.lat, farmCity.lon, 1);
    yield { t, loan: makeFraudLoan(rng), applicant: applicantOf(rng, person), device, where: attackWhere(rng, rng.pick(ips), gps), truth };
  }
}

function* identityCycling(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const city = CITY_TABLE.pick(rng);
  const device = makeDevice(rng, { platform: rng.chance(0.7) ? 'android' : 'ios', rooted: rng.chance(0.3) });
  let ip = ipIn(rng, rng.pick(city.prefixes));
  const truth: GroundTruth = { fraud: true, pattern: 'identity-cycling' };
  let person = bought(rng, c.startMs);
  let retried = true;
  for (const t of timesIn(rng, c.size, c.startMs, c.durationMs)) {
    retried = !retried && rng.chance(0.2);
    if (!retried) person = bought(rng, t);
    if (rng.chance(0.1)) ip = ipIn(rng, rng.pick(city.prefixes)); // mobile network re-assigns the address
    const gps = rng.chance(0.6) ? gpsNear(rng, city.lat, city.lon, 2) : undefined;
    yield { t, loan: makeFraudLoan(rng), applicant: applicantOf(rng, person), device, where: attackWhere(rng, ip, gps), truth };
  }
}

function* identityManyDevices(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const victim = bought(rng, c.startMs);
  const otherPhone = makeMobile(rng, 0.6);
  const truth: GroundTruth = { fraud: true, pattern: 'identity-many-devices' };
  const sameCity = rng.chance(0.5) ? CITY_TABLE.pick(rng) : undefined;
  let device = makeDevice(rng, { rooted: rng.chance(0.3) });
  for (const t of timesIn(rng, c.size, c.startMs, c.durationMs)) {
    if (rng.chance(0.85)) device = makeDevice(rng, { emulator: rng.chance(0.2), rooted: rng.chance(0.3) });
    const city = sameCity ?? CITY_TABLE.pick(rng);
    const applicant = applicantOf(rng, victim);
    if (rng.chance(0.2)) applicant.phone = `+86${otherPhone}`;
    const gps = device.platform !== 'web' && rng.chance(0.5) ? gpsNear(rng, city.lat, city.lon, 4) : undefined;
    yield { t, loan: makeFraudLoan(rng), applicant, device, where: attackWhere(rng, ipIn(rng, rng.pick(city.prefixes)), gps), truth };
  }
}

function* proxyBurst(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const dc = rng.pick(DATACENTERS);
  const base = ipIn(rng, dc.prefix);
  const singleIp = rng.chance(0.5);
  const truth: GroundTruth = { fraud: true, pattern: 'proxy-burst' };
  const platform = rng.chance(0.5) ? 'web' : 'android';
  for (const t of timesIn(rng, c.size, c.startMs, c.durationMs)) {
    const person = bought(rng, t);
    const device = makeDevice(rng, { platform, desktopShare: 0.8, emulator: platform === 'android' && rng.chance(0.4) });
    // Apps behind a proxy still report GPS: spoofed to the identity's declared city, or absent.
    const gps = platform === 'android' && rng.chance(0.4) ? gpsNear(rng, person.home.lat, person.home.lon, 3) : undefined;
    yield { t, loan: makeFraudLoan(rng), applicant: applicantOf(rng, person), device, where: attackWhere(rng, singleIp ? base : sameSlash24(rng, base), gps), truth };
  }
}

const FAR_CITIES = CN_CITIES.filter((c) => ['Urumqi', 'Lhasa', 'Harbin', 'Kunming', 'Haikou'].includes(c.city));

function* impossibleTravel(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const person = makePerson(rng, c.startMs, { deviceCount: 1 });
  person.gpsConsent = true;
  const device = person.devices[0] as Device;
  const truth: GroundTruth = { fraud: true, pattern: 'impossible-travel' };
  const far = FAR_CITIES.reduce((best, city) =>
    distanceKm(person.home.lat, person.home.lon, city.lat, city.lon) > distanceKm(person.home.lat, person.home.lon, best.lat, best.lon) ? city : best,
  );
  const goAbroad = rng.chance(0.4);
  const place = rng.pick(ABROAD);
  const times = timesIn(rng, c.size, c.startMs, c.durationMs);
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    // First at home; then, minutes later, the same identity and device from thousands of km away (a session or
    // device-id replay by whoever bought the data); sometimes back home again.
    const away = i % 2 === 1;
    let where: Where;
    if (!away) where = atCity(rng, person.home, device, true, person.homePrefix);
    else if (goAbroad) where = abroad(rng, place, device, true);
    else where = atCity(rng, far, device, true);
    yield { t, loan: i === 0 ? makeLoan(rng, person.partners) : makeFraudLoan(rng), applicant: applicantOf(rng, person), device, where, truth };
  }
}

function* bot(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const ua = rng.pick(BOT_UAS);
  const rotateIds = rng.chance(0.6);
  const dcIp = rng.chance(0.7);
  const ip = dcIp ? ipIn(rng, rng.pick(DATACENTERS).prefix) : ipIn(rng, rng.pick(CITY_TABLE.pick(rng).prefixes));
  const platform = /okhttp/.test(ua) ? 'android' : rng.chance(0.5) ? 'web' : 'other';
  const truth: GroundTruth = { fraud: true, pattern: 'bot' };
  let deviceId = makeDeviceId(rng, platform);
  for (const t of timesIn(rng, c.size, c.startMs, c.durationMs)) {
    if (rotateIds) deviceId = makeDeviceId(rng, platform);
    const device: Device = { deviceId, platform, userAgent: ua, screen: '', language: rng.chance(0.5) ? 'en-US' : 'zh-CN', timezone: rng.chance(0.5) ? 'UTC' : 'Asia/Shanghai', rooted: false, emulator: false };
    yield {
      t, loan: makeFraudLoan(rng), applicant: applicantOf(rng, bought(rng, t)), device,
      omit: ['screen', 'rooted', 'emulator', ...(rng.chance(0.5) ? (['language'] as const) : [])],
      where: attackWhere(rng, rotateIds && !dcIp ? sameSlash24(rng, ip) : ip), truth,
    };
  }
}

/** Ring members are ordinary-looking people: own phone, bank card, device, home IP, normal hours. */
function ringMembers(rng: Rng, t: number, n: number, city: CityEntry): Person[] {
  return Array.from({ length: n }, () => makePerson(rng, t, { home: rng.chance(0.8) ? city : CITY_TABLE.pick(rng), deviceCount: 1 }));
}

/** Splits `size` applications over members (each at least one), in time order over the ring's span. */
function ringSchedule(rng: Rng, size: number, members: number, start: number, dur: number): { t: number; member: number; nth: number }[] {
  const counts = Array.from({ length: members }, () => 1);
  for (let extra = size - members; extra > 0; extra--) counts[rng.int(0, members - 1)]! += 1;
  const items: { t: number; member: number; nth: number }[] = [];
  counts.forEach((k, member) => timesIn(rng, k, start, dur).forEach((t, nth) => items.push({ t, member, nth })));
  return items.sort((a, b) => a.t - b.t || a.member - b.member);
}

function ringId(rng: Rng): string {
  return `ring-${rng.hex(8)}`;
}

function* ringSharedDevice(c: CampaignPlan): Generator<Draft> {
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

function* ringSharedContacts(c: CampaignPlan): Generator<Draft> {
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
    yield { t: s.t, loan: makeLoan(rng, m.partners), applicant: applicantOf(rng, m), device, where: atCity(rng, m.home, device, m.gpsConsent, m.homePrefix), truth };
  }
}

export const CHAIN_LINKS = ['bankAccount', 'deviceId', 'phone', 'address', 'email', 'contact'] as const;
export type ChainLink = (typeof CHAIN_LINKS)[number];

function* ringChain(c: CampaignPlan): Generator<Draft> {
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

interface KindSpec {
  weight: number;
  min: number;
  size: (rng: Rng) => number;
  /** Natural duration in ms. */
  duration: (rng: Rng) => number;
}

const MIN = 60_000;
const KINDS: Record<AttackKind, KindSpec> = {
  'device-farm': { weight: 1, min: 4, size: (r) => r.int(8, 30), duration: (r) => r.range(3, 15) * MIN },
  'identity-cycling': { weight: 1.2, min: 3, size: (r) => r.int(4, 12), duration: (r) => r.range(2, 20) * MIN },
  'identity-many-devices': { weight: 1.2, min: 3, size: (r) => r.int(4, 10), duration: (r) => r.range(10, 60) * MIN },
  'proxy-burst': { weight: 0.8, min: 4, size: (r) => r.int(10, 40), duration: (r) => r.range(2, 10) * MIN },
  'impossible-travel': { weight: 3, min: 2, size: (r) => (r.chance(0.3) ? 3 : 2), duration: (r) => r.range(5, 40) * MIN },
  bot: { weight: 1.2, min: 2, size: (r) => r.int(5, 20), duration: (r) => r.range(1, 5) * MIN },
  ring: { weight: 0.8, min: 5, size: (r) => r.int(8, 24), duration: (r) => r.range(1, 6) * 60 * MIN },
};

function campaign(c: CampaignPlan): Generator<Draft> {
  switch (c.pattern) {
    case 'device-farm': return deviceFarm(c);
    case 'identity-cycling': return identityCycling(c);
    case 'identity-many-devices': return identityManyDevices(c);
    case 'proxy-burst': return proxyBurst(c);
    case 'impossible-travel': return impossibleTravel(c);
    case 'bot': return bot(c);
    case 'ring-shared-device': return ringSharedDevice(c);
    case 'ring-shared-contacts': return ringSharedContacts(c);
    case 'ring-chain': return ringChain(c);
    default: throw new Error(`no generator for ${c.pattern}`);
  }
}

function planCampaigns(rng: Rng, start: number, span: number, attackRecords: number, kinds: readonly AttackKind[]): CampaignPlan[] {
  const plans: CampaignPlan[] = [];
  let planned = 0;
  while (planned < attackRecords) {
    const remaining = attackRecords - planned;
    const eligible = kinds.filter((k) => KINDS[k].min <= remaining);
    if (eligible.length === 0) break;
    const kind = rng.weighted(eligible, eligible.map((k) => KINDS[k].weight));
    const spec = KINDS[kind];
    const size = Math.min(spec.size(rng), remaining);
    const durationMs = Math.min(spec.duration(rng), span * 0.9);
    const pattern: Pattern = kind === 'ring' ? rng.pick(RING_PATTERNS) : kind;
    plans.push({ kind, pattern, size, durationMs, startMs: start + rng.next() * Math.max(0, span - durationMs), rng: rng.fork(`campaign-${plans.length}`) });
    planned += size;
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------------------------
// Merge in event time

interface Source {
  t: number;
  order: number;
  draft?: Draft;
  gen?: Generator<Draft>;
  plan?: CampaignPlan;
}

class Heap {
  private readonly items: Source[] = [];
  get size(): number {
    return this.items.length;
  }
  peekTime(): number {
    return this.items[0]?.t ?? Number.POSITIVE_INFINITY;
  }
  private less(a: Source, b: Source): boolean {
    return a.t < b.t || (a.t === b.t && a.order < b.order);
  }
  push(s: Source): void {
    const a = this.items;
    a.push(s);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i] as Source, a[p] as Source)) break;
      [a[i], a[p]] = [a[p] as Source, a[i] as Source];
      i = p;
    }
  }
  pop(): Source | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l] as Source, a[m] as Source)) m = l;
        if (r < a.length && this.less(a[r] as Source, a[m] as Source)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as Source, a[i] as Source];
        i = m;
      }
    }
    return top;
  }
}

/** One chunk: exactly `n` records in [start, start + span), `round(n * share)` of them from attack campaigns. */
function* chunk(rng: Rng, population: Population, start: number, span: number, n: number, kinds: readonly AttackKind[], share: number): Generator<Draft> {
  const attackTarget = kinds.length > 0 ? Math.round(n * share) : 0;
  const plans = planCampaigns(rng.fork('plan'), start, span, attackTarget, kinds);
  const attackCount = plans.reduce((s, p) => s + p.size, 0);
  const heap = new Heap();
  plans.forEach((plan, i) => heap.push({ t: plan.startMs, order: i, plan }));
  // Background times: sorted uniforms generated in order (order statistics), O(1) memory.
  const bgRng = rng.fork('background-times');
  let left = n - attackCount;
  let x = 0;
  const nextBg = (): number | undefined => {
    if (left <= 0) return undefined;
    x += (1 - x) * (1 - bgRng.next() ** (1 / left));
    left--;
    return start + x * span;
  };
  let bgT = nextBg();
  for (;;) {
    const top = heap.size > 0 ? heap.pop() : undefined;
    if (bgT !== undefined && (top === undefined || bgT <= top.t)) {
      if (top) heap.push(top);
      yield population.draft(bgT);
      bgT = nextBg();
      continue;
    }
    if (top === undefined) return;
    if (top.plan) {
      const gen = campaign(top.plan);
      const first = gen.next();
      if (!first.done) heap.push({ t: first.value.t, order: top.order, draft: first.value, gen });
      continue;
    }
    if (top.draft) yield top.draft;
    const nx = top.gen?.next();
    if (nx && !nx.done && top.gen) heap.push({ t: nx.value.t, order: top.order, draft: nx.value, gen: top.gen });
  }
}

/** Mean campaign size per kind (sampled once, deterministically) to turn a record share into a campaign rate. */
function meanSize(kinds: readonly AttackKind[]): number {
  const rng = new Rng('mean-size');
  let total = 0;
  const n = 4000;
  for (let i = 0; i < n; i++) total += KINDS[rng.weighted(kinds, kinds.map((k) => KINDS[k].weight))].size(rng);
  return total / n;
}

/**
 * Endless, stationary stream: background records as a Poisson process at eps·(1−share); campaign starts as a
 * Poisson process at eps·share / mean size that begins before `start` (by the longest campaign), so campaigns are
 * already in flight at the first record; their records before `start` are dropped. The attack share is then right
 * from the first second (in expectation), not only after a ramp-up.
 */
function* endless(rng: Rng, population: Population, start: number, eps: number, kinds: readonly AttackKind[], share: number): Generator<Draft> {
  const bgRng = rng.fork('background-times');
  const bgMeanMs = 1000 / (eps * (1 - share));
  let bgT = share >= 1 ? Number.POSITIVE_INFINITY : start + bgRng.exponential(bgMeanMs);
  const planRng = rng.fork('plan');
  const attacking = kinds.length > 0 && share > 0;
  const campaignMeanMs = attacking ? 1000 / ((eps * share) / meanSize(kinds)) : Number.POSITIVE_INFINITY;
  const longest = 6 * 3_600_000;
  let nextStart = start - longest + planRng.exponential(campaignMeanMs);
  let campaigns = 0;
  const heap = new Heap();
  const planNext = (): CampaignPlan => {
    const kind = planRng.weighted(kinds, kinds.map((k) => KINDS[k].weight));
    const spec = KINDS[kind];
    const plan: CampaignPlan = {
      kind, pattern: kind === 'ring' ? planRng.pick(RING_PATTERNS) : kind, size: spec.size(planRng), durationMs: spec.duration(planRng),
      startMs: nextStart, rng: planRng.fork(`campaign-${campaigns}`),
    };
    campaigns++;
    nextStart += planRng.exponential(campaignMeanMs);
    return plan;
  };
  for (;;) {
    // Admit every campaign that starts before the next record; skip those that ended before `start`.
    while (attacking && nextStart <= Math.min(bgT, heap.peekTime())) {
      const plan = planNext();
      if (plan.startMs + plan.durationMs < start) continue;
      const gen = campaign(plan);
      for (let r = gen.next(); !r.done; r = gen.next()) {
        if (r.value.t >= start) {
          heap.push({ t: r.value.t, order: campaigns, draft: r.value, gen });
          break;
        }
      }
    }
    if (bgT <= heap.peekTime()) {
      yield population.draft(bgT);
      bgT += bgRng.exponential(bgMeanMs);
      continue;
    }
    const top = heap.pop();
    if (top === undefined) return;
    if (top.draft) yield top.draft;
    const nx = top.gen?.next();
    if (nx && !nx.done && top.gen) heap.push({ t: nx.value.t, order: top.order, draft: nx.value, gen: top.gen });
  }
}

/**
 * Generates applications in event-time order. Pure and deterministic: the same options give the same records.
 * With `count`, exactly `count` records spread over `spanMs` (exactly round(count·attackShare) of them attacks);
 * without, an endless stationary stream at `eventsPerSecond` (attack share right in expectation).
 */
export function* generateTraffic(opts: TrafficOptions = {}): Generator<GeneratedApplication> {
  const seed = opts.seed ?? 1;
  const root = new Rng(`lendguard-generate:${String(seed)}`);
  const start = opts.startMs ?? DEFAULT_START_MS;
  const eps = opts.eventsPerSecond ?? 50;
  const share = Math.min(1, Math.max(0, opts.attackShare ?? 0.05));
  const kinds = opts.attacks ?? ATTACK_KINDS;
  const idPrefix = opts.idPrefix ?? `app-${root.fork('id').hex(6)}`;
  if (!(eps > 0)) throw new Error('eventsPerSecond must be > 0');
  const population = new Population(root.fork('population'));
  let seq = 0;
  const id = (): string => `${idPrefix}-${String(++seq).padStart(9, '0')}`;
  if (opts.count !== undefined) {
    if (!Number.isInteger(opts.count) || opts.count < 0) throw new Error('count must be a non-negative integer');
    const span = opts.spanMs ?? (opts.count / eps) * 1000;
    for (const d of chunk(root.fork('chunk-0'), population, start, Math.max(1, span), opts.count, kinds, share)) yield toRecord(id(), d);
    return;
  }
  for (const d of endless(root.fork('endless'), population, start, eps, kinds, share)) yield toRecord(id(), d);
}
