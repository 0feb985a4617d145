import type { Queryable } from '../console/db.js';

/**
 * Retention of the rollups: hours and ring events older than `retentionDays` are deleted, at most `batchSize` rows
 * per table per call (bounded work and lock time); `more` says whether a call found a full batch. The report over a
 * pruned hour reads zeros, which docs/reports.md says; re-building from the topics is possible while Kafka keeps them.
 */
export async function pruneRollups(
  q: Queryable,
  opts: { retentionDays: number; batchSize: number; nowMs?: number },
): Promise<{ rollups: number; ringEvents: number; more: boolean }> {
  const cutoff = new Date((opts.nowMs ?? Date.now()) - opts.retentionDays * 86_400_000).toISOString();
  const rollups = await q.query(
    `DELETE FROM rollup_hourly WHERE ctid IN (SELECT ctid FROM rollup_hourly WHERE hour < $1::timestamptz LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [cutoff, opts.batchSize],
  );
  const rings = await q.query(
    `DELETE FROM ring_events WHERE id IN (SELECT id FROM ring_events WHERE at < $1::timestamptz ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [cutoff, opts.batchSize],
  );
  const r = rollups.rowCount ?? 0;
  const e = rings.rowCount ?? 0;
  return { rollups: r, ringEvents: e, more: r >= opts.batchSize || e >= opts.batchSize };
}
