/**
 * The fraud-trend report's rollups and report builder (docs/reports.md):
 *
 *   npx tsx bench/reports.bench.ts [--count 1000000] [--days 30] [--per-day 1000000] [--batch-sizes 2000,5000]
 *                                  [--alerts-per-day 2000] [--runs 3] [--only rollups|report] [--results reports] [--no-what-if]
 *                                  [--model-features 0]
 *
 * 1. The rollup consumer at `--count` assessments: a fresh 3-partition assessments topic and alerts topic get the
 *    synthetic stream (bench/reports/stream.ts: contract-valid, 200 partners with a Zipf share, 30 provinces and a
 *    few countries, data-centre ASNs, ≈ 5 % alerted, 24 h of event time; their application alerts and ring alerts),
 *    produced with acks=-1 in requests under 1 MB. For each `--batch-sizes` value in turn, `createRollups` runs in
 *    this process on a fresh schema and group until `sum(applications)` of dimension `all` equals the count (polled
 *    every 500 ms): wall time, records/s, CPU µs per record (this process; the consumer's PostgreSQL backends; the
 *    shared broker), chunk sizes and times, rollup_hourly's rows and size, and every dimension's sums checked.
 * 2. The report over `--days` at `--per-day` applications a day: a fresh schema filled with `2 × days` days of
 *    rollups (bench/reports/fill.ts), then `buildReport` for 24h, 7d and 30d (`--runs` each, min / median, every
 *    query and step timed), the renderers, EXPLAIN (ANALYZE, BUFFERS) of the slowest queries, and the slow queries
 *    again under changes that could fix them (bench/reports/whatif.ts; nothing in src/ changes).
 *
 * Writes bench/results/reports.{json,md} (`--results NAME`: NAME.{json,md}; `npx tsx bench/reports/render.ts` re-renders
 * the Markdown from the JSON). Needs `bash scripts/services.sh up` (called here). The topics, groups and
 * schemas it made are deleted at the end, on failure and on Ctrl-C (run as a supervised worker, bench/console/supervise.ts).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from '../src/console/migrate.js';
import { createLogger } from '../src/platform/logger.js';
import { dropSchema, POSTGRES_URL } from './console/setup.js';
import { isWorker, onSupervisorGone, superviseWorker } from './console/supervise.js';
import { REPO_ROOT, Run } from './harness.js';
import { machine, record } from './lib.js';
import { fill, type FillResult } from './reports/fill.js';
import { markdown, summary, type ReportsBenchResult } from './reports/markdown.js';
import { consume, produce, type ConsumeResult, type ProduceResult } from './reports/rollups.js';
import type { ModelSpec } from './reports/stream.js';
import { timeReports } from './reports/timing.js';
import { whatIf } from './reports/whatif.js';

export interface Settings {
  count: number;
  days: number;
  perDay: number;
  batchSizes: number[];
  alertsPerDay: number;
  runs: number;
  only: 'rollups' | 'report' | null;
  /** the results file's name under bench/results/ */
  results: string;
  /** part 2 ends with the "what if" variants (bench/reports/whatif.ts); --no-what-if skips them */
  whatIf: boolean;
  /** features of a model stage in every assessment (docs/model.md); 0: no model, the rules decide (the default config) */
  modelFeatures: number;
}

function parseArgs(argv: string[]): Settings {
  const arg = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (flag: string, fallback: number): number => {
    const raw = arg(flag);
    const v = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${flag} needs a positive whole number`);
    return v;
  };
  const only = arg('--only') ?? null;
  if (only !== null && only !== 'rollups' && only !== 'report') throw new Error('--only is rollups or report');
  if (!/^[a-z0-9-]+$/.test(arg('--results') ?? 'reports')) throw new Error('--results is a file name: a-z, 0-9 and -');
  const batchSizes = (arg('--batch-sizes') ?? '2000,5000').split(',').map(Number);
  if (batchSizes.some((b) => !Number.isInteger(b) || b < 1 || b > 20_000)) throw new Error('--batch-sizes: whole numbers 1–20000, comma separated');
  return {
    count: num('--count', 1_000_000),
    days: num('--days', 30),
    perDay: num('--per-day', 1_000_000),
    batchSizes,
    alertsPerDay: num('--alerts-per-day', 2000),
    runs: num('--runs', 3),
    only,
    results: arg('--results') ?? 'reports',
    whatIf: !argv.includes('--no-what-if'),
    modelFeatures: arg('--model-features') === undefined ? 0 : num('--model-features', 0),
  };
}

const MODEL_VERSION = 'sc-20261202-bench';
const modelOf = (s: Settings): ModelSpec | undefined => (s.modelFeatures > 0 ? { features: s.modelFeatures, version: MODEL_VERSION } : undefined);

const log = (line: string): void => console.log(`[reports-bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** What to undo: closers (last registered first), then the schemas, then the run's topics and groups. */
class State {
  readonly run = new Run();
  readonly schemas = new Set<string>();
  private readonly closers: (() => Promise<void>)[] = [];

  track(close: () => Promise<void>): () => void {
    this.closers.push(close);
    return () => {
      const i = this.closers.indexOf(close);
      if (i >= 0) this.closers.splice(i, 1);
    };
  }

  schema(): string {
    const s = `lg_bench_${randomBytes(4).toString('hex')}`;
    this.schemas.add(s);
    return s;
  }

  async dropSchema(s: string): Promise<void> {
    await dropSchema(s);
    this.schemas.delete(s);
    log(`dropped schema ${s}`);
  }

  async cleanup(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close().catch((err: Error) => log(`clean-up: ${err.message}`));
    for (const s of [...this.schemas]) await this.dropSchema(s).catch((err: Error) => log(`clean-up: dropping ${s}: ${err.message}`));
    await this.run.cleanup(log);
  }
}

async function partRollups(s: Settings, state: State, nowMs: number, signal: AbortSignal): Promise<{ produced: ProduceResult; consumed: ConsumeResult[] }> {
  log(`part 1: producing ${s.count.toLocaleString('en')} assessments`);
  const produced = await produce(state.run, s.count, nowMs, log, modelOf(s));
  log(
    `produced ${produced.count.toLocaleString('en')} assessments (${(produced.bytes / 2 ** 20).toFixed(0)} MiB) in ${produced.produceSeconds.toFixed(1)} s, ` +
      `${produced.applicationAlerts.toLocaleString('en')} application alerts and ${produced.rings} ring alerts in ${produced.alertsSeconds.toFixed(1)} s`,
  );
  const logger = createLogger('warn');
  const consumed: ConsumeResult[] = [];
  for (const maxBatchSize of s.batchSizes) {
    const schema = state.schema();
    log(`part 1: rollups with maxBatchSize ${maxBatchSize} on schema ${schema}`);
    const r = await consume({
      run: state.run,
      produced,
      maxBatchSize,
      schema,
      postgresUrl: POSTGRES_URL,
      logger,
      log,
      track: (c) => state.track(c),
      signal,
    });
    consumed.push(r);
    log(
      `maxBatchSize ${maxBatchSize}: ${r.exact ? 'exact' : 'NOT EXACT'} ${r.counted.toLocaleString('en')} in ${r.seconds.toFixed(1)} s ` +
        `(${Math.round(r.recordsPerSecond).toLocaleString('en')}/s), ${r.cpuUsPerRecord.bench.toFixed(0)} µs CPU/record here, ${r.table.rows.toLocaleString('en')} rows`,
    );
    await state.dropSchema(schema);
  }
  await state.run.dropTopics([produced.assessmentsTopic, produced.alertsTopic]);
  log('deleted the part 1 topics');
  return { produced, consumed };
}

async function partReport(s: Settings, state: State, nowMs: number) {
  const schema = state.schema();
  const logger = createLogger('warn');
  const db = new pg.Pool({ connectionString: POSTGRES_URL, max: 2, options: `-c search_path="${schema}"`, application_name: 'lgbench-fill' });
  const untrack = state.track(() => db.end());
  let filled: FillResult;
  try {
    await migrate(db, schema, logger);
    const toMs = Math.ceil((nowMs + 1) / 3_600_000) * 3_600_000;
    log(`part 2: filling ${2 * s.days} days at ${s.perDay.toLocaleString('en')} applications a day on schema ${schema}`);
    filled = await fill(db, { days: s.days, perDay: s.perDay, alertsPerDay: s.alertsPerDay, seed: state.run.id, model: modelOf(s) }, toMs, log);
    log(`filled ${filled.table.rows.toLocaleString('en')} rows (${(filled.table.totalBytes / 2 ** 30).toFixed(2)} GiB) in ${filled.fillSeconds.toFixed(0)} s`);
  } finally {
    await db.end();
    untrack();
  }
  const timing = await timeReports({
    postgresUrl: POSTGRES_URL,
    schema,
    nowMs,
    periods: ['24h', '7d', '30d'],
    runs: s.runs,
    logger,
    log,
    track: (c) => state.track(c),
  });
  const longest = '30d';
  const whatIfs = s.whatIf ? await whatIf({ postgresUrl: POSTGRES_URL, schema, nowMs, since: longest, logger, log, track: (c) => state.track(c) }) : [];
  await state.dropSchema(schema);
  return { filled, ...timing, whatIf: whatIfs };
}

async function postgresSettings(): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const names = ['server_version', 'shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'jit'];
    const res = await client.query<{ name: string; setting: string }>('SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name', [names]);
    const out = Object.fromEntries(res.rows.map((r) => [r.name, r.setting]));
    return { ...out, version: out.server_version ?? 'unknown' };
  } finally {
    await client.end();
  }
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const paths = ['src', 'bench/reports.bench.ts', 'bench/reports'];
    const changed = execFileSync('git', ['diff', '--name-only', 'HEAD', '--', ...paths], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const untracked = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '--', ...paths], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return changed || untracked ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

async function main(s: Settings, state: State, signal: AbortSignal, command: string): Promise<void> {
  execFileSync('bash', ['scripts/services.sh', 'up'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const nowMs = Date.now();
  const startedAt = new Date(nowMs).toISOString();
  const loadStart = loadavg();
  const postgres = await postgresSettings();
  const rollups = s.only === 'report' ? null : await partRollups(s, state, nowMs, signal);
  const report = s.only === 'rollups' ? null : await partReport(s, state, nowMs);
  const result: ReportsBenchResult = {
    startedAt,
    machine: { ...machine(), commit: gitCommit() },
    postgres,
    load: { start: loadStart, end: loadavg() },
    settings: s,
    command,
    rollups,
    report,
  };
  const md = markdown(result);
  record(s.results, result, md);
  console.log(summary(result));
  log(`wrote bench/results/${s.results}.md and ${s.results}.json`);
}

if (!isWorker()) await superviseWorker(fileURLToPath(import.meta.url));

const argv = process.argv.slice(2);
const settings = parseArgs(argv);
const command = `npx tsx bench/reports.bench.ts${argv.length > 0 ? ` ${argv.join(' ')}` : ''}`;
const state = new State();
const abort = new AbortController();
let cleaning: Promise<void> | undefined;
const cleanOnce = (): Promise<void> => (cleaning ??= state.cleanup());
let stopping = false;
const stop = (why: string): void => {
  if (stopping) return log(`${why} again: still cleaning up`);
  stopping = true;
  log(`${why}: cleaning up`);
  abort.abort();
  void cleanOnce()
    .catch((err: Error) => log(`clean-up failed: ${err.stack ?? err.message}`))
    .finally(() => process.exit(130));
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => stop(sig));
onSupervisorGone(() => stop('supervisor gone'));
const hardStop = setTimeout(() => {
  log('hard time limit (3 h) reached: cleaning up');
  void cleanOnce().finally(() => process.exit(2));
}, 3 * 3_600_000);
hardStop.unref();
try {
  await main(settings, state, abort.signal, command);
  await cleanOnce();
  process.exit(0);
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  await cleanOnce();
  process.exit(1);
}
