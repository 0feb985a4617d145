import { describe, expect, it } from 'vitest';
import type { Application } from '../../../src/domain/application.js';
import { bindingOf } from '../../../src/graph/binding.js';
import { GraphService, type GraphObservation } from '../../../src/graph/graph-service.js';
import { DEFAULT_HUB_LIMITS } from '../../../src/graph/kinds.js';
import type { RingState } from '../../../src/graph/ring-events.js';
import { loadConfig } from '../../../src/platform/config.js';
import { application, MIN, ringOfEight, storeOf, T0 } from './helpers.js';

const settings = loadConfig({ env: {} }).graph;
const HOUR = 60 * MIN;

function run(apps: readonly Application[], g = new GraphService(settings)): { g: GraphService; seen: GraphObservation[] } {
  const seen = apps.map((a) => {
    const pending = new Map<string, RingState>();
    const s = g.observe(a, true, pending);
    g.acknowledge(pending);
    return s;
  });
  return { g, seen };
}

const ringsOf = (seen: readonly GraphObservation[]): Set<string> => new Set(seen.flatMap((s) => (s.ring ? [s.ring.id] : [])));

describe('rings', () => {
  it('finds 8 applicants sharing 2 devices and a bank account as one ring, with its binders, among clean traffic', () => {
    const clean = Array.from({ length: 50 }, (_, i) => application(`c${i}`, T0 + i));
    const { g, seen } = run([...clean, ...ringOfEight()]);
    const last = seen[seen.length - 1]?.ring;
    expect(last).toMatchObject({ id: 'ring:r0', pattern: 'ring', size: 8, identities: 8, knownFraud: 0, firstSeen: T0 });
    expect(last?.binders.slice(0, 3).map((b) => [b.kind, b.class, b.members])).toEqual([
      ['bankAccount', 'bankAccount', 8],
      ['device', 'device', 4],
      ['device', 'device', 4],
    ]);
    expect(last?.score).toBeGreaterThanOrEqual(60);
    expect(seen.slice(0, 50).every((s) => s.ring === undefined)).toBe(true);
    expect(g.ring('ring:r0')?.members).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
  });

  it('exports a ring as a graphology graph of its members and binders, for drawing', () => {
    const { g } = run(ringOfEight());
    const drawn = g.ringGraph('ring:r0');
    expect(drawn?.filterNodes((_, a) => a.type === 'application')).toHaveLength(8);
    expect(
      drawn
        ?.filterNodes((_, a) => a.type === 'identifier')
        .map((n) => drawn.getNodeAttribute(n, 'kind'))
        .sort(),
    ).toEqual(['bankAccount', 'device', 'device']);
    expect(drawn?.size).toBe(16);
  });

  it('does not make a ring of clean applicants behind one carrier-NAT IP, a big subnet or employer', () => {
    const apps = Array.from({ length: 200 }, (_, i) =>
      application(`n${i}`, T0 + i * MIN, { ip: 'ip_cgnat', subnet: `ip_net_${i % 3}`, employer: i % 2 ? 'emp_big' : 'emp_small' }),
    );
    expect(ringsOf(run(apps).seen).size).toBe(0);
  });

  it('does not make a ring of families: an address, a router, a tablet, a card and each other as contacts', () => {
    const apps = Array.from({ length: 30 }, (_, f) =>
      [0, 1, 2, 3].map((k) =>
        application(`f${f}m${k}`, T0 + (f * 4 + k) * 7 * MIN, {
          address: `adr_home${f}`,
          ip: `ip_router${f}`,
          device: k < 2 ? `dev_tablet${f}` : undefined,
          bank: k === 3 ? `ba_f${f}m2` : undefined,
          phone: `ph_f${f}m${k}`,
          contacts: [`ph_f${f}m${(k + 1) % 4}`, `ph_f${f}m${(k + 2) % 4}`, `ph_granny${f}`],
        }),
      ),
    ).flat();
    // The fourth member pays into the third one's card (`ba_f<f>m2`): the family card.
    const { seen } = run(apps);
    expect(ringsOf(seen).size).toBe(0);
  });

  it('does not make a ring of people who list a popular contact and friends who are applicants themselves', () => {
    const popular = Array.from({ length: 60 }, (_, i) =>
      application(`p${i}`, T0 + i * 20 * MIN, { contacts: ['ph_shop', `ph_p${i % 7}`, `ph_p${(i + 1) % 60}`], phone: `ph_p${i}` }),
    );
    expect(ringsOf(run(popular).seen).size).toBe(0);
  });

  it('joins a chain (A–B bank, B–C device, C–D own phone, D–E e-mail) into one ring', () => {
    const apps = [
      application('A', T0, { bank: 'ba_1' }),
      application('B', T0 + HOUR, { bank: 'ba_1', device: 'dev_1' }),
      application('C', T0 + 2 * HOUR, { device: 'dev_1', phone: 'ph_9' }),
      application('D', T0 + 3 * HOUR, { phone: 'ph_9', email: 'em_9' }),
      application('E', T0 + 4 * HOUR, { email: 'em_9' }),
    ];
    const { seen } = run(apps);
    const ring = seen[4]?.ring;
    expect(ring).toMatchObject({ id: 'ring:A', size: 5, identities: 5 });
    expect(new Set(ring?.binders.map((b) => b.class))).toEqual(new Set(['bankAccount', 'device', 'phone', 'email']));
  });

  it('bridges two strongly bound halves of a chain over a contact they have in common', () => {
    const apps = [
      application('A', T0, { bank: 'ba_1' }),
      application('B', T0 + HOUR, { bank: 'ba_1', contacts: ['ph_mid'] }),
      application('C', T0 + 2 * HOUR, { device: 'dev_2', contacts: ['ph_mid'] }),
      application('D', T0 + 3 * HOUR, { device: 'dev_2' }),
    ];
    const { seen } = run(apps);
    expect(seen[3]?.ring).toMatchObject({ id: 'ring:A', size: 4, identities: 4 });
  });

  it('needs three identities: one person applying three times is not a ring', () => {
    const apps = ['a', 'b', 'c'].map((id, i) => application(id, T0 + i, { nid: 'nid_same', device: 'dev_same', bank: 'ba_same' }));
    expect(ringsOf(run(apps).seen).size).toBe(0);
  });

  it('is not hidden by camouflage: members with many clean unique identifiers and a popular contact', () => {
    const ring = ringOfEight().map((a) => ({
      ...a,
      applicant: {
        ...a.applicant,
        contacts: [...Array.from({ length: 40 }, (_, i) => ({ id: `ph_${a.applicationId}_${i}`, masked: 'x' })), { id: 'ph_shop', masked: 'x' }],
      },
    }));
    const crowd = Array.from({ length: 40 }, (_, i) => application(`crowd${i}`, T0 - HOUR + i, { contacts: ['ph_shop'] }));
    const { seen } = run([...crowd, ...ring]);
    expect(seen[seen.length - 1]?.ring).toMatchObject({ id: 'ring:r0', size: 8, identities: 8 });
  });

  it('keeps the ring id as the ring grows and through a merge with a younger ring', () => {
    const { g, seen } = run([...ringOfEight('r'), ...ringOfEight('s', T0 + HOUR)]);
    expect(ringsOf(seen)).toEqual(new Set(['ring:r0', 'ring:s0']));
    // A late applicant uses both mule accounts: the rings merge under the older id.
    const bridge = application('x', T0 + 2 * HOUR, { bank: 'ba_r_mule', device: 'dev_s_A' });
    const joined = run([bridge], g).seen[0];
    expect(joined?.ring).toMatchObject({ id: 'ring:r0', size: 17 });
    expect(joined?.events.map((e) => e.type)).toEqual(['grew']);
  });

  it('does not walk through an identifier past its (configurable) hub limit', () => {
    // Past three applications the mule account is a hub: from then on only the devices bind.
    const g = new GraphService({ ...settings, hubLimits: { ...DEFAULT_HUB_LIMITS, bankAccount: 3 } });
    const { seen } = run(ringOfEight(), g);
    expect(seen[7]?.ring?.binders.map((b) => b.kind)).toEqual(['device']);
    expect(ringsOf(seen)).toEqual(new Set(['ring:r0', 'ring:r4']));
  });

  it('counts fraud-marked members and scores them higher', () => {
    const { g, seen } = run(ringOfEight().slice(0, 7));
    const before = seen[6]?.ring;
    g.label('r5', 'fraud', T0 + HOUR);
    const after = run([ringOfEight()[7] as Application], g).seen[0]?.ring;
    expect(after?.knownFraud).toBe(1);
    expect(after?.score).toBeGreaterThan(before?.score ?? 100);
  });

  it('reports a burst: many identities linked through addresses and contacts within minutes (a graph bomb)', () => {
    // Some history first: a burst can only stand out against an hour or more of earlier traffic.
    const earlier = Array.from({ length: 5 }, (_, i) => application(`old${i}`, T0 - 3 * HOUR + i));
    const bomb = Array.from({ length: 60 }, (_, i) =>
      application(`b${i}`, T0 + i * 1000, { address: `adr_b${i >> 1}`, contacts: [`ph_c${i}`, `ph_c${i + 1}`] }),
    );
    const { g, seen } = run([...earlier, ...bomb]);
    const last = seen[64]?.ring;
    expect(last).toMatchObject({ pattern: 'burst', size: 60, identities: 60 });
    expect(g.stats().rings).toBe(0);
    // The same structure spread over days is the social graph, not a burst.
    const slow = Array.from({ length: 60 }, (_, i) =>
      application(`s${i}`, T0 + i * HOUR, { address: `adr_s${i >> 1}`, contacts: [`ph_d${i}`, `ph_d${i + 1}`] }),
    );
    expect(ringsOf(run(slow).seen).size).toBe(0);
    // And so is a crowd of friends listing each other's phones within minutes (friends refer friends).
    const friends = Array.from({ length: 60 }, (_, i) =>
      application(`f${i}`, T0 + i * 1000, { phone: `ph_f${i}`, contacts: [`ph_f${Math.max(0, i - 1)}`, `ph_f${Math.max(0, i - 2)}`] }),
    );
    expect(ringsOf(run([...earlier, ...friends]).seen).size).toBe(0);
  });

  it('drops evicted members from their ring, and the ring once it is empty', () => {
    const { g } = run(ringOfEight());
    expect(g.ring('ring:r0')?.size).toBe(8);
    g.evictOlderThan(T0 + 30 * 86_400_000);
    expect(g.ring('ring:r0')).toBeUndefined();
    expect(g.stats()).toMatchObject({ applications: 0, rings: 0, sharedIdentifiers: 0 });
  });
});

describe('bindingOf', () => {
  it('binds by kind: a shared card or device strongly, one contact in common weakly, co-residents never strongly', () => {
    const g = storeOf([
      application('a', T0, { bank: 'ba_1', contacts: ['ph_x'], address: 'adr_home', phone: 'ph_a' }),
      application('b', T0, { bank: 'ba_1' }),
      application('c', T0, { contacts: ['ph_x'] }),
      application('d', T0, { address: 'adr_home', contacts: ['ph_a'], device: 'dev_d' }),
    ]);
    g.applyLinks([{ app: 'a', node: 'device:dev_d', kind: 'device', atMs: T0 }]);
    const b = bindingOf(g, g.appOf('a'));
    const by = Object.fromEntries(b.neighbours.map((n) => [g.applicationIdOf(n.app), { strong: n.strong, coResident: n.coResident }]));
    expect(by).toEqual({ b: { strong: true, coResident: false }, c: { strong: false, coResident: false }, d: { strong: false, coResident: true } });
  });

  it('reads at most the hub limits of member entries per identifier, whatever the size of the graph', () => {
    const crowd = Array.from({ length: 2000 }, (_, i) =>
      application(`n${i}`, T0 + i, { contacts: ['ph_shop', `ph_n${(i * 7) % 2000}`], phone: `ph_n${i}`, ip: 'ip_cgnat' }),
    );
    const g = storeOf(crowd);
    const worst = Math.max(...crowd.map((a) => bindingOf(g, g.appOf(a.applicationId)).scanned));
    // Own phone (listed by ~1 other) and one friend's phone: a handful of entries; the hubs are not read.
    expect(worst).toBeLessThanOrEqual(10);
  });
});
