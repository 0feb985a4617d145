/**
 * The plumbing of the Kafka benchmarks (bench/run-all.ts): loopback-only clients, per-run random
 * names and their clean-up, pre-loading generated applications, a read_committed output counter,
 * child processes (`lendguard start` and bench/bare-pipe.ts) and their /metrics.
 *
 * Every wait here is bounded; every topic, consumer group and Redis prefix created through a
 * `Run` is deleted by `Run.cleanup()`, which run-all.ts calls on success, failure and Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, Partitioners, type Consumer, type Message, type Producer } from 'kafkajs';
import { Redis } from 'ioredis';
import { generateTraffic, type GeneratedApplication } from '../src/generate/index.js';
import { freePort } from '../test/helpers/processor.js';
import { unlinkPrefix } from '../test/helpers/redis-keys.js';

/** Benchmarks talk to this machine only. */
export const BROKERS = ['127.0.0.1:9092'];
export const REDIS_URL = 'redis://127.0.0.1:6379';
/** The 3-master cluster of `scripts/redis.sh cluster start`. */
export const REDIS_CLUSTER_PORTS = [17001, 17002, 17003];
export const REDIS_CLUSTER_URL = `redis+cluster://${REDIS_CLUSTER_PORTS.map((p) => `127.0.0.1:${p}`).join(',')}`;
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const PARTITIONS = 6;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function makeKafka(clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: BROKERS,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5000,
    requestTimeout: 30_000,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
  });
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------
// One benchmark run: random names, and everything to delete afterwards.

/** The topic names of one processor (or pipe) set-up. */
export interface Topics {
  applications: string;
  assessments: string;
  alerts: string;
  dlq: string;
  labels: string;
  graphLinks: string;
}

export class Run {
  readonly id = `lgb${randomBytes(3).toString('hex')}`;
  readonly kafka = makeKafka(`${this.id}-bench`);
  private readonly topics = new Set<string>();
  private readonly groups = new Set<string>();
  private readonly prefixes = new Set<string>();
  private readonly children = new Set<ChildProcess>();
  private readonly closers = new Set<() => Promise<void>>();
  private seq = 0;

  /** A fresh name under this run: `lgb1a2b3c-<label>-<n>`. */
  name(label: string): string {
    this.seq += 1;
    return `${this.id}-${label}-${this.seq}`;
  }

  async createTopics(names: string[], partitions = PARTITIONS, config: Record<string, string> = {}): Promise<void> {
    for (const n of names) this.topics.add(n);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
      await admin.createTopics({
        waitForLeaders: true,
        timeout: 30_000,
        topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1, configEntries })),
      });
    } finally {
      await admin.disconnect();
    }
  }

  /** Creates the input and output topics of one processor set-up (6 partitions each; `outputConfig` on the outputs). */
  async processorTopics(label: string, applications?: string, outputConfig: Record<string, string> = {}): Promise<Topics> {
    const base = this.name(label);
    const t: Topics = {
      applications: applications ?? `${base}.applications`,
      assessments: `${base}.assessments`,
      alerts: `${base}.alerts`,
      dlq: `${base}.dlq`,
      labels: `${base}.labels`,
      graphLinks: `${base}.graph-links`,
    };
    if (!applications) await this.createTopics([t.applications]);
    await this.createTopics([t.assessments, t.alerts, t.dlq, t.labels], PARTITIONS, outputConfig);
    await this.createTopics([t.graphLinks], PARTITIONS, { ...outputConfig, 'cleanup.policy': 'compact' });
    return t;
  }

  group(label: string): string {
    const g = this.name(label);
    this.groups.add(g);
    return g;
  }

  redisPrefix(label: string): string {
    const p = `${this.name(label)}:`;
    this.prefixes.add(p);
    return p;
  }

  track(child: ChildProcess): void {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  onCleanup(close: () => Promise<void>): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** Deletes the topics of a finished section early (keeps the broker's disk and page cache small). */
  async dropTopics(names: string[]): Promise<void> {
    const mine = names.filter((n) => this.topics.has(n));
    if (mine.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: mine, timeout: 30_000 });
      for (const n of mine) this.topics.delete(n);
    } finally {
      await admin.disconnect();
    }
  }

  /** Deletes the prefix's keys on the single Redis and on each master of the local cluster (where it runs). */
  async dropRedisPrefix(prefix: string): Promise<number> {
    let deleted = 0;
    for (const url of [REDIS_URL, ...REDIS_CLUSTER_PORTS.map((p) => `redis://127.0.0.1:${p}`)]) {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
      try {
        await redis.connect();
      } catch {
        if (url === REDIS_URL) throw new Error(`cannot reach ${url} to drop ${prefix}*`);
        continue; // no cluster here
      }
      try {
        deleted += await unlinkPrefix(redis, prefix);
      } finally {
        redis.disconnect();
      }
    }
    this.prefixes.delete(prefix);
    return deleted;
  }

  /**
   * SIGINT or SIGTERM cleans up (children killed, topics, groups and keys deleted) and exits 130, so an
   * interrupted bench leaves no processors running. Returns the clean-up, which runs once however it is called.
   */
  cleanupOnSignals(log: (line: string) => void): () => Promise<void> {
    let cleaning: Promise<void> | undefined;
    const cleanup = (): Promise<void> => (cleaning ??= this.cleanup(log));
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        log(`${sig}: cleaning up`);
        void cleanup().finally(() => process.exit(130));
      });
    }
    return cleanup;
  }

  /** Kills what is still running and deletes every topic, group and Redis prefix of the run. */
  async cleanup(log: (line: string) => void): Promise<void> {
    // Children first: on a signal the launcher (npm, tsx) may end this process before the clean-up is done.
    for (const child of [...this.children]) {
      child.kill('SIGKILL');
    }
    for (const close of [...this.closers]) await close().catch(() => undefined);
    this.closers.clear();
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      if (this.topics.size > 0) {
        await admin.deleteTopics({ topics: [...this.topics], timeout: 30_000 }).catch((err: Error) => log(`clean-up: deleting topics failed: ${err.message}`));
      }
      const existing = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
      const groups = [...this.groups].filter((g) => existing.has(g));
      let deleted = 0;
      const failed: string[] = [];
      for (const g of groups) {
        try {
          await admin.deleteGroups([g]);
          deleted += 1;
        } catch (err) {
          const e = err as Error & { groups?: { groupId: string; error?: { type?: string } }[] };
          failed.push(`${g}: ${e.groups?.[0]?.error?.type ?? e.message}`);
        }
      }
      if (failed.length > 0) log(`clean-up: ${failed.length} consumer group(s) not deleted: ${failed.slice(0, 3).join('; ')}`);
      log(`clean-up: deleted ${this.topics.size} topics and ${deleted} consumer groups of run ${this.id}`);
      this.topics.clear();
      this.groups.clear();
    } catch (err) {
      log(`clean-up: Kafka clean-up failed: ${(err as Error).message}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    let keys = 0;
    for (const p of [...this.prefixes]) keys += await this.dropRedisPrefix(p).catch(() => 0);
    log(`clean-up: deleted ${keys} Redis keys under ${this.id}-*`);
  }
}

// ---------------------------------------------------------------------------------------------
// Input: generated applications.

export interface Preloaded {
  topic: string;
  count: number;
  bytes: number;
  seconds: number;
}

/**
 * Produces `count` generator applications to `topic` as fast as possible (several sends in flight,
 * keyed by applicationId like the real producers). Event time is spread over `spanMs` before now.
 */
export async function preload(
  kafka: Kafka,
  topic: string,
  count: number,
  opts: { seed: string; spanMs?: number; inFlight?: number; batch?: number },
): Promise<Preloaded> {
  const spanMs = opts.spanMs ?? 2 * 3_600_000;
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  let bytes = 0;
  try {
    const it = generateTraffic({ seed: opts.seed, count, startMs: Date.now() - spanMs, spanMs, eventsPerSecond: count / (spanMs / 1000) })[Symbol.iterator]();
    const inFlight = new Set<Promise<unknown>>();
    const batchSize = opts.batch ?? 1000;
    for (;;) {
      const messages: Message[] = [];
      for (let i = 0; i < batchSize; i++) {
        const r = it.next();
        if (r.done) break;
        const value = JSON.stringify(r.value);
        bytes += Buffer.byteLength(value);
        messages.push({ key: r.value.applicationId, value });
      }
      if (messages.length === 0) break;
      const p = producer.send({ topic, acks: -1, messages }).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= (opts.inFlight ?? 4)) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
  return { topic, count, bytes, seconds: (Date.now() - started) / 1000 };
}

/** Sends generated applications at `rate`/s (the generator's pacer and batch sizes) until `durationMs` or the signal. */
export async function pacedProduce(
  kafka: Kafka,
  topic: string,
  opts: { rate: number; durationMs: number; seed: string; onSent: (keys: readonly string[], sentAtMs: number) => void; signal?: AbortSignal },
): Promise<{ sent: number; seconds: number }> {
  const { createPacer, batchSizeFor } = await import('../src/generate/pacer.js');
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const it = generateTraffic({ seed: opts.seed, startMs: Date.now(), eventsPerSecond: opts.rate })[Symbol.iterator]();
  it.next(); // warm the generator (user-agent corpus) before the clock starts
  const started = Date.now();
  const pacer = createPacer(opts.rate, started, 1000);
  const batchSize = batchSizeFor(opts.rate);
  let sent = 0;
  try {
    while (Date.now() - started < opts.durationMs && !opts.signal?.aborted) {
      const batch: GeneratedApplication[] = [];
      for (let i = 0; i < batchSize; i++) batch.push(it.next().value as GeneratedApplication);
      const wait = pacer.reserve(batch.length, Date.now());
      if (wait > 0) await sleep(wait);
      const values = batch.map((r) => JSON.stringify(r));
      const sentAt = Date.now();
      // The record timestamp is the send time, so the processor's own latency figures use the same origin.
      const ts = String(sentAt);
      opts.onSent(
        batch.map((r) => r.applicationId),
        sentAt,
      );
      await producer.send({ topic, acks: -1, messages: batch.map((r, i) => ({ key: r.applicationId, value: values[i] as string, timestamp: ts })) });
      sent += batch.length;
    }
  } finally {
    await producer.disconnect();
  }
  return { sent, seconds: (Date.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Output: a read_committed counter.

export interface CounterOptions {
  /** Called for each record as it becomes readable (latency measurement). */
  onRecord?: (key: string | null, nowMs: number, value: Buffer | null) => void;
}

/** Counts the committed records of a topic as a downstream read_committed consumer sees them. */
export class OutputCounter {
  count = 0;
  bytes = 0;
  firstAt = 0;
  lastAt = 0;
  /** [time, count] after every fetched batch: for the steady-state rate. */
  readonly progress: [number, number][] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(run: Run, topic: string, opts: CounterOptions = {}): Promise<OutputCounter> {
    const consumer = run.kafka.consumer({
      groupId: run.group('count'),
      readUncommitted: false,
      maxWaitTimeInMs: 100,
      maxBytes: 50 << 20,
      maxBytesPerPartition: 8 << 20,
    });
    const counter = new OutputCounter(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      // Auto-resolve moves the fetch position past each batch (without it kafkajs fetches the batch again).
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: PARTITIONS,
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        const n = batch.messages.length;
        if (n === 0) return;
        if (counter.count === 0) counter.firstAt = now;
        counter.count += n;
        counter.lastAt = now;
        for (const m of batch.messages) {
          counter.bytes += m.value?.length ?? 0;
          opts.onRecord?.(m.key ? m.key.toString('utf8') : null, now, m.value);
        }
        counter.progress.push([now, counter.count]);
      },
    });
    run.onCleanup(() => counter.stop());
    return counter;
  }

  /** Records per second between the first and the last record seen. */
  rate(): number {
    const s = (this.lastAt - this.firstAt) / 1000;
    return s > 0 ? (this.count - 1) / s : Number.NaN;
  }

  /** Records per second between `from` and `to` shares of `total` (e.g. 10 % → 90 %): excludes start-up and tail. */
  steadyRate(total: number, from = 0.1, to = 0.9): number {
    const at = (share: number): [number, number] | undefined => this.progress.find(([, c]) => c >= share * total);
    const a = at(from);
    const b = at(to);
    if (!a || !b || b[0] <= a[0]) return Number.NaN;
    return (b[1] - a[1]) / ((b[0] - a[0]) / 1000);
  }

  private stopped = false;
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.consumer.disconnect();
  }
}

/** Waits until `counter` reached `total`, failing if nothing arrives for `stallMs` or after `timeoutMs`. */
export async function awaitCount(
  counter: { readonly count: number },
  total: number,
  opts: { timeoutMs: number; stallMs: number; what: string; onTick?: () => void },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = counter.count;
  let lastChange = Date.now();
  let lastTick = Date.now();
  while (counter.count < total) {
    await sleep(250);
    const now = Date.now();
    if (counter.count !== last) {
      last = counter.count;
      lastChange = now;
    }
    if (opts.onTick && now - lastTick >= 10_000) {
      lastTick = now;
      opts.onTick();
    }
    if (now - lastChange > opts.stallMs) throw new Error(`${opts.what}: stalled at ${counter.count}/${total} (nothing for ${opts.stallMs / 1000} s)`);
    if (now > deadline) throw new Error(`${opts.what}: only ${counter.count}/${total} after ${opts.timeoutMs / 1000} s`);
  }
}

// ---------------------------------------------------------------------------------------------
// Children: the processor (`lendguard start`) and the bare pipe.

export interface Child {
  child: ChildProcess;
  pid: number;
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** The environment of a processor (or the pipe) wired to one set-up; the parent's LENDGUARD_* are not inherited. */
export function processorEnv(o: {
  topics: Topics;
  groupId: string;
  redisPrefix: string;
  maxBatchSize: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    LENDGUARD_KAFKA_BROKERS: BROKERS.join(','),
    LENDGUARD_KAFKA_GROUP_ID: o.groupId,
    LENDGUARD_KAFKA_CLIENT_ID: o.groupId,
    LENDGUARD_TOPIC_APPLICATIONS: o.topics.applications,
    LENDGUARD_TOPIC_ASSESSMENTS: o.topics.assessments,
    LENDGUARD_TOPIC_ALERTS: o.topics.alerts,
    LENDGUARD_TOPIC_DLQ: o.topics.dlq,
    LENDGUARD_TOPIC_LABELS: o.topics.labels,
    LENDGUARD_TOPIC_GRAPH_LINKS: o.topics.graphLinks,
    LENDGUARD_TOPICS_PARTITIONS: String(PARTITIONS),
    LENDGUARD_REDIS_URL: REDIS_URL,
    LENDGUARD_REDIS_KEY_PREFIX: o.redisPrefix,
    LENDGUARD_PII_KEY: 'bench-pii-key-0123456789abcdef',
    LENDGUARD_LOG_LEVEL: 'warn',
    LENDGUARD_MAX_BATCH_SIZE: String(o.maxBatchSize),
    // preload() spreads event times over the 2 hours before its records' timestamps (a backfill): counted by event
    // time, as they were before the lateness bound existed, so the work stays comparable with earlier runs.
    LENDGUARD_EVENT_TIME_MAX_LATENESS_MS: String(3 * 3_600_000),
    ...o.extra,
  };
}

function cleanParentEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('LENDGUARD_')) env[k] = v;
  return env;
}

/**
 * Spawns `node [nodeArgs] --import tsx <script> [args]` in the repository with `env`; HTTP port chosen here.
 * `BENCH_CHECKOUT` in `env` runs the script of another checkout instead (an A/B of two commits in one run,
 * bench/ab.ts); it is not passed on.
 */
export async function spawnChild(run: Run, script: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): Promise<Child> {
  const port = await freePort();
  const { BENCH_CHECKOUT: checkout, ...rest } = env;
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    cwd: checkout ?? REPO_ROOT,
    env: { ...cleanParentEnv(), ...rest, LENDGUARD_HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  run.track(child);
  let out = '';
  const keep = (d: Buffer): void => {
    out += d.toString();
    if (out.length > 40_000) out = out.slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, pid: child.pid ?? -1, port, exited, output: () => out };
}

/** The Node flags `npm start` gives the processor (package.json), so the bench runs it the same way. */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  return words.slice(1, words.indexOf('--import')).filter((w) => w.startsWith('--'));
}

export async function spawnProcessor(run: Run, env: Record<string, string>, nodeArgs: string[] = []): Promise<Child> {
  return spawnChild(run, 'src/cli/index.ts', ['start'], env, [...startNodeFlags(), ...nodeArgs]);
}

export async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.text() };
}

export async function readiness(port: number): Promise<{ ready: boolean; partitions: number }> {
  try {
    const res = await httpGet(port, '/readyz');
    const body = JSON.parse(res.body) as { details?: { assignment?: Record<string, number[]> } };
    const partitions = Object.values(body.details?.assignment ?? {}).reduce((n, ps) => n + ps.length, 0);
    return { ready: res.status === 200, partitions };
  } catch {
    return { ready: false, partitions: 0 };
  }
}

export async function waitReady(c: Child, timeoutMs = 90_000): Promise<void> {
  let exited = false;
  void c.exited.then(() => (exited = true));
  await waitFor(
    `processor ${c.pid} to be ready`,
    async () => {
      if (exited) throw new Error(`processor ${c.pid} exited before it was ready:\n${c.output().slice(-3000)}`);
      return (await readiness(c.port)).ready;
    },
    timeoutMs,
    250,
  );
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(c: Child, graceMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return { ...(await c.exited), killed: false };
  c.child.kill('SIGTERM');
  const timer = sleep(graceMs).then(() => 'timeout' as const);
  const r = await Promise.race([c.exited, timer]);
  if (r === 'timeout') {
    c.child.kill('SIGKILL');
    return { ...(await c.exited), killed: true };
  }
  return { ...r, killed: false };
}

// ---------------------------------------------------------------------------------------------
// Prometheus text.

export class Scrape {
  private readonly values = new Map<string, number>();

  constructor(text: string) {
    for (const line of text.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const sp = line.lastIndexOf(' ');
      this.values.set(line.slice(0, sp), Number(line.slice(sp + 1)));
    }
  }

  static async of(port: number): Promise<Scrape> {
    return new Scrape((await httpGet(port, '/metrics')).body);
  }

  /** Sum over every label set of `name`. */
  sum(name: string): number {
    let s = 0;
    for (const [k, v] of this.values) if (k === name || k.startsWith(`${name}{`)) s += v;
    return s;
  }

  get(name: string, labels: Record<string, string> = {}): number | undefined {
    const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    for (const [k, v] of this.values) {
      if (k !== name && !k.startsWith(`${name}{`)) continue;
      if (want.every((w) => k.includes(w))) return v;
    }
    return undefined;
  }

  /** Cumulative histogram buckets of `name` (of the series with `labels`) as [upper bound (s), count]. */
  buckets(name: string, labels: Record<string, string> = {}): [number, number][] {
    const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const out: [number, number][] = [];
    for (const [k, v] of this.values) {
      const m = k.startsWith(`${name}_bucket{`) && want.every((w) => k.includes(w)) ? /le="([^"]+)"/.exec(k) : null;
      if (m) out.push([m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), v]);
    }
    return out.sort((a, b) => a[0] - b[0]);
  }
}

/**
 * Quantiles of the observations a histogram gained between two scrapes, as the upper bound of the
 * bucket they fall in (what Prometheus would report without interpolation), in ms.
 */
export function histogramQuantilesMs(
  before: Scrape | undefined,
  after: Scrape,
  name: string,
  qs: readonly number[],
  labels: Record<string, string> = {},
): Record<string, number> {
  const b = new Map(before?.buckets(name, labels) ?? []);
  const diff = after.buckets(name, labels).map(([le, c]) => [le, c - (b.get(le) ?? 0)] as [number, number]);
  const total = diff[diff.length - 1]?.[1] ?? 0;
  const out: Record<string, number> = { count: total };
  for (const q of qs) {
    const hit = diff.find(([, c]) => c >= q * total);
    out[`p${q * 100}`] = total === 0 || !hit ? Number.NaN : hit[0] * 1000;
  }
  return out;
}

/** RSS and heap (bytes) of a child from /proc, for when /metrics is not there (the pipe). */
export function procStatus(pid: number): { rssBytes: number; hwmBytes: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024;
    return { rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') };
  } catch {
    return undefined;
  }
}
