/**
 * Runs the analyst console for integration tests: in-process (createConsoleApp) or as a child process
 * (`lendguard console` via tsx), each with its own alerts topic, consumer group and PostgreSQL schema.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createConsoleApp, type ConsoleApp, type ConsoleAppOptions } from '../../src/console/app.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { POSTGRES_URL, testSchemaName } from './postgres.js';
import { freePort, isReady, waitFor, type ChildProcessor } from './processor.js';
import { createTopics, kafkaBrokers, randomId } from './services.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ConsoleSetup {
  id: string;
  schema: string;
  topic: string;
  groupId: string;
  env: Record<string, string>;
  config: Config;
}

/** Random names, the alerts topic created, and the env that points a console at them. */
export async function consoleSetup(opts: { partitions?: number; extraEnv?: Record<string, string> } = {}): Promise<ConsoleSetup> {
  const id = randomId('c');
  const schema = testSchemaName();
  const topic = `${id}.alerts`;
  const groupId = `lgc-${id}`;
  const env: Record<string, string> = {
    LENDGUARD_KAFKA_BROKERS: kafkaBrokers().join(','),
    LENDGUARD_KAFKA_CLIENT_ID: `lgc-${id}`,
    LENDGUARD_KAFKA_SESSION_TIMEOUT_MS: '6000',
    LENDGUARD_TOPIC_ALERTS: topic,
    LENDGUARD_CONSOLE_GROUP_ID: groupId,
    LENDGUARD_CONSOLE_POSTGRES_URL: POSTGRES_URL,
    LENDGUARD_CONSOLE_POSTGRES_SCHEMA: schema,
    LENDGUARD_CONSOLE_HTTP_PORT: '0',
    LENDGUARD_LOG_LEVEL: process.env.LENDGUARD_TEST_LOG ?? 'warn',
    ...opts.extraEnv,
  };
  await createTopics([{ topic, partitions: opts.partitions ?? 3 }]);
  return { id, schema, topic, groupId, env, config: loadConfig({ env }) };
}

/** The console in this process, started; quick retries so that outage tests do not wait long. */
export async function startConsoleInProcess(
  setup: ConsoleSetup,
  opts: Omit<ConsoleAppOptions, 'logger'> & { env?: Record<string, string>; wait?: boolean } = {},
): Promise<ConsoleApp> {
  const config = loadConfig({ env: { ...setup.env, ...opts.env }, overrides: { 'processing.retryInitialMs': 100, 'processing.retryMaxMs': 1000 } });
  const app = createConsoleApp(config, { logger: createLogger(config.log.level), ...opts });
  if (opts.wait === false) void app.start().catch(() => undefined);
  else await app.start();
  return app;
}

/** Starts `lendguard console` in a child process and resolves once its /readyz answers 200. */
export async function spawnConsole(env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<ChildProcessor> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'console'], {
    cwd: repoRoot,
    env: { ...process.env, ...env, LENDGUARD_CONSOLE_HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const proc = { child, port, exited, output: () => out };
  await waitFor(
    () => isReady(port),
    opts.timeoutMs ?? 60_000,
    () => `console not ready; output:\n${out.slice(-3000)}`,
  );
  return proc;
}
