import { describe, expect, it } from 'vitest';
import { countryMismatch, gpsIpCheck, haversineKm, regionMismatch, tzCheck, usableGps, utcOffsetMinutes } from '../../../src/enrich/geo-consistency.js';
import type { GeoInfo } from '../../../src/enrich/geo/types.js';
import { regionKey } from '../../../src/enrich/region-names.js';

const HANGZHOU: GeoInfo = { country: 'CN', region: 'Zhejiang', city: 'Hangzhou', lat: 30.2742, lon: 120.155, accuracyKm: null, timezone: 'Asia/Shanghai' };
const JAN = Date.UTC(2026, 0, 15, 12);
const JUL = Date.UTC(2026, 6, 15, 12);

describe('haversineKm', () => {
  it('matches known distances', () => {
    expect(haversineKm({ lat: 39.9042, lon: 116.4074 }, { lat: 31.2304, lon: 121.4737 })).toBeCloseTo(1067, -1);
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(20015, -1);
    expect(haversineKm({ lat: 10, lon: 10 }, { lat: 10, lon: 10 })).toBe(0);
  });
});

describe('gpsIpCheck', () => {
  it('uses the 50 km default radius when the IP database gives none, plus GPS accuracy', () => {
    expect(gpsIpCheck({ lat: 30.25, lon: 120.17 }, HANGZHOU)).toMatchObject({ mismatch: false });
    const shanghai = gpsIpCheck({ lat: 31.2304, lon: 121.4737 }, HANGZHOU); // ~165 km
    expect(shanghai.distanceKm).toBeGreaterThan(150);
    expect(shanghai.mismatch).toBe(true);
    expect(gpsIpCheck({ lat: 31.2304, lon: 121.4737, accuracyM: 150_000 }, HANGZHOU).mismatch).toBe(false);
    expect(gpsIpCheck({ lat: 31.2304, lon: 121.4737 }, { ...HANGZHOU, accuracyKm: 1000 }).mismatch).toBe(false);
  });

  it('is unknown without GPS, with unusable GPS, or without an IP position', () => {
    const unknown = { distanceKm: null, mismatch: null };
    expect(gpsIpCheck(undefined, HANGZHOU)).toEqual(unknown);
    expect(gpsIpCheck({ lat: 0, lon: 0 }, HANGZHOU)).toEqual(unknown);
    expect(gpsIpCheck({ lat: 95, lon: 10 }, HANGZHOU)).toEqual(unknown);
    expect(gpsIpCheck({ lat: 30, lon: 120 }, null)).toEqual(unknown);
    expect(gpsIpCheck({ lat: 30, lon: 120 }, { ...HANGZHOU, lat: null, lon: null })).toEqual(unknown);
    expect(usableGps({ lat: Number.NaN, lon: 1 })).toBe(false);
  });
});

describe('utcOffsetMinutes / tzCheck', () => {
  it('reads offsets at the event time, DST included', () => {
    expect(utcOffsetMinutes('Asia/Shanghai', JAN)).toBe(480);
    expect(utcOffsetMinutes('Asia/Kolkata', JAN)).toBe(330);
    expect(utcOffsetMinutes('America/St_Johns', JAN)).toBe(-210);
    expect(utcOffsetMinutes('Europe/London', JAN)).toBe(0);
    expect(utcOffsetMinutes('Europe/London', JUL)).toBe(60);
    expect(utcOffsetMinutes('UTC', JUL)).toBe(0);
  });

  it('invalid or empty zones are unknown', () => {
    for (const z of ['Mars/Olympus_Mons', 'GMT+08:00 China Standard Time', '', undefined, null]) expect(utcOffsetMinutes(z, JAN), String(z)).toBeNull();
    expect(utcOffsetMinutes('Asia/Shanghai', Number.NaN)).toBeNull();
  });

  it('compares offsets, not names', () => {
    expect(tzCheck('Asia/Chongqing', 'Asia/Shanghai', JAN)).toEqual({ deviceOffsetMin: 480, ipOffsetMin: 480, mismatch: false });
    expect(tzCheck('America/Los_Angeles', 'Asia/Shanghai', JAN)).toEqual({ deviceOffsetMin: -480, ipOffsetMin: 480, mismatch: true });
    expect(tzCheck('Not/AZone', 'Asia/Shanghai', JAN)).toEqual({ deviceOffsetMin: null, ipOffsetMin: 480, mismatch: null });
    expect(tzCheck('Asia/Shanghai', null, JAN).mismatch).toBeNull();
  });
});

describe('countryMismatch / regionMismatch', () => {
  it('country: unknown when either side is missing', () => {
    expect(countryMismatch('CN', 'CN')).toBe(false);
    expect(countryMismatch('cn', 'US')).toBe(true);
    expect(countryMismatch(undefined, 'CN')).toBeNull();
    expect(countryMismatch('CN', null)).toBeNull();
  });

  it('region: insensitive to case, spacing, suffixes and Chinese vs English names', () => {
    expect(regionMismatch({ country: 'CN', region: '浙江省' }, HANGZHOU)).toBe(false);
    expect(regionMismatch({ country: 'CN', region: ' zhejiang  province ' }, HANGZHOU)).toBe(false);
    expect(regionMismatch({ country: 'CN', region: '广东省' }, HANGZHOU)).toBe(true);
    expect(regionMismatch({ country: 'CN', region: '内蒙古自治区' }, { country: 'CN', region: 'Inner Mongolia' })).toBe(false);
    expect(regionMismatch({ country: 'CN', region: '新疆维吾尔自治区' }, { country: 'CN', region: 'Xinjiang' })).toBe(false);
    expect(regionMismatch({ country: 'CN', region: '上海市' }, { country: 'CN', region: 'Shanghai' })).toBe(false);
  });

  it('region: only flagged when both countries are known and equal, and the forms are comparable', () => {
    expect(regionMismatch({ country: 'US', region: 'California' }, HANGZHOU)).toBeNull();
    expect(regionMismatch({ region: 'Guangdong' }, HANGZHOU)).toBeNull();
    expect(regionMismatch({ country: 'CN' }, HANGZHOU)).toBeNull();
    expect(regionMismatch({ country: 'CN', region: 'Guangdong' }, { ...HANGZHOU, region: null })).toBeNull();
    expect(regionMismatch({ country: 'CN', region: 'Guangdong' }, { country: 'CN', region: 'ZJ' })).toBeNull(); // geoip-lite code
    expect(regionMismatch({ country: 'CN', region: 'GD' }, { country: 'CN', region: 'ZJ' })).toBe(true);
  });

  it('regionKey', () => {
    expect(regionKey('Kowloon City District')).toBe('kowlooncity');
    expect(regionKey('Xizang')).toBe('tibet');
    expect(regionKey('  ')).toBeNull();
  });
});
