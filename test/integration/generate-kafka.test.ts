import { afterAll, describe, expect, it } from 'vitest';
import { runGenerate } from '../../src/cli/generate.js';
import type { GeneratedApplication } from '../../src/generate/index.js';
import { loadConfig } from '../../src/platform/config.js';
import { collect, createTopics, deleteTopics, kafkaBrokers, randomId } from '../helpers/services.js';

describe('lendguard generate → Kafka', () => {
  const topic = randomId('generate-it-');
  afterAll(() => deleteTopics([topic]));

  it('produces 2000 keyed records that read back complete and spread over partitions', async () => {
    await createTopics([{ topic, partitions: 6 }]);
    const summary = await runGenerate(
      { count: '2000', topic, seed: 'kafka', attackShare: '0.1' },
      { config: () => loadConfig({ env: { LENDGUARD_KAFKA_BROKERS: kafkaBrokers().join(',') } }), log: () => undefined },
    );
    expect(summary.sent).toBe(2000);
    const records = await collect(topic, { count: 2000, timeoutMs: 60_000 });
    expect(records).toHaveLength(2000);
    const values = records.map((r) => JSON.parse(r.value?.toString('utf8') ?? '{}') as GeneratedApplication);
    expect(new Set(values.map((v) => v.applicationId)).size).toBe(2000);
    for (let i = 0; i < records.length; i++) expect(records[i]!.key).toBe(values[i]!.applicationId);
    expect(new Set(records.map((r) => r.partition)).size).toBe(6);
    // The attack share: fraud records plus the genuine customers' applications inside takeover campaigns (legit, tagged).
    expect(values.filter((v) => v._truth.fraud || v._truth.tags?.includes('takeover-victim'))).toHaveLength(200);
    // Each ring lands on more than one partition.
    const ringPartitions = new Map<string, Set<number>>();
    records.forEach((r, i) => {
      const ring = values[i]!._truth.ringId;
      if (ring) ringPartitions.set(ring, (ringPartitions.get(ring) ?? new Set()).add(r.partition));
    });
    for (const parts of ringPartitions.values()) expect(parts.size).toBeGreaterThan(1);
  });
});
