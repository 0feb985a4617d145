/**
 * Quality from analyst labels (PostgreSQL, the console's tables): precision per level and per rule over the
 * application alerts of the period (by event time, as the rollups count), the share labelled, fraud labelled on
 * applications that were never alerted, and the time from alert to first label. The latest label of an
 * application counts (as in the console). An application whose alert was pruned by the console's retention
 * (console.retentionDays) would count as not alerted: keep the report's period inside the retention.
 */
import type { Queryable } from '../console/db.js';
import type { Window } from './queries.js';
import type { PrecisionRow, QualitySection } from './report.js';

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

const LATEST = `SELECT DISTINCT ON (application_id) application_id, label FROM labels ORDER BY application_id, created_at DESC, id DESC`;

const precisionRow = (r: Record<string, unknown>): PrecisionRow => {
  const labelled = n(r.labelled);
  const fraud = n(r.fraud);
  return { key: String(r.key), alerts: n(r.alerts), labelled, fraud, precision: labelled > 0 ? fraud / labelled : null };
};

async function byLevel(q: Queryable, w: Window): Promise<PrecisionRow[]> {
  const res = await q.query<Record<string, unknown>>(
    `SELECT a.level AS key, count(*) AS alerts, count(l.label) AS labelled, count(*) FILTER (WHERE l.label = 'fraud') AS fraud
     FROM alerts a LEFT JOIN (${LATEST}) l ON l.application_id = a.application_id
     WHERE a.kind = 'application' AND a.event_time >= $1 AND a.event_time < $2 GROUP BY a.level`,
    [w.from, w.to],
  );
  const order = ['critical', 'high', 'medium', 'low'];
  return res.rows.map(precisionRow).sort((x, y) => order.indexOf(x.key) - order.indexOf(y.key));
}

async function byRule(q: Queryable, w: Window): Promise<PrecisionRow[]> {
  const res = await q.query<Record<string, unknown>>(
    `SELECT r.code AS key, count(*) AS alerts, count(l.label) AS labelled, count(*) FILTER (WHERE l.label = 'fraud') AS fraud
     FROM alerts a CROSS JOIN LATERAL unnest(a.rule_codes) AS r(code) LEFT JOIN (${LATEST}) l ON l.application_id = a.application_id
     WHERE a.kind = 'application' AND a.event_time >= $1 AND a.event_time < $2 GROUP BY r.code ORDER BY count(*) DESC, r.code LIMIT 100`,
    [w.from, w.to],
  );
  return res.rows.map(precisionRow);
}

async function missedFraud(q: Queryable, w: Window): Promise<number> {
  const res = await q.query<{ count: string }>(
    `SELECT count(*) AS count FROM (
       SELECT DISTINCT ON (application_id) application_id, label, created_at FROM labels ORDER BY application_id, created_at DESC, id DESC) l
     WHERE l.label = 'fraud' AND l.created_at >= $1 AND l.created_at < $2
       AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.kind = 'application' AND a.application_id = l.application_id)`,
    [w.from, w.to],
  );
  return n(res.rows[0]?.count);
}

async function timeToLabel(q: Queryable, w: Window): Promise<QualitySection['timeToLabel']> {
  const res = await q.query<{ count: string; p50: number | null; p90: number | null }>(
    `SELECT count(*) AS count,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) AS p90
     FROM (SELECT greatest(0, extract(epoch FROM (min(l.created_at) - min(a.detected_at))) / 60) AS minutes
           FROM alerts a JOIN labels l ON l.application_id = a.application_id
           WHERE a.kind = 'application' AND a.event_time >= $1 AND a.event_time < $2 GROUP BY a.application_id) t`,
    [w.from, w.to],
  );
  const r = res.rows[0];
  return { count: n(r?.count), p50Minutes: r?.p50 ?? null, p90Minutes: r?.p90 ?? null };
}

export async function qualitySection(q: Queryable, w: Window): Promise<QualitySection> {
  const levels = await byLevel(q, w);
  const sum = (k: 'alerts' | 'labelled' | 'fraud'): number => levels.reduce((s, r) => s + r[k], 0);
  const alerts = sum('alerts');
  const labelled = sum('labelled');
  const fraud = sum('fraud');
  return {
    alerts,
    labelled,
    labelledShare: alerts > 0 ? labelled / alerts : 0,
    fraud,
    legit: labelled - fraud,
    byLevel: levels,
    byRule: await byRule(q, w),
    missedFraud: await missedFraud(q, w),
    timeToLabel: await timeToLabel(q, w),
  };
}
