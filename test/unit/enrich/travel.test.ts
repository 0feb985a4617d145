import { describe, expect, it } from 'vitest';
import { travel } from '../../../src/enrich/travel.js';

const BEIJING = { lat: 39.9042, lon: 116.4074 };
const SHANGHAI = { lat: 31.2304, lon: 121.4737 }; // ~1067 km from Beijing
const H = 3_600_000;

describe('travel', () => {
  it('Beijing → Shanghai in 2 h is possible, in 30 min is not', () => {
    const slow = travel({ ...BEIJING, atMs: 0 }, { ...SHANGHAI, atMs: 2 * H });
    expect(slow.distanceKm).toBeGreaterThan(1050);
    expect(slow.distanceKm).toBeLessThan(1080);
    expect(slow.hours).toBe(2);
    expect(slow.impossible).toBe(false);
    expect(travel({ ...BEIJING, atMs: 0 }, { ...SHANGHAI, atMs: 0.5 * H }).impossible).toBe(true);
  });

  it('subtracts both accuracy radii, floored at 0', () => {
    const r = travel({ ...BEIJING, atMs: 0, accuracyKm: 500 }, { ...SHANGHAI, atMs: 0.5 * H, accuracyKm: 500 });
    expect(r.distanceKm).toBeGreaterThan(50);
    expect(r.distanceKm).toBeLessThan(80);
    expect(r.impossible).toBe(false);
    expect(travel({ ...BEIJING, atMs: 0, accuracyKm: 800 }, { ...SHANGHAI, atMs: 0, accuracyKm: 800 })).toEqual({
      distanceKm: 0,
      hours: 0,
      speedKmh: 0,
      impossible: false,
    });
  });

  it('same instant: far apart is impossible, same place is fine', () => {
    expect(travel({ ...BEIJING, atMs: 5 }, { ...SHANGHAI, atMs: 5 })).toMatchObject({ hours: 0, speedKmh: Infinity, impossible: true });
    expect(travel({ ...BEIJING, atMs: 5 }, { ...BEIJING, atMs: 5 })).toEqual({ distanceKm: 0, hours: 0, speedKmh: 0, impossible: false });
  });

  it('GPS jitter below minDistanceKm is never impossible', () => {
    const near = { lat: BEIJING.lat + 0.001, lon: BEIJING.lon }; // ~110 m
    expect(travel({ ...BEIJING, atMs: 0 }, { ...near, atMs: 0 }).impossible).toBe(false);
    expect(travel({ ...BEIJING, atMs: 0 }, { ...near, atMs: 0 }, { minDistanceKm: 0 }).impossible).toBe(true);
  });

  it('out-of-order events use the absolute gap; the limit is configurable', () => {
    const r = travel({ ...SHANGHAI, atMs: 2 * H }, { ...BEIJING, atMs: 0 });
    expect(r.hours).toBe(2);
    expect(r.impossible).toBe(false);
    expect(travel({ ...SHANGHAI, atMs: 2 * H }, { ...BEIJING, atMs: 0 }, { maxSpeedKmh: 300 }).impossible).toBe(true);
  });
});
