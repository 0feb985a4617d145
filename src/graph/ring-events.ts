import type { Ring } from './rings.js';

/**
 * Ring change events, once per change and not once per member: compare the rings just detected with the
 * rings as last reported. Pure; `advanceBaseline` is the separate "apply" step that records what was reported.
 */

export type RingEventType = 'formed' | 'grew' | 'touched-known-fraud';

export interface RingEvent {
  type: RingEventType;
  ring: Ring;
  previousSize?: number;
  newMembers?: string[];
}

export interface RingDiffOptions {
  /** a ring "grew" when it gained at least this many members (default 3)… */
  growBy?: number;
  /** …and, for large rings, at least this fraction of its reported size (default 0.25), so a
   * ring of 200 is not re-reported for every 3 newcomers */
  growRatio?: number;
}

/**
 * `previous` holds each ring as last reported; `current` may be all rings or only those an incremental run
 * recomputed (rings absent from `current` are not considered dissolved). A ring can yield at most one event of
 * each type per call.
 */
export function diffRings(previous: Pick<ReadonlyMap<string, Ring>, 'get'>, current: readonly Ring[], opts: RingDiffOptions = {}): RingEvent[] {
  const growBy = opts.growBy ?? 3;
  const growRatio = opts.growRatio ?? 0.25;
  const events: RingEvent[] = [];
  for (const ring of current) {
    const before = previous.get(ring.id);
    if (!before) {
      events.push({ type: 'formed', ring, newMembers: ring.members });
      if (ring.knownFraud > 0) events.push({ type: 'touched-known-fraud', ring });
      continue;
    }
    const old = new Set(before.members);
    const newMembers = ring.members.filter((m) => !old.has(m));
    const gained = ring.size - before.size;
    if (newMembers.length > 0 && gained >= Math.max(growBy, Math.ceil(growRatio * before.size))) {
      events.push({ type: 'grew', ring, previousSize: before.size, newMembers });
    }
    if (ring.knownFraud > 0 && before.knownFraud === 0) events.push({ type: 'touched-known-fraud', ring, previousSize: before.size });
  }
  return events;
}

/** The rings as last reported, after these events: the "apply" half of diffRings. */
export function advanceBaseline(previous: ReadonlyMap<string, Ring>, events: readonly RingEvent[]): Map<string, Ring> {
  const next = new Map(previous);
  for (const e of events) next.set(e.ring.id, e.ring);
  return next;
}
