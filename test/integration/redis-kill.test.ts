import { afterEach, describe, expect, it } from 'vitest';
import type { Processor } from '../../src/main.js';
import { loadConfig } from '../../src/platform/config.js';
import { findLendguardError } from '../../src/platform/errors.js';
import { keysByKcat } from '../helpers/independent-reader.js';
import { privateRedis, type PrivateRedis } from '../helpers/private-services.js';
import { startInProcess, testSetup, waitFor, type TestSetup } from '../helpers/processor.js';
import { collect, missingAndDuplicated, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * Redis killed with SIGKILL in the middle of a stream, with and without persistence. With AOF the windows and
 * duplicate detection survive the kill. Without it Redis comes back empty: the processor notices on its next
 * batch (the marker key is gone), says so and counts it, or stops with STATE_LOST when told to refuse.
 * Either way every application gets exactly one committed assessment, counted by kcat too.
 */
describe('Redis killed mid-stream', () => {
  let processor: Processor | undefined;
  let redis: PrivateRedis | undefined;
  afterEach(async () => {
    await processor?.close();
    processor = undefined;
    await redis?.stop();
    redis = undefined;
  });

  /** `n` applications from distinct identities on one device: its identity count is the last one's index + 1. */
  const onOneDevice = (setup: TestSetup, from: number, n: number) =>
    Array.from({ length: n }, (_, k) =>
      application(setup.id, from + k, (a) => {
        a.device.deviceId = `dev-${setup.id}-shared`;
      }),
    );

  async function assessedThrough(setup: TestSetup, count: number) {
    return collect(setup.topics.assessments, { readCommitted: true, count, timeoutMs: 60_000 });
  }

  const identities = (records: Awaited<ReturnType<typeof collect>>, id: string): number => {
    const r = records.find((x) => x.key === id);
    return Number((JSON.parse(r?.value?.toString() ?? '{}') as { features?: Record<string, unknown> }).features?.['device.identities.24h']);
  };

  async function start(aof: boolean, onLost: 'warn' | 'refuse' = 'warn', onFatal?: (err: Error) => void) {
    redis = await privateRedis({ aof });
    await redis.start();
    const setup = await testSetup({ partitions: 1, extraEnv: { LENDGUARD_REDIS_URL: redis.url, LENDGUARD_STATE_ON_LOST: onLost } });
    processor = await startInProcess(loadConfig({ env: setup.env }), onFatal ? { onFatal } : {});
    return { setup, p: processor, r: redis };
  }

  async function killAndRestart(r: PrivateRedis, p: Processor, setup: TestSetup, more: ReturnType<typeof onOneDevice>) {
    await r.stop(); // SIGKILL
    await produceRaw(setup.topics.applications, more.map(asMessage));
    await waitFor(
      () => p.health.snapshot().status === 'backing-off',
      30_000,
      () => `status ${p.health.snapshot().status}`,
    );
    await r.start();
  }

  it('with AOF: counts and duplicate detection survive the kill, exactly once', { timeout: 150_000 }, async () => {
    const { setup, p, r } = await start(true);
    const before = onOneDevice(setup, 0, 5);
    await produceRaw(setup.topics.applications, before.map(asMessage));
    expect(identities(await assessedThrough(setup, 5), before[4]!.applicationId)).toBe(5);

    const after = onOneDevice(setup, 5, 5);
    await killAndRestart(r, p, setup, after);
    const all = await assessedThrough(setup, 10);
    expect(identities(all, after[4]!.applicationId)).toBe(10); // the five before the kill still count
    // A resend of an application assessed before the kill is still recognised.
    await produceRaw(setup.topics.applications, [asMessage(before[0]!)]);
    const dlq = await collect(setup.topics.dlq, { count: 1, timeoutMs: 60_000 });
    expect(dlq[0]?.headers['dlq.error.code']).toBe('DUPLICATE_APPLICATION');
    expect(await lostCount(p)).toBe(0);

    const apps = [...before, ...after].map((a) => a.applicationId);
    const independent = missingAndDuplicated(
      apps,
      (await keysByKcat(setup.topics.assessments)).map((key) => ({ key })),
    );
    expect({ missing: independent.missing, duplicated: independent.duplicated }).toEqual({ missing: [], duplicated: [] });
  });

  it('without persistence: the loss is noticed on the next batch and counted, still exactly once', { timeout: 150_000 }, async () => {
    const { setup, p, r } = await start(false);
    const before = onOneDevice(setup, 0, 5);
    await produceRaw(setup.topics.applications, before.map(asMessage));
    await assessedThrough(setup, 5);
    expect(await lostCount(p)).toBe(0);

    const after = onOneDevice(setup, 5, 5);
    await killAndRestart(r, p, setup, after);
    const all = await assessedThrough(setup, 10);
    expect(identities(all, after[4]!.applicationId)).toBe(5); // the windows started again from empty
    expect(await lostCount(p)).toBe(1);
    const apps = [...before, ...after].map((a) => a.applicationId);
    const independent = missingAndDuplicated(
      apps,
      (await keysByKcat(setup.topics.assessments)).map((key) => ({ key })),
    );
    expect({ missing: independent.missing, duplicated: independent.duplicated }).toEqual({ missing: [], duplicated: [] });
  });

  it('without persistence and state.onLost=refuse: stops with STATE_LOST and commits nothing against the empty store', { timeout: 150_000 }, async () => {
    let fatal: Error | undefined;
    const { setup, p, r } = await start(false, 'refuse', (err) => (fatal = err));
    const before = onOneDevice(setup, 0, 5);
    await produceRaw(setup.topics.applications, before.map(asMessage));
    await assessedThrough(setup, 5);

    await killAndRestart(r, p, setup, onOneDevice(setup, 5, 5));
    await waitFor(
      () => fatal !== undefined,
      60_000,
      () => `no fatal error; status ${p.health.snapshot().status}`,
    );
    expect(findLendguardError(fatal)?.code).toBe('STATE_LOST');
    const committed = await collect(setup.topics.assessments, { readCommitted: true, idleMs: 2000, timeoutMs: 30_000 });
    expect(committed).toHaveLength(5);
  });
});

async function lostCount(p: Processor): Promise<number> {
  const metric = await p.metrics.stateLost.get();
  return metric.values.filter((v) => v.labels.when === 'running').reduce((n, v) => n + v.value, 0);
}
