import { getHeapStatistics } from 'node:v8';
import type { Health } from './health.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/**
 * Watches the V8 heap against its limit. The identity graph grows with the applications inside the
 * graph horizon (about 2.7 KB each, docs/benchmarks.md), and a heap that reaches its limit first
 * slows to a crawl in GC and then crashes. Operators get a gauge, a /healthz detail and a warning
 * well before that, naming the two remedies.
 */
export interface HeapWatchOptions {
  logger: Logger;
  health: Health;
  metrics: Metrics;
  /** Share of the heap limit above which to warn. */
  warnRatio: number;
  everyMs: number;
  /** Cheap figures that explain the heap (e.g. graph node and edge counts). */
  describe: () => Record<string, number>;
}

const MiB = 2 ** 20;
const WARN_EVERY_MS = 10 * 60_000;

/** Pure: the heap figures as reported, and whether they call for a warning. */
export function heapVerdict(usedBytes: number, limitBytes: number, warnRatio: number): { usedMiB: number; limitMiB: number; ratio: number; warn: boolean } {
  const ratio = limitBytes > 0 ? usedBytes / limitBytes : 0;
  return { usedMiB: Math.round(usedBytes / MiB), limitMiB: Math.round(limitBytes / MiB), ratio: Math.round(ratio * 1000) / 1000, warn: ratio >= warnRatio };
}

/** Starts the periodic check; returns the function that stops it. */
export function startHeapWatch(opts: HeapWatchOptions): () => void {
  let lastWarnMs = Number.NEGATIVE_INFINITY;
  const check = (): void => {
    const h = getHeapStatistics();
    const v = heapVerdict(h.used_heap_size, h.heap_size_limit, opts.warnRatio);
    const described = opts.describe();
    opts.metrics.heapUsedRatio.set(v.ratio);
    opts.health.details.memory = { heapUsedMiB: v.usedMiB, heapLimitMiB: v.limitMiB, heapUsedRatio: v.ratio, ...described };
    const now = Date.now();
    if (v.warn && now - lastWarnMs >= WARN_EVERY_MS) {
      lastWarnMs = now;
      opts.logger.warn(
        { heapUsedMiB: v.usedMiB, heapLimitMiB: v.limitMiB, ...described },
        'heap is near its limit: raise --max-old-space-size (the identity graph needs ~2.7 KB per application in the horizon) or shorten graph.horizonDays',
      );
    }
  };
  check();
  const timer = setInterval(check, opts.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
