/**
 * The report's reads (PostgreSQL): the rollups, the ring events, and for quality the console's alerts and labels.
 * Never the processor's hot path. Each query is bounded by the period and by the primary key's order
 * (dimension, hour, value); values of a dimension come back at most `VALUE_LIMIT`, most alerts first.
 */
import type { Queryable } from '../console/db.js';
import type { RollupDimension } from './dimensions.js';
import type { Bucket, LevelCounts } from './report.js';

export interface Window {
  baselineFrom: Date;
  from: Date;
  to: Date;
  bucket: Bucket;
}

export interface BucketRow extends LevelCounts {
  at: Date;
  applications: number;
  alerts: number;
  degraded: number;
}

export interface ValueRow {
  value: string;
  label: string | null;
  applications: number;
  alerts: number;
  baselineApplications: number;
  baselineAlerts: number;
}

export const VALUE_LIMIT = 5000;

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** The period's buckets of dimension `all` (only those with rows; the builder fills the gaps). */
export async function bucketRows(q: Queryable, w: Window): Promise<BucketRow[]> {
  const res = await q.query<Record<string, string>>(
    `SELECT date_trunc($3, hour, 'UTC') AS at, sum(applications) AS applications, sum(alerts) AS alerts, sum(low) AS low, sum(medium) AS medium,
            sum(high) AS high, sum(critical) AS critical, sum(degraded) AS degraded
     FROM rollup_hourly WHERE dimension = 'all' AND hour >= $1 AND hour < $2 GROUP BY 1 ORDER BY 1`,
    [w.from, w.to, w.bucket],
  );
  return res.rows.map((r) => ({
    at: new Date(r.at as unknown as Date),
    applications: n(r.applications),
    alerts: n(r.alerts),
    low: n(r.low),
    medium: n(r.medium),
    high: n(r.high),
    critical: n(r.critical),
    degraded: n(r.degraded),
  }));
}

/** Applications and alerts of the baseline period (dimension `all`). */
export async function baselineTotals(q: Queryable, w: Window): Promise<{ applications: number; alerts: number }> {
  const res = await q.query<{ applications: string | null; alerts: string | null }>(
    `SELECT sum(applications) AS applications, sum(alerts) AS alerts FROM rollup_hourly WHERE dimension = 'all' AND hour >= $1 AND hour < $2`,
    [w.baselineFrom, w.from],
  );
  return { applications: n(res.rows[0]?.applications), alerts: n(res.rows[0]?.alerts) };
}

/** A dimension's values over the period and the baseline; `distinct` counts the period's values. */
export async function valueRows(q: Queryable, w: Window, dimension: RollupDimension): Promise<{ rows: ValueRow[]; distinct: number }> {
  const res = await q.query<Record<string, string | null>>(
    `WITH v AS (
       SELECT value, max(label) AS label,
              sum(applications) FILTER (WHERE hour >= $2) AS applications, sum(alerts) FILTER (WHERE hour >= $2) AS alerts,
              sum(applications) FILTER (WHERE hour < $2) AS baseline_applications, sum(alerts) FILTER (WHERE hour < $2) AS baseline_alerts
       FROM rollup_hourly WHERE dimension = $4 AND hour >= $1 AND hour < $3 GROUP BY value)
     SELECT *, count(*) FILTER (WHERE applications > 0) OVER () AS distinct_values FROM v
     ORDER BY alerts DESC NULLS LAST, applications DESC NULLS LAST, value LIMIT ${VALUE_LIMIT}`,
    [w.baselineFrom, w.from, w.to, dimension],
  );
  const rows = res.rows.map((r) => ({
    value: r.value as string,
    label: r.label ?? null,
    applications: n(r.applications),
    alerts: n(r.alerts),
    baselineApplications: n(r.baseline_applications),
    baselineAlerts: n(r.baseline_alerts),
  }));
  return { rows, distinct: n(res.rows[0]?.distinct_values) };
}

export interface RingAggregate {
  ringId: string;
  pattern: 'ring' | 'burst';
  size: number;
  growth: number;
  knownFraud: number;
  firstSeen: Date;
  lastEventAt: Date;
}

export async function ringEventCounts(q: Queryable, w: Window): Promise<Record<string, number>> {
  const res = await q.query<{ event: string; count: string }>('SELECT event, count(*) AS count FROM ring_events WHERE at >= $1 AND at < $2 GROUP BY event', [
    w.from,
    w.to,
  ]);
  return Object.fromEntries(res.rows.map((r) => [r.event, n(r.count)]));
}

/** Every ring with an event in the period: its largest size, its growth in the period (size before it from the first event). */
export async function ringAggregates(q: Queryable, w: Window): Promise<RingAggregate[]> {
  const res = await q.query<Record<string, unknown>>(
    `SELECT ring_id, max(pattern) AS pattern, max(size) AS size, max(known_fraud) AS known_fraud, min(first_seen) AS first_seen, max(at) AS last_event_at,
            max(size) - (array_agg(CASE WHEN event = 'formed' THEN 0 ELSE coalesce(previous_size, size) END ORDER BY at, id))[1] AS growth
     FROM ring_events WHERE at >= $1 AND at < $2 GROUP BY ring_id`,
    [w.from, w.to],
  );
  return res.rows.map((r) => ({
    ringId: r.ring_id as string,
    pattern: r.pattern === 'burst' ? 'burst' : 'ring',
    size: n(r.size),
    growth: Math.max(0, n(r.growth)),
    knownFraud: n(r.known_fraud),
    firstSeen: r.first_seen as Date,
    lastEventAt: r.last_event_at as Date,
  }));
}

export async function deadRecords(q: Queryable, w: Window, topics: readonly string[]): Promise<number> {
  const res = await q.query<{ count: string }>(
    'SELECT count(*) AS count FROM dead_alerts WHERE received_at >= $1 AND received_at < $2 AND source_topic = ANY($3::text[])',
    [w.from, w.to, topics],
  );
  return n(res.rows[0]?.count);
}
