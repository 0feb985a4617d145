import { describe, expect, it } from 'vitest';
import type { Application } from '../../../src/domain/application.js';
import {
  buildIpListMatcher,
  createGeoProvider,
  DeviceParser,
  enrich,
  ENRICHMENT_FEATURES,
  NO_IP_LISTS,
  parseCidrList,
  type EnrichContext,
  type GeoProvider,
} from '../../../src/enrich/index.js';
import { UA } from './user-agents.js';

const EVENT_MS = Date.UTC(2026, 5, 20, 3, 0);
const pseudo = (id: string) => ({ id, masked: id });

function app(patch: { ip?: string; device?: Partial<Application['device']>; declaredRegion?: Application['applicant']['declaredRegion'] } = {}): Application {
  return {
    applicationId: 'a-1',
    eventTime: new Date(EVENT_MS).toISOString(),
    eventTimeMs: EVENT_MS,
    applicant: { nationalId: pseudo('n'), phone: pseudo('p'), contacts: [], ...(patch.declaredRegion ? { declaredRegion: patch.declaredRegion } : {}) },
    device: { deviceId: pseudo('d'), ...patch.device },
    network: { ip: patch.ip ?? '223.5.5.5', ipId: pseudo('i'), subnetId: pseudo('s') },
  };
}

const geo = createGeoProvider('dbip');
const lists = buildIpListMatcher([
  { name: 'test-dc', kind: 'datacenter', ranges: parseCidrList('223.5.5.0/24\n').ranges },
  { name: 'ops-allow', kind: 'allow', ranges: parseCidrList('101.227.0.0/16\n').ranges },
]);
const ctx: EnrichContext = { geo, lists, ua: new DeviceParser() };

describe('enrich', () => {
  it('returns exactly the agreed feature names, flat scalars only', () => {
    const out = enrich(app(), ctx);
    expect(Object.keys(out).sort()).toEqual([...ENRICHMENT_FEATURES].sort());
    expect(ENRICHMENT_FEATURES).toHaveLength(42);
    for (const v of Object.values(out)) expect(v === null || ['string', 'number', 'boolean'].includes(typeof v)).toBe(true);
  });

  it('a Hangzhou Android applicant whose device agrees with the IP', () => {
    const out = enrich(
      app({
        ip: '223.5.5.5',
        device: {
          userAgent: UA.wechatAndroid,
          platform: 'android',
          timezone: 'Asia/Shanghai',
          gps: { lat: 30.26, lon: 120.16, accuracyM: 30 },
          rooted: false,
          emulator: false,
        },
        declaredRegion: { country: 'CN', region: '浙江省' },
      }),
      ctx,
    );
    expect(out).toMatchObject({
      'ip.class': 'public',
      'ip.version': 4,
      'ip.subnet': '223.5.5.0/24',
      'ip.country': 'CN',
      'ip.region': 'Zhejiang',
      'ip.accuracyKm': null,
      'ip.timezone': 'Asia/Shanghai',
      'ip.geoSource': 'dbip',
      'ip.geoBuildDate': '2026-06-05',
      'ip.datacenter': true,
      'ip.vpn': null,
      'ip.tor': null,
      'ip.blocked': null,
      'ip.allowed': false,
      'ip.asn': null,
      'ip.asOrg': null,
      'device.browser': 'WeChat',
      'device.os': 'Android',
      'device.type': 'mobile',
      'device.bot': false,
      'device.headless': false,
      'device.uaMissing': false,
      'device.platformMismatch': false,
      'device.emulator': false,
      'device.rooted': false,
      'geo.hasGps': true,
      'geo.gpsIpMismatch': false,
      'geo.deviceTzOffsetMin': 480,
      'geo.ipTzOffsetMin': 480,
      'geo.tzMismatch': false,
      'geo.countryMismatch': false,
      'geo.regionMismatch': false,
    });
    expect(out['geo.gpsIpDistanceKm']).toBeLessThan(10);
  });

  it('a device-farm pattern: iOS app with an Android UA, US time zone, GPS in Shanghai, declared Guangdong', () => {
    const out = enrich(
      app({
        ip: '2400:3200::1',
        device: { userAgent: UA.androidChrome, platform: 'ios', timezone: 'America/New_York', gps: { lat: 31.2304, lon: 121.4737 }, emulator: true },
        declaredRegion: { country: 'CN', region: '广东' },
      }),
      ctx,
    );
    expect(out).toMatchObject({
      'ip.version': 6,
      'ip.subnet': '2400:3200:0:0::/64',
      'ip.country': 'CN',
      'ip.datacenter': false,
      'device.platformMismatch': true,
      'device.emulator': true,
      'device.rooted': null,
      'geo.gpsIpMismatch': true,
      'geo.deviceTzOffsetMin': -240,
      'geo.tzMismatch': true,
      'geo.countryMismatch': false,
      'geo.regionMismatch': true,
    });
  });

  it('private, loopback and CGNAT addresses: no geo lookup, all geo fields null', () => {
    let lookups = 0;
    const counting: GeoProvider = { name: 'counting', buildDate: 'unknown', lookup: (ip) => (lookups++, geo.lookup(ip)) };
    for (const ip of ['192.168.1.10', '127.0.0.1', '100.64.0.1', 'fd12:3456:789a::1', '240.0.0.1']) {
      const out = enrich(
        app({ ip, device: { gps: { lat: 30, lon: 120 }, timezone: 'Asia/Shanghai' }, declaredRegion: { country: 'CN', region: 'Zhejiang' } }),
        { ...ctx, geo: counting },
      );
      for (const k of [
        'ip.country',
        'ip.region',
        'ip.city',
        'ip.lat',
        'ip.lon',
        'ip.accuracyKm',
        'ip.timezone',
        'geo.gpsIpDistanceKm',
        'geo.gpsIpMismatch',
        'geo.ipTzOffsetMin',
        'geo.tzMismatch',
        'geo.countryMismatch',
        'geo.regionMismatch',
      ] as const) {
        expect(out[k], `${ip} ${k}`).toBeNull();
      }
      expect(out['geo.hasGps']).toBe(true);
    }
    expect(lookups).toBe(0);
  });

  it('no UA, no GPS, invalid time zone, no lists: unknowns are null, not false', () => {
    const out = enrich(app({ ip: '8.8.8.8', device: { timezone: 'Beijing Time' } }), { ...ctx, lists: NO_IP_LISTS });
    expect(out).toMatchObject({
      'ip.country': 'US',
      'ip.timezone': null,
      'ip.datacenter': null,
      'ip.allowed': null,
      'device.uaMissing': true,
      'device.bot': false,
      'device.type': 'unknown',
      'device.platformMismatch': null,
      'device.emulator': null,
      'geo.hasGps': false,
      'geo.gpsIpDistanceKm': null,
      'geo.gpsIpMismatch': null,
      'geo.deviceTzOffsetMin': null,
      'geo.tzMismatch': null,
      'geo.countryMismatch': null,
      'geo.regionMismatch': null,
    });
  });

  it('headless browsers and HTTP libraries are flagged; time zones use nowMs when given', () => {
    expect(enrich(app({ device: { userAgent: UA.headlessChrome } }), ctx)).toMatchObject({
      'device.headless': true,
      'device.bot': true,
      'device.type': 'desktop',
    });
    expect(enrich(app({ device: { userAgent: UA.pythonRequests } }), ctx)).toMatchObject({ 'device.headless': false, 'device.bot': true });
    const winter = Date.UTC(2026, 0, 15);
    expect(enrich(app({ device: { timezone: 'America/New_York' } }), { ...ctx, nowMs: winter })['geo.deviceTzOffsetMin']).toBe(-300);
  });

  it('works with geoip-lite selected (accuracy radius and time zone from the data)', () => {
    const out = enrich(app({ ip: '36.110.0.5', device: { gps: { lat: 39.91, lon: 116.4 }, timezone: 'Asia/Shanghai' } }), {
      ...ctx,
      geo: createGeoProvider('geoip-lite'),
    });
    expect(out).toMatchObject({
      'ip.geoSource': 'geoip-lite',
      'ip.geoBuildDate': '2023-11-15',
      'ip.country': 'CN',
      'geo.tzMismatch': false,
      'geo.gpsIpMismatch': false,
    });
    expect(typeof out['ip.accuracyKm']).toBe('number');
  });
});

describe('enrich with the ASN database and the hosting ASes', async () => {
  const { loadAsnDatabase, loadHostingAsns } = await import('../../../src/enrich/asn-file.js');
  const { fileURLToPath } = await import('node:url');
  const asn = loadAsnDatabase();
  const hosting = loadHostingAsns(fileURLToPath(new URL('../../../config/hosting-asns.yaml', import.meta.url)));
  const withAsn: EnrichContext = { geo, lists: NO_IP_LISTS, ua: new DeviceParser(), asn, hosting };

  it('names the AS, and makes a mainland cloud address a data-centre address although no list is loaded', () => {
    expect(enrich(app({ ip: '47.92.10.20' }), withAsn)).toMatchObject({
      'ip.asn': 37963,
      'ip.asOrg': 'Hangzhou Alibaba Advertising Co.,Ltd.',
      'ip.hosting': true,
      'ip.hostingProvider': 'Alibaba Cloud',
      'ip.datacenter': true,
    });
  });

  it('a mobile network: AS known, not hosting, data-centre unknown without lists', () => {
    expect(enrich(app({ ip: '117.136.0.1' }), withAsn)).toMatchObject({
      'ip.asn': 56048,
      'ip.hosting': false,
      'ip.hostingProvider': null,
      'ip.datacenter': null,
    });
  });

  it('without the database everything AS-related is unknown (null), never "no"', () => {
    expect(enrich(app({ ip: '47.92.10.20' }), { geo, lists: NO_IP_LISTS, ua: new DeviceParser() })).toMatchObject({
      'ip.asn': null,
      'ip.hosting': null,
      'ip.datacenter': null,
    });
  });
});
