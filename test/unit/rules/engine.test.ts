import { describe, expect, it } from 'vitest';
import { evaluate, evaluateRule } from '../../../src/rules/engine.js';
import { KNOWN_FEATURES } from '../../../src/rules/features.js';
import { loadRuleSet, type RuleSet } from '../../../src/rules/loader.js';
import type { Features } from '../../../src/rules/rule.js';

/** Builds a rule set from compact rule objects (YAML flow style keeps the tests short). */
function ruleSet(rules: Record<string, unknown>[], scoring = ''): RuleSet {
  const text = [
    'version: t',
    scoring,
    'rules:',
    ...rules.map((r) => `  - ${JSON.stringify({ description: 'test rule', severity: 'medium', weight: 20, reason: 'fired', ...r })}`),
  ].join('\n');
  return loadRuleSet(text, { file: 't.yaml', knownFeatures: KNOWN_FEATURES });
}
const codes = (rs: RuleSet, f: Features, skipTags?: string[]): string[] => evaluate(rs, f, { skipTags }).flags.map((x) => x.code);

const farm = ruleSet([
  {
    id: 'DEVICE_MANY_IDENTITIES',
    severity: 'high',
    weight: 40,
    params: { limit: 3 },
    when: 'f["device.identities.24h"] > params.limit',
    evidence: ['device.identities.24h', 'device.masked'],
    reason: 'device {device.masked} used by {device.identities.24h} identities in 24h (limit {limit})',
  },
]);

describe('evaluate: thresholds and numbers', () => {
  it('is exact at the threshold: the limit does not fire, one more does', () => {
    expect(codes(farm, { 'device.identities.24h': 3 })).toEqual([]);
    expect(codes(farm, { 'device.identities.24h': 4 })).toEqual(['DEVICE_MANY_IDENTITIES']);
    expect(codes(farm, { 'device.identities.24h': 3.0001 })).toEqual(['DEVICE_MANY_IDENTITIES']);
  });

  it('compares JS numbers with int literals, double literals and params, and does mixed arithmetic', () => {
    const rs = ruleSet([
      { id: 'INT_LITERAL', when: 'f["app.amount"] > 3' },
      { id: 'DOUBLE_LITERAL', when: 'f["app.amount"] >= 4.5' },
      { id: 'EQUALS_INT', when: 'f["app.termMonths"] == 12' },
      { id: 'ARITHMETIC', when: 'f["app.amount"] * 2 > 8 && f["app.amount"] / 2 < 3 && f["app.amount"] + 1 == 5.5' },
      { id: 'RATIO', when: 'f["device.identities.24h"] / f["device.apps.24h"] >= 0.5' },
    ]);
    expect(codes(rs, { 'app.amount': 4.5, 'app.termMonths': 12, 'device.identities.24h': 3, 'device.apps.24h': 6 })).toEqual([
      'INT_LITERAL',
      'DOUBLE_LITERAL',
      'EQUALS_INT',
      'ARITHMETIC',
      'RATIO',
    ]);
  });

  it('(cel-js quirk) types `int ⊕ feature` as int at load, so a double on the other side is rejected: put the feature first', () => {
    expect(() => ruleSet([{ id: 'QUIRK', when: '1 + f["app.amount"] == 5.5' }])).toThrow(/no such overload: int == double/);
    expect(() => ruleSet([{ id: 'FINE', when: 'f["app.amount"] + 1 == 5.5' }])).not.toThrow();
  });

  it('compares strings, lists from params and booleans', () => {
    const rs = ruleSet([
      { id: 'NOT_PUBLIC', params: { normal: ['public', 'carrier-nat'] }, when: '!(f["ip.class"] in params.normal)' },
      { id: 'EMULATOR', when: 'f["device.emulator"] == true' },
      { id: 'BARE_BOOL', when: 'f["device.rooted"]' },
    ]);
    expect(codes(rs, { 'ip.class': 'private', 'device.emulator': true, 'device.rooted': true })).toEqual(['NOT_PUBLIC', 'EMULATOR', 'BARE_BOOL']);
    expect(codes(rs, { 'ip.class': 'carrier-nat', 'device.emulator': false, 'device.rooted': false })).toEqual([]);
  });
});

describe('evaluate: unknown features (null or absent)', () => {
  const rs = ruleSet([
    { id: 'COUNT', when: 'f["device.apps.1h"] > 5' },
    { id: 'NOT_EQUAL', when: 'f["ip.class"] != "public"' },
    { id: 'NEGATED', when: '!f["device.rooted"]' },
    { id: 'EITHER', when: 'f["ip.vpn"] == true || f["ip.tor"] == true' },
    { id: 'ALLOWED_GUARD', when: 'f["ip.datacenter"] == true && !("ip.allowed" in f && f["ip.allowed"] == true)' },
  ]);

  it('never fire and never throw, and are reported as undecided rather than errors', () => {
    for (const unknown of [
      {},
      { 'device.apps.1h': null, 'ip.class': null, 'device.rooted': null, 'ip.vpn': null, 'ip.tor': null, 'ip.datacenter': undefined },
    ]) {
      const r = evaluate(rs, unknown);
      expect(r.flags).toEqual([]);
      expect(r.errors).toEqual([]);
      expect(r.unknown).toEqual(['COUNT', 'NOT_EQUAL', 'NEGATED', 'EITHER', 'ALLOWED_GUARD']);
    }
    expect(codes(rs, { 'device.apps.1h': Number.NaN })).toEqual([]);
  });

  it('let || and && decide when the known side is enough (CEL error absorption)', () => {
    expect(codes(rs, { 'ip.vpn': null, 'ip.tor': true })).toEqual(['EITHER']);
    expect(evaluate(rs, { 'ip.vpn': false, 'ip.tor': null }).unknown).toContain('EITHER');
  });

  it('can be tested for presence: an unknown allow list does not suppress, a known one does', () => {
    expect(codes(rs, { 'ip.datacenter': true, 'ip.allowed': null })).toEqual(['ALLOWED_GUARD']);
    expect(codes(rs, { 'ip.datacenter': true, 'ip.allowed': false })).toEqual(['ALLOWED_GUARD']);
    expect(codes(rs, { 'ip.datacenter': true, 'ip.allowed': true })).toEqual([]);
  });

  it('are skipped before CEL runs when a required feature is missing', () => {
    expect(rs.rules.map((r) => r.requires)).toEqual([['device.apps.1h'], ['ip.class'], ['device.rooted'], [], ['ip.datacenter']]);
  });
});

describe('evaluate: flags, evidence and reasons', () => {
  it('carry code, severity, weight, the rendered reason and evidence (features + params)', () => {
    const r = evaluate(farm, { 'device.identities.24h': 7, 'device.masked': 'de****', 'ip.class': 'public' });
    expect(r.flags).toEqual([
      {
        code: 'DEVICE_MANY_IDENTITIES',
        severity: 'high',
        weight: 40,
        reason: 'device de**** used by 7 identities in 24h (limit 3)',
        evidence: { 'device.identities.24h': 7, 'device.masked': 'de****', limit: 3 },
      },
    ]);
    expect(r).toMatchObject({ score: 40, level: 'medium', errors: [], unknown: [] });
  });

  it('render unknown display values as "unknown", fractions with one decimal, lists joined', () => {
    const rs = ruleSet([
      {
        id: 'TRAVEL',
        params: { maxKmh: 1000, countries: ['CN', 'HK'] },
        when: 'f["travel.device.speedKmh"] > params.maxKmh',
        reason: '{device.masked} at {travel.device.speedKmh} km/h (limit {maxKmh}, {countries})',
      },
    ]);
    const [flag] = evaluate(rs, { 'travel.device.speedKmh': 1234.5678 }).flags;
    expect(flag?.reason).toBe('unknown at 1234.6 km/h (limit 1000, CN,HK)');
    // Evidence defaults to what `when` reads, plus what the reason names; raw values are kept.
    expect(flag?.evidence).toEqual({ 'travel.device.speedKmh': 1234.5678, 'device.masked': null, maxKmh: 1000, countries: 'CN,HK' });
  });

  it('report rule bugs (not unknowns) as errors and carry on with the other rules', () => {
    const rs = ruleSet([
      { id: 'TYPE_BUG', when: 'f["ip.class"] > 3' },
      { id: 'FINE', when: 'f["device.apps.1h"] > 1' },
    ]);
    const r = evaluate(rs, { 'ip.class': 'public', 'device.apps.1h': 2 });
    expect(r.flags.map((f) => f.code)).toEqual(['FINE']);
    expect(r.errors).toEqual([{ rule: 'TYPE_BUG', message: expect.stringContaining('no such overload') }]);
  });

  it('skip rules by tag', () => {
    const rs = ruleSet([
      { id: 'CHEAP', when: 'f["device.apps.1h"] > 1' },
      { id: 'SHEDDABLE', tags: ['optional'], when: 'f["device.apps.1h"] > 1' },
    ]);
    expect(codes(rs, { 'device.apps.1h': 2 })).toEqual(['CHEAP', 'SHEDDABLE']);
    expect(codes(rs, { 'device.apps.1h': 2 }, ['optional', 'expensive'])).toEqual(['CHEAP']);
  });
});

describe('evaluate: scoring', () => {
  const rules = [
    { id: 'A', weight: 50, when: 'f["device.apps.1h"] > 0' },
    { id: 'B', weight: 40, when: 'f["device.apps.1h"] > 0' },
    { id: 'C', weight: 30, when: 'f["device.apps.1h"] > 0' },
  ];
  const f = { 'device.apps.1h': 1 };
  const scoring = (aggregation: string) => `scoring: { thresholds: { medium: 30, high: 60, critical: 80 }, aggregation: ${aggregation} }`;

  it('sums capped at 100 by default, takes the max, or combines as noisy-or', () => {
    expect(evaluate(ruleSet(rules), f)).toMatchObject({ score: 100, level: 'critical' });
    expect(evaluate(ruleSet(rules, scoring('max')), f)).toMatchObject({ score: 50, level: 'medium' });
    // 1 - 0.5 * 0.6 * 0.7 = 0.79
    expect(evaluate(ruleSet(rules, scoring('noisy-or')), f)).toMatchObject({ score: 79, level: 'high' });
  });

  it('uses the thresholds from the file', () => {
    const rs = ruleSet(rules.slice(2), 'scoring: { thresholds: { medium: 10, high: 20, critical: 30 } }');
    expect(evaluate(rs, f)).toMatchObject({ score: 30, level: 'critical' });
  });
});

describe('bridges', () => {
  it('evaluateRule runs one compiled rule', () => {
    const [rule] = farm.rules;
    expect(rule && evaluateRule(rule, { 'device.identities.24h': 4 })?.code).toBe('DEVICE_MANY_IDENTITIES');
    expect(rule && evaluateRule(rule, { 'device.identities.24h': null })).toBeNull();
  });
});
