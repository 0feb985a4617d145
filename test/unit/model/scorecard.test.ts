import { describe, expect, it } from 'vitest';
import { ModelFileError, parseModelFile, type ModelFileInput } from '../../../src/model/file.js';
import { compileModel, modelInput } from '../../../src/model/scorecard.js';

const base = (): ModelFileInput => ({
  format: 'lendguard.model.v1',
  kind: 'scorecard',
  version: 'test-1',
  createdAt: '2026-12-02T00:00:00Z',
  intercept: -3,
  thresholds: { medium: 0.1, high: 0.5, critical: 0.9 },
  features: [
    {
      name: 'device.identities.24h',
      kind: 'numeric',
      coefficient: 1,
      missing: { label: 'missing', woe: 0.5, points: 14.4, share: 0.1 },
      bins: [
        { label: '≤ 1', upper: 1, woe: -1, points: -28.9, share: 0.6 },
        { label: '(1, 3]', upper: 3, woe: 1, points: 28.9, share: 0.2 },
        { label: '> 3', upper: null, woe: 3, points: 86.6, share: 0.1 },
      ],
    },
    {
      name: 'ip.country',
      kind: 'categorical',
      coefficient: 0.5,
      missing: { label: 'missing', woe: 0, points: 0, share: 0 },
      other: { label: 'other', woe: 2, points: 28.9, share: 0.05 },
      bins: [{ label: 'CN', values: ['CN'], woe: -0.2, points: -2.9, share: 0.95 }],
    },
    {
      name: 'flag.IP_DATACENTER',
      kind: 'numeric',
      coefficient: 1,
      missing: { label: 'missing', woe: 0, points: 0, share: 0 },
      bins: [
        { label: '≤ 0', upper: 0, woe: -0.1, points: -2.9, share: 0.9 },
        { label: '> 0', upper: null, woe: 2, points: 57.7, share: 0.1 },
      ],
    },
  ],
});

const text = (m: unknown): string => JSON.stringify(m);
const problems = (m: unknown): string[] => {
  try {
    parseModelFile(text(m), 'model.json');
    return [];
  } catch (err) {
    return (err as ModelFileError).problems as string[];
  }
};

describe('model file validation', () => {
  it('accepts a valid file and fills the defaults', () => {
    const m = parseModelFile(text(base()), 'model.json');
    expect(m.calibration).toEqual({ a: 1, b: 0 });
    expect([m.pointsPerDoubling, m.psiThreshold, m.explain]).toEqual([20, 0.25, 5]);
  });

  it('names every problem with where it is and what to do', () => {
    const m = base() as { features: { bins: { upper?: number | null }[] }[]; thresholds: unknown; version: string };
    (m.features[0]?.bins[1] as { upper: number }).upper = 0.5;
    m.thresholds = { medium: 0.6, high: 0.5, critical: 0.9 };
    m.version = 'has space';
    const list = problems(m);
    expect(list).toContain("features[0].bins[1].upper: must be above the previous bin's upper (1): bins go in ascending order");
    expect(list.some((p) => p.startsWith('thresholds: thresholds go medium ≤ high ≤ critical'))).toBe(true);
    expect(list.some((p) => p.startsWith('version: a version is letters'))).toBe(true);
    const empty = problems({});
    expect(empty.some((p) => p.startsWith('format: '))).toBe(true);
    expect(empty.some((p) => p.startsWith('thresholds: '))).toBe(true);
    expect(() => parseModelFile('{', 'm.json')).toThrow(/model file m.json: not JSON/);
  });

  it('refuses a last bin with an upper, a duplicate feature, a category in two bins', () => {
    const m = base() as { features: Record<string, unknown>[] };
    const numeric = m.features[0] as { bins: { upper: number | null }[] };
    (numeric.bins[2] as { upper: number | null }).upper = 10;
    m.features.push({ ...(m.features[1] as object) });
    ((m.features[1] as { bins: { values: string[] }[] }).bins as { values: string[] }[]).push({
      label: 'x',
      values: ['CN'],
      woe: 0,
      points: 0,
      share: 0,
    } as never);
    const list = problems(m);
    expect(list).toContain('features[0].bins[2].upper: the last bin has upper: null (it takes every larger value)');
    expect(list).toContain('features[3].name: feature ip.country appears twice');
    expect(list).toContain('features[1].bins[1].values[0]: "CN" is already in bins[0]');
  });
});

describe('scorecard scoring', () => {
  const model = compileModel(parseModelFile(text(base()), 'model.json'));
  const score = (features: Record<string, unknown>, flags: string[] = []) => model.score(modelInput(features as never, new Set(flags)));

  it('adds coefficient × woe per bin to the intercept, calibrated, and levels by probability', () => {
    const s = score({ 'device.identities.24h': 5, 'ip.country': 'CN' }, ['IP_DATACENTER']);
    const logit = -3 + 3 + 0.5 * -0.2 + 2;
    expect(s.probability).toBeCloseTo(1 / (1 + Math.exp(-logit)), 12);
    expect(s.level).toBe('high');
    expect(s.score).toBe(Math.round(100 * s.probability));
    expect(s.version).toBe('test-1');
  });

  it('explains with the bins of most points either way: feature, bin, points, value', () => {
    const s = score({ 'device.identities.24h': 5, 'ip.country': 'CN' }, ['IP_DATACENTER']);
    expect(s.contributions.map((c) => [c.feature, c.bin, c.points, c.value])).toEqual([
      ['device.identities.24h', '> 3', 86.6, 5],
      ['flag.IP_DATACENTER', '> 0', 57.7, true],
      ['ip.country', 'CN', -2.9, 'CN'],
    ]);
  });

  it('gives the rules own score and flag count as features when the stage passes them', () => {
    const input = modelInput({ 'rules.score': 999 }, new Set(['X']), { score: 40, flags: 2 });
    expect([input('rules.score'), input('rules.flags'), input('flag.X'), input('flag.Y')]).toEqual([40, 2, true, false]);
    expect(modelInput({}, new Set())('rules.score')).toBeUndefined();
  });

  it('puts missing values in the missing bin, unseen categories in other, anything numeric-looking where it falls', () => {
    expect(model.bins(modelInput({}, new Set()))).toEqual([3, 1, 0]);
    expect(model.bins(modelInput({ 'device.identities.24h': null, 'ip.country': 'ZZ' }, new Set()))).toEqual([3, 2, 0]);
    expect(model.bins(modelInput({ 'device.identities.24h': '2', 'ip.country': '' }, new Set()))).toEqual([1, 1, 0]);
    expect(model.bins(modelInput({ 'device.identities.24h': Number.NaN, 'ip.country': true }, new Set()))).toEqual([3, 2, 0]);
    expect(model.bins(modelInput({ 'device.identities.24h': -1e300 }, new Set()))).toEqual([0, 1, 0]);
    expect(model.bins(modelInput({ 'device.identities.24h': 1e300 }, new Set()))).toEqual([2, 1, 0]);
    const low = score({ 'device.identities.24h': 0, 'ip.country': 'CN' });
    expect(low.level).toBe('low');
    expect(Number.isFinite(low.probability)).toBe(true);
  });
});
