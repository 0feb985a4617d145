import pg from 'pg';
import type { Config } from '../platform/config.js';
import { findLendguardError, isProgrammerError, LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';

/**
 * The console's PostgreSQL: one pool per process, every session's search_path set to the console schema at
 * connection time (so the SQL names tables plainly), and one classification of what PostgreSQL throws into the
 * error catalogue: away or "not now" is POSTGRES_UNAVAILABLE (retriable), anything else POSTGRES_FAILED (fatal).
 * Only src/console/ imports pg.
 */
export type Db = pg.Pool;
export type Tx = pg.PoolClient;
/** What a query needs: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

/** Ids and offsets are int8: pg returns them as strings (no precision lost past 2^53), and so does this module. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name quoted for SQL; only names the config schema accepts (checked again here). */
export function schemaIdent(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new LendguardError('CONFIG_INVALID', `invalid schema name ${JSON.stringify(schema)}`);
  return `"${schema}"`;
}

export function createPool(config: Config['console']['postgres'], logger: Logger): Db {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    connectionTimeoutMillis: config.connectTimeoutMs,
    statement_timeout: config.statementTimeoutMs,
    application_name: 'lendguard-console',
    keepAlive: true,
    options: `-c search_path=${schemaIdent(config.schema)}`,
  });
  // An idle client whose connection drops emits here; without a listener that would crash the process.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle PostgreSQL connection failed; it is replaced on next use'));
  return pool;
}

/** SQLSTATE classes and codes that mean "not now": the same statement can succeed later. */
const TRANSIENT_CLASSES = ['08', '53', '57P'];
const TRANSIENT_CODES = new Set(['40001', '40P01', '57014', '55P03', '58000', '58030']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TRANSIENT_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i, /connection.*(closed|ended)/i];

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** PostgreSQL answered that the data itself is wrong (class 22 data exception, 23 integrity violation). */
export function isDataError(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

export function isTransient(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return TRANSIENT_CODES.has(state) || TRANSIENT_CLASSES.some((c) => state.startsWith(c));
  const nodeCode = (err as { code?: unknown } | null)?.code;
  if (typeof nodeCode === 'string' && TRANSIENT_NODE_CODES.has(nodeCode)) return true;
  if (err instanceof AggregateError) return err.errors.some(isTransient);
  const message = err instanceof Error ? err.message : String(err);
  return TRANSIENT_MESSAGES.some((re) => re.test(message));
}

/** What PostgreSQL (or the connection to it) threw, as a catalogue error; a LendguardError inside keeps its own. */
export function postgresError(err: unknown, what: string): LendguardError {
  const inner = findLendguardError(err);
  if (inner) return inner;
  const message = err instanceof Error ? err.message || err.name : String(err);
  if (isProgrammerError(err)) return new LendguardError('INTERNAL', `${what}: ${(err as Error).name}: ${message}`, { cause: err });
  const state = sqlState(err);
  const detail = `${what}: ${message}${state ? ` (SQLSTATE ${state})` : ''}`;
  // Without a SQLSTATE the server said nothing: the connection is the problem, which is worth waiting for.
  if (isTransient(err) || !state) return new LendguardError('POSTGRES_UNAVAILABLE', detail, { cause: err });
  return new LendguardError('POSTGRES_FAILED', detail, { cause: err });
}

/** Runs `fn` in one transaction on one client: COMMIT if it resolves, ROLLBACK if it throws (the error is rethrown). */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  let broken = false;
  // pg-pool listens for errors of idle clients only: a connection that fails between two statements of this
  // transaction would emit 'error' with no listener and crash the process. The next statement fails anyway.
  const onError = (): void => void (broken = true);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    broken = isTransient(err);
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw err;
  } finally {
    // A client whose connection failed is destroyed, not returned to the pool.
    client.removeListener('error', onError);
    client.release(broken);
  }
}
