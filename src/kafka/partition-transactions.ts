import { Partitioners, type Admin, type Kafka, type Message, type Producer } from 'kafkajs';
import { outputBytes } from '../pipeline/output-guard.js';
import type { OutputRecord } from '../pipeline/ports.js';
import { LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';

/**
 * Exactly-once output for one input partition at a time.
 *
 * kafkajs's sendOffsets predates KIP-447: the offset commit carries no group generation, so the
 * group coordinator cannot reject a zombie that lost its partition in a rebalance. We fence zombies
 * the pre-KIP-447 way (Kafka Streams "EOS alpha"): one transactional id per input partition. Whoever
 * owns partition p initialises the producer `${prefix}-${topic}-${p}`, which bumps the epoch, aborts
 * or completes any transaction the previous owner left open, and fences that owner's producer.
 * Only then does it read the group's committed offset for p, and it skips every record below it:
 * a record the zombie already committed is never assessed twice.
 */
export interface PartitionSession {
  /** Records below this offset were already committed by some owner of the partition. */
  readonly committedOffset: bigint;
  /** Sends the outputs and the consumer offset `nextOffset` in one transaction. */
  commit(outputs: readonly OutputRecord[], nextOffset: bigint): Promise<void>;
}

interface Entry {
  producer: Producer;
  committedOffset: bigint;
  epoch: number;
}

export interface PartitionTransactionsOptions {
  /** Outputs go out in sends of at most this many bytes (keys + values), all in one transaction:
   * a chunk's assessments share one output partition and the broker rejects a record batch over
   * its message.max.bytes (1 MiB by default). */
  maxSendBytes: number;
  transactionalIdPrefix: string;
  groupId: string;
  transactionTimeoutMs: number;
  logger: Logger;
}

function toMessage(r: OutputRecord): Message {
  return { key: r.key, value: r.value, headers: r.headers };
}

/** Splits outputs into consecutive runs of at most `maxBytes` (keys, values and headers; a single larger record stands alone). */
export function splitByBytes(outputs: readonly OutputRecord[], maxBytes: number): OutputRecord[][] {
  const runs: OutputRecord[][] = [];
  let run: OutputRecord[] = [];
  let bytes = 0;
  for (const r of outputs) {
    const size = outputBytes(r);
    if (run.length > 0 && bytes + size > maxBytes) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(r);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function groupByTopic(outputs: readonly OutputRecord[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const r of outputs) {
    const list = byTopic.get(r.topic) ?? [];
    list.push(toMessage(r));
    byTopic.set(r.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function isFencing(err: unknown): boolean {
  const type = (err as { type?: string } | null)?.type ?? '';
  return /PRODUCER_FENCED|INVALID_PRODUCER_EPOCH|TRANSACTIONAL_ID_AUTHORIZATION/.test(type) || /fenced/i.test(String((err as Error)?.message));
}

export class PartitionTransactions {
  private readonly entries = new Map<string, Entry>();
  private epoch = 0;
  private sendCap: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly opts: PartitionTransactionsOptions,
  ) {
    this.sendCap = opts.maxSendBytes;
  }

  /**
   * The broker takes a record batch (one partition's records of a send) up to the topic's max.message.bytes, not
   * only each record: sends are cut to a tenth under the smallest limit of the output topics, so records that each
   * fit cannot add up to a batch refused on every retry.
   */
  capSends(smallestTopicLimit: number): void {
    this.sendCap = Math.max(1, Math.min(this.opts.maxSendBytes, Math.floor(smallestTopicLimit * 0.9)));
  }

  /** After a rebalance every partition must be fenced and its committed offset read again. */
  onRebalance(): void {
    this.epoch += 1;
  }

  async acquire(topic: string, partition: number): Promise<PartitionSession> {
    const id = `${topic}-${partition}`;
    let entry = this.entries.get(id);
    if (entry && entry.epoch !== this.epoch) {
      await this.invalidate(topic, partition);
      entry = undefined;
    }
    if (!entry) {
      entry = await this.open(topic, partition);
      this.entries.set(id, entry);
    }
    return this.session(entry, topic, partition);
  }

  private async open(topic: string, partition: number): Promise<Entry> {
    const transactionalId = `${this.opts.transactionalIdPrefix}-${topic}-${partition}`;
    const producer = this.kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      transactionTimeout: this.opts.transactionTimeoutMs,
      retry: { retries: 6, initialRetryTime: 100, maxRetryTime: 3000 },
    });
    try {
      await producer.connect();
      // The first transaction() runs InitProducerId: this is the fencing step. Aborting an empty
      // transaction sends nothing.
      const fence = await producer.transaction();
      await fence.abort();
      const committedOffset = await this.committedOffset(topic, partition);
      this.opts.logger.info({ topic, partition, transactionalId, committedOffset: committedOffset.toString() }, 'partition producer ready');
      return { producer, committedOffset, epoch: this.epoch };
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw new LendguardError('KAFKA_UNAVAILABLE', `cannot initialise the producer for ${topic}[${partition}]: ${(err as Error).message}`, { cause: err });
    }
  }

  private async committedOffset(topic: string, partition: number): Promise<bigint> {
    const offsets = await this.admin.fetchOffsets({ groupId: this.opts.groupId, topics: [topic] });
    const entry = offsets.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === partition);
    const offset = BigInt(entry?.offset ?? '-1');
    return offset < 0n ? 0n : offset;
  }

  private session(entry: Entry, topic: string, partition: number): PartitionSession {
    return {
      committedOffset: entry.committedOffset,
      commit: async (outputs, nextOffset) => {
        const txn = await entry.producer.transaction();
        try {
          for (const run of splitByBytes(outputs, this.sendCap)) await txn.sendBatch({ topicMessages: groupByTopic(run), acks: -1 });
          await txn.sendOffsets({
            consumerGroupId: this.opts.groupId,
            topics: [{ topic, partitions: [{ partition, offset: nextOffset.toString() }] }],
          });
          await txn.commit();
          entry.committedOffset = nextOffset;
        } catch (err) {
          await txn.abort().catch(() => undefined);
          await this.invalidate(topic, partition);
          const code = isFencing(err) ? 'PRODUCER_FENCED' : 'TRANSACTION_FAILED';
          throw new LendguardError(code, `transaction for ${topic}[${partition}] failed: ${(err as Error).message}`, { cause: err });
        }
      },
    };
  }

  async invalidate(topic: string, partition: number): Promise<void> {
    const id = `${topic}-${partition}`;
    const entry = this.entries.get(id);
    this.entries.delete(id);
    await entry?.producer.disconnect().catch(() => undefined);
  }

  async close(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(entries.map((e) => e.producer.disconnect()));
  }
}
