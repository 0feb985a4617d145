/**
 * The bare kafkajs pipe: the baseline the processor is measured against. It copies every record of
 * the applications topic to the assessments topic unchanged (key, value, headers), with no
 * processing at all, but with the processor's Kafka protocol and settings:
 *
 * - one kafkajs consumer, `eachBatch`, no auto-commit, read_committed, the same session timeout,
 *   heartbeat, fetch wait (`processing.maxWaitTimeMs`) and `partitionsConsumedConcurrently`;
 * - each fetched batch cut into chunks of `processing.maxBatchSize` records;
 * - one transactional producer per input partition (`<prefix>-<topic>-<partition>`, idempotent,
 *   maxInFlightRequests 1), fenced on first use (init + empty abort), then the group's committed
 *   offset read and records below it skipped, re-fenced after every rebalance;
 * - one transaction per chunk: sendBatch (acks -1) + sendOffsets + commit.
 *
 * It reads the same configuration as the processor (loadConfig: defaults < file < LENDGUARD_* env),
 * so `LENDGUARD_MAX_BATCH_SIZE` etc. apply to both. Written directly against kafkajs (not with
 * src/emit) so it stays a fixed baseline while the processor changes.
 *
 *   LENDGUARD_TOPIC_APPLICATIONS=in LENDGUARD_TOPIC_ASSESSMENTS=out LENDGUARD_KAFKA_GROUP_ID=g \
 *     node --import tsx bench/bare-pipe.ts        # runs until SIGTERM/SIGINT
 */
import { Partitioners, type Admin, type EachBatchPayload, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { consumerOptions } from '../src/kafka/application-source.js';
import { createKafka } from '../src/kafka/client.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';

interface Entry {
  producer: Producer;
  committedOffset: bigint;
  epoch: number;
}

export class BarePipe {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly consumer;
  private readonly producers = new Map<number, Entry>();
  private epoch = 0;
  private readonly prefix: string;
  copied = 0;

  constructor(private readonly config: Config) {
    this.kafka = createKafka(config, createLogger(config.log.level), `${config.kafka.clientId}-pipe`);
    this.admin = this.kafka.admin();
    this.prefix = config.kafka.transactionalIdPrefix ?? config.kafka.groupId;
    this.consumer = this.kafka.consumer(consumerOptions(config)); // exactly the processor's settings
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.epoch += 1;
    });
  }

  async start(): Promise<void> {
    await this.admin.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.config.topics.applications], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.config.processing.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload; // the payload's functions are called on it (kafkajs types them as methods)
    const size = this.config.processing.maxBatchSize;
    for (let i = 0; i < batch.messages.length; i += size) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(i, i + size);
      const entry = await this.acquire(batch.topic, batch.partition);
      const pending = chunk.filter((m) => BigInt(m.offset) >= entry.committedOffset);
      if (pending.length > 0) {
        const next = BigInt((pending[pending.length - 1] as KafkaMessage).offset) + 1n;
        const txn = await entry.producer.transaction();
        try {
          await txn.sendBatch({
            acks: -1,
            topicMessages: [{ topic: this.config.topics.assessments, messages: pending.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) }],
          });
          await txn.sendOffsets({
            consumerGroupId: this.config.kafka.groupId,
            topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next.toString() }] }],
          });
          await txn.commit();
          entry.committedOffset = next;
          this.copied += pending.length;
        } catch (err) {
          await txn.abort().catch(() => undefined);
          this.producers.delete(batch.partition);
          await entry.producer.disconnect().catch(() => undefined);
          throw err; // kafkajs retries the batch
        }
      }
      payload.resolveOffset((chunk[chunk.length - 1] as KafkaMessage).offset);
    }
  }

  private async acquire(topic: string, partition: number): Promise<Entry> {
    const existing = this.producers.get(partition);
    if (existing && existing.epoch === this.epoch) return existing;
    if (existing) {
      this.producers.delete(partition);
      await existing.producer.disconnect().catch(() => undefined);
    }
    const producer = this.kafka.producer({
      transactionalId: `${this.prefix}-${topic}-${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      transactionTimeout: this.config.kafka.transactionTimeoutMs,
      retry: { retries: 6, initialRetryTime: 100, maxRetryTime: 3000 },
    });
    await producer.connect();
    const fence = await producer.transaction();
    await fence.abort();
    const offsets = await this.admin.fetchOffsets({ groupId: this.config.kafka.groupId, topics: [topic] });
    const raw = BigInt(offsets.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
    const entry = { producer, committedOffset: raw < 0n ? 0n : raw, epoch: this.epoch };
    this.producers.set(partition, entry);
    return entry;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    await Promise.allSettled([...this.producers.values()].map((e) => e.producer.disconnect()));
    this.producers.clear();
    await this.admin.disconnect().catch(() => undefined);
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const pipe = new BarePipe(loadConfig({ env: process.env }));
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void pipe.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  pipe.start().catch((err: unknown) => {
    process.stderr.write(`bare-pipe: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
