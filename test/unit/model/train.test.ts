import { describe, expect, it } from 'vitest';
import { parseModelFile } from '../../../src/model/file.js';
import { compileModel, modelInput } from '../../../src/model/scorecard.js';
import { binCategorical, binNumeric, informationValue, woe } from '../../../src/model/train/bins.js';
import { choleskySolve, fitLogistic, fitPlatt } from '../../../src/model/train/logistic.js';
import { atThreshold, auc, calibrationTable, ks, thresholdForPrecision } from '../../../src/model/train/metrics.js';
import { trainScorecard, type TrainingRow } from '../../../src/model/train/train.js';
import { prng } from '../../helpers/prng.js';

/** A labelled history where fraud comes with many identities per device and a data-centre flag, noisily. */
function history(n: number, seed: string): TrainingRow[] {
  const rand = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    const fraud = rand() < 0.08;
    const ids = fraud ? 2 + Math.floor(rand() * 6) : rand() < 0.1 ? 2 : 1;
    const dc = fraud ? rand() < 0.7 : rand() < 0.03;
    return {
      atMs: Date.parse('2026-11-01T00:00:00Z') + i * 60_000,
      fraud,
      pattern: fraud ? (dc ? 'proxy-burst' : 'device-farm') : 'legit',
      rulesScore: Math.min(100, (ids - 1) * 20 + (dc ? 30 : 0)),
      values: { 'device.identities.24h': ids, 'ip.country': rand() < 0.95 ? 'CN' : 'US', 'app.amount': rand() < 0.05 ? null : Math.round(rand() * 50_000) },
      flags: dc ? ['IP_DATACENTER'] : [],
    };
  });
}

describe('scorecard training', () => {
  it('bins numeric features by quantile with a missing bin, categorical by value with rare ones in other', () => {
    const rows = history(2000, 'bins').map((r) => ({ fraud: r.fraud, values: modelInput(r.values, new Set(r.flags)) }));
    const ids = binNumeric('device.identities.24h', rows);
    expect(ids?.uppers.at(-1)).toBeNull();
    expect(ids?.bins[0]?.label).toMatch(/^≤ /);
    const amount = binNumeric('app.amount', rows);
    expect((amount?.missing.fraud ?? 0) + (amount?.missing.legit ?? 0)).toBeGreaterThan(0);
    const country = binCategorical('ip.country', rows, { maxBins: 8, minShare: 0.1, maxCategories: 30 });
    expect(country?.values).toEqual([['CN']]); // US is under 10 %: other
    expect(informationValue(ids as never)).toBeGreaterThan(informationValue(country as never));
    expect(woe({ label: 'x', fraud: 0, legit: 10 }, { fraud: 5, legit: 100 })).toBeLessThan(0);
    expect(Number.isFinite(woe({ label: 'x', fraud: 5, legit: 0 }, { fraud: 5, legit: 100 }))).toBe(true);
    expect(woe({ label: 'missing', fraud: 0, legit: 0 }, { fraud: 5, legit: 100 })).toBe(0); // never seen: neutral, not ln(100/5)
  });

  it('fits logistic regression: recovers a known coefficient, and Platt recovers a known scale', () => {
    const rand = prng('lr');
    const n = 4000;
    const x = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = rand() * 4 - 2;
      y[i] = rand() < 1 / (1 + Math.exp(-(0.5 + 1.5 * (x[i] as number)))) ? 1 : 0;
    }
    const fit = fitLogistic(x, y, 1, { lambda: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBeCloseTo(1.5, 0);
    expect(fit.intercept).toBeCloseTo(0.5, 0);
    const platt = fitPlatt([...x], y);
    expect(platt.a).toBeCloseTo(1.5, 0);
    expect([...choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2)].map((v) => +v.toFixed(6))).toEqual([0.5, 0]);
  });

  it('measures: AUC with ties, KS, calibration bands, the threshold for a precision', () => {
    const rows = [
      { score: 0.9, fraud: true },
      { score: 0.8, fraud: true },
      { score: 0.8, fraud: false },
      { score: 0.1, fraud: false },
    ];
    expect(auc(rows)).toBeCloseTo((1 + 1 + 0.5 + 1) / 4, 12);
    expect(ks(rows)).toBeCloseTo(0.5, 12);
    expect(atThreshold(rows, 0.8)).toEqual({ threshold: 0.8, alerted: 3, precision: 2 / 3, recall: 1 });
    expect(thresholdForPrecision(rows, 0.9, 1)?.threshold).toBe(0.9);
    const bands = calibrationTable(rows);
    expect(bands.map((b) => [b.from, b.rows, b.observed])).toEqual([
      [0.1, 1, 0],
      [0.7, 2, 0.5],
      [0.9, 1, 1],
    ]);
  });

  it('trains, calibrates and reports on the newest rows; the file validates and scores like the report says', () => {
    const rows = history(6000, 'train');
    const model = trainScorecard(rows, { precision: 0.8, nowMs: Date.parse('2026-12-02T00:00:00Z') });
    const parsed = parseModelFile(JSON.stringify(model), 'model.json');
    expect(parsed.version).toMatch(/^sc-20261202-[0-9a-f]{10}$/);
    expect(parsed.features.map((f) => f.name)).toContain('device.identities.24h');
    expect(parsed.features.map((f) => f.name)).toContain('flag.IP_DATACENTER');
    const t = parsed.training as {
      rows: { test: number };
      auc: { model: number; rules: number };
      calibrationTable: unknown[];
      atThreshold: { precision: number };
    };
    expect(t.rows.test).toBe(1800);
    expect(t.auc.model).toBeGreaterThan(0.9);
    expect(t.calibrationTable.length).toBeGreaterThan(1);
    const m = compileModel(parsed);
    const risky = m.score(modelInput({ 'device.identities.24h': 6, 'ip.country': 'CN' }, new Set(['IP_DATACENTER'])));
    const plain = m.score(modelInput({ 'device.identities.24h': 1, 'ip.country': 'CN' }, new Set()));
    expect(risky.probability).toBeGreaterThan(0.9);
    expect(plain.probability).toBeLessThan(0.05);
    expect(risky.contributions[0]?.feature).toBe('device.identities.24h');
    expect(parsed.thresholds.medium).toBeLessThanOrEqual(parsed.thresholds.high);
  });

  it('writes thresholds its own loader takes, however well the history separates (precision 0.999)', () => {
    const rows = history(4000, 'saturated').map((r) => ({ ...r, values: { ...r.values, 'device.identities.24h': r.fraud ? 9 : 1 } }));
    const model = trainScorecard(rows, { precision: 0.999 });
    const t = parseModelFile(JSON.stringify(model), 'model.json').thresholds;
    expect(t.medium <= t.high && t.high <= t.critical && t.critical < 1 && t.medium > 0).toBe(true);
  });

  it('refuses history with too few of either class, saying what it has', () => {
    const rows = history(300, 'few').map((r) => ({ ...r, fraud: false }));
    expect(() => trainScorecard(rows)).toThrow(/at least 10 fraud and 10 legitimate rows \(has 0 and/);
  });
});
