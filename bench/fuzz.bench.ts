/**
 * The fuzz profile at scale: N hostile records (test/helpers/hostile.ts: random bytes, random JSON, valid
 * applications with hostile fields) through the in-process pipeline (memory state, identity graph, default
 * rules) in batches of 20. Every record must end as exactly one assessment or one dead letter; the heap is
 * sampled as it goes.
 *
 *   node --expose-gc --import tsx bench/fuzz.bench.ts [records=1000000] [seed=1]
 *
 * Writes bench/results/fuzz.{json,md}.
 */
import fc from 'fast-check';
import { FUZZ_NOW, hostileRecord } from '../test/helpers/hostile.js';
import { processBatch, type InputRecord } from '../src/pipeline/process-batch.js';
import { fixedClock } from '../src/platform/clock.js';
import { inProcessDeps } from './in-process.js';
import { machine, record } from './lib.js';

const N = Number(process.argv[2] ?? 1_000_000);
const SEED = Number(process.argv[3] ?? 1);
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

async function main(): Promise<void> {
  const deps = { ...inProcessDeps('fuzz'), clock: fixedClock(FUZZ_NOW) };
  const counts = { records: 0, assessed: 0, deadLettered: 0, violations: 0 };
  const byCode = new Map<string, number>();
  const heap: { records: number; heapMiB: number }[] = [];
  const started = performance.now();
  let round = 0;
  while (counts.records < N) {
    const batches = fc.sample(fc.array(hostileRecord, { minLength: 1, maxLength: 20 }), { numRuns: 500, seed: SEED * 100_003 + round++ });
    for (const values of batches) {
      const records: InputRecord[] = values.map((value, k) => ({
        key: `k${counts.records + k}`,
        value,
        source: { topic: 'in', partition: 0, offset: String(counts.records + k), timestampMs: FUZZ_NOW },
      }));
      const result = await processBatch(records, deps);
      deps.graph.acknowledge(result.reportedRings);
      const outcome = new Map<string, number>();
      for (const a of result.assessments) outcome.set(a.source.offset, (outcome.get(a.source.offset) ?? 0) + 1);
      for (const x of result.deadLettered) {
        outcome.set(x.source.offset, (outcome.get(x.source.offset) ?? 0) + 1);
        byCode.set(x.code, (byCode.get(x.code) ?? 0) + 1);
      }
      for (const r of records) if (outcome.get(r.source.offset) !== 1) counts.violations++;
      counts.records += records.length;
      counts.assessed += result.assessments.length;
      counts.deadLettered += result.deadLettered.length;
    }
    if (round % 20 === 0) {
      gc();
      heap.push({ records: counts.records, heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) });
      console.log(`  ${counts.records.toLocaleString('en')} records, heap ${heap.at(-1)?.heapMiB} MiB`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const result = {
    when: new Date().toISOString(),
    machine: machine(),
    settings: { records: N, seed: SEED },
    counts,
    byCode: Object.fromEntries(byCode),
    heap,
    seconds,
  };
  const md = `# Fuzz profile (${result.when.slice(0, 10)})

\`node --expose-gc --import tsx bench/fuzz.bench.ts ${N} ${SEED}\` on ${result.machine.cpu}, ${result.machine.cores} cores: ${counts.records.toLocaleString('en')} hostile records in batches of 1–20 through the in-process pipeline in ${seconds.toFixed(0)} s.

| records | assessed | dead-lettered | records without exactly one outcome | heap first / last sample |
|---|---|---|---|---|
| ${counts.records.toLocaleString('en')} | ${counts.assessed.toLocaleString('en')} | ${counts.deadLettered.toLocaleString('en')} | **${counts.violations}** | ${heap[0]?.heapMiB ?? '–'} / ${heap.at(-1)?.heapMiB ?? '–'} MiB |

Dead letters by code: ${[...byCode]
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n.toLocaleString('en')}`)
    .join(', ')}.
(The heap grows with the identity graph and the in-memory windows of the assessed applications; nothing else is kept.)
`;
  console.log(md);
  record('fuzz', result, md);
  if (counts.violations > 0) process.exitCode = 1;
}

await main();
