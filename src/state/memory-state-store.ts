import type { Sighting } from '../features/sightings.js';
import type { StateRequest, StateResult, StateStore } from '../pipeline/ports.js';

/**
 * In-process twin of the Redis state store (same semantics as window.lua and sighting.lua), for
 * replay and backtests without Redis. The port's contract suite runs against both.
 */
export function createMemoryStateStore(): StateStore {
  const sets = new Map<string, Map<string, number>>();
  const sightings = new Map<string, { cur: Sighting; prev: Sighting | null }>();

  function observe(key: string, member: string, atMs: number, windowsMs: readonly number[]): number[] {
    const set = sets.get(key) ?? new Map<string, number>();
    sets.set(key, set);
    set.set(member, Math.max(set.get(member) ?? Number.NEGATIVE_INFINITY, atMs));
    const horizon = Math.max(atMs, ...set.values()) - Math.max(...windowsMs);
    for (const [m, t] of set) if (t < horizon) set.delete(m);
    const times = [...set.values()];
    return windowsMs.map((w) => times.filter((t) => t > atMs - w && t <= atMs).length);
  }

  function swap(key: string, s: Sighting): Sighting | null {
    const entry = sightings.get(key);
    if (!entry) {
      sightings.set(key, { cur: s, prev: null });
      return null;
    }
    if (entry.cur.app === s.app) return entry.prev;
    if (entry.cur.at > s.at) return entry.cur;
    sightings.set(key, { cur: s, prev: entry.cur });
    return entry.cur;
  }

  return {
    async apply({ observations, sightings: reqs }: StateRequest): Promise<StateResult> {
      return {
        counts: observations.map((o) => observe(`${o.spec}:${o.entity}`, o.member, o.atMs, o.windowsMs)),
        previous: reqs.map((r) => swap(`${r.kind}:${r.entity}`, r.sighting)),
      };
    },
  };
}
