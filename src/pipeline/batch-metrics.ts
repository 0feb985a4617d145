import type { Metrics } from '../platform/metrics.js';
import type { BatchResult } from './process-batch.js';

/** Counts a committed batch: assessments by level, alerts, latency, flags and dead letters by code. */
export function recordCommittedBatch(result: BatchResult, metrics: Metrics): void {
  for (const a of result.assessments) {
    metrics.assessed.inc({ level: a.level });
    if (a.alert) metrics.alerts.inc();
    metrics.latency.observe(a.latency.sinceRecordMs / 1000);
    for (const f of a.flags) metrics.flags.inc({ code: f.code });
  }
  for (const d of result.deadLettered) metrics.deadLettered.inc({ code: d.code });
}
