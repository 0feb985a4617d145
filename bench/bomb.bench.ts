/**
 * Graph bomb: 10,000 bought identities chained through shared contacts and addresses within an hour, mixed into
 * normal (realistic) traffic, through the real in-process pipeline (memory state, identity graph, default rules).
 * The same normal traffic runs without the bomb first, in the same process, so the two rates sit side by side:
 *
 * - the rate of the normal applications (applications/s of pipeline time spent on them) with and without the
 *   bomb, and their graph work (member entries read) p99 / max;
 * - the bomb: how many of its applications are flagged (GRAPH_BURST or RING_MEMBER), into how many rings, with
 *   which reason.
 *
 *   npx tsx bench/bomb.bench.ts [normal=50000] [bomb=10000] [seed=5]
 *
 * Writes bench/results/bomb.{json,md}.
 */
import type { Assessment } from '../src/domain/assessment.js';
import { generateTraffic, type GeneratedApplication } from '../src/generate/index.js';
import { processBatch, type InputRecord } from '../src/pipeline/process-batch.js';
import { inProcessDeps } from './in-process.js';
import { machine, record, summarise } from './lib.js';

const NORMAL = Number(process.argv[2] ?? 50_000);
const BOMB = Number(process.argv[3] ?? 10_000);
const SEED = process.argv[4] ?? '5';
const SPAN_MS = 24 * 3600_000;

interface Run {
  normalPerSecond: number;
  normalWork: ReturnType<typeof summarise>;
  bomb: { applications: number; flagged: number; rings: number; ringIds: string[]; largestRing: number; reasons: string[] };
  normalFlaggedRing: number;
  seconds: number;
}

async function run(traffic: readonly GeneratedApplication[]): Promise<Run> {
  const deps = inProcessDeps('bomb');
  const graph = deps.graph;
  const isBomb = new Set(traffic.filter((a) => a._truth.pattern === 'graph-bomb').map((a) => a.applicationId));
  let normalMs = 0;
  let normalCount = 0;
  const work: number[] = [];
  const assessments: Assessment[] = [];
  const t0 = performance.now();
  // Batches of one kind, so the time of the normal applications is measured apart from the bomb's.
  let i = 0;
  while (i < traffic.length) {
    const bomb = isBomb.has((traffic[i] as GeneratedApplication).applicationId);
    let j = i;
    while (j < traffic.length && j - i < 200 && isBomb.has((traffic[j] as GeneratedApplication).applicationId) === bomb) j++;
    const records: InputRecord[] = traffic.slice(i, j).map((a, k) => ({
      key: a.applicationId,
      value: Buffer.from(JSON.stringify(a)),
      source: { topic: 't', partition: 0, offset: String(i + k), timestampMs: Date.parse(a.eventTime) },
    }));
    const before = graph.work.scanned;
    const t = performance.now();
    const result = await processBatch(records, deps);
    graph.acknowledge(result.reportedRings);
    if (!bomb) {
      normalMs += performance.now() - t;
      normalCount += records.length;
      work.push((graph.work.scanned - before) / records.length);
    }
    assessments.push(...result.assessments);
    i = j;
  }
  const seconds = (performance.now() - t0) / 1000;
  const bombAssessed = assessments.filter((a) => isBomb.has(a.applicationId));
  const flagged = bombAssessed.filter((a) => a.flags.some((f) => f.code === 'GRAPH_BURST' || f.code === 'RING_MEMBER'));
  const ringIds = [...new Set(flagged.map((a) => a.ring?.id ?? '?'))];
  const sizes = ringIds.map((id) => graph.ring(id, 1)?.size ?? 0);
  const reasons = [
    ...new Set(flagged.slice(-1).flatMap((a) => a.flags.filter((f) => f.code === 'GRAPH_BURST' || f.code === 'RING_MEMBER').map((f) => f.reason))),
  ];
  const normalFlaggedRing = assessments.filter(
    (a) => !isBomb.has(a.applicationId) && traffic.length > 0 && a.flags.some((f) => f.code === 'GRAPH_BURST'),
  ).length;
  return {
    normalPerSecond: normalCount / (normalMs / 1000),
    normalWork: summarise(work),
    bomb: {
      applications: bombAssessed.length,
      flagged: flagged.length,
      rings: ringIds.length,
      ringIds: ringIds.slice(0, 5),
      largestRing: Math.max(0, ...sizes),
      reasons,
    },
    normalFlaggedRing,
    seconds,
  };
}

async function main(): Promise<void> {
  const base = { seed: SEED, count: NORMAL, spanMs: SPAN_MS, profile: 'realistic', attackShare: 0.05 } as Parameters<typeof generateTraffic>[0];
  const plain = [...generateTraffic(base)];
  const mixed = [...generateTraffic({ ...base, bomb: { count: BOMB, durationMs: 3_600_000 } })];
  await run(plain.slice(0, 5000)); // warm the JIT, so neither measured run pays for it
  const without = await run(plain);
  const withBomb = await run(mixed);
  const ratio = withBomb.normalPerSecond / without.normalPerSecond;
  const result = {
    when: new Date().toISOString(),
    machine: machine(),
    settings: { normal: NORMAL, bomb: BOMB, seed: SEED, spanHours: 24 },
    without,
    withBomb,
    normalRateRatio: ratio,
  };
  const m = result.machine;
  const b = withBomb.bomb;
  const md = `# Graph bomb (${result.when.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}. \`npx tsx bench/bomb.bench.ts ${NORMAL} ${BOMB} ${SEED}\`: ${NORMAL.toLocaleString('en')} realistic applications over 24 h, then the same with a bomb of ${BOMB.toLocaleString('en')} bought identities chained through shared addresses and contacts within 1 h (generateGraphBomb), through the in-process pipeline (memory state, default rules).

| | normal applications/s (pipeline time) | normal graph work per application p99 / max (entries) |
|---|---|---|
| without the bomb | ${Math.round(without.normalPerSecond).toLocaleString('en')} | ${without.normalWork.p99.toFixed(0)} / ${without.normalWork.max.toFixed(0)} |
| with the bomb | ${Math.round(withBomb.normalPerSecond).toLocaleString('en')} | ${withBomb.normalWork.p99.toFixed(0)} / ${withBomb.normalWork.max.toFixed(0)} |

- Normal traffic's rate with the bomb: **${(ratio * 100).toFixed(0)} %** of the rate without (target ≥ 50 %).
- The bomb: ${b.flagged.toLocaleString('en')} of ${b.applications.toLocaleString('en')} applications flagged, in ${b.rings} ring(s) (largest ${b.largestRing.toLocaleString('en')}). Reason: "${b.reasons[0] ?? '–'}".
- Normal applications flagged GRAPH_BURST: ${withBomb.normalFlaggedRing} with the bomb, ${without.normalFlaggedRing} without.
`;
  console.log(md);
  record('bomb', result, md);
}

await main();
