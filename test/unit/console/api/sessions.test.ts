import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { readCookie, Sessions } from '../../../../src/console/api/auth/sessions.js';
import { RateLimiter } from '../../../../src/console/api/rate-limit.js';

const KEY = 'k'.repeat(40);
const req = (headers: Record<string, string> = {}, encrypted = false): IncomingMessage => ({ headers, socket: { encrypted } }) as unknown as IncomingMessage;

describe('console sessions', () => {
  it('signs a session cookie and refuses a forged, altered, expired or foreign-key one', () => {
    const s = new Sessions({ key: KEY, ttlMs: 60_000, cookieSecure: 'auto' });
    const { cookie, session, csrfToken } = s.issue('ana', 'fp', 1000);
    expect(s.verify(cookie, 2000)).toEqual(session);
    expect(s.verify(cookie, 61_001)).toBeUndefined();
    const [body, sig] = cookie.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ u: 'adam', f: 'fp', e: 9e15, s: 'x' })).toString('base64url');
    expect(s.verify(`${forged}.${sig}`, 2000)).toBeUndefined();
    expect(s.verify(`${body}.${sig.slice(0, -2)}AA`, 2000)).toBeUndefined();
    expect(s.verify(`${body}`, 2000)).toBeUndefined();
    expect(s.verify('', 2000)).toBeUndefined();
    expect(new Sessions({ key: 'o'.repeat(40), ttlMs: 60_000, cookieSecure: 'auto' }).verify(cookie, 2000)).toBeUndefined();
    expect(s.checkCsrf(session, csrfToken)).toBe(true);
    expect(s.checkCsrf(session, undefined)).toBe(false);
    expect(s.checkCsrf(session, s.csrfToken(s.issue('ana', 'fp').session))).toBe(false);
  });

  it('sets an HttpOnly SameSite=Strict cookie, Secure over TLS or a forwarded https, and clears it', () => {
    const auto = new Sessions({ key: KEY, ttlMs: 3_600_000, cookieSecure: 'auto' });
    expect(auto.setCookie(req(), 'v')).toBe('lg_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600');
    expect(auto.setCookie(req({}, true), 'v')).toMatch(/; Secure$/);
    expect(auto.setCookie(req({ 'x-forwarded-proto': 'https' }), 'v')).toMatch(/; Secure$/);
    expect(new Sessions({ key: KEY, ttlMs: 1000, cookieSecure: 'always' }).setCookie(req(), 'v')).toMatch(/; Secure$/);
    expect(new Sessions({ key: KEY, ttlMs: 1000, cookieSecure: 'never' }).setCookie(req({}, true), 'v')).not.toMatch(/Secure/);
    expect(auto.clearCookie(req())).toMatch(/^lg_session=; .*Max-Age=0$/);
    expect(readCookie(req({ cookie: 'a=1; lg_session=abc.def; b=2' }), 'lg_session')).toBe('abc.def');
    expect(readCookie(req({}), 'lg_session')).toBeUndefined();
  });
});

describe('console rate limiter (token bucket)', () => {
  it('allows a burst, then one token per refill interval, with the seconds to wait', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 60, burst: 3 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.wait('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 1000;
    expect(limiter.wait('a')).toBe(0);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    now += 60_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0, 1]);
    const slow = new RateLimiter({ perMinute: 2, burst: 1 }, () => now);
    slow.take('x');
    expect(slow.take('x')).toBe(30);
  });

  it('forgets full buckets when it holds too many keys', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 60, burst: 1, maxKeys: 3 }, () => now);
    for (const k of ['a', 'b', 'c']) limiter.take(k);
    now += 120_000;
    expect(limiter.take('d')).toBe(0);
    expect(limiter.take('a')).toBe(0);
  });
});
