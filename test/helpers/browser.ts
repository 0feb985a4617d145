/**
 * Headless Chromium for the console's end-to-end tests: Debian's `chromium` (apt-get install -y chromium; CI
 * installs it, .ci/run) driven by playwright-core, with a fresh profile per browser and only 127.0.0.1 reached.
 * Screenshots go to test/artifacts/ (ignored by git).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LENDGUARD_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

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

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** console messages and page errors, for a failing test's message */
  log: string[];
  close(): Promise<void>;
}

/**
 * A fresh profile and page. `leaveSignals`: playwright installs no SIGINT / SIGTERM / SIGHUP handlers (its own kill
 * Chromium and call `process.exit(130)`, which would cut a bench's clean-up short).
 */
export async function launchBrowser(opts: { leaveSignals?: boolean } = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set LENDGUARD_CHROMIUM)`);
  const profile = mkdtempSync(join(tmpdir(), 'lg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 900 },
    ...(opts.leaveSignals ? { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const log: string[] = [];
  page.on('console', (m) => void log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => void log.push(`pageerror: ${e.message}`));
  return {
    context,
    page,
    log,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Opens the console and signs in with a token through the login form. */
export async function signIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.locator('#token').fill(token);
  await page.locator('#login button[type=submit]').click();
  await page.locator('#user').waitFor();
}

/** The page's address fragment (the console's route). */
export const pageHash = (page: Page): Promise<string> => page.evaluate<string>('location.hash');

/** Moves the page to a route, as a click on a link would. */
export const goHash = (page: Page, hash: string): Promise<unknown> => page.evaluate(`location.hash = ${JSON.stringify(hash)}`);

/** What the page exposes for tests (src/console/ui/web/main.ts): `feedStats()` or `ringGraph()`. */
export const pageProbe = <T>(page: Page, probe: 'feedStats' | 'ringGraph'): Promise<T> => page.evaluate<T>(`window.__lendguard?.${probe}() ?? null`);
