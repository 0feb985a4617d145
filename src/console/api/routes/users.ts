import { writeAudit } from '../../store/audit.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { defineRoute, type ApiRoute } from '../router.js';
import { loginBody, userCreateBody, userParams } from '../schemas.js';

/** Who am I, browser sessions (login, logout), and user management for admins (the users file). Audited. */
export function userRoutes(deps: ApiDeps): ApiRoute[] {
  const { users, auth, db } = deps;
  const audit = (actor: string, action: string, target: string, detail: Record<string, unknown> = {}) => writeAudit(db, { actor, action, target, detail });
  return [
    defineRoute({
      method: 'GET',
      path: '/api/me',
      role: 'viewer',
      tag: 'session',
      summary: 'The authenticated user, its role and, for a cookie session, the CSRF token to send with writes',
      responses: { 200: '{ name, role, via: token | session, csrfToken?, expiresAt? }' },
      handle: async ({ principal }) => {
        const s = principal.session;
        return {
          body: {
            name: principal.user.name,
            role: principal.user.role,
            via: principal.via,
            ...(s ? { csrfToken: auth.sessions.csrfToken(s), expiresAt: new Date(s.expiresAt).toISOString() } : {}),
          },
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/login',
      role: 'public',
      tag: 'session',
      summary: 'Exchange a token for a session cookie (HttpOnly, SameSite=Strict, Secure over TLS); returns the CSRF token for writes',
      body: loginBody,
      responses: { 200: '{ name, role, csrfToken, expiresAt } and Set-Cookie', 401: 'the token is not valid', 429: 'too many failed attempts' },
      handle: async ({ req, body }) => {
        const session = await auth.login(req, body.token);
        await audit(session.user.name, 'session.login', `user:${session.user.name}`, { expiresAt: session.expiresAt });
        return {
          headers: { 'set-cookie': session.cookie },
          body: { name: session.user.name, role: session.user.role, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/logout',
      role: 'viewer',
      tag: 'session',
      summary: 'Clear the session cookie',
      responses: { 204: 'the cookie is cleared' },
      handle: async ({ req, res }) => {
        res.writeHead(204, { 'set-cookie': auth.sessions.clearCookie(req) }).end();
        return undefined;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/users',
      role: 'admin',
      tag: 'users',
      summary: 'The users (name, role, source file | dev); never their token hashes',
      responses: { 200: '{ items: { name, role, source }[] }' },
      handle: async () => {
        users.refresh();
        return { body: { items: users.list() } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/users',
      role: 'admin',
      tag: 'users',
      summary: 'Add a user to the users file; the answer holds its token, shown this once',
      body: userCreateBody,
      responses: { 201: '{ user: { name, role, source }, token }', 409: 'the name is taken, or there is no users file' },
      handle: async ({ body, principal }) => {
        const { user, token } = await users.add(body.name, body.role);
        await audit(principal.user.name, 'user.add', `user:${user.name}`, { role: user.role });
        return { status: 201, body: { user, token } };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/users/{name}',
      role: 'admin',
      tag: 'users',
      summary: 'Remove a user from the users file: its token and sessions stop working at once',
      params: userParams,
      responses: { 204: 'removed', 404: 'no such user in the users file' },
      handle: async ({ params, principal, res }) => {
        if (params.name === principal.user.name) throw new ApiError('CONFLICT', 'an admin cannot remove itself: ask another admin');
        if (!(await users.remove(params.name))) throw new ApiError('NOT_FOUND', `no user ${params.name} in the users file`);
        await audit(principal.user.name, 'user.remove', `user:${params.name}`);
        res.writeHead(204).end();
        return undefined;
      },
    }),
  ];
}
