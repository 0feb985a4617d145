/**
 * Shared text helpers of the report renderers (pure): HTML/SVG escaping and the ways numbers read in the report.
 * Counts get thousands separators (12,345), rates read as percentages with a sensible precision (61.2%, 6.1%,
 * 0.40%, <0.01%), ratios as ×15 or ×1.3, times as "2026-11-03 08:00 UTC". Anything not finite reads as "–", so a
 * NaN or an Infinity never reaches the page.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// C0 controls other than tab, LF and CR, and DEL: not allowed in HTML text, and no use in a label.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Escapes text for HTML or SVG content and for attribute values (double- or single-quoted). */
export const esc = (s: string): string =>
  String(s)
    .replace(CONTROLS, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

/** Shortens a label for a chart (its full text stays in the element's tooltip). */
export const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, Math.max(max - 1, 1))}…`);

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const DASH = '–';

/** A count: 12,345. */
export const count = (n: number): string => (Number.isFinite(n) ? GROUPED.format(n) : DASH);

/** A number with up to `digits` decimals and separators: 1,234.5. */
export const decimal = (n: number, digits = 1): string =>
  Number.isFinite(n) ? new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n) : DASH;

/** A 0–1 rate as a percentage: one decimal from 1 %, two below, "<0.01%" for a tiny non-zero rate. */
export function pct(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return DASH;
  const p = rate * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) >= 1) return `${p.toFixed(1)}%`;
  if (Math.abs(p) < 0.005) return p > 0 ? '<0.01%' : '>-0.01%';
  return `${p.toFixed(2)}%`;
}

/** A rate ratio: ×15, ×1.3. */
export const ratio = (r: number): string => (Number.isFinite(r) ? `×${r >= 10 ? count(Math.round(r)) : r.toFixed(1)}` : DASH);

/** A z-score or a log-ratio: one decimal (two for `digits = 2`). */
export const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : DASH);

/** A chart axis tick: separators up to a million, then 1.2M. */
export const tick = (n: number): string => (Math.abs(n) >= 1e6 ? `${decimal(n / 1e6, 1)}M` : decimal(n, 2));

/** Minutes as they read best: 42 min, 5.5 h, 3.2 d. */
export function minutes(m: number | null): string {
  if (m === null || !Number.isFinite(m)) return DASH;
  if (m < 90) return `${decimal(m, m < 10 ? 1 : 0)} min`;
  if (m < 48 * 60) return `${(m / 60).toFixed(1)} h`;
  return `${(m / 1440).toFixed(1)} d`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const parse = (iso: string): Date | null => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** An ISO time as "2026-11-03 08:00 UTC" (the text itself when it does not parse). */
export function dateTime(iso: string): string {
  const d = parse(iso);
  return d ? `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC` : iso;
}

/** A bucket's start on a chart axis: "Nov 3" for days, "Nov 3 08:00" for hours. */
export function bucketLabel(iso: string, bucket: 'hour' | 'day'): string {
  const d = parse(iso);
  if (!d) return iso;
  const day = `${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCDate()}`;
  return bucket === 'day' ? day : `${day} ${d.toISOString().slice(11, 16)}`;
}
