import { describe, expect, it } from 'vitest';
import { toGraphTime as gt } from '../../../src/graph/kinds.js';
import { linksFor } from '../../../src/graph/links.js';
import { IdentityStore, MEMBER_CAP } from '../../../src/graph/store.js';
import { application, MIN, ringOfEight, storeOf, T0 } from './helpers.js';

const DAY = 86_400_000;
const appsOf = (g: IdentityStore, node: string): string[] =>
  g
    .members(g.sharedOf(node))
    .map((m) => g.applicationIdOf(m >> 2))
    .sort();

describe('IdentityStore.applyLinks', () => {
  it('keeps an identifier used by one application a solo until a second one uses it', () => {
    const g = new IdentityStore();
    g.applyLinks(linksFor(application('a', T0, { device: 'dev_1' })));
    expect(g.sharedOf('device:dev_1')).toBe(-1);
    expect(g.stats()).toMatchObject({ applications: 1, sharedIdentifiers: 0 });
    const change = g.applyLinks(linksFor(application('b', T0 + MIN, { device: 'dev_1' })));
    expect(change.promoted).toBe(1);
    expect(new Set(change.changedApps)).toEqual(new Set(['a', 'b']));
    const s = g.sharedOf('device:dev_1');
    expect(g.degree(s)).toBe(2);
    expect(g.maskedOf(s)).toBe('dev_****');
    expect(appsOf(g, 'device:dev_1')).toEqual(['a', 'b']);
    expect(g.firstSeen(g.appOf('b'))).toBe(gt(T0 + MIN));
  });

  it('is idempotent: the same links twice leave the same store and counts', () => {
    const links = ringOfEight().flatMap(linksFor);
    const g = new IdentityStore();
    const first = ringOfEight()
      .map((a) => g.applyLinks(linksFor(a)).added)
      .reduce((x, y) => x + y, 0);
    const before = g.stats();
    const again = ringOfEight().map((a) => g.applyLinks(linksFor(a)));
    expect(g.stats()).toEqual(before);
    expect(again.every((c) => c.added === 0 && c.promoted === 0 && c.changedApps.length === 0)).toBe(true);
    expect(first).toBe(links.length);
    expect(appsOf(g, 'bankAccount:ba_r_mule')).toHaveLength(8);
  });

  it('is order-tolerant: reversed replay gives the same store', () => {
    const a = storeOf(ringOfEight());
    const b = storeOf([...ringOfEight()].reverse());
    expect(b.stats()).toEqual(a.stats());
    expect(appsOf(b, 'device:dev_r_A')).toEqual(appsOf(a, 'device:dev_r_A'));
  });

  it('records how each member uses a phone node: own phone, contact, or both', () => {
    const g = storeOf([
      application('a', T0, { phone: 'ph_x', contacts: ['ph_x'] }),
      application('b', T0, { contacts: ['ph_x'] }),
      application('c', T0, { phone: 'ph_x' }),
    ]);
    const uses = Object.fromEntries(g.members(g.sharedOf('phone:ph_x')).map((m) => [g.applicationIdOf(m >> 2), m & 3]));
    expect(uses).toEqual({ a: 3, b: 2, c: 1 });
    expect(g.stats().links).toMatchObject({ phone: 3, contact: 4 }); // b's and c's own phones and contacts too
  });

  it('caps member lists but keeps counting the degree of a hub', () => {
    const apps = Array.from({ length: MEMBER_CAP + 50 }, (_, i) => application(`n${i}`, T0 + i, { ip: 'ip_cgnat' }));
    const g = storeOf(apps);
    const s = g.sharedOf('ip:ip_cgnat');
    expect(g.degree(s)).toBe(MEMBER_CAP + 50);
    expect(g.members(s)).toHaveLength(MEMBER_CAP);
  });
});

describe('IdentityStore.evictOlderThan', () => {
  it('removes old applications, demotes identifiers left with one application and drops those left with none', () => {
    const g = storeOf([application('old', T0, { device: 'dev_1', bank: 'ba_1' }), application('new', T0 + 10 * DAY, { device: 'dev_1' })]);
    const r = g.evictOlderThan(T0 + 5 * DAY);
    expect(r).toMatchObject({ apps: 1, more: false });
    expect(g.hasApplication('old')).toBe(false);
    expect(g.sharedOf('device:dev_1')).toBe(-1); // a solo of `new` again
    expect(g.stats()).toMatchObject({ applications: 1, sharedIdentifiers: 0 });
    // The solo still points at `new`: a third application promotes it with both.
    g.applyLinks(linksFor(application('third', T0 + 11 * DAY, { device: 'dev_1' })));
    expect(appsOf(g, 'device:dev_1')).toEqual(['new', 'third']);
  });

  it('works in slices, oldest bucket first, and never touches what is within the horizon', () => {
    const apps = Array.from({ length: 100 }, (_, i) => application(`a${i}`, T0 + i * 3_600_000, { subnet: 'ip_net_all' }));
    const g = storeOf(apps);
    const horizon = T0 + 50 * 3_600_000;
    const first = g.evictOlderThan(horizon, { maxApps: 20 });
    expect(first).toMatchObject({ apps: 20, more: true });
    expect(g.hasApplication('a0')).toBe(false);
    expect(g.hasApplication('a25')).toBe(true);
    let rest = g.evictOlderThan(horizon, { maxApps: 20 });
    while (rest.more) rest = g.evictOlderThan(horizon, { maxApps: 20 });
    expect(g.stats().applications).toBe(50);
    expect(g.hasApplication('a49')).toBe(false);
    expect(g.hasApplication('a50')).toBe(true);
    expect(g.degree(g.sharedOf('subnet:ip_net_all'))).toBe(50);
  });

  it('keeps an application whose last-seen time moved past the horizon (a late link)', () => {
    const g = storeOf([application('a', T0)]);
    g.applyLinks([{ app: 'a', node: 'device:dev_late', kind: 'device', atMs: T0 + 10 * DAY }]);
    expect(g.evictOlderThan(T0 + 5 * DAY).apps).toBe(0);
    expect(g.hasApplication('a')).toBe(true);
  });

  it('reuses freed slots: a long run at a steady size does not grow the arrays', () => {
    const g = new IdentityStore();
    let bytes = 0;
    for (let day = 0; day < 30; day++) {
      for (let i = 0; i < 500; i++) g.applyLinks(linksFor(application(`d${day}-${i}`, T0 + day * DAY + i * 1000)));
      g.evictOlderThan(T0 + (day - 4) * DAY);
      if (day === 10) bytes = g.stats().tableBytes;
    }
    expect(g.stats().applications).toBeLessThanOrEqual(2500 + 500);
    expect(g.stats().tableBytes).toBeLessThanOrEqual(bytes * 1.01);
  });
});

describe('IdentityStore.markLabel', () => {
  it('marks and clears fraud; the latest label by time wins whatever the arrival order', () => {
    const g = storeOf([application('a', T0)]);
    g.markLabel('a', 'fraud', T0 + 2 * MIN);
    g.markLabel('a', 'legit', T0 + MIN); // older: ignored
    expect(g.isFraud(g.appOf('a'))).toBe(true);
    g.markLabel('a', 'legit', T0 + 3 * MIN);
    expect(g.isFraud(g.appOf('a'))).toBe(false);
    g.markLabel('unknown', 'fraud', T0);
    expect(g.hasApplication('unknown')).toBe(true);
    expect(g.stats().fraudMarked).toBe(1);
  });
});
