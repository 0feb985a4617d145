import type { Logger } from '../platform/logger.js';
import type { ConsoleMetrics } from './metrics.js';
import type { PruneOptions, PruneResult } from './store/retention.js';

/**
 * Runs retention now and then every `everyMs`: prune() calls (each bounded by the batch size) until one finds
 * less than a full batch, at most `maxCallsPerRun` per run, so one run never hogs the database. Failures are
 * logged and tried again at the next run.
 */
export interface PrunerOptions {
  prune(opts: PruneOptions): Promise<PruneResult>;
  retentionDays: number;
  batchSize: number;
  everyMs: number;
  maxCallsPerRun?: number;
  metrics: ConsoleMetrics;
  logger: Logger;
}

export function startPruner(opts: PrunerOptions): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const maxCalls = opts.maxCallsPerRun ?? 100;

  async function run(): Promise<void> {
    let alerts = 0;
    let dead = 0;
    try {
      for (let call = 0; call < maxCalls && !stopped; call++) {
        const r = await opts.prune({ retentionDays: opts.retentionDays, batchSize: opts.batchSize });
        alerts += r.alerts;
        dead += r.deadAlerts;
        if (!r.more) break;
      }
    } catch (err) {
      opts.logger.warn({ err: (err as Error).message }, 'retention run failed; trying again at the next run');
    }
    opts.metrics.pruned.inc({ table: 'alerts' }, alerts);
    opts.metrics.pruned.inc({ table: 'dead_alerts' }, dead);
    if (alerts + dead > 0) opts.logger.info({ alerts, deadAlerts: dead, retentionDays: opts.retentionDays }, 'retention deleted old rows');
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run().finally(() => schedule(opts.everyMs));
    }, delayMs);
    timer.unref();
  }

  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
