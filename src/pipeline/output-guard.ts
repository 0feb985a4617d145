import type { LendguardError } from '../platform/errors.js';
import type { OutputRecord } from './ports.js';

/**
 * Outputs the broker would refuse never go out: an output larger than its topic takes (max.message.bytes, read
 * at start-up) would fail its transaction on every retry and block its partition for ever. It is replaced by a
 * dead letter (`OUTPUT_TOO_LARGE`) that keeps the first `maxValueBytes` of it and says which topic refused it.
 * Pure.
 */
export interface OutputLimits {
  /** topic → most bytes one message may have (key, value and headers) */
  maxMessageBytes: ReadonlyMap<string, number>;
  dlq: string;
  maxValueBytes: number;
}

/** Broker-side record overhead allowance (batch header, attributes, varints). */
const OVERHEAD = 512;

/** An output's own bytes: key, value and headers (what the broker counts, less its per-record overhead). */
export function outputBytes(r: OutputRecord): number {
  let n = Buffer.byteLength(r.value) + (r.key ? Buffer.byteLength(r.key) : 0);
  for (const [k, v] of Object.entries(r.headers ?? {})) n += Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}

const sizeOf = (r: OutputRecord): number => OVERHEAD + outputBytes(r);

export function guardOutputs(
  outputs: readonly OutputRecord[],
  limits: OutputLimits,
  refused: (r: OutputRecord, size: number, limit: number) => LendguardError,
  nowMs: number,
  processor: string,
): OutputRecord[] {
  return outputs.map((r) => {
    const limit = limits.maxMessageBytes.get(r.topic);
    if (limit === undefined || r.topic === limits.dlq) return r;
    const size = sizeOf(r);
    if (size <= limit) return r;
    const err = refused(r, size, limit);
    const value = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    return {
      topic: limits.dlq,
      key: r.key,
      value: value.subarray(0, limits.maxValueBytes),
      headers: {
        'dlq.error.code': err.code,
        'dlq.error.message': err.message,
        'dlq.error.policy': err.policy,
        'dlq.output.topic': r.topic,
        'dlq.output.bytes': String(size),
        'dlq.value.truncated': String(value.length > limits.maxValueBytes),
        'dlq.failed.at': new Date(nowMs).toISOString(),
        'dlq.processor': processor,
      },
    };
  });
}
