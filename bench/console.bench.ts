/**
 * The analyst console under a burst of alerts (docs/benchmarks.md, "Console under a burst"): `lendguard console` as a
 * child process on a fresh alerts topic and PostgreSQL schema, fed `--rate` synthetic alerts per second for
 * `--seconds` (test/helpers/console-alerts.ts, valid against contracts/alert.schema.json) while API clients poll the
 * feed and an alert's detail, one SSE client and (when the page is there) headless Chromium follow the live feed.
 *
 *   npx tsx bench/console.bench.ts [--rate 500] [--seconds 60] [--clients 4] [--think-ms 100] [--quick]
 *   --quick: 200 alerts/s for 15 s, results in console-quick.*
 *
 * Records the ingest lag per alert (send → `alerts.ingested_at`), the time until all are stored after the last send,
 * the API's latency and errors per route, the store's count against the number sent, the SSE client's and the page's
 * feed counters (Chromium signs in through the form and waits for `#live-status.live-live` before the burst), a
 * once-a-second timeline (backlog, `/readyz`, load average), and after the burst the feed queries' time and plan at
 * rest, before and after `ANALYZE` of the bench's own tables.
 * Writes bench/results/console.{json,md} and console-page.png (console-quick.* with --quick). Needs
 * `bash scripts/services.sh up` (called here). The topics, group and schema it made are deleted at the end, on failure
 * and on Ctrl-C; the console child is stopped.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/platform/config.js';
import type { SseStream } from '../test/helpers/console-api.js';
import { countStream, openSse, startPollers } from './console/clients.js';
import { consoleMetrics, cpuSeconds, feedPlans, ingestLag, scrape, startTimeline, streamDelays, waitDrained } from './console/measure.js';
import { finishPage, openPage, type OpenPage, type PageResult } from './console/page.js';
import { producerSummary, type BurstResult, burst, TICK_MS } from './console/producer.js';
import { markdown, type ConsoleBenchResult } from './console/report.js';
import { isWorker, onSupervisorGone, superviseWorker } from './console/supervise.js';
import { benchPool, countRows, dropSchema, prepare, spawnConsoleChild, type ConsoleBenchSetup } from './console/setup.js';
import { procStatus, REPO_ROOT, Run, sleep, stopChild, waitReady, type Child } from './harness.js';
import { machine, record } from './lib.js';

const PARTITIONS = 6;

interface Settings {
  rate: number;
  seconds: number;
  clients: number;
  thinkMs: number;
  quick: boolean;
}

function parseArgs(argv: string[]): Settings {
  const quick = argv.includes('--quick');
  const num = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    const v = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${flag} needs a positive number`);
    return v;
  };
  return {
    quick,
    rate: num('--rate', quick ? 200 : 500),
    seconds: num('--seconds', quick ? 15 : 60),
    clients: num('--clients', 4),
    thinkMs: num('--think-ms', 100),
  };
}

const log = (line: string): void => console.log(`[console-bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** What the run holds, for the clean-up at the end, on failure and on Ctrl-C. */
interface State {
  run: Run;
  setup?: ConsoleBenchSetup;
  console?: Child;
  pool?: ReturnType<typeof benchPool>;
  stream?: SseStream;
  page?: OpenPage;
}

async function cleanup(s: State): Promise<void> {
  s.stream?.close();
  log('clean-up: closing the page and stopping the console');
  await s.page?.close().catch(() => undefined);
  if (s.console) {
    const r = await stopChild(s.console, 25_000);
    log(`console stopped: code ${r.code} signal ${r.signal}${r.killed ? ' (SIGKILL after 25 s)' : ''}`);
  }
  await s.pool?.end().catch(() => undefined);
  if (s.setup)
    await dropSchema(s.setup.schema).then(
      () => log(`clean-up: dropped schema ${s.setup?.schema}`),
      (err: Error) => log(`clean-up: ${err.message}`),
    );
  await s.run.cleanup(log);
}

async function startConsole(s: State): Promise<{ setup: ConsoleBenchSetup; c: Child; base: string; pool: ReturnType<typeof benchPool> }> {
  const setup = (s.setup = await prepare(s.run, PARTITIONS));
  const c = (s.console = await spawnConsoleChild(s.run, setup));
  await waitReady(c, 90_000);
  const pool = (s.pool = benchPool(setup.schema));
  log(`console pid ${c.pid} ready on :${c.port}; topic ${setup.topic}, schema ${setup.schema}`);
  return { setup, c, base: `http://127.0.0.1:${c.port}`, pool };
}

async function openObservers(s: State, base: string, token: string): Promise<PageResult | undefined> {
  s.stream = await openSse(base, token);
  const page = await openPage(base, token);
  if ('reason' in page) {
    log(`page: not available (${page.reason})`);
    return { available: false, reason: page.reason };
  }
  s.page = page;
  log('page: open in headless Chromium');
  return undefined;
}

/** Waits (at most 20 s) until the SSE client has `expected` alerts. */
async function settleStream(stream: SseStream, expected: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (countStream(stream).alerts < expected && Date.now() < deadline) await sleep(250);
}

type Started = Awaited<ReturnType<typeof startConsole>>;

/** The burst with the API clients, the timeline and the console's CPU, then the wait until everything is stored. */
async function runBurst(s: State, con: Started, settings: Settings, abort: AbortSignal) {
  const { setup, c, base, pool } = con;
  const before = await scrape(base, setup.token);
  let progress = 0;
  const startedAt = Date.now();
  const cpu0 = cpuSeconds(c.pid);
  const timeline = startTimeline(pool, c.port, startedAt, () => progress);
  const pollers = startPollers(base, setup.token, settings.clients, settings.thinkMs);
  log(`burst: ${settings.rate}/s for ${settings.seconds} s`);
  const opts = { kafka: s.run.kafka, topic: setup.topic, partitions: PARTITIONS, prefix: setup.prefix, ...settings };
  const b: BurstResult = await burst({ ...opts, signal: abort, onProgress: (n) => (progress = n) });
  const api = await pollers.stop();
  log(`burst done: ${b.sent} sent at ${b.achievedRate.toFixed(1)}/s; waiting until all are stored`);
  const drained = await waitDrained(pool, b.sent, b.lastSendAt);
  const cpuSpent = cpuSeconds(c.pid) - cpu0;
  const busySeconds = (Date.now() - startedAt) / 1000;
  const points = await timeline.stop();
  const after = await scrape(base, setup.token);
  const consoleFigures = {
    metrics: consoleMetrics(before, after),
    cpuSecondsDuringBurst: cpuSpent,
    coresBusy: cpuSpent / busySeconds,
    rssMiB: (procStatus(c.pid)?.rssBytes ?? Number.NaN) / 2 ** 20,
  };
  log(`drained ${drained.drainedMs ?? 'never'} ms after the last send`);
  return { startedAt, b, api, drained, points, consoleFigures };
}

async function main(settings: Settings, s: State, abort: AbortSignal): Promise<void> {
  execFileSync('bash', ['scripts/services.sh', 'up'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const con = await startConsole(s);
  const { setup, pool } = con;
  const pageUnavailable = await openObservers(s, con.base, setup.token);
  const { startedAt, b, api, drained, points, consoleFigures } = await runBurst(s, con, settings, abort);
  const stored = await countRows(pool, 'alerts');
  if (s.stream) await settleStream(s.stream, stored);
  const stream = countStream(s.stream as SseStream);
  const screenshot = fileURLToPath(new URL(`./results/console-page${settings.quick ? '-quick' : ''}.png`, import.meta.url));
  const page = pageUnavailable ?? (await finishPage(s.page as OpenPage, stored, screenshot));
  s.page = undefined;
  const lag = await ingestLag(pool, setup.topic, b.sentAt, b.lastSendAt);
  const { ingestedAt: _i, sentAtById: _s, stored: _n, ...ingest } = lag;
  const result: ConsoleBenchResult = {
    startedAt: new Date(startedAt).toISOString(),
    machine: { ...machine(), commit: gitCommit() },
    settings: resultSettings(settings, setup),
    producer: producerSummary(b),
    ingest: { ...ingest, drainAfterLastSendMs: drained.drainedMs },
    store: { sent: b.sent, stored, dead: await countRows(pool, 'dead_alerts') },
    api,
    stream: { alerts: stream.alerts, events: stream.events, overflows: stream.overflows, ...streamDelays(stream.receivedAt, lag) },
    page,
    console: consoleFigures,
    timeline: points,
    plans: await feedPlans(pool),
  };
  const md = markdown(result, `npx tsx bench/console.bench.ts${settings.quick ? ' --quick' : ''}`);
  record(settings.quick ? 'console-quick' : 'console', result, md);
  console.log(md);
}

function resultSettings(settings: Settings, setup: ConsoleBenchSetup): ConsoleBenchResult['settings'] {
  return {
    ...settings,
    perTick: Math.round(settings.rate / (1000 / TICK_MS)),
    tickMs: TICK_MS,
    partitions: PARTITIONS,
    maxBatchSize: loadConfig({ env: setup.env }).console.maxBatchSize,
    consoleCommand: 'node --import tsx src/cli/index.ts console',
  };
}

/** HEAD, with "+changes" when the working tree's src/ or bench/ differs from it (read-only git commands). */
function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['diff', '--name-only', 'HEAD', '--', 'src', 'bench/console.bench.ts', 'bench/console'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    return changed ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

if (!isWorker()) await superviseWorker(fileURLToPath(import.meta.url));

const settings = parseArgs(process.argv.slice(2));
const state: State = { run: new Run() };
const abort = new AbortController();
let cleaning: Promise<void> | undefined;
const cleanOnce = (): Promise<void> => (cleaning ??= cleanup(state));
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
const hardStop = setTimeout(
  () => {
    log('hard time limit reached: cleaning up');
    void cleanOnce().finally(() => process.exit(2));
  },
  (settings.seconds + 600) * 1000,
);
hardStop.unref();
try {
  await main(settings, state, abort.signal);
  await cleanOnce();
  process.exit(0);
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  if (state.console) log(`console output:\n${state.console.output().slice(-3000)}`);
  await cleanOnce();
  process.exit(1);
}
