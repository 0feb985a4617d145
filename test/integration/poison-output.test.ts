import { ConfigResourceTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { spawnProcessor, testSetup, killedAfterAll } from '../helpers/processor.js';
import { collect, makeKafka, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * An output its topic can never take (the assessments topic limited below an assessment's size) must not block
 * its partition: each one becomes an OUTPUT_TOO_LARGE dead letter naming the topic that refused it, and the
 * stream goes on. Before the guard, the transaction failed on every retry and nothing behind it was processed.
 */
describe('a poison output', () => {
  const children = killedAfterAll();

  it('is dead-lettered instead of failing its transaction for ever', { timeout: 120_000 }, async () => {
    const setup = await testSetup({ partitions: 1 });
    const admin = makeKafka().admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: setup.topics.assessments, configEntries: [{ name: 'max.message.bytes', value: '1200' }] }],
    });
    await admin.disconnect();
    children.push(await spawnProcessor(setup.env));
    const apps = Array.from({ length: 10 }, (_, i) => application(`${setup.id}-big`, i));
    await produceRaw(setup.topics.applications, apps.map(asMessage));

    const dead = await collect(setup.topics.dlq, { count: 10, readCommitted: true, timeoutMs: 60_000 });
    expect(dead.map((r) => r.key).sort()).toEqual(apps.map((a) => a.applicationId).sort());
    for (const r of dead) {
      expect(r.headers['dlq.error.code']).toBe('OUTPUT_TOO_LARGE');
      expect(r.headers['dlq.output.topic']).toBe(setup.topics.assessments);
      expect(Number(r.headers['dlq.output.bytes'])).toBeGreaterThan(1200);
    }
  });
});
