/**
 * Part 1 of the report bench: the rollup consumer (src/reports/rollups.ts) in this process on `--count` assessments
 * already in Kafka. `produce` writes the stream (assessments, their application alerts and ring alerts, acks=-1,
 * every request under 1 MB); `consume` migrates a fresh schema, starts `createRollups` on a fresh group and waits
 * until `sum(applications)` of dimension `all` reaches the count, measuring wall time, CPU (this process, the
 * consumer's PostgreSQL backends, the broker) and what the table holds, and checking every dimension's sums.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message, Producer } from 'kafkajs';
import pg from 'pg';
import { Registry } from 'prom-client';
import { createPool } from '../../src/console/db.js';
import { migrate } from '../../src/console/migrate.js';
import { applicationAlertJson } from '../../src/domain/alert.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Logger } from '../../src/platform/logger.js';
import { createRollups, type Rollups } from '../../src/reports/rollups.js';
import { contractErrors } from '../../test/helpers/contract-validators.js';
import { BROKERS, REPO_ROOT, sleep, type Run } from '../harness.js';
import { percentile } from '../lib.js';
import { newExpected, ringAlerts, stream, type Expected, type ModelSpec } from './stream.js';

const HOUR = 3_600_000;
export const PARTITIONS = 3;
/** Each produce request stays under the broker's 1 MB message.max.bytes (keys, values and ~70 B of record overhead). */
const MAX_REQUEST_BYTES = 900_000;
const IN_FLIGHT = 2;

export interface ProduceResult {
  assessmentsTopic: string;
  alertsTopic: string;
  count: number;
  expected: Expected;
  rings: number;
  applicationAlerts: number;
  bytes: number;
  alertBytes: number;
  avgRecordBytes: number;
  requests: number;
  maxRequestBytes: number;
  /** generating and serialising (this process's CPU, included in the wall time) */
  generateSeconds: number;
  /** wall time of the assessments, first generated to last acknowledged */
  produceSeconds: number;
  alertsSeconds: number;
  eventTime: { from: string; to: string };
  validated: number;
}

/** Sends `messages` in requests under MAX_REQUEST_BYTES, IN_FLIGHT at a time; partitions round robin. */
class Sender {
  private inFlight = new Set<Promise<unknown>>();
  private pending: Message[] = [];
  private pendingBytes = 0;
  private next = 0;
  requests = 0;
  maxRequestBytes = 0;
  bytes = 0;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async add(key: string, value: string): Promise<void> {
    const size = Buffer.byteLength(value) + key.length + 70;
    if (this.pendingBytes + size > MAX_REQUEST_BYTES) await this.flush();
    this.pending.push({ key, value, partition: this.next++ % PARTITIONS });
    this.pendingBytes += size;
    this.bytes += size - 70;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const messages = this.pending;
    this.maxRequestBytes = Math.max(this.maxRequestBytes, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.requests += 1;
    const p = this.producer.send({ topic: this.topic, acks: -1, messages }).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    if (this.inFlight.size >= IN_FLIGHT) await Promise.race(this.inFlight);
  }

  async end(): Promise<void> {
    await this.flush();
    await Promise.all(this.inFlight);
  }
}

export async function produce(run: Run, count: number, nowMs: number, log: (line: string) => void, model?: ModelSpec): Promise<ProduceResult> {
  const assessmentsTopic = run.name('assessments');
  const alertsTopic = run.name('alerts');
  await run.createTopics([assessmentsTopic, alertsTopic], PARTITIONS);
  const toMs = Math.floor(nowMs / HOUR) * HOUR;
  const fromMs = toMs - 24 * HOUR;
  const seed = run.id;
  const expected = newExpected();
  const rings = ringAlerts(seed, Math.max(10, Math.round(count / 2000)), fromMs, toMs);
  // Contract check of a sample (the first 2,000 assessments, their alerts, every ring alert) before producing.
  let validated = 0;
  for (const a of stream(seed, Math.min(2000, count), fromMs, toMs, undefined, model)) {
    const errors = [...contractErrors('assessment', a), ...(a.alert ? contractErrors('alert', JSON.parse(applicationAlertJson(JSON.stringify(a)))) : [])];
    if (errors.length > 0) throw new Error(`generated assessment ${a.applicationId} breaks the contract: ${errors.slice(0, 3).join('; ')}`);
    validated += 1;
  }
  for (const r of rings) {
    const errors = contractErrors('alert', r);
    if (errors.length > 0) throw new Error(`generated ring alert ${r.ringId} breaks the contract: ${errors.slice(0, 3).join('; ')}`);
  }
  const producer = run.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const assessments = new Sender(producer, assessmentsTopic);
    const alerts: { key: string; value: string }[] = [];
    let generateMs = 0;
    const started = performance.now();
    let t = performance.now();
    let i = 0;
    for (const a of stream(seed, count, fromMs, toMs, expected, model)) {
      const value = JSON.stringify(a);
      if (a.alert) alerts.push({ key: a.applicationId, value: applicationAlertJson(value) });
      const now = performance.now();
      generateMs += now - t;
      await assessments.add(a.applicationId, value);
      t = performance.now();
      if (++i % 100_000 === 0) log(`produced ${i.toLocaleString('en')} of ${count.toLocaleString('en')} assessments`);
    }
    await assessments.end();
    const produceSeconds = (performance.now() - started) / 1000;
    const alertSender = new Sender(producer, alertsTopic);
    const alertsStarted = performance.now();
    for (const a of alerts) await alertSender.add(a.key, a.value);
    for (const r of rings) await alertSender.add(r.ringId, JSON.stringify(r));
    await alertSender.end();
    return {
      assessmentsTopic,
      alertsTopic,
      count,
      expected,
      rings: rings.length,
      applicationAlerts: alerts.length,
      bytes: assessments.bytes,
      alertBytes: alertSender.bytes,
      avgRecordBytes: assessments.bytes / count,
      requests: assessments.requests,
      maxRequestBytes: Math.max(assessments.maxRequestBytes, alertSender.maxRequestBytes),
      generateSeconds: generateMs / 1000,
      produceSeconds,
      alertsSeconds: (performance.now() - alertsStarted) / 1000,
      eventTime: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
      validated,
    };
  } finally {
    await producer.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// CPU of other processes (Linux /proc): the consumer's PostgreSQL backends and the broker.

const TICK_US = 10_000; // USER_HZ = 100

function ticks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

function brokerPid(): number | undefined {
  try {
    const pid = Number(readFileSync(join(REPO_ROOT, '.run/kafka/kafka.pid'), 'utf8').trim());
    return ticks(pid) === undefined ? undefined : pid;
  } catch {
    return undefined;
  }
}

/** The CPU of the backends of `applicationName` (found in pg_stat_activity every sample) and of the broker. */
class OtherCpu {
  private readonly backends = new Map<number, { first: number; last: number }>();
  private readonly broker = brokerPid();
  private readonly broker0: number | undefined;
  private readonly startedAt = new Date();

  constructor(
    private readonly pool: pg.Pool,
    private readonly applicationName: string,
  ) {
    this.broker0 = this.broker === undefined ? undefined : ticks(this.broker);
  }

  async sample(): Promise<void> {
    const res = await this.pool.query<{ pid: number; backend_start: Date }>('SELECT pid, backend_start FROM pg_stat_activity WHERE application_name = $1', [
      this.applicationName,
    ]);
    for (const r of res.rows) {
      const now = ticks(r.pid);
      if (now === undefined) continue;
      const known = this.backends.get(r.pid);
      if (known) known.last = now;
      else this.backends.set(r.pid, { first: r.backend_start >= this.startedAt ? 0 : now, last: now });
    }
  }

  result(): { postgresUs: number; backends: number; brokerUs: number | null } {
    let t = 0;
    for (const b of this.backends.values()) t += b.last - b.first;
    const brokerNow = this.broker === undefined ? undefined : ticks(this.broker);
    const brokerUs = brokerNow === undefined || this.broker0 === undefined ? null : (brokerNow - this.broker0) * TICK_US;
    return { postgresUs: t * TICK_US, backends: this.backends.size, brokerUs };
  }
}

// ---------------------------------------------------------------------------------------------

export interface ConsumeResult {
  maxBatchSize: number;
  schema: string;
  count: number;
  counted: number;
  exact: boolean;
  /** start() to the poll that saw the count */
  seconds: number;
  recordsPerSecond: number;
  /** between the polls nearest 10 % and 90 % of the count */
  steadyPerSecond: number | null;
  cpuUsPerRecord: { bench: number; benchUser: number; benchSystem: number; postgres: number; broker: number | null };
  postgresBackends: number;
  ringEvents: { stored: number; expected: number; seconds: number | null };
  dead: number;
  chunks: { count: number; sizeP50: number; sizeMax: number; secondsMean: number; secondsP50: string; secondsP99: string };
  table: { rows: number; totalBytes: number; heapBytes: number; indexBytes: number };
  rowsByDimension: Record<string, number>;
  checks: { dimension: string; applications: number; expected: number; alerts: number; expectedAlerts: number; ok: boolean }[];
  fatal: string | null;
  timeline: { s: number; counted: number }[];
}

/** Upper bound of the bucket holding quantile `q` of a prom-client histogram. */
async function histogramQuantiles(registry: Registry, name: string): Promise<{ count: number; sum: number; p50: string; p99: string }> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name) as
    { values: { value: number; metricName?: string; labels: Record<string, string | number> }[] } | undefined;
  const values = metric?.values ?? [];
  const buckets = values.filter((v) => v.metricName?.endsWith('_bucket')).map((v) => ({ le: String(v.labels.le), n: v.value }));
  const count = values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
  const sum = values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
  const at = (q: number): string => buckets.find((b) => b.n >= q * count)?.le ?? '–';
  return { count, sum, p50: `≤ ${at(0.5)}`, p99: `≤ ${at(0.99)}` };
}

export interface ConsumeDeps {
  run: Run;
  produced: ProduceResult;
  maxBatchSize: number;
  schema: string;
  postgresUrl: string;
  logger: Logger;
  log: (line: string) => void;
  /** registers what to stop on clean-up (the rollups, the pools) */
  track: (close: () => Promise<void>) => () => void;
  signal: AbortSignal;
}

const sumBy = async (q: pg.Pool): Promise<Map<string, { applications: number; alerts: number; rows: number }>> => {
  const res = await q.query<{ dimension: string; applications: string; alerts: string; rows: string }>(
    'SELECT dimension, sum(applications) AS applications, sum(alerts) AS alerts, count(*) AS rows FROM rollup_hourly GROUP BY dimension ORDER BY dimension',
  );
  return new Map(res.rows.map((r) => [r.dimension, { applications: Number(r.applications), alerts: Number(r.alerts), rows: Number(r.rows) }]));
};

export async function consume(d: ConsumeDeps): Promise<ConsumeResult> {
  const { produced, maxBatchSize, schema, logger, log } = d;
  const groupId = d.run.name(`reports-${maxBatchSize}`);
  const applicationName = `lgbench-${groupId}`;
  const env: Record<string, string> = {
    LENDGUARD_KAFKA_BROKERS: BROKERS.join(','),
    LENDGUARD_KAFKA_CLIENT_ID: groupId,
    LENDGUARD_TOPIC_ASSESSMENTS: produced.assessmentsTopic,
    LENDGUARD_TOPIC_ALERTS: produced.alertsTopic,
    LENDGUARD_REPORTS_GROUP_ID: groupId,
    // application_name in the URL wins over createPool's: the consumer's backends can be told apart for their CPU
    LENDGUARD_CONSOLE_POSTGRES_URL: `${d.postgresUrl}?application_name=${applicationName}`,
    LENDGUARD_CONSOLE_POSTGRES_SCHEMA: schema,
    LENDGUARD_REPORTS_MAX_BATCH_SIZE: String(maxBatchSize),
    LENDGUARD_LOG_LEVEL: 'warn',
  };
  const config = loadConfig({ env });
  const db = createPool(config.console.postgres, logger);
  const untrackDb = d.track(() => db.end());
  // The bench's own reads, on a pool of their own (its backends are not the consumer's).
  const bench = new pg.Pool({ connectionString: d.postgresUrl, max: 2, options: `-c search_path="${schema}"`, application_name: 'lgbench-poll' });
  const untrackBench = d.track(() => bench.end());
  let rollups: Rollups | undefined;
  let untrackRollups: (() => void) | undefined;
  // Both groups are deleted at the end (the consumer is stopped first).
  d.track(async () => deleteGroups(d.run, [groupId, `${groupId}-rings`]));
  try {
    await migrate(db, schema, logger);
    let fatal: Error | undefined;
    const sizes: number[] = [];
    const registry = new Registry();
    const other = new OtherCpu(bench, applicationName);
    await other.sample();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = createRollups(config, {
      db,
      registry,
      logger,
      onFatal: (err) => (fatal = err),
      onStored: (s) => {
        if (s.assessments > 0) sizes.push(s.assessments);
      },
    });
    rollups = r;
    untrackRollups = d.track(() => r.stop());
    await r.start();
    const timeline: { s: number; counted: number }[] = [];
    let counted = 0;
    let ringsStored = 0;
    let ringSeconds: number | null = null;
    const deadline = Date.now() + Math.max(600_000, produced.count * 2);
    let lastLog = 0;
    while (counted < produced.count || ringSeconds === null) {
      if (fatal) break;
      if (d.signal.aborted) throw new Error('stopped');
      if (Date.now() > deadline) break;
      await sleep(500);
      const res = await bench.query<{ n: string | null; rings: string }>(
        "SELECT (SELECT sum(applications) FROM rollup_hourly WHERE dimension = 'all') AS n, (SELECT count(*) FROM ring_events) AS rings",
      );
      counted = Number(res.rows[0]?.n ?? 0);
      ringsStored = Number(res.rows[0]?.rings ?? 0);
      const s = (performance.now() - t0) / 1000;
      if (ringSeconds === null && ringsStored >= produced.rings) ringSeconds = s;
      timeline.push({ s, counted });
      await other.sample();
      if (s - lastLog >= 15) {
        lastLog = s;
        log(`maxBatchSize ${maxBatchSize}: ${counted.toLocaleString('en')} counted after ${s.toFixed(0)} s`);
      }
      if (counted > produced.count) break; // counted twice: stop and report
    }
    const countedAt = timeline.find((p) => p.counted >= produced.count)?.s ?? Number.NaN;
    const cpu = process.cpuUsage(cpu0);
    const others = other.result();
    await r.stop();
    untrackRollups();
    rollups = undefined;
    const chunkSeconds = await histogramQuantiles(registry, 'lendguard_reports_chunk_seconds');
    const by = await sumBy(bench);
    const dead = Number((await bench.query<{ n: string }>('SELECT count(*) AS n FROM dead_alerts')).rows[0]?.n ?? 0);
    const size = (
      await bench.query<{ total: string; heap: string; indexes: string; rows: string }>(
        "SELECT pg_total_relation_size('rollup_hourly') AS total, pg_relation_size('rollup_hourly') AS heap, pg_indexes_size('rollup_hourly') AS indexes, (SELECT count(*) FROM rollup_hourly) AS rows",
      )
    ).rows[0];
    const checks = Object.keys(produced.expected.applications).map((dimension) => {
      const got = by.get(dimension) ?? { applications: 0, alerts: 0 };
      const expected = produced.expected.applications[dimension] ?? 0;
      const expectedAlerts = produced.expected.alertsBy[dimension] ?? 0;
      return {
        dimension,
        applications: got.applications,
        expected,
        alerts: got.alerts,
        expectedAlerts,
        ok: got.applications === expected && got.alerts === expectedAlerts,
      };
    });
    const sorted = [...sizes].sort((a, b) => a - b);
    const n = produced.count;
    const steady = steadyRate(timeline, n);
    return {
      maxBatchSize,
      schema,
      count: n,
      counted,
      exact: counted === n && checks.every((c) => c.ok),
      seconds: countedAt,
      recordsPerSecond: n / countedAt,
      steadyPerSecond: steady,
      cpuUsPerRecord: {
        bench: (cpu.user + cpu.system) / n,
        benchUser: cpu.user / n,
        benchSystem: cpu.system / n,
        postgres: others.postgresUs / n,
        broker: others.brokerUs === null ? null : others.brokerUs / n,
      },
      postgresBackends: others.backends,
      ringEvents: { stored: ringsStored, expected: produced.rings, seconds: ringSeconds },
      dead,
      chunks: {
        count: sizes.length,
        sizeP50: percentile(sorted, 50),
        sizeMax: sorted[sorted.length - 1] ?? 0,
        secondsMean: chunkSeconds.count > 0 ? chunkSeconds.sum / chunkSeconds.count : Number.NaN,
        secondsP50: chunkSeconds.p50,
        secondsP99: chunkSeconds.p99,
      },
      table: {
        rows: Number(size?.rows ?? 0),
        totalBytes: Number(size?.total ?? 0),
        heapBytes: Number(size?.heap ?? 0),
        indexBytes: Number(size?.indexes ?? 0),
      },
      rowsByDimension: Object.fromEntries([...by].map(([k, v]) => [k, v.rows])),
      checks,
      fatal: fatal ? fatal.message : null,
      timeline,
    };
  } finally {
    if (rollups) {
      await rollups.stop().catch(() => undefined);
      untrackRollups?.();
    }
    await bench.end().catch(() => undefined);
    untrackBench();
    await db.end().catch(() => undefined);
    untrackDb();
  }
}

/** Records per second between the polls nearest 10 % and 90 % of `total`. */
function steadyRate(timeline: readonly { s: number; counted: number }[], total: number): number | null {
  const from = timeline.find((p) => p.counted >= total * 0.1);
  const to = [...timeline].reverse().find((p) => p.counted <= total * 0.9);
  if (!from || !to || to.s <= from.s) return null;
  return (to.counted - from.counted) / (to.s - from.s);
}

async function deleteGroups(run: Run, groups: string[]): Promise<void> {
  const admin = run.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    const mine = groups.filter((g) => existing.has(g));
    if (mine.length > 0) await admin.deleteGroups(mine).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
