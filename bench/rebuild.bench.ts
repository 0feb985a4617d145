/**
 * Restart rebuild, end to end through Kafka: N applications' link records (generated traffic, pseudonymised,
 * `encodeLinkRecord`, keyed by application id) on a compacted topic of the local broker; then a fresh
 * GraphService and the real replica (`createGraphReplica`: Kafka table feeds of the link and label
 * topics) start, and the time to `ready` is what a restarted processor waits before it takes work.
 *
 *   node --expose-gc --max-old-space-size=4096 --import tsx bench/rebuild.bench.ts [applications=1000000] [profile=realistic]
 *
 * Needs the local broker (`bash scripts/services.sh up`). Writes bench/results/rebuild.{json,md}.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Partitioners } from 'kafkajs';
import { generateTraffic } from '../src/generate/index.js';
import { GraphService } from '../src/graph/graph-service.js';
import { encodeLinkRecord } from '../src/graph/link-record.js';
import { linksFor } from '../src/graph/links.js';
import { createPseudonymiser, pseudonymiseApplication } from '../src/boundary/pseudonymise.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { createGraphReplica } from '../src/replication/graph-replica.js';
import { KafkaTableFeed } from '../src/kafka/table-feed.js';
import { makeKafka } from './harness.js';
import { machine, record } from './lib.js';

const N = Number(process.argv[2] ?? 1_000_000);
const PROFILE = (process.argv[3] ?? 'realistic') as 'realistic' | 'simple';
const PARTITIONS = 6;
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const mib = (b: number): number => Math.round(b / 2 ** 20);

async function main(): Promise<void> {
  const id = `bench-rebuild-${randomBytes(4).toString('hex')}`;
  const topics = { graphLinks: `${id}.graph-links`, labels: `${id}.labels` };
  const kafka = makeKafka(id);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.graphLinks, numPartitions: PARTITIONS, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: topics.labels, numPartitions: PARTITIONS, replicationFactor: 1 },
    ],
  });

  // Fill the link topic as the processors would have (not timed).
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const pseudonymise = createPseudonymiser('bench-rebuild-key-0123456789abcdef');
  let batch: { key: string; value: string }[] = [];
  let bytes = 0;
  let produced = 0;
  const t0 = performance.now();
  for (const generated of generateTraffic({ seed: 'rebuild', count: N, spanMs: 30 * 86_400_000, startMs: Date.now() - 31 * 86_400_000, profile: PROFILE })) {
    const { _truth: _t, ...raw } = generated;
    const app = pseudonymiseApplication(raw, pseudonymise);
    const value = encodeLinkRecord(app.applicationId, linksFor(app));
    bytes += value.length;
    batch.push({ key: app.applicationId, value });
    if (batch.length === 2000) {
      await producer.send({ topic: topics.graphLinks, acks: 1, messages: batch });
      produced += batch.length;
      batch = [];
      if (produced % 100_000 === 0) console.log(`  produced ${produced.toLocaleString('en')} link records`);
    }
  }
  if (batch.length > 0) await producer.send({ topic: topics.graphLinks, acks: 1, messages: batch });
  await producer.disconnect();
  console.log(`  produced ${N.toLocaleString('en')} records (${mib(bytes)} MiB) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  gc();
  const rss0 = process.memoryUsage().rss;
  const graph = new GraphService(loadConfig({ env: {} }).graph);
  const logger = createLogger('warn');
  const replica = createGraphReplica({
    tableFeed: (o) => new KafkaTableFeed({ ...o, kafka, admin, logger }),
    topicRecords: async (topic) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0),
    graph,
    topics,
    groupPrefix: `${id}-replica`,
    horizonMs: 90 * 86_400_000,
    evictEveryMs: 3_600_000,
    logger,
    now: () => Date.now(),
    onBadRecord: (topic, reason) => console.error(`bad record on ${topic}: ${reason}`),
  });
  // REBUILD_PROFILE=file.cpuprofile: a CPU profile of the rebuild alone.
  const session = process.env.REBUILD_PROFILE ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const started = performance.now();
  await replica.start();
  await replica.ready;
  const seconds = (performance.now() - started) / 1000;
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(process.env.REBUILD_PROFILE as string, JSON.stringify(profile));
  }
  gc();
  const mem = process.memoryUsage();
  const stats = graph.stats();
  await replica.stop();
  await admin.deleteTopics({ topics: [topics.graphLinks, topics.labels] }).catch(() => undefined);
  await admin.disconnect();

  const result = {
    when: new Date().toISOString(),
    machine: machine(),
    settings: { applications: N, profile: PROFILE, partitions: PARTITIONS, recordMiB: mib(bytes) },
    seconds,
    recordsPerSecond: N / seconds,
    mibPerSecond: bytes / 2 ** 20 / seconds,
    heapMiB: mib(mem.heapUsed),
    arrayBuffersMiB: mib(mem.arrayBuffers),
    rssMiB: mib(mem.rss),
    rssBeforeMiB: mib(rss0),
    graph: { applications: stats.applications, shared: stats.sharedIdentifiers, solos: stats.solos, rings: stats.rings },
  };
  const m = result.machine;
  const md = `# Restart rebuild through Kafka (${result.when.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Node ${m.node}; local broker (KRaft, one node) on the same cores.
\`node --expose-gc --max-old-space-size=4096 --import tsx bench/rebuild.bench.ts ${N} ${PROFILE}\`

| applications | link records | time to ready | records/s | MiB/s | heap / RSS after |
|---|---|---|---|---|---|
| ${N.toLocaleString('en')} | ${mib(bytes)} MiB on ${PARTITIONS} partitions | **${seconds.toFixed(1)} s** | ${Math.round(result.recordsPerSecond).toLocaleString('en')} | ${result.mibPerSecond.toFixed(1)} | ${result.heapMiB} / ${result.rssMiB} MiB |

The replica holds ${stats.applications.toLocaleString('en')} applications, ${stats.sharedIdentifiers.toLocaleString('en')} shared identifiers, ${stats.solos.toLocaleString('en')} solos and ${stats.rings} rings once ready.
`;
  console.log(`\n${md}`);
  record('rebuild', result, md);
}

await main();
