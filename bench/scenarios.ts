/**
 * The Kafka benchmarks of bench/run-all.ts: throughput (bare pipe or N processors draining a
 * pre-loaded topic), end-to-end latency at an offered rate, and memory after a long run.
 * Each scenario creates its own topics / group / Redis prefix under the run and drops them when done.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  awaitCount,
  histogramQuantilesMs,
  OutputCounter,
  pacedProduce,
  preload,
  procStatus,
  processorEnv,
  REDIS_URL,
  Scrape,
  sleep,
  spawnChild,
  spawnProcessor,
  stopChild,
  waitFor,
  waitReady,
  type Child,
  type Preloaded,
  type Run,
  type Topics,
} from './harness.js';
import { CpuMeter, servicePids, type CpuShare } from './cpu.js';
import { summarise } from './lib.js';
import { summariseProfile, type ProfileSummary } from './profile.js';

export interface Ctx {
  run: Run;
  log: (line: string) => void;
}

export type Kind = 'pipe' | 'processor';

const MiB = 2 ** 20;
const round = (n: number, d = 0): number => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : n);

async function waitGroupStable(ctx: Ctx, groupId: string, members: number, timeoutMs = 60_000): Promise<void> {
  const admin = ctx.run.kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      `group ${groupId} stable with ${members} member(s)`,
      async () => {
        const { groups } = await admin.describeGroups([groupId]);
        const g = groups[0];
        return g?.state === 'Stable' && g.members.length === members;
      },
      timeoutMs,
      250,
    );
  } finally {
    await admin.disconnect();
  }
}

async function startChildren(ctx: Ctx, kind: Kind, n: number, env: Record<string, string>, nodeArgs: string[] = []): Promise<Child[]> {
  const children: Child[] = [];
  for (let i = 0; i < n; i++) {
    children.push(kind === 'pipe' ? await spawnChild(ctx.run, 'bench/bare-pipe.ts', [], env, nodeArgs) : await spawnProcessor(ctx.run, env, nodeArgs));
  }
  return children;
}

async function stopAll(ctx: Ctx, children: Child[]): Promise<void> {
  const results = await Promise.all(children.map((c) => stopChild(c)));
  results.forEach((r, i) => {
    if (r.killed || (r.code !== 0 && r.code !== null)) {
      ctx.log(
        `  warning: child ${children[i]?.pid} exited code=${r.code} signal=${r.signal}${r.killed ? ' (killed after 30 s)' : ''}\n${children[i]?.output().slice(-1500)}`,
      );
    }
  });
}

async function dropSetup(ctx: Ctx, topics: Topics, keepInput: boolean, prefix: string): Promise<void> {
  const names = [topics.assessments, topics.alerts, topics.dlq, topics.labels, topics.graphLinks];
  if (!keepInput) names.push(topics.applications);
  await ctx.run.dropTopics(names).catch((err: Error) => ctx.log(`  warning: dropping topics failed: ${err.message}`));
  await ctx.run.dropRedisPrefix(prefix).catch((err: Error) => ctx.log(`  warning: dropping Redis keys failed: ${err.message}`));
}

/** What a processor's /metrics says after a run. */
export interface ProcessorView {
  assessed: number;
  deadLettered: number;
  degraded: number;
  alerts: number;
  transactionsCommitted: number;
  transactionsFailed: number;
  retries: number;
  batchMs: Record<string, number>;
  rssMiB: number;
  heapUsedMiB: number;
}

function processorView(scrapes: Scrape[]): ProcessorView {
  const sum = (name: string): number => scrapes.reduce((s, x) => s + x.sum(name), 0);
  const batch = scrapes.length === 1 ? histogramQuantilesMs(undefined, scrapes[0] as Scrape, 'lendguard_batch_seconds', [0.5, 0.99]) : {};
  return {
    assessed: sum('lendguard_assessed_total'),
    deadLettered: sum('lendguard_dead_lettered_total'),
    degraded: sum('lendguard_degraded_total'),
    alerts: sum('lendguard_alerts_total'),
    transactionsCommitted: scrapes.reduce((s, x) => s + (x.get('lendguard_transactions_total', { result: 'committed' }) ?? 0), 0),
    transactionsFailed: scrapes.reduce((s, x) => s + (x.get('lendguard_transactions_total', { result: 'failed' }) ?? 0), 0),
    retries: sum('lendguard_retries_total'),
    batchMs: batch,
    rssMiB: round(sum('lendguard_process_resident_memory_bytes') / MiB),
    heapUsedMiB: round(sum('lendguard_nodejs_heap_size_used_bytes') / MiB),
  };
}

// ---------------------------------------------------------------------------------------------
// Throughput

export interface ThroughputOptions {
  label: string;
  kind: Kind;
  instances: number;
  input: Preloaded;
  maxBatchSize: number;
  extraEnv?: Record<string, string>;
  /** Topic configs of the output topics (e.g. a larger max.message.bytes). */
  outputConfig?: Record<string, string>;
  /** Run the (single) processor under --cpu-prof, writing into this directory. */
  cpuProfDir?: string;
}

export interface ThroughputResult {
  label: string;
  kind: Kind;
  instances: number;
  maxBatchSize: number;
  extraEnv?: Record<string, string>;
  outputConfig?: Record<string, string>;
  records: number;
  /** Records committed downstream per second, first to last output record. */
  ratePerSec: number;
  /** The same between 10 % and 90 % of the records: without start-up, rebalances at start, and the tail. */
  steadyRatePerSec: number;
  /** Spawn to first output record (process start, group join, fencing). */
  startupSeconds: number;
  /** Spawn to last output record. */
  wallSeconds: number;
  outputAvgBytes: number;
  /** CPU time per application of each process (children, broker, Redis) over the steady window. */
  cpu: CpuShare[];
  /** Output records per instance, from each processor's /metrics (how evenly the group spread the work). */
  perInstance?: number[];
  processor?: ProcessorView;
  profile?: ProfileSummary;
  profileFile?: string;
}

export async function throughput(ctx: Ctx, o: ThroughputOptions): Promise<ThroughputResult> {
  const { run, log } = ctx;
  const topics = await run.processorTopics(o.label, o.input.topic, o.outputConfig);
  const groupId = run.group(o.label);
  const prefix = run.redisPrefix(o.label);
  const env = processorEnv({ topics, groupId, redisPrefix: prefix, maxBatchSize: o.maxBatchSize, extra: o.extraEnv });
  const counter = await OutputCounter.start(run, topics.assessments);
  const dlq = o.kind === 'processor' ? await OutputCounter.start(run, topics.dlq) : undefined;
  if (o.cpuProfDir) mkdirSync(o.cpuProfDir, { recursive: true });
  const nodeArgs = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
  const t0 = Date.now();
  const children = await startChildren(ctx, o.kind, o.instances, env, nodeArgs);
  let scrapes: Scrape[] = [];
  const view = {
    get count() {
      return counter.count + (dlq?.count ?? 0);
    },
  };
  const named = children.map((c, i) => ({ name: o.instances > 1 ? `${o.kind} ${i + 1}` : o.kind, pid: c.pid }));
  const cpu = new CpuMeter([...named, ...(await servicePids({ cluster: env.LENDGUARD_REDIS_URL?.includes('+cluster://') }))], () => view.count);
  try {
    const total = o.input.count;
    await awaitCountOf(view, total, {
      timeoutMs: 120_000 + (total / 150) * 1000,
      stallMs: 60_000,
      what: `${o.label} (${o.kind} x${o.instances})`,
      onTick: () => log(`  ${o.label}: ${counter.count.toLocaleString('en-US')}/${total.toLocaleString('en-US')} committed`),
      children,
    });
    if (o.kind === 'processor') scrapes = await Promise.all(children.map((c) => Scrape.of(c.port)));
  } finally {
    cpu.stop();
    await stopAll(ctx, children);
    await counter.stop();
    await dlq?.stop();
    await dropSetup(ctx, topics, true, prefix);
  }
  const result: ThroughputResult = {
    label: o.label,
    kind: o.kind,
    instances: o.instances,
    maxBatchSize: o.maxBatchSize,
    records: counter.count,
    ratePerSec: round(counter.rate()),
    steadyRatePerSec: round(counter.steadyRate(counter.count)),
    startupSeconds: round((counter.firstAt - t0) / 1000, 1),
    wallSeconds: round((counter.lastAt - t0) / 1000, 1),
    outputAvgBytes: round(counter.bytes / Math.max(1, counter.count)),
    cpu: cpu.steady(o.input.count),
  };
  if (o.extraEnv) result.extraEnv = o.extraEnv;
  if (o.outputConfig) result.outputConfig = o.outputConfig;
  if (scrapes.length > 0) {
    result.processor = processorView(scrapes);
    result.perInstance = scrapes.map((s) => s.sum('lendguard_assessed_total'));
  }
  if (o.cpuProfDir) {
    const files = readdirSync(o.cpuProfDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(o.cpuProfDir as string, f));
    const newest = files.filter((f) => statSync(f).mtimeMs >= t0).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (newest) {
      result.profileFile = newest;
      result.profile = summariseProfile(newest);
    } else log('  warning: no .cpuprofile was written (did the processor exit cleanly?)');
  }
  log(
    `  ${o.label}: ${result.ratePerSec.toLocaleString('en-US')}/s first→last, ${result.steadyRatePerSec.toLocaleString('en-US')}/s steady (10–90 %), ` +
      `start-up ${result.startupSeconds} s${result.perInstance ? `, per instance ${result.perInstance.join(' / ')}` : ''}` +
      `, CPU µs/app ${result.cpu.map((c) => `${c.name} ${c.usPerApp}`).join(', ')}` +
      `${result.processor ? `, degraded ${result.processor.degraded}, DLQ ${result.processor.deadLettered}` : ''}`,
  );
  return result;
}

/** awaitCount over a sum of counters, also failing fast when a child dies. */
async function awaitCountOf(
  view: { readonly count: number },
  total: number,
  o: { timeoutMs: number; stallMs: number; what: string; onTick: () => void; children: Child[] },
): Promise<void> {
  let died: string | undefined;
  for (const c of o.children) void c.exited.then((r) => (died ??= `child ${c.pid} exited (code ${r.code}, signal ${r.signal}):\n${c.output().slice(-2000)}`));
  const shim = {
    get count(): number {
      if (died) throw new Error(`${o.what}: ${died}`);
      return view.count;
    },
  };
  try {
    await awaitCount(shim, total, o);
  } catch (err) {
    const tails = o.children.map((c) => `--- child ${c.pid} (last output) ---\n${c.output().slice(-1500)}`).join('\n');
    throw new Error(`${(err as Error).message}\n${tails}`, { cause: err });
  }
}

// ---------------------------------------------------------------------------------------------
// Latency

export interface LatencyOptions {
  label: string;
  kind: Kind;
  rate: number;
  warmupMs: number;
  measureMs: number;
  maxBatchSize: number;
  drainMs?: number;
  extraEnv?: Record<string, string>;
  outputConfig?: Record<string, string>;
}

export interface LatencyResult {
  label: string;
  kind: Kind;
  rate: number;
  maxBatchSize: number;
  /** Send rate actually achieved over the whole run. */
  sentPerSec: number;
  /** End to end, send time → readable by a read_committed consumer, records sent in the measuring window (ms). */
  e2eMs: ReturnType<typeof summarise>;
  /** Records sent in the window that were not read within the drain time. */
  missing: number;
  /** The processor's own view at the end of the window: its sliding window gauges and the histogram's growth over the window. */
  processorWindowMs?: Record<string, number>;
  processorHistogramMs?: Record<string, number>;
  degradedShare?: number;
  /**
   * Where the processor's latency goes, from each assessment's own `latency` fields (ms, p50 / p99):
   * queued = record timestamp → its batch starts; processing = batch start → assessment built;
   * commit = built → readable downstream (produce, offsets, transaction commit, the reader's fetch).
   */
  breakdownMs?: Record<'queued' | 'processing' | 'commit', { p50: number; p99: number }>;
  /** The processor's lendguard_stage_seconds over the window (bucket upper bounds, ms): queued, state, handle, commit. */
  stagesMs?: Record<string, Record<string, number>>;
}

/** The three parts of one sample, from an assessment's `latency` fields and its end-to-end time. */
function breakdownOf(value: Buffer | null, e2eMs: number): [number, number, number] | undefined {
  if (!value) return undefined;
  try {
    const l = (JSON.parse(value.toString('utf8')) as { latency?: { sinceRecordMs?: number; processingMs?: number } }).latency;
    if (typeof l?.sinceRecordMs !== 'number' || typeof l.processingMs !== 'number') return undefined;
    return [l.sinceRecordMs - l.processingMs, l.processingMs, e2eMs - l.sinceRecordMs];
  } catch {
    return undefined;
  }
}

function summariseParts(parts: [number, number, number][]): LatencyResult['breakdownMs'] {
  if (parts.length === 0) return undefined;
  const of = (i: number) => {
    const s = summarise(parts.map((p) => p[i] as number));
    return { p50: s.p50, p99: s.p99 };
  };
  return { queued: of(0), processing: of(1), commit: of(2) };
}

export async function latency(ctx: Ctx, o: LatencyOptions): Promise<LatencyResult> {
  const { run, log } = ctx;
  const topics = await run.processorTopics(o.label, undefined, o.outputConfig);
  const groupId = run.group(o.label);
  const prefix = run.redisPrefix(o.label);
  const env = processorEnv({ topics, groupId, redisPrefix: prefix, maxBatchSize: o.maxBatchSize, extra: o.extraEnv });
  const sent = new Map<string, number>();
  const samples: number[] = [];
  const parts: [number, number, number][] = [];
  let windowFrom = Number.POSITIVE_INFINITY;
  let windowTo = Number.POSITIVE_INFINITY;
  let inWindow = 0;
  const counter = await OutputCounter.start(run, topics.assessments, {
    onRecord: (key, now, value) => {
      if (key === null) return;
      const t = sent.get(key);
      if (t === undefined) return;
      sent.delete(key);
      if (t < windowFrom || t >= windowTo) return;
      samples.push(now - t);
      const part = o.kind === 'processor' ? breakdownOf(value, now - t) : undefined;
      if (part) parts.push(part);
    },
  });
  const [child] = await startChildren(ctx, o.kind, 1, env);
  if (!child) throw new Error('no child');
  let before: Scrape | undefined;
  let after: Scrape | undefined;
  let sentPerSec: number; // set once the traffic is sent (before any read)
  try {
    if (o.kind === 'processor') await waitReady(child);
    await waitGroupStable(ctx, groupId, 1);
    const timers: NodeJS.Timeout[] = [];
    const produced = await pacedProduce(run.kafka, topics.applications, {
      rate: o.rate,
      durationMs: o.warmupMs + o.measureMs,
      seed: `${run.id}-${o.label}`,
      onSent: (keys, at) => {
        if (windowFrom === Number.POSITIVE_INFINITY) {
          // The clock starts at the first send.
          windowFrom = at + o.warmupMs;
          windowTo = windowFrom + o.measureMs;
          if (o.kind === 'processor') {
            timers.push(
              setTimeout(
                () =>
                  void Scrape.of(child.port).then(
                    (s) => (before = s),
                    () => undefined,
                  ),
                o.warmupMs,
              ),
            );
            timers.push(
              setTimeout(
                () =>
                  void Scrape.of(child.port).then(
                    (s) => (after = s),
                    () => undefined,
                  ),
                o.warmupMs + o.measureMs,
              ),
            );
          }
        }
        for (const k of keys) sent.set(k, at);
        if (at >= windowFrom && at < windowTo) inWindow += keys.length;
      },
    });
    sentPerSec = produced.sent / produced.seconds;
    const deadline = Date.now() + (o.drainMs ?? 30_000);
    while (samples.length < inWindow && Date.now() < deadline) await sleep(100);
    for (const t of timers) clearTimeout(t);
    if (o.kind === 'processor' && !after) after = await Scrape.of(child.port);
  } finally {
    await stopAll(ctx, [child]);
    await counter.stop();
    await dropSetup(ctx, topics, false, prefix);
  }
  const e2e = summarise(samples);
  const result: LatencyResult = {
    label: o.label,
    kind: o.kind,
    rate: o.rate,
    maxBatchSize: o.maxBatchSize,
    sentPerSec: round(sentPerSec),
    e2eMs: { n: e2e.n, mean: round(e2e.mean, 1), p50: e2e.p50, p95: e2e.p95, p99: e2e.p99, max: e2e.max },
    missing: Math.max(0, inWindow - samples.length),
    ...(parts.length > 0 ? { breakdownMs: summariseParts(parts) } : {}),
  };
  const end = after;
  if (end) {
    result.processorWindowMs = {
      p50: end.get('lendguard_latency_window_ms', { quantile: '0.5' }) ?? Number.NaN,
      p95: end.get('lendguard_latency_window_ms', { quantile: '0.95' }) ?? Number.NaN,
      p99: end.get('lendguard_latency_window_ms', { quantile: '0.99' }) ?? Number.NaN,
      max: end.get('lendguard_latency_window_ms', { quantile: '1' }) ?? Number.NaN,
    };
    result.processorHistogramMs = histogramQuantilesMs(before, end, 'lendguard_assessment_latency_seconds', [0.5, 0.95, 0.99]);
    const assessed = end.sum('lendguard_assessed_total') - (before?.sum('lendguard_assessed_total') ?? 0);
    const degraded = end.sum('lendguard_degraded_total') - (before?.sum('lendguard_degraded_total') ?? 0);
    result.degradedShare = assessed > 0 ? round(degraded / assessed, 3) : 0;
    result.stagesMs = Object.fromEntries(
      ['queued', 'state', 'handle', 'commit'].map((stage) => [stage, histogramQuantilesMs(before, end, 'lendguard_stage_seconds', [0.5, 0.99], { stage })]),
    );
  }
  log(
    `  ${o.label}: offered ${o.rate}/s (sent ${result.sentPerSec}/s), e2e p50 ${e2e.p50} ms, p95 ${e2e.p95} ms, p99 ${e2e.p99} ms, max ${e2e.max} ms, n=${e2e.n}` +
      `${result.missing ? `, MISSING ${result.missing}` : ''}${result.processorWindowMs ? `; processor window p99 ${result.processorWindowMs.p99} ms` : ''}` +
      (result.breakdownMs
        ? `; ${Object.entries(result.breakdownMs)
            .map(([k, v]) => `${k} p50/p99 ${v.p50}/${v.p99}`)
            .join(', ')}`
        : '') +
      (result.stagesMs
        ? `; stages ${Object.entries(result.stagesMs)
            .map(([k, v]) => `${k} ≤${v.p50}/≤${v.p99}`)
            .join(', ')}`
        : ''),
  );
  return result;
}

// ---------------------------------------------------------------------------------------------
// Memory

export interface MemoryResult {
  /** Applications assessed when measured: the target, or fewer when the time cap came first. */
  applications: number;
  target: number;
  timeCapped: boolean;
  /** Growth over the second half of the run, per 100k applications (MiB): for extrapolating. */
  rssMiBPer100k: number;
  heapMiBPer100k: number;
  maxBatchSize: number;
  seconds: number;
  /** Overall assessment rate (the input was produced at the same time, so not a throughput figure). */
  ratePerSec: number;
  rssMiB: number;
  peakRssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  /** Samples every ~10 s: seconds since start, assessed, RSS and heap used (MiB). */
  series: { s: number; assessed: number; rssMiB: number; heapUsedMiB: number }[];
  redis: { usedMemoryDeltaMiB: number; keysDelta: number; bytesPerApplication: number };
}

async function redisInfo(): Promise<{ usedMemory: number; keys: number }> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    const info = await redis.info('memory');
    const usedMemory = Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
    return { usedMemory, keys: await redis.dbsize() };
  } finally {
    redis.disconnect();
  }
}

export async function memory(ctx: Ctx, o: { applications: number; maxBatchSize: number; maxSeconds: number }): Promise<MemoryResult> {
  const { run, log } = ctx;
  const label = 'memory';
  const topics = await run.processorTopics(label);
  const groupId = run.group(label);
  const prefix = run.redisPrefix(label);
  const env = processorEnv({ topics, groupId, redisPrefix: prefix, maxBatchSize: o.maxBatchSize });
  const redisBefore = await redisInfo();
  const counter = await OutputCounter.start(run, topics.assessments);
  const dlq = await OutputCounter.start(run, topics.dlq);
  const [child] = await startChildren(ctx, 'processor', 1, env);
  if (!child) throw new Error('no child');
  const series: MemoryResult['series'] = [];
  let final: Scrape | undefined;
  let redisAfter: Awaited<ReturnType<typeof redisInfo>>;
  let t0 = Date.now();
  let seconds: number;
  let timeCapped = false;
  let reached = 0;
  try {
    await waitReady(child);
    t0 = Date.now();
    const sampler = setInterval(() => {
      void Scrape.of(child.port).then(
        (s) =>
          series.push({
            s: round((Date.now() - t0) / 1000),
            assessed: s.sum('lendguard_assessed_total'),
            rssMiB: round(s.sum('lendguard_process_resident_memory_bytes') / MiB),
            heapUsedMiB: round(s.sum('lendguard_nodejs_heap_size_used_bytes') / MiB),
          }),
        () => undefined,
      );
    }, 10_000);
    const cap = sleep(o.maxSeconds * 1000).then(() => 'cap' as const);
    try {
      // Feed while it consumes: the input is produced as fast as the broker takes it.
      const fed = await preload(run.kafka, topics.applications, o.applications, { seed: `${run.id}-memory`, inFlight: 2 });
      log(
        `  memory: ${o.applications.toLocaleString('en-US')} applications produced in ${fed.seconds.toFixed(0)} s; processor at ${counter.count.toLocaleString('en-US')}`,
      );
      const view = {
        get count() {
          return counter.count + dlq.count;
        },
      };
      const done = awaitCountOf(view, o.applications, {
        timeoutMs: o.maxSeconds * 1000 + 60_000,
        stallMs: 90_000,
        what: 'memory run',
        onTick: () =>
          log(
            `  memory: ${counter.count.toLocaleString('en-US')}/${o.applications.toLocaleString('en-US')} assessed, RSS ${series[series.length - 1]?.rssMiB ?? '?'} MiB`,
          ),
        children: [child],
      });
      if ((await Promise.race([done, cap])) === 'cap') {
        timeCapped = true;
        done.catch(() => undefined);
        log(`  memory: time cap of ${o.maxSeconds} s reached at ${counter.count.toLocaleString('en-US')} applications`);
      }
    } finally {
      clearInterval(sampler);
    }
    seconds = (Date.now() - t0) / 1000;
    reached = counter.count + dlq.count;
    await sleep(5000); // idle a little: what stays resident, not the last batch's garbage
    final = await Scrape.of(child.port);
    redisAfter = await redisInfo();
  } finally {
    const status = procStatus(child.pid);
    await stopAll(ctx, [child]);
    await counter.stop();
    await dlq.stop();
    const removed = await run.dropRedisPrefix(prefix).catch(() => 0);
    log(`  memory: removed ${removed.toLocaleString('en-US')} Redis keys`);
    await dropSetup(ctx, topics, false, prefix);
    if (status) series.push({ s: -1, assessed: -1, rssMiB: round(status.hwmBytes / MiB), heapUsedMiB: Number.NaN });
  }
  const peak = series.find((x) => x.s === -1);
  const clean = series.filter((x) => x.s >= 0);
  const used = redisAfter.usedMemory - redisBefore.usedMemory;
  const half = clean.filter((x) => x.assessed >= reached / 2);
  const slope = (f: (x: (typeof clean)[number]) => number): number => {
    const a = half[0];
    const b = half[half.length - 1];
    return a && b && b.assessed > a.assessed ? round(((f(b) - f(a)) / (b.assessed - a.assessed)) * 100_000) : Number.NaN;
  };
  const result: MemoryResult = {
    applications: reached,
    target: o.applications,
    timeCapped,
    rssMiBPer100k: slope((x) => x.rssMiB),
    heapMiBPer100k: slope((x) => x.heapUsedMiB),
    maxBatchSize: o.maxBatchSize,
    seconds: round(seconds, 1),
    ratePerSec: round(reached / seconds),
    rssMiB: round((final?.sum('lendguard_process_resident_memory_bytes') ?? Number.NaN) / MiB),
    peakRssMiB: peak?.rssMiB ?? Number.NaN,
    heapUsedMiB: round((final?.sum('lendguard_nodejs_heap_size_used_bytes') ?? Number.NaN) / MiB),
    heapTotalMiB: round((final?.sum('lendguard_nodejs_heap_size_total_bytes') ?? Number.NaN) / MiB),
    externalMiB: round((final?.sum('lendguard_nodejs_external_memory_bytes') ?? Number.NaN) / MiB),
    series: clean,
    redis: { usedMemoryDeltaMiB: round(used / MiB), keysDelta: redisAfter.keys - redisBefore.keys, bytesPerApplication: round(used / Math.max(1, reached)) },
  };
  log(
    `  memory: after ${reached.toLocaleString('en-US')}: RSS ${result.rssMiB} MiB (peak ${result.peakRssMiB}), heap used ${result.heapUsedMiB} MiB; Redis +${result.redis.usedMemoryDeltaMiB} MiB`,
  );
  return result;
}

export function profileDir(resultsDir: string, stamp: string): string {
  const dir = join(resultsDir, 'profiles', stamp);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  return dir;
}
