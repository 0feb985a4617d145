import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/reports/report.js';
import { renderHtml } from '../../src/reports/render/html.js';
import { launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.js';
import { emptyReport, sampleReport } from '../helpers/report-fixture.js';

/**
 * The HTML report opened from a file in headless Chromium with every request that is not file: refused: it needs
 * nothing from the network, its charts are drawn and visible with their titles, the summary and the region table
 * show, the optional sort script works. Full-page screenshots: test/artifacts/report-html.png and
 * report-html-empty.png.
 */
let browser: TestBrowser;
let dir: string;
const blocked: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lg-report-html-'));
  browser = await launchBrowser();
  await browser.context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(report: Report, name: string): Promise<Page> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderHtml(report));
  const { page } = browser;
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return page;
}

/** The whole page in one picture: the shared helper shoots the viewport, so the viewport becomes the page. */
async function fullPage(page: Page, name: string): Promise<void> {
  const height = await page.evaluate<number>('document.documentElement.scrollHeight');
  await page.setViewportSize({ width: 1440, height: Math.min(height, 16_000) });
  await screenshot(page, name);
  await page.setViewportSize({ width: 1440, height: 900 });
}

describe('HTML report in Chromium', () => {
  it('opens offline with its charts drawn, the summary and the region table shown', async () => {
    const report = sampleReport();
    const page = await open(report, 'report');

    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBe(11);
    for (const chart of await charts.all()) {
      const box = await chart.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(300);
      expect(box?.height ?? 0).toBeGreaterThan(100);
      expect(await chart.isVisible()).toBe(true);
      expect((await chart.locator('title').first().textContent())?.trim()).not.toBe('');
      expect(await chart.locator('text.chart-title').isVisible()).toBe(true);
      expect(await chart.locator('text.axis-label').count()).toBe(2);
    }

    expect(await page.locator('#summary li').allTextContents()).toEqual(report.summary);
    const regionRows = page.locator('table.region-table tbody tr');
    expect(await regionRows.count()).toBe(6);
    expect(await page.locator('table.region-table .heat-bar').first().isVisible()).toBe(true);
    expect(await page.locator('h2').allTextContents()).toEqual(['Summary', 'Volumes', 'What changed', 'Breakdowns', 'Rings', 'Quality', 'Model and shadow']);

    // hostile labels are text, not markup: nothing ran, no element came from them
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.getByText('AS4134 <script>alert(1)</script>').first().isVisible()).toBe(true);
    // the embedded data parses back to the report in the page too
    expect(await page.evaluate<unknown>('JSON.parse(document.getElementById("report-data").textContent)')).toEqual(report);

    await fullPage(page, 'report-html');

    // the optional sort script: alerts ascending on a second click
    const alertsHeading = page.locator('table.region-table thead th', { hasText: /^alerts$/ });
    await alertsHeading.click();
    await alertsHeading.click();
    const alerts = (await page.locator('table.region-table tbody tr td:nth-child(3)').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
    expect(alerts).toEqual([...alerts].sort((a, b) => a - b));

    expect(blocked).toEqual([]);
    expect(browser.log.filter((l) => l.startsWith('pageerror') || l.startsWith('error'))).toEqual([]);
  });

  it('shows the empty report with "no data in the period" on every chart', async () => {
    const page = await open(emptyReport(), 'empty');
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBeGreaterThan(0);
    expect(await page.locator('svg.chart text.no-data').count()).toBe(await charts.count());
    expect(await page.locator('body').innerText()).not.toMatch(/NaN|Infinity|undefined/);
    await fullPage(page, 'report-html-empty');
    expect(blocked).toEqual([]);
  });
});
