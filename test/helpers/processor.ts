/**
 * Runs the real processor for integration tests: in-process (createProcessor) or as a child process
 * (`lendguard start` via tsx), each with its own random topics, group id and Redis key prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createProcessor, type Processor, type ProcessorOptions } from '../../src/main.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { usedPrefixes } from './redis-keys.js';
import { createTopics, kafkaBrokers, randomId, REDIS_URL } from './services.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface TestSetup {
  id: string;
  env: Record<string, string>;
  config: Config;
  topics: Config['topics'];
}

/** Random names for one test, the topics created, and the env that points a processor at them. */
export async function testSetup(opts: { partitions?: number; extraEnv?: Record<string, string> } = {}): Promise<TestSetup> {
  const id = randomId('t');
  usedPrefixes.add(id); // its own `${id}:` and any `${id}-…` a test derives from it
  const partitions = opts.partitions ?? 3;
  const env: Record<string, string> = {
    LENDGUARD_KAFKA_BROKERS: kafkaBrokers().join(','),
    LENDGUARD_KAFKA_GROUP_ID: `lg-${id}`,
    LENDGUARD_KAFKA_CLIENT_ID: `lg-${id}`,
    LENDGUARD_TOPIC_APPLICATIONS: `${id}.applications`,
    LENDGUARD_TOPIC_ASSESSMENTS: `${id}.assessments`,
    LENDGUARD_TOPIC_ALERTS: `${id}.alerts`,
    LENDGUARD_TOPIC_DLQ: `${id}.dlq`,
    LENDGUARD_TOPIC_LABELS: `${id}.labels`,
    LENDGUARD_TOPIC_GRAPH_LINKS: `${id}.graph-links`,
    LENDGUARD_TOPICS_PARTITIONS: String(partitions),
    LENDGUARD_REDIS_URL: REDIS_URL,
    LENDGUARD_REDIS_KEY_PREFIX: `${id}:`,
    LENDGUARD_PII_KEY: 'integration-test-key-0123456789',
    LENDGUARD_HTTP_PORT: '0',
    LENDGUARD_LOG_LEVEL: process.env.LENDGUARD_TEST_LOG ?? 'warn',
    ...opts.extraEnv,
  };
  const config = loadConfig({ env });
  const t = config.topics;
  await createTopics([t.applications, t.assessments, t.alerts, t.dlq].map((topic) => ({ topic, partitions })));
  return { id, env, config, topics: t };
}

export async function startInProcess(config: Config, opts: Omit<ProcessorOptions, 'logger'> = {}): Promise<Processor> {
  const processor = createProcessor(config, { logger: createLogger(config.log.level), ...opts });
  await processor.start();
  return processor;
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}

/** `n` distinct free ports: each listener stays open until all are taken, so the kernel cannot hand one out twice. */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const srv = createServer();
      servers.push(srv);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          srv.on('error', reject);
          srv.listen(0, '127.0.0.1', () => resolve((srv.address() as { port: number }).port));
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((srv) => new Promise<void>((resolve) => (srv.listening ? srv.close(() => resolve()) : resolve()))));
  }
}

export interface ChildProcessor {
  child: ChildProcess;
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Starts `lendguard start` in a child process and resolves once /readyz answers 200. */
export function spawnProcessor(env: Record<string, string>, opts: { waitReady?: boolean; timeoutMs?: number } = {}): Promise<ChildProcessor> {
  return spawnCli('start', 'LENDGUARD_HTTP_PORT', env, opts);
}

/**
 * Starts `lendguard <command>` in a child process on a free port (given in `portVariable`), collecting its output,
 * and resolves once its /readyz answers 200 (unless `waitReady` is false).
 */
export async function spawnCli(
  command: string,
  portVariable: string,
  env: Record<string, string>,
  opts: { waitReady?: boolean; timeoutMs?: number } = {},
): Promise<ChildProcessor> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', command], {
    cwd: repoRoot,
    env: { ...process.env, ...env, [portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const proc = { child, port, exited, output: () => out };
  if (opts.waitReady !== false)
    await waitFor(
      () => isReady(port),
      opts.timeoutMs ?? 60_000,
      () => `${command} not ready; output:\n${out.slice(-3000)}`,
    );
  return proc;
}

export async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

export async function isReady(port: number): Promise<boolean> {
  try {
    return (await httpGet(port, '/readyz')).status === 200;
  } catch {
    return false;
  }
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, message: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(message());
}

/** A list of child processors that are SIGKILLed after the file's tests if still running (call inside describe). */
export function killedAfterAll(): ChildProcessor[] {
  const children: ChildProcessor[] = [];
  afterAll(() => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  });
  return children;
}
