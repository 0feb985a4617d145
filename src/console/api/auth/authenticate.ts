import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors.js';
import type { RateLimiter } from '../rate-limit.js';
import type { User, UserDirectory } from './directory.js';
import { CSRF_HEADER, readCookie, SESSION_COOKIE, type Session, type Sessions } from './sessions.js';
import type { Role } from './users-file.js';

/**
 * Who is asking: `Authorization: Bearer <token>` or the session cookie of POST /api/login. Failed attempts are
 * counted per client address (the socket's, never a forwarded header); once the address has used up
 * `authFailuresPerMinute`, it gets 429 before any hash is computed. A valid session, or a token checked within the
 * last minute, costs no hash and still passes: others' failures from a shared address lock no working user out.
 */
export interface Principal {
  user: User;
  via: 'token' | 'session';
  session?: Session;
}

const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

export const hasRole = (user: User, role: Role): boolean => RANK[user.role] >= RANK[role];

export class Authenticator {
  constructor(
    private readonly users: UserDirectory,
    readonly sessions: Sessions,
    private readonly failures: RateLimiter,
  ) {}

  async authenticate(req: IncomingMessage): Promise<Principal> {
    const address = req.socket.remoteAddress ?? 'unknown';
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(header);
      // A token checked in the last minute costs no hash: it passes even from an address others have used up
      // (a proxy, an office NAT), so failures from a neighbour cannot lock a working user out.
      const recent = m ? this.users.recentlyVerified(m[1] as string) : undefined;
      if (recent) return { user: recent, via: 'token' };
      this.refuseIfLimited(address);
      const user = m ? await this.users.authenticate(m[1] as string) : undefined;
      if (user) return { user, via: 'token' };
      throw this.failed(address, 'the bearer token is not valid');
    }
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie) {
      // A session is checked by its MAC, cheaply, so it is checked before the limit too.
      const session = this.sessions.verify(cookie);
      const user = session ? this.users.get(session.user) : undefined;
      if (session && user && this.users.fingerprint(user.name) === session.fingerprint) return { user, via: 'session', session };
      this.refuseIfLimited(address);
      throw this.failed(address, 'the session has expired or ended: log in again');
    }
    this.refuseIfLimited(address);
    throw new ApiError('UNAUTHENTICATED', 'authenticate with Authorization: Bearer <token> (or log in: POST /api/login)', undefined, {
      'www-authenticate': 'Bearer realm="lendguard-console"',
    });
  }

  /** Checks a token given to POST /api/login and opens a session for its user. */
  async login(req: IncomingMessage, token: string): Promise<{ user: User; cookie: string; csrfToken: string; expiresAt: string }> {
    const address = req.socket.remoteAddress ?? 'unknown';
    this.refuseIfLimited(address);
    const user = await this.users.authenticate(token);
    if (!user) throw this.failed(address, 'the token is not valid');
    const issued = this.sessions.issue(user.name, this.users.fingerprint(user.name) as string);
    return {
      user,
      cookie: this.sessions.setCookie(req, issued.cookie),
      csrfToken: issued.csrfToken,
      expiresAt: new Date(issued.session.expiresAt).toISOString(),
    };
  }

  /** A write made with the session cookie must carry the session's CSRF token (a token in a header needs none). */
  checkCsrf(req: IncomingMessage, principal: Principal): void {
    if (principal.via !== 'session' || !principal.session) return;
    const header = req.headers[CSRF_HEADER];
    if (!this.sessions.checkCsrf(principal.session, typeof header === 'string' ? header : undefined)) {
      throw new ApiError('CSRF_REJECTED', `a write with the session cookie needs the session's CSRF token in the ${CSRF_HEADER} header`);
    }
  }

  private refuseIfLimited(address: string): void {
    const wait = this.failures.wait(address);
    if (wait > 0) throw new ApiError('RATE_LIMITED', `too many failed authentications; try again in ${wait} s`, undefined, { 'retry-after': String(wait) });
  }

  private failed(address: string, message: string): ApiError {
    this.failures.take(address);
    return new ApiError('UNAUTHENTICATED', message, undefined, { 'www-authenticate': 'Bearer realm="lendguard-console", error="invalid_token"' });
  }
}
