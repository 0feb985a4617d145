import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIpListMatcher, NO_IP_LISTS, parseCidrList } from '../../../src/enrich/ip-lists.js';
import { loadIpListFiles } from '../../../src/enrich/ip-lists-file.js';
import { ipKey, parseCidr } from '../../../src/enrich/ip-ranges.js';

// The X4BNet lists shipped in data/iplists (data/iplists/README.md): the figures below are those of that copy.
const LISTS = new URL('../../../data/iplists/', import.meta.url);

describe('parseCidr / ipKey', () => {
  it('parses IPv4, IPv6, bare addresses and IPv4-mapped IPv6 as IPv4', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ ok: true, range: { v: 4, start: 0x0a000000, end: 0x0affffff } });
    expect(parseCidr('1.2.3.4')).toEqual({ ok: true, range: { v: 4, start: 0x01020304, end: 0x01020304 } });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ ok: true, range: { start: 0, end: 2 ** 32 - 1 } });
    expect(parseCidr('2001:db8::/32')).toMatchObject({ ok: true, range: { v: 6, start: 0x20010db8n << 96n } });
    expect(parseCidr('::ffff:1.2.3.0/120')).toEqual({ ok: true, range: { v: 4, start: 0x01020300, end: 0x010203ff } });
    expect(ipKey('::ffff:1.2.3.4')).toEqual({ v: 4, n: 0x01020304 });
  });

  it('masks host bits with a note, and refuses garbage', () => {
    expect(parseCidr('1.2.3.4/24')).toEqual({ ok: true, range: { v: 4, start: 0x01020300, end: 0x010203ff }, note: 'host bits set, used 1.2.3.0/24' });
    for (const bad of ['1.2.3.256/24', '1.2.3.0/33', '1.2.3.0/', '010.1.1.1', 'example.com', '1.2.3', '2001:db8::/129', '2001:zz::/32']) {
      expect(parseCidr(bad).ok, bad).toBe(false);
    }
    expect(ipKey('not-an-ip')).toBeNull();
  });
});

describe('parseCidrList', () => {
  it('skips comments and blanks, reports bad lines with line numbers, keeps going', () => {
    const text = '# header\n\n1.2.3.0/24\n  5.6.7.8  # trailing comment\nbogus line\n2001:db8::/33\r\n9.9.9.9/40\n1.2.3.5/30\n';
    const r = parseCidrList(text, 'ops.txt');
    expect(r.ranges).toHaveLength(4); // 1.2.3.0/24, 5.6.7.8, 2001:db8::/33, 1.2.3.4/30
    expect(r.warnings).toEqual([
      { source: 'ops.txt', line: 5, text: 'bogus line', reason: "not an IP address: 'bogus line'", action: 'skipped' },
      { source: 'ops.txt', line: 7, text: '9.9.9.9/40', reason: 'prefix length 40 out of range', action: 'skipped' },
      { source: 'ops.txt', line: 8, text: '1.2.3.5/30', reason: 'host bits set, used 1.2.3.4/30', action: 'normalised' },
    ]);
  });
});

describe('buildIpListMatcher', () => {
  const lists = buildIpListMatcher([
    { name: 'dc', kind: 'datacenter', ranges: parseCidrList('10.0.0.0/24\n10.0.1.0/24\n10.0.0.128/25\n2001:db8::/48\n').ranges },
    { name: 'ops-block', kind: 'block', ranges: parseCidrList('10.0.1.7\n').ranges },
  ]);

  it('merges adjacent and overlapping ranges', () => {
    expect(lists.lists).toEqual([
      { name: 'dc', kind: 'datacenter', v4Intervals: 1, v6Intervals: 1 },
      { name: 'ops-block', kind: 'block', v4Intervals: 1, v6Intervals: 0 },
    ]);
  });

  it('reports null for kinds with no list loaded, and which lists matched', () => {
    expect(lists.match('10.0.1.7')).toEqual({ kinds: { datacenter: true, vpn: null, tor: null, block: true, allow: null }, lists: ['dc', 'ops-block'] });
    expect(lists.match('10.0.2.0').kinds).toMatchObject({ datacenter: false, block: false, vpn: null });
    expect(lists.match('2001:db8:0:ffff:ffff:ffff:ffff:ffff').kinds.datacenter).toBe(true);
    expect(lists.match('2001:db8:1::').kinds.datacenter).toBe(false);
    expect(lists.match('::ffff:10.0.0.1').kinds.datacenter).toBe(true);
    expect(lists.match('garbage').kinds).toMatchObject({ datacenter: false, block: false });
    expect(NO_IP_LISTS.match('10.0.0.1').kinds).toEqual({ datacenter: null, vpn: null, tor: null, block: null, allow: null });
  });
});

describe('real X4BNet lists from data/iplists', () => {
  const file = (n: string) => new URL(n, LISTS);
  const loaded = loadIpListFiles([
    { name: 'x4b-datacenter', kind: 'datacenter', files: [file('datacenter-ipv4.txt'), file('datacenter-ipv6.txt')] },
    { name: 'x4b-vpn', kind: 'vpn', files: [file('vpn-ipv4.txt'), file('vpn-ipv6.txt')] },
  ]);
  const m = loaded.matcher;

  it('loads every line without warnings', () => {
    expect(loaded.warnings).toEqual([]);
    expect(loaded.stats.map((s) => s.ranges)).toEqual([42_566 + 8_752, 10_862 + 498]);
  });

  it.each([
    // datacenter-ipv4.txt line 1: 1.12.0.0/14
    ['1.11.255.255', false],
    ['1.12.0.0', true],
    ['1.15.255.255', true],
    ['1.16.0.0', false],
    // datacenter-ipv6.txt line 1: 2001:310::/32
    ['2001:30f:ffff:ffff:ffff:ffff:ffff:ffff', false],
    ['2001:310::', true],
    ['2001:310:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:311::', false],
    ['::ffff:1.12.0.1', true],
  ])('datacenter %s → %s', (ip, expected) => {
    expect(m.match(ip).kinds.datacenter).toBe(expected);
  });

  it.each([
    // vpn-ipv4.txt line 1: 2.26.157.0/24; vpn-ipv6.txt: 2001:ac8::/32
    ['2.26.156.255', false],
    ['2.26.157.0', true],
    ['2.26.157.255', true],
    ['2.26.158.0', false],
    ['2001:ac8::1', true],
  ])('vpn %s → %s', (ip, expected) => {
    expect(m.match(ip).kinds.vpn).toBe(expected);
  });

  it('tor/block/allow stay unknown when not loaded', () => {
    expect(m.match('2.26.157.1').kinds).toMatchObject({ tor: null, block: null, allow: null });
  });

  it('fails loudly on a missing file', () => {
    expect(() => loadIpListFiles([{ name: 'x', kind: 'tor', files: [file('no-such-file.txt')] }])).toThrow(/IP list 'x' \(tor\): cannot read .*no-such-file/);
  });
});

describe('list cache', () => {
  it('gives the same matches from the cache, and is ignored once a file changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-lists-'));
    const list = join(dir, 'dc.txt');
    writeFileSync(list, '10.1.0.0/16\n2001:db8::/32\nnot-a-cidr\n');
    const cacheFile = join(dir, 'cache', 'ip-lists.bin');
    const spec = [{ name: 'dc', kind: 'datacenter' as const, files: [list] }];
    const first = loadIpListFiles(spec, { cacheFile });
    const again = loadIpListFiles(spec, { cacheFile });
    for (const ip of ['10.1.2.3', '10.2.0.1', '2001:db8::5', '2001:db9::1']) expect(again.matcher.match(ip)).toEqual(first.matcher.match(ip));
    expect(again.matcher.match('2001:db8:ffff::1').kinds.datacenter).toBe(true);
    expect(again.warnings).toEqual(first.warnings); // the skipped line is still reported
    expect(again.stats).toEqual(first.stats);
    writeFileSync(list, '10.2.0.0/16\n');
    utimesSync(list, new Date(), new Date(Date.now() + 5000));
    const changed = loadIpListFiles(spec, { cacheFile });
    expect(changed.matcher.match('10.2.0.1').kinds.datacenter).toBe(true);
    expect(changed.matcher.match('10.1.2.3').kinds.datacenter).toBe(false);
  });
});
