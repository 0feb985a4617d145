/** Exponential backoff with full jitter, capped. Pure: the random source is passed in. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor?: number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const factor = opts.factor ?? 2;
  const ceiling = Math.min(opts.maxMs, opts.initialMs * factor ** Math.max(0, attempt));
  // Half fixed, half jitter: never zero, never above the ceiling.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
