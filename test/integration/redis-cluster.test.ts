import { describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/domain/assessment.js';
import { keysByKcat } from '../helpers/independent-reader.js';
import { killedAfterAll, spawnProcessor, testSetup, waitFor } from '../helpers/processor.js';
import { collect, liveCounter, missingAndDuplicated, produceRaw, REDIS_CLUSTER_URL, type RawMessage } from '../helpers/services.js';
import { application } from '../helpers/traffic.js';

/**
 * The processor on a real 3-master Redis Cluster (scripts/redis.sh cluster start), end to end: every application
 * gets exactly one committed assessment across a SIGKILL, every resent application is dead-lettered as a
 * duplicate, and the velocity counts (one entity's keys in one slot, the entities spread over the masters) are
 * exact: the n-th application of a shared device has seen n identities on it, replayed batch or not.
 */
describe('processor on Redis Cluster', () => {
  const children = killedAfterAll();

  it('assesses exactly once across a SIGKILL, with exact velocity counts and duplicates refused', { timeout: 300_000 }, async () => {
    // A budget no backlog reaches: nothing is shed, so every counter is counted.
    const setup = await testSetup({
      partitions: 3,
      extraEnv: { LENDGUARD_REDIS_URL: REDIS_CLUSTER_URL, LENDGUARD_MAX_BATCH_SIZE: '100', LENDGUARD_LATENCY_BUDGET_MS: '600000' },
    });
    const total = 3000;
    const group = 10;
    const base = Date.now() - 60_000;
    // Ten applications per device, each with its own identity, in event-time order; a device's records share a
    // partition (keyed by the device), so they are processed in order.
    const apps = Array.from({ length: total }, (_, i) =>
      application(setup.id, i, (a) => {
        a.device.deviceId = `dev-${setup.id}-${Math.floor(i / group)}`;
        a.eventTime = new Date(base + i * 10).toISOString();
      }),
    );
    const message = (a: (typeof apps)[number]): RawMessage => ({ key: a.device.deviceId, value: JSON.stringify(a) });
    // Resent later on the same partition (the same key): the first record keeps the application.
    const resent = apps.filter((_, i) => i % 150 === 7);
    await produceRaw(setup.topics.applications, apps.slice(0, 1500).map(message));

    const counter = await liveCounter(setup.topics.assessments);
    try {
      const victim = await spawnProcessor(setup.env);
      children.push(victim);
      await waitFor(
        () => counter.count() >= 600,
        120_000,
        () => `committed only ${counter.count()} before the kill:\n${victim.output().slice(-2000)}`,
      );
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      await produceRaw(setup.topics.applications, [...apps.slice(1500).map(message), ...resent.map(message)]);

      const last = await spawnProcessor(setup.env);
      children.push(last);
      await waitFor(
        () => counter.count() >= total,
        180_000,
        () => `only ${counter.count()}/${total} committed after the kill:\n${last.output().slice(-2000)}`,
      );
      last.child.kill('SIGTERM');
      expect((await last.exited).code).toBe(0);
    } finally {
      await counter.stop();
    }

    const all = await collect(setup.topics.assessments, { readCommitted: true, idleMs: 3000, timeoutMs: 60_000 });
    const parsed = all.map((r) => JSON.parse(String(r.value)) as Assessment);
    const ids = apps.map((a) => a.applicationId);
    const once = missingAndDuplicated(
      ids,
      parsed.map((a) => ({ key: a.applicationId })),
    );
    expect({ missing: once.missing.slice(0, 5), duplicated: once.duplicated.slice(0, 5) }).toEqual({ missing: [], duplicated: [] });
    expect(parsed).toHaveLength(total);
    const independent = missingAndDuplicated(
      ids,
      (await keysByKcat(setup.topics.assessments)).map((key) => ({ key })),
    );
    expect({ missing: independent.missing.length, duplicated: independent.duplicated.length }).toEqual({ missing: 0, duplicated: 0 });

    const seenOnDevice = new Map(parsed.map((a) => [a.applicationId, a.features['device.identities.24h']]));
    const wrong = ids.filter((id, i) => seenOnDevice.get(id) !== (i % group) + 1);
    expect({ wrong: wrong.length, first: wrong.slice(0, 3).map((id) => [id, seenOnDevice.get(id)]) }).toEqual({ wrong: 0, first: [] });

    const dlq = await collect(setup.topics.dlq, { readCommitted: true, idleMs: 2000, timeoutMs: 30_000 });
    const duplicates = dlq
      .filter((r) => r.headers['dlq.error.code'] === 'DUPLICATE_APPLICATION')
      .map((r) => (JSON.parse(String(r.value)) as { applicationId: string }).applicationId);
    expect(duplicates.sort()).toEqual(resent.map((a) => a.applicationId).sort());
  });
});
