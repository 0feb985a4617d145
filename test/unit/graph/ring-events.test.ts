import { describe, expect, it } from 'vitest';
import { diffRing } from '../../../src/graph/ring-events.js';

describe('diffRing', () => {
  it('reports a new ring as formed, and as touching known fraud when it does', () => {
    expect(diffRing(undefined, { size: 4, knownFraud: 0 })).toEqual(['formed']);
    expect(diffRing(undefined, { size: 4, knownFraud: 1 })).toEqual(['formed', 'touched-known-fraud']);
  });

  it('reports growth only past max(growBy, growRatio × reported size)', () => {
    expect(diffRing({ size: 8, knownFraud: 0 }, { size: 10, knownFraud: 0 })).toEqual([]);
    expect(diffRing({ size: 8, knownFraud: 0 }, { size: 11, knownFraud: 0 })).toEqual(['grew']);
    expect(diffRing({ size: 200, knownFraud: 0 }, { size: 240, knownFraud: 0 })).toEqual([]);
    expect(diffRing({ size: 200, knownFraud: 0 }, { size: 250, knownFraud: 0 })).toEqual(['grew']);
    expect(diffRing({ size: 8, knownFraud: 0 }, { size: 9, knownFraud: 0 }, { growBy: 1, growRatio: 0 })).toEqual(['grew']);
  });

  it('reports known fraud once, when it first appears', () => {
    expect(diffRing({ size: 8, knownFraud: 0 }, { size: 8, knownFraud: 2 })).toEqual(['touched-known-fraud']);
    expect(diffRing({ size: 8, knownFraud: 1 }, { size: 8, knownFraud: 2 })).toEqual([]);
  });
});
