import { describe, expect, it } from 'vitest';
import { decodeApplication } from '../../../src/boundary/validate.js';
import {
  CN_CITIES,
  cidrRange,
  generateTraffic,
  ipv4ToNumber,
  isLuhnValid,
  isMainlandMobile,
  isValidNationalId,
  type GeneratedApplication,
  type TrafficOptions,
} from '../../../src/generate/index.js';

// The realistic profile's background structure, checked on 20k records (default attack share).
const START = Date.UTC(2026, 10, 28, 2, 0, 0);
const take = (opts: TrafficOptions): GeneratedApplication[] => [...generateTraffic(opts)];
const digits = (phone: string): string => phone.replace(/[\s-]/g, '').replace(/^\+86/, '');
const sample = take({ seed: 'structure', count: 20_000, spanMs: 2 * 3_600_000, startMs: START });
// The background: legit records without the genuine first applications of impossible-travel pairs.
const legit = sample.filter((r) => !r._truth.fraud && !r._truth.tags?.includes('takeover-victim'));
const applicants = new Set(sample.map((r) => r.applicant.nationalId));

function groupBy<K, V>(items: readonly V[], key: (v: V) => K | undefined): Map<K, V[]> {
  const m = new Map<K, V[]>();
  for (const v of items) {
    const k = key(v);
    if (k === undefined) continue;
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  }
  return m;
}
const idsOf = (rs: readonly GeneratedApplication[]): Set<string> => new Set(rs.map((r) => r.applicant.nationalId));

describe('realistic profile: records', () => {
  it('is the default, deterministic per seed and different between seeds', () => {
    const a = take({ seed: 42, count: 500, startMs: START });
    expect(JSON.stringify(take({ seed: 42, count: 500, startMs: START, profile: 'realistic' }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(take({ seed: 43, count: 500, startMs: START }))).not.toBe(JSON.stringify(a));
    expect(JSON.stringify(take({ seed: 42, count: 500, startMs: START, profile: 'simple' }))).not.toBe(JSON.stringify(a));
  });

  it('exactly count records with unique ids, in event-time order inside the span, 5 % attacks', () => {
    expect(sample).toHaveLength(20_000);
    expect(new Set(sample.map((r) => r.applicationId)).size).toBe(20_000);
    for (let i = 1; i < sample.length; i++) expect(sample[i]!.eventTime >= sample[i - 1]!.eventTime).toBe(true);
    expect(Date.parse(sample[0]!.eventTime)).toBeGreaterThanOrEqual(START);
    expect(Date.parse(sample.at(-1)!.eventTime)).toBeLessThanOrEqual(START + 2 * 3_600_000);
    expect(Math.abs(sample.length - legit.length - 1000)).toBeLessThanOrEqual(1);
  });

  it('every record passes the input contract and carries valid identifiers', () => {
    const bad: string[] = [];
    for (const r of sample) {
      try {
        decodeApplication(Buffer.from(JSON.stringify(r)), { maxRecordBytes: 65536 });
      } catch (err) {
        bad.push(`${r.applicationId}: ${(err as Error).message}`);
      }
      const a = r.applicant;
      if (!isValidNationalId(a.nationalId)) bad.push(`id ${a.nationalId}`);
      if (!isMainlandMobile(a.phone)) bad.push(`phone ${a.phone}`);
      if (a.bankAccount !== undefined && !isLuhnValid(a.bankAccount)) bad.push(`card ${a.bankAccount}`);
      for (const c of a.contacts ?? []) if (!isMainlandMobile(c)) bad.push(`contact ${c}`);
      const contacts = a.contacts?.length ?? 0;
      if (!r._truth.fraud && (contacts < 1 || contacts > 5)) bad.push(`${contacts} contacts`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
});

describe('realistic profile: structure', () => {
  it('applicants form a giant connected component through their contact lists', () => {
    // Nodes: applicant phones. Edges: A lists B's phone; A and B list the same number.
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r) as string;
      parent.set(x, r);
      return r;
    };
    const phones = new Set(sample.map((r) => digits(r.applicant.phone)));
    for (const p of phones) parent.set(p, p);
    const union = (a: string, b: string): void => void parent.set(find(a), find(b));
    const firstLister = new Map<string, string>();
    for (const r of sample) {
      const a = digits(r.applicant.phone);
      for (const c of (r.applicant.contacts ?? []).map(digits)) {
        if (phones.has(c)) union(a, c);
        const f = firstLister.get(c);
        if (f === undefined) firstLister.set(c, a);
        else union(a, f);
      }
    }
    const sizes = new Map<string, number>();
    for (const p of phones) sizes.set(find(p), (sizes.get(find(p)) ?? 0) + 1);
    const giant = Math.max(...sizes.values());
    expect(giant / phones.size).toBeGreaterThanOrEqual(0.5);
  });

  it('households: 1-4 people per address, sharing the home router and listing each other', () => {
    const byAddress = groupBy(legit, (r) => r.applicant.address);
    const sizes = [...byAddress.values()].map((rs) => idsOf(rs).size);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    for (const n of [1, 2, 3, 4]) expect(sizes.filter((s) => s === n).length, `households of ${n}`).toBeGreaterThan(300);
    let multi = 0;
    let sharedIp = 0;
    let listed = 0;
    for (const rs of byAddress.values()) {
      if (idsOf(rs).size < 2) continue;
      multi++;
      if ([...groupBy(rs, (r) => r.network.ip).values()].some((g) => idsOf(g).size >= 2)) sharedIp++;
      const phones = new Set(rs.map((r) => digits(r.applicant.phone)));
      if (rs.every((r) => (r.applicant.contacts ?? []).some((c) => phones.has(digits(c))) || phones.size < 2)) listed++;
    }
    expect(sharedIp / multi).toBeGreaterThan(0.35); // the router is used for ~70 % of home applications
    expect(listed / multi).toBeGreaterThan(0.9);
  });

  it('carrier-grade NAT: some mobile addresses are shared by 100+ unrelated applicants, inside a city prefix', () => {
    const byIp = groupBy(sample, (r) => r.network.ip);
    const crowded = [...byIp].filter(([, rs]) => idsOf(rs).size >= 100).map(([ip]) => ip);
    expect(crowded.length).toBeGreaterThanOrEqual(1);
    const prefixes = CN_CITIES.flatMap((c) => c.prefixes).map(cidrRange);
    for (const ip of crowded) {
      const n = ipv4ToNumber(ip);
      expect(
        prefixes.some((p) => n >= p.first && n < p.first + p.size),
        ip,
      ).toBe(true);
    }
  });

  it('popular contacts: a handful of numbers, each listed by 1-3 % of applicants', () => {
    const listers = new Map<string, Set<string>>();
    for (const r of sample)
      for (const c of r.applicant.contacts ?? []) {
        const k = digits(c);
        listers.set(k, (listers.get(k) ?? new Set()).add(r.applicant.nationalId));
      }
    const shares = [...listers.values()].map((s) => s.size / applicants.size).filter((s) => s >= 0.01);
    expect(shares.length).toBeGreaterThanOrEqual(5);
    expect(shares.length).toBeLessThanOrEqual(10);
    for (const s of shares) expect(s).toBeLessThanOrEqual(0.03);
  });

  it('offices: a few employers with 100+ applicants, most with a handful', () => {
    const sizes = [...groupBy(legit, (r) => r.applicant.employer).values()].map((rs) => idsOf(rs).size).sort((a, b) => a - b);
    expect(sizes.at(-1)).toBeGreaterThanOrEqual(100);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThanOrEqual(30);
  });

  it('about 12 % of legit applications are re-applications with the same identity, phone and address', () => {
    const seen = new Map<string, GeneratedApplication>();
    let again = 0;
    for (const r of legit) {
      const first = seen.get(r.applicant.nationalId);
      if (first === undefined) {
        seen.set(r.applicant.nationalId, r);
        continue;
      }
      again++;
      expect(r.applicant.address).toBe(first.applicant.address);
    }
    expect(again / legit.length).toBeGreaterThan(0.1);
    expect(again / legit.length).toBeLessThan(0.14);
  });

  it('low-rate legit reuse across identities: second-hand devices, recycled numbers, family cards, shared tablets', () => {
    const across = (key: (r: GeneratedApplication) => string | undefined): number =>
      [...groupBy(legit, key).values()].filter((rs) => idsOf(rs).size > 1).length;
    const devicesAcrossHomes = [...groupBy(legit, (r) => r.device.deviceId).values()].filter(
      (rs) => new Set(rs.map((r) => r.applicant.address)).size > 1,
    ).length;
    expect(devicesAcrossHomes).toBeGreaterThan(20); // ~0.5 % of new applicants
    expect(across((r) => digits(r.applicant.phone))).toBeGreaterThan(5); // ~0.2 %
    expect(across((r) => r.applicant.bankAccount)).toBeGreaterThan(50); // ~5 % of multi-person households
    expect(across((r) => r.device.deviceId)).toBeGreaterThan(devicesAcrossHomes + 50); // shared tablets at home
  });

  it('an e-mail address belongs to one person (name-based addresses do not collide between namesakes)', () => {
    const owners = new Map<string, Set<string>>();
    for (const r of legit)
      if (r.applicant.email) (owners.get(r.applicant.email) ?? owners.set(r.applicant.email, new Set()).get(r.applicant.email))?.add(r.applicant.nationalId);
    expect([...owners.values()].filter((ids) => ids.size > 1).length).toBe(0);
  });

  it('travellers: a little over 1 % apply from another city, 0.3 % from abroad', () => {
    const abroad = legit.filter((r) => r.device.timezone !== 'Asia/Shanghai' && r.device.timezone !== 'Asia/Urumqi').length / legit.length;
    expect(abroad).toBeGreaterThan(0.0005);
    expect(abroad).toBeLessThan(0.01);
  });
});
