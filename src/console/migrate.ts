import { inTransaction, postgresError, schemaIdent, type Db, type Tx } from './db.js';
import { LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

/**
 * Applies the pending migrations at start-up, all in one transaction that holds a transaction-level advisory lock
 * for the schema: a second process starting at the same time waits for the lock, then finds nothing to do.
 * Each applied migration is recorded in `schema_migrations` with its checksum; an applied migration whose text
 * has changed since is refused (POSTGRES_FAILED), and versions newer than this code knows are left alone with a
 * warning (a newer console migrated the schema; migrations only add).
 */
export interface MigrationOutcome {
  /** versions applied by this call (empty when the schema was up to date) */
  applied: number[];
  /** the highest version recorded afterwards */
  current: number;
}

/** Advisory lock keys: a constant class ("LG") and the schema's hash, so schemas migrate independently. */
const LOCK_CLASS = 0x4c47;

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

export async function migrate(db: Db, schema: string, logger: Logger, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationOutcome> {
  const ident = schemaIdent(schema);
  try {
    return await inTransaction(db, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, schema]);
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${ident}`);
      await tx.query(`SET LOCAL search_path TO ${ident}`);
      await tx.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const applied = (await tx.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version')).rows;
      checkApplied(applied, migrations, schema, logger);
      const done = new Set(applied.map((r) => r.version));
      const pending = migrations.filter((m) => !done.has(m.version));
      for (const m of pending) await apply(tx, m, logger);
      const versions = [...done, ...pending.map((m) => m.version)];
      return { applied: pending.map((m) => m.version), current: versions.length > 0 ? Math.max(...versions) : 0 };
    });
  } catch (err) {
    throw postgresError(err, `migrating schema ${schema}`);
  }
}

function checkApplied(applied: readonly AppliedRow[], migrations: readonly Migration[], schema: string, logger: Logger): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) {
      logger.warn({ schema, version: row.version, name: row.name }, 'schema has a migration this console does not know (a newer console applied it); going on');
      continue;
    }
    if (m.checksum !== row.checksum) {
      throw new LendguardError(
        'POSTGRES_FAILED',
        `migration ${row.version} (${row.name}) applied to schema ${schema} differs from the one in this code: never edit an applied migration, add a new one`,
      );
    }
  }
}

async function apply(tx: Tx, m: Migration, logger: Logger): Promise<void> {
  const started = Date.now();
  await tx.query(m.sql);
  await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
  logger.info({ version: m.version, name: m.name, ms: Date.now() - started }, 'applied migration');
}
