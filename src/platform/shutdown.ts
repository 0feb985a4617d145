import type { Logger } from './logger.js';

/** One named step of a shutdown. */
export type CleanupStep = [name: string, run: () => Promise<unknown>];

/** Runs every step in order; a failing step is logged and the next one still runs (a stop never hangs on one). */
export async function runCleanupSteps(steps: readonly CleanupStep[], logger: Logger): Promise<void> {
  for (const [name, run] of steps) {
    try {
      await run();
    } catch (err) {
      logger.warn({ step: name, err: (err as Error).message }, 'cleanup step failed');
    }
  }
}
