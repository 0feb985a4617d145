/**
 * The report's period (pure): `--since 24h|7d|30d` ends at the end of the current hour; `--from`/`--to` are dates
 * or timestamps (a date alone is midnight UTC). The baseline is the previous period of the same length. Buckets are
 * hourly up to two days, daily beyond, unless asked. Errors say what to write instead (CONFIG_INVALID).
 */
import { LendguardError } from '../platform/errors.js';
import type { Bucket, ReportPeriod } from './report.js';
import type { Window } from './queries.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_DAYS = 400;
const MAX_HOURLY_DAYS = 31;

export interface PeriodInput {
  since?: string;
  from?: string;
  to?: string;
  bucket?: Bucket;
  nowMs?: number;
}

const bad = (msg: string): LendguardError => new LendguardError('CONFIG_INVALID', msg);

export function parseDuration(s: string): number {
  const m = /^(\d{1,4})(h|d)$/.exec(s.trim());
  if (!m) throw bad(`--since ${JSON.stringify(s)} is not a duration: write e.g. 24h, 7d or 30d`);
  const ms = Number(m[1]) * (m[2] === 'h' ? HOUR : DAY);
  if (ms <= 0) throw bad('--since must be at least 1h');
  return ms;
}

function parseTime(s: string, flag: string): number {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  if (!Number.isFinite(t)) throw bad(`${flag} ${JSON.stringify(s)} is not a date: write 2026-11-01 or 2026-11-01T08:00:00Z`);
  return t;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function label(since: string | undefined, fromMs: number, toMs: number): string {
  if (since) {
    const [, amount, unit] = /^(\d+)(h|d)$/.exec(since.trim()) as RegExpExecArray;
    const n = Number(amount);
    return unit === 'h' ? `the last ${n === 1 ? 'hour' : `${n} hours`}` : `the last ${n === 1 ? 'day' : `${n} days`}`;
  }
  return `${day(fromMs)} – ${day(toMs - 1)}`;
}

export function resolvePeriod(input: PeriodInput): { period: ReportPeriod; window: Window } {
  if (input.since && (input.from || input.to)) throw bad('give --since, or --from and --to, not both');
  let fromMs: number;
  let toMs: number;
  if (input.from) {
    fromMs = parseTime(input.from, '--from');
    toMs = input.to ? parseTime(input.to, '--to') : Math.ceil((input.nowMs ?? Date.now()) / HOUR) * HOUR;
  } else {
    if (input.to) throw bad('--to needs --from');
    toMs = Math.ceil(((input.nowMs ?? Date.now()) + 1) / HOUR) * HOUR;
    fromMs = toMs - parseDuration(input.since ?? '7d');
  }
  if (toMs <= fromMs) throw bad('the period is empty: --to must be after --from');
  if (toMs - fromMs > MAX_DAYS * DAY) throw bad(`the period is longer than ${MAX_DAYS} days (the rollups' longest retention)`);
  const bucket: Bucket = input.bucket ?? (toMs - fromMs <= 2 * DAY ? 'hour' : 'day');
  // Each bucket is a few queries: 400 days by the hour would be 9,600 of them, from one request.
  if (bucket === 'hour' && toMs - fromMs > MAX_HOURLY_DAYS * DAY) throw bad(`hourly buckets cover at most ${MAX_HOURLY_DAYS} days: use --bucket day`);
  const baselineFromMs = fromMs - (toMs - fromMs);
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    period: { from: iso(fromMs), to: iso(toMs), bucket, baselineFrom: iso(baselineFromMs), label: label(input.since, fromMs, toMs) },
    window: { baselineFrom: new Date(baselineFromMs), from: new Date(fromMs), to: new Date(toMs), bucket },
  };
}

/** The bucket starts of the period, in order (hours, or days at midnight UTC). */
export function bucketStarts(w: Window): Date[] {
  const step = w.bucket === 'hour' ? HOUR : DAY;
  const first = Math.floor(w.from.getTime() / step) * step;
  const out: Date[] = [];
  for (let t = first; t < w.to.getTime(); t += step) out.push(new Date(t));
  return out;
}
