import { describe, expect, it } from 'vitest';
import { linksFor } from '../../../src/graph/links.js';
import { advanceBaseline, diffRings } from '../../../src/graph/ring-events.js';
import { detectRings, type Ring } from '../../../src/graph/rings.js';
import { application, graphOf, MIN, ringOfEight, T0 } from './helpers.js';

const NOW = T0 + 30 * MIN;

describe('diffRings', () => {
  it('emits formed once, grew once per threshold crossing, touched-known-fraud once', () => {
    const g = graphOf(ringOfEight());
    let baseline = new Map<string, Ring>();
    const step = (): string[] => {
      const events = diffRings(baseline, detectRings(g.graph, { nowMs: NOW }), { growBy: 3, growRatio: 0.5 });
      baseline = advanceBaseline(baseline, events);
      return events.map((e) => `${e.type}:${e.ring.id}:${e.previousSize ?? '-'}:${e.newMembers?.length ?? '-'}`);
    };
    expect(step()).toEqual(['formed:ring:r0:-:8']);
    expect(step()).toEqual([]);

    const join = (id: string): void => void g.applyLinks(linksFor(application(id, T0 + 20 * MIN, { bank: 'ba_r_mule' })));
    join('x1');
    expect(step()).toEqual([]); // +1 of 8: under the threshold, max(3 members, 50 % of 8) = 4
    join('x2');
    join('x3');
    expect(step()).toEqual([]); // +3: enough for a small ring, not for one of 8
    join('x4'); // +4 since last reported
    expect(step()).toEqual(['grew:ring:r0:8:4']);
    expect(step()).toEqual([]);

    g.markLabel('r2', 'fraud', NOW);
    expect(step()).toEqual(['touched-known-fraud:ring:r0:12:-']);
    g.markLabel('r3', 'fraud', NOW);
    expect(step()).toEqual([]);
  });

  it('needs the absolute threshold for small rings, and reports a ring formed already touching fraud', () => {
    const three = ['a', 'b', 'c'].map((id) => application(id, T0, { device: 'dev_3' }));
    const g = graphOf(three);
    g.markLabel('a', 'fraud', NOW);
    const first = diffRings(new Map(), detectRings(g.graph, { nowMs: NOW }));
    expect(first.map((e) => e.type)).toEqual(['formed', 'touched-known-fraud']);
    const baseline = advanceBaseline(new Map(), first);
    g.applyLinks(linksFor(application('d', T0, { device: 'dev_3' })));
    expect(diffRings(baseline, detectRings(g.graph, { nowMs: NOW }))).toEqual([]); // +1 of 3: not yet
    for (const id of ['e', 'f']) g.applyLinks(linksFor(application(id, T0, { device: 'dev_3' })));
    const next = diffRings(baseline, detectRings(g.graph, { nowMs: NOW }));
    expect(next.map((e) => [e.type, e.newMembers])).toEqual([['grew', ['d', 'e', 'f']]]);
  });
});
