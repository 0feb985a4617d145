/**
 * Training a scorecard from labelled history (pure): the rows are split by time (the oldest part trains, the next
 * calibrates and sets the thresholds, the newest is held out for the report); every candidate feature is binned and
 * ranked by information value; the best are fitted by L2 logistic regression on their WoE; Platt scaling calibrates
 * the probability; the alert threshold is the lowest probability that reaches the asked precision on the
 * calibration part. Boosted trees (boost.ts) then learn, from the scorecard's logit on, the interactions an additive
 * model misses, stopped by the calibration part's log loss. The report: AUC and KS of the model and of the rules'
 * score on the held-out part, a calibration table, precision and recall there, recall per pattern, and the points
 * per bin.
 */
import { createHash } from 'node:crypto';
import type { EvidenceValue } from '../../domain/assessment.js';
import { ModelFileError, parseModelFile, type ModelFeature, type ModelFile } from '../file.js';
import { compileModel, modelInput } from '../scorecard.js';
import { allBins, binCategorical, binIndex, binNumeric, DEFAULT_BIN_OPTIONS, informationValue, woe, type Binning, type Row } from './bins.js';
import { boost, DEFAULT_BOOST, type BoostData, type BoostOptions } from './boost.js';
import { fitLogistic, fitPlatt } from './logistic.js';
import { atThreshold, auc, calibrationTable, ks, thresholdForPrecision, type Scored } from './metrics.js';

export interface TrainingRow {
  atMs: number;
  fraud: boolean;
  pattern: string;
  /** the rules' score (0–100) of the same assessment, for the comparison */
  rulesScore: number;
  values: Record<string, EvidenceValue>;
  flags: readonly string[];
}

export interface TrainOptions {
  /** newest share held out for the report (default 0.3) */
  testShare?: number;
  /** share of the rest, after the training part, that calibrates and sets thresholds (default 0.25) */
  calibrationShare?: number;
  /** precision the alert threshold must reach on the calibration part (default 0.9) */
  precision?: number;
  maxFeatures?: number;
  minIv?: number;
  lambda?: number;
  /** boosted trees on the scorecard's residual (src/model/train/boost.ts); maxTrees 0 = the scorecard alone */
  boost?: Partial<BoostOptions>;
  nowMs?: number;
  description?: string;
  onProgress?: (step: string, done: number, total: number) => void;
}

/** Keys never used as features: masked identifiers, coordinates, dataset stamps. */
const EXCLUDED = [/\.masked$/, /^ip\.(lat|lon|city|geoSource|geoBuildDate|timezone|asOrg|hostingProvider)$/, /^device\.(model|browserVersion|osVersion)$/];

function candidates(rows: readonly TrainingRow[]): { name: string; numeric: boolean }[] {
  const kinds = new Map<string, boolean>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r.values)) {
      if (v === null || EXCLUDED.some((re) => re.test(k))) continue;
      const numeric = typeof v === 'number' || typeof v === 'boolean';
      kinds.set(k, (kinds.get(k) ?? true) && numeric);
    }
    for (const f of r.flags) kinds.set(`flag.${f}`, true);
  }
  return [...kinds].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([name, numeric]) => ({ name, numeric }));
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

function toFeature(b: Binning, coefficient: number, factor: number, iv: number): ModelFeature {
  const stats = allBins(b);
  const totals = { fraud: stats.reduce((s, x) => s + x.fraud, 0), legit: stats.reduce((s, x) => s + x.legit, 0) };
  const rows = totals.fraud + totals.legit;
  const bin = (s: (typeof stats)[number]) => {
    const w = woe(s, totals);
    return { label: s.label, woe: w, points: round1(factor * coefficient * w), share: rows > 0 ? (s.fraud + s.legit) / rows : 0 };
  };
  if (b.kind === 'numeric')
    return { name: b.name, kind: 'numeric', coefficient, iv, missing: bin(b.missing), bins: b.bins.map((s, i) => ({ ...bin(s), upper: b.uppers[i] ?? null })) };
  return {
    name: b.name,
    kind: 'categorical',
    coefficient,
    iv,
    missing: bin(b.missing),
    other: bin(b.other),
    bins: b.bins.map((s, i) => ({ ...bin(s), values: b.values[i] ?? [] })),
  };
}

function asRow(r: TrainingRow): Row & { flagSet: ReadonlySet<string> } {
  const flagSet = new Set(r.flags);
  return { fraud: r.fraud, flagSet, values: modelInput(r.values, flagSet) };
}

function split<T extends { atMs: number }>(rows: readonly T[], testShare: number, calShare: number): { fit: T[]; cal: T[]; test: T[] } {
  const sorted = [...rows].sort((a, b) => a.atMs - b.atMs);
  const testFrom = Math.floor(sorted.length * (1 - testShare));
  const calFrom = Math.floor(testFrom * (1 - calShare));
  return { fit: sorted.slice(0, calFrom), cal: sorted.slice(calFrom, testFrom), test: sorted.slice(testFrom) };
}

export function trainScorecard(all: readonly TrainingRow[], opts: TrainOptions = {}): ModelFile {
  const progress = opts.onProgress ?? (() => undefined);
  const { fit, cal, test } = split(all, opts.testShare ?? 0.3, opts.calibrationShare ?? 0.25);
  if (fit.filter((r) => r.fraud).length < 10 || fit.filter((r) => !r.fraud).length < 10)
    throw new RangeError(
      `the training part needs at least 10 fraud and 10 legitimate rows (has ${fit.filter((r) => r.fraud).length} and ${fit.filter((r) => !r.fraud).length})`,
    );
  const fitRows = fit.map(asRow);
  const cands = candidates(fit);
  const binned: { b: Binning; iv: number }[] = [];
  cands.forEach((c, i) => {
    const b = c.numeric ? binNumeric(c.name, fitRows, DEFAULT_BIN_OPTIONS) : binCategorical(c.name, fitRows, DEFAULT_BIN_OPTIONS);
    if (b) binned.push({ b, iv: informationValue(b) });
    if (i % 20 === 0) progress(`binning ${c.name}`, i + 1, cands.length);
  });
  const chosen = binned
    .filter((x) => x.iv >= (opts.minIv ?? 0.02))
    .sort((a, b) => b.iv - a.iv || (a.b.name < b.b.name ? -1 : 1))
    .slice(0, opts.maxFeatures ?? 150);
  const k = chosen.length;
  const y = Uint8Array.from(fitRows.map((r) => (r.fraud ? 1 : 0)));
  const woes = chosen.map(({ b }) => {
    const stats = allBins(b);
    const totals = { fraud: stats.reduce((s, v) => s + v.fraud, 0), legit: stats.reduce((s, v) => s + v.legit, 0) };
    return stats.map((s) => woe(s, totals));
  });
  // Each row's bin per chosen feature, once: the scorecard fits on their WoE, the trees split on them.
  const fitBins = binMatrix(fitRows, chosen);
  const x = Float64Array.from(fitBins, (bin, at) => woes[at % k]?.[bin] ?? 0);
  const fitted = fitLogistic(x, y, k, { lambda: opts.lambda ?? 1, onIteration: (it) => progress('fitting', it, 25) });
  const factor = 20 / Math.LN2;
  const features = chosen.map(({ b, iv }, j) => toFeature(b, fitted.coefficients[j] ?? 0, factor, iv));
  const bo = { ...DEFAULT_BOOST, ...opts.boost, onTree: (t: number) => progress('boosting', t, bo.maxTrees) };
  const boosted =
    bo.maxTrees > 0 && cal.length >= 50
      ? boost(
          boostData(fitBins, y, fitted, woes),
          boostData(
            binMatrix(cal.map(asRow), chosen),
            Uint8Array.from(cal, (r) => (r.fraud ? 1 : 0)),
            fitted,
            woes,
          ),
          chosen.map(({ b }) => ({ name: b.name, numeric: b.kind === 'numeric', width: allBins(b).length })),
          bo,
        )
      : null;
  const draft: ModelFile = {
    format: 'lendguard.model.v1',
    kind: 'scorecard',
    version: 'draft',
    createdAt: new Date(opts.nowMs ?? Date.now()).toISOString(),
    ...(opts.description ? { description: opts.description } : {}),
    intercept: fitted.intercept,
    pointsPerDoubling: 20,
    calibration: { a: 1, b: 0 },
    thresholds: { medium: 0.1, high: 0.5, critical: 0.9 },
    psiThreshold: 0.25,
    explain: 5,
    features,
    ...(boosted && boosted.trees.length > 0 ? { boost: { learningRate: bo.learningRate, trees: boosted.trees } } : {}),
  };
  const boostReport = boosted && { trees: boosted.trees.length, depth: bo.depth, learningRate: bo.learningRate, validLoss: boosted.validLoss };
  return finish(draft, { fit, cal, test, precision: opts.precision ?? 0.9, fitted, boost: boostReport ?? undefined, progress });
}

/** Each row's bin index of each chosen feature, row-major (n × k). */
function binMatrix(rows: readonly Row[], chosen: readonly { b: Binning }[]): Uint8Array {
  const k = chosen.length;
  const bins = new Uint8Array(rows.length * k);
  rows.forEach((r, i) => chosen.forEach(({ b }, j) => (bins[i * k + j] = binIndex(b, r.values(b.name)))));
  return bins;
}

/** The rows' bins, outcomes, and the scorecard's logit, which the trees start from. */
function boostData(bins: Uint8Array, y: Uint8Array, fitted: { intercept: number; coefficients: number[] }, woes: readonly number[][]): BoostData {
  const k = woes.length;
  const base = new Float64Array(y.length).fill(fitted.intercept);
  bins.forEach((bin, at) => {
    const i = Math.floor(at / k);
    base[i] = (base[i] as number) + (fitted.coefficients[at % k] ?? 0) * (woes[at % k]?.[bin] ?? 0);
  });
  return { bins, base, y };
}

interface Parts {
  fit: readonly TrainingRow[];
  cal: readonly TrainingRow[];
  test: readonly TrainingRow[];
  precision: number;
  fitted: ReturnType<typeof fitLogistic>;
  boost?: { trees: number; depth: number; learningRate: number; validLoss: { before: number; after: number } };
  progress: (step: string, done: number, total: number) => void;
}

/** Calibration, thresholds, version and the training report. */
function finish(draft: ModelFile, p: Parts): ModelFile {
  const raw = compileModel(draft);
  const logitOf = (r: TrainingRow): number => {
    const q = raw.score(modelInput(r.values, new Set(r.flags))).probability;
    return Math.log(Math.max(q, 1e-12) / Math.max(1 - q, 1e-12));
  };
  const calibrationRows = p.cal.length >= 50 ? p.cal : p.fit;
  const calibration = fitPlatt(calibrationRows.map(logitOf), Uint8Array.from(calibrationRows.map((r) => (r.fraud ? 1 : 0))));
  const calibrated = compileModel({ ...draft, calibration });
  const probability = (r: TrainingRow): number => calibrated.score(modelInput(r.values, new Set(r.flags))).probability;
  const calScored: Scored[] = calibrationRows.map((r) => ({ score: probability(r), fraud: r.fraud }));
  // Inside (0, 1) as the file requires, and medium ≤ high ≤ critical, however saturated the probabilities are.
  const high = Math.min(0.99, Math.max(0.001, thresholdForPrecision(calScored, p.precision)?.threshold ?? 0.5));
  const critical = Math.max(high, Math.min(0.99, thresholdForPrecision(calScored, Math.min(0.99, p.precision + 0.07))?.threshold ?? 0.9));
  const thresholds = { medium: Math.max(0.001, Math.min(high, high / 4)), high, critical };
  p.progress('report', 1, 1);
  const testScored: Scored[] = p.test.map((r) => ({ score: probability(r), fraud: r.fraud }));
  const rulesScored: Scored[] = p.test.map((r) => ({ score: r.rulesScore, fraud: r.fraud }));
  const patterns = [...new Set(p.test.map((r) => r.pattern))].sort();
  const training = {
    rows: { fit: p.fit.length, calibration: p.cal.length, test: p.test.length },
    fraud: { fit: p.fit.filter((r) => r.fraud).length, calibration: p.cal.filter((r) => r.fraud).length, test: p.test.filter((r) => r.fraud).length },
    heldOutFrom: p.test[0] ? new Date(p.test[0].atMs).toISOString() : null,
    converged: p.fitted.converged,
    iterations: p.fitted.iterations,
    ...(p.boost ? { boost: p.boost } : {}),
    auc: { model: auc(testScored), rules: auc(rulesScored) },
    ks: { model: ks(testScored), rules: ks(rulesScored) },
    precisionTarget: p.precision,
    atThreshold: atThreshold(testScored, high),
    calibrationTable: calibrationTable(testScored),
    perPattern: patterns.map((pattern) => {
      const rows = p.test.filter((r) => r.pattern === pattern);
      const alerted = rows.filter((r) => probability(r) >= high).length;
      return { pattern, rows: rows.length, fraud: rows.filter((r) => r.fraud).length, alerted, alertedShare: rows.length > 0 ? alerted / rows.length : 0 };
    }),
  };
  const body = { ...draft, calibration, thresholds, training };
  const hash = createHash('sha256')
    .update(JSON.stringify({ ...body, createdAt: '' }))
    .digest('hex')
    .slice(0, 10);
  // What train writes, the loader takes: validated here, not found out at the processor's start.
  const file = { ...body, version: `sc-${draft.createdAt.slice(0, 10).replaceAll('-', '')}-${hash}` };
  try {
    return parseModelFile(JSON.stringify(file), 'the trained model');
  } catch (err) {
    if (!(err instanceof ModelFileError)) throw err;
    // Coefficients grow without bound on history that one feature separates, when the penalty is off.
    throw new Error(`${err.message}. A larger --lambda keeps the coefficients small; fewer --trees keep the trees within the file's limits`, { cause: err });
  }
}
