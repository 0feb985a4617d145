import type { SourceRef } from '../domain/application.js';
import type { LendguardError } from '../platform/errors.js';
import type { OutputRecord } from './ports.js';

/**
 * A dead-letter record keeps the original bytes as its value, untouched, so it can be replayed;
 * the reason and provenance travel in headers (the Kafka Connect DLQ convention). A value over
 * `maxValueBytes` (an oversized record) keeps only its first `maxValueBytes`, with headers that say
 * so and how large it was: the source topic/partition/offset still point at the whole record, and a
 * dead letter the broker would refuse can never block its partition.
 */
const MAX_MESSAGE_CHARS = 1024;

export function deadLetter(
  dlqTopic: string,
  original: { key: string | null; value: Buffer | null },
  source: SourceRef,
  error: LendguardError,
  nowMs: number,
  processor: string,
  maxValueBytes = Number.POSITIVE_INFINITY,
): OutputRecord {
  const value = original.value ?? Buffer.alloc(0);
  const truncated = value.length > maxValueBytes;
  const key = original.key !== null && original.key.length > 1024 ? original.key.slice(0, 1024) : original.key;
  return {
    topic: dlqTopic,
    key,
    value: truncated ? value.subarray(0, maxValueBytes) : value,
    headers: {
      ...(truncated ? { 'dlq.value.truncated': 'true', 'dlq.value.bytes': String(value.length) } : {}),
      'dlq.error.code': error.code,
      // Capped: a message may quote the input (a schemaVersion of 64 KB), and headers count against the DLQ's limit.
      'dlq.error.message': error.message.length > MAX_MESSAGE_CHARS ? `${error.message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : error.message,
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
