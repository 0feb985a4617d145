import { LatencyWindow, type WindowSnapshot } from '../platform/latency-window.js';

/**
 * The latency budget as a running feature: latencies of produced assessments go into a sliding
 * window; when the window's p99 is over budget the processor sheds optional work, and it returns
 * to full work by itself once p99 is back under `recoverRatio` × budget (hysteresis, so it does
 * not flap). Decisions need at least `minSamples` in the window. Time is passed in.
 */
export interface BudgetOptions {
  budgetMs: number;
  windowSeconds: number;
  recoverRatio: number;
  minSamples: number;
}

export interface BudgetState {
  shedding: boolean;
  /** Why shedding is on, for the assessments' `degradedReason`. */
  reason: string | null;
  window: WindowSnapshot;
}

export class LatencyBudget {
  private readonly window: LatencyWindow;
  private shedding = false;
  private reason: string | null = null;

  constructor(private readonly opts: BudgetOptions) {
    this.window = new LatencyWindow(opts.windowSeconds, opts.budgetMs);
  }

  record(latenciesMs: readonly number[], nowMs: number): void {
    for (const ms of latenciesMs) this.window.record(ms, nowMs);
  }

  /** Re-evaluates the window and returns the state the next batch should run under. */
  state(nowMs: number): BudgetState {
    const w = this.window.snapshot(nowMs);
    const { budgetMs, recoverRatio, minSamples, windowSeconds } = this.opts;
    if (!this.shedding && w.count >= minSamples && w.p99 > budgetMs) {
      this.shedding = true;
      this.reason = `p99 ${w.p99} ms over the ${budgetMs} ms budget in the last ${windowSeconds} s`;
    } else if (this.shedding && (w.count < minSamples || w.p99 <= budgetMs * recoverRatio)) {
      this.shedding = false;
      this.reason = null;
    }
    return { shedding: this.shedding, reason: this.reason, window: w };
  }
}
