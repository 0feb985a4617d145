/**
 * The console's page in headless Chromium (Debian's /usr/bin/chromium through playwright-core; sign-in and probe from
 * test/helpers/browser.ts):
 * signs in through the login form (`#token`, then `#login button[type=submit]`), waits for the live feed to be
 * connected (`#live-status.live-live`) before the burst, and at the end reads `window.__lendguard.feedStats()` and
 * takes a screenshot. When `GET /` answers 404 or the page cannot sign in, the bench records "not available".
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, pageProbe, signIn } from '../../test/helpers/browser.js';
import { sleep } from '../harness.js';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * As test/helpers/browser.ts' `launchBrowser()`, but playwright must leave SIGINT / SIGTERM / SIGHUP alone: its own
 * handlers kill Chromium and call `process.exit(130)` in the middle of the bench's clean-up (topics, schema, console).
 */
async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set LENDGUARD_CHROMIUM)`);
  const profile = mkdtempSync(join(tmpdir(), 'lg-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 900 },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface FeedStats {
  received: number;
  rendered: number;
  flushes: number;
  maxFlushMs: number;
}

export type PageResult =
  { available: false; reason: string } | { available: true; stats: FeedStats; liveStatus: string; screenshot: string; errors: string[]; signInMs: number };

export interface OpenPage {
  browser: Browser;
  errors: string[];
  signInMs: number;
  close(): Promise<void>;
}

/** Opens the signed-in, live feed, or answers why the page is not available. */
export async function openPage(base: string, token: string): Promise<OpenPage | { reason: string }> {
  const root = await fetch(`${base}/`).catch((err: Error) => err);
  if (root instanceof Error) return { reason: `GET / failed: ${root.message}` };
  await root.body?.cancel();
  if (root.status === 404) return { reason: 'GET / answered 404' };
  let browser: Browser;
  try {
    browser = await launch();
  } catch (err) {
    return { reason: `Chromium failed to start: ${firstLine(err)}` };
  }
  const errors: string[] = [];
  browser.page.on('pageerror', (e) => void errors.push(e.message));
  browser.page.on('response', (r) => void (r.status() >= 400 && errors.push(`${r.status()} ${new URL(r.url()).pathname}`)));
  try {
    const started = performance.now();
    await signIn(browser.page, base, token);
    await browser.page.locator('#live-status.live-live').waitFor({ timeout: 15_000 });
    // Only what goes wrong once signed in counts (before it, GET /api/me answers 401 by design).
    errors.length = 0;
    return { browser, errors, signInMs: performance.now() - started, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    return { reason: `sign-in failed: ${firstLine(err)}` };
  }
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

const probe = (open: OpenPage): Promise<FeedStats | null> => pageProbe<FeedStats | null>(open.browser.page, 'feedStats');

/** Waits (at most `timeoutMs`) until the page received `expected` alerts and settled, or stopped moving for 3 s; reads it. */
export async function finishPage(open: OpenPage, expected: number, screenshotPath: string, timeoutMs = 30_000): Promise<PageResult> {
  try {
    const deadline = Date.now() + timeoutMs;
    let last = await probe(open);
    let still = 0;
    const settled = (): boolean => ((last?.received ?? 0) >= expected && (last?.rendered ?? 0) >= expected && still >= 4) || still >= 12;
    while (Date.now() < deadline && !settled()) {
      await sleep(250);
      const now = await probe(open);
      still = now?.received === last?.received && now?.rendered === last?.rendered ? still + 1 : 0;
      last = now;
    }
    const page = open.browser.page;
    const liveStatus =
      (await page
        .locator('#live-status')
        .getAttribute('class')
        .catch(() => null)) ?? 'absent';
    await page.screenshot({ path: screenshotPath, fullPage: false });
    const stats = last ?? { received: 0, rendered: 0, flushes: 0, maxFlushMs: 0 };
    return { available: true, stats, liveStatus, screenshot: screenshotPath, errors: open.errors.slice(0, 20), signInMs: open.signInMs };
  } finally {
    await open.close();
  }
}
