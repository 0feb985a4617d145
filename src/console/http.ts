import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Health } from '../platform/health.js';
import type { Logger } from '../platform/logger.js';

/**
 * The console's HTTP server: GET /healthz (liveness), /readyz (readiness), /metrics, and whatever routes are
 * added (the HTTP API and the UI). Routes are looked up per request in the order added; a handler that throws
 * answers 500 with a generic message (the error is logged, never sent). Every response carries the security
 * headers, /api responses `Cache-Control: no-store`; each request is logged (method, path without the query,
 * status, time, user: never a header, so never a token).
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  /** an exact path, or a pattern whose groups the handler reads from `match` */
  path: string | RegExp;
  handle(req: IncomingMessage, res: ServerResponse, ctx: { url: URL; match: RegExpMatchArray | null }): void | Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const requestUsers = new WeakMap<IncomingMessage, string>();

/** Names the authenticated user of a request, for its log line. */
export function setRequestUser(req: IncomingMessage, user: string): void {
  requestUsers.set(req, user);
}

function logRequest(req: IncomingMessage, res: ServerResponse, path: string, started: number, logger: Logger): void {
  const line = { method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started), user: requestUsers.get(req) };
  if (path.startsWith('/api/')) logger.info(line, 'console request');
  else logger.debug(line, 'console request');
}

/** /healthz, /readyz and /metrics as routes. */
export function opsRoutes(health: Health, registry: Registry): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendJson(res, health.live ? 200 : 503, health.snapshot()) },
    { method: 'GET', path: '/readyz', handle: (_req, res) => sendJson(res, health.ready ? 200 : 503, health.snapshot()) },
    {
      method: 'GET',
      path: '/metrics',
      handle: async (_req, res) => void res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics()),
    },
  ];
}

/** null: an exact path matched; false: no match. */
function matchPath(route: Route, path: string): RegExpMatchArray | null | false {
  if (typeof route.path === 'string') return route.path === path ? null : false;
  return path.match(route.path) ?? false;
}

function find(routes: readonly Route[], method: string, path: string): { route: Route; match: RegExpMatchArray | null } | 'wrong-method' | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const match = matchPath(route, path);
    if (match === false) continue;
    if (route.method === method) return { route, match };
    pathMatched = true;
  }
  return pathMatched ? 'wrong-method' : undefined;
}

function parseUrl(raw: string | undefined): URL | undefined {
  try {
    return new URL(raw ?? '/', 'http://console.local');
  } catch {
    return undefined;
  }
}

export function createConsoleServer(routes: readonly Route[], logger: Logger): Server {
  const server = createServer((req, res) => {
    const started = performance.now();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const url = parseUrl(req.url);
    if (!url) return sendError(res, 400, 'INVALID_REQUEST', 'malformed URL');
    if (url.pathname.startsWith('/api/')) res.setHeader('cache-control', 'no-store');
    res.once('close', () => logRequest(req, res, url.pathname, started, logger));
    const found = find(routes, req.method ?? 'GET', url.pathname);
    if (found === undefined) return sendError(res, 404, 'NOT_FOUND', 'no such route');
    if (found === 'wrong-method') return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method ?? ''} is not allowed on this path`);
    Promise.resolve()
      .then(() => found.route.handle(req, res, { url, match: found.match }))
      .catch((err: Error) => {
        logger.error({ path: url.pathname, err: err.message }, 'console request failed');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'internal error');
        else res.end();
      });
  });
  // Bounded header and request times: a client that trickles its request is cut off.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  return server;
}
