import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * Browser sessions: after POST /api/login with a token, an HttpOnly, SameSite=Strict cookie (Secure over TLS)
 * holding `{user, token fingerprint, expiry, session id}` signed with HMAC-SHA256. Nothing is kept server-side: a
 * session ends when it expires, when the user's token changes or the user is removed (the fingerprint no longer
 * matches), or when the key changes. Writes made with the cookie need the session's CSRF token in X-CSRF-Token.
 */
export const SESSION_COOKIE = 'lg_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface Session {
  user: string;
  fingerprint: string;
  expiresAt: number;
  id: string;
}

export interface SessionOptions {
  key: string;
  ttlMs: number;
  cookieSecure: 'auto' | 'always' | 'never';
}

const mac = (key: string, text: string): Buffer => createHmac('sha256', key).update(text).digest();

const sameMac = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

export class Sessions {
  constructor(private readonly opts: SessionOptions) {}

  /** A new session's cookie value and CSRF token. */
  issue(user: string, fingerprint: string, now = Date.now()): { cookie: string; session: Session; csrfToken: string } {
    const session: Session = { user, fingerprint, expiresAt: now + this.opts.ttlMs, id: randomBytes(16).toString('base64url') };
    const body = Buffer.from(JSON.stringify({ u: session.user, f: session.fingerprint, e: session.expiresAt, s: session.id })).toString('base64url');
    return { cookie: `${body}.${mac(this.opts.key, `session.${body}`).toString('base64url')}`, session, csrfToken: this.csrfToken(session) };
  }

  /** The session of a cookie value, or undefined when it is forged, malformed or expired. */
  verify(value: string, now = Date.now()): Session | undefined {
    const [body = '', signature = '', ...rest] = value.split('.');
    if (rest.length > 0 || body.length > 1000 || !sameMac(Buffer.from(signature, 'base64url'), mac(this.opts.key, `session.${body}`))) return undefined;
    try {
      const s = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { u?: unknown; f?: unknown; e?: unknown; s?: unknown };
      if (typeof s.u !== 'string' || typeof s.f !== 'string' || typeof s.e !== 'number' || typeof s.s !== 'string') return undefined;
      return s.e > now ? { user: s.u, fingerprint: s.f, expiresAt: s.e, id: s.s } : undefined;
    } catch {
      return undefined;
    }
  }

  csrfToken(session: Session): string {
    return mac(this.opts.key, `csrf.${session.id}`).toString('base64url');
  }

  checkCsrf(session: Session, header: string | undefined): boolean {
    return header !== undefined && sameMac(Buffer.from(header, 'base64url'), Buffer.from(this.csrfToken(session), 'base64url'));
  }

  setCookie(req: IncomingMessage, value: string, maxAgeMs = this.opts.ttlMs): string {
    const attributes = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.floor(maxAgeMs / 1000)}`];
    if (this.secure(req)) attributes.push('Secure');
    return attributes.join('; ');
  }

  clearCookie(req: IncomingMessage): string {
    return this.setCookie(req, '', 0);
  }

  private secure(req: IncomingMessage): boolean {
    if (this.opts.cookieSecure !== 'auto') return this.opts.cookieSecure === 'always';
    return (req.socket as TLSSocket).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
  }
}

/** The value of one cookie of the request's Cookie header. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
