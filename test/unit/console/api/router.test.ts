import type { Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Authenticator } from '../../../../src/console/api/auth/authenticate.js';
import { UserDirectory } from '../../../../src/console/api/auth/directory.js';
import { Sessions } from '../../../../src/console/api/auth/sessions.js';
import { addUserToFile } from '../../../../src/console/api/auth/users-file.js';
import { openApiDocument } from '../../../../src/console/api/openapi.js';
import { RateLimiter } from '../../../../src/console/api/rate-limit.js';
import { compilePath, defineRoute, queryObject, toRoutes, type ApiRoute } from '../../../../src/console/api/router.js';
import { createConsoleServer } from '../../../../src/console/http.js';
import { LendguardError } from '../../../../src/platform/errors.js';
import { listen } from '../../../../src/platform/http.js';
import { createLogger } from '../../../../src/platform/logger.js';

/** The API router over HTTP with trivial handlers: the order of its checks and its error answers (no database). */
const logger = createLogger('silent');
let server: Server;
let base: string;
const tokens: Record<string, string> = {};

const declarations: ApiRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/api/things/{id}',
    role: 'viewer',
    tag: 't',
    summary: 'a thing',
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    query: z.object({ n: z.string().regex(/^\d+$/).optional() }).strict(),
    responses: { 200: 'the thing' },
    handle: async ({ params, query, principal }) => ({ body: { id: params.id, n: query.n ?? null, user: principal.user.name } }),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/things',
    role: 'analyst',
    tag: 't',
    summary: 'make one',
    body: z.object({ name: z.string().min(1) }).strict(),
    responses: { 201: 'made' },
    handle: async ({ body }) => ({ status: 201, body: { made: body.name } }),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/fail/{how}',
    role: 'viewer',
    tag: 't',
    summary: 'fails',
    params: z.object({ how: z.enum(['retriable', 'bug']) }),
    responses: { 200: 'never' },
    handle: async ({ params }) => {
      if (params.how === 'retriable') throw new LendguardError('POSTGRES_UNAVAILABLE', 'connect ECONNREFUSED 10.0.0.1:5432');
      throw new Error('secret internal detail');
    },
  }),
];

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'lg-router-')), 'users.yaml');
  for (const [name, role] of [
    ['vera', 'viewer'],
    ['ana', 'analyst'],
    ['nina', 'viewer'], // never used before the limit test: her token still needs its hash checked
  ] as const)
    tokens[name] = (await addUserToFile(file, name, role)).token;
  const users = new UserDirectory(file, logger);
  const auth = new Authenticator(
    users,
    new Sessions({ key: 'k'.repeat(40), ttlMs: 60_000, cookieSecure: 'auto' }),
    new RateLimiter({ perMinute: 5, burst: 5 }),
  );
  const routes = toRoutes(declarations, { auth, writes: new RateLimiter({ perMinute: 60, burst: 8 }), maxBodyBytes: 1024, logger });
  server = createConsoleServer(routes, logger);
  base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = async (path: string, token?: string, init: RequestInit = {}) => {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { error?: { code: string; message: string; fields?: { path: string }[] } } & Record<string, unknown>,
  };
};
const post = (body: string, token: string, type = 'application/json') => get('/api/things', token, { method: 'POST', body, headers: { 'content-type': type } });

describe('console API router', () => {
  it('compiles path templates and reads repeated query parameters as arrays', () => {
    const { regex, names } = compilePath('/api/rings/{ringId}/labels');
    expect(names).toEqual(['ringId']);
    expect('/api/rings/ring%3Aa/labels'.match(regex)?.[1]).toBe('ring%3Aa');
    expect(regex.test('/api/rings/a/b/labels')).toBe(false);
    expect(queryObject(new URL('http://x/?a=1&b=2&b=3'))).toEqual({ a: '1', b: ['2', '3'] });
  });

  it('authenticates, then checks the role, then validates, then answers', async () => {
    expect((await get('/api/things/1')).status).toBe(401);
    expect((await get('/api/things/1', tokens.vera)).body).toEqual({ id: '1', n: null, user: 'vera' });
    expect((await get('/api/things/1?n=2', tokens.vera)).body).toMatchObject({ n: '2' });
    const badParam = await get('/api/things/x', tokens.vera);
    expect([badParam.status, badParam.body.error?.fields?.map((f) => f.path)]).toEqual([400, ['params.id']]);
    const unknown = await get('/api/things/1?m=1', tokens.vera);
    expect([unknown.status, unknown.body.error?.fields?.map((f) => f.path)]).toEqual([400, ['query']]);
    expect((await post('{"name":"a"}', tokens.vera as string)).status).toBe(403);
    expect((await post('{"name":""}', tokens.vera as string)).status).toBe(403); // the role before the body
    expect((await post('{"name":"a"}', tokens.ana as string)).body).toEqual({ made: 'a' });
    const invalid = await post('{"name":""}', tokens.ana as string);
    expect([invalid.status, invalid.body.error?.fields?.map((f) => f.path)]).toEqual([400, ['body.name']]);
    expect((await post('{not json', tokens.ana as string)).body.error?.code).toBe('INVALID_REQUEST');
    expect((await post('name=a', tokens.ana as string, 'text/plain')).status).toBe(415);
    expect((await post(JSON.stringify({ name: 'x'.repeat(2000) }), tokens.ana as string)).status).toBe(413);
    expect((await get('/api/things/1', tokens.vera, { method: 'DELETE' })).body.error?.code).toBe('METHOD_NOT_ALLOWED');
    expect((await get('/api/nothing', tokens.vera)).body.error?.code).toBe('NOT_FOUND');
  });

  it("rate-limits a user's writes with 429 and Retry-After", async () => {
    let last = await post('{"name":"a"}', tokens.ana as string);
    for (let k = 0; k < 10 && last.status !== 429; k++) last = await post('{"name":"a"}', tokens.ana as string);
    expect(last.status).toBe(429);
    expect(last.body.error?.code).toBe('RATE_LIMITED');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await get('/api/things/1', tokens.ana)).status).toBe(200);
  });

  it('maps a dependency outage to 503 and a bug to a generic 500, never sending the error text', async () => {
    const away = await get('/api/fail/retriable', tokens.vera);
    expect([away.status, away.body.error?.code, away.headers.get('retry-after')]).toEqual([503, 'POSTGRES_UNAVAILABLE', '5']);
    expect(away.body.error?.message).not.toContain('10.0.0.1');
    const bug = await get('/api/fail/bug', tokens.vera);
    expect([bug.status, bug.body.error?.code]).toEqual([500, 'INTERNAL']);
    expect(JSON.stringify(bug.body)).not.toContain('secret');
  });

  it('answers 429 to an address after too many failed authentications, before checking any hash', async () => {
    expect((await get('/api/things/1', tokens.vera)).status).toBe(200);
    let last = await get('/api/things/1', 'lgc_vera_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    for (let k = 0; k < 10 && last.status !== 429; k++) last = await get('/api/things/1', 'wrong');
    expect(last.status).toBe(429);
    expect((await get('/api/things/1', tokens.nina)).status).toBe(429); // a hash to check: refused first
    // A token checked within the minute costs no hash: failures of others on a shared address do not lock vera out.
    expect((await get('/api/things/1', tokens.vera)).status).toBe(200);
  });

  it('describes every declared route in the OpenAPI document, with roles, parameters and bodies', () => {
    const doc = openApiDocument(declarations, '1') as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const r of declarations) expect(doc.paths[r.path]?.[r.method.toLowerCase()]).toMatchObject({ 'x-role': r.role, summary: r.summary });
    const get1 = doc.paths['/api/things/{id}']?.get as { parameters: { name: string; in: string; required: boolean }[]; responses: Record<string, unknown> };
    expect(get1.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['id', 'path', true],
      ['n', 'query', false],
    ]);
    expect(Object.keys(get1.responses).sort()).toEqual(['200', '400', '401', '403']);
    const post1 = doc.paths['/api/things']?.post as { requestBody: { content: { 'application/json': { schema: { properties: object } } } }; responses: object };
    expect(Object.keys(post1.requestBody.content['application/json'].schema.properties)).toEqual(['name']);
    expect(Object.keys(post1.responses)).toContain('429');
  });
});
