/**
 * The report's opening sentences (pure): the biggest rises across every dimension, in plain words, each with its
 * numbers and its baseline. "Alerts with rule IP_DATACENTER rose from 0.40% to 6.10% of applications (×15, z = 14)."
 * At most `limit` sentences (3–5 read well); when nothing rose, one sentence that says so.
 */
import type { Change } from './trends.js';

export interface DimensionChanges {
  /** how the dimension reads in a sentence: "rule", "partner", "IP region", "network" */
  label: string;
  changes: readonly Change[];
}

const pct = (rate: number): string => `${(rate * 100).toFixed(rate >= 0.1 ? 1 : 2)}%`;

function times(ratio: number): string {
  if (ratio >= 10) return `×${Math.round(ratio)}`;
  return `×${ratio.toFixed(1)}`;
}

export function describe(label: string, c: Change, period = 'the period'): string {
  const from = c.baseline === 0 ? 'none before' : `${pct(c.baselineRate)} (${c.baseline.toLocaleString('en')})`;
  return `Alerts with ${label} ${c.key} rose from ${from} to ${pct(c.currentRate)} (${c.current.toLocaleString('en')}) of applications in ${period} (${times(c.ratio)}, z = ${c.z.toFixed(1)}).`;
}

export function summarise(dimensions: readonly DimensionChanges[], opts: { limit?: number; period?: string } = {}): string[] {
  const all = dimensions.flatMap((d) => d.changes.map((c) => ({ label: d.label, c })));
  if (all.length === 0) return ['Nothing rose beyond chance against the previous period of the same length.'];
  return all
    .sort((a, b) => b.c.logRatioLow - a.c.logRatioLow || b.c.z - a.c.z)
    .slice(0, opts.limit ?? 4)
    .map(({ label, c }) => describe(label, c, opts.period));
}
