import { backoffDelay, sleep, type BackoffOptions } from './backoff.js';
import { asLendguardError, type ErrorCode } from './errors.js';
import type { Logger } from './logger.js';

/**
 * Runs `fn` until it succeeds, backing off between attempts, unless the error is fatal or the
 * signal aborts. Used for start-up steps that need Kafka or Redis to be there.
 */
export async function retryUntilReady<T>(
  what: string,
  fn: () => Promise<T>,
  opts: BackoffOptions & { logger: Logger; signal?: AbortSignal; code: ErrorCode; onRetry?: (reason: string) => void },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const e = asLendguardError(err, opts.code);
      if (e.policy === 'fatal' || opts.signal?.aborted) throw e;
      const delay = backoffDelay(attempt, opts);
      opts.onRetry?.(`${what}: ${e.message}`);
      opts.logger.warn({ what, attempt, delayMs: delay, code: e.code, err: e.message }, `${what} failed, retrying`);
      await sleep(delay, opts.signal);
      if (opts.signal?.aborted) throw e;
    }
  }
}
