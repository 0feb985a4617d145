import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateTraffic, SIMPLE_ATTACK_KINDS, type GeneratedApplication, type TrafficOptions } from '../../../src/generate/index.js';

// `profile: 'simple'` must stay byte-identical to the generator as it was before the realistic profile (fixtures,
// benches and earlier results were built on it).
const START = Date.UTC(2026, 10, 28, 2, 0, 0);
const take = (opts: TrafficOptions): GeneratedApplication[] => [...generateTraffic({ profile: 'simple', ...opts })];

describe('simple profile: byte-identical to the original generator', () => {
  // SHA-256 of the JSON lines, computed at b00f709 (before the realistic profile existed).
  const hashOf = (opts: TrafficOptions, limit?: number): string => {
    const h = createHash('sha256');
    let n = 0;
    for (const r of generateTraffic({ profile: 'simple', ...opts })) {
      h.update(`${JSON.stringify(r)}\n`);
      if (limit !== undefined && ++n >= limit) break;
    }
    return h.digest('hex');
  };

  it('count mode, all attacks', () => {
    expect(hashOf({ seed: 'simple-hash', count: 20000, spanMs: 2 * 3_600_000, startMs: START, attackShare: 0.1 })).toBe(
      '25e90a6b5ccef83234d2b3950f42b11ed6016dc0c36b4e99bf5b6c702c50ad1e',
    );
  });

  it('rings only, default span; defaults', () => {
    expect(hashOf({ seed: 7, count: 5000, attacks: ['ring'], attackShare: 0.2, startMs: START })).toBe(
      '233ff53fb2a6fef69a28bc9623d5b38fcd26b135b33f1889b4a8a3a831f8331c',
    );
    expect(hashOf({ count: 3000 })).toBe('804ca6e5a9bab86b039b43d794cd7163615b14e6442d0f63618a4145b53b47f9');
  });

  it('endless stream', () => {
    expect(hashOf({ seed: 3, eventsPerSecond: 500, attackShare: 0.05, startMs: START }, 5000)).toBe(
      'abbb6946c3a66aac048ba75178306ddc39b30514c2749c40d7ea6229bf00cf52',
    );
  });

  it('kinds the simple profile does not have are ignored', () => {
    const a = take({ seed: 5, count: 2000, startMs: START, attackShare: 0.1 });
    const b = take({ seed: 5, count: 2000, startMs: START, attackShare: 0.1, attacks: [...SIMPLE_ATTACK_KINDS, 'multi-lender', 'account-takeover'] });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
