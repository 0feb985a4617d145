import { describe, expect, it } from 'vitest';
import { bucketOf, bucketUpperMs, LatencyWindow } from '../../../src/platform/latency-window.js';

const T = 1_800_000_000_000;

describe('LatencyWindow', () => {
  it('reports exact quantiles to the millisecond under 100 ms', () => {
    const w = new LatencyWindow(30, 100);
    for (let ms = 1; ms <= 100; ms++) w.record(ms - 0.5, T);
    const s = w.snapshot(T);
    expect(s).toMatchObject({ count: 100, p50: 50, p95: 95, p99: 99, max: 99.5 });
    expect(s.withinBudget).toBe(1);
  });

  it('keeps larger latencies within 5% and never reports above the max', () => {
    const w = new LatencyWindow(30, 100);
    for (let i = 0; i < 99; i++) w.record(10, T);
    w.record(1234, T);
    const s = w.snapshot(T);
    expect(s.p99).toBe(11); // the upper bound of the [10, 11) bucket: conservative by at most 1 ms
    expect(s.max).toBe(1234);
    for (const ms of [150, 1000, 12_345]) {
      const upper = bucketUpperMs(bucketOf(ms));
      expect(upper).toBeGreaterThanOrEqual(ms);
      expect(upper / ms).toBeLessThanOrEqual(1.051);
    }
  });

  it('forgets samples older than the window', () => {
    const w = new LatencyWindow(10, 100);
    w.record(500, T);
    w.record(20, T + 5_000);
    expect(w.snapshot(T + 9_000)).toMatchObject({ count: 2, max: 500 });
    expect(w.snapshot(T + 10_000)).toMatchObject({ count: 1, max: 20, p99: 20 });
    expect(w.snapshot(T + 20_000)).toMatchObject({ count: 0, p99: 0, withinBudget: 1 });
  });

  it('counts the share within budget', () => {
    const w = new LatencyWindow(30, 100);
    for (let i = 0; i < 3; i++) w.record(50, T);
    w.record(150, T);
    expect(w.snapshot(T).withinBudget).toBe(0.75);
  });
});
