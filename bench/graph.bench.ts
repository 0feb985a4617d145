/**
 * Identity graph cost on generated traffic (the realistic profile: families, offices, carrier NAT, popular
 * contacts and a giant contact component, with camouflaged attacks), through the same GraphService the
 * processor runs, one application at a time:
 *
 * - graph work per application (µs, and member entries read) per tenth of the run, p50 / p99 / max;
 * - p99 at the first checkpoint against p99 at the last (flat is the goal), and the rate of the last tenth
 *   against the first;
 * - heap and RSS after GC, bytes per application;
 * - eviction of the oldest tenth in slices (the longest slice blocks the event loop);
 * - a rebuild from the link records (what a restart replays), in process.
 *
 *   node --expose-gc --max-old-space-size=4096 --import tsx bench/graph.bench.ts [applications=1000000] [checkpoint=100000] [profile=realistic]
 *
 * Writes bench/results/graph.{json,md}.
 */
import { generateTraffic } from '../src/generate/index.js';
import { GraphService } from '../src/graph/graph-service.js';
import { encodeLinkRecord, parseLinkRecord } from '../src/graph/link-record.js';
import type { GraphLink } from '../src/graph/links.js';
import type { RingState } from '../src/graph/ring-events.js';
import { createPseudonymiser, pseudonymiseApplication } from '../src/boundary/pseudonymise.js';
import { loadConfig } from '../src/platform/config.js';
import { machine, record, summarise } from './lib.js';

const N = Number(process.argv[2] ?? 1_000_000);
const CHECKPOINT = Number(process.argv[3] ?? 100_000);
const PROFILE = (process.argv[4] ?? 'realistic') as 'realistic' | 'simple';
const SPAN_MS = 30 * 86_400_000;
const START = Date.UTC(2026, 5, 1);
const gc =
  (globalThis as { gc?: () => void }).gc ??
  ((): void => {
    throw new Error('run with node --expose-gc');
  });
const settings = loadConfig({ env: {} }).graph;
const pseudonymise = createPseudonymiser('bench-graph-key-0123456789abcdef');
const fmt = (x: number, d = 1): string => x.toFixed(d);
const mib = (b: number): number => b / 2 ** 20;

interface Tenth {
  from: number;
  us: ReturnType<typeof summarise>;
  scanned: ReturnType<typeof summarise>;
  appsPerSecond: number;
}

function main(): void {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const graph = new GraphService(settings);
  // Link records as Buffers (outside the JS heap), for the rebuild; their bytes are taken off the RSS figure.
  const records: Buffer[] = [];
  let recordBytes = 0;
  const tenth = Math.ceil(N / 10);
  const tenths: Tenth[] = [];
  const checkpoints: Record<string, ReturnType<typeof summarise>> = {};
  let us: number[] = [];
  let scanned: number[] = [];
  let window: number[] = [];
  let graphMs = 0;
  let i = 0;
  let rings = 0;
  const started = performance.now();
  for (const generated of generateTraffic({ seed: 'graph-bench', count: N, startMs: START, spanMs: SPAN_MS, profile: PROFILE, attackShare: 0.05 })) {
    const { _truth: _t, ...raw } = generated;
    const app = pseudonymiseApplication(raw, pseudonymise);
    const pending = new Map<string, RingState>();
    const t0 = performance.now();
    const seen = graph.observe(app, true, pending);
    graph.acknowledge(pending);
    const dt = performance.now() - t0;
    graphMs += dt;
    us.push(dt * 1000);
    scanned.push(seen.work);
    window.push(dt * 1000);
    if (seen.events.some((e) => e.type === 'formed')) rings++;
    const rec = Buffer.from(encodeLinkRecord(app.applicationId, seen.links));
    recordBytes += rec.length;
    records.push(rec);
    i++;
    if (i === CHECKPOINT || i === N) {
      checkpoints[String(i)] = summarise(window.slice(-Math.min(window.length, 10_000)));
      window = [];
    }
    if (i % tenth === 0 || i === N) {
      tenths.push({ from: i - us.length, us: summarise(us), scanned: summarise(scanned), appsPerSecond: us.length / (us.reduce((a, b) => a + b, 0) / 1e6) });
      console.log(
        `  ${i.toLocaleString('en')} applications, ${fmt((performance.now() - started) / 1000)} s; graph p99 ${fmt(tenths.at(-1)?.us.p99 ?? 0)} µs, scanned p99 ${tenths.at(-1)?.scanned.p99}`,
      );
      us = [];
      scanned = [];
    }
  }
  gc();
  const mem = process.memoryUsage();
  const stats = graph.stats();

  // Eviction of the oldest tenth of event time, in the slices the replica uses.
  const slices: number[] = [];
  let evicted = 0;
  for (let more = true; more;) {
    const t = performance.now();
    const r = graph.evictOlderThan(START + SPAN_MS / 10, 5000);
    slices.push(performance.now() - t);
    evicted += r.apps;
    more = r.more;
  }

  // A restart: a new replica from the link records.
  const rebuilt = new GraphService(settings);
  const t1 = performance.now();
  for (let k = 0; k < records.length; k += 500) {
    const batch: GraphLink[] = [];
    for (const value of records.slice(k, k + 500)) batch.push(...(parseLinkRecord(value) as GraphLink[]));
    rebuilt.replicate(batch);
  }
  const rebuildS = (performance.now() - t1) / 1000;

  const first = tenths[0] as Tenth;
  const last = tenths[tenths.length - 1] as Tenth;
  const cps = Object.entries(checkpoints);
  const result = {
    when: new Date().toISOString(),
    machine: machine(),
    settings: { applications: N, checkpoint: CHECKPOINT, profile: PROFILE, spanDays: SPAN_MS / 86_400_000, graph: settings },
    tenths,
    checkpoints,
    p99Ratio: (cps[cps.length - 1]?.[1].p99 ?? 0) / (cps[0]?.[1].p99 ?? 1),
    rateRatio: last.appsPerSecond / first.appsPerSecond,
    graphSecondsTotal: graphMs / 1000,
    heapUsedMiB: mib(mem.heapUsed),
    arrayBuffersMiB: mib(mem.arrayBuffers),
    rssMiB: mib(mem.rss),
    recordsMiB: mib(recordBytes),
    rssWithoutRecordsMiB: mib(mem.rss - recordBytes),
    bytesPerApp: (mem.heapUsed - heap0 + stats.tableBytes) / N,
    stats,
    ringsFormed: rings,
    eviction: { apps: evicted, slices: slices.length, sliceMs: summarise(slices) },
    rebuildSeconds: rebuildS,
  };
  const rows = tenths.map(
    (t) =>
      `| ${t.from.toLocaleString('en')} | ${fmt(t.us.p50)} / ${fmt(t.us.p99)} / ${fmt(t.us.max, 0)} | ${t.scanned.p50} / ${t.scanned.p99} / ${t.scanned.max} | ${Math.round(t.appsPerSecond).toLocaleString('en')} |`,
  );
  const m = result.machine;
  const md = `# Identity graph cost (${result.when.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Node ${m.node}. \`node --expose-gc --max-old-space-size=4096 --import tsx bench/graph.bench.ts ${N} ${CHECKPOINT} ${PROFILE}\`.
${N.toLocaleString('en')} generated applications (profile ${PROFILE}, 5 % attacks) over ${SPAN_MS / 86_400_000} days of event time, through \`GraphService.observe\` one at a time (links in, binding, ring registry, features), default graph settings.

| from application | graph µs p50 / p99 / max | member entries read p50 / p99 / max | applications/s (graph only) |
|---|---|---|---|
${rows.join('\n')}

- p99 over 10,000 applications at ${cps.map(([k, v]) => `${Number(k).toLocaleString('en')}: ${fmt(v.p99)} µs`).join(', ')}; ratio ${fmt(result.p99Ratio, 2)} (target ≤ 1.5).
- Rate of the last tenth against the first: ${fmt(result.rateRatio, 2)} (target ≥ 0.8).
- Memory after GC: heap ${fmt(result.heapUsedMiB, 0)} MiB + typed arrays ${fmt(mib(stats.tableBytes), 0)} MiB; RSS ${fmt(result.rssMiB, 0)} MiB, of which ${fmt(result.recordsMiB, 0)} MiB are the link records kept for the rebuild (RSS without them ${fmt(result.rssWithoutRecordsMiB, 0)} MiB); ${fmt(result.bytesPerApp, 0)} B per application (heap growth + typed arrays); ${stats.applications.toLocaleString('en')} applications, ${stats.sharedIdentifiers.toLocaleString('en')} shared identifiers, ${stats.solos.toLocaleString('en')} solos.
- Rings formed: ${rings}; rings held at the end ${stats.rings}, bursts ${stats.bursts}.
- Eviction of the oldest tenth (${evicted.toLocaleString('en')} applications) in ${slices.length} slices of 5,000: slice p50 ${fmt(result.eviction.sliceMs.p50, 2)} ms, max ${fmt(result.eviction.sliceMs.max, 2)} ms.
- Rebuild from the ${N.toLocaleString('en')} link records in process: ${fmt(rebuildS)} s.
`;
  console.log(`\n${md}`);
  record('graph', result, md);
}

main();
