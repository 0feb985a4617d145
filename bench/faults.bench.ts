/**
 * The long fault profile: traffic at a steady rate while the processor is killed with SIGKILL again and again
 * (each kill waits for progress since the last start) and its Redis (a private one, AOF fsync always) is
 * killed with SIGKILL and restarted in the middle. Every key sent is then looked for in the assessments and
 * the DLQ, read by the project's own read_committed reader and again by kcat (librdkafka, read_committed).
 * Lost and duplicated must both be 0.
 *
 *   npx tsx bench/faults.bench.ts [kills=7] [rate=200] [seconds=180]
 *
 * Needs the local broker (`bash scripts/services.sh up`), redis-server on the PATH and kcat.
 * Writes bench/results/faults.{json,md}.
 */
import { keysByKcat } from '../test/helpers/independent-reader.js';
import { privateRedis } from '../test/helpers/private-services.js';
import { OutputCounter, pacedProduce, processorEnv, Run, sleep, spawnProcessor, stopChild, waitFor, waitReady, type Child } from './harness.js';
import { machine, record } from './lib.js';

const KILLS = Number(process.argv[2] ?? 7);
const RATE = Number(process.argv[3] ?? 200);
const SECONDS = Number(process.argv[4] ?? 180);

async function main(): Promise<void> {
  const run = new Run();
  const redis = await privateRedis({ aof: true });
  await redis.start();
  run.onCleanup(() => redis.stop()); // also on SIGINT/SIGTERM
  const log = (line: string): void => console.log(line);
  const cleanup = run.cleanupOnSignals(log);
  const t0 = Date.now();
  const events: string[] = [];
  const note = (what: string): void => {
    const line = `${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`;
    events.push(line);
    log(line);
  };
  try {
    const topics = await run.processorTopics('faults');
    const env = processorEnv({
      topics,
      groupId: run.group('faults'),
      redisPrefix: run.redisPrefix('faults'),
      maxBatchSize: 100,
      extra: { LENDGUARD_REDIS_URL: redis.url, LENDGUARD_KAFKA_SESSION_TIMEOUT_MS: '10000' },
    });
    const assessed = await OutputCounter.start(run, topics.assessments);
    const sent: string[] = [];
    const producing = pacedProduce(run.kafka, topics.applications, {
      rate: RATE,
      durationMs: SECONDS * 1000,
      seed: `${run.id}-faults`,
      onSent: (keys) => sent.push(...keys),
    });
    const perLife = Math.max(200, Math.floor((RATE * SECONDS) / (KILLS + 2)));
    let child: Child | undefined;
    let redisKilled = false;
    for (let k = 0; k < KILLS; k++) {
      child = await spawnProcessor(run, env);
      await waitReady(child, 120_000);
      const from = assessed.count;
      await waitFor(`progress before kill ${k + 1}`, () => assessed.count >= from + perLife, 300_000, 200);
      if (!redisKilled && k === Math.floor(KILLS / 2)) {
        await redis.stop();
        note(`Redis killed (SIGKILL) at ${assessed.count.toLocaleString('en')} assessed`);
        await sleep(3000);
        await redis.start();
        note('Redis restarted (AOF replayed)');
        redisKilled = true;
        const back = assessed.count;
        await waitFor('progress after the Redis restart', () => assessed.count >= back + 200, 120_000, 200);
      }
      child.child.kill('SIGKILL');
      await child.exited;
      note(`processor SIGKILL ${k + 1} at ${assessed.count.toLocaleString('en')} assessed, ${sent.length.toLocaleString('en')} sent`);
    }
    child = await spawnProcessor(run, env);
    await waitReady(child, 120_000);
    const produced = await producing;
    note(`producer done: ${produced.sent.toLocaleString('en')} sent; last processor draining`);
    const dlq = await OutputCounter.start(run, topics.dlq);
    await waitFor('every application assessed or dead-lettered', () => assessed.count + dlq.count >= sent.length, 300_000, 500);
    await sleep(3000); // anything extra (a duplicate) would arrive now
    await stopChild(child);
    await assessed.stop();
    await dlq.stop();

    const counts = new Map<string, number>();
    for (const topic of [topics.assessments, topics.dlq]) for (const key of await keysByKcat(topic)) counts.set(key, (counts.get(key) ?? 0) + 1);
    const lost = sent.filter((key) => !counts.has(key)).length;
    const duplicated = [...counts.values()].filter((n) => n > 1).length;
    const result = {
      when: new Date().toISOString(),
      machine: machine(),
      settings: { kills: KILLS, rate: RATE, seconds: SECONDS },
      sent: sent.length,
      assessedByOwnReader: assessed.count,
      deadLetteredByOwnReader: dlq.count,
      faults: KILLS + 1,
      lost,
      duplicated,
      seconds: Math.round((Date.now() - t0) / 1000),
      events,
    };
    const m = result.machine;
    const md = `# Fault profile (${result.when.slice(0, 10)})

\`npx tsx bench/faults.bench.ts ${KILLS} ${RATE} ${SECONDS}\` on ${m.cpu}, ${m.cores} cores (broker and Redis on the same cores): ${RATE}/s for ${SECONDS} s while the processor was killed with SIGKILL ${KILLS} times and its Redis (AOF, fsync always) once.

| faults | records sent | assessed | dead-lettered | lost (kcat) | duplicated (kcat) |
|---|---|---|---|---|---|
| ${result.faults} | ${result.sent.toLocaleString('en')} | ${result.assessedByOwnReader.toLocaleString('en')} | ${result.deadLetteredByOwnReader.toLocaleString('en')} | **${lost}** | **${duplicated}** |

Timeline:

${events.map((e) => `- ${e}`).join('\n')}
`;
    console.log(md);
    record('faults', result, md);
    if (lost > 0 || duplicated > 0) process.exitCode = 1;
  } finally {
    await cleanup(); // stops the private Redis too (a closer)
  }
}

await main();
