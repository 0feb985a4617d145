/**
 * Why `lendguard data status|refresh` could not do what it was asked. Exit codes follow sysexits(3), like the
 * replay's (src/replay/errors.ts) and the processor's 78 for configuration.
 */
export type DataErrorKind = 'usage' | 'data' | 'input' | 'unavailable' | 'output' | 'config';

export const DATA_EXIT_CODES: Readonly<Record<DataErrorKind, number>> = {
  usage: 64, // EX_USAGE: a bad option (unknown list name, no action given)
  data: 65, // EX_DATAERR: a file given is not valid data of its kind; nothing was replaced
  input: 66, // EX_NOINPUT: a file given is missing or unreadable
  unavailable: 69, // EX_UNAVAILABLE: npm failed
  output: 73, // EX_CANTCREAT: a data file or sources.json cannot be written
  config: 78, // EX_CONFIG: no configured location to write to, or the enrichment data cannot be loaded
};

/** `data status --fail-if-stale` when a dataset is older than --max-age-days. */
export const STALE_EXIT_CODE = 1;

export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    readonly kind: DataErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get exitCode(): number {
    return DATA_EXIT_CODES[this.kind];
  }
}
