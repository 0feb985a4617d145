import type { Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUserToFile } from '../../../../src/console/api/auth/users-file.js';
import { createConsoleApi, type ConsoleApi } from '../../../../src/console/api/index.js';
import type { Db } from '../../../../src/console/db.js';
import { createConsoleServer } from '../../../../src/console/http.js';
import type { AlertSummary, Case, ConsoleStore, Label, LabelBatch } from '../../../../src/console/store/index.js';
import type { RecordWriter } from '../../../../src/pipeline/ports.js';
import { loadConfig } from '../../../../src/platform/config.js';
import { LendguardError } from '../../../../src/platform/errors.js';
import { listen } from '../../../../src/platform/http.js';
import { createLogger } from '../../../../src/platform/logger.js';
import { contractErrors } from '../../../helpers/contract-validators.js';

/**
 * The route handlers over HTTP on an in-memory stand-in for the store (the SQL itself is tested on PostgreSQL in
 * test/integration/console-api*.test.ts): what each handler asks the store, its 404s, and what the label publisher
 * sends (records valid against the label contract; a failing send fails the request).
 */
const logger = createLogger('silent');
const summary = (id: string, applicationId: string | null): AlertSummary =>
  ({ id, applicationId, kind: applicationId ? 'application' : 'ring', ringId: null, label: null }) as AlertSummary;
const labels: Label[] = [];
const sent: { topic: string; key: string | null; value: string }[] = [];
let failSend = false;
const cases = new Map<string, Case>();
const audits: unknown[][] = [];

const store = {
  listAlerts: async (filters: unknown, page: { limit: number }) => ({ items: [summary('2', 'a-2')], next: page.limit === 1 ? 'bmV4dA' : null, filters }),
  getAlert: async (id: string) =>
    id === '1' ? { ...summary('1', 'a-1'), payload: {}, source: {}, ingestedAt: '' } : id === '3' ? { ...summary('3', null), payload: {} } : null,
  labelsFor: async (applicationId: string) => labels.filter((l) => l.applicationId === applicationId),
  casesForAlert: async () => [],
  similarAlerts: async () => [{ alert: summary('9', 'a-9'), shared: [{ kind: 'phone', masked: '139****0001', id: 'ph_1' }] }],
  ringAlertRecords: async (ringId: string) =>
    ringId === 'ring:r1' ? [{ alert: { ...summary('5', 'a-5'), ringId }, ring: null, subject: { phone: { id: 'ph_x', masked: '1' } } }] : [],
  latestApplicationAlerts: async () => [],
  latestLabels: async () => new Map(),
  addLabels: async (batch: LabelBatch) => {
    const added = batch.applicationIds.map((applicationId, k) => ({
      id: String(labels.length + k + 1),
      applicationId,
      label: batch.label,
      note: batch.note ?? null,
      author: batch.author,
      createdAt: new Date().toISOString(),
    }));
    await batch.beforeCommit?.(added); // throws: nothing is kept, as the transaction would roll back
    labels.push(...added);
    return added;
  },
  createCase: async (input: { title: string; assignee?: string | null; actor: string }) => {
    const c = {
      id: String(cases.size + 1),
      title: input.title,
      assignee: input.assignee ?? null,
      status: 'open',
      createdBy: input.actor,
      alertIds: [],
    } as unknown as Case;
    cases.set(c.id, c);
    return c;
  },
  getCase: async (id: string) => cases.get(id) ?? null,
  updateCase: async (id: string, changes: Partial<Case>) => (cases.has(id) ? Object.assign(cases.get(id) as Case, changes) : null),
  addAlertsToCase: async (id: string, alertIds: string[]) => (cases.has(id) ? { case: cases.get(id), added: alertIds, unknown: [] } : null),
  listCases: async () => ({ items: [...cases.values()], next: '1' }),
  alertSummaries: async () => [],
  auditTrail: async () => [],
  alertsAfter: async () => [],
  lastAlertId: async () => '0',
} as unknown as ConsoleStore;

const db = { query: async (...args: unknown[]) => void audits.push(args) } as unknown as Db;
const writer: RecordWriter = {
  send: async (topic, records) => {
    if (failSend) throw new LendguardError('KAFKA_UNAVAILABLE', 'broker away');
    for (const r of records) sent.push({ topic, key: r.key, value: String(r.value) });
  },
  close: async () => undefined,
};

let api: ConsoleApi;
let server: Server;
let base: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const usersFile = join(mkdtempSync(join(tmpdir(), 'lg-routes-')), 'users.yaml');
  for (const [name, role] of [
    ['vera', 'viewer'],
    ['ana', 'analyst'],
    ['adam', 'admin'],
  ] as const)
    tokens[name] = (await addUserToFile(usersFile, name, role)).token;
  const config = loadConfig({ env: { LENDGUARD_CONSOLE_USERS_FILE: usersFile, LENDGUARD_TOPIC_LABELS: 'test.labels', LENDGUARD_LOG_LEVEL: 'silent' } });
  api = createConsoleApi(config, { store, db, logger, registry: new Registry(), labelWriter: writer });
  await api.start();
  server = createConsoleServer(api.routes, logger);
  base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
});

afterAll(async () => {
  await api.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The fields these tests read, whichever route answered. */
interface Body {
  [key: string]: unknown;
  label: { createdAt: string };
  error: { code: string; fields: { path: string }[] };
  case: { id: string; status: string };
  items: { name: string }[];
}

async function call(path: string, user: string, method = 'GET', body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[user]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as Body };
}

describe('console API route handlers', () => {
  it('lists, reads and finds similar alerts; 404 for an unknown one', async () => {
    expect((await call('/api/alerts?limit=1', 'vera')).body).toEqual({ items: [expect.objectContaining({ id: '2' })], nextCursor: 'bmV4dA' });
    expect((await call('/api/alerts/1', 'vera')).body).toMatchObject({ alert: { id: '1' }, labels: [], cases: [] });
    expect((await call('/api/alerts/3', 'vera')).body).toMatchObject({ alert: { id: '3' }, labels: [] });
    expect((await call('/api/alerts/4', 'vera')).status).toBe(404);
    expect((await call('/api/alerts/1/similar', 'vera')).body.items).toHaveLength(1);
    expect((await call('/api/alerts/3/similar', 'vera')).body).toEqual({ items: [] });
    expect((await call('/api/alerts/4/similar', 'vera')).status).toBe(404);
  });

  it('publishes labels as contract records before keeping them, and keeps nothing when publishing fails', async () => {
    const ok = await call('/api/labels', 'ana', 'POST', { applicationId: 'a-1', label: 'fraud', note: 'n' });
    expect(ok.status).toBe(201);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ topic: 'test.labels', key: 'a-1' });
    const record = JSON.parse(sent[0]?.value as string) as Record<string, unknown>;
    expect(contractErrors('label', record)).toEqual([]);
    expect(record).toEqual({ applicationId: 'a-1', label: 'fraud', at: ok.body.label.createdAt, by: 'ana' });
    failSend = true;
    const failed = await call('/api/labels', 'ana', 'POST', { applicationId: 'a-2', label: 'fraud' });
    failSend = false;
    expect([failed.status, failed.body.error.code]).toEqual([503, 'KAFKA_UNAVAILABLE']);
    expect(labels.map((l) => l.applicationId)).toEqual(['a-1']);
    expect((await call('/api/alerts/1', 'vera')).body.labels).toHaveLength(1);
  });

  it('draws and labels a ring; 404 for a ring no alert names', async () => {
    expect((await call('/api/rings/ring:r1', 'vera')).body).toMatchObject({ ringId: 'ring:r1', members: [{ applicationId: 'a-5' }] });
    expect((await call('/api/rings/ring:none', 'vera')).status).toBe(404);
    const res = await call('/api/rings/ring:r1/labels', 'ana', 'POST', { label: 'legit', confirm: true });
    expect(res.body).toMatchObject({ ringId: 'ring:r1', labelled: 1 });
    expect((await call('/api/rings/ring:none/labels', 'ana', 'POST', { label: 'legit', confirm: true })).status).toBe(404);
  });

  it('opens, lists, reads, changes cases and adds alerts; an unknown assignee is a 400, an unknown case a 404', async () => {
    const created = await call('/api/cases', 'ana', 'POST', { title: 'T', assignee: 'vera' });
    expect(created.status).toBe(201);
    expect((await call('/api/cases', 'ana', 'POST', { title: 'T', assignee: 'nobody' })).body.error.fields[0]?.path).toBe('body.assignee');
    const id = created.body.case.id;
    expect((await call(`/api/cases?status=open&assignee=vera`, 'vera')).body.nextCursor).toBe(Buffer.from('1').toString('base64url'));
    expect((await call('/api/cases?cursor=eA', 'vera')).status).toBe(400);
    expect((await call(`/api/cases?cursor=${Buffer.from('1').toString('base64url')}`, 'vera')).status).toBe(200);
    expect((await call(`/api/cases/${id}`, 'vera')).body).toMatchObject({ case: { id }, alerts: [], audit: [] });
    expect((await call(`/api/cases/${id}`, 'ana', 'PATCH', { status: 'closed' })).body.case.status).toBe('closed');
    expect((await call(`/api/cases/${id}/alerts`, 'ana', 'POST', { alertIds: ['1'] })).body).toMatchObject({ added: ['1'] });
    for (const [path, method, body] of [
      ['/api/cases/99', 'GET', undefined],
      ['/api/cases/99', 'PATCH', { status: 'open' }],
      ['/api/cases/99/alerts', 'POST', { alertIds: ['1'] }],
    ] as const)
      expect((await call(path, 'ana', method, body)).status, `${method} ${path}`).toBe(404);
  });

  it('manages users for admins, audits them, serves /api/me, /metrics, the OpenAPI document and logout', async () => {
    const added = await call('/api/users', 'adam', 'POST', { name: 'nina', role: 'viewer' });
    expect(added.status).toBe(201);
    expect((await call('/api/users', 'adam')).body.items.map((u) => u.name)).toEqual(['adam', 'ana', 'nina', 'vera']);
    expect((await call('/api/users/nina', 'adam', 'DELETE')).status).toBe(204);
    expect((await call('/api/users/nina', 'adam', 'DELETE')).status).toBe(404);
    expect((await call('/api/users/adam', 'adam', 'DELETE')).status).toBe(409);
    expect(audits.map((a) => (a[1] as unknown[])[1])).toEqual(['user.add', 'user.remove']);
    expect((await call('/api/me', 'ana')).body).toEqual({ name: 'ana', role: 'analyst', via: 'token' });
    expect((await call('/metrics', 'vera')).status).toBe(200);
    const doc = (await call('/api/openapi.json', 'vera')).body as unknown as { paths: Record<string, Record<string, unknown>> };
    for (const r of api.declarations) expect(doc.paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    expect((await call('/api/logout', 'vera', 'POST')).status).toBe(204);
  });
});

describe('console API configuration policy', () => {
  it('refuses dev users and a missing session key in production, and a users file that is missing', () => {
    const deps = { store, db, logger, registry: new Registry(), labelWriter: writer };
    const prod = { LENDGUARD_MODE: 'production', LENDGUARD_PII_KEY: 'p'.repeat(32) };
    expect(() => createConsoleApi(loadConfig({ env: { ...prod, LENDGUARD_CONSOLE_DEV_USERS: 'true' } }), deps)).toThrow(/devUsers is refused in production/);
    expect(() => createConsoleApi(loadConfig({ env: prod }), deps)).toThrow(/session.key is required in production/);
    expect(() => createConsoleApi(loadConfig({ env: { LENDGUARD_CONSOLE_USERS_FILE: '/nonexistent/users.yaml' } }), deps)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() => loadConfig({ env: { LENDGUARD_CONSOLE_SESSION_KEY: 'short' } })).toThrow(/console\.session\.key/);
  });

  it('creates development users with printed tokens', async () => {
    const dev = createConsoleApi(loadConfig({ env: { LENDGUARD_CONSOLE_DEV_USERS: 'true', LENDGUARD_LOG_LEVEL: 'silent' } }), {
      store,
      db,
      logger,
      registry: new Registry(),
      labelWriter: writer,
    });
    const write = process.stderr.write.bind(process.stderr);
    const printed: string[] = [];
    process.stderr.write = (chunk: string | Uint8Array): boolean => printed.push(String(chunk)) > 0;
    try {
      await dev.start();
    } finally {
      process.stderr.write = write;
    }
    expect(dev.devTokens().map((d) => d.name)).toEqual(['dev-viewer', 'dev-analyst']);
    expect(printed.join('')).toContain(dev.devTokens()[1]?.token);
    expect(await dev.users.authenticate(dev.devTokens()[0]?.token as string)).toMatchObject({ role: 'viewer' });
    await dev.close();
  });
});
