import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Settings that name a file or a directory, and where a relative one is resolved from, so that the processor and
 * the CLI (`replay`, `generate`) behave the same from any working directory:
 *
 * - in a config file: from the folder of that file (`rules: { file: rules.yaml }` next to it);
 * - in an environment variable (or a programmatic override): from the working directory, as a shell user expects;
 * - a built-in default (`config/rules.yaml`, `data/iplists/…`): from the package root.
 *
 * The loaded configuration holds absolute paths only. A new file or directory setting goes in PATH_SETTINGS
 * (test/unit/platform/config-paths.test.ts fails on a `file`, `dir`, `…File`, `…Dir` or `ipLists.*` key missing from it).
 */
export const PATH_SETTINGS: readonly string[] = [
  'kafka.ssl.caFile',
  'kafka.ssl.certFile',
  'kafka.ssl.keyFile',
  'enrichment.dbipDir',
  'enrichment.geoipLiteDataDir',
  'enrichment.ipLists.datacenter',
  'enrichment.ipLists.vpn',
  'enrichment.ipLists.tor',
  'enrichment.ipLists.block',
  'enrichment.ipLists.allow',
  'enrichment.asn.dir',
  'enrichment.asn.cacheFile',
  'enrichment.asn.hostingFile',
  'rules.file',
  'model.file',
  'model.shadow.modelFile',
  'model.shadow.rulesFile',
  'console.usersFile',
];

/** The package root (where config/, data/ and contracts/ are), from src/platform/ or dist/platform/ alike. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const PATHS = new Set(PATH_SETTINGS);

export const isPathSetting = (path: readonly string[]): boolean => PATHS.has(path.join('.'));

/** A path setting's value with relative paths resolved from `base`; anything else (a boolean, '' …) unchanged. */
export function resolvePathValue(value: unknown, base: string): unknown {
  const one = (v: unknown): unknown => (typeof v === 'string' && v !== '' && !isAbsolute(v) ? resolve(base, v) : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}

/** Resolves, in place, every path setting present in `tree` (a config file's content, or the parsed config). */
export function resolvePaths(tree: Record<string, unknown>, base: string): void {
  for (const setting of PATH_SETTINGS) {
    const keys = setting.split('.');
    const last = keys.pop() as string;
    let node: unknown = tree;
    for (const key of keys) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !(last in node)) continue;
    const parent = node as Record<string, unknown>;
    parent[last] = resolvePathValue(parent[last], base);
  }
}
