import { describe, expect, it } from 'vitest';
import { ATTACK_KINDS, generateTraffic, parseAttackKinds, RING_PATTERNS, type GeneratedApplication, type TrafficOptions } from '../../../src/generate/index.js';

// The realistic profile's attacks: every shape, the ring shapes' defining links, camouflage.
const START = Date.UTC(2026, 10, 28, 2, 0, 0);
const HOUR = 3_600_000;
const take = (opts: TrafficOptions): GeneratedApplication[] => [...generateTraffic(opts)];
const digits = (phone: string): string => phone.replace(/[\s-]/g, '').replace(/^\+86/, '');
const sample = take({ seed: 'attacks', count: 20_000, spanMs: 2 * HOUR, startMs: START, attackShare: 0.3 });

function groupBy<V>(items: readonly V[], key: (v: V) => string | undefined): Map<string, V[]> {
  const m = new Map<string, V[]>();
  for (const v of items) {
    const k = key(v);
    if (k !== undefined) m.set(k, [...(m.get(k) ?? []), v]);
  }
  return m;
}
const idsOf = (rs: readonly GeneratedApplication[]): Set<string> => new Set(rs.map((r) => r.applicant.nationalId));
const rings = groupBy(
  sample.filter((r) => r._truth.ringId !== undefined),
  (r) => r._truth.ringId,
);
const ofShape = (p: string): GeneratedApplication[][] => [...rings.values()].filter((rs) => rs[0]!._truth.pattern === p);
const listers = new Map<string, Set<string>>();
for (const r of sample) for (const c of r.applicant.contacts ?? []) listers.set(digits(c), (listers.get(digits(c)) ?? new Set()).add(r.applicant.nationalId));
const applicantPhones = new Set(sample.map((r) => digits(r.applicant.phone)));
const byMember = (rs: readonly GeneratedApplication[]): GeneratedApplication[][] => [...groupBy(rs, (r) => r.applicant.nationalId).values()];

describe('realistic attacks', () => {
  it('every pattern appears with attacks: all, with consistent ground truth', () => {
    const patterns = new Set(sample.map((r) => r._truth.pattern));
    for (const p of [...ATTACK_KINDS.filter((k) => k !== 'ring'), ...RING_PATTERNS]) expect(patterns.has(p), p).toBe(true);
    expect(patterns.has('ring-shared-contacts')).toBe(false);
    // Attack records: the fraud ones plus the genuine first applications of impossible-travel pairs (labelled legit).
    const victims = sample.filter((r) => r._truth.tags?.includes('takeover-victim')).length;
    expect(Math.abs(sample.filter((r) => r._truth.fraud).length + victims - 6000)).toBeLessThanOrEqual(1);
    for (const r of sample) {
      expect(r._truth.fraud).toBe(r._truth.pattern !== 'legit');
      expect(r._truth.ringId !== undefined).toBe(r._truth.pattern.startsWith('ring-') || r._truth.pattern === 'account-takeover');
    }
    for (const rs of rings.values()) expect(new Set(rs.map((r) => r._truth.pattern)).size).toBe(1);
  });

  it('rings have 5-12 members (chains 4-8), 1-3 applications each', () => {
    for (const [id, rs] of rings) {
      const p = rs[0]!._truth.pattern;
      if (!p.startsWith('ring-')) continue;
      const members = byMember(rs);
      const [lo, hi] = p === 'ring-chain' ? [4, 8] : [5, 12];
      expect(members.length, id).toBeLessThanOrEqual(hi);
      if (rs.length >= lo) expect(members.length, id).toBeGreaterThanOrEqual(Math.min(lo, rs.length));
      for (const m of members) expect(m.length).toBeLessThanOrEqual(3);
    }
  });

  it('ring-mule-account: 1-2 mule accounts, every member pays out to one at least once', () => {
    for (const rs of ofShape('ring-mule-account')) {
      const members = byMember(rs);
      const cards = groupBy(rs, (r) => r.applicant.bankAccount);
      const mules = [...cards].filter(([, g]) => idsOf(g).size >= 2).map(([c]) => c);
      if (members.length < 3) continue;
      expect(mules.length).toBeGreaterThanOrEqual(1);
      expect(mules.length).toBeLessThanOrEqual(2);
      for (const m of members) expect(m.some((r) => mules.includes(r.applicant.bankAccount ?? ''))).toBe(true);
    }
  });

  it('ring-organiser-contact: every member lists the main organiser, who is not an applicant', () => {
    for (const rs of ofShape('ring-organiser-contact')) {
      const sets = byMember(rs).map((m) => new Set(m.flatMap((r) => (r.applicant.contacts ?? []).map(digits))));
      const common = [...sets[0]!].filter((c) => sets.every((s) => s.has(c)));
      expect(common.length).toBeGreaterThanOrEqual(1);
      expect(common.some((c) => !applicantPhones.has(c))).toBe(true);
    }
  });

  it('ring-fake-address: 1-2 shared addresses, members on their own home IPs', () => {
    for (const rs of ofShape('ring-fake-address')) {
      const members = byMember(rs);
      expect(new Set(rs.map((r) => r.applicant.address)).size).toBeLessThanOrEqual(2);
      const ipsPerMember = members.map((m) => new Set(m.map((r) => r.network.ip)));
      for (const ips of ipsPerMember) expect(ips.size).toBe(1);
      expect(new Set(ipsPerMember.map((s) => [...s][0])).size).toBe(members.length);
    }
  });

  it('ring-shared-device: 2-3 studio phones shared by members, every member on one, from residential IPs', () => {
    for (const rs of ofShape('ring-shared-device')) {
      const members = byMember(rs);
      if (members.length < 5) continue;
      const studios = [...groupBy(rs, (r) => r.device.deviceId)].filter(([, g]) => idsOf(g).size >= 2).map(([d]) => d);
      expect(studios.length).toBeGreaterThanOrEqual(1);
      expect(studios.length).toBeLessThanOrEqual(3);
      for (const m of members) expect(m.some((r) => studios.includes(r.device.deviceId))).toBe(true);
      const onStudio = rs.filter((r) => studios.includes(r.device.deviceId));
      expect(new Set(onStudio.map((r) => r.network.ip.slice(0, r.network.ip.lastIndexOf('.')))).size).toBeGreaterThan(1);
      for (const m of members) expect(new Set(m.map((r) => r.network.ip)).size).toBe(1); // own home broadband
    }
  });

  it('ring-chain: consecutive members share one identifier each, consecutive links of different kinds', () => {
    let checked = 0;
    for (const rs of ofShape('ring-chain')) {
      const members = byMember(rs);
      if (members.length < 3) continue;
      const values = members.map((m) => {
        const v = new Set<string>();
        for (const r of m) {
          if (r.applicant.bankAccount) v.add(`bankAccount:${r.applicant.bankAccount}`);
          v.add(`deviceId:${r.device.deviceId}`);
          v.add(`phone:${digits(r.applicant.phone)}`);
          if (r.applicant.address) v.add(`address:${r.applicant.address}`);
          if (r.applicant.email) v.add(`email:${r.applicant.email}`);
          // A chain contact is listed by exactly the two members (popular camouflage numbers are listed by many).
          for (const c of (r.applicant.contacts ?? []).map(digits)) if ((listers.get(c)?.size ?? 0) <= 2) v.add(`contact:${c}`);
        }
        return v;
      });
      const edges: { a: number; b: number; kind: string }[] = [];
      for (let a = 0; a < members.length; a++) {
        for (let b = a + 1; b < members.length; b++) {
          const shared = [...values[a]!].filter((x) => values[b]!.has(x));
          if (shared.length > 0) {
            expect(shared).toHaveLength(1);
            edges.push({ a, b, kind: shared[0]!.split(':')[0]! });
          }
        }
      }
      // A path: n-1 edges, degrees <= 2; walk it from an end and compare consecutive kinds.
      expect(edges).toHaveLength(members.length - 1);
      const deg = members.map((_, i) => edges.filter((e) => e.a === i || e.b === i).length);
      expect(Math.max(...deg)).toBeLessThanOrEqual(2);
      let at = deg.indexOf(1);
      let prev: { a: number; b: number; kind: string } | undefined;
      for (let k = 0; k < edges.length; k++) {
        const e = edges.find((x) => x !== prev && (x.a === at || x.b === at)) as (typeof edges)[number];
        if (prev) expect(e.kind).not.toBe(prev.kind);
        at = e.a === at ? e.b : e.a;
        prev = e;
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('camouflage: a good share of ring members list a popular number or apply through a crowded IP', () => {
    const popular = new Set([...listers].filter(([, s]) => s.size >= 100).map(([c]) => c));
    const crowded = new Set([...groupBy(sample, (r) => r.network.ip)].filter(([, g]) => idsOf(g).size >= 20).map(([ip]) => ip));
    let members = 0;
    let biased = 0;
    for (const [, rs] of rings) {
      if (!rs[0]!._truth.pattern.startsWith('ring-')) continue;
      for (const m of byMember(rs)) {
        members++;
        if (m.some((r) => (r.applicant.contacts ?? []).some((c) => popular.has(digits(c))) || crowded.has(r.network.ip))) biased++;
      }
    }
    expect(biased / members).toBeGreaterThan(0.2);
    expect(biased / members).toBeLessThan(0.6);
  });

  const multiLender = (variant: 'probe' | 'spree'): GeneratedApplication[][] => [
    ...groupBy(
      sample.filter((r) => r._truth.pattern === 'multi-lender' && r._truth.tags?.[0] === variant),
      (r) => r.applicant.nationalId,
    ).values(),
  ];

  it('multi-lender: every campaign is a spree or a probe (tags), about 40 % probes', () => {
    for (const r of sample.filter((x) => x._truth.pattern === 'multi-lender')) expect([['spree'], ['probe']]).toContainEqual(r._truth.tags);
    const probes = multiLender('probe').length;
    const sprees = multiLender('spree').length;
    expect(probes + sprees).toBeGreaterThan(20);
    expect(probes / (probes + sprees)).toBeGreaterThan(0.2);
    expect(probes / (probes + sprees)).toBeLessThan(0.6);
  });

  it('multi-lender spree: one identity and phone, 4-10 different partners within hours', () => {
    for (const rs of multiLender('spree')) {
      if (rs.length < 4) continue;
      expect(new Set(rs.map((r) => r.partnerId)).size).toBe(rs.length);
      expect(new Set(rs.map((r) => digits(r.applicant.phone))).size).toBe(1);
      expect(Date.parse(rs.at(-1)!.eventTime) - Date.parse(rs[0]!.eventTime)).toBeLessThanOrEqual(6 * HOUR);
    }
  });

  it('multi-lender probe: a bought identity, a new phone and card on every application, 4-10 partners within an hour', () => {
    let records = 0;
    let onFirstDevice = 0;
    for (const rs of multiLender('probe')) {
      expect(new Set(rs.map((r) => r.partnerId)).size).toBe(rs.length);
      expect(new Set(rs.map((r) => digits(r.applicant.phone))).size).toBe(rs.length);
      expect(new Set(rs.map((r) => r.applicant.bankAccount)).size).toBe(rs.length);
      expect(new Set(rs.map((r) => r.applicant.name)).size).toBe(1);
      expect(Date.parse(rs.at(-1)!.eventTime) - Date.parse(rs[0]!.eventTime)).toBeLessThanOrEqual(HOUR);
      records += rs.length;
      onFirstDevice += rs.filter((r) => r.device.deviceId === rs[0]!.device.deviceId).length;
    }
    expect(records).toBeGreaterThan(40);
    expect(onFirstDevice / records).toBeGreaterThan(0.6);
    expect(onFirstDevice / records).toBeLessThan(0.9);
  });

  it('account-takeover: earlier legit applicants on new devices, paying out to one mule account per campaign', () => {
    const legitIds = new Map<string, Set<string>>();
    const firstSeen = new Map<string, string>();
    for (const r of sample) {
      if (r._truth.fraud) continue;
      legitIds.set(r.applicant.nationalId, (legitIds.get(r.applicant.nationalId) ?? new Set()).add(r.device.deviceId));
      if (!firstSeen.has(r.applicant.nationalId)) firstSeen.set(r.applicant.nationalId, r.eventTime);
    }
    let victims = 0;
    let known = 0;
    for (const rs of ofShape('account-takeover')) {
      expect(new Set(rs.map((r) => r.applicant.bankAccount)).size).toBe(1);
      for (const [id, m] of groupBy(rs, (r) => r.applicant.nationalId)) {
        victims++;
        if ((firstSeen.get(id) ?? '9') < m[0]!.eventTime) known++;
        for (const r of m) expect(legitIds.get(id)?.has(r.device.deviceId) ?? false).toBe(false);
      }
    }
    expect(victims).toBeGreaterThan(20);
    expect(known / victims).toBeGreaterThan(0.8);
  });

  it('parseAttackKinds knows the realistic kinds; a ring shape name selects ring', () => {
    expect(parseAttackKinds('all')).toEqual([...ATTACK_KINDS]);
    expect(parseAttackKinds('ring-mule-account, multi-lender,account-takeover')).toEqual(['ring', 'multi-lender', 'account-takeover']);
    expect(() => parseAttackKinds('ring,teleport')).toThrow(/teleport/);
  });
});

describe('realistic rings only', () => {
  it('with attacks: [ring] every ring shape appears in roughly equal numbers', () => {
    const rs = take({ seed: 'rings', count: 30_000, startMs: START, spanMs: 6 * HOUR, attacks: ['ring'], attackShare: 0.1 });
    const byRing = groupBy(
      rs.filter((r) => r._truth.fraud),
      (r) => r._truth.ringId,
    );
    const count = (p: string): number => [...byRing.values()].filter((g) => g[0]!._truth.pattern === p).length;
    const records = (p: string): number => rs.filter((r) => r._truth.pattern === p).length;
    const mean = byRing.size / RING_PATTERNS.length;
    for (const p of RING_PATTERNS) {
      expect(count(p), p).toBeGreaterThan(0.6 * mean);
      expect(count(p), p).toBeLessThan(1.4 * mean);
      expect(records(p), p).toBeGreaterThan(0.4 * (3000 / RING_PATTERNS.length));
    }
  });

  it('about 30 % of rings spread over days, the rest over hours', () => {
    const rs = take({ seed: 'spread', count: 6000, startMs: START, spanMs: 10 * 24 * HOUR, attacks: ['ring'], attackShare: 0.3 });
    const spans = [
      ...groupBy(
        rs.filter((r) => r._truth.fraud),
        (r) => r._truth.ringId,
      ).values(),
    ]
      .filter((g) => g.length >= 6)
      .map((g) => Date.parse(g.at(-1)!.eventTime) - Date.parse(g[0]!.eventTime));
    const long = spans.filter((s) => s > 12 * HOUR).length / spans.length;
    expect(long).toBeGreaterThan(0.15);
    expect(long).toBeLessThan(0.45);
    expect(Math.min(...spans)).toBeLessThan(6 * HOUR);
  });
});
