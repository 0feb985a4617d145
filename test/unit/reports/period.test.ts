import { describe, expect, it } from 'vitest';
import { bucketStarts, parseDuration, resolvePeriod } from '../../../src/reports/period.js';

const NOW = Date.parse('2026-12-02T10:30:00Z');

describe('report period', () => {
  it('--since ends at the end of the current hour, with the previous period of the same length as baseline', () => {
    const { period, window } = resolvePeriod({ since: '7d', nowMs: NOW });
    expect(period).toEqual({
      from: '2026-11-25T11:00:00.000Z',
      to: '2026-12-02T11:00:00.000Z',
      bucket: 'day',
      baselineFrom: '2026-11-18T11:00:00.000Z',
      label: 'the last 7 days',
    });
    expect(bucketStarts(window)).toHaveLength(8); // calendar days touched
    expect(resolvePeriod({ since: '24h', nowMs: NOW }).period).toMatchObject({ bucket: 'hour', label: 'the last 24 hours' });
    expect(bucketStarts(resolvePeriod({ since: '24h', nowMs: NOW }).window)).toHaveLength(24);
  });

  it('--from and --to take dates (midnight UTC) or timestamps; the bucket can be forced', () => {
    const { period } = resolvePeriod({ from: '2026-11-01', to: '2026-11-08', bucket: 'hour' });
    expect(period).toMatchObject({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z', bucket: 'hour', label: '2026-11-01 – 2026-11-07' });
    expect(resolvePeriod({ from: '2026-11-01T08:00:00Z', nowMs: NOW }).period.to).toBe('2026-12-02T11:00:00.000Z');
  });

  it('refuses what does not parse, with what to write instead', () => {
    expect(() => parseDuration('7 days')).toThrow(/write e.g. 24h, 7d or 30d/);
    expect(() => parseDuration('0h')).toThrow(/at least 1h/);
    expect(() => resolvePeriod({ since: '7d', from: '2026-11-01' })).toThrow(/not both/);
    expect(() => resolvePeriod({ to: '2026-11-01' })).toThrow(/--to needs --from/);
    expect(() => resolvePeriod({ from: 'yesterday' })).toThrow(/write 2026-11-01/);
    expect(() => resolvePeriod({ from: '2026-11-08', to: '2026-11-01' })).toThrow(/empty/);
    expect(() => resolvePeriod({ since: '999d' })).toThrow(/longer than 400 days/);
    expect(() => resolvePeriod({ since: '90d', bucket: 'hour' })).toThrow(/hourly buckets cover at most 31 days/);
  });
});
