import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleApp } from '../../src/console/app.js';
import type { ApplicationAlert } from '../../src/domain/alert.js';
import { goHash, launchBrowser, pageHash, pageProbe, screenshot, signIn, type TestBrowser } from '../helpers/browser.js';
import { applicationIdOf, syntheticAlerts, type SyntheticAlert } from '../helpers/console-alerts.js';
import { alertRow, apiSetup, call, startApi, type ApiSetup } from '../helpers/console-api.js';
import { dropTestSchemas, testPool } from '../helpers/postgres.js';
import { waitFor } from '../helpers/processor.js';
import { collect, produceRaw } from '../helpers/services.js';

/**
 * The console's browser UI end to end, in headless Chromium against a console on the real Kafka and PostgreSQL:
 * alerts produced to the alerts topic appear on the open page; the detail shows their reasons; the ring view holds
 * the ring's graph; a label click publishes to fraud.labels and writes an audit row; a viewer gets no label button
 * and the API refuses its label. Screenshots: test/artifacts/console-*.png.
 */
const START = Date.parse('2026-11-25T08:00:00.000Z');
const PREFIX = 'ui';
let setup: ApiSetup;
let app: ConsoleApp;
let base: string;
const browsers: TestBrowser[] = [];
let alerts: SyntheticAlert[];

const appAlert = (i: number): ApplicationAlert => alerts[i]?.alert as ApplicationAlert;
const rowFor = (page: Page, applicationId: string) => page.locator(`tr.alert-row:has-text("${applicationId}")`);

async function browser(): Promise<TestBrowser> {
  const b = await launchBrowser();
  browsers.push(b);
  return b;
}

beforeAll(async () => {
  setup = await apiSetup();
  ({ app, base } = await startApi(setup));
  alerts = syntheticAlerts(PREFIX, 60, START);
});

afterAll(async () => {
  await Promise.allSettled(browsers.map((b) => b.close()));
  await app?.close();
  await dropTestSchemas();
});

describe('console UI in Chromium', () => {
  it('shows alerts produced to Kafka live, their reasons, the ring graph, and labels to fraud.labels with an audit row', async () => {
    const { page, log } = await browser();
    await signIn(page, base, setup.tokens.ana);
    await page.locator('#live-status.live-live').waitFor({ timeout: 20_000 });
    expect(await page.locator('tr.alert-row').count()).toBe(0);

    // Produced to the real topic after the page opened: stored by the ingest, streamed, drawn without a reload.
    await produceRaw(
      setup.topic,
      alerts.map((a) => ({ key: a.key, value: a.value })),
    );
    await waitFor(
      async () => (await page.locator('tr.alert-row').count()) === alerts.length,
      30_000,
      () => `the page did not show all ${alerts.length} alerts; log: ${log.join(' | ')}`,
    );
    const stats = await pageProbe<{ received: number; rendered: number; flushes: number }>(page, 'feedStats');
    expect(stats.received).toBe(alerts.length);
    expect(stats.rendered).toBe(alerts.length);
    expect(stats.flushes).toBeLessThan(alerts.length); // batched, not one render per alert
    await screenshot(page, 'console-feed');

    // The detail: every flag with its reason and evidence. Application 1 is a member of ring r0.
    const first = appAlert(1);
    await rowFor(page, first.applicationId).click();
    await page.locator(`article.detail h2:has-text("${first.applicationId}")`).waitFor();
    for (const f of first.flags) {
      const flag = page.locator(`tr.flag[data-code="${f.code}"]`);
      await expect.poll(() => flag.locator('.reason').textContent()).toBe(f.reason);
    }
    // Alert 1 was decided by a model: its contributions are shown beside the rules' reasons.
    expect(await page.locator('tr.contribution[data-feature="device.identities.24h"] td').allTextContents()).toEqual([
      'device.identities.24h',
      '> 3',
      '+86.6',
      '5',
    ]);
    await page.locator('#similar h3').waitFor();
    await screenshot(page, 'console-detail');

    // A label click: published to fraud.labels and audited with the user; the next unlabelled alert opens.
    const hashBefore = await pageHash(page);
    await page.locator('button[data-label="fraud"]').click();
    await waitFor(
      async () => (await pageHash(page)) !== hashBefore,
      10_000,
      () => 'the next alert did not open',
    );
    const [record] = await collect(setup.labelsTopic, { count: 1, readCommitted: true });
    expect(record?.key).toBe(first.applicationId);
    expect(JSON.parse(record?.value?.toString() ?? '{}')).toMatchObject({ applicationId: first.applicationId, label: 'fraud', by: 'ana' });
    const pool = testPool(setup.schema);
    try {
      const audit = await pool.query<{ actor: string; action: string }>('SELECT actor, action FROM audit_log WHERE target = $1', [
        `application:${first.applicationId}`,
      ]);
      expect(audit.rows).toEqual([{ actor: 'ana', action: 'label.add' }]);
    } finally {
      await pool.end();
    }
    await expect.poll(() => rowFor(page, first.applicationId).locator('.label-cell').textContent()).toBe('fraud');

    // Keyboard: l labels the open alert legitimate.
    const opened = await pageHash(page);
    const openedId = /#\/alerts\/(\d+)/.exec(opened)?.[1] ?? '';
    const openedApp = (await call(base, `/api/alerts/${openedId}`, { token: setup.tokens.vera })).body as { alert: { applicationId: string } };
    await page.locator(`article.detail h2:has-text("${openedApp.alert.applicationId}")`).waitFor();
    await page.keyboard.press('l');
    const labels = await collect(setup.labelsTopic, { count: 2, readCommitted: true });
    expect(labels.map((r) => [r.key, (JSON.parse(r.value?.toString() ?? '{}') as { label: string }).label])).toContainEqual([
      openedApp.alert.applicationId,
      'legit',
    ]);

    // The ring view: the graph the page holds is the ring endpoint's nodes and edges.
    const ringId = `ring:${PREFIX}-r0`;
    const api = (await call(base, `/api/rings/${encodeURIComponent(ringId)}`, { token: setup.tokens.vera })).body as {
      nodes: { id: string; kind: string; knownFraud?: boolean }[];
      edges: { source: string; target: string }[];
    };
    expect(api.edges.length).toBeGreaterThan(0);
    await goHash(page, `#/rings/${encodeURIComponent(ringId)}`);
    await page.locator('#ring-canvas canvas').first().waitFor();
    const graph = await pageProbe<{
      nodes: { key: string; attributes: { kind: string; knownFraud?: boolean } }[];
      edges: { source: string; target: string }[];
    }>(page, 'ringGraph');
    expect(graph.nodes.map((n) => n.key).sort()).toEqual(api.nodes.map((n) => n.id).sort());
    const pairs = (es: { source: string; target: string }[]) => es.map((e) => [e.source, e.target].sort().join(' ')).sort();
    expect(pairs(graph.edges)).toEqual(pairs(api.edges));
    const known = graph.nodes.filter((n) => n.attributes.knownFraud).map((n) => n.key);
    expect(known).toEqual([`application:${first.applicationId}`]); // labelled fraud above
    expect(await page.locator('tr.member').count()).toBe(api.nodes.filter((n) => n.kind === 'application').length);
    await screenshot(page, 'console-ring');
    expect(log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  });

  it('gives a viewer no label button, and the API refuses the viewer a label with 403', async () => {
    const { page } = await browser();
    await signIn(page, base, setup.tokens.vera);
    const target = appAlert(5);
    await rowFor(page, target.applicationId).first().waitFor({ timeout: 20_000 });
    await rowFor(page, target.applicationId).click();
    await page.locator('tr.flag').first().waitFor();
    expect(await page.locator('button[data-label]').count()).toBe(0);
    expect(await page.locator('.case-picker').count()).toBe(0);
    await screenshot(page, 'console-viewer');
    const refused = await call(base, '/api/labels', {
      token: setup.tokens.vera,
      method: 'POST',
      body: { applicationId: target.applicationId, label: 'fraud' },
    });
    expect(refused.status).toBe(403);
    expect(applicationIdOf(PREFIX, 5)).toBe(target.applicationId);

    // The trend report opens from the header in a new tab, signed in by the session cookie: its charts, sandboxed.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.locator('header.top nav a:has-text("Trends")').click()]);
    await tab.waitForLoadState('load');
    expect(await tab.locator('h1').textContent()).toMatch(/Fraud trends/);
    expect(await tab.locator('svg.chart').count()).toBeGreaterThan(3);
    await tab.setViewportSize({ width: 1280, height: 900 });
    await screenshot(tab, 'console-report');
  });

  it('draws a ring of hundreds of members, shows a filtered feed from a shared URL, and files an alert in a new case', async () => {
    // 400 members bound by shared phones, farm devices and bank accounts, seeded into the store.
    const ringId = 'ring:big-1';
    const rows = syntheticAlerts('big', 420, START)
      .filter((a) => a.alert.alertType === 'application')
      .map((a) => {
        const alert = {
          ...(a.alert as ApplicationAlert),
          ring: {
            ...((a.alert as ApplicationAlert).ring ?? {
              pattern: 'ring' as const,
              size: 400,
              identities: 400,
              score: 70,
              knownFraud: 0,
              density: 0.1,
              growth: 1,
              binders: [],
            }),
            id: ringId,
          },
        };
        return alertRow({ ...a, alert, value: JSON.stringify(alert) }, 'seed.big');
      });
    await app.store.insertAlerts(rows);
    const { page, log } = await browser();
    await signIn(page, base, setup.tokens.ana);
    const api = (await call(base, `/api/rings/${encodeURIComponent(ringId)}`, { token: setup.tokens.vera })).body as {
      nodes: { id: string }[];
      edges: unknown[];
      limits: { truncated: boolean };
    };
    expect(api.nodes.length).toBeGreaterThan(rows.length);
    expect(api.limits.truncated).toBe(false);
    await goHash(page, `#/rings/${encodeURIComponent(ringId)}`);
    await page.locator('#ring-canvas canvas').first().waitFor({ timeout: 30_000 });
    const graph = await pageProbe<{ nodes: unknown[]; edges: unknown[] }>(page, 'ringGraph');
    expect(graph.nodes.length).toBe(api.nodes.length);
    expect(graph.edges.length).toBe(api.edges.length);
    await screenshot(page, 'console-ring-large');

    // A shared URL with filters: the feed holds exactly the API's answer for them.
    const query = 'level=critical&q=big-';
    await goHash(page, `#/alerts?${query}`);
    const want = ((await call(base, `/api/alerts?${query}&limit=500`, { token: setup.tokens.vera })).body as { items: { id: string }[] }).items.map(
      (i) => i.id,
    );
    expect(want.length).toBeGreaterThan(0);
    const shown = async (): Promise<(string | null)[]> => {
      const rows = await page.locator('tr.alert-row').all();
      return Promise.all(rows.map((r) => r.getAttribute('data-id')));
    };
    await expect.poll(shown).toEqual(want);

    // Into a new case from the detail; the case page lists it.
    await page.locator('tr.alert-row').first().click();
    await page.locator('.case-picker input').fill('big ring sweep');
    await page.locator('.case-picker button').click();
    await page.locator('article.detail a[href^="#/cases/"]').waitFor();
    await page.locator('article.detail a[href^="#/cases/"]').click();
    await page.locator('article.case tr.alert-row').waitFor();
    expect(await page.locator('article.case h2').textContent()).toContain('big ring sweep');
    await screenshot(page, 'console-case');
    expect(log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  });

  it('asks before a login link switches a signed-in analyst to another user (login CSRF), and switches when told', async () => {
    const { page, log } = await browser();
    await signIn(page, base, setup.tokens.ana);
    const link = `${base}/#/login?token=${encodeURIComponent(setup.tokens.vera)}`;
    const asked: string[] = [];
    page.once('dialog', (d) => void (asked.push(d.message()), d.dismiss()));
    await page.goto(link);
    await page.reload(); // a fragment change alone does not boot the page again
    await page.locator('#user').waitFor();
    expect(await page.locator('#user').textContent()).toContain('ana');
    expect(asked).toEqual(['This link signs you in as vera, instead of ana. Switch?']);
    page.once('dialog', (d) => void d.accept());
    await page.goto(link);
    await page.reload();
    await expect.poll(async () => page.locator('#user').textContent()).toContain('vera');
    expect(log.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  });
});
