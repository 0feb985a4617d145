/**
 * The building blocks of the report's SVG charts (src/reports/render/charts.ts), pure: the frame (root element,
 * visible title, accessible name), legend, axes with their labels, "nice" ticks and the "no data" note. Sizes are
 * in the viewBox' units (the page scales the chart to its column); every text goes through `esc`.
 */
import { clip, esc } from './format.js';

export type Format = (v: number) => string;

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
export const LEVEL_COLORS = { low: '#9ecae1', medium: '#fdae6b', high: '#e6550d', critical: '#a50f15' } as const;

export const W = 640;
export const H = 300;
const M = { left: 76, right: 44, top: 60, bottom: 54 };
export const GRID = '#e6e6e6';
const AXIS = '#8a8a8a';
export const MUTED = '#555';

export interface Plot {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export const r1 = (v: number): number => Math.round(v * 10) / 10;
const textWidth = (s: string, size = 13): number => s.length * size * 0.56;
export const color = (i: number): string => PALETTE[i % PALETTE.length] ?? '#333';

/** A "nice" axis: a step of 1, 2, 2.5 or 5 × 10^k and a top that is a whole number of steps at or above `max`. */
export function niceScale(max: number, ticks = 5, integer = false): { max: number; step: number } {
  if (!Number.isFinite(max) || max <= 0) return { max: 1, step: integer ? 1 : 0.2 };
  const mag = 10 ** Math.floor(Math.log10(max / ticks));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s * ticks >= max) ?? 10 * mag;
  if (integer) step = Math.max(1, Math.round(step));
  return { max: step * Math.ceil(max / step - 1e-9), step };
}

export function open(name: string, title: string, height: number): string {
  return (
    `<svg class="chart" data-chart="${esc(name)}" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(title)}" ` +
    `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" font-size="13" fill="#222">` +
    `<title>${esc(title)}</title><text class="chart-title" x="8" y="22" font-size="15" font-weight="600">${esc(clip(title, 64))}</text>`
  );
}

export function legend(items: readonly { name: string; color: string; dashed?: boolean }[], y = 42): string {
  let x = 8;
  return items
    .map((it) => {
      const name = clip(it.name, 40);
      const swatch = it.dashed
        ? `<line x1="${x}" y1="${y - 4}" x2="${x + 16}" y2="${y - 4}" stroke="${it.color}" stroke-width="2" stroke-dasharray="4 3"/>`
        : `<rect x="${x}" y="${y - 10}" width="16" height="10" rx="2" fill="${it.color}"/>`;
      const out = `<g class="legend-item">${swatch}<text x="${x + 22}" y="${y}" fill="${MUTED}">${esc(name)}</text></g>`;
      x += 22 + textWidth(name) + 18;
      return out;
    })
    .join('');
}

/** Both axis lines, the x axis' label under the plot and, unless null, the y axis' label turned along it. */
export function axes(p: Plot, xLabel: string, yLabel: string | null, height: number): string {
  const midY = r1((p.y0 + p.y1) / 2);
  return (
    `<line x1="${p.x0}" y1="${p.y0}" x2="${p.x1}" y2="${p.y0}" stroke="${AXIS}"/><line x1="${p.x0}" y1="${p.y0}" x2="${p.x0}" y2="${p.y1}" stroke="${AXIS}"/>` +
    `<text class="axis-label" x="${r1((p.x0 + p.x1) / 2)}" y="${height - 10}" text-anchor="middle" fill="${MUTED}">${esc(clip(xLabel, 80))}</text>` +
    (yLabel === null
      ? ''
      : `<text class="axis-label" x="16" y="${midY}" text-anchor="middle" transform="rotate(-90 16 ${midY})" fill="${MUTED}">${esc(clip(yLabel, 40))}</text>`)
  );
}

export const noData = (p: Plot): string =>
  `<text class="no-data" x="${r1((p.x0 + p.x1) / 2)}" y="${r1((p.y0 + p.y1) / 2)}" text-anchor="middle" font-size="14" fill="${MUTED}">no data in the period</text>`;

export function yTicks(scale: { max: number; step: number }, y: (v: number) => number, p: Plot, fmt: Format): string {
  const out: string[] = [];
  for (let i = 0; i * scale.step <= scale.max + 1e-9; i++) {
    const v = i * scale.step;
    const yy = r1(y(v));
    if (i > 0) out.push(`<line x1="${p.x0}" y1="${yy}" x2="${p.x1}" y2="${yy}" stroke="${GRID}"/>`);
    out.push(`<text x="${p.x0 - 8}" y="${yy + 4}" text-anchor="end" fill="${MUTED}">${esc(fmt(v))}</text>`);
  }
  return out.join('');
}

/** Label every n-th bucket: steps that land on whole days of hourly buckets (24, 48 …) and read well for days. */
const STEPS = [1, 2, 3, 4, 6, 12, 24, 48, 72, 96, 168, 336, 720];

/** Bucket labels under the plot, thinned so that they do not overlap. */
export function xTicks(labels: readonly string[], x: (i: number) => number, p: Plot): string {
  const widest = Math.max(...labels.map((l) => textWidth(clip(l, 18))), 1) + 14;
  const fit = Math.max(1, Math.ceil(labels.length / Math.max(1, Math.floor((p.x1 - p.x0) / widest))));
  const every = STEPS.find((s) => s >= fit) ?? fit;
  return labels
    .map((l, i) => {
      if (i % every !== 0) return '';
      const xx = r1(x(i));
      return `<line x1="${xx}" y1="${p.y0}" x2="${xx}" y2="${p.y0 + 4}" stroke="${AXIS}"/><text x="${xx}" y="${p.y0 + 18}" text-anchor="middle" fill="${MUTED}">${esc(clip(l, 18))}</text>`;
    })
    .join('');
}

export const plotArea = (height: number): Plot => ({ x0: M.left, x1: W - M.right, y0: height - M.bottom, y1: M.top });
export const hasData = (values: readonly number[]): boolean => values.some((v) => Number.isFinite(v) && v !== 0);
