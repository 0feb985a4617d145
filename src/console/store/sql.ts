/** Builds parameterised SQL: every value becomes `$n` with its value in `values`; no value is ever spliced in. */
export class Params {
  readonly values: unknown[] = [];

  /** The placeholder for `value` (with an optional cast, e.g. `text[]`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** Splits `items` into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

const BIGINT_MAX = 9_223_372_036_854_775_807n;

/**
 * A row id (PostgreSQL bigint) as text: digits, at most 2^63 − 1, and with `positive` no leading zero or 0. A larger
 * one must be the request's fault (a 400), not PostgreSQL's "out of range for type bigint" (a 500).
 */
export const isRowId = (s: string, positive = false): boolean => (positive ? /^[1-9]\d{0,18}$/ : /^\d{1,19}$/).test(s) && BigInt(s) <= BIGINT_MAX;
