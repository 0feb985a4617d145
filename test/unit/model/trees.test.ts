import { describe, expect, it } from 'vitest';
import { ModelFileError, modelWarnings, parseModelFile, type ModelFileInput } from '../../../src/model/file.js';
import { compileModel, modelInput } from '../../../src/model/scorecard.js';
import { boost, DEFAULT_BOOST } from '../../../src/model/train/boost.js';
import { auc } from '../../../src/model/train/metrics.js';
import { trainScorecard, type TrainingRow } from '../../../src/model/train/train.js';
import { prng } from '../../helpers/prng.js';

const bin = (label: string, upper: number | null, woe = 0) => ({ label, upper, woe, points: Math.round(10 * (20 / Math.LN2) * woe) / 10, share: 0.5 });

/** Two flags, no scorecard weight at all, and one tree: fraud only when both fire (an interaction). */
const file = (): ModelFileInput => ({
  format: 'lendguard.model.v1',
  kind: 'scorecard',
  version: 'boosted-1',
  createdAt: '2026-12-03T00:00:00Z',
  intercept: -2,
  thresholds: { medium: 0.1, high: 0.5, critical: 0.9 },
  features: ['flag.A', 'flag.B'].map((name) => ({
    name,
    kind: 'numeric' as const,
    coefficient: 0,
    missing: { label: 'missing', woe: 0, points: 0, share: 0 },
    bins: [bin('≤ 0', 0), bin('> 0', null)],
  })),
  boost: {
    learningRate: 1,
    trees: [
      {
        nodes: [
          { value: 0.1, split: { feature: 'flag.A', left: [1], yes: 1, no: 4 } },
          { value: 0.5, split: { feature: 'flag.B', left: [1], yes: 2, no: 3 } },
          { value: 5 },
          { value: -1 },
          { value: -0.5 },
        ],
      },
    ],
  },
});

const problems = (m: unknown): string[] => {
  try {
    parseModelFile(JSON.stringify(m), 'model.json');
    return [];
  } catch (err) {
    return (err as ModelFileError).problems as string[];
  }
};

describe('boosted trees in the model file', () => {
  it('adds the leaf to the logit: only both flags together are an alert', () => {
    const m = compileModel(parseModelFile(JSON.stringify(file()), 'model.json'));
    const p = (flags: string[]) => m.score(modelInput({}, new Set(flags))).probability;
    expect(p(['A', 'B'])).toBeCloseTo(1 / (1 + Math.exp(-(-2 + 5))), 12);
    expect(p(['A'])).toBeCloseTo(1 / (1 + Math.exp(-(-2 - 1))), 12);
    expect(p(['B'])).toBeCloseTo(1 / (1 + Math.exp(-(-2 - 0.5))), 12);
    expect(m.score(modelInput({}, new Set(['A', 'B']))).level).toBe('critical');
  });

  it('explains the trees per feature: each split is the change of node value, so the shares add up to the sum', () => {
    const m = compileModel(parseModelFile(JSON.stringify(file()), 'model.json'));
    const s = m.score(modelInput({}, new Set(['A', 'B'])));
    const factor = 20 / Math.LN2;
    // root 0.1 → A's split 0.5 (+0.4) → B's split 5 (+4.5): B explains most, then A; the root's 0.1 is the base.
    expect(s.contributions.map((c) => [c.feature, c.bin, c.points])).toEqual([
      ['flag.B', '> 0', Math.round(10 * factor * 4.5) / 10],
      ['flag.A', '> 0', Math.round(10 * factor * 0.4) / 10],
    ]);
    expect(s.contributions[0]?.value).toBe(true);
  });

  it('refuses a split on a feature the file lacks, a bin that does not exist, a child that is not later', () => {
    const bad = file();
    const nodes = bad.boost?.trees[0]?.nodes as { value: number; split?: { feature: string; left: number[]; yes: number; no: number } }[];
    (nodes[0]?.split as { feature: string }).feature = 'flag.C';
    (nodes[1]?.split as { left: number[] }).left = [5];
    (nodes[1]?.split as { no: number }).no = 1;
    const found = problems(bad);
    expect(found).toContain('boost.trees[0].nodes[0].split.feature: flag.C is not a feature of this file');
    expect(found).toContain('boost.trees[0].nodes[1].split.left: flag.B has bin indices 0–2 (its bins, then missing)');
    expect(found).toContain('boost.trees[0].nodes[1].split.no: must be a later node of this tree (2–4)');
  });

  it('refuses values so large that the logit could overflow (every application would score NaN, that is low)', () => {
    const huge = file();
    (huge.boost as { trees: { nodes: { value: number }[] }[] }).trees[0]!.nodes[2]!.value = 1e308;
    expect(problems(huge)).toContain('boost.trees[0].nodes[2].value: must be between -100 and 100');
    const coefficient = file();
    coefficient.features[0]!.coefficient = -1e308;
    expect(problems(coefficient)).toContain('features[0].coefficient: must be between -100 and 100');
    const woeBig = file();
    (woeBig.features[1]!.bins[0] as { woe: number }).woe = 1e6;
    expect(problems(woeBig)).toContain('features[1].bins[0].woe: must be between -50 and 50');
  });

  it('warns of a bin no training row fell in whose WoE is a guess (files trained before 2026-12-04)', () => {
    expect(modelWarnings(parseModelFile(JSON.stringify(file()), 'model.json'))).toEqual([]); // share 0, WoE 0
    const old = file();
    old.features[1]!.missing = { label: 'missing', woe: 2.94, points: 17, share: 0 };
    expect(modelWarnings(parseModelFile(JSON.stringify(old), 'model.json'))).toEqual([
      'flag.B: its missing bin had no training rows but has WoE 2.94; a missing value is scored by that guess (retrain with lendguard train to make it 0)',
    ]);
  });

  it('refuses a file whose trees would compile to more than 200,000 nodes', () => {
    const big = file();
    const leaves = Array.from({ length: 511 }, () => ({ value: 0 }));
    (big.boost as { trees: unknown[] }).trees = Array.from({ length: 400 }, () => ({ nodes: leaves }));
    expect(problems(big)).toContain('boost.trees: at most 200,000 nodes in all (train writes a few thousand)');
  });
});

/**
 * Fraud is an interaction (x high or y high, not both), which an additive model cannot express; the two off cells
 * differ, so each feature alone still carries some information (train keeps features by information value).
 */
function xorHistory(n: number, seed: string): TrainingRow[] {
  const rand = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = Math.floor(rand() * 4);
    const y = Math.floor(rand() * 4);
    const fraud = rand() < (x >= 2 === y >= 2 ? 0.02 : x >= 2 ? 0.6 : 0.35);
    return { atMs: i * 60_000, fraud, pattern: fraud ? 'xor' : 'legit', rulesScore: 0, values: { x, y }, flags: [] };
  });
}

describe('boosting', () => {
  it('learns an interaction the scorecard cannot, stops on the validation loss, and keeps only the trees up to the best', () => {
    const rand = prng('boost');
    const n = 3000;
    const make = (rows: number) => {
      const bins = new Uint8Array(rows * 2);
      const y = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) {
        bins[2 * i] = Math.floor(rand() * 4);
        bins[2 * i + 1] = Math.floor(rand() * 4);
        // the interaction, with one label in ten flipped: the validation loss has a floor, so boosting stops
        y[i] = ((bins[2 * i] as number) >= 2 !== (bins[2 * i + 1] as number) >= 2) !== rand() < 0.1 ? 1 : 0;
      }
      return { bins, y, base: new Float64Array(rows) };
    };
    const features = [
      { name: 'x', numeric: true, width: 5 },
      { name: 'y', numeric: true, width: 5 },
    ];
    const seen: number[] = [];
    const out = boost(make(n), make(1000), features, {
      ...DEFAULT_BOOST,
      maxTrees: 400,
      depth: 2,
      learningRate: 0.3,
      patience: 10,
      onTree: (t) => seen.push(t),
    });
    expect(out.validLoss.after).toBeLessThan(0.4); // the flips' entropy is 0.325
    expect(out.validLoss.before).toBeCloseTo(Math.LN2, 6);
    expect(seen.length).toBeLessThan(400); // stopped early
    expect(out.trees.length).toBeLessThanOrEqual(seen.length - 10);
    // the ordered cut in the middle (bins 0–1 against 2–3 and missing) is what the trees found
    expect(out.trees.some((t) => t.nodes.some((nd) => nd.split?.left.join() === '0,1'))).toBe(true);
  });

  it('stops before the trees could pass the 200,000 nodes of a model file, whatever --trees and --depth say', () => {
    const rand = prng('budget');
    const F = 8;
    const rows = 1500;
    const data = {
      bins: Uint8Array.from({ length: rows * F }, () => Math.floor(rand() * 4)),
      y: Uint8Array.from({ length: rows }, () => (rand() < 0.3 ? 1 : 0)),
      base: new Float64Array(rows),
    };
    const features = Array.from({ length: F }, (_, i) => ({ name: `x${i}`, numeric: true, width: 5 }));
    // Validated on its own rows, so every tree improves the loss and is kept: only the node budget stops it.
    const out = boost(data, data, features, { ...DEFAULT_BOOST, maxTrees: 1000, depth: 8, minRows: 1, patience: 10_000 });
    const nodes = out.trees.reduce((n, t) => n + t.nodes.length, 0);
    expect(out.trees.length).toBeLessThan(1000);
    expect(nodes).toBeLessThanOrEqual(200_000);
    expect(nodes + 511).toBeGreaterThan(200_000 - 511 * 2); // stopped at the budget, not long before it
  });

  it('scores a value training never saw (a feature always present, now missing) like the common case, not as fraud', () => {
    const rand = prng('unseen');
    const rows: TrainingRow[] = Array.from({ length: 6000 }, (_, i) => {
      const n = Math.floor(rand() * 10);
      const fraud = rand() < (n >= 8 ? 0.5 : 0.02);
      return { atMs: i * 60_000, fraud, pattern: fraud ? 'high-n' : 'legit', rulesScore: 0, values: { n }, flags: [] };
    });
    const model = compileModel(parseModelFile(JSON.stringify(trainScorecard(rows, { nowMs: 0 })), 'model.json'));
    const p = (n: number | null) => model.score(modelInput({ n }, new Set())).probability;
    // Unknown is average risk (the base rate is 0.12), where the smoothing alone made it fraud-like (about 0.35).
    expect(p(null)).toBeLessThan(0.2);
    expect(p(null)).toBeLessThan(p(9) / 4);
    expect(p(null)).toBeGreaterThan(p(3));
  });

  it('train writes the trees into the file: it validates, and the trees lift the held-out AUC over the scorecard alone', () => {
    const rows = xorHistory(8000, 'xor');
    const alone = trainScorecard(rows, { boost: { maxTrees: 0 }, nowMs: 0 });
    const boosted = trainScorecard(rows, { nowMs: 0 });
    expect(alone.boost).toBeUndefined();
    const parsed = parseModelFile(JSON.stringify(boosted), 'model.json');
    expect(parsed.boost?.trees.length).toBeGreaterThan(0);
    const t = parsed.training as { auc: { model: number }; boost: { trees: number; depth: number } };
    expect(t.boost.trees).toBe(parsed.boost?.trees.length);
    expect(t.boost.depth).toBe(3);
    const test = xorHistory(3000, 'xor-test');
    const aucOf = (m: ReturnType<typeof compileModel>) =>
      auc(test.map((r) => ({ score: m.score(modelInput(r.values, new Set())).probability, fraud: r.fraud })));
    expect(aucOf(compileModel(parsed))).toBeGreaterThan(aucOf(compileModel(alone)) + 0.1);
    expect(aucOf(compileModel(parsed))).toBeGreaterThan(0.8);
  });
});
