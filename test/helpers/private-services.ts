/**
 * Dedicated Redis and Kafka instances for outage tests: they can be stopped and started without
 * disturbing the shared services the other tests use. Loopback only.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, freePorts, waitFor } from './processor.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface PrivateRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `aof`: append-only file with fsync on every write, in a directory of its own, so that a SIGKILL loses
 * nothing and the next start() replays it; without it the server keeps nothing across stop()/start().
 * stop() is always a SIGKILL (no clean shutdown, no save).
 */
export async function privateRedis(opts: { password?: string; aof?: boolean } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lendguard-redis-'));
  const persistence = opts.aof ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  let child: ChildProcess | undefined;
  const ping = async (): Promise<boolean> => {
    try {
      const { stdout } = await run('redis-cli', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        ...(opts.password ? ['--no-auth-warning', '-a', opts.password] : []),
        'ping',
      ]);
      return stdout.trim() === 'PONG';
    } catch {
      return false;
    }
  };
  return {
    port,
    url: opts.password ? `redis://:${encodeURIComponent(opts.password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        'redis-server',
        ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', ...persistence, ...(opts.password ? ['--requirepass', opts.password] : [])],
        { stdio: 'ignore' },
      );
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

/** A second single-node broker with its own ports and data dir (scripts/kafka.sh), optionally with SASL/SCRAM or TLS. */
export async function privateKafka(
  opts: { sasl?: { user: string; password: string }; tls?: { keystore: string; keyPassword: string } } = {},
): Promise<PrivateKafka> {
  const [port, controller, second] = (await freePorts(3)) as [number, number, number];
  const internal = opts.sasl || opts.tls ? second : port;
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controller),
    LENDGUARD_RUN_DIR: mkdtempSync(join(tmpdir(), 'lg-kafka-')),
    ...(opts.sasl ? { KAFKA_SASL_USER: opts.sasl.user, KAFKA_SASL_PASSWORD: opts.sasl.password, KAFKA_INTERNAL_PORT: String(internal) } : {}),
    ...(opts.tls ? { KAFKA_SSL_KEYSTORE: opts.tls.keystore, KAFKA_SSL_KEY_PASSWORD: opts.tls.keyPassword, KAFKA_INTERNAL_PORT: String(internal) } : {}),
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

/**
 * A throwaway CA and a server certificate for 127.0.0.1 (openssl), for a TLS broker: the CA file for clients and
 * a PEM keystore (encrypted key + chain) for the broker.
 */
export async function testCertificates(): Promise<{ caFile: string; keystore: string; keyPassword: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lg-tls-'));
  const f = (name: string): string => join(dir, name);
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir, timeout: 30_000 });
  const keyPassword = 'test-key-password';
  await ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=lendguard-test-ca');
  await ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await ssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-extfile',
    f('san.ext'),
  );
  await ssl('pkcs8', '-topk8', '-in', f('server.key'), '-out', f('server.enc.key'), '-v1', 'PBE-SHA1-3DES', '-passout', `pass:${keyPassword}`);
  writeFileSync(f('keystore.pem'), `${readFileSync(f('server.enc.key'), 'utf8')}${readFileSync(f('server.pem'), 'utf8')}${readFileSync(f('ca.pem'), 'utf8')}`);
  return { caFile: f('ca.pem'), keystore: f('keystore.pem'), keyPassword };
}
