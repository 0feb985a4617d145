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
