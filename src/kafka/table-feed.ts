import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { TableFeed, TableFeedOptions } from '../pipeline/ports.js';
import { backoffDelay, sleep } from '../platform/backoff.js';
import type { Logger } from '../platform/logger.js';

/**
 * Reads a whole topic, every partition, from the beginning, on every instance: the GlobalKTable
 * pattern. Each process start uses its own consumer group (a random suffix), so every instance
 * gets every partition and a restarted process replays the topic in full; within one process the
 * group's committed offsets let a crashed consumer resume. `caughtUp()` resolves once everything in the
 * topic when the consumer started has been applied (read_committed: aborted records are never
 * seen), so an instance can wait for its replica before it takes work.
 */
export interface KafkaTableFeedOptions extends TableFeedOptions {
  kafka: Kafka;
  admin: Admin;
  logger: Logger;
}

/** The `TableFeed` port on Kafka; the group id is the prefix plus a random suffix per start. */
export class KafkaTableFeed implements TableFeed {
  private consumer: Consumer | undefined;
  private readonly pending = new Map<number, bigint>();
  private resolveCaughtUp: () => void = () => undefined;
  private readonly caughtUpPromise = new Promise<void>((resolve) => (this.resolveCaughtUp = resolve));
  private applied = 0;
  private stopped = false;
  private readonly groupId: string;

  constructor(private readonly opts: KafkaTableFeedOptions) {
    this.groupId = `${opts.groupPrefix}-${randomBytes(6).toString('hex')}`;
  }

  /** Records applied so far (for progress output and metrics). */
  get count(): number {
    return this.applied;
  }

  caughtUp(): Promise<void> {
    return this.caughtUpPromise;
  }

  async start(): Promise<void> {
    const { admin, topic, logger } = this.opts;
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const high = BigInt(p.high);
      if (high > BigInt(p.low)) this.pending.set(p.partition, high - 1n);
    }
    this.checkCaughtUp();
    await this.run();
    logger.info({ topic, groupId: this.groupId, partitionsToReplay: this.pending.size }, 'replaying table topic');
  }

  private async run(): Promise<void> {
    const { kafka, topic, logger } = this.opts;
    if (this.stopped) return;
    // A start that is tried again (after a failure) replaces the consumer; it never leaves one behind.
    const previous = this.consumer;
    this.consumer = undefined;
    await previous?.disconnect().catch(() => undefined);
    const consumer = kafka.consumer({ groupId: this.groupId, readUncommitted: false, maxWaitTimeInMs: 100, maxBytesPerPartition: 8 * 1024 * 1024 });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      if (e.payload.restart || this.stopped) return;
      logger.warn({ topic, err: e.payload.error.message }, 'table consumer crashed; restarting it');
      void this.restart(0);
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      const last = this.pending.get(e.payload.partition);
      if (last !== undefined && BigInt(e.payload.lastOffset) >= last) {
        this.pending.delete(e.payload.partition);
        this.checkCaughtUp();
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachBatch: (payload) => this.eachBatch(payload) });
    // Stopped while starting: the consumer that just started must not outlive the stop.
    if (this.stopped || this.consumer !== consumer) await consumer.disconnect().catch(() => undefined);
  }

  /** Rebuilds the consumer after a crash kafkajs gave up on, backing off for as long as it takes. */
  private async restart(attempt: number): Promise<void> {
    const { topic, logger } = this.opts;
    await sleep(backoffDelay(attempt, { initialMs: 1000, maxMs: 30_000 }));
    if (this.stopped) return;
    await this.consumer?.disconnect().catch(() => undefined);
    try {
      await this.run();
      logger.info({ topic, attempts: attempt + 1 }, 'table consumer restarted');
    } catch (err) {
      logger.error({ topic, err: (err as Error).message, attempt: attempt + 1 }, 'table consumer restart failed; trying again');
      await this.restart(attempt + 1);
    }
  }

  private async eachBatch({ batch }: EachBatchPayload): Promise<void> {
    await this.opts.onRecords(batch.messages, batch.partition);
    this.applied += batch.messages.length;
  }

  private checkCaughtUp(): void {
    if (this.pending.size === 0) this.resolveCaughtUp();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }
}
