import { LatencyWindow, type WindowSnapshot } from '../platform/latency-window.js';

/**
 * The latency budget as a running feature: latencies of produced assessments go into a sliding
 * window; when the window's p99 is over budget the processor sheds optional work, and it returns
 * to full work by itself once p99 is back under `recoverRatio` × budget (hysteresis, so it does
 * not flap). Decisions need at least `minSamples` in the window, and shedding starts no sooner than one
 * window after the first latency (start-up is not the steady state). Time is passed in.
 *
 * Shedding must pay for the detection it gives up, so it is tested against full work in time:
 * after `trialSeconds` of shedding comes a probe of `trialSeconds` at full work, and the p99 of each
 * phase's second half is compared.
 * - Full work is slower by a quarter or more: shedding helps (or the processor is falling behind);
 *   it goes on, and is probed again after `probeEverySeconds` (doubled after each probe that
 *   confirms it, up to an hour, as a probe costs latency then).
 * - Otherwise latency does not depend on the optional work (it is the broker's or the network's):
 *   full work holds for `holdSeconds` (doubled after each futile try, up to an hour), unless p99
 *   rises half as high again as the level where shedding failed.
 */
export interface BudgetOptions {
  budgetMs: number;
  windowSeconds: number;
  recoverRatio: number;
  minSamples: number;
  /** Length of a shedding trial and of a full-work probe (default 5 s). */
  trialSeconds?: number;
  /** Full work holds this long after a futile try (default 600 s). */
  holdSeconds?: number;
  /** Shedding that helped is probed again after this long (default 120 s). */
  probeEverySeconds?: number;
}

export interface BudgetState {
  shedding: boolean;
  /** Why shedding is on, for the assessments' `degradedReason`. */
  reason: string | null;
  window: WindowSnapshot;
  /** Set while full work holds over budget because shedding did not help. */
  futile: string | null;
}

/** Full work must be this much slower than shedding for shedding to count as helping. */
const HELPS = 1.25;
const RETRY = 1.5;
const MAX_HOLD_S = 3600;

type Mode = 'full' | 'shed' | 'probe' | 'hold';

/** `seconds` doubled `times` times, at most an hour (no jitter: one process decides alone). */
const doubled = (seconds: number, times: number): number => Math.min(MAX_HOLD_S, seconds * 2 ** times);

export class LatencyBudget {
  private readonly window: LatencyWindow;
  private mode: Mode = 'full';
  private reason: string | null = null;
  /** The current shed or probe phase: when it began, how long it runs, and its latencies. */
  private phase = { startedMs: 0, seconds: 0, samples: undefined as LatencyWindow | undefined };
  private shedP99 = 0;
  private hold = { untilMs: 0, p99: 0, reason: '' };
  private futileTries = 0;
  private helpfulProbes = 0;
  private firstMs: number | undefined;

  constructor(private readonly opts: BudgetOptions) {
    this.window = new LatencyWindow(opts.windowSeconds, opts.budgetMs);
  }

  record(latenciesMs: readonly number[], nowMs: number): void {
    if (latenciesMs.length > 0) this.firstMs ??= nowMs;
    for (const ms of latenciesMs) {
      this.window.record(ms, nowMs);
      this.phase.samples?.record(ms, nowMs);
    }
  }

  /** Re-evaluates the window and returns the state the next batch should run under. */
  state(nowMs: number): BudgetState {
    const w = this.window.snapshot(nowMs);
    const { budgetMs, recoverRatio, minSamples, windowSeconds } = this.opts;
    const enough = w.count >= minSamples;
    if (this.mode !== 'full' && (!enough || w.p99 <= budgetMs * recoverRatio)) {
      if (enough) this.futileTries = this.helpfulProbes = 0;
      this.enter('full', nowMs);
    } else if (this.mode === 'hold' && (nowMs >= this.hold.untilMs || w.p99 > this.hold.p99 * RETRY)) {
      this.enter('full', nowMs);
    }
    // Not before one whole window of latencies: the first seconds (producers fenced, connections opened) say
    // nothing about the work, and a shedding test judged on them would be misled.
    const settled = this.firstMs !== undefined && nowMs - this.firstMs >= windowSeconds * 1000;
    if (this.mode === 'full' && settled && enough && w.p99 > budgetMs) {
      this.reason = `p99 ${w.p99} ms over the ${budgetMs} ms budget in the last ${windowSeconds} s`;
      this.enter('shed', nowMs, this.trial());
    } else if (this.mode === 'shed' || this.mode === 'probe') {
      this.judge(nowMs);
    }
    const shedding = this.mode === 'shed';
    return { shedding, reason: shedding ? this.reason : null, window: w, futile: this.mode === 'hold' ? this.hold.reason : null };
  }

  private trial(): number {
    return this.opts.trialSeconds ?? 5;
  }

  private enter(mode: Mode, nowMs: number, seconds = 0): void {
    this.mode = mode;
    // Each phase is judged on its second half: work done entirely under that phase's mode.
    this.phase = { startedMs: nowMs, seconds, samples: seconds > 0 ? new LatencyWindow(Math.ceil(this.trial() / 2), this.opts.budgetMs) : undefined };
  }

  /** At the end of a phase: a shed phase is followed by a full-work probe; the probe decides. */
  private judge(nowMs: number): void {
    const { startedMs, seconds, samples } = this.phase;
    if (!samples || nowMs - startedMs < seconds * 1000) return;
    const s = samples.snapshot(nowMs);
    if (s.count < this.opts.minSamples) return;
    if (this.mode === 'shed') {
      this.shedP99 = s.p99;
      this.enter('probe', nowMs, this.trial());
      return;
    }
    if (s.p99 >= this.shedP99 * HELPS) {
      // A probe costs latency when shedding helps, so each one that confirms it doubles the wait for the next.
      this.futileTries = 0;
      this.enter('shed', nowMs, doubled(this.opts.probeEverySeconds ?? 120, this.helpfulProbes));
      this.helpfulProbes += 1;
      return;
    }
    const holdS = doubled(this.opts.holdSeconds ?? 600, this.futileTries);
    this.futileTries += 1;
    const reason = `shedding did not lower p99 (${this.shedP99} ms shedding, ${s.p99} ms at full work): full work for ${holdS} s unless p99 passes ${Math.round(s.p99 * RETRY)} ms`;
    this.hold = { untilMs: nowMs + holdS * 1000, p99: s.p99, reason };
    this.enter('hold', nowMs);
  }
}
