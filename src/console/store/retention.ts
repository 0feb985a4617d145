import type { Queryable } from '../db.js';

/**
 * Retention: alerts and dead alerts detected (received) more than `retentionDays` ago are deleted, oldest first,
 * at most `batchSize` rows per table per call, so each call's work and lock time are bounded; `more` says whether
 * a call found a full batch (call again). Alerts in a case are kept; labels, cases and the audit log are never pruned.
 */
export interface PruneOptions {
  retentionDays: number;
  batchSize: number;
  /** now, for tests (default the database's clock via the JS clock) */
  nowMs?: number;
}

export interface PruneResult {
  alerts: number;
  deadAlerts: number;
  more: boolean;
}

export async function prune(q: Queryable, opts: PruneOptions): Promise<PruneResult> {
  const cutoff = new Date((opts.nowMs ?? Date.now()) - opts.retentionDays * 86_400_000).toISOString();
  const alerts = await q.query(
    `DELETE FROM alerts WHERE id IN (
       SELECT a.id FROM alerts a
       WHERE a.detected_at < $1::timestamptz AND NOT EXISTS (SELECT 1 FROM case_alerts ca WHERE ca.alert_id = a.id)
       ORDER BY a.detected_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [cutoff, opts.batchSize],
  );
  const dead = await q.query(
    `DELETE FROM dead_alerts WHERE id IN (
       SELECT id FROM dead_alerts WHERE received_at < $1::timestamptz ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [cutoff, opts.batchSize],
  );
  const a = alerts.rowCount ?? 0;
  const d = dead.rowCount ?? 0;
  return { alerts: a, deadAlerts: d, more: a >= opts.batchSize || d >= opts.batchSize };
}
