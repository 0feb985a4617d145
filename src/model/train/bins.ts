/**
 * Binning for the scorecard (pure): numeric features in equal-frequency bins (at most `maxBins`, each with at
 * least `minShare` of the rows, else merged with its neighbour), categorical features by value (values rarer than
 * `minShare` go to "other"), and a missing bin for each. Each bin's weight of evidence, smoothed by half a count
 * so that an empty side is finite: woe = ln(((fraud + ½) / (F + ½)) / ((legit + ½) / (L + ½))); positive = riskier.
 * Information value IV = Σ (fraud share − legit share) × woe ranks the features.
 */
import type { EvidenceValue } from '../../domain/assessment.js';
import { asCategory, asNumber } from '../scorecard.js';

export interface Row {
  values: (name: string) => EvidenceValue | undefined;
  fraud: boolean;
}

export interface BinStat {
  label: string;
  fraud: number;
  legit: number;
}

export interface NumericBinning {
  kind: 'numeric';
  name: string;
  /** uppers of the bins; the last is null (+∞) */
  uppers: (number | null)[];
  bins: BinStat[];
  missing: BinStat;
}

export interface CategoricalBinning {
  kind: 'categorical';
  name: string;
  values: string[][];
  bins: BinStat[];
  missing: BinStat;
  other: BinStat;
}

export type Binning = NumericBinning | CategoricalBinning;

export interface BinOptions {
  maxBins: number;
  minShare: number;
  /** categorical features with more distinct values (after "other") are not used */
  maxCategories: number;
}

export const DEFAULT_BIN_OPTIONS: BinOptions = { maxBins: 8, minShare: 0.02, maxCategories: 30 };

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toPrecision(4).replace(/\.?0+$/, ''));

function numericLabel(lower: number | null, upper: number | null): string {
  if (lower === null && upper !== null) return `≤ ${fmt(upper)}`;
  if (upper === null && lower !== null) return `> ${fmt(lower)}`;
  if (upper === null) return 'any';
  return `(${fmt(lower as number)}, ${fmt(upper)}]`;
}

/** Cut points: distinct quantiles of the sorted values, then bins below `minShare` merged into the next. */
function cuts(sorted: readonly number[], opts: BinOptions): number[] {
  const n = sorted.length;
  const candidates = new Set<number>();
  for (let q = 1; q < opts.maxBins; q++) candidates.add(sorted[Math.min(n - 1, Math.floor((q * n) / opts.maxBins))] as number);
  const max = sorted[n - 1] as number;
  const uppers = [...candidates].filter((c) => c < max).sort((a, b) => a - b);
  const minRows = Math.max(1, Math.ceil(opts.minShare * n));
  const kept: number[] = [];
  let from = 0;
  for (const u of uppers) {
    let to = from;
    while (to < n && (sorted[to] as number) <= u) to++;
    if (to - from >= minRows && n - to >= minRows) {
      kept.push(u);
      from = to;
    }
  }
  return kept;
}

export function binNumeric(name: string, rows: readonly Row[], opts: BinOptions = DEFAULT_BIN_OPTIONS): NumericBinning | null {
  const present: { v: number; fraud: boolean }[] = [];
  const missing: BinStat = { label: 'missing', fraud: 0, legit: 0 };
  for (const r of rows) {
    const v = asNumber(r.values(name));
    if (v === null) missing[r.fraud ? 'fraud' : 'legit'] += 1;
    else present.push({ v, fraud: r.fraud });
  }
  if (present.length === 0) return null;
  const sorted = present.map((p) => p.v).sort((a, b) => a - b);
  const uppers: (number | null)[] = [...cuts(sorted, opts), null];
  const bins: BinStat[] = uppers.map((u, i) => ({ label: numericLabel(i === 0 ? null : (uppers[i - 1] as number), u), fraud: 0, legit: 0 }));
  for (const p of present) {
    let i = 0;
    while (uppers[i] !== null && p.v > (uppers[i] as number)) i++;
    (bins[i] as BinStat)[p.fraud ? 'fraud' : 'legit'] += 1;
  }
  return { kind: 'numeric', name, uppers, bins, missing };
}

export function binCategorical(name: string, rows: readonly Row[], opts: BinOptions = DEFAULT_BIN_OPTIONS): CategoricalBinning | null {
  const counts = new Map<string, BinStat>();
  const missing: BinStat = { label: 'missing', fraud: 0, legit: 0 };
  for (const r of rows) {
    const c = asCategory(r.values(name));
    const stat = c === null ? missing : (counts.get(c) ?? counts.set(c, { label: c.slice(0, 200), fraud: 0, legit: 0 }).get(c));
    (stat as BinStat)[r.fraud ? 'fraud' : 'legit'] += 1;
  }
  const minRows = Math.max(1, Math.ceil(opts.minShare * rows.length));
  const other: BinStat = { label: 'other', fraud: 0, legit: 0 };
  const kept: [string, BinStat][] = [];
  for (const [value, stat] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (stat.fraud + stat.legit >= minRows) kept.push([value, stat]);
    else {
      other.fraud += stat.fraud;
      other.legit += stat.legit;
    }
  }
  if (kept.length === 0 || kept.length > opts.maxCategories) return null;
  return { kind: 'categorical', name, values: kept.map(([v]) => [v]), bins: kept.map(([, s]) => s), missing, other };
}

/**
 * Weight of evidence, smoothed by half a row on each side. A bin training never saw a row in (the missing bin of a
 * feature always present, an "other" with no rare values) is neutral, 0: smoothing alone would give it ln(legit /
 * fraud) of the totals, strongly fraud-like, and an application with that value unknown would be scored as fraud.
 */
export function woe(stat: BinStat, totals: { fraud: number; legit: number }): number {
  if (stat.fraud + stat.legit === 0) return 0;
  return Math.log((stat.fraud + 0.5) / (totals.fraud + 0.5) / ((stat.legit + 0.5) / (totals.legit + 0.5)));
}

/** Every bin of a binning (missing and other included), for totals and IV. */
export function allBins(b: Binning): BinStat[] {
  return b.kind === 'numeric' ? [...b.bins, b.missing] : [...b.bins, b.missing, b.other];
}

export function informationValue(b: Binning): number {
  const stats = allBins(b);
  const totals = { fraud: stats.reduce((s, x) => s + x.fraud, 0), legit: stats.reduce((s, x) => s + x.legit, 0) };
  if (totals.fraud === 0 || totals.legit === 0) return 0;
  return stats.reduce((iv, x) => iv + (x.fraud / totals.fraud - x.legit / totals.legit) * woe(x, totals), 0);
}

/** The bin index of a value under a binning (as the scorecard's compiled features do). */
export function binIndex(b: Binning, v: EvidenceValue | undefined): number {
  if (b.kind === 'numeric') {
    const n = asNumber(v);
    if (n === null) return b.bins.length;
    let i = 0;
    while (b.uppers[i] !== null && n > (b.uppers[i] as number)) i++;
    return i;
  }
  const c = asCategory(v);
  if (c === null) return b.bins.length;
  const i = b.values.findIndex((vs) => vs.includes(c));
  return i === -1 ? b.bins.length + 1 : i;
}
