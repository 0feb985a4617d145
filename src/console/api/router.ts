import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Logger } from '../../platform/logger.js';
import { sendJson, setRequestUser, type Method, type Route } from '../http.js';
import { hasRole, type Authenticator, type Principal } from './auth/authenticate.js';
import type { Role } from './auth/users-file.js';
import { readJsonBody } from './body.js';
import { ApiError, fieldProblems, toHttpError } from './errors.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * The API's routes, declared once: method, path template (`/api/alerts/{id}`), the least role, zod schemas of the
 * path parameters, query and body, and the handler. `toRoutes` turns them into the HTTP server's routes, each
 * answering in this order: authentication (401), role (403), for writes the CSRF check of cookie sessions and the
 * user's rate limit (429), validation (400 with every field's problem), then the handler. The same declarations
 * make GET /api/openapi.json (openapi.ts), so the document cannot miss a route.
 */
export interface ApiContext<P, Q, B> {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** undefined on public routes only */
  principal: Principal;
  params: P;
  query: Q;
  body: B;
}

export interface ApiResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ApiRouteSpec<P, Q, B> {
  method: Method;
  /** a template: `{name}` is one path segment, read from `params` */
  path: string;
  /** the least role, or public (no authentication: login only) */
  role: Role | 'public';
  summary: string;
  tag: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** status → what it means, for the OpenAPI document (400/401/403/429 are added as they apply) */
  responses: Record<number, string>;
  /** server-sent events rather than JSON */
  stream?: boolean;
  /** the handler answers itself (a stream): returns undefined */
  handle(ctx: ApiContext<P, Q, B>): Promise<ApiResult | undefined>;
}

export type ApiRoute = ApiRouteSpec<unknown, unknown, unknown> & { readonly write: boolean };

export function defineRoute<P = undefined, Q = undefined, B = undefined>(spec: ApiRouteSpec<P, Q, B>): ApiRoute {
  return { ...(spec as unknown as ApiRouteSpec<unknown, unknown, unknown>), write: spec.method !== 'GET' };
}

export interface RouterDeps {
  auth: Authenticator;
  writes: RateLimiter;
  maxBodyBytes: number;
  logger: Logger;
}

const PARAM = /\{([A-Za-z]+)\}/g;

/** `/api/alerts/{id}` as a RegExp with one group per parameter, and the parameter names. */
export function compilePath(template: string): { regex: RegExp; names: string[] } {
  const names = [...template.matchAll(PARAM)].map((m) => m[1] as string);
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(PARAM, '([^/]+)');
  return { regex: new RegExp(`^${source}$`), names };
}

function rawParams(names: readonly string[], match: RegExpMatchArray | null): Record<string, string> {
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    try {
      out[name] = decodeURIComponent(match?.[i + 1] ?? '');
    } catch {
      throw new ApiError('INVALID_REQUEST', 'malformed path', [{ path: `params.${name}`, message: 'not valid percent-encoding' }]);
    }
  });
  return out;
}

/** The query as an object: a parameter given once is a string, given several times an array. */
export function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'query' | 'body' | 'params'): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ApiError('INVALID_REQUEST', `invalid ${where === 'params' ? 'path' : where}`, fieldProblems(where, parsed.error));
}

async function authorise(route: ApiRoute, req: IncomingMessage, deps: RouterDeps): Promise<Principal> {
  const principal = await deps.auth.authenticate(req);
  setRequestUser(req, principal.user.name);
  if (!hasRole(principal.user, route.role as Role)) {
    throw new ApiError('FORBIDDEN', `${route.method} ${route.path} needs the ${String(route.role)} role; ${principal.user.name} is ${principal.user.role}`);
  }
  if (route.write) {
    deps.auth.checkCsrf(req, principal);
    const wait = deps.writes.take(principal.user.name);
    if (wait > 0) throw new ApiError('RATE_LIMITED', `too many writes; try again in ${wait} s`, undefined, { 'retry-after': String(wait) });
  }
  return principal;
}

async function answer(route: ApiRoute, names: string[], req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpMatchArray | null, deps: RouterDeps) {
  const principal = route.role === 'public' ? (undefined as unknown as Principal) : await authorise(route, req, deps);
  const params = validate(route.params, rawParams(names, match), 'params');
  const query = validate(route.query, queryObject(url), 'query');
  const body = route.body ? validate(route.body, await readJsonBody(req, deps.maxBodyBytes), 'body') : undefined;
  const result = await route.handle({ req, res, url, principal, params, query, body });
  if (result) sendJson(res, result.status ?? 200, result.body, result.headers);
}

export function toRoutes(routes: readonly ApiRoute[], deps: RouterDeps): Route[] {
  return routes.map((route) => {
    const { regex, names } = compilePath(route.path);
    return {
      method: route.method,
      path: regex,
      handle: async (req, res, { url, match }) => {
        try {
          await answer(route, names, req, res, url, match, deps);
        } catch (err) {
          const e = toHttpError(err);
          if (e.logged) deps.logger.error({ path: url.pathname, err: (err as Error).message }, 'console API request failed');
          if (res.headersSent) return void res.end();
          sendJson(res, e.status, e.body, e.headers);
        }
      },
    };
  });
}
