import kafkajs from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticAlerts, type SyntheticAlert } from '../helpers/console-alerts.js';
import { consoleSetup, spawnConsole } from '../helpers/console.js';
import { countRows, dropTestSchemas, testPool } from '../helpers/postgres.js';
import { killedAfterAll, waitFor } from '../helpers/processor.js';
import { makeKafka, produceRaw, randomId } from '../helpers/services.js';

/**
 * The console's exactly-once proof: `lendguard console` is SIGKILLed three times while a transactional producer
 * keeps writing alerts (one transaction in five aborted) and a plain producer now and then a poison record; a new
 * console takes over each time. At the end the alerts table holds exactly the committed alerts (none lost, none
 * twice, none of an aborted transaction) and dead_alerts exactly the poison records.
 */
const { Partitioners } = kafkajs;
const START = Date.parse('2026-11-25T00:00:00.000Z');
const TRANSACTIONS = 250;
const PER_TRANSACTION = 40;

/** What identifies an alert record: the application id, or for a ring alert the application that triggered it. */
const identity = (a: SyntheticAlert): string => (a.alert.alertType === 'application' ? a.alert.applicationId : `ring<-${a.alert.triggeredBy[0]}`);

describe('console exactly once across SIGKILL', () => {
  const children = killedAfterAll();
  afterAll(() => dropTestSchemas());

  it('stores exactly the committed alerts across three SIGKILLs mid-stream', { timeout: 420_000 }, async () => {
    const setup = await consoleSetup({ partitions: 3, extraEnv: { LENDGUARD_CONSOLE_MAX_BATCH_SIZE: '25' } });
    const pool = testPool(setup.schema);
    const committed: string[] = [];
    const aborted: string[] = [];
    let poison = 0;
    let feeding = true;
    const producer = makeKafka().producer({
      transactionalId: randomId('console-feed-'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const feed = (async () => {
      for (let t = 0; t < TRANSACTIONS && feeding; t++) {
        const batch = syntheticAlerts(setup.id, PER_TRANSACTION, START, t * PER_TRANSACTION);
        const txn = await producer.transaction();
        await txn.send({ topic: setup.topic, acks: -1, messages: batch.map((a) => ({ key: a.key, value: a.value })) });
        if (t % 5 === 4) {
          await txn.abort();
          aborted.push(...batch.map(identity));
        } else {
          await txn.commit();
          committed.push(...batch.map(identity));
        }
        if (t % 25 === 10) {
          await produceRaw(setup.topic, [{ key: `poison-${t}`, value: `{"alertType":"application","broken":${t}}` }]);
          poison += 1;
        }
        await new Promise((r) => setTimeout(r, 60));
      }
    })();
    try {
      for (const killAt of [1500, 3500, 5500]) {
        const victim = await spawnConsole(setup.env);
        children.push(victim);
        await waitFor(
          async () => (await countRows(pool, 'alerts')) >= killAt,
          120_000,
          () => `stored fewer than ${killAt} before the kill:\n${victim.output().slice(-2000)}`,
        );
        victim.child.kill('SIGKILL');
        expect((await victim.exited).signal).toBe('SIGKILL');
        expect(await countRows(pool, 'alerts')).toBeLessThan(TRANSACTIONS * PER_TRANSACTION * 0.8); // really mid-stream
      }
      await feed;
      const last = await spawnConsole(setup.env);
      children.push(last);
      await waitFor(
        async () => (await countRows(pool, 'alerts')) >= committed.length && (await countRows(pool, 'dead_alerts')) >= poison,
        180_000,
        () => `only part stored after the kills:\n${last.output().slice(-2000)}`,
      );
      last.child.kill('SIGTERM');
      expect((await last.exited).code).toBe(0);

      const rows = await pool.query<{ identity: string }>(
        "SELECT CASE WHEN kind = 'application' THEN application_id ELSE 'ring<-' || (payload->'triggeredBy'->>0) END AS identity FROM alerts",
      );
      const stored = rows.rows.map((r) => r.identity);
      const counts = new Map<string, number>();
      for (const id of stored) counts.set(id, (counts.get(id) ?? 0) + 1);
      const missing = committed.filter((id) => !counts.has(id));
      const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
      const fromAborted = aborted.filter((id) => counts.has(id));
      expect({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5), fromAborted: fromAborted.slice(0, 5) }).toEqual({
        missing: [],
        duplicated: [],
        fromAborted: [],
      });
      expect(stored).toHaveLength(committed.length);
      const dead = await pool.query<{ code: string; n: string }>('SELECT code, count(*) AS n FROM dead_alerts GROUP BY code');
      expect(dead.rows.map((r) => [r.code, Number(r.n)])).toEqual([['SCHEMA_VIOLATION', poison]]);
    } finally {
      feeding = false;
      await feed.catch(() => undefined);
      await producer.disconnect();
      await pool.end();
    }
  });
});

describe('lendguard console start-up', () => {
  it('refuses an invalid configuration before touching anything (exit 78, CONFIG_INVALID)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'console'], {
      cwd: new URL('../../', import.meta.url),
      env: { ...process.env, LENDGUARD_CONSOLE_POSTGRES_SCHEMA: 'Not-A-Schema', LENDGUARD_CONSOLE_RETENTION_DAYS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(78);
    expect(err).toMatch(/CONFIG_INVALID/);
    expect(err).toMatch(/console\.postgres\.schema \(from LENDGUARD_CONSOLE_POSTGRES_SCHEMA\)/);
    expect(err).toMatch(/console\.retentionDays/);
  });
});
