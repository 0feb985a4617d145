import { Rng } from '../../src/generate/prng.js';

/** A seeded uniform [0, 1) source for tests that build random histories. */
export const prng = (seed: string): (() => number) => {
  const r = new Rng(seed);
  return () => r.next();
};
