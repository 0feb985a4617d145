import type { z } from 'zod';
import { ERROR_CATALOGUE, findLendguardError, LendguardError, type ErrorCode } from '../../platform/errors.js';

/**
 * Errors of the console API: a catalogue code (src/platform/errors.ts, policy `request`, each with its HTTP status),
 * a message for people, and for validation the problem of each field. Anything else thrown is mapped by its policy:
 * retriable (PostgreSQL or Kafka away) is 503, the rest 500 with a generic message (the cause is logged, not sent).
 */
export interface FieldProblem {
  /** e.g. query.limit, body.label */
  path: string;
  message: string;
}

export class ApiError extends LendguardError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly fields?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(code, message);
  }
}

const DEPENDENCY: Partial<Record<ErrorCode, string>> = { KAFKA_UNAVAILABLE: 'Kafka', POSTGRES_UNAVAILABLE: 'PostgreSQL' };

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldProblem[] };
}

export function fieldProblems(where: 'query' | 'body' | 'params', error: z.ZodError): FieldProblem[] {
  return error.issues.slice(0, 20).map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
}

/** The HTTP status, body and extra headers for whatever a handler threw; `logged` says whether it is worth a log line. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody; headers: Record<string, string>; logged: boolean } {
  const e = findLendguardError(err);
  const entry = e ? ERROR_CATALOGUE[e.code] : undefined;
  if (e && entry && 'httpStatus' in entry) {
    const fields = e instanceof ApiError ? e.fields : undefined;
    return {
      status: entry.httpStatus,
      body: { error: { code: e.code, message: e.message, ...(fields ? { fields } : {}) } },
      headers: e instanceof ApiError ? (e.headers ?? {}) : {},
      logged: false,
    };
  }
  if (e?.code === 'SCHEMA_VIOLATION') return { status: 400, body: { error: { code: 'INVALID_REQUEST', message: e.message } }, headers: {}, logged: false };
  if (e?.retriable) {
    return {
      status: 503,
      body: { error: { code: e.code, message: `${DEPENDENCY[e.code] ?? 'a dependency'} is unavailable; try again shortly` } },
      headers: { 'retry-after': '5' },
      logged: true,
    };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } }, headers: {}, logged: true };
}
