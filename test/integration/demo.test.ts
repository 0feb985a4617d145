import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dropTestSchemas, POSTGRES_URL, testSchemaName } from '../helpers/postgres.js';
import { killedAfterAll, testSetup, waitFor, type ChildProcessor } from '../helpers/processor.js';

/**
 * `lendguard demo` as a person runs it: the processor and the analyst console, the built-in sample, then the console's
 * URL and development logins. With `--exit` it stops after the sample; without, it waits for Ctrl-C (SIGINT), and the
 * printed analyst token works on the console's API, which has stored the sample's alerts.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Random topics, group ids, Redis prefix and PostgreSQL schema; every port 0. */
async function demoEnv(): Promise<Record<string, string>> {
  const setup = await testSetup();
  return {
    ...setup.env,
    LENDGUARD_CONSOLE_GROUP_ID: `lgc-${setup.id}`,
    LENDGUARD_CONSOLE_POSTGRES_URL: POSTGRES_URL,
    LENDGUARD_CONSOLE_POSTGRES_SCHEMA: testSchemaName(),
    LENDGUARD_CONSOLE_HTTP_PORT: '0',
  };
}

function spawnDemo(env: Record<string, string>, args: string[]): ChildProcessor {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'demo', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, port: 0, exited, output: () => out };
}

/** The console URL and the dev-analyst login link the demo printed. */
function logins(output: string): { url: string; analystToken: string } {
  const url = /analyst console: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
  const token = /sign in as dev-analyst \(analyst\): http:\/\/127\.0\.0\.1:\d+\/#\/login\?token=(\S+)/.exec(output)?.[1];
  if (!url || !token) throw new Error(`no console URL or login in the output:\n${output.slice(-3000)}`);
  return { url, analystToken: decodeURIComponent(token) };
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms))]);

describe('lendguard demo', () => {
  const children = killedAfterAll();
  afterAll(() => dropTestSchemas());

  it('--exit: assesses the sample, prints the console URL and dev logins, exits 0', { timeout: 180_000 }, async () => {
    const demo = spawnDemo(await demoEnv(), ['--exit']);
    children.push(demo);
    const { code } = await withTimeout(demo.exited, 150_000, 'demo --exit did not exit');
    const out = demo.output();
    expect(code, out.slice(-3000)).toBe(0);
    expect(out).toMatch(/34\/34 sample applications assessed/);
    const { url, analystToken } = logins(out);
    expect(out).toContain(`${url}#/login?token=`);
    expect(out).toMatch(/sign in as dev-viewer \(viewer\): \S+#\/login\?token=lgc_dev-viewer_/);
    expect(out).toContain(`curl -H 'Authorization: Bearer ${analystToken}' ${url}api/alerts`);
    expect(out).not.toContain('Ctrl-C to stop');
  });

  it('waits for Ctrl-C: the analyst login works, the sample alerts reach the console, SIGINT exits 0', { timeout: 240_000 }, async () => {
    const demo = spawnDemo(await demoEnv(), []);
    children.push(demo);
    await waitFor(
      () => demo.output().includes('Ctrl-C to stop'),
      150_000,
      () => `demo did not get to "Ctrl-C to stop"; output:\n${demo.output().slice(-3000)}`,
    );
    const { url, analystToken } = logins(demo.output());
    const get = async (path: string): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${analystToken}` } });
      return { status: res.status, body: await res.json() };
    };
    const me = await get('api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: 'dev-analyst', role: 'analyst', via: 'token' });
    let items = 0;
    await waitFor(
      async () => {
        const alerts = await get('api/alerts');
        items = alerts.status === 200 ? (alerts.body as { items: unknown[] }).items.length : 0;
        return items > 0;
      },
      60_000,
      () => `no alerts in the console; output:\n${demo.output().slice(-3000)}`,
    );
    expect(items).toBeGreaterThan(0);
    demo.child.kill('SIGINT');
    const { code } = await withTimeout(demo.exited, 20_000, 'demo did not stop on SIGINT');
    expect(code, demo.output().slice(-3000)).toBe(0);
  });
});
