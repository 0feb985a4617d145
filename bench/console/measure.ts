/**
 * What the console bench reads back: the per-alert ingest lag from the stored rows (`alerts.ingested_at` minus the
 * send time of the record at the row's source partition and offset), the drain after the burst, a once-a-second
 * timeline of sent / stored / readiness, the console's own metrics and its CPU time.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type pg from 'pg';
import { explainListAlerts, listAlerts } from '../../src/console/store/alerts.js';
import type { AlertFilters } from '../../src/console/store/filters.js';
import { histogramQuantilesMs, Scrape, sleep } from '../harness.js';
import { summarise } from '../lib.js';
import { countRows } from './setup.js';

export interface IngestLag {
  stored: number;
  matched: number;
  /** stored rows whose source is no record this run sent */
  unmatched: number;
  /** sent records with no stored row */
  missing: number;
  lagMs: ReturnType<typeof summarise>;
  /** last ingested_at minus the last send */
  lastRowAfterLastSendMs: number;
  /** row id → ingested_at and → send time (ms since the epoch), for the stream's delays */
  ingestedAt: Map<string, number>;
  sentAtById: Map<string, number>;
}

export async function ingestLag(pool: pg.Pool, topic: string, sentAt: Map<string, number>, lastSendAt: number): Promise<IngestLag> {
  const res = await pool.query<{ id: string; p: number; o: string; at: number }>(
    'SELECT id::text AS id, source_partition AS p, source_offset::text AS o, extract(epoch FROM ingested_at) * 1000 AS at FROM alerts WHERE source_topic = $1',
    [topic],
  );
  const lags: number[] = [];
  const found = new Set<string>();
  const ingestedAt = new Map<string, number>();
  const sentAtById = new Map<string, number>();
  let lastAt = 0;
  for (const r of res.rows) {
    const at = Number(r.at);
    ingestedAt.set(r.id, at);
    lastAt = Math.max(lastAt, at);
    const key = `${r.p}:${r.o}`;
    const sent = sentAt.get(key);
    if (sent === undefined) continue;
    found.add(key);
    sentAtById.set(r.id, sent);
    lags.push(at - sent);
  }
  return {
    stored: res.rows.length,
    matched: lags.length,
    unmatched: res.rows.length - lags.length,
    missing: sentAt.size - found.size,
    lagMs: summarise(lags),
    lastRowAfterLastSendMs: lastAt - lastSendAt,
    ingestedAt,
    sentAtById,
  };
}

/** Polls count(alerts) every 50 ms until it reaches `expected`; the time after `fromMs` it took, or null if stalled. */
export async function waitDrained(pool: pg.Pool, expected: number, fromMs: number, stallMs = 60_000): Promise<{ drainedMs: number | null; stored: number }> {
  let stored = await countRows(pool, 'alerts');
  let lastChange = Date.now();
  while (stored < expected) {
    await sleep(50);
    const n = await countRows(pool, 'alerts');
    if (n !== stored) lastChange = Date.now();
    stored = n;
    if (Date.now() - lastChange > stallMs) return { drainedMs: null, stored };
  }
  return { drainedMs: Date.now() - fromMs, stored };
}

export interface TimelinePoint {
  s: number;
  sent: number;
  stored: number;
  backlog: number;
  ready: number;
  /** the machine's 1-minute load average (2 cores: above 2 means waiting for a CPU) */
  load1: number;
}

/** Samples sent / stored / /readyz once a second until stopped. */
export function startTimeline(pool: pg.Pool, port: number, startedAt: number, sent: () => number): { stop(): Promise<TimelinePoint[]> } {
  const points: TimelinePoint[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const [stored, ready] = await Promise.all([countRows(pool, 'alerts').catch(() => -1), readyStatus(port)]);
      const n = sent();
      points.push({ s: Math.round((Date.now() - startedAt) / 100) / 10, sent: n, stored, backlog: n - stored, ready, load1: loadavg()[0] ?? Number.NaN });
      await sleep(1000);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return points;
    },
  };
}

async function readyStatus(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

export async function scrape(base: string, token: string): Promise<Scrape> {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  return new Scrape(await res.text());
}

/** What the console says about the burst: stored and dead counts, retries and its chunk times. */
export function consoleMetrics(before: Scrape, after: Scrape): Record<string, number | Record<string, number>> {
  const delta = (name: string): number => after.sum(name) - before.sum(name);
  return {
    alertsStored: delta('lendguard_console_alerts_stored_total'),
    deadAlerts: delta('lendguard_console_dead_alerts_total'),
    skipped: delta('lendguard_console_skipped_total'),
    retries: delta('lendguard_console_retries_total'),
    chunkMs: histogramQuantilesMs(before, after, 'lendguard_console_chunk_seconds', [0.5, 0.99]),
  };
}

/** utime + stime of a process in seconds (USER_HZ 100), or NaN once it has exited. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Per alert the SSE client received: send → received and ingested_at → received (ms). */
export function streamDelays(
  receivedAt: Map<string, number>,
  lag: IngestLag,
): { sendToReceivedMs: ReturnType<typeof summarise>; storedToReceivedMs: ReturnType<typeof summarise> } {
  const send: number[] = [];
  const stored: number[] = [];
  for (const [id, at] of receivedAt) {
    const ingested = lag.ingestedAt.get(id);
    const sent = lag.sentAtById.get(id);
    if (ingested !== undefined) stored.push(at - ingested);
    if (sent !== undefined) send.push(at - sent);
  }
  return { sendToReceivedMs: summarise(send), storedToReceivedMs: summarise(stored) };
}

const FEED_FILTERS: Record<string, AlertFilters> = {
  'GET /api/alerts': {},
  'GET /api/alerts?level=critical': { levels: ['critical' as const] },
  'GET /api/alerts?country=CN&labelled=false': { country: 'CN', labelled: false },
};

export interface FeedPlan {
  /** median of 5 runs from the bench, ms */
  restMs: number;
  plan: string;
}

/** One feed query's median time (5 runs) and plan over the final table. */
async function feedPlan(pool: pg.Pool, filters: AlertFilters): Promise<FeedPlan> {
  const ms: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    await listAlerts(pool, filters, { limit: 50 });
    ms.push(performance.now() - t);
  }
  return { restMs: summarise(ms).p50, plan: await explainListAlerts(pool, filters, { limit: 50 }) };
}

/**
 * After the burst, at rest: each feed query's time and plan over the final table as the burst left it (the table grew
 * from empty; whether autovacuum analysed it yet is up to autovacuum), then the same after `ANALYZE` of the bench's
 * own `alerts` and `labels` tables: does a plan depend on the table's statistics?
 */
export async function feedPlans(pool: pg.Pool): Promise<{
  analysedByAutovacuum: boolean;
  asLeft: Record<string, FeedPlan>;
  afterAnalyze: Record<string, FeedPlan>;
}> {
  const stats = await pool.query<{ at: Date | null }>(
    "SELECT last_autoanalyze AS at FROM pg_stat_user_tables WHERE relname = 'alerts' AND schemaname = current_schema()",
  );
  const asLeft: Record<string, FeedPlan> = {};
  for (const [route, filters] of Object.entries(FEED_FILTERS)) asLeft[route] = await feedPlan(pool, filters);
  await pool.query('ANALYZE alerts, labels');
  const afterAnalyze: Record<string, FeedPlan> = {};
  for (const [route, filters] of Object.entries(FEED_FILTERS)) afterAnalyze[route] = await feedPlan(pool, filters);
  return { analysedByAutovacuum: stats.rows[0]?.at != null, asLeft, afterAnalyze };
}
