import { describe, expect, it } from 'vitest';
import { isLuhnValid, isValidNationalId, luhnCheckDigit, nationalIdCheckChar, Rng } from '../../../src/generate/index.js';
import { FixedWeights } from '../../../src/generate/prng.js';
import { isoTime } from '../../../src/generate/records.js';

describe('identifier check digits', () => {
  it('national ID: ISO 7064 MOD 11-2 (the GB 11643-1999 example) and date validity', () => {
    expect(nationalIdCheckChar('11010519491231002')).toBe('X');
    expect(isValidNationalId('11010519491231002X')).toBe(true);
    expect(isValidNationalId('110105194912310021')).toBe(false);
    expect(isValidNationalId('11010519490230002X'.slice(0, 17) + nationalIdCheckChar('11010519490230002'))).toBe(false); // 30 Feb
  });

  it('Luhn', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(luhnCheckDigit('7992739871')).toBe(3);
  });
});

describe('Rng', () => {
  it('is reproducible and forks independent streams', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    expect([a.next(), a.next(), a.u32()]).toEqual([b.next(), b.next(), b.u32()]);
    expect(new Rng(5).fork('x').next()).toBe(new Rng(5).fork('x').next());
    expect(new Rng(5).fork('x').next()).not.toBe(new Rng(5).fork('y').next());
    const r = new Rng('mean');
    let s = 0;
    for (let i = 0; i < 20_000; i++) s += r.next();
    expect(Math.abs(s / 20_000 - 0.5)).toBeLessThan(0.01);
  });
});

describe('fast paths give the same output as the plain code', () => {
  it('isoTime equals Date#toISOString; Rng#hex equals u32().toString(16) padded', () => {
    const r = new Rng('iso');
    for (let i = 0; i < 20_000; i++) {
      const t = r.next() * 4e12 + (i % 3) * 0.5;
      expect(isoTime(t)).toBe(new Date(Math.floor(t)).toISOString());
    }
    const a = new Rng('hex');
    const b = new Rng('hex');
    for (let i = 0; i < 2000; i++) {
      const n = 1 + (i % 40);
      let s = '';
      while (s.length < n) s += b.u32().toString(16).padStart(8, '0');
      expect(a.hex(n)).toBe(s.slice(0, n));
    }
  });

  it('FixedWeights picks what rng.weighted picks', () => {
    const items = ['a', 'b', 'c', 'd'];
    const weights = [7, 0.5, 2.25, 1];
    const table = new FixedWeights(items, weights);
    const a = new Rng('w');
    const b = new Rng('w');
    for (let i = 0; i < 5000; i++) expect(table.pick(a)).toBe(b.weighted(items, weights));
  });
});
