import { createConsoleApp } from '../console/app.js';
import { createPool } from '../console/db.js';
import { migrate } from '../console/migrate.js';
import type { Config } from '../platform/config.js';
import { exitCodeOf, findLendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';

const CLOSE_TIMEOUT_MS = 20_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * `console`: migrate the console schema, ingest the alerts topic into PostgreSQL and serve /healthz, /readyz and
 * /metrics until SIGTERM/SIGINT (the HTTP API and the UI join src/console/app.ts). Resolves with the exit code.
 * With `migrateOnly`: apply the pending migrations once (no waiting for PostgreSQL) and exit.
 */
export async function runConsole(config: Config, logger: Logger, opts: { migrateOnly?: boolean } = {}): Promise<number> {
  if (opts.migrateOnly) return migrateOnly(config, logger);
  let fatalError: Error | undefined;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const app = createConsoleApp(config, {
    logger,
    onFatal: (err) => {
      fatalError = err;
      resolveDone();
    },
  });
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping the console');
    resolveDone();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const started = app.start().catch((err: Error) => {
    fatalError = err;
    resolveDone();
  });
  await done;
  // The chunk being stored finishes (or fails), the group is left, the pool closed; a close that hangs is given up on.
  await Promise.race([
    Promise.allSettled([app.close(), started]),
    sleep(CLOSE_TIMEOUT_MS).then(() => logger.warn({ timeoutMs: CLOSE_TIMEOUT_MS }, 'close did not finish in time; exiting anyway')),
  ]);
  if (!fatalError) return 0;
  const code = exitCodeOf(fatalError);
  logger.fatal({ err: fatalError.message, code: findLendguardError(fatalError)?.code, exitCode: code }, 'exiting with failure');
  return code;
}

async function migrateOnly(config: Config, logger: Logger): Promise<number> {
  const db = createPool(config.console.postgres, logger);
  try {
    const outcome = await migrate(db, config.console.postgres.schema, logger);
    process.stdout.write(
      `schema ${config.console.postgres.schema}: version ${outcome.current}${outcome.applied.length > 0 ? ` (applied ${outcome.applied.join(', ')})` : ', up to date'}\n`,
    );
    return 0;
  } finally {
    await db.end();
  }
}
