import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../platform/config.js';
import { parseRedisUrl } from '../platform/redis-url.js';

/** One Redis or a Redis Cluster: the state store, the marker and the prefix drop work on either. */
export type RedisClient = Redis | Cluster;

const retryStrategy = (times: number) => Math.min(200 * 2 ** Math.min(times, 5), 5000);

/**
 * The ioredis client from config. Redis fails fast while disconnected (no offline queue) so the pipeline can
 * back off and retry whole batches; the client itself keeps reconnecting in the background. A cluster URL
 * (redis+cluster://…, src/platform/redis-url.ts) gives a Cluster client with the same per-node options.
 */
export function createRedis(config: Config): RedisClient {
  const node: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: config.redis.commandTimeoutMs,
    connectTimeout: 3000,
    retryStrategy,
    lazyConnect: false,
  };
  const target = parseRedisUrl(config.redis.url);
  if (target.kind === 'single') return new Redis(target.url, node);
  const { username, password, tls } = target;
  return new Cluster(target.nodes, {
    enableOfflineQueue: false,
    clusterRetryStrategy: retryStrategy,
    slotsRefreshTimeout: 3000,
    redisOptions: { ...node, ...(username ? { username } : {}), ...(password ? { password } : {}), ...(tls ? { tls: {} } : {}) },
  });
}

export function isCluster(redis: RedisClient): redis is Cluster {
  return redis instanceof Cluster;
}
