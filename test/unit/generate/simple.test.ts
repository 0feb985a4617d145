import { describe, expect, it } from 'vitest';
import { decodeApplication } from '../../../src/boundary/validate.js';
import { parseUserAgent } from '../../../src/enrich/device.js';
import {
  generateTraffic,
  isLuhnValid,
  isMainlandMobile,
  isValidNationalId,
  parseAttackKinds,
  SIMPLE_ATTACK_KINDS,
  SIMPLE_RING_PATTERNS as RING_PATTERNS,
  type GeneratedApplication,
  type TrafficOptions,
} from '../../../src/generate/index.js';

// The `simple` profile: the original generator, kept byte for byte (fixtures and benches were built on it).

const START = Date.UTC(2026, 10, 28, 2, 0, 0);
const take = (opts: TrafficOptions): GeneratedApplication[] => [...generateTraffic({ profile: 'simple', ...opts })];
const digits = (phone: string): string => phone.replace(/[\s-]/g, '').replace(/^\+86/, '');

// One shared sample: 6000 records over 2 h with a high attack share, so every pattern shows up.
const sample = take({ seed: 'unit', count: 6000, spanMs: 2 * 3_600_000, startMs: START, attackShare: 0.3 });

describe('generateTraffic (simple)', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = take({ seed: 42, count: 500, startMs: START });
    const b = take({ seed: 42, count: 500, startMs: START });
    const c = take({ seed: 43, count: 500, startMs: START });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('produces exactly count records with unique ids, in event-time order inside the span', () => {
    expect(sample).toHaveLength(6000);
    expect(new Set(sample.map((r) => r.applicationId)).size).toBe(6000);
    const times = sample.map((r) => Date.parse(r.eventTime));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] as number);
    expect(times[0]).toBeGreaterThanOrEqual(START);
    expect(times[times.length - 1]).toBeLessThanOrEqual(START + 2 * 3_600_000);
  });

  it('every record passes the input contract (decodeApplication does not throw)', () => {
    for (const r of sample) expect(() => decodeApplication(Buffer.from(JSON.stringify(r)), { maxRecordBytes: 65536 })).not.toThrow();
  });

  it('national IDs have valid dates and check digits; bank cards pass Luhn; phones are mainland mobiles', () => {
    const bad: string[] = [];
    for (const r of sample) {
      if (!isValidNationalId(r.applicant.nationalId)) bad.push(r.applicant.nationalId);
      if (r.applicant.bankAccount !== undefined && !(r.applicant.bankAccount.startsWith('62') && isLuhnValid(r.applicant.bankAccount)))
        bad.push(r.applicant.bankAccount);
      if (!isMainlandMobile(r.applicant.phone)) bad.push(r.applicant.phone);
      for (const c of r.applicant.contacts ?? []) if (!isMainlandMobile(c)) bad.push(c);
      if ((r.applicant.contacts?.length ?? 0) > 6) bad.push(`${r.applicationId}: ${r.applicant.contacts?.length} contacts`);
    }
    expect(bad).toEqual([]);
  });

  it('attack share is as requested and ground truth is consistent', () => {
    for (const share of [0, 0.05, 0.2]) {
      const rs = take({ seed: 7, count: 4000, startMs: START, attackShare: share });
      const fraud = rs.filter((r) => r._truth.fraud).length / rs.length;
      expect(Math.abs(fraud - share)).toBeLessThan(0.005);
    }
    for (const r of sample) {
      expect(r._truth.fraud).toBe(r._truth.pattern !== 'legit');
      expect(r._truth.ringId !== undefined).toBe(r._truth.pattern.startsWith('ring-'));
    }
    const patterns = new Set(sample.map((r) => r._truth.pattern));
    for (const p of ['legit', 'device-farm', 'identity-cycling', 'identity-many-devices', 'proxy-burst', 'impossible-travel', 'bot', ...RING_PATTERNS]) {
      expect(patterns.has(p as never), p).toBe(true);
    }
  });

  it('injects only the requested kinds', () => {
    const rs = take({ seed: 9, count: 3000, startMs: START, attacks: ['bot', 'ring'], attackShare: 0.2 });
    const patterns = new Set(rs.map((r) => r._truth.pattern));
    expect([...patterns].sort()).toEqual(['bot', 'legit', ...RING_PATTERNS].filter((p) => patterns.has(p as never)).sort());
    expect(patterns.has('bot')).toBe(true);
    expect(take({ seed: 9, count: 500, startMs: START, attacks: [] }).every((r) => !r._truth.fraud)).toBe(true);
    expect(parseAttackKinds('all', 'simple')).toEqual([...SIMPLE_ATTACK_KINDS]);
    expect(parseAttackKinds('none', 'simple')).toEqual([]);
    expect(parseAttackKinds('bot, ring-shared-contacts', 'simple')).toEqual(['bot', 'ring']);
    expect(() => parseAttackKinds('bot,teleport', 'simple')).toThrow(/teleport/);
    expect(() => parseAttackKinds('multi-lender', 'simple')).toThrow(/not in the simple profile/);
  });

  it('user agents match the platform; bots send HTTP-library or headless UAs', () => {
    for (const r of sample) {
      const ua = parseUserAgent(r.device.userAgent);
      if (r._truth.pattern === 'bot') {
        expect(ua.bot || ua.headless, r.device.userAgent).toBe(true);
        continue;
      }
      if (r.device.platform === 'android') expect(ua.osFamily, r.device.userAgent).toBe('android');
      if (r.device.platform === 'ios') expect(ua.osFamily, r.device.userAgent).toBe('ios');
      expect(ua.bot, r.device.userAgent).toBe(false);
    }
    const legit = sample.filter((r) => r._truth.pattern === 'legit');
    const share = (p: string): number => legit.filter((r) => r.device.platform === p).length / legit.length;
    expect(share('android')).toBeGreaterThan(0.45);
    expect(share('ios')).toBeGreaterThan(0.2);
    expect(share('web')).toBeGreaterThan(0.03);
    expect(legit.filter((r) => r.device.timezone === 'Asia/Shanghai').length / legit.length).toBeGreaterThan(0.95);
  });

  it('repeat applicants keep their identity, device and region', () => {
    const byId = new Map<string, GeneratedApplication[]>();
    for (const r of sample.filter((x) => x._truth.pattern === 'legit')) byId.set(r.applicant.nationalId, [...(byId.get(r.applicant.nationalId) ?? []), r]);
    const repeats = [...byId.values()].filter((rs) => rs.length > 1);
    expect(repeats.length).toBeGreaterThan(50);
    for (const rs of repeats) {
      const first = rs[0] as GeneratedApplication;
      for (const r of rs) {
        expect(digits(r.applicant.phone)).toBe(digits(first.applicant.phone));
        expect(r.applicant.bankAccount).toBe(first.applicant.bankAccount);
      }
      expect(new Set(rs.map((r) => r.device.deviceId)).size).toBeLessThanOrEqual(2);
    }
  });

  it('device farms and identity cycling: one device, many identities, within minutes', () => {
    for (const pattern of ['device-farm', 'identity-cycling'] as const) {
      const byDevice = new Map<string, GeneratedApplication[]>();
      for (const r of sample.filter((x) => x._truth.pattern === pattern)) byDevice.set(r.device.deviceId, [...(byDevice.get(r.device.deviceId) ?? []), r]);
      for (const rs of byDevice.values()) {
        if (rs.length < 4) continue;
        expect(new Set(rs.map((r) => r.applicant.nationalId)).size).toBeGreaterThanOrEqual(3);
        const span = Date.parse(rs[rs.length - 1]!.eventTime) - Date.parse(rs[0]!.eventTime);
        expect(span).toBeLessThanOrEqual(20 * 60_000);
      }
    }
  });

  it('identity-many-devices: one identity from several devices', () => {
    const byId = new Map<string, Set<string>>();
    for (const r of sample.filter((x) => x._truth.pattern === 'identity-many-devices')) {
      byId.set(r.applicant.nationalId, (byId.get(r.applicant.nationalId) ?? new Set()).add(r.device.deviceId));
    }
    expect(Math.max(...[...byId.values()].map((s) => s.size))).toBeGreaterThanOrEqual(3);
  });

  it('proxy bursts come from one data-centre /24', () => {
    const rs = sample.filter((x) => x._truth.pattern === 'proxy-burst');
    const subnets = new Map<string, Set<string>>();
    for (const r of rs) {
      const net = r.network.ip.slice(0, r.network.ip.lastIndexOf('.'));
      subnets.set(net, (subnets.get(net) ?? new Set()).add(r.applicant.nationalId));
    }
    expect(Math.max(...[...subnets.values()].map((s) => s.size))).toBeGreaterThanOrEqual(8);
  });
});

describe('rings (simple)', () => {
  const rings = new Map<string, GeneratedApplication[]>();
  for (const r of sample) if (r._truth.ringId) rings.set(r._truth.ringId, [...(rings.get(r._truth.ringId) ?? []), r]);
  const ofShape = (p: string): GeneratedApplication[][] => [...rings.values()].filter((rs) => rs[0]!._truth.pattern === p);

  it('each shape occurs, with one pattern per ring, spread over time', () => {
    for (const p of RING_PATTERNS) expect(ofShape(p).length, p).toBeGreaterThan(0);
    for (const rs of rings.values()) {
      expect(new Set(rs.map((r) => r._truth.pattern)).size).toBe(1);
      expect(new Set(rs.map((r) => r.applicationId)).size).toBe(rs.length);
    }
  });

  it('ring-shared-device: 2-3 devices shared by the members, every member on one of them', () => {
    for (const rs of ofShape('ring-shared-device')) {
      const membersByDevice = new Map<string, Set<string>>();
      for (const r of rs) membersByDevice.set(r.device.deviceId, (membersByDevice.get(r.device.deviceId) ?? new Set()).add(r.applicant.nationalId));
      const shared = [...membersByDevice].filter(([, m]) => m.size >= 2).map(([d]) => d);
      expect(shared.length).toBeGreaterThanOrEqual(1);
      expect(shared.length).toBeLessThanOrEqual(3);
      const members = new Set(rs.map((r) => r.applicant.nationalId));
      const onShared = new Set(rs.filter((r) => shared.includes(r.device.deviceId)).map((r) => r.applicant.nationalId));
      if (members.size >= 5) expect(onShared.size).toBe(members.size);
    }
  });

  it('ring-shared-contacts: members list a common contact set', () => {
    for (const rs of ofShape('ring-shared-contacts')) {
      const byMember = new Map<string, Set<string>>();
      for (const r of rs) byMember.set(r.applicant.nationalId, new Set((r.applicant.contacts ?? []).map(digits)));
      const sets = [...byMember.values()];
      const common = [...(sets[0] ?? [])].filter((c) => sets.every((s) => s.has(c)));
      if (sets.length >= 2) expect(common.length, JSON.stringify(sets.map((s) => [...s]))).toBeGreaterThanOrEqual(1);
    }
  });

  it('ring-chain: members are connected through shared identifiers (bank, device, phone, address, e-mail, contact)', () => {
    for (const rs of ofShape('ring-chain')) {
      const members = [...new Set(rs.map((r) => r.applicant.nationalId))];
      if (members.length < 2) continue;
      // Union-find over members joined by any shared identifier value.
      const parent = new Map(members.map((m) => [m, m]));
      const find = (x: string): string => (parent.get(x) === x ? x : find(parent.get(x) as string));
      const owner = new Map<string, string>();
      for (const r of rs) {
        const values = [
          `b:${r.applicant.bankAccount ?? ''}`,
          `d:${r.device.deviceId}`,
          `p:${digits(r.applicant.phone)}`,
          `a:${r.applicant.address ?? ''}`,
          `e:${r.applicant.email ?? ''}`,
          ...(r.applicant.contacts ?? []).map((c) => `p:${digits(c)}`),
        ].filter((v) => !v.endsWith(':'));
        for (const v of values) {
          const o = owner.get(v);
          if (o === undefined) owner.set(v, r.applicant.nationalId);
          else parent.set(find(r.applicant.nationalId), find(o));
        }
      }
      expect(new Set(members.map(find)).size, `ring of ${members.length}`).toBe(1);
    }
  });

  it('ring members keep clean identifiers of their own (camouflage)', () => {
    for (const rs of ofShape('ring-shared-device')) {
      const phones = new Set(rs.map((r) => digits(r.applicant.phone)));
      const members = new Set(rs.map((r) => r.applicant.nationalId));
      expect(phones.size).toBe(members.size);
    }
  });
});

describe('endless stream (no count, simple)', () => {
  it('has the requested attack share from the start, advances at eventsPerSecond, and is deterministic', () => {
    const first = (n: number, seed: number): GeneratedApplication[] => {
      const out: GeneratedApplication[] = [];
      for (const r of generateTraffic({ profile: 'simple', seed, startMs: START, eventsPerSecond: 50, attackShare: 0.05 })) {
        out.push(r);
        if (out.length >= n) break;
      }
      return out;
    };
    let fraud = 0;
    let total = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const rs = first(3000, seed); // 60 s of event time each
      fraud += rs.filter((r) => r._truth.fraud).length;
      total += rs.length;
      const span = (Date.parse(rs[rs.length - 1]!.eventTime) - START) / 1000;
      expect(span).toBeGreaterThan(54);
      expect(span).toBeLessThan(66);
      expect(Date.parse(rs[0]!.eventTime)).toBeGreaterThanOrEqual(START);
    }
    expect(fraud / total).toBeGreaterThan(0.025);
    expect(fraud / total).toBeLessThan(0.09);
    expect(JSON.stringify(first(300, 9))).toBe(JSON.stringify(first(300, 9)));
  });
});
