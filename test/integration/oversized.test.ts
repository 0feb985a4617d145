import { ConfigResourceTypes } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/domain/assessment.js';
import { spawnProcessor, testSetup, type ChildProcessor } from '../helpers/processor.js';
import { collect, makeKafka, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * An input topic that takes 8 MiB messages, a DLQ with the broker's default 1 MiB: a 5 MB record is
 * dead-lettered with its value cut to processing.maxRecordBytes and headers that say so, and the valid
 * records behind it on the same partition are all assessed (before the fix the DLQ transaction was refused
 * for ever and the partition stalled).
 */
describe('an oversized record', () => {
  const children: ChildProcessor[] = [];
  afterAll(() => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGTERM');
  });

  it('is dead-lettered truncated and does not stall its partition', { timeout: 120_000 }, async () => {
    const setup = await testSetup({ partitions: 1 });
    const admin = makeKafka().admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: setup.topics.applications, configEntries: [{ name: 'max.message.bytes', value: String(8 * 1024 * 1024) }] },
      ],
    });
    await admin.disconnect();
    children.push(await spawnProcessor(setup.env));

    const huge = application(`${setup.id}-huge`, 1, (a) => (a.applicant.name = 'x'.repeat(5_000_000)));
    const valid = Array.from({ length: 10 }, (_, i) => application(`${setup.id}-ok`, 10 + i));
    await produceRaw(setup.topics.applications, [asMessage(huge), ...valid.map(asMessage)]);

    const assessed = (await collect(setup.topics.assessments, { count: 10, readCommitted: true, timeoutMs: 60_000 })).map(
      (r) => JSON.parse(String(r.value)) as Assessment,
    );
    expect(assessed.map((a) => a.applicationId).sort()).toEqual(valid.map((a) => a.applicationId).sort());
    const [dead] = await collect(setup.topics.dlq, { count: 1, readCommitted: true, timeoutMs: 30_000 });
    expect(dead?.headers['dlq.error.code']).toBe('OVERSIZED_RECORD');
    expect(dead?.headers['dlq.value.truncated']).toBe('true');
    expect(Number(dead?.headers['dlq.value.bytes'])).toBeGreaterThan(5_000_000);
    expect(dead?.value?.length).toBe(65536);
    expect(dead?.headers['dlq.source.offset']).toBe('0');
  });

  it('dead-letters records whose reasons would quote them whole without outgrowing the DLQ: the partition goes on', { timeout: 120_000 }, async () => {
    // Eight records of one key (one DLQ partition), each a 64 KB schemaVersion the reason used to quote whole:
    // 8 × 128 KB of dead letters in one send, over the DLQ's 1 MiB, refused on every retry (review, 2026-12-04).
    const setup = await testSetup({ partitions: 1 });
    children.push(await spawnProcessor(setup.env));
    const poison = Array.from({ length: 8 }, () => ({ key: 'same-key', value: JSON.stringify({ schemaVersion: 'a'.repeat(65_000) }) }));
    const valid = application(`${setup.id}-after`, 1);
    await produceRaw(setup.topics.applications, [...poison, asMessage(valid)]);
    const [assessed] = await collect(setup.topics.assessments, { count: 1, readCommitted: true, timeoutMs: 60_000 });
    expect((JSON.parse(String(assessed?.value)) as Assessment).applicationId).toBe(valid.applicationId);
    const dead = await collect(setup.topics.dlq, { count: 8, readCommitted: true, timeoutMs: 30_000 });
    expect(dead.map((d) => d.headers['dlq.error.code'])).toEqual(Array(8).fill('UNSUPPORTED_SCHEMA_VERSION'));
    for (const d of dead) expect(String(d.headers['dlq.error.message']).length).toBeLessThan(200);
  });

  it('refuses to start on a dead-letter topic too small for a dead letter (exit 78, the fix named)', { timeout: 120_000 }, async () => {
    const setup = await testSetup({ partitions: 1 });
    const admin = makeKafka().admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: setup.topics.dlq, configEntries: [{ name: 'max.message.bytes', value: '40000' }] }],
    });
    await admin.disconnect();
    const proc = await spawnProcessor(setup.env, { waitReady: false });
    children.push(proc);
    const exit = await proc.exited;
    expect(exit.code).toBe(78);
    expect(proc.output()).toMatch(/takes messages of at most 40000 bytes .*raise its max\.message\.bytes/);
  });
});
