import { describe, expect, it } from 'vitest';
import { DEFAULT_HUB_LIMITS } from '../../../src/graph/kinds.js';
import { linksFor } from '../../../src/graph/links.js';
import { detectRings } from '../../../src/graph/rings.js';
import { application, graphOf, MIN, ringOfEight, T0 } from './helpers.js';

const NOW = T0 + 30 * MIN;

describe('detectRings', () => {
  it('finds 8 applicants sharing 2 devices and a bank account as one ring, with its binders', () => {
    const clean = Array.from({ length: 50 }, (_, i) => application(`c${i}`, T0 + i));
    const rings = detectRings(graphOf([...clean, ...ringOfEight()]).graph, { nowMs: NOW });
    expect(rings).toHaveLength(1);
    const [ring] = rings;
    expect(ring).toMatchObject({ id: 'ring:r0', members: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'], identities: 8, size: 8, density: 1, growth: 8, knownFraud: 0, firstSeen: T0 });
    expect(ring?.binders).toEqual([
      { kind: 'bankAccount', node: 'bankAccount:ba_r_mule', masked: 'ba_r****', members: 8 },
      { kind: 'device', node: 'device:dev_r_A', masked: 'dev_****', members: 4 },
      { kind: 'device', node: 'device:dev_r_B', masked: 'dev_****', members: 4 },
    ]);
    expect(ring?.score).toBeGreaterThanOrEqual(60);
  });

  it('does not make a ring of clean applicants behind one carrier-NAT IP, a big subnet or employer', () => {
    const apps = Array.from({ length: 200 }, (_, i) => application(`n${i}`, T0 + i, { ip: 'ip_cgnat', subnet: `ip_net_${i % 3}`, employer: i % 2 ? 'emp_big' : 'emp_small' }));
    expect(detectRings(graphOf(apps).graph, { nowMs: NOW })).toEqual([]);
  });

  it('joins a chain (A–B via bank, B–C via device, C–D via contact) into one ring', () => {
    const apps = [
      application('A', T0, { bank: 'ba_1' }),
      application('B', T0 + 1, { bank: 'ba_1', device: 'dev_1' }),
      application('C', T0 + 2, { device: 'dev_1', contacts: ['ph_9'] }),
      application('D', T0 + 3, { contacts: ['ph_9'] }),
    ];
    const rings = detectRings(graphOf(apps).graph, { nowMs: NOW });
    expect(rings.map((r) => [r.id, r.members, r.binders.map((b) => b.kind)])).toEqual([['ring:A', ['A', 'B', 'C', 'D'], ['bankAccount', 'device', 'contact']]]);
    expect(rings[0]?.density).toBe(0.5);
  });

  it('needs three identities: one person applying three times is not a ring', () => {
    const apps = ['a', 'b', 'c'].map((id) => application(id, T0, { nid: 'nid_same', device: 'dev_same' }));
    expect(detectRings(graphOf(apps).graph, { nowMs: NOW })).toEqual([]);
  });

  it('is not hidden by camouflage: members with many clean unique identifiers', () => {
    const ring = ringOfEight().map((a) => ({ ...a, applicant: { ...a.applicant, contacts: Array.from({ length: 40 }, (_, i) => ({ id: `ph_${a.applicationId}_${i}`, masked: 'x' })) } }));
    const [found] = detectRings(graphOf(ring).graph, { nowMs: NOW });
    expect(found).toMatchObject({ id: 'ring:r0', size: 8, density: 1 });
  });

  it('keeps the ring id as the ring grows, and recomputes only the touched component when asked', () => {
    const g = graphOf([...ringOfEight('r'), ...ringOfEight('s')]);
    expect(detectRings(g.graph, { nowMs: NOW }).map((r) => r.id)).toEqual(['ring:r0', 'ring:s0']);
    const change = g.applyLinks([5, 6].flatMap((i) => linksFor(application(`r_late${i}`, T0 + 20 * MIN, { bank: 'ba_r_mule' }))));
    const touched = detectRings(g.graph, { nowMs: NOW, changedApps: change.changedApps });
    expect(touched.map((r) => [r.id, r.size])).toEqual([['ring:r0', 10]]);
    expect(detectRings(g.graph, { nowMs: NOW }).map((r) => [r.id, r.size])).toEqual([['ring:r0', 10], ['ring:s0', 8]]);
  });

  it('splits a big sparse component into its dense rings', () => {
    // Two rings of 20, each bound by shared devices and one bank account, bridged by one shared contact.
    const ringOf = (p: string, first: number): ReturnType<typeof application>[] =>
      Array.from({ length: 20 }, (_, i) => application(`${p}${String(i).padStart(2, '0')}`, T0 + first + i, { device: `dev_${p}${i % 4}`, address: `adr_${p}`, contacts: i === 0 ? ['ph_bridge'] : [`ph_${p}${i}`] }));
    const apps = [...ringOf('a', 0), ...ringOf('b', 100)];
    const rings = detectRings(graphOf(apps).graph, { nowMs: NOW, splitAbove: 30 });
    expect(rings.map((r) => [r.id, r.size])).toEqual([['ring:a00', 20], ['ring:b00', 20]]);
    const unsplit = detectRings(graphOf(apps).graph, { nowMs: NOW, splitAbove: 100 });
    expect(unsplit.map((r) => r.size)).toEqual([40]);
  });

  it('does not walk through an identifier past its (configurable) hub limit', () => {
    const rings = detectRings(graphOf(ringOfEight()).graph, { nowMs: NOW, hubLimits: { ...DEFAULT_HUB_LIMITS, bankAccount: 5 } });
    expect(rings.map((r) => [r.id, r.size, r.binders.map((b) => b.kind)])).toEqual([
      ['ring:r0', 4, ['device']],
      ['ring:r4', 4, ['device']],
    ]);
  });

  it('counts fraud-marked members', () => {
    const g = graphOf(ringOfEight());
    const before = detectRings(g.graph, { nowMs: NOW })[0];
    g.markLabel('r5', 'fraud', NOW);
    const after = detectRings(g.graph, { nowMs: NOW })[0];
    expect(after?.knownFraud).toBe(1);
    expect(after?.score).toBeGreaterThan(before?.score ?? 100);
  });
});
