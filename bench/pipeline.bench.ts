/**
 * Cost per application of the processing stages (decode+validate, pseudonymise, enrich, state,
 * rules) and of the whole in-process pipeline, with Redis state and in-memory state side by side
 * in one run. No Kafka here: this isolates our work from the Kafka I/O.
 *
 *   npx tsx bench/pipeline.bench.ts [applications=20000] [batch=200]
 *
 * Needs Redis on 127.0.0.1:6379 (bash scripts/services.sh up). Writes bench/results/pipeline.{json,md}.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Application } from '../src/domain/application.js';
import { createGeoProvider, DeviceParser, enrich, loadIpListFiles, NO_IP_LISTS, type EnrichContext } from '../src/enrich/index.js';
import { countersFor, DEFAULT_VELOCITY } from '../src/features/velocity.js';
import { createPseudonymiser, pseudonymiseApplication } from '../src/boundary/pseudonymise.js';
import { decodeApplication } from '../src/boundary/validate.js';
import { featuresFor } from '../src/pipeline/assess.js';
import type { StateStore } from '../src/pipeline/ports.js';
import { processBatch, type InputRecord, type PipelineDeps } from '../src/pipeline/process-batch.js';
import { systemClock } from '../src/platform/clock.js';
import { evaluate } from '../src/rules/engine.js';
import { KNOWN_FEATURES } from '../src/rules/features.js';
import { loadRuleSetFile } from '../src/rules/file.js';
import { createKeyBuilder } from '../src/state/keys.js';
import { createMemoryStateStore } from '../src/state/memory-state-store.js';
import { createRedisStateStore } from '../src/state/redis-state-store.js';
import { application } from '../test/helpers/traffic.js';
import { decide } from '../src/pipeline/model-stage.js';
import { compileModel, type CompiledModel } from '../src/model/scorecard.js';
import type { ModelFile } from '../src/model/file.js';
import type { Features } from '../src/rules/rule.js';
import { machine, record, summarise } from './lib.js';

const N = Number(process.argv[2] ?? 20_000);
const BATCH = Number(process.argv[3] ?? 200);
const listsDir = new URL('../../shared/data/iplists/', import.meta.url);

// A mix: mostly distinct applicants, some devices and IPs reused (so windows and rules have work).
const inputs: Buffer[] = Array.from({ length: N }, (_, i) =>
  Buffer.from(
    JSON.stringify(
      application('bench', i, (a) => {
        if (i % 10 === 0) a.device.deviceId = `shared-${i % 97}`;
        if (i % 7 === 0) a.network.ip = `43.136.${i % 200}.5`;
      }),
    ),
  ),
);

const lists = existsSync(fileURLToPath(listsDir))
  ? loadIpListFiles([{ name: 'dc', kind: 'datacenter', files: [fileURLToPath(new URL('datacenter-ipv4.txt', listsDir))] }]).matcher
  : NO_IP_LISTS;
const ctx: EnrichContext = { geo: createGeoProvider('dbip'), lists, ua: new DeviceParser(50_000) };
const ruleSet = loadRuleSetFile(fileURLToPath(new URL('../config/rules.yaml', import.meta.url)), { knownFeatures: KNOWN_FEATURES });
const pseudonymise = createPseudonymiser('bench-key-0123456789abcdef');

function stage<T>(label: string, items: readonly T[], fn: (x: T) => unknown): number {
  for (const x of items.slice(0, 2000)) fn(x); // warm-up
  const t0 = performance.now();
  for (const x of items) fn(x);
  const us = ((performance.now() - t0) * 1000) / items.length;
  console.log(`${label.padEnd(28)} ${us.toFixed(2).padStart(8)} µs/app`);
  return us;
}

/** A tree of `depth` over random features: each split sends half the bins left. */
function benchTree(features: ModelFile['features'], depth: number, seed: number): NonNullable<ModelFile['boost']>['trees'][number] {
  const nodes: NonNullable<ModelFile['boost']>['trees'][number]['nodes'] = [];
  let k = seed;
  const grow = (d: number): void => {
    const self = nodes.push({ value: ((k % 7) - 3) / 30 }) - 1;
    if (d === 0) return;
    const f = features[(k = (k * 31 + 7) % 9973) % features.length] as ModelFile['features'][number];
    const yes = nodes.length;
    grow(d - 1);
    const no = nodes.length;
    grow(d - 1);
    nodes[self] = { value: nodes[self]?.value as number, split: { feature: f.name, left: f.bins.map((_, i) => i).filter((i) => i % 2 === 0), yes, no } };
  };
  grow(depth);
  return { nodes };
}

/**
 * A model the size `lendguard train` writes: `count` features (8 bins, numeric and categorical, flags included)
 * over the features these applications have, and `trees` boosted trees of depth 3 (0: the scorecard alone). The
 * model stage's cost depends on the features, bins and trees, not the weights.
 */
function benchModel(names: readonly string[], version: string, count: number, trees: number): CompiledModel {
  const bin = (label: string, i: number) => ({ label, woe: (i - 3.5) / 3, points: (i - 3.5) * 5, share: 1 / 8 });
  const features = names.slice(0, count).map((name, j): ModelFile['features'][number] =>
    j % 4 === 3
      ? {
          name,
          kind: 'categorical',
          coefficient: 0.3,
          missing: bin('missing', 0),
          other: bin('other', 7),
          bins: Array.from({ length: 6 }, (_, i) => ({ ...bin(`v${i}`, i), values: [`v${i}`, String(i)] })),
        }
      : {
          name,
          kind: 'numeric',
          coefficient: 0.3,
          missing: bin('missing', 0),
          bins: Array.from({ length: 8 }, (_, i) => ({ ...bin(`≤ ${i}`, i), upper: i === 7 ? null : i })),
        },
  );
  const file: ModelFile = {
    format: 'lendguard.model.v1',
    kind: 'scorecard',
    version,
    createdAt: '2026-12-02T00:00:00Z',
    intercept: -3,
    pointsPerDoubling: 20,
    calibration: { a: 1, b: 0 },
    thresholds: { medium: 0.1, high: 0.5, critical: 0.9 },
    psiThreshold: 0.25,
    explain: 5,
    features,
    ...(trees > 0 ? { boost: { learningRate: 0.05, trees: Array.from({ length: trees }, (_, t) => benchTree(features, 3, t + 1)) } } : {}),
  };
  return compileModel(file);
}

/**
 * Per-call latency of the model stage (µs): p50, p99, max, over every application, after a warm-up. Three passes:
 * the figures are the pass with the median p99 (a 2-core box shared with Redis has pauses that are not ours), and
 * every pass's p99 is kept.
 */
function modelStage(
  label: string,
  features: readonly Features[],
  run: (f: Features) => unknown,
): { p50: number; p99: number; max: number; mean: number; p99s: number[] } {
  for (const f of features.slice(0, 2000)) run(f);
  const pass = () => {
    const us: number[] = [];
    for (const f of features) {
      const t0 = process.hrtime.bigint();
      run(f);
      us.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    us.sort((a, b) => a - b);
    const at = (q: number): number => us[Math.min(us.length - 1, Math.floor(q * us.length))] as number;
    return { p50: at(0.5), p99: at(0.99), max: us[us.length - 1] as number, mean: us.reduce((a, b) => a + b, 0) / us.length };
  };
  const passes = [pass(), pass(), pass()].sort((a, b) => a.p99 - b.p99);
  const r = { ...(passes[1] as ReturnType<typeof pass>), p99s: passes.map((p) => p.p99) };
  console.log(
    `${label.padEnd(28)} p50 ${r.p50.toFixed(2)} µs, p99 ${r.p99.toFixed(2)} µs (passes ${r.p99s.map((p) => p.toFixed(1)).join(', ')}), mean ${r.mean.toFixed(2)} µs`,
  );
  return r;
}

async function pipeline(label: string, store: StateStore): Promise<{ usPerApp: number; batchMs: ReturnType<typeof summarise> }> {
  const deps: PipelineDeps = {
    assess: { ruleSet: () => ruleSet, alertLevel: 'high', budgetMs: 100 },
    velocitySpecs: DEFAULT_VELOCITY,
    store,
    pseudonymise,
    enrich: (app) => enrich(app, ctx),
    travel: { maxSpeedKmh: 900 },
    clock: systemClock,
    maxRecordBytes: 65536,
    topics: { assessments: 'a', alerts: 'b', dlq: 'c' },
    processorId: 'bench',
  };
  const records: InputRecord[] = inputs.map((value, i) => ({
    key: null,
    value,
    source: { topic: 't', partition: 0, offset: String(i), timestampMs: Date.now() },
  }));
  const batchMs: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < records.length; i += BATCH) {
    const b0 = performance.now();
    await processBatch(records.slice(i, i + BATCH), deps);
    batchMs.push(performance.now() - b0);
  }
  const usPerApp = ((performance.now() - t0) * 1000) / records.length;
  const s = summarise(batchMs);
  console.log(`${label.padEnd(28)} ${usPerApp.toFixed(2).padStart(8)} µs/app  (batch of ${BATCH}: p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms)`);
  return { usPerApp, batchMs: s };
}

async function main(): Promise<void> {
  console.log(`${N} applications, batches of ${BATCH}, ${lists === NO_IP_LISTS ? 'no IP lists' : 'X4BNet data-centre list loaded'}\n`);
  const raws = inputs.map((b) => decodeApplication(b, { maxRecordBytes: 65536 }));
  const apps: Application[] = raws.map((r) => pseudonymiseApplication(r, pseudonymise));
  const enriched = apps.map((a) => enrich(a, ctx));
  const stages = {
    decodeValidate: stage('decode + validate', inputs, (b) => decodeApplication(b, { maxRecordBytes: 65536 })),
    pseudonymise: stage('pseudonymise (9 HMACs)', raws, (r) => pseudonymiseApplication(r, pseudonymise)),
    enrich: stage('enrich (geo, lists, UA, geo)', apps, (a) => enrich(a, ctx)),
    counters: stage('counter updates', apps, (a) => countersFor(a, DEFAULT_VELOCITY)),
    rules: stage(
      `rules (${ruleSet.rules.length} CEL rules)`,
      apps.map((a, i) => featuresFor(a, enriched[i] ?? {}, {})),
      (f) => evaluate(ruleSet, f),
    ),
  };
  const featureSets = apps.map((a, i) => featuresFor(a, enriched[i] ?? {}, {}));
  const names = [...new Set(featureSets.flatMap((f) => Object.keys(f)))].filter((k) => !k.endsWith('.masked'));
  const flagNames = ruleSet.rules.slice(0, 20).map((r) => `flag.${r.id}`);
  // The boosted model reads every rule's flag too, as a trained one does (111 features on the realistic generator).
  const allFlags = ruleSet.rules.map((r) => `flag.${r.id}`);
  const scorecard = benchModel([...flagNames, ...names], 'bench-a', 60, 0);
  const active = benchModel([...allFlags, ...names], 'bench-b', 150, 300);
  const candidate = benchModel([...names, ...allFlags], 'bench-c', 150, 300);
  const decided = featureSets.map((f) => ({ f, rules: evaluate(ruleSet, f) }));
  const byFeatures = new Map(decided.map((d) => [d.f, d.rules]));
  const opts = { alertLevel: 'high' as const, skipTags: [] };
  const model = {
    scorecardFeatures: scorecard.features.length,
    features: active.features.length,
    trees: active.file.boost?.trees.length ?? 0,
    scorecardOnly: modelStage(`model stage (${scorecard.features.length} features)`, featureSets, (f) =>
      decide({ model: () => scorecard }, ruleSet, f, byFeatures.get(f) as never, opts),
    ),
    modelOnly: modelStage(`model stage (${active.features.length} features, 300 trees)`, featureSets, (f) =>
      decide({ model: () => active }, ruleSet, f, byFeatures.get(f) as never, opts),
    ),
    withShadow: modelStage('model stage + shadow model', featureSets, (f) =>
      decide({ model: () => active, shadow: () => ({ model: candidate }) }, ruleSet, f, byFeatures.get(f) as never, opts),
    ),
  };
  console.log('');
  const redis = new Redis('redis://127.0.0.1:6379');
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const withRedis = await pipeline('whole pipeline, Redis state', createRedisStateStore(redis, createKeyBuilder(prefix), { sightingTtlMs: 3600_000 }));
  const withMemory = await pipeline('whole pipeline, memory state', createMemoryStateStore());
  const keys = await redis.keys(`${prefix}*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  await redis.quit();
  const result = {
    when: new Date().toISOString(),
    machine: machine(),
    settings: { applications: N, batch: BATCH, ipLists: lists !== NO_IP_LISTS },
    stagesUsPerApp: stages,
    model,
    withRedis,
    withMemory,
  };
  const md = [
    `# Pipeline stage cost (${result.when.slice(0, 10)})`,
    '',
    `Machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memGiB} GiB, Node ${result.machine.node}. ${N} applications, batches of ${BATCH}.`,
    '',
    '| stage | µs per application |',
    '|---|---|',
    ...Object.entries(stages).map(([k, v]) => `| ${k} | ${v.toFixed(1)} |`),
    `| **whole pipeline, Redis state** | **${withRedis.usPerApp.toFixed(1)}** (batch p50 ${withRedis.batchMs.p50.toFixed(1)} ms, p99 ${withRedis.batchMs.p99.toFixed(1)} ms) |`,
    `| whole pipeline, memory state | ${withMemory.usPerApp.toFixed(1)} (batch p50 ${withMemory.batchMs.p50.toFixed(1)} ms, p99 ${withMemory.batchMs.p99.toFixed(1)} ms) |`,
    '',
    `Model stage (src/pipeline/model-stage.ts: scoring, explanation; per call, features of 8 bins, trees of depth 3; target p99 ≤ 50 µs, issue 15):`,
    '',
    '| model | p50 µs | p99 µs (median pass) | p99 of the 3 passes | mean µs |',
    '|---|---:|---:|---|---:|',
    ...(
      [
        [`scorecard, ${model.scorecardFeatures} features`, model.scorecardOnly],
        [`boosted: ${model.features} features, ${model.trees} trees`, model.modelOnly],
        ['boosted, with a boosted shadow model', model.withShadow],
      ] as const
    ).map(([what, m]) => `| ${what} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${m.p99s.map((p) => p.toFixed(1)).join(', ')} | ${m.mean.toFixed(2)} |`),
    '',
  ].join('\n');
  record('pipeline', result, md);
  console.log(`\n${md}`);
}

await main();
