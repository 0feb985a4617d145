/**
 * How well a score separates fraud (pure): AUC (the probability that a random fraud scores above a random
 * legitimate row, ties counting half), KS (the largest gap between the two cumulative distributions), a
 * calibration table (predicted against observed by probability band), precision and recall at a threshold, and
 * the lowest threshold that reaches a precision.
 */
export interface Scored {
  score: number;
  fraud: boolean;
}

export function auc(rows: readonly Scored[]): number {
  const sorted = [...rows].sort((a, b) => a.score - b.score);
  const pos = sorted.filter((r) => r.fraud).length;
  const neg = sorted.length - pos;
  if (pos === 0 || neg === 0) return 0.5;
  let rankSum = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && (sorted[j] as Scored).score === (sorted[i] as Scored).score) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) if ((sorted[t] as Scored).fraud) rankSum += avgRank;
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function ks(rows: readonly Scored[]): number {
  const sorted = [...rows].sort((a, b) => b.score - a.score);
  const pos = sorted.filter((r) => r.fraud).length;
  const neg = sorted.length - pos;
  if (pos === 0 || neg === 0) return 0;
  let tp = 0;
  let fp = 0;
  let best = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && (sorted[j] as Scored).score === (sorted[i] as Scored).score) {
      if ((sorted[j] as Scored).fraud) tp++;
      else fp++;
      j++;
    }
    best = Math.max(best, Math.abs(tp / pos - fp / neg));
    i = j;
  }
  return best;
}

export interface CalibrationBand {
  /** probability band [from, to) */
  from: number;
  to: number;
  rows: number;
  predicted: number;
  observed: number;
}

const BANDS = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.000001];

/** Rows by predicted probability band: mean predicted against the observed fraud rate (empty bands left out). */
export function calibrationTable(rows: readonly Scored[]): CalibrationBand[] {
  const out: CalibrationBand[] = [];
  for (let i = 0; i + 1 < BANDS.length; i++) {
    const from = BANDS[i] as number;
    const to = BANDS[i + 1] as number;
    const inBand = rows.filter((r) => r.score >= from && r.score < to);
    if (inBand.length === 0) continue;
    out.push({
      from,
      to: Math.min(to, 1),
      rows: inBand.length,
      predicted: inBand.reduce((s, r) => s + r.score, 0) / inBand.length,
      observed: inBand.filter((r) => r.fraud).length / inBand.length,
    });
  }
  return out;
}

export interface AtThreshold {
  threshold: number;
  alerted: number;
  precision: number;
  recall: number;
}

export function atThreshold(rows: readonly Scored[], threshold: number): AtThreshold {
  let tp = 0;
  let alerted = 0;
  let pos = 0;
  for (const r of rows) {
    if (r.fraud) pos++;
    if (r.score >= threshold) {
      alerted++;
      if (r.fraud) tp++;
    }
  }
  return { threshold, alerted, precision: alerted > 0 ? tp / alerted : 1, recall: pos > 0 ? tp / pos : 1 };
}

/** The lowest threshold whose precision reaches `precision` (the highest recall there); null when none does. */
export function thresholdForPrecision(rows: readonly Scored[], precision: number, minAlerts = 10): AtThreshold | null {
  const sorted = [...rows].sort((a, b) => b.score - a.score);
  const pos = sorted.filter((r) => r.fraud).length;
  let tp = 0;
  let best: AtThreshold | null = null;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    const s = (sorted[i] as Scored).score;
    while (j < sorted.length && (sorted[j] as Scored).score === s) {
      if ((sorted[j] as Scored).fraud) tp++;
      j++;
    }
    const p = tp / j;
    if (j >= minAlerts && p >= precision) best = { threshold: s, alerted: j, precision: p, recall: pos > 0 ? tp / pos : 1 };
    i = j;
  }
  return best;
}
