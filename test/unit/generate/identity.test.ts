import { describe, expect, it } from 'vitest';
import { isLuhnValid, isValidNationalId, luhnCheckDigit, nationalIdCheckChar, Rng } from '../../../src/generate/index.js';

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
