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
}

export const DEFAULT_EVENT_TIME_POLICY: EventTimePolicy = Object.freeze({ maxPastMs: 7 * 86_400_000, maxFutureMs: 300_000, outOfRange: 'dead-letter' });

export interface CheckedTime {
  eventTimeMs: number;
  /** set when the time was clamped: by how much it was out (ms, negative = in the past) */
  clampedByMs?: number;
}

/** Pure: the event time to use, or a poison EVENT_TIME_OUT_OF_RANGE error that says by how much and what to do. */
export function checkEventTime(eventTimeMs: number, recordTimestampMs: number, nowMs: number, policy: EventTimePolicy): CheckedTime {
  const reference = Math.min(Number.isFinite(recordTimestampMs) && recordTimestampMs > 0 ? recordTimestampMs : nowMs, nowMs);
  const earliest = reference - policy.maxPastMs;
  const latest = reference + policy.maxFutureMs;
  if (eventTimeMs >= earliest && eventTimeMs <= latest) return { eventTimeMs };
  const off = eventTimeMs > latest ? eventTimeMs - latest : eventTimeMs - earliest;
  if (policy.outOfRange === 'clamp') return { eventTimeMs: off > 0 ? latest : earliest, clampedByMs: off };
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
