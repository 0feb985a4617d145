/**
 * Part 2 of the report bench, the fill: `2 × days` days of rollups at `perDay` applications a day (the reported
 * period and the baseline before it), without running 60 M assessments through JS.
 *
 * Three template days are counted by the real RollupAccumulator (src/reports/dimensions.ts) from `perDay` synthetic
 * assessments each (bench/reports/stream.ts; the third with an injected campaign: one partner from Alibaba
 * data-centre IPs in CN/Zhejiang, 2 % of the day, 90 % alerted), so each hour has the cardinality real traffic gives.
 * The templates go to a scratch table; each filled day is then one INSERT … SELECT of a template shifted to its
 * date (template 0 and 1 alternate; the campaign template on days 3–5 before the end, so inside the last 7 days
 * but not the last 24 h). An identifier pseudonym is unique to its day (md5 of the value and the day), except
 * the farm devices and shared IPs, which recur every day as they would. Then ring events (the real decoder and
 * insert), a light console alerts and labels table (SQL), a few dead records, and VACUUM (ANALYZE).
 */
import type pg from 'pg';
import { ringEvent } from '../../src/reports/decode.js';
import { RollupAccumulator } from '../../src/reports/dimensions.js';
import { insertRingEvents } from '../../src/reports/store.js';
import { campaign, ringAlerts, stream, type ModelSpec } from './stream.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const COUNTS = ['applications', 'alerts', 'low', 'medium', 'high', 'critical', 'degraded'] as const;
export const FILL_TOPICS = ['bench.assessments', 'bench.alerts'];

export interface FillSettings {
  days: number;
  perDay: number;
  alertsPerDay: number;
  seed: string;
  model?: ModelSpec;
}

export interface FillResult {
  method: string;
  /** the end of the data: the end of the current hour, as `--since` reads it */
  toIso: string;
  fromIso: string;
  daysFilled: number;
  templates: { name: string; applications: number; alerts: number; cells: number; seconds: number }[];
  /** cells per hour of template 0, by dimension (what one real hour holds) */
  perHourByDimension: Record<string, number>;
  rowsByDimension: Record<string, number>;
  fillSeconds: number;
  vacuumSeconds: number;
  table: { rows: number; totalBytes: number; heapBytes: number; indexBytes: number };
  ringEvents: number;
  alerts: number;
  labels: number;
  dead: number;
}

const campaignDay = (d: number, total: number): boolean => total >= 7 && d >= total - 5 && d <= total - 3;

async function templates(db: pg.Pool, s: FillSettings, log: (line: string) => void): Promise<FillResult['templates']> {
  await db.query(`CREATE TABLE bench_template (tpl int NOT NULL, h int NOT NULL, dimension text NOT NULL, value text NOT NULL, label text,
    ${COUNTS.map((c) => `${c} bigint NOT NULL`).join(', ')})`);
  const out: FillResult['templates'] = [];
  for (const [tpl, name] of ['normal A', 'normal B', 'with campaign'].entries()) {
    const started = performance.now();
    const acc = new RollupAccumulator();
    let applications = 0;
    let alerts = 0;
    const add = (a: Parameters<RollupAccumulator['add']>[0]): void => {
      acc.add(a);
      applications += 1;
      if (a.alert) alerts += 1;
    };
    const seed = `${s.seed}-t${tpl === 2 ? 0 : tpl}`;
    for (const a of stream(seed, s.perDay, 0, DAY, undefined, s.model)) add(a);
    if (tpl === 2) for (const a of campaign(seed, Math.round(s.perDay * 0.02), 9 * HOUR, 21 * HOUR, s.model)) add(a);
    const cells = acc.result();
    for (let i = 0; i < cells.length; i += 20_000) {
      const part = cells.slice(i, i + 20_000);
      await db.query(
        `INSERT INTO bench_template SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], ${COUNTS.map((_, k) => `$${k + 6}::bigint[]`).join(', ')})`,
        [
          tpl,
          part.map((c) => c.hourMs / HOUR),
          part.map((c) => c.dimension),
          part.map((c) => c.value),
          part.map((c) => c.label),
          ...COUNTS.map((k) => part.map((c) => c[k])),
        ],
      );
    }
    const seconds = (performance.now() - started) / 1000;
    out.push({ name, applications, alerts, cells: cells.length, seconds });
    log(`template ${name}: ${applications.toLocaleString('en')} assessments → ${cells.length.toLocaleString('en')} cells in ${seconds.toFixed(1)} s`);
  }
  return out;
}

export async function fill(db: pg.Pool, s: FillSettings, toMs: number, log: (line: string) => void): Promise<FillResult> {
  const tpls = await templates(db, s, log);
  const perHour = await db.query<{ dimension: string; n: string }>(
    'SELECT dimension, count(*) / 24.0 AS n FROM bench_template WHERE tpl = 0 GROUP BY dimension',
  );
  const total = 2 * s.days;
  const fromMs = toMs - total * DAY;
  const started = performance.now();
  for (let d = 0; d < total; d++) {
    const tpl = campaignDay(d, total) ? 2 : d % 2;
    await db.query(
      `INSERT INTO rollup_hourly (dimension, hour, value, label, ${COUNTS.join(', ')})
       SELECT dimension, $1::timestamptz + make_interval(hours => h),
              CASE WHEN dimension = 'identifier' AND position('_farm' IN value) = 0 THEN split_part(value, '_', 1) || '_' || left(md5(value || $3::text), 22) ELSE value END,
              label, ${COUNTS.join(', ')}
       FROM bench_template WHERE tpl = $2`,
      [new Date(fromMs + d * DAY), tpl, `d${d}`],
    );
    if ((d + 1) % 5 === 0 || d === total - 1) log(`filled ${d + 1} of ${total} days in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const fillSeconds = (performance.now() - started) / 1000;
  await db.query('DROP TABLE bench_template');

  // Ring events: the real decoder and insert; about 40 rings formed a day.
  const rings = ringAlerts(s.seed, Math.max(5, 40 * total), fromMs, toMs);
  const client = await db.connect();
  try {
    for (let i = 0; i < rings.length; i += 5000) {
      const rows = rings.slice(i, i + 5000).map((r, k) => ringEvent(r, { topic: FILL_TOPICS[1] as string, partition: 0, offset: String(i + k) }));
      await insertRingEvents(client, rows);
    }
  } finally {
    client.release();
  }

  // The console's alerts (lightly: `alertsPerDay`, small payloads) and labels (a quarter of them, a fifth legit;
  // fraud on some applications never alerted), for the quality section.
  const nAlerts = s.alertsPerDay * total;
  await db.query(
    `INSERT INTO alerts (kind, application_id, level, score, partner_id, ip_country, ip_region, ip_class, rule_codes, subject_ids, event_time, detected_at,
                         payload, source_topic, source_partition, source_offset)
     SELECT 'application', 'app-bench-' || g, CASE WHEN g % 10 < 3 THEN 'critical' ELSE 'high' END, 80, 'partner-' || lpad((g % 200)::text, 3, '0'),
            'CN', 'Guangdong', 'public',
            ARRAY[(ARRAY['IP_DATACENTER','DEVICE_SHARED','PHONE_VELOCITY_24H','DEVICE_EMULATOR','IP_VPN','BANK_SHARED','ID_VELOCITY_7D','GEO_TZ_MISMATCH'])[1 + g % 8],
                  (ARRAY['DEVICE_NEW','THIN_PROFILE','AMOUNT_HIGH'])[1 + g % 3]],
            ARRAY['ph_' || left(md5(g::text), 22), 'dev_' || left(md5('d' || g), 22)],
            $1::timestamptz + (g * $2::float8) * interval '1 millisecond', $1::timestamptz + (g * $2::float8) * interval '1 millisecond' + interval '2 seconds',
            '{}'::jsonb, $3, 0, g
     FROM generate_series(0, $4::int - 1) g`,
    [new Date(fromMs), (total * DAY) / Math.max(1, nAlerts), FILL_TOPICS[1], nAlerts],
  );
  await db.query(`INSERT INTO labels (application_id, label, author, created_at)
                  SELECT application_id, CASE WHEN id % 5 = 0 THEN 'legit' ELSE 'fraud' END, 'bench', detected_at + (id % 240) * interval '1 minute'
                  FROM alerts WHERE id % 4 = 0`);
  await db.query(
    `INSERT INTO labels (application_id, label, author, created_at)
                  SELECT 'app-quiet-' || id, 'fraud', 'bench', detected_at + interval '3 days' FROM alerts WHERE id % 100 = 1 AND detected_at + interval '3 days' < $1`,
    [new Date(toMs)],
  );
  await db.query(
    `INSERT INTO dead_alerts (source_topic, source_partition, source_offset, record_key, value, code, reason, received_at)
                  SELECT $1, 0, g, NULL, '\\x7b7d'::bytea, 'CONTRACT_VIOLATION', 'synthetic dead record', $2::timestamptz - g * interval '1 day' FROM generate_series(0, 9) g`,
    [FILL_TOPICS[0], new Date(toMs - HOUR)],
  );

  const vacuumStarted = performance.now();
  await db.query('VACUUM (ANALYZE) rollup_hourly, ring_events, alerts, labels, dead_alerts');
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  const by = await db.query<{ dimension: string; n: string }>('SELECT dimension, count(*) AS n FROM rollup_hourly GROUP BY dimension ORDER BY dimension');
  const size = (
    await db.query<{ total: string; heap: string; indexes: string }>(
      "SELECT pg_total_relation_size('rollup_hourly') AS total, pg_relation_size('rollup_hourly') AS heap, pg_indexes_size('rollup_hourly') AS indexes",
    )
  ).rows[0];
  const count = async (table: string): Promise<number> => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
  const rowsByDimension = Object.fromEntries(by.rows.map((r) => [r.dimension, Number(r.n)]));
  return {
    method:
      "RollupAccumulator over 3 synthetic template days (2 normal, 1 with a campaign), each filled day one INSERT … SELECT of a template shifted to its date; identifier pseudonyms re-keyed per day (md5), the pooled ones (farm devices, shared IPs, agents' phones, mule accounts) kept",
    toIso: new Date(toMs).toISOString(),
    fromIso: new Date(fromMs).toISOString(),
    daysFilled: total,
    templates: tpls,
    perHourByDimension: Object.fromEntries(perHour.rows.map((r) => [r.dimension, Number(r.n)])),
    rowsByDimension,
    fillSeconds,
    vacuumSeconds,
    table: {
      rows: Object.values(rowsByDimension).reduce((a, b) => a + b, 0),
      totalBytes: Number(size?.total ?? 0),
      heapBytes: Number(size?.heap ?? 0),
      indexBytes: Number(size?.indexes ?? 0),
    },
    ringEvents: await count('ring_events'),
    alerts: await count('alerts'),
    labels: await count('labels'),
    dead: await count('dead_alerts'),
  };
}
