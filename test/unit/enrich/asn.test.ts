import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildAsnDatabase, v6High64 } from '../../../src/enrich/asn.js';
import { buildDateOfVersion, loadAsnDatabase, loadHostingAsns } from '../../../src/enrich/asn-file.js';
import { parseHostingAsns } from '../../../src/enrich/hosting.js';

const cacheFile = join(mkdtempSync(join(tmpdir(), 'lg-asn-')), 'asn.bin');
const db = loadAsnDatabase({ cacheFile });
const hosting = loadHostingAsns(fileURLToPath(new URL('../../../config/hosting-asns.yaml', import.meta.url)));
const provider = (ip: string): string | undefined => {
  const as = db.lookup(ip);
  return as ? hosting.lookup(as.asn)?.provider : undefined;
};

describe('ASN database (@ip-location-db/asn)', () => {
  it('loads every range, with the data build date, and reads back the same from its binary cache', () => {
    expect(db.ranges.v4).toBeGreaterThan(300_000);
    expect(db.ranges.v6).toBeGreaterThan(50_000);
    expect(db.buildDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const again = loadAsnDatabase({ cacheFile });
    expect(again.fromCache).toBe(true);
    for (const ip of ['47.92.1.1', '8.8.8.8', '2400:3200::1', '117.136.0.1']) expect(again.lookup(ip)).toEqual(db.lookup(ip));
  });

  it('finds the AS of IPv4, IPv6 and IPv4-mapped addresses, and none for private ones', () => {
    expect(db.lookup('47.92.1.1')).toEqual({ asn: 37963, org: 'Hangzhou Alibaba Advertising Co.,Ltd.' });
    expect(db.lookup('::ffff:47.92.1.1')?.asn).toBe(37963);
    expect(db.lookup('2400:3200::1')?.asn).toBe(37963);
    expect(db.lookup('10.1.2.3')).toBeNull();
    expect(db.lookup('not an ip')).toBeNull();
  });

  it('parses both CSV forms: quoted organisations with commas, IPv6 by its upper 64 bits', () => {
    const small = buildAsnDatabase(
      '16777216,16777471,13335,"Cloudflare, Inc."\n16778240,16779263,38803,Gtelecom Pty Ltd\n',
      '2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project\n',
      { name: 't', buildDate: 'd' },
    );
    expect(small.lookup('1.0.0.7')).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(small.lookup('1.0.1.0')).toBeNull(); // between two ranges
    expect(small.lookup('2001:200:1b9:1::5')).toEqual({ asn: 2500, org: 'WIDE Project' });
    expect(small.lookup('2001:200:1ba::1')).toBeNull();
    expect(v6High64('2001:4:112::')).toBe(0x2001_0004_0112_0000n);
    expect(buildDateOfVersion('2.3.2026061719')).toBe('2026-06-17');
  });
});

describe('hosting-AS classification (config/hosting-asns.yaml)', () => {
  // One address of each provider the issue names, mainland China's clouds first.
  const cases: [string, string][] = [
    ['47.92.1.1', 'Alibaba Cloud'],
    ['121.40.1.1', 'Alibaba Cloud'],
    ['139.196.1.1', 'Alibaba Cloud'],
    ['8.209.64.1', 'Alibaba Cloud'],
    ['43.136.0.1', 'Tencent Cloud'],
    ['101.32.0.1', 'Tencent Cloud'],
    ['121.36.0.1', 'Huawei Cloud'],
    ['124.70.0.1', 'Huawei Cloud'],
    ['180.76.0.1', 'Baidu Cloud'],
    ['106.12.0.1', 'Baidu Cloud'],
    ['120.92.0.1', 'Kingsoft Cloud'],
    ['110.43.0.1', 'Kingsoft Cloud'],
    ['113.31.192.1', 'UCloud'],
    ['23.91.96.1', 'UCloud'],
    ['101.124.16.1', 'JD Cloud'],
    ['1.118.32.1', 'JD Cloud'],
    ['115.190.0.1', 'Volcano Engine'],
    ['52.80.1.1', 'AWS China'],
    ['52.82.0.1', 'AWS China'],
    ['161.189.0.1', 'AWS China'],
    ['54.0.0.1', 'AWS'],
    ['3.5.0.1', 'AWS'],
    ['2406:da00::1', 'AWS'],
    ['34.64.0.1', 'Google Cloud'],
    ['35.186.0.1', 'Google Cloud'],
    ['20.0.0.1', 'Azure'],
    ['40.64.0.1', 'Azure'],
    ['129.146.0.1', 'Oracle Cloud'],
    ['104.131.0.1', 'DigitalOcean'],
    ['45.32.0.1', 'Vultr'],
    ['45.33.0.1', 'Linode'],
    ['51.38.0.1', 'OVHcloud'],
    ['5.9.0.1', 'Hetzner'],
    ['95.216.0.1', 'Hetzner'],
  ];
  it.each(cases)('%s is hosting (%s)', (ip, name) => {
    expect(provider(ip)).toBe(name);
  });

  it('leaves mainland mobile and broadband networks alone', () => {
    for (const ip of ['117.136.0.1', '223.104.1.1', '111.206.0.1', '114.80.0.1', '2409:8900::1']) expect(provider(ip), ip).toBeUndefined();
  });

  it('every entry names an AS that the ASN data knows, under the name recorded in the file', () => {
    const orgs = new Map<number, string>();
    for (const ip of cases.map(([i]) => i)) {
      const as = db.lookup(ip);
      if (as) orgs.set(as.asn, as.org);
    }
    for (const [asn, org] of orgs) expect(hosting.lookup(asn)?.as, `AS${asn}`).toBe(org);
    expect(hosting.entries.length).toBeGreaterThanOrEqual(40);
  });

  it('refuses a malformed file with the entry that is wrong', () => {
    expect(() => parseHostingAsns('asns:\n  - { asn: 1, provider: X, scope: cn, as: "A" }\n  - { asn: -4, provider: Y }\n', 'h.yaml')).toThrow(
      /h.yaml: entry 2 needs asn/,
    );
    expect(() =>
      parseHostingAsns('asns:\n  - { asn: 1, provider: X, scope: cn, as: "A" }\n  - { asn: 1, provider: X, scope: cn, as: "A" }\n', 'h.yaml'),
    ).toThrow(/AS1 is listed twice/);
    const f = join(mkdtempSync(join(tmpdir(), 'lg-h-')), 'h.yaml');
    writeFileSync(f, 'nothing: here\n');
    expect(() => loadHostingAsns(f)).toThrow(/expected "asns:"/);
  });
});
