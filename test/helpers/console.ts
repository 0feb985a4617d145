/**
 * Runs the analyst console for integration tests: in-process (createConsoleApp) or as a child process
 * (`lendguard console` via tsx), each with its own alerts topic, consumer group and PostgreSQL schema.
 */
import { createConsoleApp, type ConsoleApp, type ConsoleAppOptions } from '../../src/console/app.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { POSTGRES_URL, testSchemaName } from './postgres.js';
import { spawnCli, type ChildProcessor } from './processor.js';
import { createTopics, kafkaBrokers, randomId } from './services.js';

export interface ConsoleSetup {
  id: string;
  schema: string;
  topic: string;
  /** the assessments topic the report rollups read */
  assessmentsTopic: string;
  groupId: string;
  env: Record<string, string>;
  config: Config;
}

/** Random names, the alerts and assessments topics created, and the env that points a console (and its rollups) at them. */
export async function consoleSetup(opts: { partitions?: number; extraEnv?: Record<string, string> } = {}): Promise<ConsoleSetup> {
  const id = randomId('c');
  const schema = testSchemaName();
  const topic = `${id}.alerts`;
  const assessmentsTopic = `${id}.assessments`;
  const groupId = `lgc-${id}`;
  const env: Record<string, string> = {
    LENDGUARD_KAFKA_BROKERS: kafkaBrokers().join(','),
    LENDGUARD_KAFKA_CLIENT_ID: `lgc-${id}`,
    LENDGUARD_KAFKA_SESSION_TIMEOUT_MS: '6000',
    LENDGUARD_TOPIC_ALERTS: topic,
    LENDGUARD_TOPIC_ASSESSMENTS: assessmentsTopic,
    LENDGUARD_CONSOLE_GROUP_ID: groupId,
    LENDGUARD_REPORTS_GROUP_ID: `lgr-${id}`,
    LENDGUARD_CONSOLE_POSTGRES_URL: POSTGRES_URL,
    LENDGUARD_CONSOLE_POSTGRES_SCHEMA: schema,
    LENDGUARD_CONSOLE_HTTP_PORT: '0',
    LENDGUARD_LOG_LEVEL: process.env.LENDGUARD_TEST_LOG ?? 'warn',
    ...opts.extraEnv,
  };
  await createTopics([
    { topic, partitions: opts.partitions ?? 3 },
    { topic: assessmentsTopic, partitions: opts.partitions ?? 3 },
  ]);
  return { id, schema, topic, assessmentsTopic, groupId, env, config: loadConfig({ env }) };
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
export function spawnConsole(env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<ChildProcessor> {
  return spawnCli('console', 'LENDGUARD_CONSOLE_HTTP_PORT', env, opts);
}
