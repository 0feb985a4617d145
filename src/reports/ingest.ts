import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { postgresError, type Db } from '../console/db.js';
import type { AlertChunk, AlertIngestHandlers, AlertRecordIn } from '../console/ports.js';
import { storedOffsets } from '../console/store/ingest.js';
import type { Logger } from '../platform/logger.js';
import { decodeAlertRecord, decodeAssessmentRecord, type RollupRecord } from './decode.js';
import { storeRollupChunk, type RollupChunkRecord } from './store.js';

/**
 * The rollup consumer's handlers for the table-feed port (src/console/ports.ts; the Kafka side is the console's
 * source on another topic and group): decode each record (pure; a bad one becomes a dead record, never an error),
 * then add the chunk's counts, ring events, dead records and next offset in one transaction (store.ts).
 * PostgreSQL's errors leave here classified: POSTGRES_UNAVAILABLE is retried by the source.
 */
export type RollupTopic = 'assessments' | 'alerts';

export function createRollupMetrics(registry: Registry) {
  const registers = [registry];
  return {
    counted: new Counter({
      name: 'lendguard_reports_records_total',
      help: 'Records of the assessments and alerts topics counted into the rollups, by what they were',
      labelNames: ['topic', 'kind'],
      registers,
    }),
    skipped: new Counter({ name: 'lendguard_reports_skipped_total', help: 'Records redelivered below the stored offset (not counted again)', registers }),
    chunkSeconds: new Histogram({
      name: 'lendguard_reports_chunk_seconds',
      help: 'Time to decode and store one chunk of the rollups',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    retries: new Counter({ name: 'lendguard_reports_retries_total', help: 'Rollup retries by error code', labelNames: ['code'], registers }),
    ready: new Gauge({ name: 'lendguard_reports_ready', help: '1 when the rollups of a topic are counting normally', labelNames: ['topic'], registers }),
  };
}

export type RollupMetrics = ReturnType<typeof createRollupMetrics>;

export interface RollupIngestDeps {
  db: Db;
  /** the consumer name of the offsets */
  consumer: string;
  topic: RollupTopic;
  metrics: RollupMetrics;
  logger: Logger;
  onFatal(err: Error): void;
  /** after each stored chunk (tests, progress) */
  onStored?(stored: { assessments: number; ringEvents: number; dead: number; skipped: number }): void;
}

function decode(topic: RollupTopic, chunk: AlertChunk, r: AlertRecordIn): RollupRecord {
  const record = { source: { topic: chunk.topic, partition: chunk.partition, offset: r.offset }, key: r.key, value: r.value };
  return topic === 'assessments' ? decodeAssessmentRecord(record, r.timestampMs) : decodeAlertRecord(record);
}

export function createRollupIngest(deps: RollupIngestDeps): AlertIngestHandlers {
  const { db, consumer, topic, metrics, logger } = deps;
  return {
    async storedOffsets(t, partitions) {
      try {
        return await storedOffsets(db, consumer, t, partitions);
      } catch (err) {
        throw postgresError(err, 'reading the rollups stored offsets');
      }
    },
    async apply(chunk) {
      const timer = metrics.chunkSeconds.startTimer();
      const records: RollupChunkRecord[] = chunk.records.map((r) => ({
        offset: BigInt(r.offset),
        key: r.key,
        value: r.value,
        record: decode(topic, chunk, r),
      }));
      let stored;
      try {
        stored = await storeRollupChunk(db, { consumer, topic: chunk.topic, partition: chunk.partition, records, nextOffset: chunk.nextOffset });
      } catch (err) {
        throw postgresError(err, `counting ${chunk.topic}[${chunk.partition}] into the rollups`);
      }
      timer();
      if (stored.skipped > 0) metrics.skipped.inc(stored.skipped);
      for (const r of records.slice(stored.skipped)) metrics.counted.inc({ topic, kind: r.record.kind });
      if (stored.dead > 0) logger.warn({ topic: chunk.topic, partition: chunk.partition, dead: stored.dead }, 'records kept as dead records by the rollups');
      metrics.ready.set({ topic }, 1);
      deps.onStored?.(stored);
    },
    onRetry(err) {
      metrics.retries.inc({ code: err.code });
      metrics.ready.set({ topic }, 0);
    },
    onAssigned: () => metrics.ready.set({ topic }, 1),
    onFatal: (err) => deps.onFatal(err),
  };
}
