/**
 * The report page's data sections (pure, HTML strings): what changed, the breakdowns (the region breakdown as a
 * region table with a heat bar per row), the rings and the label quality. Text is escaped where it is built; ring
 * links are `${consoleUrl ?? ''}${link}` and are kept only when they are a fragment ("#/rings/…") or an http(s) URL.
 */
import type { Breakdown, ChangeSection, PrecisionRow, Report, RingRow } from '../report.js';
import { hbarChart } from './charts.js';
import { count, dateTime, decimal, esc, fixed, minutes, pct, ratio } from './format.js';
import { cards, figure, nothing, num, table, text, type Cell } from './table.js';

const TOP_RISERS = 10;

function changeSection(s: ChangeSection): string {
  const head = `<h3>By ${esc(s.label)}</h3>`;
  const rows = s.changes.map((c): Cell[] => [
    text(c.key, 'key'),
    num(c.current, count(c.current)),
    num(c.baseline, count(c.baseline)),
    num(c.currentRate, pct(c.currentRate)),
    num(c.baselineRate, pct(c.baselineRate)),
    num(c.ratio, ratio(c.ratio)),
    num(c.z, fixed(c.z)),
  ]);
  const chart = hbarChart({
    name: `change-${s.dimension}`,
    title: `Top risers by ${s.label}: rate ratio against the baseline`,
    xLabel: 'rate ratio, current ÷ baseline period (×, log scale)',
    yLabel: s.label,
    rows: s.changes.slice(0, TOP_RISERS).map((c) => ({ label: c.key, value: c.ratio })),
    format: ratio,
    tickFormat: (t) => `×${decimal(t, 2)}`,
    scale: 'log',
    color: '#D55E00',
  });
  const columns = [{ label: s.label }, ...['current', 'baseline', 'current rate', 'baseline rate', 'ratio', 'z'].map((label) => ({ label, num: true }))];
  return `${head}<div class="pair">${figure([chart])}${table(`${s.label}: rises against the baseline period`, columns, rows, 'changes')}</div>`;
}

export function changesSection(report: Report): string {
  const withChanges = report.changes.filter((s) => s.changes.length > 0);
  const intro =
    '<p class="note">Values that rose most against the previous period of the same length, ranked by the cautious rise (the lower bound of the log ' +
    'rate ratio, so that a big steady channel does not crowd out a new pattern). Counts are alerts with the value; rates are those alerts as a ' +
    'share of all applications of the period (current) or of the period before (baseline); z ≈ a z-score.</p>';
  if (withChanges.length === 0) return `${intro}${nothing('Nothing rose beyond chance against the previous period of the same length.')}`;
  const without = report.changes.filter((s) => s.changes.length === 0).map((s) => s.label);
  const rest = without.length > 0 ? nothing(`Nothing rose beyond chance by ${without.join(', ')}.`) : '';
  return intro + withChanges.map(changeSection).join('\n') + rest;
}

/** Light to dark orange by a 0–1 intensity. */
const heat = (t: number): string => `hsl(${Math.round(32 - 18 * t)}, 90%, ${Math.round(86 - 46 * t)}%)`;

function breakdown(b: Breakdown): string {
  const region = b.dimension === 'region';
  const maxRate = Math.max(0, ...b.rows.map((r) => (Number.isFinite(r.alertRate) ? r.alertRate : 0)));
  const rows = b.rows.map((r): Cell[] => {
    const cells: Cell[] = [
      text(r.label, 'key'),
      num(r.applications, count(r.applications)),
      num(r.alerts, count(r.alerts)),
      num(r.alertRate, pct(r.alertRate)),
      num(r.share, pct(r.share)),
    ];
    if (!region) return cells;
    const t = maxRate > 0 && Number.isFinite(r.alertRate) ? r.alertRate / maxRate : 0;
    const bar = `<span class="heat-bar" style="width:${Math.round(Math.max(t, 0.01) * 100)}%;background:${heat(t)}" title="alert rate ${esc(pct(r.alertRate))}"></span>`;
    return [...cells, { html: bar, cls: 'heat', sort: r.alertRate }];
  });
  const columns = [
    { label: b.label },
    ...['applications', 'alerts', 'alert rate', 'share of applications'].map((label) => ({ label, num: true })),
    ...(region ? [{ label: 'alert rate (heat)' }] : []),
  ];
  const chart = hbarChart({
    name: `breakdown-${b.dimension}`,
    title: `Alerts by ${b.label}`,
    xLabel: 'alerts in the period',
    yLabel: b.label,
    rows: b.rows.map((r) => ({ label: r.label, value: r.alerts })),
    format: count,
    integer: true,
  });
  const shown = b.rows.length < b.distinct ? `The top ${count(b.rows.length)} of ${count(b.distinct)} distinct values` : `${count(b.distinct)} distinct values`;
  const body = b.rows.length === 0 ? nothing(`No ${b.label} in the period.`) : table(`By ${b.label}`, columns, rows, region ? 'region-table' : 'breakdown');
  return `<h3>By ${esc(b.label)}</h3><p class="note">${esc(shown)}.</p><div class="pair">${figure([chart])}${body}</div>`;
}

export function breakdownsSection(report: Report): string {
  if (report.breakdowns.length === 0) return nothing('No breakdowns in this report.');
  return report.breakdowns.map(breakdown).join('\n');
}

/** The ring's console link, or null when it would be neither a fragment nor an http(s) URL (never `javascript:`). */
export function ringHref(consoleUrl: string | null, link: string): string | null {
  const href = `${consoleUrl ?? ''}${link}`;
  return /^(#|https?:\/\/)/i.test(href) ? href : null;
}

function ringTable(caption: string, rows: readonly RingRow[], consoleUrl: string | null): string {
  if (rows.length === 0) return `<h3>${esc(caption)}</h3>${nothing('No rings in the period.')}`;
  const cells = rows.map((r): Cell[] => {
    const href = ringHref(consoleUrl, r.link);
    return [
      { html: href ? `<a href="${esc(href)}">${esc(r.ringId)}</a>` : esc(r.ringId), cls: 'key' },
      text(r.pattern),
      num(r.size, count(r.size)),
      num(r.growth, `+${count(r.growth)}`),
      num(r.knownFraud, count(r.knownFraud)),
      text(dateTime(r.firstSeen), 'time'),
      text(dateTime(r.lastEventAt), 'time'),
    ];
  });
  const columns = [
    { label: 'ring' },
    { label: 'pattern' },
    ...['size', 'growth', 'known fraud'].map((label) => ({ label, num: true })),
    { label: 'first seen' },
    { label: 'last event' },
  ];
  return `<h3>${esc(caption)}</h3>${table(caption, columns, cells, 'rings')}`;
}

export function ringsSection(report: Report): string {
  const r = report.rings;
  const chart = hbarChart({
    name: 'ring-sizes',
    title: 'Rings by size',
    xLabel: 'rings with any event in the period',
    yLabel: 'size (members)',
    rows: r.sizes.map((s) => ({ label: s.range, value: s.rings })),
    format: count,
    integer: true,
    color: '#009E73',
  });
  const counts = cards([
    { label: 'Rings formed', value: count(r.formed) },
    { label: 'Rings grew', value: count(r.grew) },
    { label: 'Rings touched known fraud', value: count(r.touchedKnownFraud) },
  ]);
  return (
    `<div class="pair">${figure([chart])}<div>${counts}</div></div>` +
    ringTable('Largest rings', r.largest, report.consoleUrl) +
    ringTable('Fastest-growing rings', r.fastestGrowing, report.consoleUrl)
  );
}

function precisionTable(caption: string, first: string, rows: readonly PrecisionRow[]): string {
  if (rows.length === 0) return `<h3>${esc(caption)}</h3>${nothing('No alerts in the period.')}`;
  const cells = rows.map((r): Cell[] => [
    text(r.key, 'key'),
    num(r.alerts, count(r.alerts)),
    num(r.labelled, count(r.labelled)),
    num(r.fraud, count(r.fraud)),
    num(r.precision, r.precision === null ? 'nothing labelled' : pct(r.precision)),
  ]);
  const columns = [{ label: first }, ...['alerts', 'labelled', 'fraud', 'precision'].map((label) => ({ label, num: true }))];
  return `<h3>${esc(caption)}</h3>${table(caption, columns, cells, 'precision')}`;
}

export function qualitySection(report: Report): string {
  const q = report.quality;
  const t = q.timeToLabel;
  return (
    '<p class="note">Precision is fraud ÷ labelled among the period’s alerts that analysts labelled; unlabelled alerts do not count.</p>' +
    cards([
      { label: 'Alerts held by the console', value: count(q.alerts) },
      { label: 'Labelled', value: pct(q.labelledShare), below: `${count(q.labelled)} of ${count(q.alerts)} alerts` },
      { label: 'Labelled fraud / legit', value: `${count(q.fraud)} / ${count(q.legit)}` },
      { label: 'Missed fraud', value: count(q.missedFraud), below: 'labelled fraud, never alerted' },
      { label: 'Time to label p50 / p90', value: `${minutes(t.p50Minutes)} / ${minutes(t.p90Minutes)}`, below: `over ${count(t.count)} labels` },
    ]) +
    `<div class="pair"><div>${precisionTable('Precision by level', 'level', q.byLevel)}</div><div>${precisionTable('Precision by rule', 'rule', q.byRule)}</div></div>`
  );
}
