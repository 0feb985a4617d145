/**
 * The trend report as one tidy, long CSV (pure): a header line `section,dimension,key,bucket,metric,value` and one
 * line per number, the same numbers the HTML shows.
 *
 * - totals: section=totals, key=period|baseline, metrics applications, alerts, alert_rate (and for the period low,
 *   medium, high, critical, degraded, dead_records).
 * - series: section=series, bucket=the bucket's start (ISO-8601 UTC), metrics applications, alerts, alert_rate,
 *   low, medium, high, critical, degraded.
 * - breakdowns: section=breakdown, dimension, key=the stored value, metrics applications, alerts, alert_rate, share;
 *   and one line per dimension with an empty key and metric distinct.
 * - changes: section=change, dimension, key, metrics current, baseline, current_rate, baseline_rate, ratio, z,
 *   log_ratio_low.
 * - rings: section=rings, metrics formed, grew, touched_known_fraud; dimension=size with key=the size range and
 *   metric rings; dimension=largest or fastest_growing with key=the ring id and metrics size, growth, known_fraud.
 * - model: section=model, dimension version (applications, alerts), shadow (applications by "from→to candidate"),
 *   drift (psi by "version feature")
 * - quality: section=quality, metrics alerts, labelled, labelled_share, fraud, legit, missed_fraud,
 *   time_to_label_count, time_to_label_p50_minutes, time_to_label_p90_minutes; dimension=level or rule with
 *   key=the level or rule code and metrics alerts, labelled, fraud, precision.
 *
 * Numbers are unformatted (full precision, `.` as the decimal point, as JavaScript prints them); rates and shares
 * are 0–1. A value that is unknown (a precision with nothing labelled, a missing time to label) or not finite is
 * an empty field. Quoting follows RFC 4180: a field holding a comma, a double quote, CR or LF is quoted, and its
 * quotes are doubled. Lines end with LF (not CRLF), the file too.
 *
 * Formula injection: a text field (any field but value) that starts with `=`, `+`, `-`, `@`, a tab or CR, which a
 * spreadsheet would run as a formula, gets a leading `'` (a partner id "=cmd|..." reads "'=cmd|..."). The value
 * column holds only numbers and is left as is (a negative z stays "-1.5").
 */
import type { PrecisionRow, Report, RingRow } from '../report.js';

export const CSV_HEADER = ['section', 'dimension', 'key', 'bucket', 'metric', 'value'] as const;

interface Line {
  section: string;
  dimension?: string;
  key?: string;
  bucket?: string;
  metric: string;
  value: number | null;
}

/** A text field made safe for spreadsheets: a leading `'` before a character that would start a formula. */
export const defuse = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/**
 * RFC 4180: quoted when it holds a comma, a quote, CR or LF; quotes doubled. Also when it holds a semicolon or a
 * tab: a spreadsheet in a locale that splits on them would otherwise cut `a;=HYPERLINK(…)` into a formula cell.
 */
export const quote = (s: string): string => (/[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const number = (v: number | null): string => (v === null || !Number.isFinite(v) ? '' : String(v));

const line = (l: Line): string =>
  [...[l.section, l.dimension ?? '', l.key ?? '', l.bucket ?? '', l.metric].map((s) => quote(defuse(s))), number(l.value)].join(',');

/** One line per metric of `values`, sharing the other fields. */
const many = (base: Omit<Line, 'metric' | 'value'>, values: Record<string, number | null>): Line[] =>
  Object.entries(values).map(([metric, value]) => ({ ...base, metric, value }));

function totals(r: Report): Line[] {
  const t = r.totals;
  return [
    ...many({ section: 'totals', key: 'period' }, { applications: t.applications, alerts: t.alerts, alert_rate: t.alertRate, ...t.levels }),
    ...many({ section: 'totals', key: 'period' }, { degraded: t.degraded, dead_records: r.deadRecords }),
    ...many({ section: 'totals', key: 'baseline' }, { applications: t.baseline.applications, alerts: t.baseline.alerts, alert_rate: t.baseline.alertRate }),
  ];
}

const series = (r: Report): Line[] =>
  r.series.flatMap((p) =>
    many({ section: 'series', bucket: p.at }, { applications: p.applications, alerts: p.alerts, alert_rate: p.alertRate, ...p.levels, degraded: p.degraded }),
  );

const breakdowns = (r: Report): Line[] =>
  r.breakdowns.flatMap((b) => [
    ...b.rows.flatMap((row) =>
      many(
        { section: 'breakdown', dimension: b.dimension, key: row.key },
        { applications: row.applications, alerts: row.alerts, alert_rate: row.alertRate, share: row.share },
      ),
    ),
    { section: 'breakdown', dimension: b.dimension, metric: 'distinct', value: b.distinct },
  ]);

const changes = (r: Report): Line[] =>
  r.changes.flatMap((s) =>
    s.changes.flatMap((c) =>
      many(
        { section: 'change', dimension: s.dimension, key: c.key },
        {
          current: c.current,
          baseline: c.baseline,
          current_rate: c.currentRate,
          baseline_rate: c.baselineRate,
          ratio: c.ratio,
          z: c.z,
          log_ratio_low: c.logRatioLow,
        },
      ),
    ),
  );

const ringRows = (dimension: string, rows: readonly RingRow[]): Line[] =>
  rows.flatMap((g) => many({ section: 'rings', dimension, key: g.ringId }, { size: g.size, growth: g.growth, known_fraud: g.knownFraud }));

const rings = (r: Report): Line[] => [
  ...many({ section: 'rings' }, { formed: r.rings.formed, grew: r.rings.grew, touched_known_fraud: r.rings.touchedKnownFraud }),
  ...r.rings.sizes.map((s) => ({ section: 'rings', dimension: 'size', key: s.range, metric: 'rings', value: s.rings })),
  ...ringRows('largest', r.rings.largest),
  ...ringRows('fastest_growing', r.rings.fastestGrowing),
];

const precision = (dimension: string, rows: readonly PrecisionRow[]): Line[] =>
  rows.flatMap((p) => many({ section: 'quality', dimension, key: p.key }, { alerts: p.alerts, labelled: p.labelled, fraud: p.fraud, precision: p.precision }));

function quality(r: Report): Line[] {
  const q = r.quality;
  return [
    ...many(
      { section: 'quality' },
      {
        alerts: q.alerts,
        labelled: q.labelled,
        labelled_share: q.labelledShare,
        fraud: q.fraud,
        legit: q.legit,
        missed_fraud: q.missedFraud,
        time_to_label_count: q.timeToLabel.count,
        time_to_label_p50_minutes: q.timeToLabel.p50Minutes,
        time_to_label_p90_minutes: q.timeToLabel.p90Minutes,
      },
    ),
    ...precision('level', q.byLevel),
    ...precision('rule', q.byRule),
  ];
}

const model = (r: Report): Line[] => [
  ...r.model.versions.flatMap((v) => many({ section: 'model', dimension: 'version', key: v.version }, { applications: v.applications, alerts: v.alerts })),
  ...r.model.shadow.map((s) => ({
    section: 'model',
    dimension: 'shadow',
    key: `${s.from}→${s.to} ${s.candidate}`,
    metric: 'applications',
    value: s.applications,
  })),
  ...r.model.drift.map((d) => ({ section: 'model', dimension: 'drift', key: `${d.version} ${d.feature}`, metric: 'psi', value: d.psi })),
];

export function renderCsv(report: Report): string {
  const lines = [totals, series, breakdowns, changes, rings, quality, model].flatMap((f) => f(report));
  return `${[CSV_HEADER.join(','), ...lines.map(line)].join('\n')}\n`;
}
