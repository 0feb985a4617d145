import { describe, expect, it } from 'vitest';
import { DEFAULT_VELOCITY, parseWindow, velocitySpecs } from '../../../src/features/velocity.js';
import { knownFeatures, VELOCITY_COUNTERS } from '../../../src/rules/features.js';

describe('velocity definitions', () => {
  it('compute exactly the counters the rule catalogue knows', () => {
    expect(DEFAULT_VELOCITY.map((s) => s.name)).toEqual([...VELOCITY_COUNTERS]);
  });

  it('parse configured windows, and the catalogue follows them', () => {
    expect(parseWindow('30d')).toEqual({ label: '30d', ms: 30 * 24 * 3600 * 1000 });
    expect(parseWindow('90s').ms).toBe(90_000);
    expect(() => parseWindow('1w')).toThrow(/duration like 10m/);
    const specs = velocitySpecs([parseWindow('5m'), parseWindow('30d')]);
    expect(specs[0]?.windows.map((w) => w.label)).toEqual(['5m', '30d']);
    const names = knownFeatures(['5m', '30d']);
    expect(names.has('device.identities.30d')).toBe(true);
    expect(names.has('device.identities.1h')).toBe(false);
  });
});
