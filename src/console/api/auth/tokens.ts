import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * API tokens: `lgc_<user>_<secret>` (32 random bytes, base64url). Only a scrypt hash is ever stored,
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url), and a token is checked with a timing-safe compare. The user
 * name in the token only says which hash to check: one scrypt per verification, never one per user.
 */
export const TOKEN_PREFIX = 'lgc_';
export const USER_NAME = /^[a-z][a-z0-9.-]{0,63}$/;
const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const HASH_FORMAT = /^scrypt\$(\d{1,7})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,128})\$([A-Za-z0-9_-]{16,256})$/;

function scryptAsync(secret: string, salt: Buffer, keyLength: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, keyLength, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A new random token for `user`. */
export function generateToken(user: string): string {
  if (!USER_NAME.test(user)) throw new RangeError(`invalid user name ${JSON.stringify(user)}`);
  return `${TOKEN_PREFIX}${user}_${randomBytes(32).toString('base64url')}`;
}

/** The user a token names, or undefined when it is not a token of this format. */
export function tokenUser(token: string): string | undefined {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const rest = token.slice(TOKEN_PREFIX.length);
  const cut = rest.indexOf('_');
  const user = rest.slice(0, cut);
  return cut > 0 && USER_NAME.test(user) && rest.length - cut > 16 ? user : undefined;
}

export function isTokenHash(s: string): boolean {
  return HASH_FORMAT.test(s);
}

export async function hashToken(token: string, params: { N: number; r: number; p: number } = SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(token, salt, KEY_LENGTH, { ...params, maxmem: 256 * params.N * params.r });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `token` matches `stored`; a malformed stored hash never matches. */
export async function verifyToken(token: string, stored: string): Promise<boolean> {
  const m = HASH_FORMAT.exec(stored);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5] as string, 'base64url');
  if (N < 2 || (N & (N - 1)) !== 0 || N > 1_048_576 || r < 1 || p < 1 || expected.length < 16) return false;
  const key = await scryptAsync(token, Buffer.from(m[4] as string, 'base64url'), expected.length, { N, r, p, maxmem: 256 * N * r });
  return timingSafeEqual(key, expected);
}

/** A digest of a token for an in-memory cache key (never stored, never logged). */
export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('base64url');
