import { describe, expect, it } from 'vitest';
import type { Assessment, Level } from '../../../src/domain/assessment.js';
import { f1, MAX_TAG_LENGTH, MAX_TAGS, parseTruth, ratio, SummaryAccumulator, type Truth, type TruthLabel } from '../../../src/replay/summary.js';

type A = Pick<Assessment, 'level' | 'flags' | 'rulesVersion'>;
const flag = (code: string): Assessment['flags'][number] => ({ code, severity: 'high', weight: 10, reason: code, evidence: {} });
const a = (level: Level, ...codes: string[]): A => ({ level, flags: codes.map(flag), rulesVersion: 'v1+abc' });
const t = (fraud: boolean, pattern = fraud ? 'farm' : 'clean', ringId?: string): TruthLabel => {
  const truth: Truth = { fraud, pattern };
  if (ringId) truth.ringId = ringId;
  return { kind: 'valid', truth };
};

describe('ratio and f1', () => {
  it('never divides by zero', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(0, 4)).toBe(0);
    expect(ratio(1, 4)).toBe(0.25);
  });
  it('f1 is null when precision or recall is unknown or both are zero', () => {
    expect(f1(null, 1)).toBeNull();
    expect(f1(1, null)).toBeNull();
    expect(f1(0, 0)).toBeNull();
    expect(f1(1, 1)).toBe(1);
    expect(f1(0.5, 1)).toBeCloseTo(2 / 3);
  });
});

describe('parseTruth', () => {
  it('accepts the documented shape and rejects the rest', () => {
    expect(parseTruth(undefined)).toEqual({ kind: 'none' });
    expect(parseTruth({ fraud: true, pattern: 'farm', ringId: 'r1' })).toEqual({ kind: 'valid', truth: { fraud: true, pattern: 'farm', ringId: 'r1' } });
    expect(parseTruth({ fraud: false, pattern: 'clean', extra: 1 })).toEqual({ kind: 'valid', truth: { fraud: false, pattern: 'clean' } });
    expect(parseTruth(null).kind).toBe('invalid');
    expect(parseTruth([]).kind).toBe('invalid');
    expect(parseTruth({ fraud: 'yes', pattern: 'x' })).toEqual({ kind: 'invalid', reason: '_truth.fraud is not a boolean' });
    expect(parseTruth({ fraud: true })).toMatchObject({ kind: 'invalid' });
    expect(parseTruth({ fraud: true, pattern: '' })).toMatchObject({ kind: 'invalid' });
    expect(parseTruth({ fraud: true, pattern: 'p', ringId: 7 })).toMatchObject({ kind: 'invalid' });
  });
});

describe('parseTruth: tags', () => {
  const valid = (tags: unknown): TruthLabel => parseTruth({ fraud: false, pattern: 'legit', tags });

  it('keeps distinct, non-empty tags of at most MAX_TAG_LENGTH characters, the first MAX_TAGS', () => {
    expect(valid(['family', 'cgnat', 'family'])).toEqual({ kind: 'valid', truth: { fraud: false, pattern: 'legit', tags: ['family', 'cgnat'] } });
    expect(valid(['', 'x'.repeat(MAX_TAG_LENGTH + 1), 'x'.repeat(MAX_TAG_LENGTH)])).toEqual({
      kind: 'valid',
      truth: { fraud: false, pattern: 'legit', tags: ['x'.repeat(MAX_TAG_LENGTH)] },
    });
    const many = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const label = valid(many);
    expect(label.kind === 'valid' && label.truth.tags).toEqual(many.slice(0, MAX_TAGS));
    // No usable tag, or an empty list: no tags property, and nothing malformed.
    expect(valid([])).toEqual({ kind: 'valid', truth: { fraud: false, pattern: 'legit' } });
    expect(valid([''])).toEqual({ kind: 'valid', truth: { fraud: false, pattern: 'legit' } });
  });

  it('malformed tags cost the tags, not the label', () => {
    for (const tags of ['family', 3, null, { family: true }, ['family', 7], [['family']]]) {
      expect(valid(tags), JSON.stringify(tags)).toEqual({ kind: 'valid', truth: { fraud: false, pattern: 'legit' }, malformedTags: true });
    }
    expect(parseTruth({ fraud: 'no', pattern: 'legit', tags: ['family'] }).kind).toBe('invalid');
  });
});

describe('SummaryAccumulator', () => {
  it('counts records, levels, alerts, dead letters and rule fires (with share), rules that never fired included', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high', ruleIds: ['A', 'B', 'Z'] });
    acc.assessment(a('low'));
    acc.assessment(a('medium', 'A'));
    acc.assessment(a('high', 'A', 'B'));
    acc.assessment(a('critical', 'A', 'A')); // a rule counts once per assessment
    acc.deadLetter('INVALID_JSON');
    acc.deadLetter('INVALID_JSON');
    acc.deadLetter('SCHEMA_VIOLATION');
    acc.blankLine();
    const s = acc.summary(2000);
    expect(s.records).toEqual({ read: 7, assessed: 4, deadLettered: 3, blankLines: 1 });
    expect(s.deadLettered).toEqual([
      { code: 'INVALID_JSON', count: 2 },
      { code: 'SCHEMA_VIOLATION', count: 1 },
    ]);
    expect(s.levels).toEqual({ low: 1, medium: 1, high: 1, critical: 1 });
    expect(s.alerts).toBe(2);
    expect(s.rules.map((r) => [r.rule, r.fires, r.share])).toEqual([
      ['A', 3, 0.75],
      ['B', 1, 0.25],
      ['Z', 0, 0],
    ]);
    expect(s.rulesVersions).toEqual(['v1+abc']);
    expect(s.truth).toBeNull();
    expect(s.recordsPerSecond).toBe(3.5);
  });

  it('computes precision, recall, F1, false-positive rate and the confusion matrix over labelled records only', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high' });
    acc.assessment(a('critical', 'FARM'), t(true, 'farm', 'r1')); // TP
    acc.assessment(a('high', 'FARM'), t(true, 'farm', 'r1')); // TP
    acc.assessment(a('medium', 'FARM'), t(true, 'farm', 'r2')); // FN (fired, but below the alert level)
    acc.assessment(a('low'), t(true, 'emulator')); // FN
    acc.assessment(a('high', 'IP'), t(false)); // FP
    acc.assessment(a('low', 'IP'), t(false)); // TN, rule FP
    acc.assessment(a('low'), t(false)); // TN
    acc.assessment(a('critical', 'FARM')); // unlabelled: counted in fires, not in TP/FP
    acc.assessment(a('critical', 'FARM'), { kind: 'invalid', reason: 'x' }); // malformed label: unlabelled
    acc.deadLetter('INVALID_IP', true);
    const s = acc.summary(1);
    const truth = s.truth;
    expect(truth).not.toBeNull();
    if (!truth) return;
    expect(truth).toMatchObject({ labelled: 7, unlabelled: 2, invalidLabels: 1, labelledDeadLettered: 1, fraud: 4, legit: 3 });
    expect(truth.confusion).toEqual({ tp: 2, fp: 1, fn: 2, tn: 2 });
    expect(truth.precision).toBeCloseTo(2 / 3);
    expect(truth.recall).toBe(0.5);
    expect(truth.f1).toBeCloseTo((2 * (2 / 3) * 0.5) / (2 / 3 + 0.5));
    expect(truth.falsePositiveRate).toBeCloseTo(1 / 3);
    expect(truth.levels).toEqual({
      low: { fraud: 1, legit: 2 },
      medium: { fraud: 1, legit: 0 },
      high: { fraud: 1, legit: 1 },
      critical: { fraud: 1, legit: 0 },
    });

    const farm = s.rules.find((r) => r.rule === 'FARM');
    expect(farm).toMatchObject({ fires: 5, truePositives: 3, falsePositives: 0, precision: 1, recall: 0.75 });
    const ip = s.rules.find((r) => r.rule === 'IP');
    expect(ip).toMatchObject({ fires: 2, truePositives: 0, falsePositives: 2, precision: 0, recall: 0 });

    expect(truth.patterns).toEqual([
      // most records first, ties by name
      { pattern: 'clean', records: 3, fraud: 0, caught: 1, catchRate: 1 / 3, caughtLater: 0, rings: 0, ringsCaught: 0, caughtBy: [{ rule: 'IP', count: 1 }] },
      { pattern: 'farm', records: 3, fraud: 3, caught: 2, catchRate: 2 / 3, caughtLater: 0, rings: 2, ringsCaught: 1, caughtBy: [{ rule: 'FARM', count: 2 }] },
      { pattern: 'emulator', records: 1, fraud: 1, caught: 0, catchRate: 0, caughtLater: 0, rings: 0, ringsCaught: 0, caughtBy: [] },
    ]);
  });

  it('no fraud in the labels: recall and F1 are unknown, not 0 or NaN', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high', ruleIds: ['R'] });
    acc.assessment(a('high', 'R'), t(false));
    acc.assessment(a('low'), t(false));
    const s = acc.summary(10);
    expect(s.truth).toMatchObject({ fraud: 0, legit: 2, precision: 0, recall: null, f1: null, falsePositiveRate: 0.5 });
    expect(s.rules[0]).toMatchObject({ rule: 'R', truePositives: 0, falsePositives: 1, precision: 0, recall: null });
  });

  it('no fires and no alerts: precision is unknown, recall is 0', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high', ruleIds: ['R'] });
    acc.assessment(a('low'), t(true));
    acc.assessment(a('low'), t(false));
    const s = acc.summary(10);
    expect(s.truth).toMatchObject({ precision: null, recall: 0, f1: null, falsePositiveRate: 0, confusion: { tp: 0, fp: 0, fn: 1, tn: 1 } });
    expect(s.rules[0]).toMatchObject({ fires: 0, share: 0, precision: null, recall: 0 });
  });

  it('only legitimate records that are never alerted: every ratio is defined or null, never NaN', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'critical' });
    acc.assessment(a('high', 'R'), t(false)); // high is below the alert level critical
    const s = acc.summary(0);
    expect(s.alerts).toBe(0);
    expect(s.truth).toMatchObject({ precision: null, recall: null, f1: null, falsePositiveRate: 0 });
    expect(s.recordsPerSecond).toBeNull();
    expect(JSON.stringify(s)).not.toMatch(/NaN|Infinity/);
  });

  it('an empty replay gives zero counts and null ratios', () => {
    const s = new SummaryAccumulator({ alertLevel: 'high' }).summary(5);
    expect(s.records).toEqual({ read: 0, assessed: 0, deadLettered: 0, blankLines: 0 });
    expect(s.rules).toEqual([]);
    expect(s.truth).toBeNull();
    expect(s.recordsPerSecond).toBe(0);
  });

  it('counts records, fraud, catches and the rules that caught them per tag (a record in several tags counts in each)', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high' });
    const tagged = (fraud: boolean, ...tags: string[]): TruthLabel => ({ kind: 'valid', truth: { fraud, pattern: fraud ? 'multi-lender' : 'legit', tags } });
    acc.assessment(a('high', 'IP_MANY'), tagged(false, 'cgnat', 'family')); // false alarm in two cohorts
    acc.assessment(a('critical', 'IP_MANY', 'DEVICE'), tagged(false, 'cgnat'));
    acc.assessment(a('medium', 'IP_MANY'), tagged(false, 'cgnat')); // fired, not caught
    acc.assessment(a('low'), tagged(false, 'family'));
    acc.assessment(a('critical', 'PARTNERS'), tagged(true, 'probe'));
    acc.assessment(a('low'), t(false)); // no tags
    acc.assessment(a('low'), { kind: 'valid', truth: { fraud: false, pattern: 'legit' }, malformedTags: true });
    acc.assessment(a('critical', 'IP_MANY'), { kind: 'invalid', reason: 'x' }); // unlabelled: in no tag
    const truth = acc.summary(1).truth;
    expect(truth?.malformedTags).toBe(1);
    expect(truth?.tags).toEqual([
      {
        tag: 'cgnat',
        records: 3,
        fraud: 0,
        caught: 2,
        catchRate: 2 / 3,
        caughtLater: 0,
        caughtBy: [
          { rule: 'IP_MANY', count: 2 },
          { rule: 'DEVICE', count: 1 },
        ],
      },
      { tag: 'family', records: 2, fraud: 0, caught: 1, catchRate: 0.5, caughtLater: 0, caughtBy: [{ rule: 'IP_MANY', count: 1 }] },
      { tag: 'probe', records: 1, fraud: 1, caught: 1, catchRate: 1, caughtLater: 0, caughtBy: [{ rule: 'PARTNERS', count: 1 }] },
    ]);
    // Patterns are counted as before, whatever the tags.
    expect(truth?.patterns.map((p) => [p.pattern, p.records, p.caught])).toEqual([
      ['legit', 5, 2],
      ['clean', 1, 0],
      ['multi-lender', 1, 1],
    ]);
  });

  it('no tags in the labels: an empty tags list', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high' });
    acc.assessment(a('low'), t(false));
    expect(acc.summary(1).truth).toMatchObject({ tags: [], malformedTags: 0 });
  });

  it('respects the alert level when deciding what is caught', () => {
    const label = t(true);
    const low = new SummaryAccumulator({ alertLevel: 'medium' });
    const high = new SummaryAccumulator({ alertLevel: 'critical' });
    for (const acc of [low, high]) acc.assessment(a('medium', 'R'), label);
    expect(low.summary(1).truth?.recall).toBe(1);
    expect(high.summary(1).truth?.recall).toBe(0);
  });
});
