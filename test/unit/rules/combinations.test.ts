import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/rules/engine.js';
import { KNOWN_FEATURES } from '../../../src/rules/features.js';
import { compileRuleSet, loadRuleSet } from '../../../src/rules/loader.js';

/** Three one-feature rules (A, B, C at 20 each; D at 10) and the combinations under test. */
function file(combinations: string[], extra = ''): string {
  const rule = (id: string, feature: string, weight = 20) =>
    `  - { id: ${id}, description: d, severity: medium, weight: ${weight}, when: 'f["${feature}"] == true', reason: r }`;
  return [
    'version: t',
    'rules:',
    rule('A', 'device.rooted'),
    rule('B', 'device.emulator'),
    rule('C', 'ip.datacenter'),
    rule('D', 'ip.vpn', 10),
    extra,
    'combinations:',
    ...combinations.map((c) => `  - ${c}`),
  ].join('\n');
}
const load = (combos: string[], extra = '') => loadRuleSet(file(combos, extra), { file: 't.yaml', knownFeatures: KNOWN_FEATURES });
const problems = (combos: string[], extra = '') => {
  const r = compileRuleSet(file(combos, extra), { file: 't.yaml', knownFeatures: KNOWN_FEATURES });
  return { problems: r.ok ? [] : r.problems.map((p) => p.message), warnings: r.warnings.map((p) => p.message) };
};
const FEATURES = { A: 'device.rooted', B: 'device.emulator', C: 'ip.datacenter', D: 'ip.vpn' } as const;
const on = (...ids: (keyof typeof FEATURES)[]) => Object.fromEntries(Object.entries(FEATURES).map(([id, f]) => [f, ids.includes(id as keyof typeof FEATURES)]));

describe('combinations', () => {
  const AB = '{ id: A_AND_B, description: d, severity: high, weight: 25, all: [A, B], reason: "together: {fired} ({count})" }';

  it('add their own flag and weight when every rule of all fired, with the contributing rules in the reason', () => {
    const rs = load([AB]);
    expect(evaluate(rs, on('A')).flags.map((f) => f.code)).toEqual(['A']);
    const both = evaluate(rs, on('A', 'B'));
    expect(both.flags.map((f) => f.code)).toEqual(['A', 'B', 'A_AND_B']);
    expect(both.flags[2]).toEqual({ code: 'A_AND_B', severity: 'high', weight: 25, reason: 'together: A,B (2)', evidence: { fired: 'A,B', count: 2 } });
    expect(both.score).toBe(65);
    expect(both.level).toBe('high');
  });

  it('read a list inside all as "one of these", and any with anyAtLeast as "at least n of these"', () => {
    const rs = load([
      '{ id: A_OR_B_WITH_C, description: d, severity: high, weight: 5, all: [[A, B], C], reason: "{fired}" }',
      '{ id: TWO_OF_THREE, description: d, severity: high, weight: 5, any: [A, B, D], anyAtLeast: 2, reason: "{fired}" }',
    ]);
    const codes = (...ids: (keyof typeof FEATURES)[]) => evaluate(rs, on(...ids)).flags.map((f) => f.code);
    expect(codes('A', 'C')).toEqual(['A', 'C', 'A_OR_B_WITH_C']);
    expect(codes('B', 'C')).toEqual(['B', 'C', 'A_OR_B_WITH_C']);
    expect(codes('A', 'B')).toEqual(['A', 'B', 'TWO_OF_THREE']);
    expect(codes('A', 'D')).toEqual(['A', 'D', 'TWO_OF_THREE']);
    expect(codes('C', 'D')).toEqual(['C', 'D']);
    expect(evaluate(rs, on('A', 'B', 'C')).flags.at(-2)?.reason).toBe('A,B,C');
  });

  it('never read other combinations, and never count a rule that did not fire', () => {
    expect(problems([AB, '{ id: META, description: d, severity: high, weight: 5, all: [A_AND_B, C], reason: r }']).problems).toEqual([
      'A_AND_B is not a rule of this file (combinations name rules, never other combinations)',
    ]);
  });

  it('are checked at load: unknown rules, ids taken by rules, duplicates, too few rules, bad placeholders', () => {
    const p = problems([
      '{ id: X1, description: d, severity: high, weight: 5, all: [A, NOPE], reason: r }',
      '{ id: A, description: d, severity: high, weight: 5, all: [A, B], reason: r }',
      '{ id: X2, description: d, severity: high, weight: 5, all: [A], reason: r }',
      '{ id: X3, description: d, severity: high, weight: 5, all: [A], any: [A, B], reason: r }',
      '{ id: X4, description: d, severity: high, weight: 5, all: [A, B], reason: "{device.rooted}" }',
      '{ id: X5, description: d, severity: high, weight: 5, any: [A, B], anyAtLeast: 3, reason: r }',
      '{ id: X6, description: d, severity: high, weight: 5, all: [A, B], reason: r }',
      '{ id: X6, description: d, severity: high, weight: 5, all: [A, C], reason: r }',
    ]).problems;
    expect(p).toEqual([
      'NOPE is not a rule of this file (combinations name rules, never other combinations)',
      "id A is already a rule's id",
      'combinations[2]: a combination needs at least two rules (in all and any together)',
      'A is in both all and any',
      '{device.rooted} in reason: a combination can name only {fired} (the rules that fired) and {count}',
      'combinations[5]: anyAtLeast cannot exceed the number of rules in any',
      'duplicate combination id',
    ]);
  });

  it('warn when they name a disabled rule, and can be disabled themselves', () => {
    const disabledRule = '  - { id: E, description: d, severity: medium, weight: 20, when: \'f["ip.tor"] == true\', reason: r, enabled: false }';
    expect(problems(['{ id: A_AND_E, description: d, severity: high, weight: 5, all: [A, E], reason: r }'], disabledRule)).toEqual({
      problems: [],
      warnings: ['rule E is disabled, so this combination never fires'],
    });
    expect(problems(['{ id: A_OR_E, description: d, severity: high, weight: 5, all: [[A, E], B], reason: r }'], disabledRule).warnings).toEqual([
      'rule E is disabled, so this combination counts it as not fired',
    ]);
    const rs = load(['{ id: OFF, description: d, severity: high, weight: 25, all: [A, B], reason: r, enabled: false }']);
    expect(rs.combinations).toEqual([]);
    expect(rs.disabled).toEqual(['OFF']);
    expect(evaluate(rs, on('A', 'B')).flags.map((f) => f.code)).toEqual(['A', 'B']);
  });

  it('change the rule set version, and are shed with their tags under load', () => {
    const tagged = '{ id: A_AND_B, description: d, severity: high, weight: 25, all: [A, B], reason: r, tags: [optional] }';
    expect(load([AB]).version).not.toBe(load([tagged]).version);
    expect(loadRuleSet(file([]).replace(/combinations:\n?$/, ''), { file: 't.yaml', knownFeatures: KNOWN_FEATURES }).combinations).toEqual([]);
    const rs = load([tagged]);
    expect(evaluate(rs, on('A', 'B'), { skipTags: ['optional'] }).flags.map((f) => f.code)).toEqual(['A', 'B']);
  });
});
