/**
 * The port between the console's alert ingest (src/console/ingest.ts, PostgreSQL) and the log it reads
 * (src/kafka/alert-ingest-source.ts, kafkajs). Like the pipeline's ports, no client or connection type crosses it.
 *
 * Offsets of record live in the store, not in the broker: on every partition assignment the source asks
 * `storedOffsets` and seeks there; each `apply` writes a chunk's rows and the partition's next offset in one
 * database transaction. The source may also commit to the broker, for lag monitoring only.
 */
import type { LendguardError } from '../platform/errors.js';

/** One record of the alerts topic as the ingest sees it. */
export interface AlertRecordIn {
  key: string | null;
  value: Buffer | null;
  /** decimal, as the broker gives it */
  offset: string;
  timestampMs: number;
}

/** Consecutive records of one partition, and the offset to resume from once they are stored. */
export interface AlertChunk {
  topic: string;
  partition: number;
  records: readonly AlertRecordIn[];
  /** last record's offset + 1 */
  nextOffset: bigint;
}

export interface AlertIngestHandlers {
  /** The next offset stored for each of these partitions; a partition with none stored is absent (read from its start). */
  storedOffsets(topic: string, partitions: readonly number[]): Promise<Map<number, bigint>>;
  /** Stores the chunk and its next offset atomically. Throws a LendguardError: retriable ones are retried with backoff. */
  apply(chunk: AlertChunk): Promise<void>;
  /** A retriable failure (the same records are tried again after `delayMs`). */
  onRetry?(err: LendguardError, attempt: number, delayMs: number): void;
  /** The partitions this consumer now owns, each positioned at its stored offset. */
  onAssigned?(partitions: readonly number[]): void;
  /** A fatal error: the source stops taking records. */
  onFatal(err: LendguardError): void;
}

export interface AlertSource {
  start(): Promise<void>;
  /** Stops fetching, lets the chunk being stored finish, leaves the group. */
  stop(): Promise<void>;
}
