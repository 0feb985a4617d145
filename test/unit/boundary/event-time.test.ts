import { describe, expect, it } from 'vitest';
import { checkEventTime, DEFAULT_EVENT_TIME_POLICY as P } from '../../../src/boundary/event-time.js';

const TS = Date.parse('2026-12-01T10:00:00Z');
const DAY = 86_400_000;

describe('checkEventTime', () => {
  it('accepts event times from 7 days before to 5 minutes after the Kafka timestamp', () => {
    for (const t of [TS, TS - 7 * DAY, TS + 300_000, TS - 1000]) expect(checkEventTime(t, TS, TS + 50, P)).toMatchObject({ eventTimeMs: t });
  });

  it('counts an event time more than an hour before the record as an hour before it (maxLatenessMs), and says by how much', () => {
    expect(checkEventTime(TS - 1000, TS, TS, P)).toEqual({ eventTimeMs: TS - 1000, windowTimeMs: TS - 1000 });
    expect(checkEventTime(TS - 3_600_000, TS, TS, P)).toEqual({ eventTimeMs: TS - 3_600_000, windowTimeMs: TS - 3_600_000 });
    expect(checkEventTime(TS - 3 * DAY, TS, TS, P)).toEqual({ eventTimeMs: TS - 3 * DAY, windowTimeMs: TS - 3_600_000, lateByMs: 3 * DAY });
    expect(checkEventTime(TS - 3 * DAY, TS, TS, { ...P, maxLatenessMs: 7 * DAY })).toEqual({ eventTimeMs: TS - 3 * DAY, windowTimeMs: TS - 3 * DAY });
  });

  it('refuses far-future and ancient times with a reason (years 2999, 9999, 0000 and 0001 included)', () => {
    for (const iso of ['2999-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '2100-01-01T00:00:00Z']) {
      expect(() => checkEventTime(Date.parse(iso), TS, TS, P), iso).toThrow(/EVENT_TIME|allowed range/);
    }
    expect(() => checkEventTime(TS + 301_000, TS, TS, P)).toThrow(/1 s after the allowed range/);
  });

  it('trusts the processor clock over a producer-set timestamp from the future', () => {
    expect(() => checkEventTime(TS + 2 * DAY, TS + 2 * DAY, TS, P)).toThrow(/after the allowed range/);
  });

  it('clamps to the bound instead when asked, saying by how much', () => {
    const clamp = { ...P, outOfRange: 'clamp' as const };
    expect(checkEventTime(TS + DAY, TS, TS, clamp)).toEqual({ eventTimeMs: TS + 300_000, clampedByMs: DAY - 300_000, windowTimeMs: TS + 300_000 });
    expect(checkEventTime(TS - 8 * DAY, TS, TS, clamp)).toEqual({
      eventTimeMs: TS - 7 * DAY,
      clampedByMs: -DAY,
      windowTimeMs: TS - 3_600_000,
      lateByMs: 7 * DAY,
    });
  });
});
