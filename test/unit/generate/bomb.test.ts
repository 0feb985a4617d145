import { describe, expect, it } from 'vitest';
import { planGenerate } from '../../../src/cli/generate.js';
import { decodeApplication } from '../../../src/boundary/validate.js';
import { generateGraphBomb, generateTraffic, type GeneratedApplication } from '../../../src/generate/index.js';

const START = Date.UTC(2026, 10, 28, 2, 0, 0);
const HOUR = 3_600_000;
const digits = (phone: string): string => phone.replace(/[\s-]/g, '').replace(/^\+86/, '');

describe('generateGraphBomb', () => {
  const bomb = [...generateGraphBomb({ seed: 'b', count: 3000, startMs: START, durationMs: HOUR, idPrefix: 'bomb-test' })];

  it('count distinct bought identities, each with its own device, phone, card and residential IP, in time order', () => {
    expect(bomb).toHaveLength(3000);
    for (const key of [
      (r: GeneratedApplication) => r.applicationId,
      (r: GeneratedApplication) => r.applicant.nationalId,
      (r: GeneratedApplication) => r.device.deviceId,
      (r: GeneratedApplication) => digits(r.applicant.phone),
      (r: GeneratedApplication) => r.applicant.bankAccount,
    ])
      expect(new Set(bomb.map(key)).size).toBe(3000);
    expect(new Set(bomb.map((r) => r.network.ip)).size).toBeGreaterThan(2900);
    for (let i = 1; i < bomb.length; i++) expect(bomb[i]!.eventTime >= bomb[i - 1]!.eventTime).toBe(true);
    expect(Date.parse(bomb[0]!.eventTime)).toBeGreaterThanOrEqual(START);
    expect(Date.parse(bomb.at(-1)!.eventTime)).toBeLessThanOrEqual(START + HOUR);
    const ringIds = new Set(bomb.map((r) => r._truth.ringId));
    expect(ringIds.size).toBe(1);
    for (const r of bomb) {
      expect(r._truth).toEqual({ fraud: true, pattern: 'graph-bomb', ringId: [...ringIds][0] });
      decodeApplication(Buffer.from(JSON.stringify(r)), { maxRecordBytes: 65536 });
    }
  });

  it('is chained: 2k and 2k+1 share an address, i and i+1 a contact, so all form one component', () => {
    for (let i = 0; i + 1 < bomb.length; i++) {
      const a = bomb[i]!.applicant;
      const b = bomb[i + 1]!.applicant;
      if (i % 2 === 0) expect(b.address).toBe(a.address);
      else expect(b.address).not.toBe(a.address);
      const shared = (a.contacts ?? []).map(digits).filter((c) => (b.contacts ?? []).map(digits).includes(c));
      expect(shared).toHaveLength(1);
    }
    // Union-find over shared addresses and contact numbers only.
    const parent = bomb.map((_, i) => i);
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
    const owner = new Map<string, number>();
    bomb.forEach((r, i) => {
      for (const v of [`a:${r.applicant.address}`, ...(r.applicant.contacts ?? []).map((c) => `c:${digits(c)}`)]) {
        const o = owner.get(v);
        if (o === undefined) owner.set(v, i);
        else parent[find(i)] = find(o);
      }
    });
    expect(new Set(bomb.map((_, i) => find(i))).size).toBe(1);
  });

  it('is deterministic per seed', () => {
    const again = [...generateGraphBomb({ seed: 'b', count: 3000, startMs: START, durationMs: HOUR, idPrefix: 'bomb-test' })];
    expect(JSON.stringify(again)).toBe(JSON.stringify(bomb));
  });
});

describe('a bomb mixed into traffic', () => {
  it('adds its records in event-time order from the middle of the span', () => {
    const rs = [...generateTraffic({ seed: 1, count: 4000, startMs: START, spanMs: 2 * HOUR, bomb: { count: 1000 } })];
    expect(rs).toHaveLength(5000);
    for (let i = 1; i < rs.length; i++) expect(rs[i]!.eventTime >= rs[i - 1]!.eventTime).toBe(true);
    const b = rs.filter((r) => r._truth.pattern === 'graph-bomb');
    expect(b).toHaveLength(1000);
    expect(Date.parse(b[0]!.eventTime)).toBeGreaterThanOrEqual(START + HOUR);
    expect(new Set(rs.map((r) => r.applicationId)).size).toBe(5000);
    // The rest is the same traffic as without the bomb.
    const plain = [...generateTraffic({ seed: 1, count: 4000, startMs: START, spanMs: 2 * HOUR })];
    expect(JSON.stringify(rs.filter((r) => r._truth.pattern !== 'graph-bomb'))).toBe(JSON.stringify(plain));
  });

  it('lendguard generate --bomb N: N more records, the bomb in the middle of the span', () => {
    const plan = planGenerate({ count: '10000', bomb: '2000', span: '2h', start: '2026-11-28T02:00:00Z' }, 0);
    expect(plan.count).toBe(12_000);
    expect(plan.traffic.bomb).toEqual({ count: 2000, startMs: START + HOUR, durationMs: HOUR });
    expect(() => planGenerate({ count: '10', bomb: 'many' }, 0)).toThrow(/--bomb/);
    expect(planGenerate({ count: '10', profile: 'simple' }, 0).traffic.profile).toBe('simple');
    expect(() => planGenerate({ count: '10', profile: 'fancy' }, 0)).toThrow(/profile/);
  });
});
