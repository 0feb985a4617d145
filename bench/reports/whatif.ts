/**
 * Part 2's "what if", on the filled schema after the timing (bench only: nothing here changes src/): the longest
 * period's slow queries again under changes that could fix them, each measured with the real query functions
 * (src/reports/queries.ts) and a Queryable that points them at a scratch table or sets a session option, against
 * the same query as the code runs it today, alone on a pool of the same kind, alternately, twice each (the min).
 *
 * - `jit = off` for the whole build (PostgreSQL's JIT compiles each big aggregate anew: seconds per report)
 * - `work_mem = 64MB` for valueRows(identifier) (the aggregate and sort spill to disk at 4 MB)
 * - a daily rollup (`rollup_daily`, the hourly rows summed by UTC day, the same primary key) read by
 *   valueRows(partner | partnerNetwork | partnerRegion): what a daily table would cost periods beyond 2 days
 * - one dimension's rows in a table of their own (what a LIST partition by dimension gives): partner,
 *   partnerNetwork, identifier
 * - identifier rows kept only for values seen in 2 or more applications (`rollup_identifier_repeats`), against all of
 *   them in a table of their own: what counting a value from its second sighting would add
 */
import pg from 'pg';
import type { Queryable } from '../../src/console/db.js';
import type { Logger } from '../../src/platform/logger.js';
import { buildReport } from '../../src/reports/build.js';
import { resolvePeriod } from '../../src/reports/period.js';
import { valueRows } from '../../src/reports/queries.js';
import type { DimensionName } from '../../src/reports/report.js';
import { FILL_TOPICS } from './fill.js';

export interface WhatIf {
  since: string;
  change: string;
  query: string;
  /** as the code runs it today, alone on this pool (min of the runs); null for a one-off step */
  beforeMs: number | null;
  afterMs: number;
  rows: number;
  note: string;
}

const RUNS = 2;
const f = (n: number | null): string => (n === null ? '?' : n.toLocaleString('en'));

/** The queries of `q` reading `table` instead of rollup_hourly. */
const reading = (q: Queryable, table: string): Queryable =>
  ({ query: (sql: string, params: unknown[]) => q.query(sql.replace(/FROM rollup_hourly/g, `FROM ${table}`), params) }) as unknown as Queryable;

export async function whatIf(d: {
  postgresUrl: string;
  schema: string;
  nowMs: number;
  since: string;
  logger: Logger;
  log: (line: string) => void;
  track: (close: () => Promise<void>) => () => void;
}): Promise<WhatIf[]> {
  const pool = (options: string): pg.Pool =>
    new pg.Pool({ connectionString: d.postgresUrl, max: 5, options: `-c search_path="${d.schema}" ${options}`, application_name: 'lgbench-whatif' });
  const base = pool('-c statement_timeout=600000');
  const noJit = pool('-c statement_timeout=600000 -c jit=off');
  const bigMem = pool('-c statement_timeout=600000 -c work_mem=64MB');
  const untrack = [base, noJit, bigMem].map((p) => d.track(() => p.end()));
  const out: WhatIf[] = [];
  const { window: w } = resolvePeriod({ since: d.since, nowMs: d.nowMs });
  const time = async <T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> => {
    const t = performance.now();
    const value = await f();
    return { ms: performance.now() - t, value };
  };
  /** `before` and `after` alternately, RUNS times each: the min of each (the machine is shared). */
  const compare = async (change: string, query: string, note: string, before: () => Promise<unknown>, after: () => Promise<unknown>) => {
    const b: number[] = [];
    const a: number[] = [];
    let rows = 0;
    for (let k = 0; k < RUNS; k++) {
      b.push((await time(before)).ms);
      const r = await time(after);
      a.push(r.ms);
      const v = r.value as { rows?: unknown[] };
      rows = Array.isArray(v.rows) ? v.rows.length : 0;
    }
    out.push({ since: d.since, change, query, beforeMs: Math.min(...b), afterMs: Math.min(...a), rows, note });
  };
  const report = (pool: pg.Pool) => () => buildReport(pool, { since: d.since, nowMs: d.nowMs, topics: FILL_TOPICS });
  const rows = (pool: Queryable, dim: DimensionName) => () => valueRows(pool, w, dim);
  try {
    d.log(`what if: --since ${d.since} with jit = off`);
    await compare('jit = off', 'buildReport (all queries, 3 at a time)', 'session option', report(base), report(noJit));
    for (const dim of ['partnerRegion', 'identifier'] as DimensionName[])
      await compare('jit = off', `valueRows(${dim})`, 'session option', rows(base, dim), rows(noJit, dim));
    d.log('what if: work_mem = 64MB');
    await compare('work_mem = 64MB', 'valueRows(identifier)', 'session option (jit on)', rows(base, 'identifier'), rows(bigMem, 'identifier'));

    d.log('what if: a daily rollup table');
    const daily = await time(() =>
      base.query(`CREATE TABLE rollup_daily AS
        SELECT dimension, date_trunc('day', hour, 'UTC') AS hour, value, max(label) AS label, sum(applications)::bigint AS applications, sum(alerts)::bigint AS alerts,
               sum(low)::bigint AS low, sum(medium)::bigint AS medium, sum(high)::bigint AS high, sum(critical)::bigint AS critical, sum(degraded)::bigint AS degraded
        FROM rollup_hourly WHERE dimension <> 'identifier' GROUP BY 1, 2, 3`),
    );
    await base.query('ALTER TABLE rollup_daily ADD PRIMARY KEY (dimension, hour, value)');
    await base.query('ANALYZE rollup_daily');
    const dailyRows = Number((await base.query<{ n: string }>('SELECT count(*) AS n FROM rollup_daily')).rows[0]?.n ?? 0);
    out.push({
      since: d.since,
      change: 'daily rollup',
      query: 'CREATE TABLE rollup_daily (every dimension but identifier) + primary key',
      beforeMs: null,
      afterMs: daily.ms,
      rows: dailyRows,
      note: 'one-off here; a real one is kept by the consumer',
    });
    for (const dim of ['partner', 'partnerNetwork', 'partnerRegion'] as DimensionName[])
      await compare(
        'daily rollup',
        `valueRows(${dim})`,
        'period edges on day bounds (approximate here)',
        rows(base, dim),
        rows(reading(base, 'rollup_daily'), dim),
      );

    d.log('what if: a dimension in a table of its own (a LIST partition)');
    const own = ['partner', 'partnerNetwork', 'identifier'] as const;
    for (const dim of own) {
      const t = await time(() => base.query(`CREATE TABLE rollup_own_${dim.toLowerCase()} AS SELECT * FROM rollup_hourly WHERE dimension = $1`, [dim]));
      await base.query(`ALTER TABLE rollup_own_${dim.toLowerCase()} ADD PRIMARY KEY (dimension, hour, value)`);
      await base.query(`ANALYZE rollup_own_${dim.toLowerCase()}`);
      await compare(
        'partition by dimension',
        `valueRows(${dim})`,
        `its ${f(t.value.rowCount)} rows in a table of their own`,
        rows(base, dim),
        rows(reading(base, `rollup_own_${dim.toLowerCase()}`), dim),
      );
    }

    d.log('what if: identifier rows only for values seen in two or more applications');
    const repeats = await time(() =>
      base.query(`CREATE TABLE rollup_identifier_repeats AS SELECT r.* FROM rollup_own_identifier r
        WHERE r.value IN (SELECT value FROM rollup_own_identifier GROUP BY value HAVING sum(applications) >= 2)`),
    );
    await base.query('ALTER TABLE rollup_identifier_repeats ADD PRIMARY KEY (dimension, hour, value)');
    await base.query('ANALYZE rollup_identifier_repeats');
    await compare(
      'identifier repeats only (in a table of its own)',
      'valueRows(identifier)',
      `${f(repeats.value.rowCount)} rows kept; before: all identifier rows in a table of their own`,
      rows(reading(base, 'rollup_own_identifier'), 'identifier'),
      rows(reading(base, 'rollup_identifier_repeats'), 'identifier'),
    );
    await base.query(`DROP TABLE rollup_daily, rollup_identifier_repeats, ${own.map((x) => `rollup_own_${x.toLowerCase()}`).join(', ')}`);
    return out;
  } finally {
    for (const p of [base, noJit, bigMem]) await p.end().catch(() => undefined);
    for (const u of untrack) u();
  }
}
