import { describe, expect, it } from 'vitest';
import { createConsoleMetrics } from '../../../src/console/metrics.js';
import { startPruner } from '../../../src/console/pruner.js';
import type { PruneOptions, PruneResult } from '../../../src/console/store/retention.js';
import { createLogger } from '../../../src/platform/logger.js';

describe('retention runs', () => {
  it('calls prune until a batch is not full, at most maxCallsPerRun times, with the configured bounds', async () => {
    const calls: PruneOptions[] = [];
    let left = 12_500;
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    const pruner = startPruner({
      prune: async (opts): Promise<PruneResult> => {
        calls.push(opts);
        const n = Math.min(left, opts.batchSize);
        left -= n;
        if (n < opts.batchSize) resolveDone();
        return { alerts: n, deadAlerts: 0, more: n === opts.batchSize };
      },
      retentionDays: 30,
      batchSize: 5000,
      everyMs: 3_600_000,
      metrics: createConsoleMetrics(),
      logger: createLogger('silent'),
    });
    await done;
    await pruner.stop();
    expect(calls).toHaveLength(3);
    expect(calls[0]).toEqual({ retentionDays: 30, batchSize: 5000 });
  });

  it('stops after maxCallsPerRun when every batch is full, and survives a failing prune', async () => {
    let calls = 0;
    const metrics = createConsoleMetrics();
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    const pruner = startPruner({
      prune: async () => {
        calls += 1;
        if (calls === 4) {
          resolveDone();
          throw new Error('database away');
        }
        return { alerts: 10, deadAlerts: 1, more: true };
      },
      retentionDays: 1,
      batchSize: 10,
      everyMs: 3_600_000,
      maxCallsPerRun: 5,
      metrics,
      logger: createLogger('silent'),
    });
    await done;
    await pruner.stop();
    expect(calls).toBe(4);
    expect((await metrics.pruned.get()).values.find((v) => v.labels.table === 'alerts')?.value).toBe(30);
  });
});
