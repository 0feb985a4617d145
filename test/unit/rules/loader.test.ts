import { describe, expect, it } from 'vitest';
import { KNOWN_FEATURES } from '../../../src/rules/features.js';
import { compileRuleSet, loadRuleSet, RuleSetError } from '../../../src/rules/loader.js';
import { formatProblem } from '../../../src/rules/problems.js';

const load = (text: string) => compileRuleSet(text, { file: 'r.yaml', knownFeatures: KNOWN_FEATURES });
const problems = (text: string): string[] => {
  const r = load(text);
  return r.ok ? [] : r.problems.map(formatProblem);
};

/** A valid rule as YAML lines (indented for the rules list); override fields by key. */
function rule(fields: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    id: 'DEVICE_VELOCITY',
    description: 'Many applications from one device.',
    severity: 'medium',
    weight: '20',
    params: '{ limit: 5 }',
    when: 'f["device.apps.1h"] > params.limit',
    evidence: '[device.apps.1h, device.masked]',
    reason: '"device {device.masked} sent {device.apps.1h} applications in 1h (limit {limit})"',
    ...fields,
  };
  return Object.entries(base)
    .filter(([, v]) => v !== '')
    .map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`)
    .join('\n');
}
const file = (...rules: string[]): string => `version: "t1"\nrules:\n${rules.join('\n')}\n`;

describe('loadRuleSet: a valid file', () => {
  it('compiles, with a version made of the label and a content hash', () => {
    const rs = loadRuleSet(file(rule()), { file: 'r.yaml', knownFeatures: KNOWN_FEATURES });
    expect(rs.version).toMatch(/^t1\+[0-9a-f]{8}$/);
    expect(rs.rules.map((r) => r.id)).toEqual(['DEVICE_VELOCITY']);
    expect(rs.rules[0]).toMatchObject({ reads: ['device.apps.1h'], requires: ['device.apps.1h'], line: 3, tags: [] });
    expect(rs.scoring).toEqual({ thresholds: { medium: 30, high: 60, critical: 80 }, aggregation: 'sum' });
  });

  it('keeps the version across comment and whitespace edits, changes it with any rule change', () => {
    const v = (text: string) => loadRuleSet(text, { knownFeatures: KNOWN_FEATURES }).version;
    const base = file(rule());
    expect(v(`# a comment\n${base}\n\n`)).toBe(v(base));
    expect(v(file(rule({ weight: '21' })))).not.toBe(v(base));
    expect(v(file(rule({ params: '{ limit: 6 }' })))).not.toBe(v(base));
  });

  it('keeps disabled rules out of evaluation but still validates them', () => {
    const r = load(file(rule({ enabled: 'false' })));
    expect(r.ok && r.ruleSet.rules).toEqual([]);
    expect(r.ok && r.ruleSet.disabled).toEqual(['DEVICE_VELOCITY']);
    expect(problems(file(rule({ enabled: 'false', when: 'f["nope"] > 1' })))).toHaveLength(1);
  });

  it('accepts a catalogue given as a list', () => {
    expect(compileRuleSet(file(rule()), { knownFeatures: ['device.apps.1h', 'device.masked'] }).ok).toBe(true);
  });
});

describe('loadRuleSet: problems point at the line', () => {
  it('reports YAML syntax errors with line:col', () => {
    expect(problems('version: x\nrules:\n  - id: A\n    when: [unclosed\n')).toEqual([
      'r.yaml:5:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(problems('version: x\nversion: y\nrules: []\n')).toEqual(['r.yaml:2:1: YAML: Map keys must be unique']);
  });

  it('explains an empty file or a wrong top level', () => {
    expect(problems('')).toEqual(['r.yaml: expected a map with version, scoring and rules (see docs/rules.md)']);
    expect(problems('version: x\nrulez: []\n')).toEqual(['r.yaml:1:1: missing required key "rules"', 'r.yaml:2:1: unknown key "rulez"']);
  });

  it('maps schema errors to the offending node, all at once, across scoring and rules', () => {
    const text = [
      'version: x',
      'scoring:',
      '  thresholds: { medium: 60, high: 30, critical: 80 }',
      '  aggregation: avg',
      'rules:',
      rule({ id: 'lower_case', severity: 'urgent', weight: '140' }),
      '    wieght: 3',
      rule({ id: 'NO_WHEN', when: '' }),
    ].join('\n');
    expect(problems(text)).toEqual([
      'r.yaml:3:15: scoring.thresholds: thresholds must rise: medium < high < critical',
      'r.yaml:4:16: scoring.aggregation: aggregation must be one of sum, max, noisy-or',
      'r.yaml:6:9: rule lower_case: rules[0].id: id must be UPPER_SNAKE_CASE, e.g. DEVICE_MANY_IDENTITIES',
      'r.yaml:8:15: rule lower_case: rules[0].severity: severity must be one of info, low, medium, high, critical',
      'r.yaml:9:13: rule lower_case: rules[0].weight: weight must be at most 100',
      'r.yaml:14:5: rule lower_case: rules[0]: unknown key "wieght"',
      'r.yaml:15:5: rule NO_WHEN: missing required key "when"',
    ]);
  });

  it('reports CEL syntax and type errors with the rule id and the position inside the expression', () => {
    expect(problems(file(rule({ when: 'f["device.apps.1h"] >' })))).toEqual(['r.yaml:8:32: rule DEVICE_VELOCITY: CEL syntax error: Unexpected token: EOF']);
    expect(problems(file(rule({ when: 'features["device.apps.1h"] > 1' })))).toEqual([
      'r.yaml:8:11: rule DEVICE_VELOCITY: CEL type error: Unknown variable: features',
    ]);
    // In a `|` block the line inside the block counts.
    expect(problems(file(rule({ when: '|-\n      f["device.apps.1h"] > 1 &&\n        f["device.masked"] > '.replace(/\n$/, '') })))).toEqual([
      'r.yaml:10:1: rule DEVICE_VELOCITY: CEL syntax error: Unexpected token: EOF',
    ]);
  });

  it('rejects conditions that are not bool', () => {
    expect(problems(file(rule({ when: 'f["app.product"] + "x"' })))).toEqual([
      'r.yaml:8:11: rule DEVICE_VELOCITY: when must be a condition (bool) but this expression gives string',
    ]);
  });

  it('rejects unknown feature names in when, evidence and reason, suggesting the closest', () => {
    const text = file(
      rule({
        when: 'f["device.identites.1h"] > params.limt',
        evidence: '[device.mask]',
        reason: '"{device.identities.1h} {limitt}"',
      }),
    );
    expect(problems(text)).toEqual([
      'r.yaml:8:11: rule DEVICE_VELOCITY: unknown feature "device.identites.1h" (did you mean "device.identities.1h"?)',
      "r.yaml:8:38: rule DEVICE_VELOCITY: params.limt is not declared in this rule's params",
      'r.yaml:9:16: rule DEVICE_VELOCITY: unknown feature "device.mask" (did you mean "device.masked"?) (evidence names features or this rule\'s params)',
      'r.yaml:10:13: rule DEVICE_VELOCITY: {limitt} in reason is neither a known feature nor a param of this rule',
    ]);
  });

  it('rejects feature access that cannot be checked against the catalogue', () => {
    expect(problems(file(rule({ when: 'has(f.device) || f[string(1)] == 1' })))).toEqual([
      'r.yaml:8:15: rule DEVICE_VELOCITY: features have dotted names: write f["device…"], and "name" in f instead of has(f.name)',
      'r.yaml:8:28: rule DEVICE_VELOCITY: read features with a literal name: f["device.apps.1h"]',
    ]);
  });

  it('reports duplicate ids at the second one, naming the first line', () => {
    expect(problems(file(rule(), rule()))).toEqual([
      'r.yaml:11:9: rule DEVICE_VELOCITY: duplicate id (first defined on line 3); ids must be unique and stable',
    ]);
  });

  it('warns about params nothing uses, without failing', () => {
    const r = load(file(rule({ params: '{ limit: 5, spare: 1 }' })));
    expect(r.ok).toBe(true);
    expect(r.warnings.map(formatProblem)).toEqual(['r.yaml:7:32: rule DEVICE_VELOCITY: param spare is not used in when, reason or evidence']);
  });

  it('throws one RuleSetError listing every problem from loadRuleSet', () => {
    const text = file(rule({ weight: '-1' }), rule({ id: 'OTHER', when: 'f["x"] > 1' }));
    expect(() => loadRuleSet(text, { file: 'r.yaml', knownFeatures: KNOWN_FEATURES })).toThrow(RuleSetError);
    try {
      loadRuleSet(text, { file: 'r.yaml', knownFeatures: KNOWN_FEATURES });
    } catch (err) {
      expect((err as RuleSetError).problems).toHaveLength(2);
      expect((err as Error).message).toContain('2 problem(s) in the rule file');
      expect((err as Error).message).toContain('r.yaml:6:13: rule DEVICE_VELOCITY: rules[0].weight: weight must be at least 0');
    }
  });
});
