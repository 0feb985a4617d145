import { describe, expect, it } from 'vitest';
import { LatencyBudget } from '../../../src/pipeline/budget.js';

const T = 1_800_000_000_000;
const opts = { budgetMs: 100, windowSeconds: 10, recoverRatio: 0.8, minSamples: 20 };

describe('LatencyBudget', () => {
  it('starts shedding when the window p99 goes over budget, and recovers by itself with hysteresis', () => {
    const b = new LatencyBudget(opts);
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
    const b = new LatencyBudget(opts);
    b.record(Array(30).fill(300), T);
    expect(b.state(T).shedding).toBe(true);
    b.record(Array(3000).fill(90), T + 10_500);
    expect(b.state(T + 10_500).shedding).toBe(true);
    b.record(Array(3000).fill(50), T + 21_000);
    expect(b.state(T + 21_000).shedding).toBe(false);
  });

  it('does not decide on too few samples', () => {
    const b = new LatencyBudget(opts);
    b.record(Array(5).fill(1000), T);
    expect(b.state(T).shedding).toBe(false);
  });
});
