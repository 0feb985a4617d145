import { describe, expect, it } from 'vitest';
import { generateTraffic, Rng, type GeneratedApplication } from '../../../src/generate/index.js';
import { REALISTIC } from '../../../src/generate/realistic/params.js';
import { RealisticPopulation } from '../../../src/generate/realistic/population.js';
import { BoundedSet, RingBuffer } from '../../../src/generate/realistic/ring-buffer.js';
import { World } from '../../../src/generate/realistic/world.js';

const START = Date.UTC(2026, 10, 28, 2, 0, 0);

describe('realistic endless stream', () => {
  it('has the attack share from the start (campaigns planned days ahead), advances at eventsPerSecond, is deterministic', () => {
    const first = (n: number, seed: number): GeneratedApplication[] => {
      const out: GeneratedApplication[] = [];
      for (const r of generateTraffic({ seed, startMs: START, eventsPerSecond: 50, attackShare: 0.05 })) {
        out.push(r);
        if (out.length >= n) break;
      }
      return out;
    };
    const rs = first(5000, 1); // 100 s of event time
    const span = (Date.parse(rs.at(-1)!.eventTime) - START) / 1000;
    expect(span).toBeGreaterThan(90);
    expect(span).toBeLessThan(110);
    expect(Date.parse(rs[0]!.eventTime)).toBeGreaterThanOrEqual(START);
    const share = rs.filter((r) => r._truth.fraud).length / rs.length;
    expect(share).toBeGreaterThan(0.025);
    expect(share).toBeLessThan(0.09);
    // Rings that started days before the stream are already in flight.
    expect(rs.some((r) => r._truth.pattern.startsWith('ring-'))).toBe(true);
    expect(JSON.stringify(first(300, 1))).toBe(JSON.stringify(rs.slice(0, 300)));
  });
});

describe('bounded memory', () => {
  it('the background remembers at most rememberedPeople people, forgetting the oldest', () => {
    const pop = new RealisticPopulation(new Rng('mem'), new World(new Rng('mem-world')));
    for (let i = 0; i < 40_000; i++) pop.draft(START + i * 100);
    expect(pop.people.size).toBe(REALISTIC.rememberedPeople);
  });

  it('RingBuffer and BoundedSet keep the newest entries', () => {
    const b = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) b.push(i);
    expect([b.newest(0), b.newest(1), b.newest(2), b.newest(3)]).toEqual([5, 4, 3, undefined]);
    expect(b.oldest()).toBe(3);
    const s = new BoundedSet(2);
    for (const v of ['a', 'b', 'c']) s.add(v);
    expect([s.has('a'), s.has('b'), s.has('c')]).toEqual([false, true, true]);
  });
});
