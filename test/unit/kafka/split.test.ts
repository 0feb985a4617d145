import { describe, expect, it } from 'vitest';
import { splitByBytes } from '../../../src/kafka/partition-transactions.js';

const rec = (n: number, size: number) => ({ topic: 't', key: `k${n}`, value: 'x'.repeat(size) });

describe('splitByBytes', () => {
  it('keeps order and puts at most maxBytes (keys + values) in each send', () => {
    const outputs = Array.from({ length: 10 }, (_, i) => rec(i, 98)); // 100 bytes each with the key
    const runs = splitByBytes(outputs, 300);
    expect(runs.map((r) => r.length)).toEqual([3, 3, 3, 1]);
    expect(runs.flat()).toEqual(outputs);
  });

  it('sends a single oversized record alone rather than dropping it', () => {
    const runs = splitByBytes([rec(0, 10), rec(1, 1000), rec(2, 10)], 100);
    expect(runs.map((r) => r.map((x) => x.key))).toEqual([['k0'], ['k1'], ['k2']]);
  });

  it('counts headers too: the reason and provenance of a dead letter and provenance are bytes the broker takes', () => {
    const withHeaders = (n: number) => ({ ...rec(n, 48), headers: { 'dlq.error.message': 'y'.repeat(30), h: 'zz' } }); // 50 + 47 + 3
    expect(splitByBytes([0, 1, 2, 3].map(withHeaders), 200).map((r) => r.length)).toEqual([2, 2]);
  });

  it('returns nothing for nothing', () => {
    expect(splitByBytes([], 100)).toEqual([]);
  });
});
