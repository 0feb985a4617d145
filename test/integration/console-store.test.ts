import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRow } from '../../src/console/alert-row.js';
import { createPool, type Db } from '../../src/console/db.js';
import { decodeAlert } from '../../src/console/decode-alert.js';
import { migrate } from '../../src/console/migrate.js';
import { createConsoleStore, decodeCursor, type AlertFilters, type ConsoleStore } from '../../src/console/store/index.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { RARE_CODE, syntheticAlerts, type SyntheticAlert } from '../helpers/console-alerts.js';
import { dropTestSchemas, POSTGRES_URL, testSchemaName } from '../helpers/postgres.js';

/**
 * The console store's queries against 30,000 generated alerts in a fresh schema: each filter returns exactly the
 * rows the generator's patterns say (paged through with the keyset cursor), and EXPLAIN shows the filter's index.
 */
const TOTAL = 30_000;
const START = Date.parse('2026-10-01T00:00:00.000Z');
const PREFIX = 'st';
const logger = createLogger('silent');

let db: Db;
let store: ConsoleStore;
let alerts: SyntheticAlert[];
let rows: AlertRow[];
/** database id by source offset (the generator's index) */
const idOf = new Map<number, string>();

function rowOf(a: SyntheticAlert): AlertRow {
  const d = decodeAlert({ source: { topic: 'test.alerts', partition: 0, offset: String(a.index) }, key: a.key, value: Buffer.from(a.value) });
  if (!('row' in d)) throw new Error(d.dead.reason);
  return d.row;
}

/** Every page of a filter, through the cursor. */
async function allPages(filters: AlertFilters, limit = 137): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const page = await store.listAlerts(filters, { limit, ...(after ? { after: decodeCursor(after) } : {}) });
    ids.push(...page.items.map((i) => i.id));
    after = page.next;
  } while (after);
  return ids;
}

/** The ids a filter must return, newest first (detected_at desc, id desc), from the generator's rows. */
function expected(pick: (r: AlertRow, i: number) => boolean): string[] {
  return rows
    .map((r, i) => ({ r, i }))
    .filter(({ r, i }) => pick(r, i))
    .sort((a, b) => b.r.detectedAt.localeCompare(a.r.detectedAt) || Number(BigInt(idOf.get(b.i) as string) - BigInt(idOf.get(a.i) as string)))
    .map(({ i }) => idOf.get(i) as string);
}

describe('console store on 30,000 alerts', () => {
  beforeAll(async () => {
    const schema = testSchemaName();
    db = createPool(loadConfig({ env: { LENDGUARD_CONSOLE_POSTGRES_URL: POSTGRES_URL, LENDGUARD_CONSOLE_POSTGRES_SCHEMA: schema } }).console.postgres, logger);
    await migrate(db, schema, logger);
    store = createConsoleStore(db);
    alerts = syntheticAlerts(PREFIX, TOTAL, START);
    rows = alerts.map(rowOf);
    expect(await store.insertAlerts(rows)).toBe(TOTAL);
    const ids = await db.query<{ id: string; source_offset: string }>('SELECT id, source_offset FROM alerts');
    for (const r of ids.rows) idOf.set(Number(r.source_offset), r.id);
    for (let i = 0; i < TOTAL; i += 10)
      if (rows[i]?.applicationId) await store.addLabel({ applicationId: rows[i]?.applicationId as string, label: 'fraud', author: 'ana' });
    await db.query('ANALYZE');
  }, 300_000);

  afterAll(async () => {
    await db?.end();
    await dropTestSchemas();
  });

  it('skips rows whose source record is already stored (idempotent insert)', async () => {
    expect(await store.insertAlerts(rows.slice(0, 2500))).toBe(0);
    expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM alerts')).rows[0]?.n)).toBe(TOTAL);
  });

  it('pages through the whole feed newest first, ties on detected_at broken by id, each row once', async () => {
    const ids = await allPages({}, 1000);
    expect(ids).toHaveLength(TOTAL);
    expect(ids).toEqual(expected(() => true));
  });

  it('returns exactly the rows of each filter, through every page', async () => {
    const cases: [string, AlertFilters, (r: AlertRow, i: number) => boolean][] = [
      ['level critical', { levels: ['critical'] }, (r) => r.level === 'critical'],
      ['levels critical+medium', { levels: ['critical', 'medium'] }, (r) => r.level === 'critical' || r.level === 'medium'],
      ['rare rule code', { ruleCodes: [RARE_CODE] }, (r) => r.ruleCodes.includes(RARE_CODE)],
      [
        'all of two codes',
        { ruleCodes: ['DEVICE_MANY_IDENTITIES', 'PHONE_VELOCITY'], ruleCodesMatch: 'all' },
        (r) => r.ruleCodes.includes('DEVICE_MANY_IDENTITIES') && r.ruleCodes.includes('PHONE_VELOCITY'),
      ],
      ['partner', { partnerIds: ['partner-7'] }, (r) => r.partnerId === 'partner-7'],
      ['country + region', { country: 'CN', region: 'Region 4' }, (r) => r.ipCountry === 'CN' && r.ipRegion === 'Region 4'],
      ['country US', { country: 'US' }, (r) => r.ipCountry === 'US'],
      ['ip class', { ipClasses: ['carrier-nat', 'private'] }, (r) => r.ipClass === 'carrier-nat' || r.ipClass === 'private'],
      ['ring', { ringId: `ring:${PREFIX}-r3` }, (r) => r.ringId === `ring:${PREFIX}-r3`],
      ['ring alerts only', { kind: 'ring' }, (r) => r.kind === 'ring'],
      ['application id prefix', { applicationIdPrefix: `${PREFIX}-0123` }, (r) => (r.applicationId ?? '').startsWith(`${PREFIX}-0123`)],
      ['prefix with a LIKE wildcard matches literally', { applicationIdPrefix: `${PREFIX}_0` }, () => false],
      [
        'detected range',
        { detectedFrom: new Date(START + 3600_000), detectedBefore: new Date(START + 7200_000) },
        (r) => Date.parse(r.detectedAt) >= START + 3600_000 && Date.parse(r.detectedAt) < START + 7200_000,
      ],
      [
        'event range',
        { eventFrom: new Date(START + 86_400_000), eventBefore: new Date(START + 86_400_000 + 1800_000) },
        (r) => Date.parse(r.eventTime) >= START + 86_400_000 && Date.parse(r.eventTime) < START + 86_400_000 + 1800_000,
      ],
      ['labelled', { labelled: true }, (r, i) => r.kind === 'application' && i % 10 === 0],
      [
        'unlabelled high in CN',
        { labelled: false, levels: ['high'], country: 'CN' },
        (r, i) => !(r.kind === 'application' && i % 10 === 0) && r.level === 'high' && r.ipCountry === 'CN',
      ],
    ];
    for (const [name, filters, pick] of cases) {
      const want = expected(pick);
      const got = await allPages(filters);
      expect(got.length, name).toBe(want.length);
      expect(got, name).toEqual(want);
      if (name !== 'prefix with a LIKE wildcard matches literally') expect(want.length, name).toBeGreaterThan(0);
    }
  });

  it('uses the index of each main filter (EXPLAIN), never a sequential scan of the alerts', async () => {
    const plans: [AlertFilters, string | RegExp][] = [
      [{}, 'alerts_detected_idx'],
      [{ levels: ['critical'] }, 'alerts_level_idx'],
      [{ ruleCodes: [RARE_CODE] }, 'alerts_rule_codes_idx'],
      [{ partnerIds: ['partner-7'] }, 'alerts_partner_idx'],
      [{ country: 'US' }, /alerts_(country|region)_idx/],
      [{ country: 'CN', labelled: false }, /alerts_(country|detected)_idx/],
      [{ country: 'CN', region: 'Region 4' }, 'alerts_region_idx'],
      [{ ipClasses: ['private'] }, 'alerts_ip_class_idx'],
      [{ ringId: `ring:${PREFIX}-r3` }, 'alerts_ring_idx'],
      [{ applicationIdPrefix: `${PREFIX}-0123` }, 'alerts_application_idx'],
      [{ detectedFrom: new Date(START + 3600_000), detectedBefore: new Date(START + 7200_000) }, 'alerts_detected_idx'],
      [{ eventFrom: new Date(START + 86_400_000), eventBefore: new Date(START + 86_400_000 + 1800_000) }, 'alerts_event_time_idx'],
    ];
    for (const [filters, index] of plans) {
      const plan = await store.explainListAlerts(filters, { limit: 50 });
      expect(plan, JSON.stringify(filters)).toMatch(index);
      expect(plan, JSON.stringify(filters)).not.toMatch(/Seq Scan on alerts/);
    }
    const second = await store.explainListAlerts(
      { levels: ['critical'] },
      { limit: 50, after: { detectedAt: new Date(START + 86_400_000).toISOString(), id: '15000' } },
    );
    expect(second).toContain('alerts_level_idx');
  });

  it('gets one alert with its payload and source, and every alert of a ring', async () => {
    const i = 1234;
    const a = await store.getAlert(idOf.get(i) as string);
    expect(a).toMatchObject({ applicationId: `${PREFIX}-001234`, source: { topic: 'test.alerts', partition: 0, offset: '1234' } });
    expect(a?.payload).toEqual(alerts[i]?.alert);
    expect(await store.getAlert('999999999')).toBeNull();
    expect(await store.getAlert('not-an-id')).toBeNull();
    const ring = await store.alertsForRing(`ring:${PREFIX}-r3`);
    expect(ring.map((r) => r.id)).toEqual(expected((r) => r.ringId === `ring:${PREFIX}-r3`));
    expect(new Set(ring.map((r) => r.kind))).toEqual(new Set(['application', 'ring']));
  });

  it('finds the alerts sharing an identifier pseudonym with an application, and says which', async () => {
    const i = 2000; // farm device 0 (with 2004, 2008, …), phone shared with 2001, bank account with 2010…2090 (every 10th)
    const mine = rows[i] as AlertRow;
    const kinds = ['nid_', 'ph_', 'dev_', 'ba_', 'em_'];
    const idsOf = (r: AlertRow): string[] => r.subjectIds.filter((id) => kinds.some((k) => id.startsWith(k)));
    const want = new Set(idsOf(mine));
    const similar = await store.similarAlerts(mine.applicationId as string, { limit: 500 });
    const expectedIds = expected((r) => r.kind === 'application' && r.applicationId !== mine.applicationId && idsOf(r).some((id) => want.has(id)));
    expect(similar.map((s) => s.alert.id)).toEqual(expectedIds);
    expect(similar.length).toBeGreaterThan(100); // the farm device
    const sharedWith = (n: number): string[] | undefined => similar.find((s) => s.alert.applicationId === `${PREFIX}-00${n}`)?.shared.map((x) => x.kind);
    expect([sharedWith(2001), sharedWith(2004), sharedWith(2010), sharedWith(2012)]).toEqual([['phone'], ['deviceId'], ['bankAccount'], ['deviceId']]);
    expect(similar.find((s) => s.alert.applicationId === `${PREFIX}-002001`)?.shared[0]?.masked).toMatch(/^139\*{4}\d{4}$/);
    const byIp = await store.similarAlerts(mine.applicationId as string, { kinds: ['ip'], limit: 10 });
    expect(byIp.every((s) => s.shared.every((x) => x.kind === 'ip'))).toBe(true);
    expect(await store.similarAlerts('no-such-application')).toEqual([]);
  });

  it('labels with an audit row in the same transaction; the latest label counts', async () => {
    const app = `${PREFIX}-000003`;
    await store.addLabel({ applicationId: app, label: 'fraud', note: 'device farm', author: 'ana' });
    const second = await store.addLabel({ applicationId: app, label: 'legit', note: 'false positive', author: 'bo' });
    const latest = await store.latestLabels([app, `${PREFIX}-000010`, 'unknown']);
    expect(latest.get(app)).toMatchObject({ id: second.id, label: 'legit', author: 'bo', note: 'false positive' });
    expect(latest.get(`${PREFIX}-000010`)?.label).toBe('fraud');
    expect(latest.has('unknown')).toBe(false);
    const trail = await store.auditTrail(`application:${app}`);
    expect(trail.map((t) => [t.actor, t.action, t.detail.label])).toEqual([
      ['bo', 'label.add', 'legit'],
      ['ana', 'label.add', 'fraud'],
    ]);
    const page = await store.listAlerts({ applicationIdPrefix: app });
    expect(page.items[0]?.label).toMatchObject({ label: 'legit', author: 'bo' });
  });

  it('creates and updates cases and adds alerts to them, each change audited', async () => {
    const [a1, a2, a3] = [idOf.get(5), idOf.get(6), idOf.get(7)] as string[];
    const created = await store.createCase({ title: 'farm 0', assignee: 'ana', actor: 'lead', alertIds: [a1 as string, '999999999'] });
    expect(created).toMatchObject({ title: 'farm 0', assignee: 'ana', status: 'open', createdBy: 'lead', alertIds: [a1], closedAt: null });
    const added = await store.addAlertsToCase(created.id, [a1 as string, a2 as string, a3 as string, 'x'], 'ana');
    expect(added?.added.sort()).toEqual([a2, a3].sort());
    expect(added?.unknown).toEqual(['x']);
    expect(added?.case.alertIds.sort()).toEqual([a1, a2, a3].sort());
    const closed = await store.updateCase(created.id, { status: 'closed', assignee: null }, 'ana');
    expect(closed).toMatchObject({ status: 'closed', assignee: null });
    expect(closed?.closedAt).not.toBeNull();
    const reopened = await store.updateCase(created.id, { status: 'investigating' }, 'bo');
    expect(reopened).toMatchObject({ status: 'investigating', closedAt: null });
    expect(await store.updateCase('999999999', { status: 'closed' }, 'x')).toBeNull();
    expect(await store.addAlertsToCase('999999999', [a1 as string], 'x')).toBeNull();
    const trail = await store.auditTrail(`case:${created.id}`);
    expect(trail.map((t) => t.action)).toEqual(['case.update', 'case.update', 'case.add-alerts', 'case.create']);
    expect(trail[1]?.detail).toEqual({ changes: { status: { from: 'open', to: 'closed' }, assignee: { from: 'ana', to: null } } });
    expect(await store.getCase(created.id)).toEqual(reopened);
  });

  it('prunes old alerts in bounded batches, keeping alerts that are in a case', async () => {
    const inCase = idOf.get(5) as string; // added to a case above
    // Everything is older than 1 day (START is 2026-10-01) at "now" = START + 30 days.
    const nowMs = START + 30 * 86_400_000;
    const first = await store.prune({ retentionDays: 1, batchSize: 4000, nowMs });
    expect(first).toEqual({ alerts: 4000, deadAlerts: 0, more: true });
    let left = TOTAL - 4000;
    for (let n = 0; n < 20 && left > 0; n++) {
      const r = await store.prune({ retentionDays: 1, batchSize: 4000, nowMs });
      expect(r.alerts).toBeLessThanOrEqual(4000);
      left -= r.alerts;
      if (!r.more) break;
    }
    const remaining = await db.query<{ id: string }>('SELECT id FROM alerts ORDER BY id');
    expect(remaining.rows.map((r) => r.id).sort()).toEqual([idOf.get(5), idOf.get(6), idOf.get(7)].sort());
    expect(remaining.rows.map((r) => r.id)).toContain(inCase);
    expect(await store.prune({ retentionDays: 1, batchSize: 4000, nowMs })).toEqual({ alerts: 0, deadAlerts: 0, more: false });
  });
});
