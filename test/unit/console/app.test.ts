import { describe, expect, it } from 'vitest';
import { runConsole } from '../../../src/cli/console.js';
import { createConsoleApp } from '../../../src/console/app.js';
import { createPool } from '../../../src/console/db.js';
import { sendJson } from '../../../src/console/http.js';
import { createAlertIngest } from '../../../src/console/ingest.js';
import { createConsoleMetrics } from '../../../src/console/metrics.js';
import { loadConfig } from '../../../src/platform/config.js';
import { exitCodeOf, LendguardError } from '../../../src/platform/errors.js';
import { Health } from '../../../src/platform/health.js';
import { createLogger } from '../../../src/platform/logger.js';

/** The console without its services: nothing listens on 127.0.0.1:1, so PostgreSQL is "away" (no service needed). */
const AWAY = 'postgres://postgres@127.0.0.1:1/postgres';
const config = () =>
  loadConfig({
    env: { LENDGUARD_CONSOLE_POSTGRES_URL: AWAY, LENDGUARD_CONSOLE_HTTP_PORT: '0', LENDGUARD_LOG_LEVEL: 'silent' },
    overrides: { 'processing.retryInitialMs': 20, 'processing.retryMaxMs': 100 },
  });
const logger = createLogger('silent');

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('console app without PostgreSQL', () => {
  it('serves /healthz at once, answers /readyz 503 naming POSTGRES_UNAVAILABLE while it waits, and stops when closed', async () => {
    const app = createConsoleApp(config(), { logger });
    app.route({ method: 'GET', path: '/api/ping', handle: (_req, res) => sendJson(res, 200, { pong: true }) });
    const started = app.start().then(
      () => 'started',
      (err: LendguardError) => err.code,
    );
    await until(() => /^POSTGRES_UNAVAILABLE: migrate the console schema/.test(app.health.snapshot().reason ?? ''));
    const base = `http://127.0.0.1:${app.httpPort()}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { status: string }).status).toBe('starting');
    expect(await (await fetch(`${base}/api/ping`)).json()).toEqual({ pong: true });
    await app.close();
    expect(await started).toBe('POSTGRES_UNAVAILABLE');
    expect(app.health.snapshot().status).toBe('stopping');
  });

  it('ingest handlers report PostgreSQL away as retriable, and keep health and metrics', async () => {
    const c = config();
    const db = createPool(c.console.postgres, logger);
    const health = new Health();
    const metrics = createConsoleMetrics();
    const fatal: Error[] = [];
    const ingest = createAlertIngest({ db, consumer: 'g', metrics, health, logger, onFatal: (e) => fatal.push(e) });
    try {
      await expect(ingest.storedOffsets('t', [0, 1])).rejects.toMatchObject({ code: 'POSTGRES_UNAVAILABLE', policy: 'retriable' });
      const chunk = { topic: 't', partition: 0, records: [{ key: 'k', value: Buffer.from('not json'), offset: '7', timestampMs: 0 }], nextOffset: 8n };
      await expect(ingest.apply(chunk)).rejects.toMatchObject({ code: 'POSTGRES_UNAVAILABLE' });
      ingest.onAssigned?.([0, 1]);
      expect(health.snapshot()).toMatchObject({ status: 'ready', details: { assignment: [0, 1] } });
      ingest.onRetry?.(new LendguardError('POSTGRES_UNAVAILABLE', 'away'), 0, 100);
      expect(health.snapshot()).toMatchObject({ status: 'backing-off', reason: 'POSTGRES_UNAVAILABLE: away' });
      expect((await metrics.retries.get()).values).toEqual([expect.objectContaining({ labels: { code: 'POSTGRES_UNAVAILABLE' }, value: 1 })]);
      ingest.onFatal(new LendguardError('POSTGRES_FAILED', 'denied'));
      expect(fatal.map((e) => e.message)).toEqual(['denied']);
    } finally {
      await db.end();
    }
  });

  it('`console --migrate-only` fails plainly when PostgreSQL is away (no waiting), with exit code 1', async () => {
    const err = await runConsole(config(), logger, { migrateOnly: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'POSTGRES_UNAVAILABLE' });
    expect(exitCodeOf(err)).toBe(1);
  });
});
