/**
 * Soak: one processor (as `npm start` runs it) fed at a steady rate for a long time, its RSS, heap, event-loop
 * p99 and window latency p99 sampled every 30 s from /metrics. Flat is the goal: the report gives each
 * figure's first and last tenth and the RSS slope per hour.
 *
 *   npx tsx bench/soak.bench.ts [minutes=60] [rate=300] [horizonMinutes=10]     # the 5-minute profile: 5 300
 *
 * The identity graph keeps every application inside its horizon (90 days by default), so at a steady rate its
 * size only levels off once the horizon is reached. The soak therefore runs with a short horizon (10 min by
 * default): the graph reaches its steady size after about horizon + 10 min (eviction goes by 10-min buckets),
 * and from then on RSS, heap and p99 must be flat. The report compares the first and last tenth of the samples
 * taken after that warm-up, and gives the RSS slope over them.
 *
 * Needs the local broker and Redis (`bash scripts/services.sh up`). Writes bench/results/soak-<minutes>m.{json,md}.
 */
import { processorEnv, Run, Scrape, pacedProduce, spawnProcessor, stopChild, waitReady, OutputCounter } from './harness.js';
import { machine, record } from './lib.js';

const MINUTES = Number(process.argv[2] ?? 60);
const RATE = Number(process.argv[3] ?? 300);
const HORIZON_MIN = Number(process.argv[4] ?? 10);
const WARMUP_S = Math.min((HORIZON_MIN + 12) * 60, MINUTES * 30);
const MiB = 2 ** 20;

interface Sample {
  s: number;
  assessed: number;
  rssMiB: number;
  heapMiB: number;
  loopP99Ms: number;
  windowP99Ms: number;
  graphApps: number;
}

async function main(): Promise<void> {
  const run = new Run();
  const log = (line: string): void => console.log(line);
  const cleanup = run.cleanupOnSignals(log);
  try {
    const topics = await run.processorTopics('soak');
    const env = processorEnv({
      topics,
      groupId: run.group('soak'),
      redisPrefix: run.redisPrefix('soak'),
      maxBatchSize: 200,
      extra: { LENDGUARD_GRAPH_HORIZON_DAYS: String(HORIZON_MIN / 1440) },
    });
    const counter = await OutputCounter.start(run, topics.assessments);
    const child = await spawnProcessor(run, env);
    await waitReady(child);
    const samples: Sample[] = [];
    const t0 = Date.now();
    const sampler = setInterval(() => {
      void Scrape.of(child.port).then(
        (s) =>
          samples.push({
            s: Math.round((Date.now() - t0) / 1000),
            assessed: s.sum('lendguard_assessed_total'),
            rssMiB: Math.round(s.sum('lendguard_process_resident_memory_bytes') / MiB),
            heapMiB: Math.round(s.sum('lendguard_nodejs_heap_size_used_bytes') / MiB),
            loopP99Ms: Math.round((s.get('lendguard_nodejs_eventloop_lag_p99_seconds') ?? Number.NaN) * 1000),
            windowP99Ms: s.get('lendguard_latency_window_ms', { quantile: '0.99' }) ?? Number.NaN,
            graphApps: s.sum('lendguard_graph_applications'),
          }),
        () => undefined,
      );
    }, 30_000);
    const produced = await pacedProduce(run.kafka, topics.applications, {
      rate: RATE,
      durationMs: MINUTES * 60_000,
      seed: `${run.id}-soak`,
      onSent: () => undefined,
    });
    clearInterval(sampler);
    const deadline = Date.now() + 120_000;
    while (counter.count < produced.sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    await stopChild(child);
    await counter.stop();

    const steady = samples.filter((x) => x.s >= WARMUP_S);
    const tenth = Math.max(1, Math.floor(steady.length / 10));
    const mean = (xs: Sample[], f: (x: Sample) => number): number => Math.round(xs.reduce((a, x) => a + f(x), 0) / Math.max(1, xs.length));
    // p99s are summarised by their median: one stall of a neighbour on a shared box must not read as a trend.
    const median = (xs: Sample[], f: (x: Sample) => number): number => [...xs.map(f)].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const first = steady.slice(0, tenth);
    const last = steady.slice(-tenth);
    const rssSlope =
      steady.length > 2 ? (mean(last, (x) => x.rssMiB) - mean(first, (x) => x.rssMiB)) / (((last[0]?.s ?? 0) - (first[0]?.s ?? 0)) / 3600 || 1) : Number.NaN;
    const result = {
      when: new Date().toISOString(),
      machine: machine(),
      settings: { minutes: MINUTES, rate: RATE, horizonMinutes: HORIZON_MIN, warmupSeconds: WARMUP_S },
      produced: produced.sent,
      assessed: counter.count,
      samples,
      first: {
        graphApps: mean(first, (x) => x.graphApps),
        rssMiB: mean(first, (x) => x.rssMiB),
        heapMiB: mean(first, (x) => x.heapMiB),
        windowP99Ms: median(first, (x) => x.windowP99Ms),
        loopP99Ms: median(first, (x) => x.loopP99Ms),
      },
      last: {
        graphApps: mean(last, (x) => x.graphApps),
        rssMiB: mean(last, (x) => x.rssMiB),
        heapMiB: mean(last, (x) => x.heapMiB),
        windowP99Ms: median(last, (x) => x.windowP99Ms),
        loopP99Ms: median(last, (x) => x.loopP99Ms),
      },
      rssSlopeMiBPerHour: Math.round(rssSlope),
    };
    const m = result.machine;
    const row = (name: string, x: typeof result.first): string =>
      `| ${name} | ${x.graphApps.toLocaleString('en')} | ${x.rssMiB} | ${x.heapMiB} | ${x.windowP99Ms} | ${x.loopP99Ms} |`;
    const md = `# Soak, ${MINUTES} min at ${RATE}/s (${result.when.slice(0, 10)})

\`npx tsx bench/soak.bench.ts ${MINUTES} ${RATE} ${HORIZON_MIN}\` on ${m.cpu}, ${m.cores} cores (broker and Redis on the same cores), graph horizon ${HORIZON_MIN} min: ${produced.sent.toLocaleString('en')} applications produced, ${counter.count.toLocaleString('en')} assessed.

${WARMUP_S >= (HORIZON_MIN + 12) * 60 ? `After a warm-up of ${Math.round(WARMUP_S / 60)} min (the graph reaches its steady size)` : `After ${Math.round(WARMUP_S / 60)} min (too short for the graph to reach its steady size, about ${HORIZON_MIN + 11} min: this profile checks that every application is assessed and what p99 is, not flatness)`}, ${steady.length} samples, one every 30 s:

| steady state | graph applications | RSS MiB | heap MiB | window p99 ms (median) | event-loop p99 ms (median) |
|---|---|---|---|---|---|
${row('first tenth', result.first)}
${row('last tenth', result.last)}

RSS slope after the warm-up: ${result.rssSlopeMiBPerHour} MiB/h. Every sample is in the JSON.
`;
    console.log(md);
    record(`soak-${MINUTES}m`, result, md);
    if (counter.count !== produced.sent) {
      console.error(`soak: ${produced.sent - counter.count} of ${produced.sent} applications were not assessed`);
      process.exitCode = 1;
    }
  } finally {
    await cleanup();
  }
}

await main();
