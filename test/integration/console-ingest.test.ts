import { afterAll, describe, expect, it } from 'vitest';
import type { ConsoleApp } from '../../src/console/app.js';
import { createPool } from '../../src/console/db.js';
import { decodeAlert } from '../../src/console/decode-alert.js';
import { migrate } from '../../src/console/migrate.js';
import { storeChunk, type DecodedRecord } from '../../src/console/store/ingest.js';
import { createLogger } from '../../src/platform/logger.js';
import { syntheticAlert, syntheticAlerts } from '../helpers/console-alerts.js';
import { consoleSetup, startConsoleInProcess, type ConsoleSetup } from '../helpers/console.js';
import { countRows, dropTestSchemas, POSTGRES_URL, testPool, testSchemaName } from '../helpers/postgres.js';
import { httpGet, waitFor } from '../helpers/processor.js';
import { makeKafka, produceRaw, type RawMessage } from '../helpers/services.js';
import { tcpProxy } from '../helpers/tcp-proxy.js';

/**
 * The console's alert ingest on a real topic and a real PostgreSQL: every alert stored once, every bad record kept
 * as a dead alert, offsets of record in PostgreSQL (the group's are not trusted), and PostgreSQL outages waited out.
 */
const START = Date.parse('2026-11-20T00:00:00.000Z');
const asMessages = (prefix: string, count: number, from = 0): RawMessage[] =>
  syntheticAlerts(prefix, count, START, from).map((a) => ({ key: a.key, value: a.value }));

const apps: ConsoleApp[] = [];
async function start(setup: ConsoleSetup, opts: Parameters<typeof startConsoleInProcess>[1] = {}): Promise<ConsoleApp> {
  const app = await startConsoleInProcess(setup, opts);
  apps.push(app);
  return app;
}

async function highWatermarks(topic: string): Promise<Map<number, string>> {
  const admin = makeKafka().admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
}

async function setGroupOffsets(setup: ConsoleSetup, to: 'start' | 'end'): Promise<void> {
  const highs = await highWatermarks(setup.topic);
  const admin = makeKafka().admin();
  await admin.connect();
  try {
    const partitions = [...highs].map(([partition, high]) => ({ partition, offset: to === 'end' ? high : '0' }));
    await admin.setOffsets({ groupId: setup.groupId, topic: setup.topic, partitions });
  } finally {
    await admin.disconnect();
  }
}

const metric = async (app: ConsoleApp, name: string): Promise<number> =>
  ((await app.metrics.registry.getSingleMetric(name)?.get())?.values ?? []).reduce((n, v) => n + v.value, 0);

describe('console alert ingest', () => {
  const db = testPool('public');
  afterAll(async () => {
    await Promise.allSettled(apps.map((a) => a.close()));
    await db.end();
    await dropTestSchemas();
  });
  const count = async (schema: string, table: 'alerts' | 'dead_alerts'): Promise<number> => {
    const pool = testPool(schema);
    try {
      return await countRows(pool, table);
    } finally {
      await pool.end();
    }
  };

  it('stores every alert once and every bad record as a dead alert, with the next offsets in PostgreSQL', async () => {
    const setup = await consoleSetup({ partitions: 3 });
    const nul = syntheticAlert('in', 1000, START);
    const nulValue = nul.value.replace('"synthetic ', '"synthetic \\u0000'); // valid JSON and contract; jsonb refuses it
    const poison: RawMessage[] = [
      { key: 'p-json', value: 'not json at all' },
      { key: 'p-schema', value: '{"alertType":"application","applicationId":"x"}' },
      { key: 'p-empty', value: null },
      { key: 'p-utf8', value: Buffer.from([0xc3, 0x28]) },
      { key: nul.key, value: nulValue },
      // NUL in the key and in the parser's message: text refuses it, and a dead alert that cannot be stored would stop the ingest
      { key: 'p-nul\u0000', value: 'not json \u0000 either' },
    ];
    await produceRaw(setup.topic, [...asMessages('in', 150), ...poison, ...asMessages('in', 150, 150)]);
    const app = await start(setup);
    await waitFor(
      async () => (await count(setup.schema, 'alerts')) === 300 && (await count(setup.schema, 'dead_alerts')) === 6,
      60_000,
      () => 'not every record arrived',
    );
    const pool = testPool(setup.schema);
    try {
      const dead = await pool.query<{ record_key: string | null; code: string; value: Buffer | null }>(
        'SELECT record_key, code, value FROM dead_alerts ORDER BY record_key',
      );
      expect(dead.rows.map((r) => [r.record_key, r.code])).toEqual([
        [nul.key, 'ALERT_NOT_STORABLE'],
        ['p-empty', 'EMPTY_VALUE'],
        ['p-json', 'INVALID_JSON'],
        ['p-nul\uFFFD', 'INVALID_JSON'],
        ['p-schema', 'SCHEMA_VIOLATION'],
        ['p-utf8', 'INVALID_ENCODING'],
      ]);
      expect(dead.rows.find((r) => r.record_key === 'p-json')?.value?.toString()).toBe('not json at all');
      expect(dead.rows.find((r) => r.record_key === nul.key)?.value?.toString()).toBe(nulValue);
      const distinct = await pool.query<{ n: string }>('SELECT count(DISTINCT (source_partition, source_offset)) AS n FROM alerts');
      expect(Number(distinct.rows[0]?.n)).toBe(300);
      const highs = await highWatermarks(setup.topic);
      const offsets = await pool.query<{ partition: number; next_offset: string }>(
        'SELECT partition, next_offset FROM consumer_offsets WHERE consumer = $1 AND topic = $2',
        [setup.groupId, setup.topic],
      );
      expect(new Map(offsets.rows.map((r) => [r.partition, r.next_offset]))).toEqual(highs);
    } finally {
      await pool.end();
    }
    expect((await httpGet(app.httpPort() as number, '/readyz')).status).toBe(200);
    expect(await metric(app, 'lendguard_console_dead_alerts_total')).toBe(6);
  });

  it('resumes from the offsets stored in PostgreSQL, whatever the group has committed in Kafka', async () => {
    const setup = await consoleSetup({ partitions: 2 });
    await produceRaw(setup.topic, asMessages('rs', 100));
    const first = await start(setup);
    await waitFor(
      async () => (await count(setup.schema, 'alerts')) === 100,
      60_000,
      () => 'first 100 not stored',
    );
    await first.close();

    // The group's offsets say "everything read"; PostgreSQL says 100. Trusting Kafka would lose the next 50.
    await produceRaw(setup.topic, asMessages('rs', 50, 100));
    await setGroupOffsets(setup, 'end');
    const second = await start(setup);
    await waitFor(
      async () => (await count(setup.schema, 'alerts')) === 150,
      60_000,
      () => 'the records past the stored offsets were skipped',
    );
    await second.close();

    // The group's offsets say "nothing read": the console still starts at its stored offsets, nothing is redelivered.
    await setGroupOffsets(setup, 'start');
    await produceRaw(setup.topic, asMessages('rs', 10, 150));
    const third = await start(setup);
    await waitFor(
      async () => (await count(setup.schema, 'alerts')) === 160,
      60_000,
      () => 'the last 10 not stored',
    );
    expect(await metric(third, 'lendguard_console_skipped_total')).toBe(0);
    expect(await metric(third, 'lendguard_console_alerts_stored_total')).toBe(10);
  });

  it('backs off with POSTGRES_UNAVAILABLE while PostgreSQL is away, at start-up and mid-stream, then resumes exactly once', async () => {
    const proxy = await tcpProxy(Number(new URL(POSTGRES_URL).port || 5432));
    const setup = await consoleSetup({ partitions: 2 });
    const url = new URL(POSTGRES_URL);
    url.port = String(proxy.port);
    try {
      await proxy.cut();
      await produceRaw(setup.topic, asMessages('pg', 100));
      const app = await start(setup, { env: { LENDGUARD_CONSOLE_POSTGRES_URL: url.toString() }, wait: false });
      await waitFor(
        () => /POSTGRES_UNAVAILABLE/.test(app.health.snapshot().reason ?? ''),
        30_000,
        () => `no retry seen: ${JSON.stringify(app.health.snapshot())}`,
      );
      expect(app.health.snapshot().status).toBe('starting');
      await proxy.restore();
      await waitFor(
        async () => (await count(setup.schema, 'alerts')) === 100,
        60_000,
        () => 'not resumed after start-up outage',
      );

      await proxy.cut();
      await produceRaw(setup.topic, asMessages('pg', 100, 100));
      await waitFor(
        () => app.health.snapshot().status === 'backing-off',
        30_000,
        () => `not backing off: ${JSON.stringify(app.health.snapshot())}`,
      );
      expect(app.health.snapshot().reason).toMatch(/^POSTGRES_UNAVAILABLE: /);
      expect((await httpGet(app.httpPort() as number, '/readyz')).status).toBe(503);
      await proxy.restore();
      await waitFor(
        async () => (await count(setup.schema, 'alerts')) === 200,
        60_000,
        () => 'not resumed after mid-stream outage',
      );
      await waitFor(
        () => app.health.ready,
        10_000,
        () => 'not ready again',
      );
      expect(await metric(app, 'lendguard_console_retries_total')).toBeGreaterThan(0);
      const pool = testPool(setup.schema);
      try {
        const distinct = await pool.query<{ n: string }>('SELECT count(DISTINCT application_id) AS n FROM alerts WHERE kind = $1', ['application']);
        const apps = await pool.query<{ n: string }>('SELECT count(*) AS n FROM alerts WHERE kind = $1', ['application']);
        expect(Number(distinct.rows[0]?.n)).toBe(Number(apps.rows[0]?.n));
      } finally {
        await pool.end();
      }
    } finally {
      await proxy.close();
    }
  });

  it('skips a redelivered chunk below the stored offset, and writes only the new part of an overlapping one', async () => {
    const schema = testSchemaName();
    const logger = createLogger('silent');
    const pool = createPool({ url: POSTGRES_URL, schema, poolSize: 2, connectTimeoutMs: 5000, statementTimeoutMs: 30_000 }, logger);
    try {
      await migrate(pool, schema, logger);
      const records = (from: number, n: number): DecodedRecord[] =>
        syntheticAlerts('rd', n, START, from).map((a) => ({
          offset: BigInt(a.index),
          decoded: decodeAlert({ source: { topic: 't', partition: 0, offset: String(a.index) }, key: a.key, value: Buffer.from(a.value) }),
        }));
      const chunk = (from: number, n: number) => ({ consumer: 'c', topic: 't', partition: 0, records: records(from, n), nextOffset: BigInt(from + n) });
      expect(await storeChunk(pool, chunk(0, 10))).toEqual({ alerts: 10, dead: 0, refused: 0, skipped: 0, nextOffset: 10n });
      expect(await storeChunk(pool, chunk(0, 10))).toEqual({ alerts: 0, dead: 0, refused: 0, skipped: 10, nextOffset: 10n });
      expect(await storeChunk(pool, chunk(5, 10))).toEqual({ alerts: 5, dead: 0, refused: 0, skipped: 5, nextOffset: 15n });
      expect(await countRows(pool, 'alerts')).toBe(15);
    } finally {
      await pool.end();
    }
  });
});
