/**
 * The console's HTTP API for integration tests: a console in this process (its own alerts and labels topics,
 * PostgreSQL schema and users file with a viewer, an analyst and an admin), a small fetch client, and alert rows to
 * seed the store directly.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertRow } from '../../src/console/alert-row.js';
import { generateToken, hashToken } from '../../src/console/api/auth/tokens.js';
import { writeUsersFile, type Role } from '../../src/console/api/auth/users-file.js';
import { createConsoleApp, type ConsoleApp } from '../../src/console/app.js';
import { decodeAlert } from '../../src/console/decode-alert.js';
import type { SyntheticAlert } from './console-alerts.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { consoleSetup, type ConsoleSetup } from './console.js';
import { createTopics } from './services.js';

export const TEST_USERS = { vera: 'viewer', ana: 'analyst', rita: 'analyst', adam: 'admin' } as const satisfies Record<string, Role>;
export type TestUser = keyof typeof TEST_USERS;

export interface ApiSetup extends ConsoleSetup {
  labelsTopic: string;
  usersFile: string;
  /** a token of each test user: vera (viewer), ana and rita (analysts), adam (admin) */
  tokens: Record<TestUser, string>;
}

/** Users file and topics; `extraEnv` overrides the console's env. */
export async function apiSetup(extraEnv: Record<string, string> = {}): Promise<ApiSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'lg-console-api-'));
  const usersFile = join(dir, 'users.yaml');
  const tokens = {} as Record<TestUser, string>;
  const users = [];
  for (const [name, role] of Object.entries(TEST_USERS) as [TestUser, Role][]) {
    tokens[name] = generateToken(name);
    users.push({ name, role, tokenHash: await hashToken(tokens[name]) });
  }
  writeUsersFile(usersFile, users);
  const base = await consoleSetup({ partitions: 1 });
  const labelsTopic = `${base.id}.labels`;
  await createTopics([{ topic: labelsTopic, partitions: 1 }]);
  const env = {
    ...base.env,
    LENDGUARD_TOPIC_LABELS: labelsTopic,
    LENDGUARD_CONSOLE_USERS_FILE: usersFile,
    LENDGUARD_CONSOLE_SESSION_KEY: randomBytes(32).toString('base64url'),
    ...extraEnv,
  };
  return { ...base, env, labelsTopic, usersFile, tokens };
}

/** The console in this process with config overrides (e.g. small rate limits), started. */
export async function startApi(setup: ApiSetup, overrides: Record<string, unknown> = {}): Promise<{ app: ConsoleApp; base: string }> {
  const config = loadConfig({ env: setup.env, overrides: { 'processing.retryInitialMs': 100, 'processing.retryMaxMs': 1000, ...overrides } });
  const app = createConsoleApp(config, { logger: createLogger(config.log.level) });
  await app.start();
  return { app, base: `http://127.0.0.1:${app.httpPort()}` };
}

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  /** performance.now() when it arrived */
  receivedAt: number;
}

/** An open GET /api/stream: the events so far, a wait for the next matching one, and close. */
export interface SseStream {
  events: SseEvent[];
  comments: number;
  next(match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openStream(base: string, token: string, lastEventId?: string): Promise<SseStream> {
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) };
  const res = await fetch(`${base}/api/stream`, { headers, signal: abort.signal });
  if (res.status !== 200 || !res.body) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const stream: SseStream & { waiters: (() => void)[] } = {
    events: [],
    comments: 0,
    waiters: [],
    async next(match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let seen = 0;
      for (;;) {
        const found = stream.events.slice(seen).find(match);
        if (found) return found;
        seen = stream.events.length;
        if (Date.now() > deadline) throw new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(stream.events.map((e) => e.event))}`);
        await new Promise<void>((resolve) => {
          stream.waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => abort.abort(),
  };
  void readEvents(res.body, stream).catch(() => undefined);
  return stream;
}

async function readEvents(body: ReadableStream<Uint8Array>, stream: SseStream & { waiters: (() => void)[] }): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (block.startsWith(':')) stream.comments++;
      else stream.events.push(parseEvent(block));
    }
    for (const w of stream.waiters.splice(0)) w();
  }
}

function parseEvent(block: string): SseEvent {
  const e: SseEvent = { event: 'message', data: '', receivedAt: performance.now() };
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    const [field, value] = colon < 0 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
    if (field === 'id') e.id = value;
    else if (field === 'event') e.event = value;
    else if (field === 'data') e.data += value;
  }
  return e;
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch with a bearer token (or none) and a JSON body; the answer's body parsed when it is JSON. */
export async function call<T = Record<string, unknown>>(
  base: string,
  path: string,
  opts: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method: opts.method ?? 'GET', headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
}

/** A synthetic alert as the row the ingest would store (source offset = its index). */
export function alertRow(a: SyntheticAlert, topic = 'seed.alerts'): AlertRow {
  const d = decodeAlert({ source: { topic, partition: 0, offset: String(a.index) }, key: a.key, value: Buffer.from(a.value) });
  if (!('row' in d)) throw new Error(d.dead.reason);
  return d.row;
}
