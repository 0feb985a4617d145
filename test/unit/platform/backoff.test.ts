import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/platform/backoff.js';

describe('backoffDelay', () => {
  const opts = { initialMs: 100, maxMs: 5000 };
  it('grows exponentially within [ceiling/2, ceiling] and is capped', () => {
    expect(backoffDelay(0, opts, () => 0)).toBe(50);
    expect(backoffDelay(0, opts, () => 1)).toBe(100);
    expect(backoffDelay(3, opts, () => 1)).toBe(800);
    expect(backoffDelay(20, opts, () => 1)).toBe(5000);
    expect(backoffDelay(20, opts, () => 0)).toBe(2500);
  });
});
