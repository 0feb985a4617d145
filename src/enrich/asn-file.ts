import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { asnDatabase, parseAsnCsv, type AsnDatabase } from './asn.js';
import { readAsnCache, writeAsnCache } from './asn-cache.js';
import type { CacheWarn } from './binary-cache.js';
import { dateOfVersion } from './datasets.js';

export { loadHostingAsns } from './hosting-file.js';

/** `@ip-location-db/asn`'s version is 2.3.YYYYMMDDHH: the day its data was built. */
export function buildDateOfVersion(version: string): string {
  return dateOfVersion(version) ?? 'unknown';
}

export const ASN_FILES = { v4: 'asn-ipv4-num.csv', v6: 'asn-ipv6.csv' } as const;

/** The directory the ASN tables are read from: `dir`, or the installed `@ip-location-db/asn` package. */
export function asnDataDir(dir?: string): string {
  return dir ?? dirname(createRequire(import.meta.url).resolve('@ip-location-db/asn/package.json'));
}

/** Size and modification time of both CSV files: a file replaced in a directory of one's own invalidates the cache. */
function filesStamp(base: string): string {
  return Object.values(ASN_FILES)
    .map((name) => {
      try {
        const st = statSync(join(base, name));
        return `${st.size}:${st.mtimeMs}`;
      } catch {
        return 'missing';
      }
    })
    .join('/');
}

/**
 * Adapter: reads the ASN range tables (asn-ipv4-num.csv, asn-ipv6.csv) from `dir`, or from the installed
 * `@ip-location-db/asn` package, through a binary cache in `cacheFile` when given (written on the first start
 * after each data update; a damaged one is rebuilt, telling `warn`). Throws an Error naming the file when one
 * cannot be read.
 */
export function loadAsnDatabase(opts: { dir?: string; cacheFile?: string; warn?: CacheWarn } = {}): AsnDatabase & { fromCache: boolean } {
  const base = asnDataDir(opts.dir);
  const read = (name: string): string => {
    const file = join(base, name);
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`ASN data ${file} cannot be read: ${(err as Error).message}`, { cause: err });
    }
  };
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(base, 'package.json'), 'utf8')) as { version?: string }).version ?? version;
  } catch {
    // a directory of the user's own files: no package.json, no build date
  }
  const meta = { name: `ip-location-db asn ${version}`, buildDate: buildDateOfVersion(version) };
  const key = `${base}@${version}@${filesStamp(base)}`;
  const cached = opts.cacheFile ? readAsnCache(opts.cacheFile, key, opts.warn) : null;
  if (cached) return { ...asnDatabase(cached, meta), fromCache: true };
  const tables = parseAsnCsv(read(ASN_FILES.v4), read(ASN_FILES.v6));
  if (opts.cacheFile) writeAsnCache(opts.cacheFile, key, tables);
  return { ...asnDatabase(tables, meta), fromCache: false };
}

/** Where the binary ASN cache goes unless configured: the OS temp dir, one per user. */
export function defaultAsnCacheFile(): string {
  return join(tmpdir(), `lendguard-${process.getuid?.() ?? 'user'}`, 'asn.bin');
}
