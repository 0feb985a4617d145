import { describe, expect, it } from 'vitest';
import type { Assessment, Level } from '../../../src/domain/assessment.js';
import { CompareAccumulator, renderCompare } from '../../../src/replay/compare.js';

const a = (level: Level, alert: boolean, shadow: { level: Level; alert: boolean; p: number }): Assessment =>
  ({
    rulesVersion: 'r1',
    level,
    alert,
    score: alert ? 80 : 10,
    shadow: { rulesVersion: 'r1', modelVersion: 'm2', score: Math.round(shadow.p * 100), level: shadow.level, alert: shadow.alert, probability: shadow.p },
  }) as Assessment;
const truth = (fraud: boolean, pattern = fraud ? 'bot' : 'legit') => ({ kind: 'valid' as const, truth: { fraud, pattern } });

describe('replay --compare', () => {
  it('counts level changes, alerts gained and lost, and precision and recall of each side', () => {
    const c = new CompareAccumulator();
    c.assessment(a('high', true, { level: 'high', alert: true, p: 0.9 }), truth(true));
    c.assessment(a('low', false, { level: 'high', alert: true, p: 0.7 }), truth(true));
    c.assessment(a('high', true, { level: 'low', alert: false, p: 0.1 }), truth(false));
    c.assessment(a('low', false, { level: 'low', alert: false, p: 0.05 }), undefined);
    c.assessment({ ...a('low', false, { level: 'low', alert: false, p: 0 }), shadow: undefined }, truth(false));
    const s = c.summary();
    expect(s).toMatchObject({ assessments: 4, changedLevel: 2, becameAlerts: 1, stoppedAlerts: 1 });
    expect(s?.levels.low.high).toBe(1);
    expect(s?.active).toMatchObject({ alerts: 2, tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5 });
    expect(s?.candidate).toMatchObject({ modelVersion: 'm2', alerts: 2, tp: 2, fp: 0, fn: 0, precision: 1, recall: 1, auc: 1 });
    expect(s?.patterns).toEqual([{ pattern: 'bot', fraud: 2, active: 1, candidate: 2 }]);
    expect(renderCompare(s as never)).toMatch(/low→high 1, high→low 1/);
    expect(new CompareAccumulator().summary()).toBeUndefined();
  });
});
