import { describe, expect, it } from 'vitest';
import { LatencyBudget } from '../../../src/pipeline/budget.js';

const T = 1_800_000_000_000;
const opts = { budgetMs: 100, windowSeconds: 10, recoverRatio: 0.8, minSamples: 20 };
/** Without the full-work probe, for the hysteresis alone. */
const noProbe = { ...opts, trialSeconds: 3600 };
/** A budget that has been running for one window before T (shedding does not start sooner). */
function started(o: typeof opts & { trialSeconds?: number; holdSeconds?: number }): LatencyBudget {
  const b = new LatencyBudget(o);
  b.record([1], T - o.windowSeconds * 1000);
  return b;
}

describe('LatencyBudget', () => {
  it('starts shedding when the window p99 goes over budget, and recovers by itself with hysteresis', () => {
    const b = started(noProbe);
    b.record(Array(50).fill(30), T);
    expect(b.state(T).shedding).toBe(false);

    b.record(Array(10).fill(400), T + 1000); // a slow stage
    const breach = b.state(T + 1000);
    expect(breach).toMatchObject({ shedding: true });
    expect(breach.reason).toMatch(/p99 \d+ ms over the 100 ms budget in the last 10 s/);

    // Still shedding while the slow samples are in the window, even if new ones are fast.
    b.record(Array(50).fill(30), T + 5000);
    expect(b.state(T + 5000).shedding).toBe(true);

    // Once the slow second has left the window, p99 is back under 80 ms: full work again.
    b.record(Array(50).fill(30), T + 11_500);
    expect(b.state(T + 11_500)).toMatchObject({ shedding: false, reason: null });
  });

  it('does not recover while p99 sits between 80% and 100% of the budget', () => {
    const b = started(noProbe);
    b.record(Array(30).fill(300), T);
    expect(b.state(T).shedding).toBe(true);
    b.record(Array(3000).fill(90), T + 10_500);
    expect(b.state(T + 10_500).shedding).toBe(true);
    b.record(Array(3000).fill(50), T + 21_000);
    expect(b.state(T + 21_000).shedding).toBe(false);
  });

  it('does not shed in the first window after start-up, whatever p99 says', () => {
    const b = new LatencyBudget(opts);
    b.record(Array(50).fill(900), T); // fencing producers, opening connections
    expect(b.state(T + 9000).shedding).toBe(false);
    b.record(Array(50).fill(900), T + 10_000);
    expect(b.state(T + 10_000).shedding).toBe(true);
  });

  it('does not decide on too few samples', () => {
    const b = started(opts);
    b.record(Array(5).fill(1000), T);
    expect(b.state(T).shedding).toBe(false);
  });

  describe('testing whether shedding pays', () => {
    const trial = { ...opts, trialSeconds: 5, holdSeconds: 60 };
    /** Each second from `from` to `to` (s after T): `n` samples of latency(second, shedding), then the state. */
    const feed = (b: LatencyBudget, latency: (s: number, shedding: boolean) => number, from: number, to: number, n = 20) => {
      let last = b.state(T + from * 1000);
      for (let s = from; s <= to; s++) {
        b.record(Array(n).fill(latency(s, last.shedding)), T + s * 1000);
        last = b.state(T + s * 1000);
      }
      return last;
    };
    const flat = () => 130;

    it('resumes full work when full work is no slower: the latency is outside the processor', () => {
      const b = started(trial);
      expect(feed(b, flat, 0, 4).shedding).toBe(true); // shedding from 0 s, probed at full work from 5 s
      expect(feed(b, flat, 5, 9).shedding).toBe(false);
      const judged = feed(b, flat, 10, 10);
      expect(judged).toMatchObject({ shedding: false, reason: null });
      expect(judged.futile).toMatch(/shedding did not lower p99 \(130 ms shedding, 130 ms at full work\): full work for 60 s unless p99 passes 195 ms/);
      expect(feed(b, flat, 11, 69)).toMatchObject({ shedding: false }); // held until 70 s, though over budget
      // The hold ends: one more try, futile again, and the next hold is twice as long.
      expect(feed(b, flat, 70, 71).shedding).toBe(true);
      expect(feed(b, flat, 72, 80).futile).toMatch(/full work for 120 s/);
    });

    it('keeps shedding when full work is slower, and when latency keeps rising (falling behind)', () => {
      const helps = started(trial);
      const shedHelps = (_s: number, shedding: boolean) => (shedding ? 110 : 200);
      expect(feed(helps, shedHelps, 0, 7).shedding).toBe(false); // the probe at full work, 5 s to 10 s
      expect(feed(helps, shedHelps, 8, 129)).toMatchObject({ shedding: true, futile: null });
      // Probed again after 120 s, and after that confirms it, after 240 s.
      expect(feed(helps, shedHelps, 130, 134).shedding).toBe(false);
      expect(feed(helps, shedHelps, 135, 374).shedding).toBe(true);
      expect(feed(helps, shedHelps, 375, 379).shedding).toBe(false);
      expect(feed(helps, shedHelps, 380, 400).shedding).toBe(true);
      const behind = started(trial);
      expect(feed(behind, (s) => 150 + 20 * s, 0, 40)).toMatchObject({ shedding: true, futile: null });
    });

    it('tries again during a hold once p99 rises half as high again', () => {
      const b = started(trial);
      expect(feed(b, flat, 0, 10).futile).not.toBeNull();
      expect(feed(b, () => 300, 11, 11, 200)).toMatchObject({ shedding: true, futile: null });
    });
  });
});
