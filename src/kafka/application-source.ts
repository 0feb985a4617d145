import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { ApplicationHandlers, ApplicationSource, InputRecord, OutputRecord } from '../pipeline/ports.js';
import { backoffDelay, sleep } from '../platform/backoff.js';
import type { Config } from '../platform/config.js';
import { asLendguardError, findLendguardError, LendguardError } from '../platform/errors.js';
import type { Health } from '../platform/health.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { PartitionTransactions } from './partition-transactions.js';

/**
 * The application source on Kafka (the `ApplicationSource` port). It owns offsets: a chunk of records moves the
 * group's offset only inside the transaction that also carries the chunk's outputs. On a retriable failure
 * (Redis or Kafka away) it stops taking new work, backs off and retries the same records; nothing is skipped.
 */
export interface SourceDeps<R extends { outputs: readonly OutputRecord[] }> {
  kafka: Kafka;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  health: Health;
  transactions: PartitionTransactions;
  handlers: ApplicationHandlers<R>;
}

/** The consumer settings of the processor (the benchmark's bare pipe uses the same). */
export function consumerOptions(config: Config): ConsumerConfig {
  return {
    groupId: config.kafka.groupId,
    sessionTimeout: config.kafka.sessionTimeoutMs,
    heartbeatInterval: Math.max(1000, Math.floor(config.kafka.sessionTimeoutMs / 5)),
    maxWaitTimeInMs: config.processing.maxWaitTimeMs,
    readUncommitted: false,
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10000 },
  };
}

const REBALANCE_TYPES = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

function toInput(topic: string, partition: number, m: KafkaMessage): InputRecord {
  return {
    key: m.key ? m.key.toString('utf8') : null,
    value: m.value,
    source: { topic, partition, offset: m.offset, timestampMs: Number(m.timestamp) },
  };
}

export class KafkaApplicationSource<R extends { outputs: readonly OutputRecord[] }> implements ApplicationSource {
  private consumer: Consumer;
  private readonly stopping = new AbortController();
  private restarts = 0;
  /** The fatal error a batch threw, for the CRASH handler (kafkajs does not hand it over intact). */
  private fatalError: LendguardError | undefined;

  constructor(private readonly deps: SourceDeps<R>) {
    this.consumer = this.createConsumer();
  }

  private createConsumer(): Consumer {
    const deps = this.deps;
    const { config } = deps;
    const consumer = deps.kafka.consumer(consumerOptions(config));
    const { GROUP_JOIN, CRASH } = consumer.events;
    consumer.on(GROUP_JOIN, (e) => {
      this.restarts = 0;
      deps.transactions.onRebalance();
      deps.health.set('ready');
      deps.metrics.ready.set(1);
      deps.health.details.assignment = e.payload.memberAssignment;
      deps.logger.info({ assignment: e.payload.memberAssignment }, 'joined consumer group');
    });
    consumer.on(CRASH, (e) => {
      const { error, restart } = e.payload;
      deps.logger.error({ err: error.message, restart }, 'consumer crashed');
      deps.health.set('backing-off', `consumer crashed: ${error.message}`);
      deps.metrics.ready.set(0);
      // kafkajs wraps what the batch handler threw (KafkaJSNonRetriableError) and keeps only its message and
      // *its* cause, so the fatal error is remembered where it was thrown; looking inside is the fallback.
      const inner = this.fatalError ?? findLendguardError(error);
      if (inner?.policy === 'fatal') {
        deps.handlers.onFatal(inner);
        return;
      }
      if (restart || this.stopping.signal.aborted) return; // kafkajs restarts it itself
      void this.restartAfterCrash(error);
    });
    return consumer;
  }

  /**
   * kafkajs gives up on errors it deems non-retriable (e.g. "Failed to find group coordinator"
   * while a restarted broker loads its offsets topic). Those are still transient for us: build a
   * new consumer and rejoin after a backoff. Offsets never moved past unprocessed work.
   */
  private async restartAfterCrash(error: Error): Promise<void> {
    const { config, logger } = this.deps;
    const delay = backoffDelay(this.restarts++, { initialMs: config.processing.retryInitialMs, maxMs: config.processing.retryMaxMs });
    logger.warn({ err: error.message, delayMs: delay, attempt: this.restarts }, 'restarting the consumer');
    await sleep(delay, this.stopping.signal);
    if (this.stopping.signal.aborted) return;
    this.consumer = this.createConsumer();
    try {
      await this.start();
    } catch (err) {
      if (!this.stopping.signal.aborted) await this.restartAfterCrash(err as Error);
    }
  }

  async start(): Promise<void> {
    const { config } = this.deps;
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [config.topics.applications], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: config.processing.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Stops fetching, lets the open transaction finish (or abort), leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.disconnect();
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload; // the payload's functions are called on it (kafkajs types them as methods)
    const { config, metrics } = this.deps;
    metrics.recordsIn.inc({ topic: batch.topic }, batch.messages.length);
    metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    const size = config.processing.maxBatchSize;
    for (let i = 0; i < batch.messages.length; i += size) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = batch.messages.slice(i, i + size);
      const done = await this.processChunk(batch.topic, batch.partition, chunk, payload);
      if (!done) return;
      payload.resolveOffset((chunk[chunk.length - 1] as KafkaMessage).offset);
    }
  }

  /** Returns true once the chunk is committed, false if the consumer is stopping. */
  private async processChunk(topic: string, partition: number, chunk: KafkaMessage[], payload: EachBatchPayload): Promise<boolean> {
    const { transactions, handlers, metrics, logger, health, config } = this.deps;
    for (let attempt = 0; ; attempt++) {
      if (!payload.isRunning() || this.stopping.signal.aborted) return false;
      const timer = metrics.batchSeconds.startTimer();
      let result: R | undefined;
      try {
        const session = await transactions.acquire(topic, partition);
        const pending = chunk.filter((m) => BigInt(m.offset) >= session.committedOffset);
        if (pending.length < chunk.length) metrics.skippedCommitted.inc(chunk.length - pending.length);
        if (pending.length === 0) return true;
        const startedMs = Date.now();
        for (const m of pending) metrics.stageSeconds.observe({ stage: 'queued' }, Math.max(0, startedMs - Number(m.timestamp)) / 1000);
        result = await handlers.handle(pending.map((m) => toInput(topic, partition, m)));
        const handledMs = Date.now();
        metrics.stageSeconds.observe({ stage: 'handle' }, (handledMs - startedMs) / 1000);
        const last = pending[pending.length - 1] as KafkaMessage;
        await session.commit(result.outputs, BigInt(last.offset) + 1n);
        metrics.stageSeconds.observe({ stage: 'commit' }, (Date.now() - handledMs) / 1000);
        timer();
        metrics.transactions.inc({ result: 'committed' });
        handlers.onCommitted?.(result);
        if (attempt > 0) logger.info({ topic, partition, attempts: attempt + 1 }, 'recovered, processing resumed');
        health.set('ready');
        metrics.ready.set(1);
        return true;
      } catch (err) {
        if (result) handlers.onAborted?.(result);
        const e = asLendguardError(err, 'INTERNAL');
        metrics.transactions.inc({ result: 'failed' });
        if (e.policy === 'fatal') {
          this.fatalError ??= e;
          throw e;
        }
        const delay = backoffDelay(attempt, { initialMs: config.processing.retryInitialMs, maxMs: config.processing.retryMaxMs });
        metrics.retries.inc({ code: e.code });
        metrics.ready.set(0);
        health.set('backing-off', `${e.code}: ${e.message}`);
        logger.warn({ topic, partition, attempt, delayMs: delay, code: e.code, err: e.message }, 'batch failed, backing off; no offsets move');
        await this.backOff(payload, delay, e);
      }
    }
  }

  /**
   * Sleeps `delayMs` in slices of the heartbeat interval, heartbeating after each: a backoff as long as the session
   * timeout (retryMaxMs and sessionTimeoutMs are both 10 s by default) would otherwise cost the group a rebalance on
   * every retry while Redis is away.
   */
  private async backOff(payload: EachBatchPayload, delayMs: number, cause: LendguardError): Promise<void> {
    const slice = consumerOptions(this.deps.config).heartbeatInterval ?? 1000;
    for (let left = delayMs; left > 0 && !this.stopping.signal.aborted; left -= slice) {
      await sleep(Math.min(slice, left), this.stopping.signal);
      await this.heartbeatOrRejoin(payload, cause);
    }
  }

  /** A heartbeat keeps group membership while backing off; a rebalance ends the batch (kafkajs rejoins). */
  private async heartbeatOrRejoin(payload: EachBatchPayload, cause: LendguardError): Promise<void> {
    try {
      await payload.heartbeat();
    } catch (err) {
      const type = (err as { type?: string }).type ?? '';
      if (REBALANCE_TYPES.has(type)) {
        this.deps.logger.info({ cause: cause.code }, 'group is rebalancing; leaving the batch uncommitted');
        throw err;
      }
    }
  }
}
