/**
 * PostgreSQL for the console's integration tests: the local server `scripts/postgres.sh` makes sure of (env
 * LENDGUARD_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres). Every test works in a schema
 * of its own, `lg_test_<random>`, created by the console's migrations and dropped by `dropTestSchemas()`: only the
 * schemas this process named are ever dropped.
 */
import pg from 'pg';
import { randomId } from './services.js';

export const POSTGRES_URL: string = process.env.LENDGUARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const named = new Set<string>();

/** A fresh schema name for one test (lower-case, valid for console.postgres.schema). */
export function testSchemaName(): string {
  const name = randomId('lg_test_');
  named.add(name);
  return name;
}

/** A plain client pool on the test database with the schema on its search_path. */
export function testPool(schema: string, url = POSTGRES_URL): pg.Pool {
  return new pg.Pool({ connectionString: url, max: 4, options: `-c search_path="${schema}"` });
}

/** Drops the schemas this process named (never any other); call in afterAll. */
export async function dropTestSchemas(): Promise<void> {
  if (named.size === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const name of named) {
      if (!/^lg_test_[0-9a-f]{8}$/.test(name)) continue;
      await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      named.delete(name);
    }
  } finally {
    await client.end();
  }
}

/** Number of rows of a table of the schema (a test's progress measure). */
export async function countRows(pool: pg.Pool, table: 'alerts' | 'dead_alerts' | 'labels' | 'audit_log' | 'consumer_offsets'): Promise<number> {
  try {
    const res = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(res.rows[0]?.n ?? 0);
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return 0; // not migrated yet
    throw err;
  }
}
