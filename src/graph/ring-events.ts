import type { RingWithMembers } from './rings.js';

/**
 * Ring change events, once per change and not once per member: a ring as just seen against the ring as last
 * reported. Pure; the caller records what it reported (the baseline) once the report is durable.
 */

export type RingEventType = 'formed' | 'grew' | 'touched-known-fraud';

/** What was last reported of a ring. */
export interface RingState {
  size: number;
  knownFraud: number;
}

export interface RingEvent {
  type: RingEventType;
  ring: RingWithMembers;
  previousSize?: number | undefined;
  newMembers: string[];
  /** the application whose arrival caused it */
  triggeredBy: string;
}

export interface RingDiffOptions {
  /** a ring "grew" when it gained at least this many members (default 3)… */
  growBy?: number;
  /** …and, for large rings, at least this fraction of its reported size (default 0.25), so a ring of 200 is
   * not re-reported for every 3 newcomers */
  growRatio?: number;
}

/** At most one event of each type: formed (never reported), grew (enough new members), touched known fraud (0 → more). */
export function diffRing(previous: RingState | undefined, ring: { size: number; knownFraud: number }, opts: RingDiffOptions = {}): RingEventType[] {
  if (!previous) return ring.knownFraud > 0 ? ['formed', 'touched-known-fraud'] : ['formed'];
  const out: RingEventType[] = [];
  const gained = ring.size - previous.size;
  if (gained > 0 && gained >= Math.max(opts.growBy ?? 3, Math.ceil((opts.growRatio ?? 0.25) * previous.size))) out.push('grew');
  if (ring.knownFraud > 0 && previous.knownFraud === 0) out.push('touched-known-fraud');
  return out;
}
