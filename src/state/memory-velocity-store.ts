import type { VelocityObservation } from '../features/velocity.js';
import type { VelocityStore } from '../pipeline/ports.js';

/**
 * In-process twin of the Redis window store (same semantics as state/window.lua), for replay and
 * backtests without Redis. The port's contract suite runs against both.
 */
export function createMemoryVelocityStore(): VelocityStore {
  const sets = new Map<string, Map<string, number>>();
  return {
    async observe(observations: readonly VelocityObservation[]): Promise<number[][]> {
      return observations.map((o) => {
        const key = `${o.spec}:${o.entity}`;
        const set = sets.get(key) ?? new Map<string, number>();
        sets.set(key, set);
        set.set(o.member, Math.max(set.get(o.member) ?? Number.NEGATIVE_INFINITY, o.atMs));
        const retention = Math.max(...o.windowsMs);
        const horizon = Math.max(o.atMs, ...set.values());
        for (const [m, t] of set) if (t < horizon - retention) set.delete(m);
        return o.windowsMs.map((w) => [...set.values()].filter((t) => t > o.atMs - w && t <= o.atMs).length);
      });
    },
  };
}
