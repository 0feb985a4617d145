import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Application } from '../../../src/domain/application.js';
import { loadAsnDatabase, loadHostingAsns } from '../../../src/enrich/asn-file.js';
import { enrich } from '../../../src/enrich/index.js';
import { loadIpListFiles } from '../../../src/enrich/ip-lists-file.js';
import { enrichmentCacheFiles, loadEnrichment } from '../../../src/enrich/load.js';
import { loadConfig } from '../../../src/platform/config.js';

/**
 * The start-up caches (ASN tables, IP-list intervals, hosting ASes) change nothing: the shipped data enriches the
 * same from the caches as parsed, and a damaged cache is noticed, reported and rebuilt.
 */
const tmp = (): string => mkdtempSync(join(tmpdir(), 'lg-caches-'));

/** A deterministic sample: random IPv4 and IPv6 addresses (the IPv6 ones in the regions' /12s), plus range edges. */
function sampleAddresses(n: number): string[] {
  let s = 0x2f6b_1d3e;
  const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s);
  const v4 = (x: number): string => [x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255].join('.');
  const hex = (): string => (rnd() & 0xffff).toString(16);
  const prefixes = ['240', '2a0', '260', '280', '2c0', '200'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(v4(rnd()));
    const p = prefixes[i % prefixes.length] as string;
    out.push(`${p}${(rnd() & 15).toString(16)}:${hex()}:${hex()}:${hex()}::${hex()}`);
  }
  const edges = ['1.12.0.0', '1.11.255.255', '1.15.255.255', '1.16.0.0', '2001:310::', '2001:30f:ffff:ffff:ffff:ffff:ffff:ffff', '2001:ac8::1'];
  return [...out, ...edges, '47.92.1.1', '2400:3200::1', '::ffff:47.92.1.1', '10.1.2.3', 'not an ip'];
}

const app = (ip: string): Application => ({
  applicationId: `a-${ip}`,
  eventTime: '2026-06-20T03:00:00.000Z',
  eventTimeMs: Date.UTC(2026, 5, 20, 3, 0),
  applicant: { nationalId: { id: 'n', masked: 'n' }, phone: { id: 'p', masked: 'p' }, contacts: [] },
  device: { deviceId: { id: 'd', masked: 'd' } },
  network: { ip, ipId: { id: 'i', masked: 'i' }, subnetId: { id: 's', masked: 's' } },
});

describe('the shipped data, parsed and from the caches', () => {
  const base = loadConfig({ env: {} }).enrichment;
  const settings = { ...base, asn: { ...base.asn, cacheFile: join(tmp(), 'caches', 'asn.bin') } };
  const warnings: unknown[] = [];
  const parsed = loadEnrichment(settings, (msg, detail) => warnings.push({ msg, detail }));
  const cached = loadEnrichment(settings, (msg, detail) => warnings.push({ msg, detail }));
  const ips = sampleAddresses(3000);

  it('the second start reads every cache, and no cache was reported damaged', () => {
    expect(parsed.asnFromCache).toBe(false);
    expect(cached.asnFromCache).toBe(true);
    expect(warnings).toEqual([]);
    expect(cached.lists).toEqual(parsed.lists);
    expect(cached.warnings).toEqual(parsed.warnings);
    expect(cached.datasets).toEqual(parsed.datasets);
  });

  it('gives the same AS, list matches and hosting AS for every sampled IPv4 and IPv6 address', () => {
    const asnHits = ips.filter((ip) => parsed.context.asn?.lookup(ip)).length;
    expect(asnHits).toBeGreaterThan(2500); // the sample does reach the data
    for (const ip of ips) {
      expect(cached.context.asn?.lookup(ip), ip).toEqual(parsed.context.asn?.lookup(ip));
      expect(cached.context.lists.match(ip), ip).toEqual(parsed.context.lists.match(ip));
    }
    expect(cached.context.hosting?.entries).toEqual(parsed.context.hosting?.entries);
  });

  it('enriches every sampled application identically', () => {
    for (const ip of ips.slice(0, 1500)) expect(enrich(app(ip), cached.context), ip).toEqual(enrich(app(ip), parsed.context));
  });
});

/** Flips one byte in the middle of a cache file (a bit rot, or a half-written copy). */
function damage(file: string): void {
  const b = readFileSync(file);
  const at = Math.floor(b.length / 2);
  b[at] = (b[at] as number) ^ 0xff;
  writeFileSync(file, b, { mode: 0o600 });
}

describe('a damaged cache is reported and rebuilt', () => {
  const dir = tmp();
  mkdirSync(join(dir, 'asn'));
  writeFileSync(join(dir, 'asn', 'asn-ipv4-num.csv'), '16777216,16777471,13335,"Cloudflare, Inc."\n16777472,16777727,4134,CHINANET 電信\n');
  writeFileSync(join(dir, 'asn', 'asn-ipv6.csv'), '2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Electric LLC\n');
  writeFileSync(join(dir, 'dc.txt'), '1.2.3.0/24\n2001:db8::/32\nnot-a-cidr\n');
  writeFileSync(join(dir, 'hosting.yaml'), 'version: 2026-11-01\nasns:\n  - { asn: 13335, provider: Cloudflare, scope: global, as: "Cloudflare, Inc." }\n');
  const caches = { asn: join(dir, 'cache', 'asn.bin'), lists: join(dir, 'cache', 'ip-lists.bin'), hosting: join(dir, 'cache', 'hosting.bin') };
  const spec = [{ name: 'dc', kind: 'datacenter' as const, files: [join(dir, 'dc.txt')] }];
  const told = (): { warn: (msg: string, detail: Record<string, unknown>) => void; seen: Record<string, unknown>[] } => {
    const seen: Record<string, unknown>[] = [];
    return { warn: (_msg, detail) => seen.push(detail), seen };
  };

  it('ASN tables: rebuilt with a warning, the same answers, then read from the cache again', () => {
    const first = loadAsnDatabase({ dir: join(dir, 'asn'), cacheFile: caches.asn });
    damage(caches.asn);
    const w = told();
    const again = loadAsnDatabase({ dir: join(dir, 'asn'), cacheFile: caches.asn, warn: w.warn });
    expect(again.fromCache).toBe(false);
    expect(w.seen).toEqual([{ file: caches.asn, problem: 'corrupt', reason: expect.stringMatching(/checksum/) }]);
    for (const ip of ['1.0.0.7', '1.0.1.1', '2001::1', '1.0.2.0']) expect(again.lookup(ip)).toEqual(first.lookup(ip));
    expect(again.lookup('1.0.1.1')?.org).toMatch(/^CHINANET /); // a non-ASCII name survives the string table as the CSV reader gave it
    const third = loadAsnDatabase({ dir: join(dir, 'asn'), cacheFile: caches.asn, warn: w.warn });
    expect(third.fromCache).toBe(true);
    expect(third.lookup('1.0.1.1')).toEqual(first.lookup('1.0.1.1'));
    const whole = readFileSync(caches.asn);
    writeFileSync(caches.asn, whole.subarray(0, whole.length - 16)); // truncated
    expect(loadAsnDatabase({ dir: join(dir, 'asn'), cacheFile: caches.asn, warn: w.warn }).fromCache).toBe(false);
    expect(w.seen).toHaveLength(2);
  });

  it('IP lists: rebuilt with a warning, the same matches and skipped lines', () => {
    const first = loadIpListFiles(spec, { cacheFile: caches.lists });
    damage(caches.lists);
    const w = told();
    const again = loadIpListFiles(spec, { cacheFile: caches.lists, warn: w.warn });
    expect(w.seen).toEqual([{ file: caches.lists, problem: 'corrupt', reason: expect.any(String) }]);
    for (const ip of ['1.2.3.4', '1.2.4.0', '2001:db8:ffff::1', '2001:db9::1']) expect(again.matcher.match(ip)).toEqual(first.matcher.match(ip));
    expect(again.warnings).toEqual(first.warnings);
    loadIpListFiles(spec, { cacheFile: caches.lists, warn: w.warn });
    expect(w.seen).toHaveLength(1); // the rebuilt cache is good
  });

  it('hosting ASes: the same table from the cache, rebuilt with a warning when damaged, re-read when the file changes', () => {
    const file = join(dir, 'hosting.yaml');
    const first = loadHostingAsns(file, { cacheFile: caches.hosting });
    const w = told();
    const again = loadHostingAsns(file, { cacheFile: caches.hosting, warn: w.warn });
    expect(again.entries).toEqual(first.entries);
    expect(again.version).toBe('2026-11-01');
    expect(again.lookup(13335)?.provider).toBe('Cloudflare');
    damage(caches.hosting);
    expect(loadHostingAsns(file, { cacheFile: caches.hosting, warn: w.warn }).entries).toEqual(first.entries);
    expect(w.seen).toHaveLength(1);
    writeFileSync(file, 'version: 2026-12-01\nasns:\n  - { asn: 4134, provider: X, scope: cn, as: "CHINANET" }\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(loadHostingAsns(file, { cacheFile: caches.hosting }).lookup(4134)?.provider).toBe('X');
  });

  it('the caches sit next to the ASN cache', () => {
    const e = { asn: { cacheFile: join(dir, 'c', 'asn.bin') } } as Parameters<typeof enrichmentCacheFiles>[0];
    expect(enrichmentCacheFiles(e)).toEqual({
      asn: join(dir, 'c', 'asn.bin'),
      lists: join(dir, 'c', 'ip-lists.bin'),
      hosting: join(dir, 'c', 'hosting-asns.bin'),
    });
  });
});
