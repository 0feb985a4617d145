/**
 * One catalogue of error codes. Every error the processor raises carries its policy:
 * - `poison`: the record itself is bad; it goes to the dead-letter topic and the stream moves on.
 * - `retriable`: a dependency is unavailable; stop taking new work, back off, retry the same records.
 * - `fatal`: the process cannot continue safely (e.g. invalid config); exit non-zero.
 * docs/errors.md documents each code.
 */
export type ErrorPolicy = 'poison' | 'retriable' | 'fatal';

export const ERROR_CODES = {
  // poison: input records
  EMPTY_VALUE: 'poison',
  OVERSIZED_RECORD: 'poison',
  INVALID_ENCODING: 'poison',
  INVALID_JSON: 'poison',
  UNSUPPORTED_SCHEMA_VERSION: 'poison',
  SCHEMA_VIOLATION: 'poison',
  INVALID_IP: 'poison',
  INVALID_EVENT_TIME: 'poison',
  EVENT_TIME_OUT_OF_RANGE: 'poison',
  PROCESSING_FAILED: 'poison',
  DUPLICATE_APPLICATION: 'poison',
  OUTPUT_TOO_LARGE: 'poison',
  // retriable: dependencies
  REDIS_UNAVAILABLE: 'retriable',
  KAFKA_UNAVAILABLE: 'retriable',
  TRANSACTION_FAILED: 'retriable',
  PRODUCER_FENCED: 'retriable',
  // fatal
  CONFIG_INVALID: 'fatal',
  PII_KEY_MISSING: 'fatal',
  STATE_LOST: 'fatal',
  INTERNAL: 'fatal',
} as const satisfies Record<string, ErrorPolicy>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class LendguardError extends Error {
  readonly code: ErrorCode;
  readonly policy: ErrorPolicy;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LendguardError';
    this.code = code;
    this.policy = ERROR_CODES[code];
  }

  get retriable(): boolean {
    return this.policy === 'retriable';
  }
}

/**
 * The LendguardError inside whatever was thrown: itself, or its cause (kafkajs wraps what a handler throws
 * in KafkaJSNonRetriableError / KafkaJSError, keeping it as `cause` or `originalError`), a few levels deep.
 */
export function findLendguardError(err: unknown): LendguardError | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e !== null && e !== undefined; depth++) {
    if (e instanceof LendguardError) return e;
    const next = (e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError;
    if (next === e) break;
    e = next;
  }
  return undefined;
}

/** Exit codes, one table for every CLI path: configuration problems 78 (EX_CONFIG), any other failure 1. */
export const EXIT_CODES: Readonly<Partial<Record<ErrorCode, number>>> = Object.freeze({ CONFIG_INVALID: 78, PII_KEY_MISSING: 78, STATE_LOST: 78 });

export function exitCodeOf(err: unknown): number {
  const e = findLendguardError(err);
  return e ? (EXIT_CODES[e.code] ?? 1) : 1;
}

/** Wraps anything thrown by a dependency into an error with a policy (a wrapped LendguardError keeps its own). */
export function asLendguardError(err: unknown, fallback: ErrorCode): LendguardError {
  const inner = findLendguardError(err);
  if (inner) return inner;
  const message = err instanceof Error ? err.message : String(err);
  return new LendguardError(fallback, message, { cause: err });
}
