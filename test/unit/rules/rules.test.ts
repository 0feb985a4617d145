import { describe, expect, it } from 'vitest';
import type { Flag } from '../../../src/domain/assessment.js';
import { DEFAULT_RULES } from '../../../src/rules/default-rules.js';
import { evaluateRules } from '../../../src/rules/rule.js';
import { levelFor, scoreFlags } from '../../../src/rules/score.js';
import { rulesVersion } from '../../../src/rules/version.js';

const codes = (f: Record<string, unknown>): string[] => evaluateRules(DEFAULT_RULES, f as never).map((x) => x.code);

describe('default rules', () => {
  it('fire nothing on a clean application', () => {
    expect(codes({ 'ip.class': 'public', 'device.emulator': false, 'device.identities.24h': 1, 'device.apps.1h': 1 })).toEqual([]);
  });

  it('flag a device farm with the evidence and a readable reason', () => {
    const flags = evaluateRules(DEFAULT_RULES, { 'device.identities.24h': 7, 'device.masked': 'de****' });
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      code: 'DEVICE_MANY_IDENTITIES',
      severity: 'high',
      weight: 40,
      evidence: { 'device.identities.24h': 7, limit: 3, device: 'de****' },
      reason: 'device de**** used by 7 identities in 24h (limit 3)',
    });
  });

  it('are exact at thresholds: the limit itself does not fire, one more does', () => {
    expect(codes({ 'device.identities.24h': 3 })).toEqual([]);
    expect(codes({ 'device.identities.24h': 4 })).toEqual(['DEVICE_MANY_IDENTITIES']);
  });

  it('flag emulators, rooted devices and non-public IPs, but not carrier NAT', () => {
    expect(codes({ 'device.emulator': true, 'device.rooted': true, 'ip.class': 'private' })).toEqual(['DEVICE_EMULATOR', 'DEVICE_ROOTED', 'IP_NOT_PUBLIC']);
    expect(codes({ 'ip.class': 'carrier-nat' })).toEqual([]);
  });

  it('have unique codes and a stable version', () => {
    expect(new Set(DEFAULT_RULES.map((r) => r.code)).size).toBe(DEFAULT_RULES.length);
    expect(rulesVersion(DEFAULT_RULES)).toBe(rulesVersion([...DEFAULT_RULES]));
    expect(rulesVersion(DEFAULT_RULES.slice(1))).not.toBe(rulesVersion(DEFAULT_RULES));
  });
});

describe('scoring', () => {
  const flag = (weight: number): Flag => ({ code: 'X', severity: 'low', weight, reason: '', evidence: {} });
  const t = { medium: 30, high: 60, critical: 80 };

  it('adds weights and caps at 100', () => {
    expect(scoreFlags([])).toBe(0);
    expect(scoreFlags([flag(35), flag(40)])).toBe(75);
    expect(scoreFlags([flag(70), flag(70)])).toBe(100);
  });

  it('maps scores to levels at inclusive thresholds', () => {
    expect([0, 29, 30, 59, 60, 79, 80, 100].map((s) => levelFor(s, t))).toEqual([
      'low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical',
    ]);
  });
});
