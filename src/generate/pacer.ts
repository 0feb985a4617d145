/**
 * Rate pacing (pure: the caller passes the clock). A virtual-schedule token bucket (GCRA): every reservation
 * of n records moves the schedule n/rate seconds forward and answers how long to wait until the schedule is
 * reached, so over any run the send rate converges on `rate` whatever the batch sizes. If the sender falls
 * behind (slow broker), at most `slackMs` of unused capacity is banked, so a catch-up burst is bounded.
 */
export interface Pacer {
  /** Reserves `n` records at clock time `nowMs`; returns the ms to wait before sending them (0 = now). */
  reserve(n: number, nowMs: number): number;
  readonly ratePerSec: number;
}

export function createPacer(ratePerSec: number, startMs: number, slackMs = 1000): Pacer {
  let due = startMs;
  const msPerRecord = ratePerSec > 0 ? 1000 / ratePerSec : 0;
  return {
    ratePerSec,
    reserve(n: number, nowMs: number): number {
      if (msPerRecord === 0) return 0;
      if (due < nowMs - slackMs) due = nowMs - slackMs;
      due += n * msPerRecord;
      return Math.max(0, due - nowMs);
    },
  };
}

/** Records per send: ~10 sends a second at the target rate, at most `max` (Kafka request size). */
export function batchSizeFor(ratePerSec: number, max = 500): number {
  if (!(ratePerSec > 0)) return max;
  return Math.max(1, Math.min(max, Math.round(ratePerSec / 10)));
}

/** "60s", "5m", "2h", "1h30m", "1500ms", or a bare number of seconds → ms. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
    total += Number(m[1]) * unit;
    matched = re.lastIndex;
  }
  if (matched !== s.length || s.length === 0) throw new Error(`invalid duration '${text}' (examples: 60s, 5m, 2h, 1h30m, 1500ms)`);
  return total;
}
