/**
 * Enrichment cost figures for docs/enrichment.md. Run: npx tsx bench/enrich.bench.ts
 * Needs ../shared/data/iplists (the X4BNet lists) next to the repository.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Application } from '../src/domain/application.js';
import { createGeoProvider, DeviceParser, enrich, loadIpListFiles, NO_IP_LISTS, type EnrichContext } from '../src/enrich/index.js';

const dir = new URL('../../shared/data/iplists/', import.meta.url);
const file = (n: string) => new URL(n, dir);

function time<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  console.log(`${label}: ${(performance.now() - t0).toFixed(1)} ms`);
  return out;
}

function perOp(label: string, n: number, fn: (i: number) => unknown): void {
  for (let i = 0; i < Math.min(n, 20_000); i++) fn(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const ms = performance.now() - t0;
  console.log(`${label}: ${((ms * 1000) / n).toFixed(2)} µs/op, ${Math.round(n / (ms / 1000)).toLocaleString('en-US')} ops/s`);
}

// Deterministic pseudo-random addresses (xorshift), so runs are comparable.
let seed = 0x9e3779b9;
const rnd = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), seed >>> 0);
const v4 = Array.from({ length: 100_000 }, () => {
  const n = rnd();
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
});
const v6 = Array.from(
  { length: 100_000 },
  () => `2${(rnd() % 0xfff).toString(16).padStart(3, '0')}:${(rnd() & 0xffff).toString(16)}:${(rnd() & 0xffff).toString(16)}::${(rnd() & 0xffff).toString(16)}`,
);

const lists = existsSync(fileURLToPath(dir))
  ? time(
      'load + build 4 list files (62,678 ranges)',
      () =>
        loadIpListFiles([
          { name: 'x4b-datacenter', kind: 'datacenter', files: [file('datacenter-ipv4.txt'), file('datacenter-ipv6.txt')] },
          { name: 'x4b-vpn', kind: 'vpn', files: [file('vpn-ipv4.txt'), file('vpn-ipv6.txt')] },
        ]).matcher,
    )
  : (console.log('no ../shared/data/iplists: list figures skipped'), NO_IP_LISTS);
perOp('list match IPv4 (string in)', 1_000_000, (i) => lists.match(v4[i % v4.length] as string));
perOp('list match IPv6 (string in)', 1_000_000, (i) => lists.match(v6[i % v6.length] as string));

const dbip = time('open DB-IP (2 mmdb files)', () => createGeoProvider('dbip'));
perOp('DB-IP lookup IPv4', 500_000, (i) => dbip.lookup(v4[i % v4.length] as string));
perOp('DB-IP lookup IPv6', 500_000, (i) => dbip.lookup(v6[i % v6.length] as string));
const lite = time('open geoip-lite', () => createGeoProvider('geoip-lite'));
perOp('geoip-lite lookup IPv4', 500_000, (i) => lite.lookup(v4[i % v4.length] as string));

const uas = [
  'Mozilla/5.0 (Linux; Android 12; V2134A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230202 MMWEBID/2590 MicroMessenger/8.0.33.2320(0x28002151) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
];
const cold = new DeviceParser(10);
perOp('UA parse, cache miss every time (unique UAs)', 50_000, (i) => cold.parse(`${uas[i % 3] as string} r${i}`));

const apps: Application[] = v4.slice(0, 10_000).map((ip, i) => ({
  applicationId: `a${i}`,
  eventTime: '2026-06-20T03:00:00Z',
  eventTimeMs: Date.UTC(2026, 5, 20, 3),
  applicant: { nationalId: { id: 'n', masked: 'n' }, phone: { id: 'p', masked: 'p' }, contacts: [], declaredRegion: { country: 'CN', region: '浙江省' } },
  device: { deviceId: { id: 'd', masked: 'd' }, userAgent: uas[i % 3], platform: 'android', timezone: 'Asia/Shanghai', gps: { lat: 30.26, lon: 120.16 } },
  network: { ip, ipId: { id: 'i', masked: 'i' }, subnetId: { id: 's', masked: 's' } },
}));
const ctx: EnrichContext = { geo: dbip, lists, ua: new DeviceParser() };
perOp('enrich() DB-IP + lists, warm UA cache', 200_000, (i) => enrich(apps[i % apps.length] as Application, ctx));
perOp('enrich() geoip-lite + lists, warm UA cache', 200_000, (i) => enrich(apps[i % apps.length] as Application, { ...ctx, geo: lite }));
console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, node ${process.version}`);
