/**
 * Latency over a sliding time window, as a histogram (no sorting of samples): one bucket array per
 * second in a ring; a snapshot merges the live seconds. Buckets are log-linear: 1 ms wide up to
 * 100 ms, then about 5% wide up to ~10 minutes, so p99 is exact to a millisecond around a 100 ms
 * budget and within 5% beyond it. Time is passed in.
 */
const LINEAR_MS = 100;
const GROWTH = 1.05;
const BUCKETS = LINEAR_MS + Math.ceil(Math.log(600_000 / LINEAR_MS) / Math.log(GROWTH)) + 1;

export function bucketOf(ms: number): number {
  if (ms < LINEAR_MS) return Math.max(0, Math.floor(ms));
  return Math.min(BUCKETS - 1, LINEAR_MS + Math.floor(Math.log(ms / LINEAR_MS) / Math.log(GROWTH)));
}

/** Upper bound (ms) of a bucket: what a quantile in that bucket reports. */
export function bucketUpperMs(b: number): number {
  if (b < LINEAR_MS) return b + 1;
  return Math.round(LINEAR_MS * GROWTH ** (b - LINEAR_MS + 1));
}

export interface WindowSnapshot {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Share of samples within the budget (1 when there are none). */
  withinBudget: number;
}

export class LatencyWindow {
  private readonly seconds: { second: number; counts: Uint32Array; max: number; within: number; n: number }[];

  constructor(
    private readonly windowSeconds: number,
    private readonly budgetMs: number,
  ) {
    this.seconds = Array.from({ length: windowSeconds }, () => ({ second: -1, counts: new Uint32Array(BUCKETS), max: 0, within: 0, n: 0 }));
  }

  private slot(nowMs: number) {
    const second = Math.floor(nowMs / 1000);
    const slot = this.seconds[second % this.windowSeconds] as (typeof this.seconds)[number];
    if (slot.second !== second) {
      slot.second = second;
      slot.counts.fill(0);
      slot.max = 0;
      slot.within = 0;
      slot.n = 0;
    }
    return slot;
  }

  record(latencyMs: number, nowMs: number): void {
    const slot = this.slot(nowMs);
    const ms = Math.max(0, latencyMs);
    slot.counts[bucketOf(ms)] = (slot.counts[bucketOf(ms)] ?? 0) + 1;
    slot.n += 1;
    if (ms <= this.budgetMs) slot.within += 1;
    if (ms > slot.max) slot.max = ms;
  }

  snapshot(nowMs: number): WindowSnapshot {
    const current = Math.floor(nowMs / 1000);
    const merged = new Uint32Array(BUCKETS);
    let count = 0;
    let within = 0;
    let max = 0;
    for (const s of this.seconds) {
      if (s.second < 0 || current - s.second >= this.windowSeconds || s.second > current) continue;
      for (let b = 0; b < BUCKETS; b++) merged[b] = (merged[b] ?? 0) + (s.counts[b] ?? 0);
      count += s.n;
      within += s.within;
      if (s.max > max) max = s.max;
    }
    const q = (p: number): number => {
      if (count === 0) return 0;
      const rank = Math.ceil(p * count);
      let seen = 0;
      for (let b = 0; b < BUCKETS; b++) {
        seen += merged[b] ?? 0;
        if (seen >= rank) return Math.min(bucketUpperMs(b), max);
      }
      return max;
    };
    return { count, p50: q(0.5), p95: q(0.95), p99: q(0.99), max, withinBudget: count === 0 ? 1 : within / count };
  }
}
