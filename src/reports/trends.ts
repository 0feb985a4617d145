/**
 * "What changed" (pure): which values of a dimension (a rule, a region, a partner, a network) rose most in one period
 * against the previous period of the same length, ranked by a statistic that accounts for volume, so that a new
 * attack pattern stands out and a big, steady channel does not.
 *
 * For a value seen `current` times among `currentTotal` applications and `baseline` times among `baselineTotal`,
 * the test conditions on the value's own count n = current + baseline: if nothing changed, `current` is binomial
 * with n trials and p = currentTotal / (currentTotal + baselineTotal). The score is the signed root of the
 * likelihood-ratio (G) statistic of that test: about a z-score, positive for a rise, growing with the evidence.
 * Significance alone over-ranks big channels (a steady partner's +5 % on 20,000 alerts is z ≈ 5), so the rank is
 * the size of the rise, made cautious by its uncertainty: the lower bound (2 standard errors) of the log of the
 * rate ratio, smoothed by half a count (a value absent from the baseline has a finite ratio). A new pattern of 50
 * ranks far above a big steady channel's small rise, which ranks above a doubling on 6 alerts only if that one is
 * not noise (its bound is below zero, so it does not rank). Values rank when they rose with z above `minZ` (by
 * default higher the more values are compared: `zFor`) and a positive bound. Next to the rank: the rates, the ratio, z and the two counts.
 */
export interface CountPair {
  key: string;
  current: number;
  baseline: number;
}

export interface Totals {
  /** applications assessed in the period */
  current: number;
  /** applications assessed in the previous period of the same length */
  baseline: number;
}

export interface Change {
  key: string;
  current: number;
  baseline: number;
  /** share of the period's applications, 0–1 */
  currentRate: number;
  baselineRate: number;
  /** (current + ½) / currentTotal ÷ (baseline + ½) / baselineTotal */
  ratio: number;
  /** signed root of the G statistic: ≈ z, positive for a rise */
  z: number;
  /** ln(ratio) − 2 standard errors: the rank */
  logRatioLow: number;
}

const xlogx = (x: number, e: number): number => (x > 0 ? x * Math.log(x / e) : 0);

/** The signed root of the G statistic of `current` out of n = current + baseline against share p. */
export function signedRootG(current: number, baseline: number, p: number): number {
  const n = current + baseline;
  if (n === 0 || p <= 0 || p >= 1) return 0;
  const e1 = n * p;
  const e0 = n * (1 - p);
  const g = 2 * (xlogx(current, e1) + xlogx(baseline, e0));
  return Math.sign(current - e1) * Math.sqrt(Math.max(g, 0));
}

export function change(pair: CountPair, totals: Totals): Change {
  const { current, baseline } = pair;
  if (current < 0 || baseline < 0 || !Number.isFinite(current) || !Number.isFinite(baseline))
    throw new RangeError(`counts of ${pair.key} must be finite and not negative`);
  const t1 = Math.max(totals.current, 1);
  const t0 = Math.max(totals.baseline, 1);
  return {
    key: pair.key,
    current,
    baseline,
    currentRate: current / t1,
    baselineRate: baseline / t0,
    ratio: (current + 0.5) / t1 / ((baseline + 0.5) / t0),
    z: signedRootG(current, baseline, t1 / (t1 + t0)),
    logRatioLow: Math.log((current + 0.5) / t1 / ((baseline + 0.5) / t0)) - 2 * Math.sqrt(1 / (current + 0.5) + 1 / (baseline + 0.5)),
  };
}

/**
 * The z a value must pass when `m` values are compared at once: with thousands of partner × region values, a few
 * pass z > 2 by chance alone on steady traffic. Bonferroni at 5 % in one tail, approximated by √(2 ln(m / 0.05)),
 * never below 2: 2.45 for one value, 4.8 for 5,000.
 */
export function zFor(m: number): number {
  return Math.max(2, Math.sqrt(2 * Math.log(Math.max(1, m) / 0.05)));
}

/** The values that rose, largest cautious rise first (then z, then the key), at most `limit`. */
export function risers(pairs: readonly CountPair[], totals: Totals, opts: { limit?: number; minZ?: number } = {}): Change[] {
  const minZ = opts.minZ ?? zFor(pairs.length);
  return pairs
    .map((p) => change(p, totals))
    .filter((c) => c.z > minZ && c.logRatioLow > 0)
    .sort((a, b) => b.logRatioLow - a.logRatioLow || b.z - a.z || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, opts.limit ?? 10);
}
