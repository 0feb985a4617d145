/**
 * Proves kafkajs 2.2.4 works against the pinned broker (scripts/kafka.sh) for
 * every Kafka feature lendguard relies on. Real broker, no mocks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import type { Consumer, Producer } from 'kafkajs';
import { collect, countByKey, createTopics, deleteTopics, makeKafka, produceRaw, randomId } from '../helpers/services.js';

const { Partitioners } = kafkajs;
const createdTopics: string[] = [];

async function newTopic(prefix: string, partitions = 1, config?: Record<string, string>): Promise<string> {
  const topic = randomId(`compat-${prefix}-`);
  createdTopics.push(topic);
  await createTopics([{ topic, partitions, ...(config ? { config } : {}) }]);
  return topic;
}

function txProducer(transactionalId: string): Producer {
  return makeKafka().producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

afterAll(async () => {
  await deleteTopics(createdTopics);
});

describe('kafkajs 2.2.4 <-> pinned Kafka broker compatibility', () => {
  it('admin: create / describe / fetch offsets / delete topics', async () => {
    const topic = await newTopic('admin', 3, { 'retention.ms': '3600000', 'cleanup.policy': 'delete' });
    const admin = makeKafka().admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toContain(topic);
      const cluster = await admin.describeCluster();
      expect(cluster.brokers).toHaveLength(1);

      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
      for (const p of meta.topics[0]?.partitions ?? []) expect(p.leader).toBeGreaterThanOrEqual(0);

      const cfg = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
      });
      expect(cfg.resources[0]?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue).toBe('3600000');

      await produceRaw(
        topic,
        [0, 1, 2, 3, 4].map((i) => ({ key: `k${i}`, value: `v${i}`, partition: 0 })),
      );
      const hw = await admin.fetchTopicOffsets(topic);
      expect(hw.find((p) => p.partition === 0)?.high).toBe('5');

      // a consumer group commits what it consumed; admin.fetchOffsets reads it back
      // (kafkajs' admin.setOffsets also works but joins a throwaway group: ~5 s)
      const groupId = randomId('compat-admin-g-');
      expect(await collect(topic, { groupId, count: 5 })).toHaveLength(5);
      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(offsets[0]?.partitions.find((p) => p.partition === 0)?.offset).toBe('5');
      await admin.deleteGroups([groupId]);

      await admin.deleteTopics({ topics: [topic] });
      expect(await admin.listTopics()).not.toContain(topic);
    } finally {
      await admin.disconnect();
    }
  });

  it('idempotent producer: every record exactly once, contiguous offsets', async () => {
    const topic = await newTopic('idem', 3);
    const producer = makeKafka().producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      for (let batch = 0; batch < 5; batch++) {
        const messages = Array.from({ length: 20 }, (_, i) => ({ key: `app-${i % 7}`, value: `b${batch}-m${i}` }));
        await producer.send({ topic, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }
    const records = await collect(topic, { count: 100 });
    expect(new Set(records.map((r) => r.value?.toString())).size).toBe(100);
    expect([...countByKey(records).values()].reduce((a, b) => a + b, 0)).toBe(100);
    // same key -> same partition (murmur2, Java-compatible)
    const partitionOfKey = new Map<string, Set<number>>();
    for (const r of records) {
      const set = partitionOfKey.get(r.key ?? '') ?? new Set<number>();
      set.add(r.partition);
      partitionOfKey.set(r.key ?? '', set);
    }
    for (const set of partitionOfKey.values()) expect(set.size).toBe(1);
    for (const p of [0, 1, 2]) {
      const offs = records.filter((r) => r.partition === p).map((r) => Number(r.offset));
      expect(offs).toEqual(offs.map((_, i) => i));
    }
  });

  it('consumer group: two members split a 4-partition topic', async () => {
    const topic = await newTopic('group', 4);
    const groupId = randomId('compat-group-');
    const assignment = new Map<string, number[]>();
    const received = new Map<string, number[]>();
    const consumers: Consumer[] = [];
    const startMember = async (name: string): Promise<void> => {
      const c = makeKafka(name).consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
      consumers.push(c);
      received.set(name, []);
      c.on(c.events.GROUP_JOIN, (e) => assignment.set(name, e.payload.memberAssignment[topic] ?? []));
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      await c.run({ eachMessage: async ({ partition }) => void received.get(name)?.push(partition) });
    };
    try {
      await startMember('member-a');
      await startMember('member-b');
      await expect.poll(() => [assignment.get('member-a')?.length, assignment.get('member-b')?.length], { timeout: 30_000, interval: 200 }).toEqual([2, 2]);
      await produceRaw(
        topic,
        Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 4 })),
      );
      await expect.poll(() => (received.get('member-a')?.length ?? 0) + (received.get('member-b')?.length ?? 0), { timeout: 30_000, interval: 200 }).toBe(40);
      const a = new Set(received.get('member-a'));
      const b = new Set(received.get('member-b'));
      expect(a.size).toBe(2);
      expect(b.size).toBe(2);
      expect([...a, ...b].sort()).toEqual([0, 1, 2, 3]);
    } finally {
      await Promise.all(consumers.map((c) => c.disconnect()));
    }
  });

  it('transactions: records + sendOffsets committed atomically, visible to read_committed', async () => {
    const input = await newTopic('tx-in', 1);
    const output = await newTopic('tx-out', 2);
    const groupId = randomId('compat-tx-g-');
    await produceRaw(
      input,
      [1, 2, 3].map((i) => ({ key: `in${i}`, value: `in-${i}` })),
    );

    const producer = txProducer(randomId('compat-tx-'));
    await producer.connect();
    try {
      const tx = await producer.transaction();
      await tx.send({ topic: output, messages: [1, 2, 3].map((i) => ({ key: `out${i}`, value: `assessment-${i}` })) });
      await tx.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '3' }] }] });
      await tx.commit();
    } finally {
      await producer.disconnect();
    }

    const committed = await collect(output, { count: 3, readCommitted: true });
    expect(committed.map((r) => r.value?.toString()).sort()).toEqual(['assessment-1', 'assessment-2', 'assessment-3']);

    const admin = makeKafka().admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchOffsets({ groupId, topics: [input] });
      expect(offsets[0]?.partitions.find((p) => p.partition === 0)?.offset).toBe('3');
    } finally {
      await admin.disconnect();
    }
  });

  it('transactions: aborted records are invisible to read_committed consumers', async () => {
    const topic = await newTopic('tx-abort', 1);
    const producer = txProducer(randomId('compat-abort-'));
    await producer.connect();
    try {
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [1, 2, 3, 4, 5].map((i) => ({ key: 'a', value: `aborted-${i}` })) });
      await aborted.abort();
      const ok = await producer.transaction();
      await ok.send({ topic, messages: [{ key: 'c', value: 'committed-1' }] });
      await ok.commit();
    } finally {
      await producer.disconnect();
    }
    const committed = await collect(topic, { readCommitted: true, idleMs: 1_500 });
    expect(committed.map((r) => r.value?.toString())).toEqual(['committed-1']);
    // read_uncommitted still returns the aborted data records (control records are never surfaced)
    const all = await collect(topic, { readCommitted: false, idleMs: 1_500 });
    expect(all.map((r) => r.value?.toString())).toEqual([1, 2, 3, 4, 5].map((i) => `aborted-${i}`).concat('committed-1'));
  });

  it('transactions: a second producer with the same transactionalId fences the first', async () => {
    const topic = await newTopic('tx-fence', 1);
    const transactionalId = randomId('compat-fence-');
    const first = txProducer(transactionalId);
    const second = txProducer(transactionalId);
    await first.connect();
    try {
      const tx1 = await first.transaction();
      await tx1.send({ topic, messages: [{ key: 'z', value: 'zombie-1' }] });

      await second.connect();
      const tx2 = await second.transaction(); // InitProducerId bumps the epoch and aborts tx1

      const fenced = await tx1.send({ topic, messages: [{ key: 'z', value: 'zombie-2' }] }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(fenced).toBeInstanceOf(kafkajs.KafkaJSProtocolError);
      expect(fenced).toMatchObject({ name: 'KafkaJSProtocolError', type: 'INVALID_PRODUCER_EPOCH', retriable: false });
      await expect(tx1.commit()).rejects.toMatchObject({ type: 'INVALID_PRODUCER_EPOCH' });

      await tx2.send({ topic, messages: [{ key: 'l', value: 'live-1' }] });
      await tx2.commit();
    } finally {
      await first.disconnect();
      await second.disconnect();
    }
    const visible = await collect(topic, { readCommitted: true, idleMs: 1_500 });
    expect(visible.map((r) => r.value?.toString())).toEqual(['live-1']);
  });
});
