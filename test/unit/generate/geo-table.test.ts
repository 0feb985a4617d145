import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createGeoProvider } from '../../../src/enrich/geo/index.js';
import { ABROAD, CN_CITIES, DATACENTERS, cidrRange, ipv4ToNumber, numberToIpv4 } from '../../../src/generate/index.js';

/**
 * Keeps the generator's IP tables honest: every /24 of every prefix must geolocate (DB-IP, the processor's default
 * provider) to the province / country the table claims, close to the table's point, so legit synthetic traffic stays
 * geo-consistent after a database refresh. A failure means: re-pick that prefix (see src/generate/geo-table.ts).
 */
const geo = createGeoProvider('dbip');

function km(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const r = Math.PI / 180;
  const x = Math.sin(((bLat - aLat) * r) / 2) ** 2 + Math.cos(aLat * r) * Math.cos(bLat * r) * Math.sin(((bLon - aLon) * r) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(x));
}

/** Two addresses in every /24 of the prefix. */
function samples(cidr: string): string[] {
  const { first, size } = cidrRange(cidr);
  const out: string[] = [];
  for (let n = first; n < first + size; n += 256) out.push(numberToIpv4(n + 1), numberToIpv4(n + 254));
  return out;
}

describe('province IP table (DB-IP)', () => {
  it('covers every mainland province-level division', () => {
    expect(new Set(CN_CITIES.map((c) => c.province)).size).toBe(31);
  });

  for (const city of CN_CITIES) {
    it(`${city.city}, ${city.province}: ${city.prefixes.join(' ')}`, () => {
      for (const prefix of city.prefixes) {
        for (const ip of samples(prefix)) {
          const g = geo.lookup(ip);
          expect(g?.country, ip).toBe('CN');
          expect(g?.region, `${ip} (${prefix})`).toBe(city.province);
          expect(km(city.lat, city.lon, g?.lat ?? 0, g?.lon ?? 0), `${ip} distance from ${city.city}`).toBeLessThan(25);
        }
      }
    });
  }

  it('abroad prefixes are in the stated country', () => {
    for (const place of ABROAD) for (const prefix of place.prefixes) for (const ip of samples(prefix)) expect(geo.lookup(ip)?.country, ip).toBe(place.country);
  });

  it('data-centre prefixes are where the table says', () => {
    for (const dc of DATACENTERS) {
      for (const ip of samples(dc.prefix)) {
        const g = geo.lookup(ip);
        expect(g?.country, `${dc.provider} ${ip}`).toBe(dc.country);
        if (dc.province !== undefined) expect(g?.region, `${dc.provider} ${ip}`).toBe(dc.province);
      }
    }
  });
});

// The X4BNet data-centre and VPN ranges shipped in data/iplists (data/iplists/README.md), which the processor loads by default.
const listDir = fileURLToPath(new URL('../../../data/iplists/', import.meta.url));

function ranges(file: string): [number, number][] {
  return readFileSync(`${listDir}${file}`, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.includes(':'))
    .map((l) => {
      const { first, size } = cidrRange(l);
      return [first, first + size - 1];
    });
}

describe('IP tables vs data/iplists', () => {
  const dc = ranges('datacenter-ipv4.txt');
  const vpn = ranges('vpn-ipv4.txt');
  const covers = (list: [number, number][], cidr: string): boolean => {
    const { first, size } = cidrRange(cidr);
    return list.some(([a, b]) => a <= first && b >= first + size - 1);
  };
  const overlaps = (list: [number, number][], cidr: string): boolean => {
    const { first, size } = cidrRange(cidr);
    return list.some(([a, b]) => a <= first + size - 1 && b >= first);
  };

  it('eyeball prefixes are not data-centre or VPN networks', () => {
    for (const p of [...CN_CITIES.flatMap((c) => c.prefixes), ...ABROAD.flatMap((a) => a.prefixes)]) {
      expect(overlaps(dc, p), `${p} is in datacenter-ipv4.txt`).toBe(false);
      expect(overlaps(vpn, p), `${p} is in vpn-ipv4.txt`).toBe(false);
    }
  });

  it('inDatacenterList matches the list (mainland Alibaba Cloud and AWS China are missing from it)', () => {
    for (const d of DATACENTERS) expect(covers(dc, d.prefix), `${d.provider} ${d.prefix}`).toBe(d.inDatacenterList);
    expect(ipv4ToNumber('47.96.0.1')).toBe(47 * 2 ** 24 + 96 * 2 ** 16 + 1);
  });
});
