/**
 * Why a replay could not run or had to stop. Bad input *lines* are never errors (they are
 * dead-lettered and counted); these are about the run itself. Exit codes follow sysexits(3),
 * like the processor's 78 for invalid configuration.
 */
export type ReplayErrorKind = 'usage' | 'input' | 'output' | 'rules' | 'config' | 'state';

export const REPLAY_EXIT_CODES: Readonly<Record<ReplayErrorKind, number>> = {
  usage: 64, // EX_USAGE: a bad option value
  input: 66, // EX_NOINPUT: the input file is missing or unreadable
  state: 69, // EX_UNAVAILABLE: Redis is unreachable (or went away and did not come back)
  output: 73, // EX_CANTCREAT: an output file cannot be written
  rules: 78, // EX_CONFIG: the rule file is missing or invalid (same as invalid configuration)
  config: 78, // EX_CONFIG: configuration or enrichment data (geo database, IP lists) unusable
};

export class ReplayError extends Error {
  override readonly name = 'ReplayError';
  constructor(
    readonly kind: ReplayErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get exitCode(): number {
    return REPLAY_EXIT_CODES[this.kind];
  }
}
