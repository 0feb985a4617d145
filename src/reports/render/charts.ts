/**
 * Tiny server-side SVG charts for the report (pure, no dependencies): a time-series line chart, a stacked bar chart
 * over time and a horizontal bar chart, each returned as one `<svg>` string to inline into a page.
 *
 * Every chart has a visible title, both axes labelled with their units ("applications per day", "alert rate (%)"),
 * an SVG `<title>` (the accessible name and the tooltip), and a root `<svg class="chart" data-chart="<name>">`, so
 * a test can find it. All text is escaped: labels come from data an attacker can influence (partner ids, ASN
 * organisation names, rule codes); long labels are shortened on the chart and kept whole in the tooltips. A chart
 * with no points, or only zeros, keeps its frame and says "no data in the period"; a single point is drawn as one
 * labelled dot. The SVG carries no xmlns (the HTML parser supplies it), so the report holds no URL at all.
 */
import { clip, esc, tick } from './format.js';
import {
  GRID,
  H,
  MUTED,
  PALETTE,
  W,
  axes,
  color,
  hasData,
  legend,
  niceScale,
  noData,
  open,
  plotArea,
  r1,
  xTicks,
  yTicks,
  type Format,
  type Plot,
} from './svg.js';

export { LEVEL_COLORS, niceScale, PALETTE, type Format } from './svg.js';

export interface LineSeries {
  name: string;
  values: readonly number[];
}
export interface LineChart {
  /** the `data-chart` attribute */
  name: string;
  title: string;
  xLabel: string;
  /** the value axis and its unit: "applications per day" */
  yLabel: string;
  /** the buckets' labels, one per value */
  x: readonly string[];
  series: readonly LineSeries[];
  /** how values and ticks read (default: counts) */
  format?: Format;
  /** how the ticks read, when not as the values */
  tickFormat?: Format;
  /** ticks at whole numbers only (counts) */
  integer?: boolean;
  /** a dashed horizontal line, e.g. the baseline period's rate */
  reference?: { label: string; value: number };
}
export interface Stack {
  name: string;
  color: string;
  values: readonly number[];
}
export interface StackedBarChart {
  name: string;
  title: string;
  xLabel: string;
  yLabel: string;
  x: readonly string[];
  /** bottom first */
  stacks: readonly Stack[];
  format?: Format;
}
export interface HBarRow {
  label: string;
  value: number;
}
export interface HBarChart {
  name: string;
  title: string;
  /** the value axis and its unit: "alerts", "rate ratio (×, log scale)" */
  xLabel: string;
  /** what the bars are: "partner", "size range" */
  yLabel: string;
  rows: readonly HBarRow[];
  format?: Format;
  tickFormat?: Format;
  integer?: boolean;
  /** 'log' for ratios: bars start at ×1 */
  scale?: 'linear' | 'log';
  color?: string;
}

export function lineChart(c: LineChart): string {
  const fmt = c.format ?? tick;
  const tickFmt = c.tickFormat ?? fmt;
  const n = c.x.length;
  const p = plotArea(H);
  const keys = c.series.map((s, i) => ({ name: s.name, color: color(i) }));
  const ref = c.reference && Number.isFinite(c.reference.value) ? c.reference : undefined;
  const parts = [open(c.name, c.title, H), legend(ref ? [...keys, { name: ref.label, color: '#777', dashed: true }] : keys), axes(p, c.xLabel, c.yLabel, H)];
  const values = c.series.flatMap((s) => s.values.slice(0, n)).filter(Number.isFinite);
  if (n === 0 || !hasData(values)) return `${parts.join('')}${noData(p)}</svg>`;
  const scale = niceScale(Math.max(...values, ref?.value ?? 0), 5, c.integer);
  const y = (v: number): number => p.y0 - (v / scale.max) * (p.y0 - p.y1);
  const x = (i: number): number => (n === 1 ? (p.x0 + p.x1) / 2 : p.x0 + (i * (p.x1 - p.x0)) / (n - 1));
  parts.push(yTicks(scale, y, p, tickFmt), xTicks(c.x, x, p));
  if (ref)
    parts.push(`<line class="reference" x1="${p.x0}" y1="${r1(y(ref.value))}" x2="${p.x1}" y2="${r1(y(ref.value))}" stroke="#777" stroke-dasharray="4 3"/>`);
  c.series.forEach((s, si) => {
    let d = '';
    let gap = true;
    const dots: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = s.values[i];
      if (v === undefined || !Number.isFinite(v)) {
        gap = true;
        continue;
      }
      d += `${gap ? 'M' : 'L'}${r1(x(i))},${r1(y(v))}`;
      gap = false;
      const tip = `<title>${esc(`${c.x[i] ?? ''} · ${s.name}: ${fmt(v)}`)}</title>`;
      if (n <= 62) dots.push(`<circle cx="${r1(x(i))}" cy="${r1(y(v))}" r="${n === 1 ? 4 : 3}" fill="${color(si)}">${tip}</circle>`);
      if (n === 1) dots.push(`<text x="${r1(x(i)) + 8}" y="${r1(y(v)) - 6}" fill="${color(si)}">${esc(fmt(v))}</text>`);
    }
    parts.push(`<path d="${d}" fill="none" stroke="${color(si)}" stroke-width="2" stroke-linejoin="round"/>`, ...dots);
  });
  return `${parts.join('')}</svg>`;
}

export function stackedBarChart(c: StackedBarChart): string {
  const fmt = c.format ?? tick;
  const n = c.x.length;
  const p = plotArea(H);
  const parts = [open(c.name, c.title, H), legend(c.stacks), axes(p, c.xLabel, c.yLabel, H)];
  const sums = c.x.map((_, i) => c.stacks.reduce((acc, s) => acc + Math.max(0, Number.isFinite(s.values[i]) ? (s.values[i] ?? 0) : 0), 0));
  if (n === 0 || !hasData(sums)) return `${parts.join('')}${noData(p)}</svg>`;
  const scale = niceScale(Math.max(...sums), 5, true);
  const y = (v: number): number => p.y0 - (v / scale.max) * (p.y0 - p.y1);
  const band = (p.x1 - p.x0) / n;
  const bw = Math.min(band * 0.7, 56);
  const cx = (i: number): number => p.x0 + band * (i + 0.5);
  parts.push(yTicks(scale, y, p, fmt), xTicks(c.x, cx, p));
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (const s of c.stacks) {
      const v = Math.max(0, s.values[i] ?? 0);
      if (!Number.isFinite(v) || v === 0) continue;
      const [top, bottom] = [y(acc + v), y(acc)];
      parts.push(
        `<rect x="${r1(cx(i) - bw / 2)}" y="${r1(top)}" width="${r1(bw)}" height="${r1(Math.max(bottom - top, 0.5))}" fill="${s.color}">` +
          `<title>${esc(`${c.x[i] ?? ''} · ${s.name}: ${fmt(v)}`)}</title></rect>`,
      );
      acc += v;
    }
    if (n <= 31 && bw >= 18)
      parts.push(`<text x="${r1(cx(i))}" y="${r1(y(acc) - 5)}" text-anchor="middle" font-size="11" fill="${MUTED}">${esc(fmt(acc))}</text>`);
  }
  return `${parts.join('')}</svg>`;
}

const HB = { label: 200, right: 84, top: 64, row: 24, bottom: 50 };

/** Log-scale ticks for ratios: 1, 2, 5, 10, 20, 50 … (only powers of ten when there are many). */
function logTicks(lo: number, hi: number): number[] {
  const all: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); 10 ** k <= hi; k++)
    for (const m of [1, 2, 5]) if (m * 10 ** k >= lo - 1e-9 && m * 10 ** k <= hi + 1e-9) all.push(m * 10 ** k);
  return all.length > 8 ? all.filter((t) => Number.isInteger(Math.log10(t))) : all;
}

export function hbarChart(c: HBarChart): string {
  const fmt = c.format ?? tick;
  const tickFmt = c.tickFormat ?? fmt;
  const rows = c.rows;
  const height = HB.top + Math.max(rows.length, 3) * HB.row + HB.bottom;
  const p: Plot = { x0: HB.label, x1: W - HB.right, y0: height - HB.bottom, y1: HB.top };
  const parts = [open(c.name, c.title, height), axes(p, c.xLabel, null, height)];
  parts.push(
    `<text class="axis-label" x="${p.x0 - 8}" y="${HB.top - 10}" text-anchor="end" font-weight="600" fill="${MUTED}">${esc(clip(c.yLabel, 24))}</text>`,
  );
  const values = rows.map((r) => r.value);
  if (!hasData(values)) return `${parts.join('')}${noData(p)}</svg>`;
  const max = Math.max(...values.filter(Number.isFinite));
  let xv: (v: number) => number;
  let ticks: number[];
  if (c.scale === 'log') {
    const positive = values.filter((v) => Number.isFinite(v) && v > 0);
    const lo = Math.min(1, 10 ** Math.floor(Math.log10(Math.min(...positive))));
    const hi = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(max))).find((t) => t >= max && t > lo) ?? lo * 2;
    xv = (v) => p.x0 + ((Math.log(Math.max(v, lo)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (p.x1 - p.x0);
    ticks = logTicks(lo, hi);
  } else {
    const scale = niceScale(max, 4, c.integer);
    xv = (v) => p.x0 + (Math.max(v, 0) / scale.max) * (p.x1 - p.x0);
    ticks = Array.from({ length: Math.round(scale.max / scale.step) + 1 }, (_, i) => i * scale.step);
  }
  for (const t of ticks) {
    const xx = r1(xv(t));
    parts.push(
      `<line x1="${xx}" y1="${p.y1}" x2="${xx}" y2="${p.y0}" stroke="${GRID}"/><text x="${xx}" y="${p.y0 + 18}" text-anchor="middle" fill="${MUTED}">${esc(tickFmt(t))}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const cy = HB.top + i * HB.row + HB.row / 2;
    const end = Number.isFinite(r.value) ? xv(r.value) : p.x0;
    const w = Math.max(end - p.x0, Number.isFinite(r.value) && r.value > 0 ? 1 : 0);
    parts.push(
      `<g class="bar"><title>${esc(`${r.label}: ${fmt(r.value)}`)}</title>` +
        `<text x="${p.x0 - 8}" y="${r1(cy + 4)}" text-anchor="end">${esc(clip(r.label, 25))}</text>` +
        `<rect x="${p.x0}" y="${r1(cy - 8)}" width="${r1(w)}" height="16" rx="2" fill="${c.color ?? PALETTE[0]}"/>` +
        `<text x="${r1(p.x0 + w + 6)}" y="${r1(cy + 4)}" fill="${MUTED}">${esc(fmt(r.value))}</text></g>`,
    );
  });
  return `${parts.join('')}</svg>`;
}
