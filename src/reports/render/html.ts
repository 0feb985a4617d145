/**
 * The trend report as ONE self-contained HTML page (pure): inline CSS, inline SVG charts (src/reports/render/charts.ts),
 * no URL to fetch (no font, CDN, image or stylesheet), readable with JavaScript off; a small inline script only
 * makes the tables sortable. The full report is embedded as JSON in `<script type="application/json"
 * id="report-data">` with `<`, `>`, `&`, U+2028 and U+2029 written as \u escapes, so no value can close the script
 * element. Every text from the report is escaped.
 *
 * Sections, in order: header, Summary, Volumes, What changed, Breakdowns, Rings, Quality, footer.
 */
import type { Report } from '../report.js';
import { LEVEL_COLORS, lineChart, stackedBarChart } from './charts.js';
import { bucketLabel, count, dateTime, esc, pct } from './format.js';
import { modelSectionHtml } from './model.js';
import { breakdownsSection, changesSection, qualitySection, ringsSection } from './sections.js';
import { CSS, SCRIPT } from './style.js';
import { cards, figure, nothing } from './table.js';

/** Critical and high at the bottom of the stack, on the axis: the few that alert read best there. */
const LEVELS = ['critical', 'high', 'medium', 'low'] as const;

/** JSON that is safe inside a `<script>` element (and parses back to the same value). */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function header(r: Report): string {
  const meta: [string, string][] = [
    ['From', dateTime(r.period.from)],
    ['To (exclusive)', dateTime(r.period.to)],
    ['Bucket', r.period.bucket === 'hour' ? 'hourly' : 'daily'],
    ['Baseline', `${dateTime(r.period.baselineFrom)} – ${dateTime(r.period.from)}`],
    ['Generated at', dateTime(r.generatedAt)],
  ];
  return (
    `<header class="report"><h1>${esc(r.title)}</h1><p class="period">${esc(r.period.label)}</p>` +
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl></header>`
  );
}

function summary(r: Report): string {
  if (r.summary.length === 0) return nothing('No summary for this period.');
  return `<ul class="summary">${r.summary.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`;
}

/** "baseline 11,000 (+5.0%)", "baseline 0 (new)". */
function against(current: number, baseline: number): string {
  if (baseline === 0) return current === 0 ? 'baseline 0' : 'baseline 0 (new)';
  const d = (current - baseline) / baseline;
  return `baseline ${count(baseline)} (${d >= 0 ? '+' : ''}${pct(d)})`;
}

function volumes(r: Report): string {
  const t = r.totals;
  const per = `per ${r.period.bucket}`;
  const x = r.series.map((p) => bucketLabel(p.at, r.period.bucket));
  const xLabel = `${r.period.bucket} (UTC)`;
  // the baseline period has as many buckets as the period
  // The baseline's alerts per bucket of the same length (a period that starts mid-day touches one calendar day more).
  const bucketMs = r.period.bucket === 'hour' ? 3_600_000 : 86_400_000;
  const periodMs = Date.parse(r.period.to) - Date.parse(r.period.from);
  const perBucket = periodMs > 0 ? (t.baseline.alerts * bucketMs) / periodMs : 0;
  const pp = (t.alertRate - t.baseline.alertRate) * 100;
  const levels = [...LEVELS]
    .reverse()
    .map((l) => `${l} ${count(t.levels[l])} (${pct(t.applications > 0 ? t.levels[l] / t.applications : 0)})`)
    .join(' · ');
  const totals = cards([
    { label: 'Applications', value: count(t.applications), below: against(t.applications, t.baseline.applications) },
    { label: 'Alerts', value: count(t.alerts), below: against(t.alerts, t.baseline.alerts) },
    {
      label: 'Alert rate',
      value: pct(t.alertRate),
      below: `baseline ${pct(t.baseline.alertRate)} (${pp >= 0 ? '+' : ''}${Number.isFinite(pp) ? pp.toFixed(2) : '–'} pp)`,
    },
    { label: 'Degraded assessments', value: count(t.degraded), below: `${pct(t.applications > 0 ? t.degraded / t.applications : 0)} of applications` },
  ]);
  const charts = [
    lineChart({
      name: 'volume',
      title: `Applications and alerts ${per}`,
      xLabel,
      yLabel: `applications, alerts ${per}`,
      x,
      series: [
        { name: 'applications', values: r.series.map((p) => p.applications) },
        { name: 'alerts', values: r.series.map((p) => p.alerts) },
      ],
      format: count,
      integer: true,
    }),
    lineChart({
      name: 'alerts',
      title: `Alerts ${per}`,
      xLabel,
      yLabel: `alerts ${per}`,
      x,
      series: [{ name: 'alerts', values: r.series.map((p) => p.alerts) }],
      format: count,
      integer: true,
      ...(r.series.length > 0 ? { reference: { label: `baseline: ${count(Math.round(perBucket))} ${per} (average)`, value: perBucket } } : {}),
    }),
    lineChart({
      name: 'alert-rate',
      title: `Alert rate ${per}`,
      xLabel,
      yLabel: 'alert rate (%)',
      x,
      series: [{ name: 'alert rate', values: r.series.map((p) => p.alertRate) }],
      format: pct,
      reference: { label: `baseline: ${pct(t.baseline.alertRate)}`, value: t.baseline.alertRate },
    }),
    stackedBarChart({
      name: 'levels',
      title: `Applications by assessed level ${per}`,
      xLabel,
      yLabel: `applications ${per}`,
      x,
      stacks: LEVELS.map((l) => ({ name: l, color: LEVEL_COLORS[l], values: r.series.map((p) => p.levels[l]) })),
      format: count,
    }),
  ];
  return `${totals}<p class="note">Applications by assessed level in the period: ${esc(levels)}.</p>${figure(charts)}`;
}

const section = (id: string, heading: string, body: string): string => `<section id="${id}"><h2>${esc(heading)}</h2>\n${body}\n</section>`;

export function renderHtml(report: Report): string {
  const footer =
    `<footer class="report"><p>Dead records (assessment and alert records that could not be counted): ${esc(count(report.deadRecords))}. ` +
    `Numbers from the rollups; see docs/reports.md.</p></footer>`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${esc(`${report.title} — ${report.period.label}`)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    header(report),
    section('summary', 'Summary', summary(report)),
    section('volumes', 'Volumes', volumes(report)),
    section('changes', 'What changed', changesSection(report)),
    section('breakdowns', 'Breakdowns', breakdownsSection(report)),
    section('rings', 'Rings', ringsSection(report)),
    section('quality', 'Quality', qualitySection(report)),
    section('model', 'Model and shadow', modelSectionHtml(report)),
    footer,
    '</main>',
    `<script type="application/json" id="report-data">${scriptJson(report)}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
