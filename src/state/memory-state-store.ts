import type { Sighting } from '../features/sightings.js';
import type { ApplicationState, ApplicationStateResult, StateRequest, StateStore } from '../pipeline/ports.js';

/**
 * In-process twin of the Redis state store (same semantics as owners.lua and apply.lua), for replay and
 * backtests without Redis. The port's contract suite runs against both. Each window set keeps its
 * members' times in a sorted array, so a count is two binary searches.
 */
interface WindowSet {
  byMember: Map<string, number>;
  /** Sorted by time; `members[i]` is at `times[i]`. */
  times: number[];
  members: string[];
}

function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of times in (from, to]. */
function countIn(times: readonly number[], from: number, to: number): number {
  return lowerBound(times, to + 1) - lowerBound(times, from + 1);
}

export function createMemoryStateStore(): StateStore {
  const sets = new Map<string, WindowSet>();
  const sightings = new Map<string, { cur: Sighting; prev: Sighting | null }>();
  /** Application id → the record that owns it, and its event time (ownership lasts the longest window). */
  const owners = new Map<string, { source: string; atMs: number }>();

  function observe(key: string, member: string, t: number, windowsMs: readonly number[], mask: number): number[] {
    // windowsMs: this counter's own windows; the longest is its retention.
    let set = sets.get(key);
    if (!set) sets.set(key, (set = { byMember: new Map(), times: [], members: [] }));
    const old = set.byMember.get(member);
    if (old === undefined || old < t) {
      if (old !== undefined) {
        let i = lowerBound(set.times, old);
        while (set.members[i] !== member) i++;
        set.times.splice(i, 1);
        set.members.splice(i, 1);
      }
      const at = lowerBound(set.times, t);
      set.times.splice(at, 0, t);
      set.members.splice(at, 0, member);
      set.byMember.set(member, t);
    }
    // Trim what is older than the longest window seen from t (as apply.lua), oldest first.
    const horizon = t - Math.max(...windowsMs);
    const expired = lowerBound(set.times, horizon);
    if (expired > 0) {
      for (const m of set.members.splice(0, expired)) set.byMember.delete(m);
      set.times.splice(0, expired);
    }
    return windowsMs.map((w, i) => (mask & (1 << i) ? countIn(set.times, t - w, t) : -1));
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

  function applyOne(app: ApplicationState, { windowsMs, counterWindowsMs = {} }: StateRequest): ApplicationStateResult {
    const owner = owners.get(app.applicationId);
    if (owner && owner.source !== app.source && app.atMs - owner.atMs <= Math.max(...windowsMs)) return { counts: [], previous: [], duplicateOf: owner.source };
    if (!owner || owner.source !== app.source) owners.set(app.applicationId, { source: app.source, atMs: app.atMs });
    const sighting = app.sighting;
    return {
      counts: app.counters.map((c) => observe(`${c.spec}:${c.entity}`, c.member, app.atMs, counterWindowsMs[c.spec] ?? windowsMs, c.windowMask)),
      previous: sighting ? app.sightingTargets.map((s) => swap(`${s.kind}:${s.entity}`, sighting)) : [],
    };
  }

  return {
    async apply(request: StateRequest): Promise<ApplicationStateResult[]> {
      return request.applications.map((app) => applyOne(app, request));
    },
  };
}
