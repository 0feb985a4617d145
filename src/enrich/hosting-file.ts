import { readFileSync, statSync } from 'node:fs';
import { readBinaryCache, reportCacheProblem, writeBinaryCache, type CacheWarn } from './binary-cache.js';
import { hostingAsnsOf, parseHostingAsns, type HostingAsns } from './hosting.js';

/**
 * Adapter: reads config/hosting-asns.yaml (or the configured file). The YAML parser takes 25–60 ms for these
 * 7 KB at start-up (its code is not compiled yet), so with `cacheFile` the checked entries are kept there and
 * reused while the file keeps its path, size and modification time; they are checked again when read back.
 */
const MAGIC = 'LGHST01\n';

function cacheKey(file: string): string {
  const st = statSync(file);
  return JSON.stringify([file, st.size, st.mtimeMs]);
}

function fromCache(file: string, cacheFile: string, key: string, warn?: CacheWarn): HostingAsns | null {
  const r = readBinaryCache<unknown>(cacheFile, MAGIC, key);
  if (r.status !== 'ok') return reportCacheProblem(cacheFile, r, warn);
  try {
    return hostingAsnsOf(r.meta, file);
  } catch (err) {
    return reportCacheProblem(cacheFile, { status: 'corrupt', reason: (err as Error).message }, warn);
  }
}

/** Throws an Error naming the file when it cannot be read or an entry is wrong. */
export function loadHostingAsns(file: string, opts: { cacheFile?: string; warn?: CacheWarn } = {}): HostingAsns {
  let key: string;
  try {
    key = cacheKey(file);
  } catch (err) {
    throw new Error(`hosting ASN file ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const cached = opts.cacheFile ? fromCache(file, opts.cacheFile, key, opts.warn) : null;
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`hosting ASN file ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const hosting = parseHostingAsns(text, file);
  if (opts.cacheFile) writeBinaryCache(opts.cacheFile, MAGIC, key, { version: hosting.version, asns: hosting.entries }, []);
  return hosting;
}
