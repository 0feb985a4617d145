import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Health } from '../platform/health.js';
import type { Logger } from '../platform/logger.js';

/**
 * The console's HTTP server: GET /healthz (liveness), /readyz (readiness), /metrics, and whatever routes are
 * added (the HTTP API and the UI). Routes are looked up per request in the order added; a handler that throws
 * answers 500 with a generic message (the error is logged, never sent).
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  /** an exact path, or a pattern whose groups the handler reads from `match` */
  path: string | RegExp;
  handle(req: IncomingMessage, res: ServerResponse, ctx: { url: URL; match: RegExpMatchArray | null }): void | Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
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

export function createConsoleServer(routes: readonly Route[], logger: Logger): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://console.local');
    const found = find(routes, req.method ?? 'GET', url.pathname);
    if (found === undefined) return sendJson(res, 404, { error: 'not found' });
    if (found === 'wrong-method') return sendJson(res, 405, { error: 'method not allowed' });
    Promise.resolve()
      .then(() => found.route.handle(req, res, { url, match: found.match }))
      .catch((err: Error) => {
        logger.error({ path: url.pathname, err: err.message }, 'console request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.end();
      });
  });
}
