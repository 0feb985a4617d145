import type { Assessment } from '../domain/assessment.js';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { Health } from '../platform/health.js';
import type { Metrics } from '../platform/metrics.js';
import type { Degradation } from './assess.js';
import { LatencyBudget } from './budget.js';

/**
 * The latency budget wired to metrics and health: the work each batch runs under, and the
 * latencies of committed batches fed back into the sliding window.
 */
export interface BudgetHooks {
  /** Read once per batch: over budget, the listed counters and tagged rules are skipped. */
  degradation: () => Degradation & { skipCounters: readonly string[] };
  /** Called once a batch's assessments are durably produced. */
  committed: (assessments: readonly Assessment[]) => void;
}

export function budgetHooks(latency: Config['latency'], metrics: Metrics, health: Health, clock: Clock): BudgetHooks {
  const budget = new LatencyBudget(latency);
  const shed = latency.shed;
  const shedWhat = `skipping counters [${shed.counters.join(', ')}] and rules tagged [${shed.ruleTags.join(', ')}]`;
  return {
    degradation() {
      const state = budget.state(clock.now());
      const w = state.window;
      metrics.shedding.set(state.shedding ? 1 : 0);
      metrics.sheddingFutile.set(state.futile ? 1 : 0);
      for (const [q, v] of [
        ['0.5', w.p50],
        ['0.95', w.p95],
        ['0.99', w.p99],
        ['1', w.max],
      ] as const)
        metrics.windowLatency.set({ quantile: q }, v);
      metrics.withinBudget.set(w.withinBudget);
      health.details.latency = { budgetMs: latency.budgetMs, ...w, shedding: state.shedding, ...(state.futile ? { futile: state.futile } : {}) };
      return {
        shedding: state.shedding,
        reason: state.reason ? `${state.reason}: ${shedWhat}` : null,
        windowP99Ms: w.p99,
        skipRuleTags: shed.ruleTags,
        skipCounters: shed.counters,
      };
    },
    committed(assessments) {
      const now = clock.now();
      // Latency as the budget defines it: record timestamp to the assessment being durably produced.
      budget.record(
        assessments.map((a) => now - (Date.parse(a.assessedAt) - a.latency.sinceRecordMs)),
        now,
      );
      metrics.degraded.inc(assessments.filter((a) => a.degraded).length);
    },
  };
}
