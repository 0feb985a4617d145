/**
 * Load on the console's API during the burst: `clients` closed-loop pollers, each cycling through the feed without
 * and with filters and the detail of a recently listed alert (a pause of `thinkMs` after each answer), and one
 * `GET /api/stream` client counting the alerts it receives.
 */
import { openStream, type SseStream } from '../../test/helpers/console-api.js';
import { summarise } from '../lib.js';
import { sleep } from '../harness.js';

export const ROUTES = ['GET /api/alerts', 'GET /api/alerts?level=critical', 'GET /api/alerts?country=CN&labelled=false', 'GET /api/alerts/{id}'] as const;
export type Route = (typeof ROUTES)[number];

export interface RouteStats {
  ok: number;
  errors: number;
  /** answers by status ("error" for a request that failed without one) */
  statuses: Record<string, number>;
  latencyMs: ReturnType<typeof summarise>;
  /** p50 / p99 of the first, middle and last third of the burst (does it grow with the table?) */
  byThird: { p50: number; p99: number }[];
}

interface Samples {
  ms: number[];
  at: number[];
  statuses: Record<string, number>;
}

export interface Pollers {
  stop(): Promise<Record<Route, RouteStats>>;
}

const LIST_PATH: Record<Exclude<Route, 'GET /api/alerts/{id}'>, string> = {
  'GET /api/alerts': '/api/alerts?limit=50',
  'GET /api/alerts?level=critical': '/api/alerts?level=critical&limit=50',
  'GET /api/alerts?country=CN&labelled=false': '/api/alerts?country=CN&labelled=false&limit=50',
};

/** Starts the pollers; `stop()` ends them after their request in flight and summarises. */
export function startPollers(base: string, token: string, clients: number, thinkMs: number): Pollers {
  const samples = Object.fromEntries(ROUTES.map((r) => [r, { ms: [], at: [], statuses: {} }])) as unknown as Record<Route, Samples>;
  const recentIds: string[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let n = c; running; n++) {
      const route = ROUTES[n % ROUTES.length] as Route;
      const path = route === 'GET /api/alerts/{id}' ? detailPath(recentIds, n) : LIST_PATH[route];
      if (path) await timed(base, path, token, samples[route], recentIds);
      await sleep(thinkMs);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return Object.fromEntries(ROUTES.map((r) => [r, routeStats(samples[r])])) as Record<Route, RouteStats>;
    },
  };
}

function detailPath(recentIds: readonly string[], n: number): string | null {
  if (recentIds.length === 0) return null;
  return `/api/alerts/${recentIds[n % recentIds.length]}`;
}

async function timed(base: string, path: string, token: string, into: Samples, recentIds: string[]): Promise<void> {
  const started = performance.now();
  let status: string;
  try {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    status = String(res.status);
    if (res.status === 200 && path.includes('?')) remember(text, recentIds);
  } catch {
    status = 'error';
  }
  into.ms.push(performance.now() - started);
  into.at.push(started);
  into.statuses[status] = (into.statuses[status] ?? 0) + 1;
}

/** Keeps the ids of the newest listed alerts, for the detail requests. */
function remember(body: string, recentIds: string[]): void {
  const items = (JSON.parse(body) as { items?: { id: string }[] }).items ?? [];
  if (items.length === 0) return;
  recentIds.splice(0, recentIds.length, ...items.slice(0, 20).map((i) => i.id));
}

function routeStats(s: Samples): RouteStats {
  const ok = s.statuses['200'] ?? 0;
  return { ok, errors: s.ms.length - ok, statuses: s.statuses, latencyMs: summarise(s.ms), byThird: thirds(s) };
}

function thirds(s: Samples): { p50: number; p99: number }[] {
  const from = Math.min(...s.at);
  const span = (Math.max(...s.at) - from) / 3 || 1;
  return [0, 1, 2].map((k) => {
    const part = s.ms.filter((_, i) => Math.min(2, Math.floor(((s.at[i] as number) - from) / span)) === k);
    const q = summarise(part);
    return { p50: q.p50, p99: q.p99 };
  });
}

// ---------------------------------------------------------------------------------------------
// The live stream.

export interface StreamCount {
  events: number;
  alerts: number;
  overflows: number;
  /** row id → when it arrived (ms since the epoch) */
  receivedAt: Map<string, number>;
}

export function openSse(base: string, token: string): Promise<SseStream> {
  return openStream(base, token);
}

/** The alerts the stream delivered so far. */
export function countStream(stream: SseStream): StreamCount {
  const out: StreamCount = { events: 0, alerts: 0, overflows: 0, receivedAt: new Map() };
  for (const e of stream.events) {
    if (e.event === 'overflow') out.overflows += 1;
    if (e.event !== 'alerts') continue;
    out.events += 1;
    const at = performance.timeOrigin + e.receivedAt;
    for (const item of (JSON.parse(e.data) as { items: { id: string }[] }).items) {
      out.alerts += 1;
      out.receivedAt.set(item.id, at);
    }
  }
  return out;
}
