/**
 * The console bench's set-up: random names (alerts and labels topics, consumer group, a `lg_bench_<hex>` PostgreSQL
 * schema), a users file with a viewer, and `lendguard console` as a child process, as in production. Everything is
 * registered with the harness' `Run`, whose `cleanup()` deletes the topics and group; the schema is dropped by a
 * clean-up hook of the run. Only names made here are ever dropped.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateToken, hashToken } from '../../src/console/api/auth/tokens.js';
import { writeUsersFile } from '../../src/console/api/auth/users-file.js';
import { freePort } from '../../test/helpers/processor.js';
import { BROKERS, spawnChild, type Child, type Run } from '../harness.js';

export const POSTGRES_URL = process.env.LENDGUARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA_PATTERN = /^lg_bench_[0-9a-f]{8}$/;

export interface ConsoleBenchSetup {
  /** prefix of the synthetic alerts' ids */
  prefix: string;
  topic: string;
  partitions: number;
  schema: string;
  groupId: string;
  /** a viewer's token (bearer, or exchanged for a cookie by POST /api/login) */
  token: string;
  env: Record<string, string>;
}

/** Creates the topics and the users file (removed by the run's clean-up); the caller drops the schema (`dropSchema`). */
export async function prepare(run: Run, partitions: number): Promise<ConsoleBenchSetup> {
  const topic = run.name('alerts');
  const labels = run.name('labels');
  await run.createTopics([topic], partitions);
  await run.createTopics([labels], 1);
  const schema = `lg_bench_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'lg-console-bench-'));
  run.onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
  const usersFile = join(dir, 'users.yaml');
  const token = generateToken('bench');
  writeUsersFile(usersFile, [{ name: 'bench', role: 'viewer', tokenHash: await hashToken(token) }]);
  const groupId = run.group('console');
  const env: Record<string, string> = {
    LENDGUARD_KAFKA_BROKERS: BROKERS.join(','),
    LENDGUARD_KAFKA_CLIENT_ID: groupId,
    LENDGUARD_TOPIC_ALERTS: topic,
    LENDGUARD_TOPIC_LABELS: labels,
    LENDGUARD_CONSOLE_GROUP_ID: groupId,
    LENDGUARD_CONSOLE_POSTGRES_URL: POSTGRES_URL,
    LENDGUARD_CONSOLE_POSTGRES_SCHEMA: schema,
    LENDGUARD_CONSOLE_USERS_FILE: usersFile,
    LENDGUARD_CONSOLE_SESSION_KEY: randomBytes(32).toString('base64url'),
    LENDGUARD_LOG_LEVEL: 'warn',
  };
  return { prefix: run.id, topic, partitions, schema, groupId, token, env };
}

/** `node --import tsx src/cli/index.ts console` on a free port (wait for it with `waitReady`). */
export async function spawnConsoleChild(run: Run, setup: ConsoleBenchSetup): Promise<Child> {
  const port = await freePort();
  const c = await spawnChild(run, 'src/cli/index.ts', ['console'], { ...setup.env, LENDGUARD_CONSOLE_HTTP_PORT: String(port) });
  return { ...c, port };
}

export async function dropSchema(schema: string): Promise<void> {
  if (!SCHEMA_PATTERN.test(schema)) throw new Error(`refusing to drop schema ${schema}: not one of this bench's`);
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A small pool on the bench schema, for counting and reading rows. */
export function benchPool(schema: string): pg.Pool {
  return new pg.Pool({ connectionString: POSTGRES_URL, max: 2, options: `-c search_path="${schema}"` });
}

export async function countRows(pool: pg.Pool, table: 'alerts' | 'dead_alerts'): Promise<number> {
  const res = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(res.rows[0]?.n ?? 0);
}
