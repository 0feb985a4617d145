import type { Registry } from 'prom-client';
import type { Db } from '../console/db.js';
import type { AlertIngestHandlers, AlertSource } from '../console/ports.js';
import { createKafkaRecordSource } from '../kafka/alert-ingest-source.js';
import { sleep } from '../platform/backoff.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { createRollupIngest, createRollupMetrics, type RollupMetrics, type RollupTopic } from './ingest.js';
import { pruneRollups } from './retention.js';

/**
 * The trend report's rollup consumer: two sources (the assessments topic under `reports.groupId`, the alerts topic
 * under `<groupId>-rings`: kafkajs assigns a group's partitions as if every member read every topic, so one group
 * per topic), each counting into PostgreSQL with its offsets in the same transaction; and retention. Runs inside the
 * console process (src/console/app.ts) after the migrations; `sources` replaces the Kafka side (tests).
 */
export interface Rollups {
  readonly metrics: RollupMetrics;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RollupOptions {
  db: Db;
  registry: Registry;
  logger: Logger;
  onFatal(err: Error): void;
  sources?: (topic: RollupTopic, handlers: AlertIngestHandlers) => AlertSource;
  onStored?: Parameters<typeof createRollupIngest>[0]['onStored'];
}

const PRUNE_EVERY_MS = 3_600_000;

export function createRollups(config: Config, o: RollupOptions): Rollups {
  const r = config.console.reports;
  const metrics = createRollupMetrics(o.registry);
  const logger = o.logger.child({ component: 'report-rollups' });
  const topics: Record<RollupTopic, { topic: string; groupId: string }> = {
    assessments: { topic: config.topics.assessments, groupId: r.groupId },
    alerts: { topic: config.topics.alerts, groupId: `${r.groupId}-rings` },
  };
  const make = (topic: RollupTopic): AlertSource => {
    const handlers = createRollupIngest({
      db: o.db,
      consumer: r.groupId,
      topic,
      metrics,
      logger,
      onFatal: (e) => o.onFatal(e),
      onStored: (s) => o.onStored?.(s),
    });
    if (o.sources) return o.sources(topic, handlers);
    const t = topics[topic];
    return createKafkaRecordSource(config, logger, handlers, { ...t, maxBatchSize: r.maxBatchSize, component: `reports-${topic}` });
  };
  const sources = [make('assessments'), make('alerts')];
  const started = new Set<AlertSource>();
  const stopping = new AbortController();
  let pruning: Promise<void> = Promise.resolve();

  async function pruneLoop(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        for (let call = 0; call < 100 && !stopping.signal.aborted; call++) {
          const res = await pruneRollups(o.db, { retentionDays: r.retentionDays, batchSize: config.console.pruneBatchSize });
          if (res.rollups + res.ringEvents > 0) logger.info({ ...res, retentionDays: r.retentionDays }, 'rollup retention deleted old rows');
          if (!res.more) break;
        }
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'rollup retention failed; trying again at the next run');
      }
      await sleep(PRUNE_EVERY_MS, stopping.signal);
    }
  }

  return {
    metrics,
    /** Starts the sources not started yet (a start-up step retried after a failure starts only the rest). */
    async start() {
      for (const s of sources) {
        if (started.has(s)) continue;
        await s.start();
        started.add(s);
      }
      pruning = pruneLoop();
      logger.info({ ...topics }, 'report rollups started');
    },
    async stop() {
      stopping.abort();
      await Promise.allSettled(sources.map((s) => s.stop()));
      await pruning;
    },
  };
}
