import { describe, expect, it } from 'vitest';
import { heapVerdict } from '../../../src/platform/heap-watch.js';

const MiB = 2 ** 20;

describe('heapVerdict', () => {
  it('reports MiB and the share of the limit, and warns at the ratio', () => {
    expect(heapVerdict(2048 * MiB, 4096 * MiB, 0.85)).toEqual({ usedMiB: 2048, limitMiB: 4096, ratio: 0.5, warn: false });
    expect(heapVerdict(3500 * MiB, 4096 * MiB, 0.85)).toMatchObject({ ratio: 0.854, warn: true });
  });

  it('never divides by a zero limit', () => {
    expect(heapVerdict(10, 0, 0.85)).toMatchObject({ ratio: 0, warn: false });
  });
});
