/**
 * The benchmark suite: `npm run bench` (= tsx bench/run-all.ts) or `npm run bench -- --quick`.
 *
 * 1. throughput: a bare kafkajs pipe (bench/bare-pipe.ts) and the processor (`lendguard start` as a
 *    child), one after the other, draining the same pre-loaded topic with the same settings;
 * 2. end-to-end latency at fixed offered rates and at 80 % of the processor's measured maximum;
 * 3. scaling: 1, 2, 3 processors in one group;
 * 4. batch size (maxBatchSize 50 / 200 / 500) vs throughput and latency;
 * 5. memory after 1M applications (100k with --quick);
 * 6. a --cpu-prof throughput run of the processor, summarised.
 *
 * Needs Kafka and Redis on 127.0.0.1 (it runs `bash scripts/services.sh up`, which is idempotent).
 * Writes bench/results/latest.{json,md} (--quick: latest-quick.*) and a dated copy of each; a full
 * run also refreshes the results table in docs/benchmarks.md. Everything it creates (topics,
 * consumer groups, Redis keys, child processes) is removed at the end, on failure and on Ctrl-C.
 *
 * Options: --quick; --only <sections> (comma list of: throughput, concurrency, scaling, batch,
 * profile, latency, memory; for working on one part); --memory <n> (applications);
 * --memory-seconds <n> (time cap of the memory run); --records <n>.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/platform/config.js';
import { preload, REDIS_URL, REPO_ROOT, Run, PARTITIONS, type Preloaded } from './harness.js';
import { machine, record } from './lib.js';
import { headline, renderMarkdown, updateDocs, type SuiteResult } from './report.js';
import { latency, memory, profileDir, throughput, type Ctx, type LatencyResult, type ThroughputResult } from './scenarios.js';

const SECTIONS = ['throughput', 'concurrency', 'scaling', 'batch', 'profile', 'latency', 'memory'] as const;
type Section = (typeof SECTIONS)[number];

function parseArgs(argv: string[]): { quick: boolean; only: Set<Section>; memory?: number; memorySeconds?: number; records?: number } {
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const onlyText = value('--only');
  const only = new Set<Section>((onlyText ? onlyText.split(',') : SECTIONS) as Section[]);
  for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section '${s}' (known: ${SECTIONS.join(', ')})`);
  const num = (flag: string): number | undefined => (value(flag) === undefined ? undefined : Number(value(flag)));
  const out: { quick: boolean; only: Set<Section>; memory?: number; memorySeconds?: number; records?: number } = { quick, only };
  const ms = num('--memory-seconds');
  if (ms !== undefined) out.memorySeconds = ms;
  const m = num('--memory');
  const r = num('--records');
  if (m !== undefined) out.memory = m;
  if (r !== undefined) out.records = r;
  return out;
}

const args = parseArgs(process.argv.slice(2));
const P = args.quick
  ? { records: 10_000, memory: 100_000, warmupMs: 2_000, measureMs: 8_000, fixedRates: [1000], batchLatency: false, hardLimitMin: 12, memoryMaxSeconds: 240 }
  : {
      records: 100_000,
      memory: 1_000_000,
      warmupMs: 35_000,
      measureMs: 30_000,
      fixedRates: [500, 2000, 5000],
      batchLatency: true,
      hardLimitMin: 60,
      memoryMaxSeconds: 900,
    };
if (args.records) P.records = args.records;
if (args.memory) P.memory = args.memory;
if (args.memorySeconds) P.memoryMaxSeconds = args.memorySeconds;

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const started = Date.now();
const stamp = new Date(started).toISOString().slice(0, 16).replace(':', '') + 'Z';
const log = (line: string): void => {
  process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};
const run = new Run();
const ctx: Ctx = { run, log };

const cleanup = run.cleanupOnSignals(log);
// A hard stop, whatever happens: the suite never runs unbounded.
const hardStop = setTimeout(() => {
  log(`hard time limit of ${P.hardLimitMin} min reached: cleaning up and exiting`);
  void cleanup().finally(() => process.exit(2));
}, P.hardLimitMin * 60_000);
hardStop.unref();

function versions(): Record<string, string> {
  const kafkajs = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/kafkajs/package.json'), 'utf8')) as { version: string }).version;
  let broker = 'unknown';
  try {
    const status = execFileSync('bash', ['scripts/services.sh', 'status'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
    broker = /kafka: running .*version ([\w.-]+)/.exec(status)?.[1] ?? broker;
  } catch {
    // reported as unknown
  }
  let git = 'unknown';
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'config'], { cwd: REPO_ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '').length;
    git = dirty > 0 ? `${head} + ${dirty} uncommitted change(s) in src/ and config/` : head;
  } catch {
    // not a git checkout
  }
  return { node: process.version, kafkajs, broker, redis: 'unknown', git };
}

async function redisVersion(): Promise<string> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return /^redis_version:(\S+)/m.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } catch {
    return 'unreachable';
  } finally {
    redis.disconnect();
  }
}

async function step<T>(result: SuiteResult, what: string, fn: () => Promise<T>): Promise<T | undefined> {
  log(`${what} …`);
  try {
    return await fn();
  } catch (err) {
    const msg = `${what}: ${(err as Error).message}`;
    result.errors.push(msg);
    log(`ERROR ${msg}`);
    return undefined;
  }
}

async function main(): Promise<void> {
  log(`lendguard benchmarks (${args.quick ? 'quick' : 'full'}), run ${run.id}; sections: ${[...args.only].join(', ')}`);
  execFileSync('bash', ['scripts/services.sh', 'up'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 180_000 });
  const cfg = loadConfig({ env: {} });
  const batch = cfg.processing.maxBatchSize;
  const result: SuiteResult = {
    when: new Date(started).toISOString(),
    mode: args.quick ? 'quick' : 'full',
    machine: machine(),
    versions: { ...versions(), redis: await redisVersion() },
    settings: {
      partitions: PARTITIONS,
      maxBatchSize: batch,
      maxWaitTimeMs: cfg.processing.maxWaitTimeMs,
      partitionsConsumedConcurrently: cfg.processing.partitionsConsumedConcurrently,
      transactionPerChunk: true,
      readCommitted: true,
      latencyBudgetMs: cfg.latency.budgetMs,
      throughputRecords: P.records,
      memoryRecords: P.memory,
      latencyWarmupSeconds: P.warmupMs / 1000,
      latencyMeasureSeconds: P.measureMs / 1000,
      attackShare: '5 %',
      inputRecordBytes: 0,
      outputRecordBytes: 0,
    },
    durationSeconds: 0,
    throughput: {},
    scaling: [],
    batchSizes: [],
    latency: [],
    notes: [],
    errors: [],
  };
  const previousFile = join(resultsDir, args.quick ? 'latest-quick.json' : 'latest.json');
  if (existsSync(previousFile)) {
    try {
      const prev = JSON.parse(readFileSync(previousFile, 'utf8')) as SuiteResult;
      result.previous = { when: prev.when, file: `bench/results/${stampOf(prev.when)}${args.quick ? '-quick' : ''}.json` };
      result.previousHeadline = headline(prev);
    } catch {
      // a broken previous file is ignored
    }
  }

  const needsInput = ['throughput', 'concurrency', 'scaling', 'batch', 'profile'].some((s) => args.only.has(s as Section));
  let input: Preloaded | undefined;
  if (needsInput) {
    input = await step(result, `pre-loading ${P.records.toLocaleString('en-US')} generated applications (6 partitions)`, async () => {
      const topic = run.name('input');
      await run.createTopics([topic]);
      const p = await preload(run.kafka, topic, P.records, { seed: `${run.id}-input` });
      log(
        `  pre-loaded in ${p.seconds.toFixed(1)} s (${Math.round(p.count / p.seconds).toLocaleString('en-US')}/s), ${Math.round(p.bytes / p.count)} B per record`,
      );
      return p;
    });
    if (input) {
      result.preload = {
        records: input.count,
        avgBytes: Math.round(input.bytes / input.count),
        seconds: Math.round(input.seconds * 10) / 10,
        ratePerSec: Math.round(input.count / input.seconds),
      };
      result.settings.inputRecordBytes = result.preload.avgBytes;
    }
  }

  const tp = async (
    label: string,
    kind: 'pipe' | 'processor',
    instances: number,
    o: { maxBatchSize?: number; extraEnv?: Record<string, string>; outputConfig?: Record<string, string>; cpuProfDir?: string } = {},
  ): Promise<ThroughputResult | undefined> =>
    input ? step(result, `throughput: ${label}`, () => throughput(ctx, { label, kind, instances, input: input, maxBatchSize: batch, ...o })) : undefined;
  // A chunk's assessments all land in ONE output partition (same key, same partition count as the
  // input); the processor sends them in pieces of processing.maxSendBytes (512 KiB), so even
  // maxBatchSize 500 (~1.2 MB of assessments) fits the broker's default 1 MB max.message.bytes.

  if (args.only.has('throughput')) {
    // A freshly started broker (JIT, page cache) made the first pipe run up to 2× slower than later
    // ones: one unrecorded pass over the input warms it up first.
    await tp('warm-up', 'pipe', 1);
    result.throughput.pipe = await tp('pipe', 'pipe', 1);
    result.throughput.processor = await tp('processor', 'processor', 1);
    const { pipe, processor } = result.throughput;
    if (pipe && processor && pipe.steadyRatePerSec > 0) result.throughput.ratio = Math.round((processor.steadyRatePerSec / pipe.steadyRatePerSec) * 100) / 100;
    if (processor) result.settings.outputRecordBytes = processor.outputAvgBytes;
    if (!args.quick)
      result.throughput.processorNoShedding = await tp('processor-noshed', 'processor', 1, { extraEnv: { LENDGUARD_LATENCY_BUDGET_MS: '600000' } });
  }
  if (args.only.has('concurrency') && !args.quick) {
    // The default (3) is measured above; one partition at a time and all six, for both.
    result.throughput.concurrentPartitions = [];
    for (const n of [1, 6]) {
      const extraEnv = { LENDGUARD_PARTITIONS_CONCURRENTLY: String(n) };
      const pipe = await tp(`pipe-cc${n}`, 'pipe', 1, { extraEnv });
      const processor = await tp(`processor-cc${n}`, 'processor', 1, { extraEnv });
      result.throughput.concurrentPartitions.push({ partitions: n, ...(pipe ? { pipe } : {}), ...(processor ? { processor } : {}) });
    }
  }
  if (args.only.has('scaling')) {
    const one = result.throughput.processor ?? (await tp('scale-1', 'processor', 1));
    if (one) result.scaling.push(one);
    for (const n of args.quick ? [2] : [2, 3]) {
      const r = await tp(`scale-${n}`, 'processor', n);
      if (r) result.scaling.push(r);
    }
  }
  if (args.only.has('batch') && !args.quick) {
    for (const size of [50, 200, 500]) {
      const t = size === batch && result.throughput.processor ? result.throughput.processor : await tp(`batch-${size}`, 'processor', 1, { maxBatchSize: size });
      result.batchSizes.push({ maxBatchSize: size, ...(t ? { throughput: t } : {}) });
    }
  }
  if (args.only.has('profile')) {
    const dir = profileDir(resultsDir, stamp);
    const r = await tp('profile', 'processor', 1, { cpuProfDir: dir });
    if (r?.profile) {
      result.profile = { run: r, summary: r.profile };
      const top = r.profile.topSelf
        .slice(0, 5)
        .map((f) => `${f.name} ${f.pct.toFixed(1)} %`)
        .join(', ');
      log(`  profile: ${r.profileFile}; top self: ${top}`);
    }
  }

  if (args.only.has('latency')) {
    const procMax = result.throughput.processor?.steadyRatePerSec;
    const pipeMax = result.throughput.pipe?.steadyRatePerSec;
    const rates: { rate: number; why: string }[] = P.fixedRates.map((rate) => ({ rate, why: 'fixed' }));
    if (procMax && Number.isFinite(procMax)) rates.push({ rate: Math.round((0.8 * procMax) / 10) * 10, why: '80 % of processor max' });
    else
      result.notes.push('No processor maximum was measured in this run (throughput section skipped or failed), so the 80 %-of-max latency point is missing.');
    rates.sort((a, b) => a.rate - b.rate);
    const lat = (label: string, kind: 'pipe' | 'processor', rate: number, maxBatchSize = batch): Promise<LatencyResult | undefined> => {
      return step(result, `latency: ${kind} at ${rate}/s (maxBatchSize ${maxBatchSize})`, () =>
        latency(ctx, { label, kind, rate, warmupMs: P.warmupMs, measureMs: P.measureMs, maxBatchSize }),
      );
    };
    for (const { rate, why } of rates) {
      const row: SuiteResult['latency'][number] = { rate, why };
      if (pipeMax && rate > pipeMax) row.skipped = `above the pipe's measured max (${Math.round(pipeMax)}/s)`;
      else {
        const p = await lat(`lat-pipe-${rate}`, 'pipe', rate);
        if (p) row.pipe = p;
      }
      if (procMax && rate > procMax) {
        row.skipped = `above the processor's measured max (${Math.round(procMax)}/s): the backlog would grow without bound`;
        log(`latency: processor at ${rate}/s skipped (${row.skipped})`);
      } else {
        const p = await lat(`lat-proc-${rate}`, 'processor', rate);
        if (p) row.processor = p;
        if (procMax && rate > 0.9 * procMax)
          result.notes.push(
            `Latency at ${rate}/s: that is ${Math.round((100 * rate) / procMax)} % of the processor's measured maximum, where any hiccup builds a backlog that drains slowly.`,
          );
      }
      result.latency.push(row);
    }
    if (P.batchLatency && args.only.has('batch')) {
      // Latency vs batch size at one moderate rate every batch size can sustain.
      const tradeRate = Math.min(2000, Math.round(((procMax ?? 2000) * 0.5) / 100) * 100);
      for (const b of result.batchSizes) {
        const reuse = b.maxBatchSize === batch ? result.latency.find((l) => l.rate === tradeRate)?.processor : undefined;
        const l = reuse ?? (await lat(`lat-batch-${b.maxBatchSize}`, 'processor', tradeRate, b.maxBatchSize));
        if (l) b.latency = l;
      }
    }
  }

  if (args.only.has('memory')) {
    const m = await step(result, `memory: one processor, ${P.memory.toLocaleString('en-US')} applications`, () =>
      memory(ctx, { applications: P.memory, maxBatchSize: batch, maxSeconds: P.memoryMaxSeconds }),
    );
    if (m) {
      result.memory = m;
      if (m.timeCapped) {
        result.notes.push(
          `Memory: the run is capped at ${P.memoryMaxSeconds / 60} min to keep the suite bounded; it reached ${m.applications.toLocaleString('en-US')} of ${m.target.toLocaleString('en-US')} applications. ` +
            `Growth over its second half: RSS +${m.rssMiBPer100k} MiB and heap +${m.heapMiBPer100k} MiB per 100k applications; ` +
            `straight-line to ${m.target.toLocaleString('en-US')}: RSS ≈ ${Math.round(m.rssMiB + ((m.target - m.applications) / 100_000) * m.rssMiBPer100k).toLocaleString('en-US')} MiB, heap ≈ ${Math.round(m.heapUsedMiB + ((m.target - m.applications) / 100_000) * m.heapMiBPer100k).toLocaleString('en-US')} MiB (Node's default heap limit on this machine is about 4 GiB).`,
        );
      }
    }
  }

  if (input) await run.dropTopics([input.topic]).catch(() => undefined);
  result.durationSeconds = Math.round((Date.now() - started) / 1000);
  addNotes(result);
  const md = renderMarkdown(result);
  const base = args.quick ? 'latest-quick' : 'latest';
  record(base, result, md);
  const dated = `${stamp}${args.quick ? '-quick' : ''}`;
  copyFileSync(join(resultsDir, `${base}.json`), join(resultsDir, `${dated}.json`));
  copyFileSync(join(resultsDir, `${base}.md`), join(resultsDir, `${dated}.md`));
  if (!args.quick && args.only.size === SECTIONS.length && updateDocs(md)) log('updated the results section of docs/benchmarks.md');
  log(`wrote bench/results/${base}.{json,md} and bench/results/${dated}.{json,md}`);
  process.stdout.write(`\n${md}\n`);
  if (result.errors.length > 0) process.exitCode = 1;
}

function stampOf(iso: string): string {
  return `${iso.slice(0, 16).replace(':', '')}Z`;
}

function addNotes(r: SuiteResult): void {
  const t = r.throughput;
  if (t.processor?.processor && t.processor.processor.degraded > 0) {
    r.notes.push(
      `While draining the pre-loaded backlog every record is older than the ${r.settings.latencyBudgetMs} ms latency budget, so the processor sheds optional work ` +
        `(${t.processor.processor.degraded.toLocaleString('en-US')} of ${t.processor.processor.assessed.toLocaleString('en-US')} assessments degraded). ` +
        `The "shedding off" row is the same run with a 10-minute budget: full work.`,
    );
  }
  if (r.scaling.length > 1) {
    r.notes.push(
      'Scaling: every instance is a separate Node process on the same 2 cores as the broker and Redis; the instances join the group one after the other (group.initial.rebalance.delay.ms=0 on the test broker), so the first→last figure includes start-up rebalances, the steady figure mostly does not.',
    );
  }
  for (const l of r.latency) if (l.skipped) r.notes.push(`Latency at ${l.rate}/s: ${l.skipped}.`);
}

try {
  await main();
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(hardStop);
}
// kafkajs and ioredis may keep sockets open for a moment; the suite is done.
setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
