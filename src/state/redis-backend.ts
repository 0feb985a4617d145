import { once } from 'node:events';
import type { StateStore } from '../pipeline/ports.js';
import type { Config } from '../platform/config.js';
import { LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { createKeyBuilder } from './keys.js';
import type { Redis } from 'ioredis';
import { redactedRedisUrl } from '../platform/redis-url.js';
import { createRedis, isCluster } from './redis-client.js';
import { assertRedisVersion, createRedisStateStore, type RedisStateOptions } from './redis-state-store.js';
import { checkStateNotLost } from './state-guard.js';

/**
 * Redis behind the state port, with what the composition root needs around it: one connection attempt
 * at a time (for the caller's retry loop), the lost-state check, dropping a prefix (replays) and closing.
 * src/state/ is the only folder that imports ioredis.
 */
export interface RedisBackend {
  readonly store: StateStore;
  /** One attempt: ready, PING, version. REDIS_UNAVAILABLE to retry; CONFIG_INVALID for refused credentials or an old server. */
  connect(timeoutMs?: number): Promise<void>;
  /** The start-up lost-state check (state-guard.ts). */
  checkNotLost(committed: () => Promise<number>, opts: { onLost: 'warn' | 'refuse'; logger: Logger; nowMs: number }): Promise<'fresh' | 'kept' | 'lost'>;
  /** Deletes every key under the prefix; returns how many. */
  dropPrefix(): Promise<number>;
  close(): Promise<void>;
}

const REDIS_AUTH_ERROR = /WRONGPASS|NOAUTH|invalid (username-)?password|NOPERM/i;

/** The Redis URL without its password, for messages. */
export const redactedUrl = redactedRedisUrl;

/** Deletes every key matching `pattern` on one Redis (one master of a cluster: one key per command, as slots differ). */
async function dropOn(redis: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) {
      const pipeline = redis.pipeline();
      for (const key of found) pipeline.unlink(key);
      for (const [, n] of (await pipeline.exec()) ?? []) deleted += typeof n === 'number' ? n : 0;
    }
  } while (cursor !== '0');
  return deleted;
}

export function createRedisBackend(config: Config, opts: { prefix: string; logger?: Logger; marker?: RedisStateOptions['marker'] }): RedisBackend {
  const redis = createRedis(config);
  const keys = createKeyBuilder(opts.prefix, { hashTags: isCluster(redis) });
  let lastError: Error | undefined;
  redis.on('error', (err: Error) => {
    lastError = err;
    opts.logger?.debug({ err: err.message }, 'redis connection error');
  });
  const store = createRedisStateStore(redis, keys, { sightingTtlMs: config.state.sightingTtlMs, ...(opts.marker ? { marker: opts.marker } : {}) });
  return {
    store,
    async connect(timeoutMs = 3000) {
      if (redis.status !== 'ready') await once(redis, 'ready', { signal: AbortSignal.timeout(timeoutMs) }).catch(() => undefined);
      // Refused credentials never get better by waiting: say so and stop (exit 78).
      if (redis.status !== 'ready' && lastError && REDIS_AUTH_ERROR.test(lastError.message)) {
        throw new LendguardError('CONFIG_INVALID', `Redis refused the credentials in redis.url (LENDGUARD_REDIS_URL): ${lastError.message}`);
      }
      try {
        await redis.ping();
      } catch (err) {
        const why = lastError?.message ?? (err as Error).message;
        throw new LendguardError('REDIS_UNAVAILABLE', `cannot reach Redis at ${redactedUrl(config.redis.url)}: ${why}`, { cause: err });
      }
      assertRedisVersion(await redis.info('server')); // fatal on a server too old for the state script
    },
    checkNotLost: (committed, o) => checkStateNotLost(redis, keys.marker(), committed, o),
    async dropPrefix() {
      const pattern = `${opts.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
      const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
      let deleted = 0;
      for (const node of nodes) deleted += await dropOn(node, pattern);
      return deleted;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
