import { describe, expect, it } from 'vitest';
import { batchSizeFor, createPacer, parseDuration } from '../../../src/generate/index.js';

/** Simulates a sender with a fake clock: each send takes `sendMs`; returns the achieved rate. */
function simulate(rate: number, total: number, batch: number, sendMs: (i: number) => number): number {
  let now = 1_000_000;
  const start = now;
  const pacer = createPacer(rate, start);
  let sent = 0;
  for (let i = 0; sent < total; i++) {
    const n = Math.min(batch, total - sent);
    now += pacer.reserve(n, now);
    now += sendMs(i);
    sent += n;
  }
  return sent / ((now - start) / 1000);
}

describe('pacer', () => {
  it('holds the rate within 2% for many rates and batch sizes', () => {
    for (const rate of [10, 100, 500, 2000, 20_000]) {
      const achieved = simulate(rate, rate * 30, batchSizeFor(rate), () => 2);
      expect(Math.abs(achieved - rate) / rate, `rate ${rate}: ${achieved}`).toBeLessThan(0.02);
    }
  });

  it('catches up after a slow send with a bounded burst, and never exceeds the rate over the run', () => {
    const achieved = simulate(500, 15_000, 50, (i) => (i === 10 ? 3000 : 5));
    expect(achieved).toBeLessThanOrEqual(500 * 1.01);
    expect(achieved).toBeGreaterThan(500 * 0.93);
  });

  it('rate 0 means no waiting', () => {
    expect(createPacer(0, 0).reserve(500, 0)).toBe(0);
  });

  it('parses durations', () => {
    expect(parseDuration('60s')).toBe(60_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('45')).toBe(45_000);
    expect(() => parseDuration('soon')).toThrow(/invalid duration/);
    expect(batchSizeFor(0)).toBe(500);
    expect(batchSizeFor(100_000)).toBe(500);
    expect(batchSizeFor(50)).toBe(5);
  });
});
