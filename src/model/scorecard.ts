/**
 * Scoring with a model file (pure): each feature's value falls in one bin (numeric ranges (previous upper, upper],
 * categorical value lists, a missing bin, and for categorical features an "other" bin for values not seen in
 * training); the logit is intercept + Σ coefficient × woe; the probability σ(a · logit + b); the level from the
 * thresholds; boosted trees, when the file has them, add to the logit (src/model/trees.ts). The explanation is the
 * features with the most points either way (feature, bin, points, value): a bin's scorecard points plus, with
 * trees, the feature's share of the trees' sum in the same points. Compiled once per model file: a lookup per
 * feature and a walk per tree (bench/pipeline.bench.ts: model stage).
 */
import type { EvidenceValue, Level } from '../domain/assessment.js';
import type { ModelFeature, ModelFile } from './file.js';
import { compileTrees } from './trees.js';

export interface Contribution {
  feature: string;
  bin: string;
  points: number;
  value: EvidenceValue;
}

export interface ModelScore {
  version: string;
  /** calibrated probability of fraud, 0–1 */
  probability: number;
  /** round(100 × probability) */
  score: number;
  level: Level;
  contributions: Contribution[];
  /** each feature's bin index, one character per feature in the file's order (BIN_ALPHABET): drift counts */
  bins: string;
}

/** One character per bin index (a feature has at most 50 bins + missing + other). */
export const BIN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A feature's value by name: the assessment's features, and `flag.<CODE>` true when that rule fired. */
export type ModelInput = (name: string) => EvidenceValue | undefined;

interface CompiledBin {
  label: string;
  woe: number;
  points: number;
}

interface CompiledFeature {
  name: string;
  coefficient: number;
  /** bin index for a value; bins.length = missing, bins.length + 1 = other */
  binOf(v: EvidenceValue | undefined): number;
  bins: CompiledBin[];
}

/** σ(x), without overflow for large |x|. */
export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** The number a value stands for: booleans are 1/0, numeric strings their number; anything else is missing. */
export function asNumber(v: EvidenceValue | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** The category a value stands for: its string form; null and '' are missing. */
export function asCategory(v: EvidenceValue | undefined): string | null {
  if (v === null || v === undefined || v === '') return null;
  return String(v);
}

function compileFeature(f: ModelFeature): CompiledFeature {
  const missing = f.bins.length;
  if (f.kind === 'numeric') {
    const uppers = f.bins.map((b) => (b.upper === null ? Infinity : b.upper));
    return {
      name: f.name,
      coefficient: f.coefficient,
      bins: [...f.bins, f.missing],
      binOf(v) {
        const n = asNumber(v);
        if (n === null) return missing;
        for (let i = 0; i < uppers.length; i++) if (n <= (uppers[i] as number)) return i;
        return uppers.length - 1;
      },
    };
  }
  const index = new Map<string, number>();
  f.bins.forEach((b, i) => b.values.forEach((v) => index.set(v, i)));
  return {
    name: f.name,
    coefficient: f.coefficient,
    bins: [...f.bins, f.missing, f.other],
    binOf(v) {
      const c = asCategory(v);
      if (c === null) return missing;
      return index.get(c) ?? missing + 1;
    },
  };
}

export interface CompiledModel {
  readonly file: ModelFile;
  readonly version: string;
  readonly features: readonly { name: string; bins: readonly { label: string }[] }[];
  score(input: ModelInput): ModelScore;
  /** each feature's bin index for this input (drift counts) */
  bins(input: ModelInput): number[];
}

export function levelOf(p: number, t: ModelFile['thresholds']): Level {
  if (p >= t.critical) return 'critical';
  if (p >= t.high) return 'high';
  if (p >= t.medium) return 'medium';
  return 'low';
}

/** The `k` indices of the largest |points| (ties: the feature name first), best first, without sorting them all. */
function topByPoints(points: Float64Array, names: readonly string[], k: number): number[] {
  const top: number[] = [];
  if (k <= 0) return top;
  const better = (i: number, j: number): boolean =>
    Math.abs(points[i] as number) > Math.abs(points[j] as number) ||
    (Math.abs(points[i] as number) === Math.abs(points[j] as number) && (names[i] as string) < (names[j] as string));
  for (let i = 0; i < points.length; i++) {
    if (points[i] === 0) continue;
    if (top.length === k && !better(i, top[k - 1] as number)) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && better(i, top[at - 1] as number)) {
      top[at] = top[at - 1] as number;
      at--;
    }
    top[at] = i;
  }
  return top;
}

export function compileModel(file: ModelFile): CompiledModel {
  const features = file.features.map(compileFeature);
  const names = features.map((f) => f.name);
  const trees = compileTrees(file);
  const { a, b } = file.calibration;
  const factor = file.pointsPerDoubling / Math.LN2;
  const alphabet = [...BIN_ALPHABET].map((c) => c.charCodeAt(0));
  // Scratch for one call (scoring is synchronous): each feature's bin index, its share of the trees' sum, its
  // points, its bin's character for the drift string, and its value.
  const index = new Int32Array(features.length);
  const shares = new Float64Array(features.length);
  const points = new Float64Array(features.length);
  const chars = new Uint16Array(features.length);
  const values = new Array<EvidenceValue | undefined>(features.length);
  return {
    file,
    version: file.version,
    features,
    score(input) {
      let logit = file.intercept;
      for (let i = 0; i < features.length; i++) {
        const f = features[i] as CompiledFeature;
        const v = input(f.name);
        values[i] = v;
        const bin = f.binOf(v);
        index[i] = bin;
        chars[i] = alphabet[bin] as number;
        logit += f.coefficient * (f.bins[bin] as CompiledBin).woe;
        points[i] = (f.bins[bin] as CompiledBin).points;
      }
      if (trees.count > 0) {
        shares.fill(0);
        logit += trees.add(index, shares);
        for (let i = 0; i < features.length; i++) points[i] = Math.round(10 * ((points[i] as number) + factor * (shares[i] as number))) / 10;
      }
      const probability = sigmoid(a * logit + b);
      const contributions = topByPoints(points, names, file.explain).map((i) => ({
        feature: names[i] as string,
        bin: ((features[i] as CompiledFeature).bins[index[i] as number] as CompiledBin).label,
        points: points[i] as number,
        value: values[i] ?? null,
      }));
      return {
        version: file.version,
        probability,
        score: Math.round(100 * probability),
        level: levelOf(probability, file.thresholds),
        contributions,
        bins: String.fromCharCode.apply(null, chars as unknown as number[]),
      };
    },
    bins: (input) => features.map((f) => f.binOf(input(f.name))),
  };
}

/**
 * The model's input from an assessment's features and its flags' codes; with `rules`, also the rules' own score
 * (`rules.score`, 0–100, the analysts' weights summed) and the number of flags (`rules.flags`) as features.
 */
export function modelInput(
  features: Readonly<Record<string, EvidenceValue | undefined>>,
  flagCodes: ReadonlySet<string>,
  rules?: { score: number; flags: number },
): ModelInput {
  return (name) => {
    if (name.startsWith('flag.')) return flagCodes.has(name.slice(5));
    if (rules && name === 'rules.score') return rules.score;
    if (rules && name === 'rules.flags') return rules.flags;
    return features[name];
  };
}
