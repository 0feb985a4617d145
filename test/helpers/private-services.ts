/**
 * Dedicated Redis and Kafka instances for outage tests: they can be stopped and started without
 * disturbing the shared services the other tests use. Loopback only.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, waitFor } from './processor.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface PrivateRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = async (): Promise<boolean> => {
    try {
      const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping']);
      return stdout.trim() === 'PONG';
    } catch {
      return false;
    }
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await waitFor(ping, 10_000, () => `private redis on ${port} did not start`);
    },
    async stop() {
      if (!child) return;
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      child = undefined;
    },
  };
}

export interface PrivateKafka {
  port: number;
  brokers: string;
  /** the PLAINTEXT listener (with SASL on `port`, the broker's own listener; otherwise `brokers`) */
  plainBrokers: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A second single-node broker with its own ports and data dir (scripts/kafka.sh), optionally with SASL/SCRAM. */
export async function privateKafka(opts: { sasl?: { user: string; password: string } } = {}): Promise<PrivateKafka> {
  const port = await freePort();
  const controller = await freePort();
  const internal = opts.sasl ? await freePort() : port;
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controller),
    LENDGUARD_RUN_DIR: mkdtempSync(join(tmpdir(), 'lg-kafka-')),
    ...(opts.sasl ? { KAFKA_SASL_USER: opts.sasl.user, KAFKA_SASL_PASSWORD: opts.sasl.password, KAFKA_INTERNAL_PORT: String(internal) } : {}),
  };
  const script = (cmd: string) => run('bash', ['scripts/kafka.sh', cmd], { cwd: repoRoot, env, timeout: 180_000 });
  return {
    port,
    brokers: `127.0.0.1:${port}`,
    plainBrokers: `127.0.0.1:${internal}`,
    start: async () => void (await script('start')),
    stop: async () => void (await script('stop')),
  };
}
