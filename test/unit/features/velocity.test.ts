import { describe, expect, it } from 'vitest';
import { DEFAULT_VELOCITY, parseWindow, velocitySpecs } from '../../../src/features/velocity.js';
import { featureCatalogue, knownFeatures, VELOCITY_COUNTERS } from '../../../src/rules/features.js';

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

  it('give each counter its own windows, and the catalogue names exactly the features they yield', () => {
    for (const windows of [
      ['10m', '1h', '24h', '7d'],
      ['5m', '30d'],
    ]) {
      const specs = velocitySpecs(windows.map(parseWindow));
      const computed = specs.flatMap((s) => [...s.windows.map((w) => `${s.name}.${w.label}`), ...(s.firstSeen ? [s.firstSeen] : [])]);
      const catalogue = featureCatalogue(windows);
      const counters = new Set<string>(VELOCITY_COUNTERS);
      const counted = Object.keys(catalogue).filter((n) => counters.has(n.slice(0, n.lastIndexOf('.'))) || n.startsWith('identity.new'));
      expect(computed.sort()).toEqual(counted.sort());
    }
    const windowsOf = (name: string) => DEFAULT_VELOCITY.find((s) => s.name === name)?.windows.map((w) => w.label);
    expect(windowsOf('device.apps')).toEqual(['10m', '1h', '24h', '7d']);
    expect(windowsOf('identity.partners')).toEqual(['1h', '24h', '7d', '30d']);
    expect(windowsOf('identity.devices')).toEqual(['10m', '1h', '24h', '7d', '30d']);
    expect(windowsOf('identity.phone.apps')).toEqual(['30d']);
  });
});
