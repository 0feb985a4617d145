import { describe, expect, it } from 'vitest';
import { GraphService } from '../../../src/graph/graph-service.js';
import type { RingState } from '../../../src/graph/ring-events.js';
import { loadConfig } from '../../../src/platform/config.js';
import { application, ringOfEight, T0 } from './helpers.js';

const settings = loadConfig({ env: {} }).graph;

describe('GraphService', () => {
  it('finds the ring an application just joined and reports it formed once, with or without the deep analysis', () => {
    for (const deep of [true, false]) {
      const g = new GraphService(settings);
      const seen = ringOfEight().map((app) => {
        const pending = new Map<string, RingState>();
        const s = g.observe(app, deep, pending);
        g.acknowledge(pending); // the batch committed
        return s;
      });
      const last = seen[seen.length - 1];
      expect(last?.ring?.size).toBe(8);
      expect(seen.flatMap((s) => s.events).filter((e) => e.type === 'formed')).toHaveLength(1);
      expect(last?.findings.features['graph.strongLinks']).toBeGreaterThan(0); // features either way
      expect((last?.findings.evidence.reasons.length ?? 0) > 0).toBe(deep); // reasons only with the deep work
    }
  });

  it('skips ring detection for applications that share only weak identifiers (an IP), even when shedding', () => {
    const g = new GraphService(settings);
    const seen = Array.from({ length: 10 }, (_, i) => g.observe(application(`ip${i}`, T0 + i, { ip: 'ip_shared_nat' }), false, new Map()));
    expect(seen.every((s) => s.ring === undefined && s.events.length === 0)).toBe(true);
  });

  it('moves the baseline from replicated links without reporting, so another instance does not report the ring again', () => {
    const a = new GraphService(settings);
    const b = new GraphService(settings);
    const ring = ringOfEight();
    const links = ring.slice(0, 7).flatMap((app) => a.observe(app, true, new Map()).links);
    b.replicate(links, T0);
    // B processes the eighth member: the ring grew by one, under the threshold, so nothing to report.
    const eighth = b.observe(ring[7] as (typeof ring)[number], true, new Map());
    expect(eighth.ring?.size).toBe(8);
    expect(eighth.events).toEqual([]);
  });

  it('moves the baseline only when the batch commits: a retried batch reports its ring again, once', () => {
    const g = new GraphService(settings);
    const batch = ringOfEight();
    const attempt = () => {
      const pending = new Map<string, RingState>();
      const events = batch.flatMap((app) => g.observe(app, true, pending).events);
      return { pending, formed: events.filter((e) => e.type === 'formed').length };
    };
    g.release(attempt().pending); // reported, then the transaction aborts: nothing acknowledged
    const retry = attempt();
    expect(retry.formed).toBe(1); // reported again, still once within the batch
    g.acknowledge(retry.pending);
    expect(attempt().formed).toBe(0); // committed: a replay of the batch reports nothing new
  });

  it('reports a ring once when two concurrent batches (two partitions) touch it before either commits', () => {
    const g = new GraphService(settings);
    const ring = ringOfEight();
    const a = new Map<string, RingState>();
    const b = new Map<string, RingState>();
    const formedIn = (apps: typeof ring, pending: Map<string, unknown>) =>
      apps.flatMap((app) => g.observe(app, true, pending as Map<never, never>).events).filter((e) => e.type === 'formed').length;
    expect(formedIn(ring.slice(0, 6), a)).toBe(1); // batch A forms the ring, not committed yet
    expect(formedIn(ring.slice(6), b)).toBe(0); // batch B adds two members: A's report stands
    g.acknowledge(b);
    g.release(a); // A aborts; its retry reports the ring (now of eight) again
    const retry = new Map<string, RingState>();
    expect(formedIn(ring.slice(0, 6), retry)).toBe(1);
  });
});
