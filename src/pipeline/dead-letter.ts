import type { SourceRef } from '../domain/application.js';
import type { LendguardError } from '../platform/errors.js';
import type { OutputRecord } from './ports.js';

/**
 * A dead-letter record keeps the original bytes as its value, untouched, so it can be replayed;
 * the reason and provenance travel in headers (the Kafka Connect DLQ convention).
 */
export function deadLetter(
  dlqTopic: string,
  original: { key: string | null; value: Buffer | null },
  source: SourceRef,
  error: LendguardError,
  nowMs: number,
  processor: string,
): OutputRecord {
  return {
    topic: dlqTopic,
    key: original.key,
    value: original.value ?? Buffer.alloc(0),
    headers: {
      'dlq.error.code': error.code,
      'dlq.error.message': error.message,
      'dlq.error.policy': error.policy,
      'dlq.source.topic': source.topic,
      'dlq.source.partition': String(source.partition),
      'dlq.source.offset': source.offset,
      'dlq.source.timestamp': String(source.timestampMs),
      'dlq.failed.at': new Date(nowMs).toISOString(),
      'dlq.processor': processor,
    },
  };
}
