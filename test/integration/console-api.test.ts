import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRow } from '../../src/console/alert-row.js';
import type { ConsoleApp } from '../../src/console/app.js';
import { RARE_CODE, syntheticAlerts } from '../helpers/console-alerts.js';
import { alertRow, apiSetup, call, startApi, type ApiSetup } from '../helpers/console-api.js';
import { matches, readFilters } from '../../src/console/ui/web/filters.js';
import { decodeCursor, type AlertSummary } from '../../src/console/store/index.js';
import { contractErrors } from '../helpers/contract-validators.js';
import { dropTestSchemas } from '../helpers/postgres.js';
import { collect } from '../helpers/services.js';

/**
 * The console's HTTP API on a real PostgreSQL and a real Kafka: authentication and roles, validation, the feed's
 * pages and filters over 3,000 seeded alerts, the ring view, labels (stored, audited, on the labels topic and valid
 * against its contract), cases, users, sessions with CSRF, rate limits, headers and the OpenAPI document.
 */
const TOTAL = 3000;
const START = Date.parse('2026-10-01T00:00:00.000Z');
const PREFIX = 'ap';

let setup: ApiSetup;
let app: ConsoleApp;
let base: string;
let rows: AlertRow[];
/** database id by generator index */
const idOf = new Map<number, string>();
type Body = Record<string, unknown>;
type Page = { items: { id: string; applicationId: string | null }[]; nextCursor: string | null };

/** labels published through the API so far (the test labels topic has one partition: they are read back in order) */
let publishedLabels = 0;

const as = (user: keyof ApiSetup['tokens']) => setup.tokens[user];

/** Every page of a query through the API's cursor; asserts each page is at most `limit`. */
async function walk(query: string, limit = 137): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: Page } = await call<Page>(
      base,
      `/api/alerts?${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      { token: as('vera') },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.items.map((i) => i.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids;
}

/** The ids a filter must return in feed order (detected_at desc, id desc), from the generator's rows. */
function expected(pick: (r: AlertRow, i: number) => boolean): string[] {
  return rows
    .map((r, i) => ({ r, i, id: BigInt(idOf.get(i) as string) }))
    .filter(({ r, i }) => pick(r, i))
    .sort((a, b) => b.r.detectedAt.localeCompare(a.r.detectedAt) || (b.id > a.id ? 1 : -1))
    .map(({ id }) => id.toString());
}

beforeAll(async () => {
  setup = await apiSetup();
  ({ app, base } = await startApi(setup, { 'console.rateLimit.writeBurst': 200, 'console.rateLimit.writesPerMinute': 600 }));
  rows = syntheticAlerts(PREFIX, TOTAL, START).map((a) => alertRow(a));
  expect(await app.store.insertAlerts(rows)).toBe(TOTAL);
  for (const r of (await app.db.query<{ id: string; source_offset: string }>('SELECT id, source_offset FROM alerts')).rows)
    idOf.set(Number(r.source_offset), r.id);
  for (let i = 0; i < TOTAL; i += 10)
    if (rows[i]?.applicationId) await app.store.addLabel({ applicationId: rows[i]?.applicationId as string, label: 'legit', author: 'seed' });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await dropTestSchemas();
});

describe('console API: authentication, roles, headers', () => {
  it('answers 401 with a JSON error without a token, with a bad one, and with a malformed header', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer lgc_vera_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      { authorization: 'Bearer nonsense' },
      { authorization: 'Basic dmVyYTp4' },
    ];
    for (const headers of attempts) {
      const res = await call<Body>(base, '/api/alerts', { headers });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
    expect((await call(base, '/metrics')).status).toBe(401);
    expect((await call(base, '/metrics', { token: as('vera') })).status).toBe(200);
    expect((await call(base, '/healthz')).status).toBe(200);
    expect((await call(base, '/readyz')).status).toBe(200);
  });

  it('lets a viewer read and refuses its writes with 403', async () => {
    const list = await call<Page>(base, '/api/alerts?limit=5', { token: as('vera') });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(5);
    const one = await call<Body>(base, `/api/alerts/${list.body.items[0]?.id}`, { token: as('vera') });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ alert: { id: list.body.items[0]?.id }, labels: expect.any(Array), cases: [] });
    const write = await call<Body>(base, '/api/labels', { token: as('vera'), method: 'POST', body: { applicationId: 'x-1', label: 'fraud' } });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await call(base, '/api/cases', { token: as('vera'), method: 'POST', body: { title: 't' } })).status).toBe(403);
    expect((await call(base, '/api/users', { token: as('ana') })).status).toBe(403);
    expect((await call<Body>(base, '/api/me', { token: as('vera') })).body).toMatchObject({ name: 'vera', role: 'viewer', via: 'token' });
  });

  it('sends the security headers on every response, and no-store on /api', async () => {
    for (const path of ['/healthz', '/api/alerts', '/api/nowhere']) {
      const res = await call(base, path, { token: as('vera') });
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      if (path.startsWith('/api')) expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect((await call<Body>(base, '/api/nowhere', { token: as('vera') })).body).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('console API: validation', () => {
  it('answers 400 naming each bad field, refuses unknown parameters, bodies that are not JSON or too large', async () => {
    const bad = async (path: string, opts: Parameters<typeof call>[2] = {}) => {
      const res = await call<{ error: { code: string; fields?: { path: string }[] } }>(base, path, { token: as('ana'), ...opts });
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
      return (res.body.error.fields ?? []).map((f) => f.path);
    };
    expect(await bad('/api/alerts?limit=0')).toEqual(['query.limit']);
    expect(await bad('/api/alerts?limit=501')).toEqual(['query.limit']);
    expect((await bad('/api/alerts?level=extreme'))[0]).toMatch(/^query\.level/);
    expect(await bad('/api/alerts?country=china')).toEqual(['query.country']);
    expect(await bad('/api/alerts?from=yesterday')).toEqual(['query.from']);
    expect(await bad('/api/alerts?labelled=maybe')).toEqual(['query.labelled']);
    expect(await bad('/api/alerts?nationalId=110101199003071234')).toEqual(['query']);
    expect(await bad('/api/alerts?cursor=Zm9yZ2Vk')).toEqual(['query.cursor']);
    expect(await bad('/api/alerts/abc')).toEqual(['params.id']);
    expect((await bad('/api/labels', { method: 'POST', body: { label: 'maybe' } })).sort()).toEqual(['body.applicationId', 'body.label']);
    expect(await bad('/api/labels', { method: 'POST', body: { applicationId: 'a', label: 'fraud', extra: 1 } })).toEqual(['body']);
    expect(await bad('/api/cases', { method: 'POST', body: { title: '' } })).toEqual(['body.title']);
    const notJson = await call<Body>(base, '/api/labels', { token: as('ana'), method: 'POST', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400); // no body at all: the schema wants one
    const text = await fetch(`${base}/api/labels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${as('ana')}`, 'content-type': 'text/plain' },
      body: 'label=fraud',
    });
    expect(text.status).toBe(415);
    const big = await fetch(`${base}/api/labels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${as('ana')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ applicationId: 'a', label: 'fraud', note: 'x'.repeat(70_000) }),
    });
    expect(big.status).toBe(413);
    expect((await call(base, '/api/alerts/999999999', { token: as('vera') })).status).toBe(404);
  });
});

describe('console API: the feed', () => {
  it('walks all alerts with the cursor exactly once, in feed order', async () => {
    const ids = await walk('', 137);
    expect(ids).toHaveLength(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(ids).toEqual(expected(() => true));
  });

  it('returns exactly the rows of each filter through every page', async () => {
    const from = new Date(START + 3600_000).toISOString();
    const to = new Date(START + 7200_000).toISOString();
    const cases: [string, (r: AlertRow, i: number) => boolean][] = [
      ['level=critical', (r) => r.level === 'critical'],
      ['level=critical,medium', (r) => r.level === 'critical' || r.level === 'medium'],
      ['level=critical&level=medium', (r) => r.level === 'critical' || r.level === 'medium'],
      [`rule=${RARE_CODE}`, (r) => r.ruleCodes.includes(RARE_CODE)],
      [
        'rule=DEVICE_MANY_IDENTITIES,PHONE_VELOCITY&ruleMatch=all',
        (r) => r.ruleCodes.includes('DEVICE_MANY_IDENTITIES') && r.ruleCodes.includes('PHONE_VELOCITY'),
      ],
      ['partner=partner-7', (r) => r.partnerId === 'partner-7'],
      ['country=US', (r) => r.ipCountry === 'US'],
      ['country=CN&region=Region%204', (r) => r.ipCountry === 'CN' && r.ipRegion === 'Region 4'],
      ['ipClass=carrier-nat,private', (r) => r.ipClass === 'carrier-nat' || r.ipClass === 'private'],
      [`ringId=${encodeURIComponent(`ring:${PREFIX}-r1`)}`, (r) => r.ringId === `ring:${PREFIX}-r1`],
      ['kind=ring', (r) => r.kind === 'ring'],
      [`from=${from}&to=${to}`, (r) => Date.parse(r.detectedAt) >= START + 3600_000 && Date.parse(r.detectedAt) < START + 7200_000],
      ['labelled=true', (r, i) => r.kind === 'application' && i % 10 === 0],
      ['labelled=false&level=high', (r, i) => !(r.kind === 'application' && i % 10 === 0) && r.level === 'high'],
      [`q=${PREFIX}-0012`, (r) => (r.applicationId ?? '').startsWith(`${PREFIX}-0012`)],
    ];
    // The page filters live alerts itself (src/console/ui/web/filters.ts): it must select what the server does.
    const all: AlertSummary[] = [];
    for (let page = await app.store.listAlerts({}, { limit: 500 }); ;) {
      all.push(...page.items);
      if (!page.next) break;
      page = await app.store.listAlerts({}, { limit: 500, after: decodeCursor(page.next) });
    }
    expect(all.length).toBe(TOTAL);
    for (const [query, pick] of cases) {
      const want = expected(pick);
      expect(want.length, query).toBeGreaterThan(0);
      expect(await walk(query, 97), query).toEqual(want);
      const filters = readFilters(new URLSearchParams(query));
      expect(
        all.filter((a) => matches(a, filters)).map((a) => a.id),
        `page filter ${query}`,
      ).toEqual(want);
    }
  });
});

describe('console API: labels to detection', () => {
  it("stores an analyst's label, audits it, and publishes a record valid against the label contract", async () => {
    const applicationId = rows[5]?.applicationId as string;
    const res = await call<{ label: { id: string; createdAt: string } }>(base, '/api/labels', {
      token: as('ana'),
      method: 'POST',
      body: { applicationId, label: 'fraud', note: 'device farm' },
    });
    expect(res.status).toBe(201);
    expect(res.body.label).toMatchObject({ applicationId, label: 'fraud', author: 'ana', note: 'device farm' });
    const labels = await app.store.labelsFor(applicationId);
    expect(labels[0]).toMatchObject({ label: 'fraud', author: 'ana' });
    const trail = await app.store.auditTrail(`application:${applicationId}`);
    expect(trail[0]).toMatchObject({ actor: 'ana', action: 'label.add', detail: { label: 'fraud', labelId: res.body.label.id } });
    publishedLabels += 1;
    const [record] = await collect(setup.labelsTopic, { count: 1, readCommitted: true });
    expect(record?.key).toBe(applicationId);
    const value = JSON.parse(record?.value?.toString('utf8') ?? 'null') as Body;
    expect(contractErrors('label', value)).toEqual([]);
    expect(value).toEqual({ applicationId, label: 'fraud', at: res.body.label.createdAt, by: 'ana' });
    const detail = await call<{ labels: { author: string }[] }>(base, `/api/alerts/${idOf.get(5)}`, { token: as('vera') });
    expect(detail.body.labels[0]).toMatchObject({ author: 'ana', label: 'fraud' });
  });
});

describe('console API: rings', () => {
  const ringId = `ring:${PREFIX}-r1`;

  it('draws a seeded ring: members as application nodes, shared pseudonyms as identifier nodes, known fraud marked', async () => {
    const fraudApp = rows[1000]?.applicationId as string;
    await app.store.addLabel({ applicationId: fraudApp, label: 'fraud', author: 'ana' });
    const res = await call<{
      ring: { id: string; members: string[] } | null;
      history: { event: string }[];
      members: { applicationId: string; knownFraud: boolean; alertId: string | null }[];
      nodes: { id: string; kind: string; binder?: string; masked?: string; knownFraud?: boolean }[];
      edges: { source: string; target: string; kind: string }[];
      limits: { truncated: boolean; maxNodes: number };
    }>(base, `/api/rings/${encodeURIComponent(ringId)}`, { token: as('vera') });
    expect(res.status).toBe(200);
    const { body } = res;
    expect(body.ring?.id).toBe(ringId);
    // ring alerts i = 1019, 1039, … 1999 (50), each naming members i-1 and i-2; tagged application alerts i % 100 < 3
    expect(body.history).toHaveLength(50);
    const memberIds = new Set(body.members.map((m) => m.applicationId));
    for (let i = 1000; i < 2000; i++) {
      const tagged = i % 100 < 3;
      const named = i % 20 === 18 || i % 20 === 17;
      expect(memberIds.has(rows[i]?.applicationId as string), String(i)).toBe(tagged || named);
    }
    expect(body.members.find((m) => m.applicationId === fraudApp)?.knownFraud).toBe(true);
    expect(body.nodes.find((n) => n.id === `application:${fraudApp}`)?.knownFraud).toBe(true);
    // 1000 and 1001 share the phone pseudonym ph_ap500 (masked 139****0500)
    const phone = body.nodes.find((n) => n.id === `identifier:ph_${PREFIX}500`);
    expect(phone).toMatchObject({ kind: 'identifier', binder: 'phone', masked: '139****0500' });
    const phoneEdges = body.edges.filter((e) => e.target === phone?.id).map((e) => e.source);
    expect(phoneEdges.sort()).toEqual([`application:${rows[1000]?.applicationId}`, `application:${rows[1001]?.applicationId}`]);
    const nodeIds = new Set(body.nodes.map((n) => n.id));
    expect(body.edges.every((e) => nodeIds.has(e.source) && nodeIds.has(e.target))).toBe(true);
    expect(body.limits).toMatchObject({ truncated: false, maxNodes: 2000 });
    expect((await call(base, '/api/rings/ring:none', { token: as('vera') })).status).toBe(404);
  });

  it('labels every member of a ring with confirm: one audit row per member and one for the action, all published', async () => {
    const ring = `ring:${PREFIX}-r2`;
    const noConfirm = await call<{ error: { fields: { path: string }[] } }>(base, `/api/rings/${encodeURIComponent(ring)}/labels`, {
      token: as('ana'),
      method: 'POST',
      body: { label: 'fraud' },
    });
    expect(noConfirm.status).toBe(400);
    expect(noConfirm.body.error.fields.map((f) => f.path)).toEqual(['body.confirm']);
    const res = await call<{ labelled: number; labels: { applicationId: string }[] }>(base, `/api/rings/${encodeURIComponent(ring)}/labels`, {
      token: as('ana'),
      method: 'POST',
      body: { label: 'fraud', note: 'ring confirmed', confirm: true },
    });
    expect(res.status).toBe(201);
    expect(res.body.labelled).toBe(130);
    const trail = await app.store.auditTrail(`ring:${ring}`);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actor: 'ana', action: 'ring.label', detail: { members: 130, label: 'fraud' } });
    const perMember = await app.db.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'label.add' AND detail->>'via' = $1`, [
      `ring:${ring}`,
    ]);
    expect(Number(perMember.rows[0]?.n)).toBe(130);
    publishedLabels += 130;
    const records = await collect(setup.labelsTopic, { count: publishedLabels, readCommitted: true });
    const published = records.slice(publishedLabels - 130).map((r) => JSON.parse(r.value?.toString('utf8') ?? '{}') as Body);
    expect(published.every((v) => contractErrors('label', v).length === 0 && v.label === 'fraud' && v.by === 'ana')).toBe(true);
    expect(new Set(published.map((v) => v.applicationId))).toEqual(new Set(res.body.labels.map((l) => l.applicationId)));
  });
});

describe('console API: cases', () => {
  it('opens, reads, assigns, investigates, closes a case and adds alerts; each step audited', async () => {
    const [a1, a2] = [idOf.get(10) as string, idOf.get(11) as string];
    const created = await call<{ case: { id: string; status: string } }>(base, '/api/cases', {
      token: as('ana'),
      method: 'POST',
      body: { title: 'Farm devices', assignee: 'ana', alertIds: [a1] },
    });
    expect(created.status).toBe(201);
    const id = created.body.case.id;
    expect(created.body.case).toMatchObject({ status: 'open', alertIds: [a1], createdBy: 'ana', assignee: 'ana' });
    const patch = (body: Body, token = as('ana')) => call<{ case: Body }>(base, `/api/cases/${id}`, { token, method: 'PATCH', body });
    expect((await patch({ status: 'investigating' })).body.case).toMatchObject({ status: 'investigating', closedAt: null });
    expect((await patch({ assignee: 'nobody' })).status).toBe(400);
    expect((await patch({ status: 'closed' }, as('vera'))).status).toBe(403);
    expect((await patch({})).status).toBe(400);
    const closed = await patch({ status: 'closed', title: 'Farm devices (done)' });
    expect(closed.body.case).toMatchObject({ status: 'closed', title: 'Farm devices (done)', closedAt: expect.any(String) });
    const added = await call<Body>(base, `/api/cases/${id}/alerts`, { token: as('ana'), method: 'POST', body: { alertIds: [a2, '999999999'] } });
    expect(added.body).toMatchObject({ added: [a2], unknown: ['999999999'] });
    const read = await call<{ case: Body; alerts: { id: string }[]; audit: { action: string }[] }>(base, `/api/cases/${id}`, { token: as('vera') });
    expect(read.body.alerts.map((a) => a.id).sort()).toEqual([a1, a2].sort());
    expect(read.body.audit.map((a) => a.action)).toEqual(['case.add-alerts', 'case.update', 'case.update', 'case.create']);
    const list = await call<{ items: { id: string }[] }>(base, '/api/cases?status=closed&assignee=ana', { token: as('vera') });
    expect(list.body.items.map((c) => c.id)).toContain(id);
    expect(
      (await call<{ items: unknown[] }>(base, '/api/cases?status=open&assignee=ana', { token: as('vera') })).body.items.map((c) => (c as { id: string }).id),
    ).not.toContain(id);
    const inAlert = await call<{ cases: { id: string }[] }>(base, `/api/alerts/${a1}`, { token: as('vera') });
    expect(inAlert.body.cases.map((c) => c.id)).toEqual([id]);
    expect((await call(base, '/api/cases/999999999', { token: as('vera') })).status).toBe(404);
  });

  it('pages through cases with the cursor', async () => {
    for (let k = 0; k < 5; k++) await call(base, '/api/cases', { token: as('ana'), method: 'POST', body: { title: `paged ${k}` } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await call(base, `/api/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: as('vera'),
      });
      seen.push(...res.body.items.map((c) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('console API: users, sessions, limits, OpenAPI', () => {
  it('lets an admin add a user whose token works at once, and remove it, whose token stops working', async () => {
    const added = await call<{ token: string; user: Body }>(base, '/api/users', { token: as('adam'), method: 'POST', body: { name: 'nina', role: 'viewer' } });
    expect(added.status).toBe(201);
    expect(added.body.user).toEqual({ name: 'nina', role: 'viewer', source: 'file' });
    expect((await call<Body>(base, '/api/me', { token: added.body.token })).body).toMatchObject({ name: 'nina', role: 'viewer' });
    expect((await call(base, '/api/users', { token: as('adam'), method: 'POST', body: { name: 'nina', role: 'admin' } })).status).toBe(409);
    const list = await call<{ items: { name: string }[] }>(base, '/api/users', { token: as('adam') });
    expect(list.body.items.map((u) => u.name)).toEqual(['adam', 'ana', 'nina', 'rita', 'vera']);
    expect(JSON.stringify(list.body)).not.toContain('scrypt');
    expect((await call(base, '/api/users/nina', { token: as('adam'), method: 'DELETE' })).status).toBe(204);
    expect((await call(base, '/api/me', { token: added.body.token })).status).toBe(401);
    expect((await call(base, '/api/users/adam', { token: as('adam'), method: 'DELETE' })).status).toBe(409);
    const audit = await app.store.auditTrail('user:nina');
    expect(audit.map((a) => [a.actor, a.action])).toEqual([
      ['adam', 'user.remove'],
      ['adam', 'user.add'],
    ]);
  });

  it('logs in to an HttpOnly SameSite=Strict cookie session whose writes need the CSRF token', async () => {
    const login = await call<{ csrfToken: string; name: string }>(base, '/api/login', { method: 'POST', body: { token: as('ana') } });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lg_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const session = cookie.split(';')[0] as string;
    expect((await call<Body>(base, '/api/me', { headers: { cookie: session } })).body).toMatchObject({
      name: 'ana',
      via: 'session',
      csrfToken: login.body.csrfToken,
    });
    const body = { applicationId: rows[20]?.applicationId, label: 'legit' };
    const noCsrf = await call<Body>(base, '/api/labels', { method: 'POST', body, headers: { cookie: session } });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body).toMatchObject({ error: { code: 'CSRF_REJECTED' } });
    const withCsrf = await call(base, '/api/labels', { method: 'POST', body, headers: { cookie: session, 'x-csrf-token': login.body.csrfToken } });
    expect(withCsrf.status).toBe(201);
    expect((await call(base, '/api/me', { headers: { cookie: `${session}x` } })).status).toBe(401);
    expect((await call(base, '/api/login', { method: 'POST', body: { token: 'lgc_ana_wrongwrongwrongwrongwrong' } })).status).toBe(401);
  });

  it("limits a user's writes with 429 and Retry-After, leaving other users alone", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let k = 0; k < 2000; k++) {
      const res = await call(base, '/api/cases', { token: as('rita'), method: 'POST', body: { title: `burst ${k}` } });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get('retry-after');
        expect(res.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
        break;
      }
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(200);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await call(base, '/api/cases', { token: as('ana'), method: 'POST', body: { title: 'still fine' } })).status).toBe(201);
    expect((await call(base, '/api/alerts?limit=1', { token: as('rita') })).status).toBe(200);
  });

  it('serves an OpenAPI 3.1 document with every registered route', async () => {
    const res = await call<{ openapi: string; paths: Record<string, Record<string, { 'x-role': string }>> }>(base, '/api/openapi.json', { token: as('vera') });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(app.api.declarations.length).toBeGreaterThanOrEqual(20);
    for (const r of app.api.declarations) expect(res.body.paths[r.path]?.[r.method.toLowerCase()]?.['x-role'], `${r.method} ${r.path}`).toBe(r.role);
    for (const path of ['/healthz', '/readyz']) expect(res.body.paths[path]?.get).toBeDefined();
    // and every route the server answers is declared: nothing is served that the document does not describe
    const declared = new Set(app.api.declarations.map((r) => `${r.method} ${r.path}`));
    for (const must of [
      'GET /api/alerts',
      'GET /api/alerts/{id}',
      'GET /api/alerts/{id}/similar',
      'GET /api/rings/{ringId}',
      'POST /api/labels',
      'POST /api/rings/{ringId}/labels',
      'GET /api/cases',
      'POST /api/cases',
      'GET /api/cases/{id}',
      'PATCH /api/cases/{id}',
      'POST /api/cases/{id}/alerts',
      'GET /api/me',
      'GET /api/openapi.json',
      'GET /api/stream',
      'GET /api/users',
      'POST /api/users',
      'DELETE /api/users/{name}',
      'POST /api/login',
    ]) {
      expect(declared.has(must), must).toBe(true);
    }
  });

  it('finds similar alerts of an alert through shared pseudonyms', async () => {
    const res = await call<{ items: { alert: { applicationId: string }; shared: { kind: string }[] }[] }>(
      base,
      `/api/alerts/${idOf.get(1000)}/similar?limit=200`,
      { token: as('vera') },
    );
    expect(res.status).toBe(200);
    const sharedWith1001 = res.body.items.find((s) => s.alert.applicationId === rows[1001]?.applicationId);
    expect(sharedWith1001?.shared.map((s) => s.kind)).toEqual(['phone']);
  });
});
