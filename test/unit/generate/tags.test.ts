import { describe, expect, it } from 'vitest';
import {
  ABROAD,
  CN_CITIES,
  cidrRange,
  generateTraffic,
  ipv4ToNumber,
  Rng,
  TAGS,
  type CityEntry,
  type GeneratedApplication,
  type Tag,
  type TrafficOptions,
} from '../../../src/generate/index.js';
import { BIG_EMPLOYERS } from '../../../src/generate/identity.js';
import { World } from '../../../src/generate/realistic/world.js';

// Truth tags of the realistic profile: each tag checked against what the records show, on one day of traffic.
const SEED = 's1';
const START = Date.UTC(2026, 10, 30, 0, 0, 0);
const take = (opts: TrafficOptions): GeneratedApplication[] => [...generateTraffic(opts)];
const sample = take({ seed: SEED, count: 20_000, spanMs: 24 * 3_600_000, startMs: START });
/** The same world the generator built (same seed and stream label): CGNAT pools and popular contacts. */
const world = new World(new Rng(`lendguard-generate:${SEED}`).fork('world'));
const digits = (phone: string): string => phone.replace(/[\s-]/g, '').replace(/^\+86/, '');
const has = (r: GeneratedApplication, tag: Tag): boolean => r._truth.tags?.includes(tag) ?? false;
// The background: legit records without the genuine first applications of impossible-travel pairs.
const background = sample.filter((r) => !r._truth.fraud && !has(r, 'takeover-victim'));

const inPrefixes = (ip: string, prefixes: readonly string[]): boolean => {
  const n = ipv4ToNumber(ip);
  return prefixes.some((p) => {
    const { first, size } = cidrRange(p);
    return n >= first && n < first + size;
  });
};
const cityByName = new Map<string, CityEntry>(CN_CITIES.flatMap((c) => [[c.city, c] as const, [c.cityZh, c] as const]));

/** Records for which `earlier(seen, r)` holds, where `seen` is what came before `r` (in output order). */
function withHistory<S>(
  init: S,
  earlier: (seen: S, r: GeneratedApplication) => boolean,
  note: (seen: S, r: GeneratedApplication) => void,
): Set<GeneratedApplication> {
  const out = new Set<GeneratedApplication>();
  for (const r of background) {
    if (earlier(init, r)) out.add(r);
    note(init, r);
  }
  return out;
}

/** `tag` is on exactly the records of `expected`. */
function expectTagOn(tag: Tag, expected: Set<GeneratedApplication>): void {
  const tagged = background.filter((r) => has(r, tag));
  expect(tagged.length, tag).toBeGreaterThan(10);
  expect(tagged.filter((r) => !expected.has(r)).map((r) => r.applicationId)).toEqual([]);
  expect(background.filter((r) => !has(r, tag) && expected.has(r)).map((r) => r.applicationId)).toEqual([]);
}

const seenWith = (key: (r: GeneratedApplication) => string | undefined) =>
  withHistory(
    new Map<string, Set<string>>(),
    (seen, r) => {
      const k = key(r);
      return k !== undefined && [...(seen.get(k) ?? [])].some((id) => id !== r.applicant.nationalId);
    },
    (seen, r) => {
      const k = key(r);
      if (k !== undefined) seen.set(k, (seen.get(k) ?? new Set()).add(r.applicant.nationalId));
    },
  );

describe('realistic truth tags', () => {
  it('only known tags, distinct, in TAGS order, never an empty list; on legit records and multi-lender only', () => {
    for (const r of sample) {
      const tags = r._truth.tags;
      if (tags === undefined) continue;
      expect(tags.length).toBeGreaterThan(0);
      expect([...tags].sort((a, b) => TAGS.indexOf(a) - TAGS.indexOf(b))).toEqual(tags);
      expect(new Set(tags).size).toBe(tags.length);
      expect(!r._truth.fraud || r._truth.pattern === 'multi-lender').toBe(true);
    }
    expect(background.filter((r) => r._truth.tags === undefined).length).toBeGreaterThan(1000);
  });

  it('cgnat: exactly the records sent from a CGNAT pool address, which carry 100+ identities', () => {
    const pool = new Set(CN_CITIES.flatMap((c) => world.cgnatIps(c)));
    const tagged = background.filter((r) => has(r, 'cgnat'));
    expect(tagged.length).toBeGreaterThan(1000);
    for (const r of tagged) expect(pool.has(r.network.ip), r.applicationId).toBe(true);
    // Other addresses are random hosts of the same prefixes: they hit a pool address by chance at most.
    expect(background.filter((r) => !has(r, 'cgnat') && pool.has(r.network.ip)).length).toBeLessThanOrEqual(3);
    const ids = new Map<string, Set<string>>();
    for (const r of tagged) ids.set(r.network.ip, (ids.get(r.network.ip) ?? new Set()).add(r.applicant.nationalId));
    expect(Math.max(...[...ids.values()].map((s) => s.size))).toBeGreaterThanOrEqual(100);
  });

  it('popular-contact: exactly the records that list one of the popular numbers', () => {
    const popular = new Set(world.popular.map((p) => p.phone));
    expectTagOn('popular-contact', new Set(background.filter((r) => (r.applicant.contacts ?? []).some((c) => popular.has(digits(c))))));
  });

  it('family: exactly the records of an address another identity applied with before', () => {
    expectTagOn(
      'family',
      seenWith((r) => r.applicant.address),
    );
  });

  it('shared-device: exactly the records of a device another identity applied from before', () => {
    expectTagOn(
      'shared-device',
      seenWith((r) => r.device.deviceId),
    );
  });

  it('repeat: exactly the records of an identity that applied before', () => {
    const again = withHistory(
      new Set<string>(),
      (seen, r) => seen.has(r.applicant.nationalId),
      (seen, r) => void seen.add(r.applicant.nationalId),
    );
    expectTagOn('repeat', again);
  });

  it('traveller-abroad: exactly the records from abroad; traveller-domestic: from another city than the declared one', () => {
    expectTagOn('traveller-abroad', new Set(background.filter((r) => ABROAD.some((a) => inPrefixes(r.network.ip, a.prefixes)))));
    const declared = background.filter((r) => !has(r, 'traveller-abroad') && r.applicant.declaredRegion?.city !== undefined);
    const away = new Set(declared.filter((r) => !inPrefixes(r.network.ip, cityByName.get(r.applicant.declaredRegion?.city ?? '')?.prefixes ?? [])));
    const tagged = declared.filter((r) => has(r, 'traveller-domestic'));
    expect(tagged.length).toBeGreaterThan(50);
    expect(tagged.filter((r) => !away.has(r))).toEqual([]);
    expect(declared.filter((r) => !has(r, 'traveller-domestic') && away.has(r))).toEqual([]);
  });

  it('office: employees only; every employee of a big (national-name) office; small offices through the NAT in office hours', () => {
    const tagged = background.filter((r) => has(r, 'office'));
    expect(tagged.length).toBeGreaterThan(2000);
    for (const r of tagged) expect(r.applicant.employer, r.applicationId).toBeDefined();
    const big = new Set<string>(BIG_EMPLOYERS);
    const bigStaff = background.filter((r) => big.has(r.applicant.employer ?? ''));
    expect(bigStaff.length).toBeGreaterThan(300);
    for (const r of bigStaff) expect(has(r, 'office'), r.applicationId).toBe(true);
    // Employees of small offices are tagged when they apply through the office NAT: during office hours only.
    const hour = (r: GeneratedApplication): number => Math.floor((Date.parse(r.eventTime) / 3_600_000 + 8) % 24);
    const employees = new Map<string, number>();
    for (const r of background) if (r.applicant.employer) employees.set(r.applicant.employer, (employees.get(r.applicant.employer) ?? 0) + 1);
    const smallAtNight = tagged.filter((r) => (employees.get(r.applicant.employer ?? '') ?? 0) <= 3 && (hour(r) < 8 || hour(r) >= 20));
    expect(smallAtNight.length).toBeLessThan(tagged.length * 0.01);
  });
});

describe('impossible-travel truth', () => {
  it('realistic: the at-home first application is the genuine customer, labelled legit with tag takeover-victim', () => {
    const victims = sample.filter((r) => has(r, 'takeover-victim'));
    expect(victims.length).toBeGreaterThan(5);
    const travel = sample.filter((r) => r._truth.pattern === 'impossible-travel');
    for (const v of victims) {
      expect(v._truth).toEqual({ fraud: false, pattern: 'legit', tags: ['takeover-victim'] });
      const later = travel.filter((r) => r.applicant.nationalId === v.applicant.nationalId);
      expect(later.length).toBeGreaterThanOrEqual(1);
      for (const r of later) {
        expect(r._truth.fraud).toBe(true);
        expect(r.eventTime >= v.eventTime).toBe(true);
        expect(r.device.deviceId).toBe(v.device.deviceId);
      }
    }
    // Every impossible-travel identity has exactly one genuine first application.
    const ids = new Set(travel.map((r) => r.applicant.nationalId));
    expect(victims.map((v) => v.applicant.nationalId).sort()).toEqual([...ids].sort());
  });

  it('simple: unchanged, every record of the campaign is fraud and no record has tags', () => {
    const simple = take({ seed: SEED, count: 6000, startMs: START, attackShare: 0.3, profile: 'simple' });
    expect(simple.some((r) => 'tags' in r._truth)).toBe(false);
    const travel = simple.filter((r) => r._truth.pattern === 'impossible-travel');
    expect(travel.length).toBeGreaterThan(10);
    for (const r of travel) expect(r._truth.fraud).toBe(true);
  });
});

describe('trips (realistic background)', () => {
  const where = (r: GeneratedApplication): string => (has(r, 'traveller-abroad') ? 'abroad' : has(r, 'traveller-domestic') ? 'trip' : 'home');

  it('never teleports an honest applicant: a change between home, a trip and abroad is at least 6 hours after the last application', () => {
    const last = new Map<string, { at: number; where: string }>();
    let changes = 0;
    for (const r of background) {
      const at = Date.parse(r.eventTime);
      const prev = last.get(r.applicant.nationalId);
      if (prev && prev.where !== where(r)) {
        changes++;
        expect(at - prev.at, `${r.applicationId}: ${prev.where} → ${where(r)}`).toBeGreaterThanOrEqual(6 * 3_600_000);
      }
      last.set(r.applicant.nationalId, { at, where: where(r) });
    }
    expect(changes).toBeGreaterThan(0); // there are trips to check
  });
});
