import { LendguardError } from '../platform/errors.js';

/**
 * How far an application's `eventTime` may stray from when it reached Kafka. The event time drives every
 * sliding window (members are scored and trimmed by it), so an untrusted far-future time would wipe an entity's
 * windows and evade the velocity rules. The reference is the record's Kafka timestamp, or the processor's
 * clock when that is later than now (a producer sets CreateTime too).
 */
export interface EventTimePolicy {
  /** How far before the reference an event may be (default 7 days). */
  maxPastMs: number;
  /** How far after the reference (default 5 minutes: clock skew). */
  maxFutureMs: number;
  /** Outside the bounds: dead-letter the record (default), or clamp the time to the bound and say so. */
  outOfRange: 'dead-letter' | 'clamp';
  /**
   * How much earlier than the reference an event time is trusted for the sliding windows and sightings (default
   * 1 hour). An application claiming an older time is counted as this long before its record: otherwise each of a
   * burst, backdated a window further than the last, would count only itself (members newer than it are out of
   * its windows), and a takeover backdated by hours would look like possible travel.
   */
  maxLatenessMs?: number;
}

export const DEFAULT_LATENESS_MS = 3_600_000;

export const DEFAULT_EVENT_TIME_POLICY: EventTimePolicy = Object.freeze({
  maxPastMs: 7 * 86_400_000,
  maxFutureMs: 300_000,
  outOfRange: 'dead-letter',
  maxLatenessMs: DEFAULT_LATENESS_MS,
});

export interface CheckedTime {
  eventTimeMs: number;
  /** set when the time was clamped: by how much it was out (ms, negative = in the past) */
  clampedByMs?: number;
  /** the time the windows and sightings use: the event time, or the reference − maxLatenessMs when it is older */
  windowTimeMs: number;
  /** set when the event time is older than that: how much earlier than the reference it is (ms) */
  lateByMs?: number;
}

/** Pure: the event time to use, or a poison EVENT_TIME_OUT_OF_RANGE error that says by how much and what to do. */
export function checkEventTime(eventTimeMs: number, recordTimestampMs: number, nowMs: number, policy: EventTimePolicy): CheckedTime {
  const reference = Math.min(Number.isFinite(recordTimestampMs) && recordTimestampMs > 0 ? recordTimestampMs : nowMs, nowMs);
  const earliest = reference - policy.maxPastMs;
  const latest = reference + policy.maxFutureMs;
  const windowed = (t: number, clampedByMs?: number): CheckedTime => {
    const trusted = reference - (policy.maxLatenessMs ?? DEFAULT_LATENESS_MS);
    const late = t < trusted ? { windowTimeMs: trusted, lateByMs: reference - t } : { windowTimeMs: t };
    return { eventTimeMs: t, ...(clampedByMs === undefined ? {} : { clampedByMs }), ...late };
  };
  if (eventTimeMs >= earliest && eventTimeMs <= latest) return windowed(eventTimeMs);
  const off = eventTimeMs > latest ? eventTimeMs - latest : eventTimeMs - earliest;
  if (policy.outOfRange === 'clamp') return windowed(off > 0 ? latest : earliest, off);
  const when = Number.isFinite(eventTimeMs) ? new Date(eventTimeMs).toISOString() : String(eventTimeMs);
  throw new LendguardError(
    'EVENT_TIME_OUT_OF_RANGE',
    `eventTime ${when} is ${describe(Math.abs(off))} ${off > 0 ? 'after' : 'before'} the allowed range around the record's Kafka timestamp ` +
      `(${new Date(reference).toISOString()}, −${describe(policy.maxPastMs)} / +${describe(policy.maxFutureMs)}; processing.eventTime)`,
  );
}

function describe(ms: number): string {
  if (ms >= 86_400_000) return `${Math.round(ms / 86_400_000)} d`;
  if (ms >= 3_600_000) return `${Math.round(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}
