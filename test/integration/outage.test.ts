import { afterAll, describe, expect, it } from 'vitest';
import type { Processor } from '../../src/main.js';
import { loadConfig } from '../../src/platform/config.js';
import { startInProcess, testSetup, waitFor } from '../helpers/processor.js';
import { privateKafka, privateRedis, type PrivateKafka, type PrivateRedis } from '../helpers/private-services.js';
import { keysByKcat } from '../helpers/independent-reader.js';
import { collect, countByKey, liveCounter, missingAndDuplicated, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * Dependencies come and go: the processor waits for them at start, stops taking work while one is
 * away (no offsets move), and resumes by itself; every application still gets exactly one assessment.
 */
describe('outages', () => {
  let processor: Processor | undefined;
  let redis: PrivateRedis | undefined;
  let kafka: PrivateKafka | undefined;
  afterAll(async () => {
    await processor?.close();
    await redis?.stop();
    await kafka?.stop();
  });

  it('Redis down at start and mid-stream: waits, backs off, resumes, loses and duplicates nothing', { timeout: 120_000 }, async () => {
    redis = await privateRedis();
    const setup = await testSetup({ partitions: 2 });
    const config = loadConfig({ env: { ...setup.env, LENDGUARD_REDIS_URL: redis.url } });
    const starting = startInProcess(config).then((p) => (processor = p));
    await new Promise((r) => setTimeout(r, 1500));
    expect(processor).toBeUndefined(); // still waiting for Redis
    await redis.start();
    await starting;
    const p = processor as Processor;

    const apps = Array.from({ length: 400 }, (_, i) => application(setup.id, i));
    const counter = await liveCounter(setup.topics.assessments);
    try {
      await produceRaw(setup.topics.applications, apps.slice(0, 200).map(asMessage));
      await waitFor(
        () => counter.count() >= 200,
        30_000,
        () => `only ${counter.count()} assessed before the outage`,
      );

      await redis.stop();
      await produceRaw(setup.topics.applications, apps.slice(200).map(asMessage));
      await waitFor(
        () => p.health.snapshot().status === 'backing-off',
        20_000,
        () => `status ${p.health.snapshot().status}`,
      );
      expect(p.health.ready).toBe(false);
      expect(p.health.snapshot().reason).toMatch(/REDIS_UNAVAILABLE/);
      await new Promise((r) => setTimeout(r, 1500));
      expect(counter.count()).toBe(200); // no work taken while Redis is away

      await redis.start();
      await waitFor(
        () => counter.count() >= 400,
        60_000,
        () => `only ${counter.count()} assessed after Redis came back`,
      );
      await waitFor(
        () => p.health.ready,
        10_000,
        () => 'not ready again',
      );
    } finally {
      await counter.stop();
    }
    const all = await collect(setup.topics.assessments, { readCommitted: true, idleMs: 2000 });
    const counts = countByKey(all);
    expect(all).toHaveLength(400);
    expect(apps.every((a) => counts.get(a.applicationId) === 1)).toBe(true);
    const independent = missingAndDuplicated(
      apps.map((a) => a.applicationId),
      (await keysByKcat(setup.topics.assessments)).map((key) => ({ key })),
    );
    expect({ missing: independent.missing.length, duplicated: independent.duplicated.length }).toEqual({ missing: 0, duplicated: 0 });
    await p.close();
    processor = undefined;
  });

  it('Kafka broker restarted mid-stream: resumes by itself, exactly once', { timeout: 240_000 }, async () => {
    kafka = await privateKafka();
    await kafka.start();
    const setup = await withBrokers(kafka.brokers, () => testSetup({ partitions: 2 }));
    const config = loadConfig({ env: { ...setup.env, LENDGUARD_KAFKA_BROKERS: kafka.brokers } });
    processor = await startInProcess(config);
    const p = processor;
    const apps = Array.from({ length: 600 }, (_, i) => application(setup.id, i));
    await withBrokers(kafka.brokers, () => produceRaw(setup.topics.applications, apps.slice(0, 300).map(asMessage)));
    await withBrokers(kafka.brokers, () => collect(setup.topics.assessments, { readCommitted: true, count: 300, timeoutMs: 60_000 }));

    await kafka.stop();
    await waitFor(
      () => !p.health.ready,
      60_000,
      () => 'processor still claims to be ready with the broker down',
    );
    await kafka.start();
    await withBrokers(kafka.brokers, () => produceRaw(setup.topics.applications, apps.slice(300).map(asMessage)));
    const all = await withBrokers(kafka.brokers, async () => {
      await collect(setup.topics.assessments, { readCommitted: true, count: 600, timeoutMs: 120_000 });
      return collect(setup.topics.assessments, { readCommitted: true, idleMs: 3000, timeoutMs: 60_000 });
    });
    const counts = countByKey(all);
    expect(all).toHaveLength(600);
    expect(apps.every((a) => counts.get(a.applicationId) === 1)).toBe(true);
    const keys = await withBrokers(kafka.brokers, () => keysByKcat(setup.topics.assessments));
    const independent = missingAndDuplicated(
      apps.map((a) => a.applicationId),
      keys.map((key) => ({ key })),
    );
    expect({ missing: independent.missing.length, duplicated: independent.duplicated.length }).toEqual({ missing: 0, duplicated: 0 });
  });
});

/** Runs test helpers against another broker (the helpers read KAFKA_BROKERS when building clients). */
async function withBrokers<T>(brokers: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.KAFKA_BROKERS;
  process.env.KAFKA_BROKERS = brokers;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.KAFKA_BROKERS;
    else process.env.KAFKA_BROKERS = saved;
  }
}
