import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createPool, postgresError } from '../console/db.js';
import type { Config } from '../platform/config.js';
import { writeFileAtomically } from '../platform/atomic-write.js';
import { LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { buildReport } from '../reports/build.js';
import { configuredModelNames } from '../reports/model-names.js';
import type { Bucket, Report } from '../reports/report.js';
import { REPORT_FORMATS, render, type ReportFormat } from '../reports/render/index.js';

/**
 * `report`: the fraud-trend report from the rollups (docs/reports.md), as HTML, CSV or JSON, to a file or stdout.
 * `--daily-dir DIR` writes all three formats to DIR/YYYY-MM-DD/ (the period's first day), for a cron line: by
 * default the previous whole day (UTC), hourly.
 * On a terminal, each step of the build is shown on stderr. Files are written to a temporary name and renamed.
 */
export interface ReportCliOptions {
  since?: string;
  from?: string;
  to?: string;
  bucket?: string;
  format: string;
  out?: string;
  dailyDir?: string;
  title?: string;
  consoleUrl?: string;
}

function checked(opts: ReportCliOptions): { format: ReportFormat; bucket: Bucket | undefined } {
  if (!(REPORT_FORMATS as readonly string[]).includes(opts.format))
    throw new LendguardError('CONFIG_INVALID', `--format ${JSON.stringify(opts.format)}: write one of ${REPORT_FORMATS.join(', ')}`);
  if (opts.bucket !== undefined && opts.bucket !== 'hour' && opts.bucket !== 'day')
    throw new LendguardError('CONFIG_INVALID', `--bucket ${JSON.stringify(opts.bucket)}: write hour or day`);
  if (opts.out && opts.dailyDir) throw new LendguardError('CONFIG_INVALID', 'give --out or --daily-dir, not both');
  return { format: opts.format as ReportFormat, bucket: opts.bucket };
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomically(file, text);
}

function progress(): ((step: string, done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (step, done, total) => {
    process.stderr.write(`\r\x1b[Kbuilding the report: ${step} (${done}/${total})`);
    if (done === total) process.stderr.write('\n');
  };
}

const DAY_MS = 86_400_000;

/** The previous whole UTC day. */
export function yesterday(nowMs: number): { from: string; to: string } {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return { from: new Date(today - DAY_MS).toISOString(), to: new Date(today).toISOString() };
}

/** Builds the report; a missing rollup table says to migrate. */
export async function reportFromConfig(config: Config, logger: Logger, opts: ReportCliOptions & { bucket?: Bucket }): Promise<Report> {
  const db = createPool(config.console.postgres, logger);
  try {
    return await buildReport(db, {
      since: opts.since,
      from: opts.from,
      to: opts.to,
      bucket: opts.bucket,
      title: opts.title,
      consoleUrl: opts.consoleUrl ?? null,
      topics: [config.topics.assessments, config.topics.alerts],
      models: configuredModelNames(config),
      onProgress: progress(),
    });
  } catch (err) {
    if ((err as { code?: string }).code === '42P01')
      throw new LendguardError(
        'CONFIG_INVALID',
        `schema ${config.console.postgres.schema} has no rollups: run \`lendguard console --migrate-only\`, then the console (it counts them)`,
      );
    throw postgresError(err, 'building the report');
  } finally {
    await db.end();
  }
}

export async function runReport(config: Config, logger: Logger, opts: ReportCliOptions, print: (line: string) => void): Promise<number> {
  const { format, bucket } = checked(opts);
  if (!opts.since && !opts.from) {
    if (opts.dailyDir) Object.assign(opts, yesterday(Date.now()));
    else opts.since = '7d';
  }
  const report = await reportFromConfig(config, logger, { ...opts, bucket });
  if (opts.dailyDir) {
    const dir = join(opts.dailyDir, report.period.from.slice(0, 10));
    for (const f of REPORT_FORMATS) writeAtomically(join(dir, `report.${f}`), render(report, f));
    print(`wrote ${REPORT_FORMATS.map((f) => join(dir, `report.${f}`)).join(', ')}`);
  } else if (opts.out) {
    writeAtomically(opts.out, render(report, format));
    print(`wrote ${opts.out} (${report.totals.applications.toLocaleString('en')} applications, ${report.period.from} – ${report.period.to})`);
  } else {
    process.stdout.write(render(report, format));
  }
  return 0;
}
