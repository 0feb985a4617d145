/**
 * The console's page in headless Chromium (Debian's /usr/bin/chromium through playwright-core; sign-in and probe from
 * test/helpers/browser.ts):
 * signs in through the login form (`#token`, then `#login button[type=submit]`), waits for the live feed to be
 * connected (`#live-status.live-live`) before the burst, and at the end reads `window.__lendguard.feedStats()` and
 * takes a screenshot. When `GET /` answers 404 or the page cannot sign in, the bench records "not available".
 */
import { launchBrowser, pageProbe, signIn, type TestBrowser } from '../../test/helpers/browser.js';
import { sleep } from '../harness.js';

type Browser = TestBrowser;

/** As the tests' browser, but playwright leaves the signals to the bench (its clean-up must run to the end). */
const launch = (): Promise<Browser> => launchBrowser({ leaveSignals: true });

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
