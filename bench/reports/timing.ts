/**
 * Part 2 of the report bench, the timing: `buildReport` (src/reports/build.ts) on the filled schema for each
 * period, `runs` times, through the console's own pool (createPool: its 30 s statement timeout, as the CLI and
 * the console route run it) and a Queryable that times every query; the steps from `onProgress`. A period whose
 * build hits the statement timeout is built again on a pool without it (600 s), so that its time is known. Then the
 * renderers on each period's report, and EXPLAIN (ANALYZE, BUFFERS) of the slowest queries of the longest period.
 */
import { createPool, type Queryable } from '../../src/console/db.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Logger } from '../../src/platform/logger.js';
import { buildReport } from '../../src/reports/build.js';
import type { Report } from '../../src/reports/report.js';
import { REPORT_FORMATS, render, type ReportFormat } from '../../src/reports/render/index.js';
import { FILL_TOPICS } from './fill.js';

export interface QueryTiming {
  name: string;
  ms: number;
  rows: number;
}

export interface BuildRun {
  ms: number;
  ok: boolean;
  error: string | null;
  statementTimeoutMs: number;
  /** each step's completion, ms since the build started */
  steps: { step: string; ms: number }[];
  queries: QueryTiming[];
}

export interface PeriodTiming {
  since: string;
  runs: BuildRun[];
  /** runs on the pool without the 30 s timeout, when the default one timed out */
  untimedRuns: BuildRun[];
  rendered: { format: ReportFormat; ms: number[]; bytes: number }[];
  report: { applications: number; alerts: number; baselineApplications: number; identifierDistinct: number; topChange: string | null } | null;
}

export interface Explained {
  since: string;
  name: string;
  medianMs: number;
  sql: string;
  params: string;
  plan: string;
}

/** What a query is, from its text (src/reports/queries.ts, quality.ts). */
function queryName(sql: string, params: readonly unknown[]): string {
  if (/WITH v AS/.test(sql)) return `valueRows(${String(params[3])})`;
  if (/date_trunc\(\$3/.test(sql)) return 'bucketRows';
  if (/dimension = 'all'/.test(sql)) return 'baselineTotals';
  if (/array_agg/.test(sql)) return 'ringAggregates';
  if (/FROM ring_events/.test(sql)) return 'ringEventCounts';
  if (/GROUP BY a\.level/.test(sql)) return 'quality.byLevel';
  if (/unnest\(a\.rule_codes\)/.test(sql)) return 'quality.byRule';
  if (/NOT EXISTS/.test(sql)) return 'quality.missedFraud';
  if (/percentile_cont/.test(sql)) return 'quality.timeToLabel';
  if (/dead_alerts/.test(sql)) return 'deadRecords';
  return 'other';
}

interface Captured {
  name: string;
  sql: string;
  params: unknown[];
}

/** `q` with every query timed into `into` (and its text kept in `texts`, for EXPLAIN). */
function timed(q: Queryable, into: QueryTiming[], texts: Map<string, Captured>): Queryable {
  const query = async (sql: string, params: unknown[] = []) => {
    const name = queryName(sql, params);
    texts.set(name, { name, sql, params });
    const t = performance.now();
    const res = await q.query(sql, params);
    into.push({ name, ms: performance.now() - t, rows: res.rowCount ?? res.rows.length });
    return res;
  };
  return { query } as unknown as Queryable;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export interface TimingDeps {
  postgresUrl: string;
  schema: string;
  nowMs: number;
  periods: string[];
  runs: number;
  logger: Logger;
  log: (line: string) => void;
  track: (close: () => Promise<void>) => () => void;
}

export async function timeReports(d: TimingDeps): Promise<{ periods: PeriodTiming[]; explained: Explained[] }> {
  const env = { LENDGUARD_CONSOLE_POSTGRES_URL: `${d.postgresUrl}?application_name=lgbench-report`, LENDGUARD_CONSOLE_POSTGRES_SCHEMA: d.schema };
  const config = loadConfig({ env });
  const long = loadConfig({ env, overrides: { 'console.postgres.statementTimeoutMs': 600_000 } });
  const db = createPool(config.console.postgres, d.logger);
  const untimedDb = createPool(long.console.postgres, d.logger);
  const untrack = [d.track(() => db.end()), d.track(() => untimedDb.end())];
  const texts = new Map<string, Map<string, Captured>>();
  try {
    const periods: PeriodTiming[] = [];
    for (const since of d.periods) {
      const captured = new Map<string, Captured>();
      texts.set(since, captured);
      const once = async (pool: typeof db, timeoutMs: number): Promise<{ run: BuildRun; report: Report | null }> => {
        const queries: QueryTiming[] = [];
        const steps: { step: string; ms: number }[] = [];
        const t0 = performance.now();
        // when each step was done, since the start (the dimension queries run a few at a time: their steps overlap)
        const onProgress = (step: string): void => void steps.push({ step, ms: performance.now() - t0 });
        try {
          const report = await buildReport(timed(pool, queries, captured), { since, nowMs: d.nowMs, topics: FILL_TOPICS, onProgress });
          return { run: { ms: performance.now() - t0, ok: true, error: null, statementTimeoutMs: timeoutMs, steps, queries }, report };
        } catch (err) {
          const e = err as Error & { code?: string };
          const error = `${e.code ? `${e.code} ` : ''}${e.message}`;
          return { run: { ms: performance.now() - t0, ok: false, error, statementTimeoutMs: timeoutMs, steps, queries }, report: null };
        }
      };
      const runs: BuildRun[] = [];
      const untimedRuns: BuildRun[] = [];
      let report: Report | null = null;
      for (let k = 0; k < d.runs; k++) {
        const r = await once(db, config.console.postgres.statementTimeoutMs);
        runs.push(r.run);
        report = r.report ?? report;
        d.log(
          `report --since ${since} run ${k + 1}: ${r.run.ok ? `${(r.run.ms / 1000).toFixed(2)} s` : `FAILED after ${(r.run.ms / 1000).toFixed(1)} s: ${r.run.error}`}`,
        );
        if (!r.run.ok && !/statement timeout/i.test(r.run.error ?? '')) break;
      }
      if (runs.some((r) => !r.ok)) {
        for (let k = 0; k < d.runs; k++) {
          const r = await once(untimedDb, long.console.postgres.statementTimeoutMs);
          untimedRuns.push(r.run);
          report = r.report ?? report;
          d.log(`report --since ${since} without the 30 s timeout, run ${k + 1}: ${r.run.ok ? `${(r.run.ms / 1000).toFixed(2)} s` : `FAILED: ${r.run.error}`}`);
          if (!r.run.ok) break;
        }
      }
      periods.push({ since, runs, untimedRuns, rendered: report ? renderTimes(report, d.runs) : [], report: report ? gist(report) : null });
    }
    const explained = await explainSlowest(untimedDb, periods, texts, d.log);
    return { periods, explained };
  } finally {
    await db.end().catch(() => undefined);
    await untimedDb.end().catch(() => undefined);
    for (const u of untrack) u();
  }
}

function gist(r: Report): NonNullable<PeriodTiming['report']> {
  const top = r.changes.flatMap((c) => c.changes.map((x) => ({ key: `${c.label}: ${x.key}`, rank: x.logRatioLow }))).sort((a, b) => b.rank - a.rank)[0];
  return {
    applications: r.totals.applications,
    alerts: r.totals.alerts,
    baselineApplications: r.totals.baseline.applications,
    identifierDistinct: r.breakdowns.find((b) => b.dimension === 'identifier')?.distinct ?? 0,
    topChange: top?.key ?? null,
  };
}

function renderTimes(report: Report, runs: number): PeriodTiming['rendered'] {
  return REPORT_FORMATS.map((format) => {
    const ms: number[] = [];
    let bytes = 0;
    for (let k = 0; k < runs; k++) {
      const t = performance.now();
      const text = render(report, format);
      ms.push(performance.now() - t);
      bytes = Buffer.byteLength(text);
    }
    return { format, ms, bytes };
  });
}

/** Median time of each query over the successful runs (the untimed ones when the default timed out). */
export function queryMedians(p: PeriodTiming): { name: string; medianMs: number; minMs: number; rows: number }[] {
  const runs = (p.untimedRuns.length > 0 ? p.untimedRuns : p.runs).filter((r) => r.ok);
  const byName = new Map<string, { ms: number[]; rows: number }>();
  for (const r of runs)
    for (const q of r.queries) {
      const e = byName.get(q.name) ?? { ms: [], rows: q.rows };
      e.ms.push(q.ms);
      byName.set(q.name, e);
    }
  return [...byName].map(([name, e]) => ({ name, medianMs: median(e.ms), minMs: Math.min(...e.ms), rows: e.rows }));
}

/** EXPLAIN (ANALYZE, BUFFERS) of the longest period's two slowest queries, and of any query of any period over 5 s. */
async function explainSlowest(
  db: Queryable,
  periods: PeriodTiming[],
  texts: Map<string, Map<string, Captured>>,
  log: (line: string) => void,
): Promise<Explained[]> {
  const wanted: { since: string; name: string; medianMs: number }[] = [];
  const last = periods[periods.length - 1];
  if (last)
    for (const q of queryMedians(last)
      .sort((a, b) => b.medianMs - a.medianMs)
      .slice(0, 2))
      wanted.push({ since: last.since, ...q });
  for (const p of periods)
    for (const q of queryMedians(p))
      if (q.medianMs > 5000 && !wanted.some((w) => w.since === p.since && w.name === q.name)) wanted.push({ since: p.since, ...q });
  const out: Explained[] = [];
  for (const w of wanted) {
    const c = texts.get(w.since)?.get(w.name);
    if (!c) continue;
    log(`EXPLAIN (ANALYZE, BUFFERS) ${w.name} of --since ${w.since}`);
    const res = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`, c.params);
    out.push({
      since: w.since,
      name: w.name,
      medianMs: w.medianMs,
      sql: c.sql.replace(/\s+/g, ' ').trim(),
      params: JSON.stringify(c.params),
      plan: res.rows.map((r) => r['QUERY PLAN']).join('\n'),
    });
  }
  return out;
}
