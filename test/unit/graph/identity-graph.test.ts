import { describe, expect, it } from 'vitest';
import { IdentityGraph } from '../../../src/graph/identity-graph.js';
import { toGraphTime as gt } from '../../../src/graph/kinds.js';
import { linksFor } from '../../../src/graph/links.js';
import { application, MIN, ringOfEight, T0 } from './helpers.js';

const snapshot = (g: IdentityGraph): unknown => ({ graph: g.graph.export(), stats: g.stats() });

describe('IdentityGraph.applyLinks', () => {
  it('keeps identifiers seen by one application out of graphology until a second one uses them', () => {
    const g = new IdentityGraph();
    g.applyLinks(linksFor(application('a', T0, { device: 'dev_1' })));
    expect(g.graph.order).toBe(1);
    expect(g.stats().nodes.device).toBe(1);
    const change = g.applyLinks(linksFor(application('b', T0 + MIN, { device: 'dev_1' })));
    expect(change.promoted).toBe(1);
    expect(new Set(change.changedApps)).toEqual(new Set(['a', 'b']));
    expect(g.graph.degree('device:dev_1')).toBe(2);
    expect(g.graph.getNodeAttributes('device:dev_1')).toMatchObject({ f: gt(T0), l: gt(T0 + MIN), m: 'dev_****' });
    expect(g.graph.getEdgeAttributes('app:a', 'device:dev_1')).toEqual({ k: 1, f: gt(T0), l: gt(T0), c: 1 });
  });

  it('is idempotent: the same links twice leave the same graph and counts', () => {
    const links = ringOfEight().flatMap(linksFor);
    const g = new IdentityGraph();
    const first = g.applyLinks(links);
    const before = snapshot(g);
    const again = g.applyLinks(links);
    expect(snapshot(g)).toEqual(before);
    expect(again).toMatchObject({ added: 0, known: links.length, promoted: 0, changedApps: [] });
    expect(first.added).toBe(links.length);
  });

  it('is order-tolerant: reversed replay gives the same graph', () => {
    const links = ringOfEight().flatMap(linksFor);
    const a = new IdentityGraph();
    a.applyLinks(links);
    const b = new IdentityGraph();
    b.applyLinks([...links].reverse());
    expect(b.stats()).toEqual(a.stats());
    expect(b.graph.getNodeAttributes('bankAccount:ba_r_mule')).toMatchObject({ f: gt(T0), l: gt(T0 + 7 * MIN) });
    expect(b.graph.getEdgeAttributes('app:r3', 'device:dev_r_A')).toEqual(a.graph.getEdgeAttributes('app:r3', 'device:dev_r_A'));
  });

  it('counts a phone that is also a contact as two links on one edge, once each', () => {
    const g = new IdentityGraph();
    const links = [...linksFor(application('a', T0, { phone: 'ph_x', contacts: ['ph_x'] })), ...linksFor(application('b', T0, { contacts: ['ph_x'] }))];
    g.applyLinks(links);
    g.applyLinks(links);
    expect(g.graph.getEdgeAttributes('app:a', 'phone:ph_x')).toMatchObject({ k: (1 << 3) | (1 << 9), c: 2 });
    expect(g.stats().links).toMatchObject({ phone: 2, contact: 2 });
  });

  it('keeps the link kind of a solo reached another way than its own (a phone known only as a contact)', () => {
    const g = new IdentityGraph();
    g.applyLinks(linksFor(application('a', T0, { contacts: ['ph_only_contact'] })));
    const phones = g.stats().links.phone ?? 0;
    expect(g.stats().links.contact).toBe(1);
    g.applyLinks(linksFor(application('a', T0, { phone: 'ph_only_contact', contacts: ['ph_only_contact'] })));
    expect(g.stats().links).toMatchObject({ contact: 1, phone: phones + 1 });
    g.applyLinks(linksFor(application('b', T0 + MIN, { phone: 'ph_only_contact' })));
    expect(g.graph.getEdgeAttributes('app:a', 'phone:ph_only_contact')).toMatchObject({ k: (1 << 3) | (1 << 9), c: 2 });
  });
});

describe('IdentityGraph.evictOlderThan', () => {
  it('removes old links, then orphaned identifiers and applications; a once-shared identifier goes back to solo', () => {
    const g = new IdentityGraph();
    g.applyLinks(linksFor(application('old', T0, { device: 'dev_s', bank: 'ba_s' })));
    g.applyLinks(linksFor(application('new', T0 + 60 * MIN, { device: 'dev_s' })));
    g.applyLinks(linksFor(application('new2', T0 + 61 * MIN, { device: 'dev_s' })));
    const total = Object.values(g.stats().links).reduce((a, b) => a + b, 0);
    const removed = g.evictOlderThan(T0 + 30 * MIN);
    expect(removed).toBe(11);
    const s = g.stats();
    expect(Object.values(s.links).reduce((a, b) => a + b, 0)).toBe(total - removed);
    expect(g.hasApplication('old')).toBe(false);
    expect(g.graph.hasNode('device:dev_s')).toBe(true);
    expect(g.graph.degree('device:dev_s')).toBe(2);
    expect(s.nodes.bankAccount).toBe(2);

    expect(g.evictOlderThan(T0 + 61 * MIN)).toBe(11);
    expect(g.graph.hasNode('device:dev_s')).toBe(false); // one application left: a solo again
    expect(g.stats()).toMatchObject({ graphNodes: 1, graphEdges: 0, nodes: { app: 1, device: 1 } });
    expect(g.evictOlderThan(T0 + 62 * MIN)).toBe(11);
    expect(g.stats()).toMatchObject({ graphNodes: 0, solos: 0 });
  });

  it('finds nothing to evict while every link is newer than the horizon, and evicts once one is not', () => {
    const g = new IdentityGraph();
    g.applyLinks(linksFor(application('a', T0 + 10 * MIN)));
    expect(g.evictOlderThan(T0)).toBe(0);
    expect(g.evictOlderThan(T0 + 10 * MIN)).toBe(0);
    g.applyLinks(linksFor(application('late-but-old', T0 - 60 * MIN))); // out of order, older than the last horizon
    expect(g.evictOlderThan(T0 + 10 * MIN)).toBe(11);
    expect(g.hasApplication('a')).toBe(true);
  });
});

describe('IdentityGraph.markLabel', () => {
  it('marks fraud, clears it with a later legit label, ignores an older label', () => {
    const g = graphOf1();
    g.markLabel('a', 'fraud', T0 + MIN);
    expect(g.graph.getNodeAttribute('app:a', 'fr')).toBe(gt(T0 + MIN));
    expect(g.stats().fraudMarked).toBe(1);
    g.markLabel('a', 'legit', T0 + 2 * MIN);
    expect(g.graph.getNodeAttribute('app:a', 'fr')).toBeUndefined();
    g.markLabel('a', 'fraud', T0 + 90_000); // older than the legit label: ignored
    expect(g.stats().fraudMarked).toBe(0);
  });

  it('keeps a label that arrives before the application', () => {
    const g = new IdentityGraph();
    g.markLabel('late', 'fraud', T0 + 5 * MIN);
    g.applyLinks(linksFor(application('late', T0)));
    expect(g.graph.getNodeAttributes('app:late')).toMatchObject({ fr: gt(T0 + 5 * MIN), f: gt(T0) });
  });
});

function graphOf1(): IdentityGraph {
  const g = new IdentityGraph();
  g.applyLinks(linksFor(application('a', T0)));
  return g;
}
