import type { Health } from '../platform/health.js';
import type { Logger } from '../platform/logger.js';
import { postgresError, type Db } from './db.js';
import { decodeAlert } from './decode-alert.js';
import type { ConsoleMetrics } from './metrics.js';
import type { AlertChunk, AlertIngestHandlers } from './ports.js';
import { storeChunk, storedOffsets, type DecodedRecord, type StoredChunk } from './store/ingest.js';

/**
 * The alert ingest's handlers for the `AlertSource` port: decode each record (pure; a bad one becomes a dead
 * alert, never an error), then store the chunk's rows, dead alerts and next offset in one transaction
 * (store/ingest.ts). PostgreSQL's errors leave here classified: POSTGRES_UNAVAILABLE is retried by the source.
 */
export interface IngestDeps {
  db: Db;
  /** the consumer name of the offsets (the console's group id) */
  consumer: string;
  metrics: ConsoleMetrics;
  health: Health;
  logger: Logger;
  onFatal(err: Error): void;
  /** Called after a chunk stored new alerts (the live stream of the API reads them). */
  onAlertsStored?(): void;
}

function decodeChunk(chunk: AlertChunk): DecodedRecord[] {
  return chunk.records.map((r) => ({
    offset: BigInt(r.offset),
    decoded: decodeAlert({ source: { topic: chunk.topic, partition: chunk.partition, offset: r.offset }, key: r.key, value: r.value }),
  }));
}

export function createAlertIngest(deps: IngestDeps): AlertIngestHandlers {
  const { db, consumer, metrics, health, logger } = deps;
  const ready = (): void => {
    health.set('ready');
    metrics.ready.set(1);
  };
  return {
    async storedOffsets(topic, partitions) {
      try {
        return await storedOffsets(db, consumer, topic, partitions);
      } catch (err) {
        throw postgresError(err, 'reading the stored offsets');
      }
    },
    async apply(chunk) {
      const timer = metrics.chunkSeconds.startTimer();
      const records = decodeChunk(chunk);
      let stored;
      try {
        stored = await storeChunk(db, { consumer, topic: chunk.topic, partition: chunk.partition, records, nextOffset: chunk.nextOffset });
      } catch (err) {
        throw postgresError(err, `storing alerts of ${chunk.topic}[${chunk.partition}]`);
      }
      timer();
      countStored(records, stored, metrics);
      if (stored.alerts > 0) deps.onAlertsStored?.();
      if (stored.dead > 0) logger.warn({ partition: chunk.partition, dead: stored.dead }, 'records of the alerts topic kept as dead alerts');
      ready();
    },
    onRetry(err) {
      metrics.retries.inc({ code: err.code });
      metrics.ready.set(0);
      health.set('backing-off', `${err.code}: ${err.message}`);
    },
    onAssigned(partitions) {
      health.details.assignment = partitions;
      ready();
    },
    onFatal: (err) => deps.onFatal(err),
  };
}

/** Counts what a stored chunk wrote: alert rows, dead alerts by code, records skipped as already stored. */
function countStored(records: readonly DecodedRecord[], stored: StoredChunk, metrics: ConsoleMetrics): void {
  if (stored.skipped > 0) metrics.skipped.inc(stored.skipped);
  if (stored.alerts > 0) metrics.alertsStored.inc(stored.alerts);
  if (stored.refused > 0) metrics.deadAlerts.inc({ code: 'ALERT_NOT_STORABLE' }, stored.refused);
  for (const r of records.slice(stored.skipped)) if ('dead' in r.decoded) metrics.deadAlerts.inc({ code: r.decoded.dead.code });
}
