/**
 * Builds the trend report from the rollups and the labels (src/reports/queries.ts, quality.ts): a few bounded
 * queries, then pure assembly here. `onProgress` hears each step (the CLI shows it on a terminal).
 */
import type { Queryable } from '../console/db.js';
import { bucketStarts, resolvePeriod, type PeriodInput } from './period.js';
import { modelSection, type ModelNames } from './model-section.js';
import { qualitySection } from './quality.js';
import {
  baselineTotals,
  bucketRows,
  deadRecords,
  ringAggregates,
  ringEventCounts,
  valueRows,
  type BucketRow,
  type RingAggregate,
  type ValueRow,
  type Window,
} from './queries.js';
import type { Breakdown, ChangeSection, DimensionName, Report, RingRow, RingsSection, SeriesPoint, Totals } from './report.js';
import { summarise, volumeSentence } from './summary.js';
import { risers } from './trends.js';

/** The dimensions in the report's order, how each reads, and whether "what changed" ranks it. */
export const REPORT_DIMENSIONS: readonly { dimension: DimensionName; label: string; changes: boolean }[] = [
  { dimension: 'rule', label: 'rule', changes: true },
  { dimension: 'partner', label: 'partner', changes: true },
  { dimension: 'country', label: 'IP country', changes: true },
  { dimension: 'region', label: 'IP region', changes: true },
  { dimension: 'network', label: 'IP class', changes: true },
  { dimension: 'asn', label: 'network (AS)', changes: true },
  { dimension: 'deviceType', label: 'device type', changes: true },
  { dimension: 'os', label: 'OS', changes: true },
  { dimension: 'automation', label: 'automation', changes: true },
  { dimension: 'partnerNetwork', label: 'partner × IP class', changes: true },
  { dimension: 'partnerRegion', label: 'partner × IP region', changes: true },
  { dimension: 'identifier', label: 'identifier', changes: true },
];

const BREAKDOWN_ROWS = 20;
const CHANGE_ROWS = 10;
const RING_ROWS = 10;
const SIZE_RANGES: readonly [string, number, number][] = [
  ['2–4', 2, 4],
  ['5–9', 5, 9],
  ['10–19', 10, 19],
  ['20–49', 20, 49],
  ['50+', 50, Infinity],
];

const rate = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

export interface BuildOptions extends PeriodInput {
  /** feature names of the model files in use (the drift table names features with them) */
  models?: readonly ModelNames[];
  title?: string;
  consoleUrl?: string | null;
  /** the topics whose dead records count (assessments, alerts) */
  topics: readonly string[];
  onProgress?: (step: string, done: number, total: number) => void;
}

function series(w: Window, rows: readonly BucketRow[]): SeriesPoint[] {
  const byAt = new Map(rows.map((r) => [r.at.getTime(), r]));
  return bucketStarts(w).map((at) => {
    const r = byAt.get(at.getTime());
    const levels = { low: r?.low ?? 0, medium: r?.medium ?? 0, high: r?.high ?? 0, critical: r?.critical ?? 0 };
    const applications = r?.applications ?? 0;
    const alerts = r?.alerts ?? 0;
    return { at: at.toISOString(), applications, alerts, alertRate: rate(alerts, applications), levels, degraded: r?.degraded ?? 0 };
  });
}

function totals(points: readonly SeriesPoint[], baseline: { applications: number; alerts: number }): Totals {
  const sum = (f: (p: SeriesPoint) => number): number => points.reduce((s, p) => s + f(p), 0);
  const applications = sum((p) => p.applications);
  const alerts = sum((p) => p.alerts);
  return {
    applications,
    alerts,
    alertRate: rate(alerts, applications),
    levels: { low: sum((p) => p.levels.low), medium: sum((p) => p.levels.medium), high: sum((p) => p.levels.high), critical: sum((p) => p.levels.critical) },
    degraded: sum((p) => p.degraded),
    baseline: { ...baseline, alertRate: rate(baseline.alerts, baseline.applications) },
  };
}

function breakdown(d: (typeof REPORT_DIMENSIONS)[number], rows: readonly ValueRow[], distinct: number, t: Totals): Breakdown {
  const top = rows.filter((r) => r.applications > 0).slice(0, BREAKDOWN_ROWS);
  return {
    dimension: d.dimension,
    label: d.label,
    distinct,
    rows: top.map((r) => ({
      key: r.value,
      label: r.label ?? r.value,
      applications: r.applications,
      alerts: r.alerts,
      alertRate: rate(r.alerts, r.applications),
      share: rate(r.applications, t.applications),
    })),
  };
}

function changes(d: (typeof REPORT_DIMENSIONS)[number], rows: readonly ValueRow[], t: Totals): ChangeSection {
  const pairs = rows.map((r) => ({ key: r.label ?? r.value, current: r.alerts, baseline: r.baselineAlerts }));
  return {
    dimension: d.dimension,
    label: d.label,
    changes: risers(pairs, { current: t.applications, baseline: t.baseline.applications }, { limit: CHANGE_ROWS }),
  };
}

const ringRow = (r: RingAggregate): RingRow => ({
  ringId: r.ringId,
  pattern: r.pattern,
  size: r.size,
  growth: r.growth,
  knownFraud: r.knownFraud,
  firstSeen: r.firstSeen.toISOString(),
  lastEventAt: r.lastEventAt.toISOString(),
  link: `#/rings/${encodeURIComponent(r.ringId)}`,
});

export function ringsSection(counts: Record<string, number>, rings: readonly RingAggregate[]): RingsSection {
  const bySize = [...rings].sort((a, b) => b.size - a.size || b.growth - a.growth || (a.ringId < b.ringId ? -1 : 1));
  const byGrowth = rings.filter((r) => r.growth > 0).sort((a, b) => b.growth - a.growth || b.size - a.size || (a.ringId < b.ringId ? -1 : 1));
  return {
    formed: counts.formed ?? 0,
    grew: counts.grew ?? 0,
    touchedKnownFraud: counts['touched-known-fraud'] ?? 0,
    sizes: SIZE_RANGES.map(([range, lo, hi]) => ({ range, rings: rings.filter((r) => r.size >= lo && r.size <= hi).length })),
    largest: bySize.slice(0, RING_ROWS).map(ringRow),
    fastestGrowing: byGrowth.slice(0, RING_ROWS).map(ringRow),
  };
}

const QUERY_CONCURRENCY = 3;

/** `fn` over `items` with at most `limit` running at once; results in the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function buildReport(q: Queryable, opts: BuildOptions): Promise<Report> {
  const { period, window: w } = resolvePeriod(opts);
  const steps = 5 + REPORT_DIMENSIONS.length;
  let done = 0;
  const step = (name: string): void => opts.onProgress?.(name, ++done, steps);
  const points = series(w, await bucketRows(q, w));
  const t = totals(points, await baselineTotals(q, w));
  step('volumes');
  const breakdowns: Breakdown[] = [];
  const changeSections: ChangeSection[] = [];
  // A few dimensions at a time: each query is one index range, and the biggest (the crosses) are CPU-bound in PostgreSQL.
  const results = await mapConcurrently(REPORT_DIMENSIONS, QUERY_CONCURRENCY, async (d) => {
    const r = await valueRows(q, w, d.dimension);
    step(d.label);
    return r;
  });
  REPORT_DIMENSIONS.forEach((d, i) => {
    const { rows, distinct } = results[i] as Awaited<ReturnType<typeof valueRows>>;
    breakdowns.push(breakdown(d, rows, distinct, t));
    if (d.changes) changeSections.push(changes(d, rows, t));
  });
  const rings = ringsSection(await ringEventCounts(q, w), await ringAggregates(q, w));
  step('rings');
  const quality = await qualitySection(q, w);
  step('quality');
  const model = modelSection((await valueRows(q, w, 'shadow')).rows, (await valueRows(q, w, 'modelBin')).rows, opts.models);
  step('model');
  const dead = await deadRecords(q, w, opts.topics);
  step('dead records');
  return {
    title: opts.title ?? 'Fraud trends',
    generatedAt: new Date(opts.nowMs ?? Date.now()).toISOString(),
    period,
    summary: [volumeSentence(t, period.label), ...summarise(changeSections, { period: period.label })],
    totals: t,
    series: points,
    breakdowns,
    changes: changeSections,
    rings,
    quality,
    model,
    deadRecords: dead,
    consoleUrl: opts.consoleUrl ?? null,
  };
}
