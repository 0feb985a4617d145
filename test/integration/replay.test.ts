import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplayCommand, type ReplayCliOptions } from '../../src/cli/replay.js';
import type { Assessment } from '../../src/domain/assessment.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { randomId, REDIS_URL } from '../helpers/services.js';
import { writeReplayFixture } from '../unit/replay/fixture.js';

/**
 * `lendguard replay --state redis` against the real local Redis: the same figures as with memory
 * state, every key under the replay's own prefix (never the processor's), and a second replay of
 * the same file under the same prefix counts nothing twice.
 */
const RULES = fileURLToPath(new URL('../../config/rules.yaml', import.meta.url));
const config = loadConfig({ env: { LENDGUARD_PII_KEY: 'replay-integration-key-0123456789', LENDGUARD_REDIS_URL: REDIS_URL } });
const fx = writeReplayFixture(randomId('rpi'));
const prefix = `${randomId('lgtest:replay:')}:`;
const redis = new Redis(REDIS_URL, { lazyConnect: true });
/** Fresh prefixes the replays chose, cleaned up even if a test fails before --drop-state. */
const created: string[] = [];

const keysUnder = (p: string): Promise<string[]> => redis.keys(`${p}*`);

async function run(opts: ReplayCliOptions) {
  const stderr: string[] = [];
  const stdout: string[] = [];
  const result = await runReplayCommand(fx.input, { rules: RULES, ...opts }, config, {
    stdout: (t) => stdout.push(t),
    stderr: (l) => stderr.push(l),
    logger: createLogger('silent'),
    progressEveryMs: 60_000,
  });
  return { result, stderr: stderr.join('\n'), stdout: stdout.join('\n') };
}

const readAssessments = (path: string): Assessment[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Assessment);

describe('lendguard replay --state redis', () => {
  beforeAll(() => redis.connect());
  afterAll(async () => {
    for (const p of [prefix, ...created]) {
      const keys = await keysUnder(p);
      if (keys.length) await redis.del(...keys);
    }
    await redis.quit();
    rmSync(fx.dir, { recursive: true, force: true });
  });

  it('gives the same assessments and figures as memory state, with every key under its prefix', async () => {
    const memOut = join(fx.dir, 'memory.jsonl');
    const redisOut = join(fx.dir, 'redis.jsonl');
    const mem = await run({ out: memOut, batch: 5 });
    const red = await run({ out: redisOut, batch: 5, state: 'redis', redisPrefix: prefix });
    expect(mem.result.exitCode).toBe(0);
    expect(red.result.exitCode).toBe(0);
    expect(red.stderr).toContain(`replay: Redis state under key prefix ${prefix}`);
    expect(red.result.report?.state).toEqual({ kind: 'redis', prefix });
    expect(red.stdout).toContain(`state redis, key prefix ${prefix}`);

    const strip = (a: Assessment) => ({ ...a, assessedAt: '', latency: { ...a.latency, sinceRecordMs: 0, processingMs: 0, withinBudget: false } });
    expect(readAssessments(redisOut).map(strip)).toEqual(readAssessments(memOut).map(strip));
    const s = (r: typeof mem) => ({ ...r.result.report?.summary, elapsedMs: 0, recordsPerSecond: 0 });
    expect(s(red)).toEqual(s(mem));
    expect(red.result.report?.summary.truth?.fraud).toBe(6);

    const keys = await keysUnder(prefix);
    expect(keys.length).toBeGreaterThan(10);
    expect(await redis.keys(`${config.redis.keyPrefix}*${fx.farmIds[0] ?? 'x'}*`)).toEqual([]);
  });

  it('replaying the same file under the same prefix counts nothing twice', async () => {
    const again = join(fx.dir, 'again.jsonl');
    const r = await run({ out: again, state: 'redis', redisPrefix: prefix });
    expect(r.result.exitCode).toBe(0);
    const farm = readAssessments(again).filter((a) => fx.farmIds.includes(a.applicationId));
    expect(farm.map((a) => a.features['device.identities.24h'])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('defaults to a fresh random replay:<id>: prefix and --drop-state deletes its keys', async () => {
    const r = await run({ state: 'redis', dropState: true });
    expect(r.result.exitCode).toBe(0);
    const fresh = r.result.report?.state.prefix ?? '';
    created.push(fresh);
    expect(fresh).toMatch(/^replay:[0-9a-f]{8}:$/);
    expect(r.result.report?.state.droppedKeys).toBeGreaterThan(10);
    expect(await keysUnder(fresh)).toEqual([]);
  });

  it('Redis unreachable: exit 69 with the address (password hidden)', async () => {
    const down = loadConfig({ env: { LENDGUARD_PII_KEY: 'replay-integration-key-0123456789', LENDGUARD_REDIS_URL: 'redis://:secret@127.0.0.1:1' } });
    const stderr: string[] = [];
    const result = await runReplayCommand(fx.input, { rules: RULES, state: 'redis' }, down, {
      stdout: () => undefined,
      stderr: (l) => stderr.push(l),
      logger: createLogger('silent'),
    });
    expect(result.exitCode).toBe(69);
    expect(stderr.join('\n')).toContain('cannot reach Redis at redis://:***@127.0.0.1:1');
    expect(stderr.join('\n')).not.toContain('secret');
  });
});
