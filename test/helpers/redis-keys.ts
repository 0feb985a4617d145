/**
 * Redis keys the tests and benches leave under their random prefixes, and their removal. No vitest here: the
 * benches import this too. test/setup/redis-keys.ts removes each integration file's prefixes after the file.
 */
import { Redis } from 'ioredis';
import { REDIS_URL } from './services.js';

/** Deletes every key under `prefix` on one server, one key per command (a cluster node refuses a multi-key UNLINK across slots). */
export async function unlinkPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.unlink(key);
    for (const [, n] of keys.length ? ((await pipeline.exec()) ?? []) : []) deleted += Number(n) || 0;
  } while (cursor !== '0');
  return deleted;
}

/** The local Redis and the masters of `scripts/redis.sh cluster` (skipped where they do not run). */
const SERVERS = [REDIS_URL, 'redis://127.0.0.1:17001', 'redis://127.0.0.1:17002', 'redis://127.0.0.1:17003'];

/**
 * The key prefixes of this test file's setups (testSetup adds them). Their keys carry TTLs of up to 30 days, and a
 * machine that runs the suite often would pile up hundreds of thousands of them in a shared Redis.
 */
export const usedPrefixes = new Set<string>();

/** Removes the keys of `usedPrefixes` on every server that runs, and forgets them (best effort). */
export async function dropUsedPrefixes(): Promise<void> {
  const prefixes = [...usedPrefixes];
  usedPrefixes.clear();
  if (prefixes.length === 0) return;
  await Promise.all(
    SERVERS.map(async (url) => {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null });
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        for (const prefix of prefixes) await unlinkPrefix(redis, prefix);
      } catch {
        // a server that is not running (no cluster here) has nothing of ours
      } finally {
        redis.disconnect();
      }
    }),
  );
}
