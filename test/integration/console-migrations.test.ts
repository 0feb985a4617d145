import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/console/db.js';
import { migrate } from '../../src/console/migrate.js';
import { MIGRATIONS, type Migration } from '../../src/console/migrations/index.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { waitFor } from '../helpers/processor.js';
import { dropTestSchemas, POSTGRES_URL, testPool, testSchemaName } from '../helpers/postgres.js';

/** The console's migrations on the real PostgreSQL, each test in a fresh schema of its own. */
const logger = createLogger('silent');
const poolFor = (schema: string) =>
  createPool(loadConfig({ env: { LENDGUARD_CONSOLE_POSTGRES_URL: POSTGRES_URL, LENDGUARD_CONSOLE_POSTGRES_SCHEMA: schema } }).console.postgres, logger);

describe('console migrations on PostgreSQL', () => {
  afterAll(() => dropTestSchemas());

  it('create every table in a fresh schema, record themselves, and do nothing the second time', async () => {
    const schema = testSchemaName();
    const db = poolFor(schema);
    try {
      expect(await migrate(db, schema, logger)).toEqual({ applied: MIGRATIONS.map((m) => m.version), current: MIGRATIONS.length });
      expect(await migrate(db, schema, logger)).toEqual({ applied: [], current: MIGRATIONS.length });
      const tables = await db.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [
        schema,
      ]);
      expect(tables.rows.map((r) => r.table_name)).toEqual([
        'alerts',
        'audit_log',
        'case_alerts',
        'cases',
        'consumer_offsets',
        'dead_alerts',
        'labels',
        'ring_events',
        'rollup_hourly',
        'schema_migrations',
      ]);
      const recorded = await db.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations');
      expect(recorded.rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, checksum: m.checksum })));
    } finally {
      await db.end();
    }
  });

  it('lets concurrent starts race: one applies, the others wait for its lock and find nothing to do', async () => {
    const schema = testSchemaName();
    const pools = Array.from({ length: 5 }, () => poolFor(schema));
    try {
      const outcomes = await Promise.all(pools.map((db) => migrate(db, schema, logger)));
      expect(outcomes.filter((o) => o.applied.length > 0)).toHaveLength(1);
      expect(outcomes.every((o) => o.current === MIGRATIONS.length)).toBe(true);
      const n = await pools[0]?.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
      expect(Number(n?.rows[0]?.n)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('waits while another start holds the migration lock', async () => {
    const schema = testSchemaName();
    const holder = testPool(schema);
    const db = poolFor(schema);
    const client = await holder.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [0x4c47, schema]);
      let finished = false;
      const running = migrate(db, schema, logger).then((o) => ((finished = true), o));
      // Progress, not time: the migration's session is seen waiting for the advisory lock.
      await waitFor(
        async () => {
          const waiting = await holder.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = 'lendguard-console'",
          );
          return Number(waiting.rows[0]?.n) > 0;
        },
        20_000,
        () => 'the migration never waited for the lock',
      );
      expect(finished).toBe(false);
      await client.query('COMMIT');
      expect((await running).applied).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      client.release();
      await holder.end();
      await db.end();
    }
  });

  it('rolls a failing migration back whole, and refuses an applied migration whose text changed', async () => {
    const schema = testSchemaName();
    const db = poolFor(schema);
    try {
      await migrate(db, schema, logger);
      const broken: Migration = {
        version: MIGRATIONS.length + 1,
        name: 'broken',
        sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();',
        checksum: 'x',
      };
      await expect(migrate(db, schema, logger, [...MIGRATIONS, broken])).rejects.toMatchObject({ code: 'POSTGRES_FAILED', policy: 'fatal' });
      const half = await db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'half_done'", [schema]);
      expect(half.rowCount).toBe(0);
      const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
      await expect(migrate(db, schema, logger, edited)).rejects.toThrow(/differs from the one in this code/);
    } finally {
      await db.end();
    }
  });

  it('fails with POSTGRES_UNAVAILABLE (retriable) when PostgreSQL cannot be reached', async () => {
    const schema = testSchemaName();
    const db = createPool({ url: 'postgres://postgres@127.0.0.1:1/postgres', schema, poolSize: 1, connectTimeoutMs: 2000, statementTimeoutMs: 5000 }, logger);
    try {
      await expect(migrate(db, schema, logger)).rejects.toMatchObject({ code: 'POSTGRES_UNAVAILABLE', policy: 'retriable' });
    } finally {
      await db.end();
    }
  });
});
