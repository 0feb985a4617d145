import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { canonicalIp, classifyIp, maskIp } from '../../../src/enrich/ip.js';

describe('classifyIp', () => {
  it.each([
    ['123.123.123.123', 4, 'public', '123.123.123.0/24'],
    ['8.8.8.8', 4, 'public', '8.8.8.0/24'],
    ['10.20.30.40', 4, 'private', '10.20.30.0/24'],
    ['192.168.1.10', 4, 'private', '192.168.1.0/24'],
    ['172.16.5.4', 4, 'private', '172.16.5.0/24'],
    ['127.0.0.1', 4, 'loopback', '127.0.0.0/24'],
    ['169.254.1.1', 4, 'link-local', '169.254.1.0/24'],
    ['100.64.0.1', 4, 'carrier-nat', '100.64.0.0/24'],
    ['240.0.0.1', 4, 'reserved', '240.0.0.0/24'],
    ['0.0.0.0', 4, 'unspecified', '0.0.0.0/24'],
    ['224.0.0.251', 4, 'multicast', '224.0.0.0/24'],
    ['::ffff:36.110.0.5', 4, 'public', '36.110.0.0/24'],
    ['2408:8207:2411:7a10::1', 6, 'public', '2408:8207:2411:7a10::/64'],
    ['2001:4860:4860::8888', 6, 'public', '2001:4860:4860:0::/64'],
    ['2001:db8::1', 6, 'reserved', '2001:db8:0:0::/64'],
    ['fd12:3456:789a::1', 6, 'private', 'fd12:3456:789a:0::/64'],
    ['fe80::1', 6, 'link-local', 'fe80:0:0:0::/64'],
    ['::1', 6, 'loopback', '0:0:0:0::/64'],
  ])('%s', (ip, version, ipClass, subnet) => {
    expect(classifyIp(ip)).toEqual({ version, ipClass, subnet });
  });
});

describe('canonicalIp and maskIp without the parser (plain IPv4, subnet keys)', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const plain = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));

  it('gives what ipaddr.js gives for every plain dotted quad', () => {
    fc.assert(
      fc.property(plain, (ip) => {
        expect(canonicalIp(ip)).toBe(ipaddr.parse(ip).toString());
        const o = ipaddr.IPv4.parse(ip).octets;
        expect(maskIp(ip)).toBe(`${o[0]}.${o[1]}.${o[2]}.*`);
      }),
    );
  });

  it('still parses other spellings, and keeps subnet keys as they are', () => {
    expect(canonicalIp(' 010.0.0.1 ')).toBe('8.0.0.1'); // octal, as ipaddr.js reads it
    expect(canonicalIp('::FFFF:1.2.3.4')).toBe('1.2.3.4');
    expect(canonicalIp('1.2.3.0/24')).toBe('1.2.3.0/24');
    expect(canonicalIp('2001:DB8::/64')).toBe('2001:db8::/64');
    expect(maskIp('1.2.3.0/24')).toBe('1.2.3.*');
    expect(maskIp('2001:db8:1:2::/64')).toBe('2001:db8:1::/48');
  });
});
