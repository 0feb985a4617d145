import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { AlertIngestHandlers, AlertRecordIn, AlertSource } from '../console/ports.js';
import { backoffDelay, sleep } from '../platform/backoff.js';
import type { Config } from '../platform/config.js';
import { asLendguardError, findLendguardError, type LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { createKafka } from './client.js';

/**
 * The console's reader of the alerts topic (the `AlertSource` port): read_committed, its own consumer group, and
 * offsets of record kept by the handlers (PostgreSQL), not by the group. On every partition assignment the new
 * partitions are paused (synchronously, before the next fetch), their stored offsets read, each partition seeked
 * there (the low watermark when none is stored) and resumed. Chunks of at most `maxBatchSize` records go to
 * `apply` one at a time per partition, so fetching waits for storing (backpressure). A retriable failure backs off
 * and retries the same chunk, heartbeating to keep the partition; a fatal one stops the source. After each batch
 * the next offset is also committed to the group, best effort, so that the usual lag tools work; it is never read.
 */
export interface AlertSourceOptions {
  kafka: Kafka;
  topic: string;
  groupId: string;
  maxBatchSize: number;
  sessionTimeoutMs: number;
  maxWaitTimeMs: number;
  retry: { initialMs: number; maxMs: number };
  logger: Logger;
  handlers: AlertIngestHandlers;
}

const REBALANCE_TYPES = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

/** The source from config: `topics.alerts`, `console.groupId`, `console.maxBatchSize`. */
export function createKafkaAlertSource(config: Config, logger: Logger, handlers: AlertIngestHandlers): AlertSource {
  const { groupId, maxBatchSize } = config.console;
  return createKafkaRecordSource(config, logger, handlers, { topic: config.topics.alerts, groupId, maxBatchSize, component: 'console-ingest' });
}

/** The same source on any topic and group: the trend report's rollups read the assessments and the alerts with it. */
export function createKafkaRecordSource(
  config: Config,
  logger: Logger,
  handlers: AlertIngestHandlers,
  o: { topic: string; groupId: string; maxBatchSize: number; component: string },
): AlertSource {
  return new KafkaAlertSource({
    kafka: createKafka(config, logger, `${config.kafka.clientId}-${o.component}`),
    topic: o.topic,
    groupId: o.groupId,
    maxBatchSize: o.maxBatchSize,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs,
    maxWaitTimeMs: 200,
    retry: { initialMs: config.processing.retryInitialMs, maxMs: config.processing.retryMaxMs },
    logger: logger.child({ component: o.component }),
    handlers,
  });
}

const toRecord = (m: KafkaMessage): AlertRecordIn => ({
  key: m.key ? m.key.toString('utf8') : null,
  value: m.value,
  offset: m.offset,
  timestampMs: Number(m.timestamp),
});

export class KafkaAlertSource implements AlertSource {
  private consumer: Consumer;
  private readonly admin: Admin;
  private readonly stopping = new AbortController();
  /** bumped on every assignment: a positioning loop of an older one gives up */
  private generation = 0;
  private restarts = 0;
  private fatalError: LendguardError | undefined;

  constructor(private readonly opts: AlertSourceOptions) {
    this.admin = opts.kafka.admin();
    this.consumer = this.createConsumer();
  }

  private createConsumer(): Consumer {
    const { kafka, groupId, sessionTimeoutMs, maxWaitTimeMs, logger, topic } = this.opts;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: Math.max(1000, Math.floor(sessionTimeoutMs / 5)),
      maxWaitTimeInMs: maxWaitTimeMs,
      readUncommitted: false,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => this.onAssignment(consumer, e.payload.memberAssignment[topic] ?? []));
    consumer.on(consumer.events.CRASH, (e) => {
      const { error, restart } = e.payload;
      // What a chunk threw is remembered where it was thrown (kafkajs wraps it); looking inside is the fallback.
      const inner = findLendguardError(error);
      const fatal = this.fatalError ?? (inner?.policy === 'fatal' ? inner : undefined);
      if (fatal) return this.fail(fatal);
      if (restart || this.stopping.signal.aborted) return;
      logger.warn({ err: error.message }, 'alert consumer crashed; rebuilding it');
      void this.restartAfterCrash(error);
    });
    return consumer;
  }

  async start(): Promise<void> {
    await this.admin.connect();
    await this.run();
  }

  private async run(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.opts.topic], fromBeginning: true });
    // Offsets are resolved by hand, chunk by chunk, once stored; the group's commits are for lag monitoring only.
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    try {
      await this.consumer.disconnect();
    } finally {
      await this.admin.disconnect();
    }
  }

  /** Called synchronously by kafkajs after the group's sync, before any fetch of the new assignment. */
  private onAssignment(consumer: Consumer, partitions: number[]): void {
    const generation = ++this.generation;
    if (partitions.length === 0) {
      this.opts.handlers.onAssigned?.([]);
      return;
    }
    consumer.pause([{ topic: this.opts.topic, partitions }]);
    void this.position(consumer, generation, partitions);
  }

  /** Seeks each assigned partition to its stored offset, retrying until it can or the assignment is gone. */
  private async position(consumer: Consumer, generation: number, partitions: number[]): Promise<void> {
    const { topic, handlers, logger } = this.opts;
    for (let attempt = 0; ; attempt++) {
      if (generation !== this.generation || this.stopping.signal.aborted) return;
      try {
        const offsets = await this.startOffsets(partitions);
        if (generation !== this.generation || this.stopping.signal.aborted) return;
        for (const [partition, offset] of offsets) consumer.seek({ topic, partition, offset: offset.toString() });
        consumer.resume([{ topic, partitions }]);
        logger.info(
          { topic, partitions: Object.fromEntries([...offsets].map(([p, o]) => [p, o.toString()])) },
          'partitions positioned at their stored offsets',
        );
        handlers.onAssigned?.(partitions);
        return;
      } catch (err) {
        const e = asLendguardError(err, 'KAFKA_UNAVAILABLE');
        if (e.policy !== 'retriable') return this.fail(e);
        await this.backOff(e, attempt, 'positioning the partitions');
      }
    }
  }

  /** Stored next offsets, held within the partition's current range (a gap lost to Kafka's retention is logged). */
  private async startOffsets(partitions: number[]): Promise<Map<number, bigint>> {
    const { topic, handlers, logger } = this.opts;
    const stored = await handlers.storedOffsets(topic, partitions);
    const watermarks = new Map((await this.admin.fetchTopicOffsets(topic)).map((w) => [w.partition, { low: BigInt(w.low), high: BigInt(w.high) }]));
    const offsets = new Map<number, bigint>();
    for (const partition of partitions) {
      const { low, high } = watermarks.get(partition) ?? { low: 0n, high: 0n };
      const at = stored.get(partition);
      if (at !== undefined && at < low)
        logger.warn(
          { topic, partition, stored: at.toString(), low: low.toString() },
          'records between the stored offset and the oldest kept by Kafka are gone (retention)',
        );
      if (at !== undefined && at > high)
        logger.warn(
          { topic, partition, stored: at.toString(), high: high.toString() },
          'stored offset is past the end of the partition (topic recreated?): records below it are skipped',
        );
      offsets.set(partition, at === undefined || at < low ? low : at);
    }
    return offsets;
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { maxBatchSize } = this.opts;
    let next: bigint | undefined;
    for (let i = 0; i < batch.messages.length; i += maxBatchSize) {
      if (!payload.isRunning() || payload.isStale() || this.stopping.signal.aborted) break;
      const chunk = batch.messages.slice(i, i + maxBatchSize);
      const last = chunk[chunk.length - 1] as KafkaMessage;
      const nextOffset = BigInt(last.offset) + 1n;
      const stored = await this.applyWithRetry({ topic: batch.topic, partition: batch.partition, records: chunk.map(toRecord), nextOffset }, payload);
      if (!stored) break;
      payload.resolveOffset(last.offset);
      next = nextOffset;
    }
    if (next !== undefined) await this.commitForMonitoring(batch.topic, batch.partition, next);
  }

  /** True once stored; false when the consumer is stopping or lost the partition. */
  private async applyWithRetry(chunk: Parameters<AlertIngestHandlers['apply']>[0], payload: EachBatchPayload): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      if (!payload.isRunning() || payload.isStale() || this.stopping.signal.aborted) return false;
      try {
        await this.opts.handlers.apply(chunk);
        if (attempt > 0) this.opts.logger.info({ partition: chunk.partition, attempts: attempt + 1 }, 'storing alerts recovered');
        return true;
      } catch (err) {
        const e = asLendguardError(err, 'POSTGRES_UNAVAILABLE');
        if (e.policy !== 'retriable') {
          this.fail(e);
          throw e;
        }
        await this.backOff(e, attempt, `storing ${chunk.records.length} alerts of partition ${chunk.partition}`);
        await this.heartbeatOrRejoin(payload, e);
      }
    }
  }

  private async backOff(e: LendguardError, attempt: number, what: string): Promise<void> {
    const delay = backoffDelay(attempt, this.opts.retry);
    this.opts.handlers.onRetry?.(e, attempt, delay);
    this.opts.logger.warn({ code: e.code, err: e.message, attempt, delayMs: delay }, `${what} failed, backing off; no offset moves`);
    await sleep(delay, this.stopping.signal);
  }

  /** A heartbeat keeps the partition while backing off; a rebalance ends the batch (kafkajs rejoins, and we reposition). */
  private async heartbeatOrRejoin(payload: EachBatchPayload, cause: LendguardError): Promise<void> {
    try {
      await payload.heartbeat();
    } catch (err) {
      if (REBALANCE_TYPES.has((err as { type?: string }).type ?? '')) {
        this.opts.logger.info({ cause: cause.code }, 'group is rebalancing; leaving the chunk to whoever owns the partition next');
        throw err;
      }
    }
  }

  private async commitForMonitoring(topic: string, partition: number, next: bigint): Promise<void> {
    try {
      await this.consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
    } catch (err) {
      this.opts.logger.debug({ partition, err: (err as Error).message }, 'could not commit the offset to the group (lag monitoring only)');
    }
  }

  private fail(e: LendguardError): void {
    if (this.fatalError) return;
    this.fatalError = e;
    this.opts.handlers.onFatal(e);
  }

  private async restartAfterCrash(error: Error): Promise<void> {
    const delay = backoffDelay(this.restarts++, this.opts.retry);
    this.opts.logger.warn({ err: error.message, delayMs: delay, attempt: this.restarts }, 'restarting the alert consumer');
    await sleep(delay, this.stopping.signal);
    if (this.stopping.signal.aborted) return;
    await this.consumer.disconnect().catch(() => undefined);
    this.consumer = this.createConsumer();
    try {
      await this.run();
      this.restarts = 0;
    } catch (err) {
      if (!this.stopping.signal.aborted) await this.restartAfterCrash(err as Error);
    }
  }
}
