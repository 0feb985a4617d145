/**
 * One catalogue of error codes. Every error the processor raises carries its policy:
 * - `poison`: the record itself is bad; it goes to the dead-letter topic and the stream moves on.
 * - `retriable`: a dependency is unavailable; stop taking new work, back off, retry the same records.
 * - `fatal`: the process cannot continue safely (e.g. invalid config); exit non-zero.
 * - `request`: the console's HTTP API refuses one request (its `httpStatus`); the process goes on.
 * docs/errors.md documents each code.
 */
export type ErrorPolicy = 'poison' | 'retriable' | 'fatal' | 'request';

/**
 * The catalogue: each code's policy and, for fatal codes, the process exit code (sysexits(3): 78 EX_CONFIG
 * for what the operator must fix in configuration or deployment; any other failure 1).
 */
export const ERROR_CATALOGUE = {
  // poison: input records
  EMPTY_VALUE: { policy: 'poison' },
  OVERSIZED_RECORD: { policy: 'poison' },
  INVALID_ENCODING: { policy: 'poison' },
  INVALID_JSON: { policy: 'poison' },
  UNSUPPORTED_SCHEMA_VERSION: { policy: 'poison' },
  SCHEMA_VIOLATION: { policy: 'poison' },
  INVALID_IP: { policy: 'poison' },
  INVALID_EVENT_TIME: { policy: 'poison' },
  EVENT_TIME_OUT_OF_RANGE: { policy: 'poison' },
  PROCESSING_FAILED: { policy: 'poison' },
  DUPLICATE_APPLICATION: { policy: 'poison' },
  OUTPUT_TOO_LARGE: { policy: 'poison' },
  // retriable: dependencies
  REDIS_UNAVAILABLE: { policy: 'retriable' },
  KAFKA_UNAVAILABLE: { policy: 'retriable' },
  TRANSACTION_FAILED: { policy: 'retriable' },
  PRODUCER_FENCED: { policy: 'retriable' },
  POSTGRES_UNAVAILABLE: { policy: 'retriable' },
  // fatal
  CONFIG_INVALID: { policy: 'fatal', exitCode: 78 },
  PII_KEY_MISSING: { policy: 'fatal', exitCode: 78 },
  STATE_LOST: { policy: 'fatal', exitCode: 78 },
  STATE_SCRIPT_FAILED: { policy: 'fatal', exitCode: 1 },
  POSTGRES_FAILED: { policy: 'fatal', exitCode: 1 },
  INTERNAL: { policy: 'fatal', exitCode: 1 },
  // request: the console API refuses one request
  INVALID_REQUEST: { policy: 'request', httpStatus: 400 },
  UNAUTHENTICATED: { policy: 'request', httpStatus: 401 },
  FORBIDDEN: { policy: 'request', httpStatus: 403 },
  CSRF_REJECTED: { policy: 'request', httpStatus: 403 },
  NOT_FOUND: { policy: 'request', httpStatus: 404 },
  METHOD_NOT_ALLOWED: { policy: 'request', httpStatus: 405 },
  CONFLICT: { policy: 'request', httpStatus: 409 },
  PAYLOAD_TOO_LARGE: { policy: 'request', httpStatus: 413 },
  UNSUPPORTED_MEDIA_TYPE: { policy: 'request', httpStatus: 415 },
  RATE_LIMITED: { policy: 'request', httpStatus: 429 },
  STREAMS_EXHAUSTED: { policy: 'request', httpStatus: 503 },
} as const satisfies Record<string, { policy: ErrorPolicy; exitCode?: number; httpStatus?: number }>;

/** Each code's policy (derived from the catalogue). */
export const ERROR_CODES = Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, e]) => [code, e.policy])) as {
  readonly [C in keyof typeof ERROR_CATALOGUE]: (typeof ERROR_CATALOGUE)[C]['policy'];
};

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

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

/** The exit code for whatever was thrown, from the catalogue, on every CLI path: 78 for configuration, else 1. */
export function exitCodeOf(err: unknown): number {
  const e = findLendguardError(err);
  const entry = e ? ERROR_CATALOGUE[e.code] : undefined;
  return entry && 'exitCode' in entry ? entry.exitCode : 1;
}

/** A bug in our code (or a library's), not a dependency being away: retrying cannot help. */
export function isProgrammerError(err: unknown): boolean {
  return err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError || err instanceof SyntaxError;
}

/** Wraps anything thrown by a dependency into an error with a policy (a wrapped LendguardError keeps its own). */
export function asLendguardError(err: unknown, fallback: ErrorCode): LendguardError {
  const inner = findLendguardError(err);
  if (inner) return inner;
  const message = err instanceof Error ? err.message : String(err);
  // A TypeError and its kind is a bug: INTERNAL (fatal), never retried as if a dependency were away.
  if (isProgrammerError(err)) return new LendguardError('INTERNAL', `${(err as Error).name}: ${message}`, { cause: err });
  return new LendguardError(fallback, message, { cause: err });
}
