import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import { createConsoleServer, opsRoutes, sendJson, type Route } from '../../../src/console/http.js';
import { Health } from '../../../src/platform/health.js';
import { listen } from '../../../src/platform/http.js';
import { createLogger } from '../../../src/platform/logger.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(routes: Route[]): Promise<string> {
  server = createConsoleServer(routes, createLogger('silent'));
  const port = await listen(server, '127.0.0.1', 0);
  return `http://127.0.0.1:${port}`;
}

describe('console HTTP server', () => {
  it('answers /healthz, /readyz and /metrics, and routes added later by the API', async () => {
    const health = new Health();
    const routes = opsRoutes(health, new Registry());
    const base = await serve(routes);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    health.set('ready');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/api/alerts/12`)).status).toBe(404);
    routes.push({ method: 'GET', path: /^\/api\/alerts\/(\d+)$/, handle: (_req, res, { match }) => sendJson(res, 200, { id: match?.[1] }) });
    const res = await fetch(`${base}/api/alerts/12`);
    expect(await res.json()).toEqual({ id: '12' });
    expect((await fetch(`${base}/api/alerts/12`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers 500 without the error text when a handler throws', async () => {
    const base = await serve([
      {
        method: 'GET',
        path: '/boom',
        handle: () => {
          throw new Error('secret detail');
        },
      },
    ]);
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('secret detail');
  });
});
