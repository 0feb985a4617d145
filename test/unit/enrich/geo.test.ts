import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildDateFromChecksum,
  createGeoProvider,
  dbipProvider,
  familyOf,
  fromDbipRecord,
  fromGeoipLite,
  zoneForCountry,
} from '../../../src/enrich/geo/index.js';

/** The real databases are loaded once per file (DB-IP: 134 MB of mmdb; geoip-lite: ~190 MB in memory). */
const dbip = createGeoProvider('dbip');
const lite = createGeoProvider('geoip-lite');
const FIELDS = ['country', 'region', 'city', 'lat', 'lon', 'accuracyKm', 'timezone'];

describe('DB-IP Lite provider (default)', () => {
  it('reports its build date from the mmdb metadata', () => {
    expect(dbip.name).toBe('dbip');
    expect(dbip.buildDate).toBe('2026-06-05');
  });

  it.each([
    ['114.114.114.114', 'CN'],
    ['223.5.5.5', 'CN'],
    ['36.110.0.5', 'CN'], // China Telecom Beijing
    ['101.227.0.1', 'CN'], // China Telecom Shanghai
    ['8.8.8.8', 'US'],
    ['1.1.1.1', 'AU'],
    ['2400:3200::1', 'CN'],
    ['240e:1:2::1', 'CN'],
    ['::ffff:223.5.5.5', 'CN'],
  ])('%s → %s with every field present', (ip, country) => {
    const g = dbip.lookup(ip);
    expect(Object.keys(g ?? {}).sort()).toEqual([...FIELDS].sort());
    expect(g?.country).toBe(country);
    expect(typeof g?.lat).toBe('number');
    expect(typeof g?.lon).toBe('number');
    expect(g?.accuracyKm).toBeNull(); // DB-IP Lite has no accuracy radius
  });

  it('gives English province names and a derived zone for mainland China', () => {
    expect(dbip.lookup('223.5.5.5')).toMatchObject({ region: 'Zhejiang', timezone: 'Asia/Shanghai' });
    expect(dbip.lookup('101.227.0.1')).toMatchObject({ region: 'Shanghai', timezone: 'Asia/Shanghai' });
    expect(dbip.lookup('8.8.8.8')?.timezone).toBeNull(); // US has many zones: no guess
  });

  it('routes by family: IPv6 never reaches the IPv4 file (which would answer with a wrong record)', () => {
    expect(familyOf('2400:3200::1')).toEqual({ family: 6, address: '2400:3200::1' });
    expect(familyOf('::ffff:8.8.8.8')).toEqual({ family: 4, address: '8.8.8.8' });
    expect(familyOf('127.1')).toBeNull();
    expect(dbip.lookup('not an ip')).toBeNull();
  });

  it('maps a raw record, empty strings becoming null', () => {
    const rec = {
      city: '',
      country_code: 'cn',
      latitude: 30.274200439453125,
      longitude: 120.15499877929688,
      postcode: '',
      state1: 'Xinjiang',
      state2: '',
      timezone: '',
    };
    expect(fromDbipRecord(rec)).toEqual({ country: 'CN', region: 'Xinjiang', city: null, lat: 30.2742, lon: 120.155, accuracyKm: null, timezone: null });
    expect(fromDbipRecord({ country_code: '', state1: '' })).toBeNull();
    const stub = dbipProvider({ v4: { get: () => null }, v6: { get: () => rec } }, '2026-01-01');
    expect(stub.lookup('1.2.3.4')).toBeNull();
    expect(stub.lookup('2001:db8::1')?.country).toBe('CN');
  });
});

describe('geoip-lite provider', () => {
  it('dates its bundled GeoLite2 data from data/city.checksum', () => {
    expect(lite.name).toBe('geoip-lite');
    expect(lite.buildDate).toBe('2023-11-15');
    expect(buildDateFromChecksum('dfd2  GeoLite2-City-CSV_20231115.zip\n')).toBe('2023-11-15');
    expect(buildDateFromChecksum('')).toBe('unknown');
  });

  it.each([
    ['223.5.5.5', 'CN'],
    ['36.110.0.5', 'CN'],
    ['8.8.8.8', 'US'],
    ['2400:3200::1', 'CN'],
    ['2001:4860:4860::8888', 'US'],
  ])('%s → %s with accuracy and time zone', (ip, country) => {
    const g = lite.lookup(ip);
    expect(g?.country).toBe(country);
    expect(typeof g?.accuracyKm).toBe('number');
    expect(g?.timezone).toMatch(/^[A-Z][a-z]+\//);
  });

  it('returns null (not an empty record) where it has no answer', () => {
    expect(lite.lookup('1.1.1.1')).toBeNull(); // geoip-lite returns {country: "", ll: [null, null]}
    expect(lite.lookup('10.0.0.1')).toBeNull();
    expect(lite.lookup('garbage')).toBeNull();
    expect(
      fromGeoipLite({ range: [0, 0], country: 'CN', region: 'ZJ', eu: '0', timezone: 'Asia/Shanghai', city: '', ll: [30.2994, 120.1612], metro: 0, area: 20 }),
    ).toEqual({ country: 'CN', region: 'ZJ', city: null, lat: 30.2994, lon: 120.1612, accuracyKm: 20, timezone: 'Asia/Shanghai' });
  });
});

describe('createGeoProvider', () => {
  it('fails with a clear message when data files are missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'lendguard-geo-'));
    expect(() => createGeoProvider('dbip', { dbipDir: empty })).toThrow(/geo provider 'dbip': data file .*dbip-city-ipv4\.mmdb is missing/);
    expect(() => createGeoProvider('geoip-lite', { geoipLiteDataDir: empty })).toThrow(/geo provider 'geoip-lite': data file .*geoip-city\.dat is missing/);
    expect(() => createGeoProvider('maxmind' as never)).toThrow(/unknown geo provider 'maxmind'/);
  });
});

describe('zoneForCountry', () => {
  it('answers only where the country has one zone', () => {
    expect(zoneForCountry('JP')).toBe('Asia/Tokyo');
    expect(zoneForCountry('hk')).toBe('Asia/Hong_Kong');
    expect(zoneForCountry('US')).toBeNull();
    expect(zoneForCountry('RU')).toBeNull();
    expect(zoneForCountry(null)).toBeNull();
  });

  it('China: Asia/Shanghai for a known non-Xinjiang region, otherwise unknown', () => {
    expect(zoneForCountry('CN', 'Guangdong')).toBe('Asia/Shanghai');
    expect(zoneForCountry('CN', 'Xinjiang')).toBeNull();
    expect(zoneForCountry('CN', null)).toBeNull();
  });
});
