import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, isTokenHash, tokenDigest, tokenUser, verifyToken } from '../../../../src/console/api/auth/tokens.js';

describe('console API tokens', () => {
  it('generates random tokens that name their user', () => {
    const a = generateToken('ana');
    const b = generateToken('ana');
    expect(a).toMatch(/^lgc_ana_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(tokenUser(a)).toBe('ana');
    expect(tokenUser(generateToken('team.lead-2'))).toBe('team.lead-2');
    for (const bad of [
      '',
      'lgc_',
      'lgc_ana_short',
      'xyz_ana_AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'lgc_Ana_AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      `lgc_ana_${'A'.repeat(300)}`,
    ]) {
      expect(tokenUser(bad), bad).toBeUndefined();
    }
    expect(() => generateToken('Not Valid')).toThrow(RangeError);
  });

  it('stores only a scrypt hash and verifies with it; another token, a changed hash or a malformed one never match', async () => {
    const token = generateToken('vera');
    const hash = await hashToken(token);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(hash).not.toContain(token.slice(8));
    expect(isTokenHash(hash)).toBe(true);
    expect(await verifyToken(token, hash)).toBe(true);
    expect(await verifyToken(generateToken('vera'), hash)).toBe(false);
    expect(await verifyToken(`${token}x`, hash)).toBe(false);
    const parts = hash.split('$');
    const otherSalt = [...parts.slice(0, 4), Buffer.alloc(16, 1).toString('base64url'), parts[5]].join('$');
    expect(await verifyToken(token, otherSalt)).toBe(false);
    for (const bad of [
      '',
      'plain',
      'scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA',
      'bcrypt$2b$10$abc',
      hash.replace('scrypt$16384', 'scrypt$99999999'),
    ]) {
      expect(await verifyToken(token, bad), bad).toBe(false);
    }
  });

  it('honours the parameters written in the hash', async () => {
    const token = generateToken('x');
    const cheap = await hashToken(token, { N: 1024, r: 8, p: 1 });
    expect(cheap.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyToken(token, cheap)).toBe(true);
    expect(tokenDigest(token)).toHaveLength(43);
    expect(tokenDigest(token)).not.toContain(token);
  });
});
